import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Counter, Gauge, Histogram, Metrics } from "../../src/kernel/metrics.ts"
import { FC_SEED } from "../laws/index.ts"

const RERUN = `rerun: FC_SEED=${FC_SEED} npx vitest run test/kernel/metrics.prop.test.ts`

/** Runs a property with the suite's seed; a failure message ends with the command that replays it. */
function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns = 200): void {
  try {
    fc.assert(property, { seed: FC_SEED, numRuns })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${RERUN}`, { cause: error })
  }
}

/** One update of a gauge, `dt` time units after the previous one (0 means the same instant). */
interface GaugeStep {
  readonly dt: number
  readonly kind: "set" | "add"
  readonly amount: number
}

const integerStep: fc.Arbitrary<GaugeStep> = fc.record({
  dt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
  kind: fc.constantFrom("set" as const, "add" as const),
  amount: fc.integer({ min: -6, max: 6 }),
})

const finiteDouble = (bound: number) => fc.double({ min: -bound, max: bound, noNaN: true, noDefaultInfinity: true })

const doubleStep: fc.Arbitrary<GaugeStep> = fc.record({
  dt: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e3, noNaN: true, noDefaultInfinity: true })),
  kind: fc.constantFrom("set" as const, "add" as const),
  amount: finiteDouble(1e6),
})

/** What happened to a gauge, replayed by brute force. */
interface GaugeRun {
  readonly gauge: Gauge
  /** Every value set, with its time, in call order (the initial value first). */
  readonly log: readonly { t: number; value: number }[]
  readonly start: number
  readonly end: number
}

function drive(
  start: number,
  initial: number,
  steps: readonly GaugeStep[],
  tailTime: number,
  series = false,
): GaugeRun {
  let now = start
  const gauge = new Gauge(() => now, { initial, series })
  const log = [{ t: now, value: initial }]
  for (const step of steps) {
    now += step.dt
    if (step.kind === "set") gauge.set(step.amount)
    else gauge.add(step.amount)
    log.push({ t: now, value: gauge.value })
  }
  now += tailTime
  return { gauge, log, start, end: now }
}

/** Time spent at each level, in order of first occurrence, by walking the log. */
function oracleTimeAtLevel(run: GaugeRun): Map<number, number> {
  const levels = new Map<number, number>()
  run.log.forEach((entry, i) => {
    const until = i + 1 < run.log.length ? run.log[i + 1]!.t : run.end
    levels.set(entry.value, (levels.get(entry.value) ?? 0) + (until - entry.t))
  })
  return levels
}

describe(`Gauge properties (FC_SEED=${FC_SEED})`, () => {
  it("keeps the time-weighted mean between min and max, which are the extremes of every value set", () => {
    check(
      fc.property(
        finiteDouble(1e6),
        fc.array(doubleStep, { maxLength: 60 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (initial, steps, tail) => {
          const run = drive(3, initial, steps, tail)
          const values = run.log.map((entry) => entry.value)

          const mean = run.gauge.mean()

          expect(run.gauge.min).toBe(Math.min(...values) + 0) // the gauge stores -0 as 0
          expect(run.gauge.max).toBe(Math.max(...values) + 0)
          expect(mean).toBeGreaterThanOrEqual(run.gauge.min)
          expect(mean).toBeLessThanOrEqual(run.gauge.max)
        },
      ),
    )
  })

  it("spends exactly the elapsed time across its levels, level by level as a replay says, with integer times", () => {
    check(
      fc.property(
        fc.integer({ min: -5, max: 5 }),
        fc.array(integerStep, { maxLength: 60 }),
        fc.integer({ min: 0, max: 10 }),
        (initial, steps, tail) => {
          const run = drive(0, initial, steps, tail)
          const expected = oracleTimeAtLevel(run)

          const levels = run.gauge.timeAtLevel()
          const total = [...levels.values()].reduce((a, b) => a + b, 0)
          const integral = [...expected].reduce((sum, [level, duration]) => sum + level * duration, 0)
          const elapsed = run.end - run.start

          expect([...levels]).toEqual([...expected])
          expect(total).toBe(elapsed)
          expect(run.gauge.mean()).toBeCloseTo(elapsed === 0 ? run.gauge.value : integral / elapsed, 9)
        },
      ),
    )
  })

  it("spends the elapsed time across its levels up to rounding, with fractional times", () => {
    check(
      fc.property(
        finiteDouble(1e3),
        fc.array(doubleStep, { maxLength: 60 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (initial, steps, tail) => {
          const run = drive(0.1, initial, steps, tail)

          const total = [...run.gauge.timeAtLevel().values()].reduce((a, b) => a + b, 0)
          const elapsed = run.end - run.start

          expect(Math.abs(total - elapsed)).toBeLessThanOrEqual(1e-9 * Math.max(1, elapsed))
        },
      ),
    )
  })

  it("samples, at every grid time, the last value set at or before it", () => {
    const window = fc.record({
      intervalTime: fc.oneof(fc.integer({ min: 1, max: 7 }), fc.double({ min: 0.1, max: 9, noNaN: true })),
      fromFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      toFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    check(
      fc.property(
        fc.integer({ min: -5, max: 5 }),
        fc.array(integerStep, { maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        window,
        (initial, steps, tail, w) => {
          const run = drive(2, initial, steps, tail, true)
          const span = run.end - run.start
          const from = run.start + span * Math.min(w.fromFraction, w.toFraction)
          const to = run.start + span * Math.max(w.fromFraction, w.toFraction)

          const points = run.gauge.sample(w.intervalTime, from, to)

          expect(points.length).toBeGreaterThanOrEqual(1)
          expect(from + points.length * w.intervalTime).toBeGreaterThan(to)
          points.forEach((point, k) => {
            expect(point.t).toBe(from + k * w.intervalTime)
            expect(point.t).toBeLessThanOrEqual(to)
            const inForce = run.log.filter((entry) => entry.t <= point.t).at(-1)!
            expect(point.value).toBe(inForce.value)
          })
        },
      ),
    )
  })
})

describe(`Histogram properties (FC_SEED=${FC_SEED})`, () => {
  const observations = fc.array(fc.oneof(fc.integer({ min: -20, max: 20 }), finiteDouble(1e6)), {
    minLength: 1,
    maxLength: 300,
  })

  it("agrees with the observations on count, sum, min, max and cumulative buckets", () => {
    check(
      fc.property(observations, (values) => {
        const histogram = new Histogram({ buckets: [-10, 0, 0.5, 10, 1e5] })

        for (const v of values) histogram.observe(v)

        const sum = values.reduce((a, b) => a + b, 0)
        expect(histogram.count).toBe(values.length)
        expect(Math.abs(histogram.sum - sum)).toBeLessThanOrEqual(1e-9 * values.reduce((a, b) => a + Math.abs(b), 0))
        expect(histogram.min).toBe(Math.min(...values) + 0) // the histogram records -0 as 0
        expect(histogram.max).toBe(Math.max(...values) + 0)
        expect(histogram.buckets()).toEqual(
          [...histogram.bucketBounds, Infinity].map((le) => ({ le, count: values.filter((v) => v <= le).length })),
        )
      }),
    )
  })

  it("returns an observed value with at least q·n observations at or below it and fewer below, monotone in q", () => {
    check(
      fc.property(
        observations,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (values, qs) => {
          const histogram = new Histogram()
          for (const v of values) histogram.observe(v)
          const n = values.length
          const sortedQs = [...qs, 0, 1].sort((a, b) => a - b)

          const answers = sortedQs.map((q) => histogram.quantile(q))

          answers.forEach((x, i) => {
            const q = sortedQs[i]!
            expect(values).toContain(x)
            expect(values.filter((v) => v <= x).length / n).toBeGreaterThanOrEqual(q)
            if (q > 0) expect(values.filter((v) => v < x).length / n).toBeLessThan(q)
            if (i > 0) expect(x).toBeGreaterThanOrEqual(answers[i - 1]!)
          })
          expect(answers[0]).toBe(histogram.min)
          expect(answers.at(-1)).toBe(histogram.max)
        },
      ),
    )
  })
})

describe(`Counter properties (FC_SEED=${FC_SEED})`, () => {
  it("never decreases, whatever it is asked, and sums the accepted increments", () => {
    const increment = fc.oneof(
      fc.double({ min: -1e6, max: 1e6 }),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(NaN, Infinity, -Infinity),
    )
    check(
      fc.property(fc.array(increment, { maxLength: 100 }), (increments) => {
        const counter = new Counter()
        let accepted = 0

        for (const by of increments) {
          const before = counter.value
          try {
            counter.inc(by)
            accepted += by
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError)
          }
          expect(counter.value).toBeGreaterThanOrEqual(before)
        }

        expect(counter.value).toBe(accepted)
      }),
    )
  })
})

/** Reverses the exposition format's label value escaping. */
function unescapeLabelValue(escaped: string): string {
  return escaped.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c))
}

describe(`Metrics properties (FC_SEED=${FC_SEED})`, () => {
  it("writes any label value so that it reads back unchanged, on one line", () => {
    check(
      fc.property(
        fc.array(fc.string({ unit: "binary", maxLength: 20 }), { minLength: 1, maxLength: 5 }),
        (labelValues) => {
          const metrics = new Metrics(() => 0)
          labelValues.forEach((value, i) => metrics.counter("events_total", "Events.", { source: value }).inc(i + 1))

          const samples = metrics
            .toPrometheus()
            .split("\n")
            .filter((line) => line.startsWith("events_total{"))

          const distinct = [...new Set(labelValues)]
          expect(samples.length).toBe(distinct.length)
          samples.forEach((line, i) => {
            const match = /^events_total\{source="((?:[^"\\]|\\.)*)"\} (\d+)$/.exec(line)
            expect(match).not.toBeNull()
            expect(unescapeLabelValue(match![1]!)).toBe(distinct[i])
          })
        },
      ),
    )
  })

  it("writes one HELP and one TYPE line per family, before its samples, in registration order", () => {
    const registration = fc.record({
      family: fc.integer({ min: 0, max: 4 }),
      label: fc.constantFrom("a", "b", "c"),
    })
    check(
      fc.property(fc.array(registration, { maxLength: 30 }), (registrations) => {
        const metrics = new Metrics(() => 0)
        const kinds = ["counter", "gauge", "histogram", "counter", "gauge"] as const
        for (const { family, label } of registrations) {
          const name = `family_${family}`
          const labels = { shard: label }
          if (kinds[family] === "counter") metrics.counter(name, "h", labels).inc()
          else if (kinds[family] === "gauge") metrics.gauge(name, "h", { labels }).set(family)
          else metrics.histogram(name, "h", { labels, buckets: [1] }).observe(family)
        }

        const lines = metrics.toPrometheus().split("\n")

        const expectedOrder = [...new Set(registrations.map((r) => `family_${r.family}`))]
        const helpLines = lines.filter((line) => line.startsWith("# HELP "))
        expect(helpLines.map((line) => line.split(" ")[2])).toEqual(expectedOrder)
        for (const name of expectedOrder) {
          const help = lines.indexOf(`# HELP ${name} h`)
          expect(lines.filter((line) => line.startsWith(`# TYPE ${name} `)).length).toBe(1)
          expect(lines[help + 1]).toMatch(new RegExp(`^# TYPE ${name} `))
          const firstSample = lines.findIndex((line) => line.startsWith(`${name}{`) || line.startsWith(`${name}_`))
          expect(firstSample).toBe(help + 2)
        }
      }),
    )
  })
})
