/**
 * PromQL expressions as data: a small tree of the shapes the lessons use, written out as real
 * PromQL text ({@link formatExpr}) and evaluated over a {@link SeriesStore} at one time
 * ({@link evaluateExpr}) with the functions of `promql.ts`, so the text run through a real
 * Prometheus gives the same numbers. See docs/prometheus.md.
 *
 * Shapes:
 * - `m{l="v",...}` — an instant selector ({@link instantSample}); the result keeps `__name__`.
 * - `rate|irate|increase(m{...}[r])` — a range function per series; the result drops `__name__`.
 * - `sum|avg|max|min|count [by (l, ...)] (e)` — aggregation, per group of the listed labels (all
 *   series in one group without `by`); groups in order of their first series, series in the order
 *   `e` yields them (sorted by labels for selectors, as a block of Prometheus's storage lists them).
 * - `histogram_quantile(q, e)` — per group of `e`'s series with equal labels except `le`.
 * - `e / e`, `e + e`, `e - e`, `e * e` — one-to-one on equal label sets (`__name__` dropped);
 *   `e > s`, `e < s` against a number — a filter keeping the left value.
 *
 * Left out: `offset`, `@`, `without`, `on`/`ignoring`, `group_left`, `bool`, and every other shape.
 */
import { aggregate, extrapolatedRate, histogramQuantile, instantRate, instantSample, type Bucket } from "./promql.ts"
import { parseValue } from "./exposition.ts"
import { type Labels, type SeriesStore, seriesKey } from "./series-store.ts"

/** An expression tree; see the file header for the shapes. */
export type Expr =
  | { readonly kind: "selector"; readonly name: string; readonly match?: Labels }
  | {
      readonly kind: "range"
      readonly fn: "rate" | "irate" | "increase"
      readonly name: string
      readonly match?: Labels
      readonly rangeMs: number
    }
  | {
      readonly kind: "aggregate"
      readonly op: "sum" | "avg" | "max" | "min" | "count"
      readonly by?: readonly string[]
      readonly of: Expr
    }
  | { readonly kind: "quantile"; readonly q: number; readonly of: Expr }
  | { readonly kind: "binary"; readonly op: "/" | "+" | "-" | "*"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "filter"; readonly op: ">" | "<"; readonly left: Expr; readonly threshold: number }

/** One series of a result: its labels and its value. */
export interface VectorSample {
  readonly labels: Labels
  readonly value: number
}

/** A duration as PromQL writes it: `1m`, `90s`, `1500ms`, `1h`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}

/**
 * A PromQL duration (`1m`, `90s`, `1h30m`, `500ms`; units ms, s, m, h, d, w, y) in ms; undefined
 * when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  }
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined
  let total = 0
  for (const [, count, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(count) * units[unit!]!
  return total > 0 ? total : undefined
}

function selectorText(name: string, match: Labels = {}): string {
  const pairs = Object.keys(match).map((key) => `${key}=${JSON.stringify(match[key])}`)
  return pairs.length === 0 ? name : `${name}{${pairs.join(",")}}`
}

/** The expression in PromQL syntax. */
export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case "selector":
      return selectorText(expr.name, expr.match)
    case "range":
      return `${expr.fn}(${selectorText(expr.name, expr.match)}[${formatDuration(expr.rangeMs)}])`
    case "aggregate":
      return `${expr.op}${expr.by === undefined ? "" : ` by (${expr.by.join(", ")})`} (${formatExpr(expr.of)})`
    case "quantile":
      return `histogram_quantile(${expr.q}, ${formatExpr(expr.of)})`
    case "binary":
      return `${formatExpr(expr.left)} ${expr.op} ${formatExpr(expr.right)}`
    case "filter":
      return `${formatExpr(expr.left)} ${expr.op} ${expr.threshold}`
  }
}

function withoutName(labels: Labels): Labels {
  const { __name__: _, ...rest } = labels
  return rest
}

/** The expression's value at `tMs` over `store`: one entry per result series (empty: no result). */
export function evaluateExpr(expr: Expr, store: SeriesStore, tMs: number): VectorSample[] {
  switch (expr.kind) {
    case "selector":
      return store.select(expr.name, expr.match).flatMap((series) => {
        const sample = instantSample(series.samples, tMs)
        return sample === undefined ? [] : [{ labels: series.labels, value: sample.value }]
      })
    case "range":
      return store.select(expr.name, expr.match).flatMap((series) => {
        const value =
          expr.fn === "irate"
            ? instantRate("irate", series.samples, tMs, expr.rangeMs)
            : extrapolatedRate(expr.fn, series.samples, tMs, expr.rangeMs)
        return value === undefined ? [] : [{ labels: withoutName(series.labels), value }]
      })
    case "aggregate":
      return aggregateBy(expr.op, expr.by, evaluateExpr(expr.of, store, tMs))
    case "quantile":
      return quantileOf(expr.q, evaluateExpr(expr.of, store, tMs))
    case "binary":
      return matchOneToOne(expr.op, evaluateExpr(expr.left, store, tMs), evaluateExpr(expr.right, store, tMs))
    case "filter":
      return evaluateExpr(expr.left, store, tMs).filter((sample) =>
        expr.op === ">" ? sample.value > expr.threshold : sample.value < expr.threshold,
      )
  }
}

/** Groups in order of their first member; each keeps its members' order. */
function groupsOf(vector: readonly VectorSample[], keyOf: (labels: Labels) => Labels): Map<string, VectorSample[]> {
  const groups = new Map<string, VectorSample[]>()
  for (const sample of vector) {
    const key = seriesKey(keyOf(sample.labels))
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [sample])
    else group.push(sample)
  }
  return groups
}

function pick(labels: Labels, names: readonly string[] | undefined): Labels {
  const kept: Record<string, string> = {}
  for (const name of names ?? []) if (labels[name] !== undefined) kept[name] = labels[name]
  return kept
}

function aggregateBy(
  op: "sum" | "avg" | "max" | "min" | "count",
  by: readonly string[] | undefined,
  vector: readonly VectorSample[],
): VectorSample[] {
  return [...groupsOf(vector, (labels) => pick(labels, by)).values()].map((members) => ({
    labels: pick(members[0]!.labels, by),
    value:
      op === "count"
        ? members.length
        : aggregate(
            op,
            members.map((member) => member.value),
          )!,
  }))
}

function quantileOf(q: number, vector: readonly VectorSample[]): VectorSample[] {
  const result: VectorSample[] = []
  for (const members of groupsOf(vector, (labels) => withoutName(withoutLe(labels))).values()) {
    const buckets: Bucket[] = []
    for (const member of members) {
      const le = parseValue(member.labels.le ?? "")
      if (le !== undefined) buckets.push({ le, count: member.value })
    }
    if (buckets.length > 0)
      result.push({ labels: withoutName(withoutLe(members[0]!.labels)), value: histogramQuantile(q, buckets) })
  }
  return result
}

function withoutLe(labels: Labels): Labels {
  const { le: _, ...rest } = labels
  return rest
}

function matchOneToOne(
  op: "/" | "+" | "-" | "*",
  left: readonly VectorSample[],
  right: readonly VectorSample[],
): VectorSample[] {
  const byKey = new Map(right.map((sample) => [seriesKey(withoutName(sample.labels)), sample.value]))
  return left.flatMap((sample) => {
    const labels = withoutName(sample.labels)
    const other = byKey.get(seriesKey(labels))
    if (other === undefined) return []
    const value =
      op === "/"
        ? sample.value / other
        : op === "+"
          ? sample.value + other
          : op === "-"
            ? sample.value - other
            : sample.value * other
    return [{ labels, value }]
  })
}
