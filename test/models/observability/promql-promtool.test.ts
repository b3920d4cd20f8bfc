/**
 * Differential test: PromQL functions evaluated here and by a real Prometheus (`promtool test
 * rules`, Prometheus 2.42 from Debian). Random series (counters with resets and gaps, gauges,
 * histogram buckets) and random evaluation times go into one rules-test file whose expected
 * values are the ones computed here; promtool compares them with Go's `reflect.DeepEqual`, so it
 * passes only when every value is the same float64, and when Prometheus returns nothing where
 * this module returns undefined.
 *
 * Skipped, saying so, only when the promtool binary is missing (`apt-get install prometheus`).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  aggregate,
  extrapolatedRate,
  histogramQuantile,
  instantRate,
  instantSample,
  overTime,
  type Sample,
} from "../../../src/models/observability/promql.ts"
import { evaluateExpr, type Expr, formatExpr } from "../../../src/models/observability/promql-expr.ts"
import { SeriesStore } from "../../../src/models/observability/series-store.ts"
import { FC_SEED, replayCommand } from "../../laws/index.ts"
import { binaryOnPath } from "../../real-tools.ts"

const promtool = binaryOnPath("promtool")
if (promtool === undefined)
  console.warn("promql-promtool: SKIPPED, no promtool on PATH (apt-get install -y prometheus)")

/** A series as promtool's input notation spells it: one value (or `_`) per second from t = 0. */
interface Series {
  readonly selector: string
  /** A value, `null` for no sample, `"stale"` for a staleness marker. */
  readonly values: readonly (number | null | "stale")[]
}

function samplesOf(series: Series): Sample[] {
  return series.values.flatMap((value, i) => {
    if (value === null) return []
    return value === "stale" ? [{ tMs: i * 1000, value: NaN, stale: true }] : [{ tMs: i * 1000, value }]
  })
}

function notation(series: Series): string {
  return series.values.map((value) => (value === null ? "_" : String(value))).join(" ")
}

/** One expression at one time, and what this module says it yields (undefined: no sample). */
interface Case {
  readonly series: readonly Series[]
  readonly expr: string
  readonly evalMs: number
  readonly labels: string
  readonly value: number | undefined
  /** Several result series (labels as promtool writes them, value); overrides `labels` and `value`. */
  readonly results?: readonly { readonly labels: string; readonly value: number }[]
}

const counterValues = fc
  .array(
    fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 1, arbitrary: fc.constant(-1) }),
    {
      minLength: 2,
      maxLength: 240,
    },
  )
  .chain((steps) =>
    fc.array(fc.boolean(), { minLength: steps.length, maxLength: steps.length }).map((gaps) => ({ steps, gaps })),
  )
  .map(({ steps, gaps }) => {
    let value = 0 as number
    return steps.map((step, i) => {
      value = step < 0 ? 0 : value + step // -1: the counter restarts from 0
      return gaps[i] === true && i % 3 === 1 ? null : value
    })
  })

const gaugeValues = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant("stale" as const) },
  ),
  { minLength: 2, maxLength: 240 },
)

const rangeS = fc.constantFrom(5, 15, 30, 60, 90, 120, 300)

function evalMsFor(length: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: (length + 90) * 1000 })
}

const rateCase: fc.Arbitrary<Case> = fc
  .record({ values: counterValues, fn: fc.constantFrom("rate", "increase", "delta", "irate", "idelta"), range: rangeS })
  .chain(({ values, fn, range }) => evalMsFor(values.length).map((evalMs) => ({ values, fn, range, evalMs })))
  .map(({ values, fn, range, evalMs }) => {
    const series = { selector: 'c{case="N"}', values }
    const samples = samplesOf(series)
    const value =
      fn === "irate" || fn === "idelta"
        ? instantRate(fn, samples, evalMs, range * 1000)
        : extrapolatedRate(fn as "rate" | "increase" | "delta", samples, evalMs, range * 1000)
    return { series: [series], expr: `${fn}(c{case="N"}[${range}s])`, evalMs, labels: '{case="N"}', value }
  })

const overTimeCase: fc.Arbitrary<Case> = fc
  .record({ values: gaugeValues, fn: fc.constantFrom("avg", "sum", "max", "min", "count"), range: rangeS })
  .chain(({ values, fn, range }) => evalMsFor(values.length).map((evalMs) => ({ values, fn, range, evalMs })))
  .map(({ values, fn, range, evalMs }) => {
    const series = { selector: 'g{case="N"}', values }
    const value = overTime(fn as "avg", samplesOf(series), evalMs, range * 1000)
    return { series: [series], expr: `${fn}_over_time(g{case="N"}[${range}s])`, evalMs, labels: '{case="N"}', value }
  })

const instantCase: fc.Arbitrary<Case> = gaugeValues
  .chain((values) => evalMsFor(values.length + 300).map((evalMs) => ({ values, evalMs })))
  .map(({ values, evalMs }) => {
    const series = { selector: 'g{case="N"}', values }
    const value = instantSample(samplesOf(series), evalMs)?.value
    return { series: [series], expr: 'g{case="N"}', evalMs, labels: 'g{case="N"}', value }
  })

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

const quantileCase: fc.Arbitrary<Case> = fc
  .record({
    q: fc.constantFrom(0, 0.1, 0.5, 0.9, 0.95, 0.99, 1),
    bounds: fc.subarray(BOUNDS, { minLength: 1 }),
    counts: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 12, maxLength: 12 }),
    lateInf: fc.integer({ min: 1, max: 30 }),
  })
  .map(({ q, bounds, counts, lateInf }) => {
    let cumulative = 0
    const buckets = [...bounds, Infinity].map((le, i) => ({
      le,
      count: (cumulative += counts[i]!) + (le === Infinity ? lateInf : 0),
    }))
    const series = buckets.map((bucket) => ({
      selector: `b_bucket{case="N",le="${bucket.le === Infinity ? "+Inf" : bucket.le}"}`,
      values: [bucket.count],
    }))
    const value = histogramQuantile(q, buckets)
    return { series, expr: `histogram_quantile(${q}, b_bucket{case="N"})`, evalMs: 0, labels: '{case="N"}', value }
  })
  // NaN (q = 0 on an empty first bucket: 0/0) cannot be an expected value: Go's DeepEqual says NaN != NaN.
  .filter((c) => !Number.isNaN(c.value))

const sumCase: fc.Arbitrary<Case & { readonly orderFree: boolean }> = fc
  .record({
    series: fc.array(counterValues, { minLength: 1, maxLength: 4 }),
    op: fc.constantFrom("sum", "avg", "max", "min"),
    range: rangeS,
    evalMs: fc.integer({ min: 0, max: 300_000 }),
  })
  .map(({ series, op, range, evalMs }) => {
    const named = series.map((values, i) => ({ selector: `c{case="N",instance="i${i}"}`, values }))
    const rates = named
      .map((one) => extrapolatedRate("rate", samplesOf(one), evalMs, range * 1000))
      .filter((rate): rate is number => rate !== undefined)
    const values = permutations(rates).map((order) => aggregate(op as "sum", order))
    const value = values[0]
    const orderFree = values.every((other) => Object.is(other, value))
    return { series: named, expr: `${op}(rate(c{case="N"}[${range}s]))`, evalMs, labels: "{}", value, orderFree }
  })
  // promtool loads series in Go map order, so Prometheus adds them in an order that changes from
  // run to run; only cases whose result is the same in every order can be compared exactly.
  .filter((c) => c.orderFree)

/** A series' selector `name{a="x",...}` as labels, `__name__` included. */
function labelsOf(selector: string): Record<string, string> {
  const [, name, body] = /^([^{]+)\{(.*)\}$/.exec(selector)!
  const labels: Record<string, string> = { __name__: name! }
  for (const [, key, value] of body!.matchAll(/(\w+)="([^"]*)"/g)) labels[key!] = value!
  return labels
}

function storeOf(series: readonly Series[]): SeriesStore {
  const store = new SeriesStore()
  for (const one of series)
    for (const sample of samplesOf(one)) store.append(labelsOf(one.selector), sample.tMs, sample.value, sample.stale)
  return store
}

function promtoolLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((key) => `${key}="${labels[key]}"`)
    .join(",")}}`
}

/**
 * The grouping shapes over two instances (so every sum adds two values, the same float in either
 * order): `histogram_quantile(q, sum by (le) (rate(b[r])))`, `sum by (instance) (rate(c[r]))` over
 * two codes, and `sum(rate(c[r])) / count(rate(c[r]))`, evaluated by `evaluateExpr`.
 */
const groupedCase: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.constantFrom("quantile", "sum-by", "average"),
    q: fc.constantFrom(0.5, 0.9, 0.99),
    range: rangeS,
    counters: fc.array(counterValues, { minLength: 6, maxLength: 6 }),
    evalMs: fc.integer({ min: 0, max: 300_000 }),
  })
  .map(({ shape, q, range, counters, evalMs }) => {
    const rangeMs = range * 1000
    let series: Series[]
    let expr: Expr
    if (shape === "quantile") {
      const bounds = ["0.1", "1", "+Inf"]
      series = counters.map((values, k) => ({
        selector: `b_bucket{case="N",instance="i${k % 2}",le="${bounds[Math.floor(k / 2)]}"}`,
        values,
      }))
      expr = {
        kind: "quantile",
        q,
        of: {
          kind: "aggregate",
          op: "sum",
          by: ["le"],
          of: { kind: "range", fn: "rate", name: "b_bucket", match: { case: "N" }, rangeMs },
        },
      }
    } else {
      series = counters.slice(0, 4).map((values, k) => ({
        selector: `c{case="N",code="${k < 2 ? 200 : 500}",instance="i${k % 2}"}`,
        values,
      }))
      const rates: Expr = { kind: "range", fn: "rate", name: "c", match: { case: "N" }, rangeMs }
      expr =
        shape === "sum-by"
          ? { kind: "aggregate", op: "sum", by: ["instance"], of: rates }
          : {
              kind: "binary",
              op: "/",
              left: { kind: "aggregate", op: "sum", of: { ...rates, match: { case: "N", code: "200" } } },
              right: { kind: "aggregate", op: "count", of: { ...rates, match: { case: "N", code: "200" } } },
            }
    }
    const results = evaluateExpr(expr, storeOf(series), evalMs).map((sample) => ({
      labels: promtoolLabels(sample.labels),
      value: sample.value,
    }))
    return { series, expr: formatExpr(expr), evalMs, labels: "", value: undefined, results }
  })
  // NaN cannot be an expected value (Go's DeepEqual says NaN != NaN): histogram_quantile of no observations.
  .filter((c) => c.results!.every((r) => !Number.isNaN(r.value)))

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  )
}

/** Gives case `i` its own label value, so cases share one rules-test file without meeting. */
function numbered(c: Case, i: number): Case {
  const tag = (text: string): string => text.replaceAll('case="N"', `case="${i}"`)
  return {
    ...c,
    series: c.series.map((s) => ({ ...s, selector: tag(s.selector) })),
    expr: tag(c.expr),
    labels: tag(c.labels),
  }
}

function rulesTest(cases: readonly Case[]): string {
  const lines = ["rule_files: []", "evaluation_interval: 1m", "tests:", "  - interval: 1s", "    input_series:"]
  for (const c of cases) {
    for (const s of c.series) lines.push(`      - series: '${s.selector}'`, `        values: '${notation(s)}'`)
  }
  lines.push("    promql_expr_test:")
  for (const c of cases) {
    lines.push(`      - expr: '${c.expr}'`, `        eval_time: ${c.evalMs}ms`)
    if (c.results !== undefined) {
      lines.push(c.results.length === 0 ? "        exp_samples: []" : "        exp_samples:")
      for (const r of c.results)
        lines.push(`          - labels: '${r.labels}'`, `            value: ${yamlNumber(r.value)}`)
    } else if (c.value === undefined) lines.push("        exp_samples: []")
    else
      lines.push(
        "        exp_samples:",
        `          - labels: '${c.labels}'`,
        `            value: ${yamlNumber(c.value)}`,
      )
  }
  return `${lines.join("\n")}\n`
}

function yamlNumber(value: number): string {
  if (value === Infinity) return "+Inf"
  if (value === -Infinity) return "-Inf"
  return String(value)
}

function runPromtool(cases: readonly Case[]): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "promtool-"))
  try {
    const file = join(dir, "test.yml")
    writeFileSync(file, rulesTest(cases))
    const run = spawnSync(promtool!, ["test", "rules", file], { encoding: "utf8", timeout: 120_000 })
    return { code: run.status, output: `${run.stdout}${run.stderr}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe.skipIf(promtool === undefined)("PromQL functions against promtool (Prometheus 2.42)", () => {
  const families: [string, fc.Arbitrary<Case>][] = [
    ["rate, increase, delta, irate, idelta", rateCase],
    ["<op>_over_time", overTimeCase],
    ["instant selectors with the 5-minute lookback", instantCase],
    ["histogram_quantile", quantileCase],
    ["sum/avg/max/min of rates", sumCase],
    ["sum by (le) under histogram_quantile, sum by (instance), sum / count", groupedCase],
  ]
  for (const [name, arbitrary] of families) {
    it(`${name}: 150 random cases give the same float64 as Prometheus (FC_SEED=${FC_SEED})`, () => {
      const cases = fc.sample(arbitrary, { seed: FC_SEED, numRuns: 150 }).map(numbered)
      expect(cases.some((c) => c.value !== undefined || (c.results?.length ?? 0) > 0)).toBe(true)
      const run = runPromtool(cases)
      if (run.code !== 0)
        expect.fail(
          `promtool disagrees:\n${run.output.slice(0, 4000)}\nreplay: ${replayCommand("test/models/observability/promql-promtool.test.ts")}`,
        )
    })
  }

  it("fails on a value one ulp off: the comparison is exact", () => {
    const [one] = fc.sample(
      rateCase.filter((c) => c.value !== undefined && c.value !== 0),
      { seed: 7, numRuns: 1 },
    )
    const off = { ...one!, value: one!.value! * (1 + Number.EPSILON) }
    expect(runPromtool([numbered(off, 0)]).code).not.toBe(0)
  })
})
