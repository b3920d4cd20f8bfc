/**
 * PromQL's functions over stored samples, with the semantics of Prometheus 2.42 (the version
 * Debian 12 ships, which the tests run as the reference): see docs/prometheus.md.
 *
 * Not a PromQL parser: each function evaluates one expression shape at one evaluation time `tMs`
 * (milliseconds, as Prometheus keeps time) over a series' samples sorted by time.
 *
 * - `m` — an instant selector: {@link instantSample}, the latest sample at or before `tMs` and no
 *   older than the lookback delta (5 minutes), unless it is a staleness marker.
 * - `m[r]` — a range selector: {@link rangeSamples}, every sample with `tMs − r ≤ t ≤ tMs` (both
 *   ends included in 2.x; Prometheus 3 excludes the start).
 * - `rate(m[r])`, `increase(m[r])`, `delta(m[r])` — {@link extrapolatedRate}: at least two samples;
 *   counter resets add the value before the reset; the difference is extrapolated to the window's
 *   edges when the first or last sample lies within 1.1 × the average sample interval of its
 *   edge, else by half an average interval; a counter is not extrapolated below zero.
 * - `irate(m[r])`, `idelta(m[r])` — {@link instantRate}: the last two samples of the window.
 * - `avg_over_time`, `sum_over_time`, `max_over_time`, `min_over_time`, `count_over_time` —
 *   {@link overTime}, with Prometheus's Kahan–Neumaier sums and incremental mean.
 * - `histogram_quantile(q, b)` over classic `le` buckets — {@link histogramQuantile}: buckets
 *   sorted, equal bounds merged, counts made monotonic, linear interpolation within the bucket
 *   holding rank `q × count`, lower bound 0 for the first bucket, the second-highest bound when the
 *   rank falls in the `+Inf` bucket, NaN without a `+Inf` bucket.
 * - `sum`, `avg`, `max`, `min` over series — {@link aggregate}, in the order given (Prometheus
 *   aggregates series sorted by their labels; the order decides the last bits of a sum).
 *
 * Left out: native histograms, `offset`, `@`, subqueries, and the functions the
 * lessons do not use. Results are `undefined` where Prometheus returns no sample.
 */

/**
 * One stored sample: its scrape time in ms and its value, or a staleness marker (Prometheus writes
 * one when a series disappears from a scrape or a scrape fails: the series has no value from then on).
 */
export interface Sample {
  readonly tMs: number
  readonly value: number
  /** True for a staleness marker (its value is NaN). */
  readonly stale?: boolean
}

/** Prometheus's default lookback delta for instant selectors, in ms (5 minutes). */
export const LOOKBACK_DELTA_MS = 300_000

/** Index of the first sample with `tMs >= t` in `samples` (sorted by time). */
function firstAtOrAfter(samples: readonly Sample[], t: number): number {
  let low = 0
  let high = samples.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (samples[mid]!.tMs < t) low = mid + 1
    else high = mid
  }
  return low
}

/** `m[rangeMs]` at `tMs`: the samples with `tMs − rangeMs ≤ t ≤ tMs`, staleness markers left out. */
export function rangeSamples(samples: readonly Sample[], tMs: number, rangeMs: number): Sample[] {
  const window = samples.slice(firstAtOrAfter(samples, tMs - rangeMs), firstAtOrAfter(samples, tMs + 1))
  return window.some((sample) => sample.stale === true) ? window.filter((sample) => sample.stale !== true) : window
}

/** `m` at `tMs`: the latest sample at or before `tMs`, if it is at most `lookbackMs` old. */
export function instantSample(
  samples: readonly Sample[],
  tMs: number,
  lookbackMs: number = LOOKBACK_DELTA_MS,
): Sample | undefined {
  const index = firstAtOrAfter(samples, tMs + 1) - 1
  const sample = samples[index]
  if (sample === undefined || sample.stale === true) return undefined
  return sample.tMs >= tMs - lookbackMs ? sample : undefined
}

/** Which of the three extrapolating functions. */
export type ExtrapolatedFunction = "rate" | "increase" | "delta"

/**
 * `rate`, `increase` or `delta` of `m[rangeMs]` at `tMs` (Prometheus's `extrapolatedRate`);
 * undefined with fewer than two samples in the window.
 */
export function extrapolatedRate(
  fn: ExtrapolatedFunction,
  samples: readonly Sample[],
  tMs: number,
  rangeMs: number,
): number | undefined {
  // The window by index, without copying it, unless it holds staleness markers (rare) to skip.
  let lo = firstAtOrAfter(samples, tMs - rangeMs)
  let hi = firstAtOrAfter(samples, tMs + 1)
  let window = samples
  for (let i = lo; i < hi; i++) {
    if (samples[i]!.stale === true) {
      window = rangeSamples(samples, tMs, rangeMs)
      lo = 0
      hi = window.length
      break
    }
  }
  if (hi - lo < 2) return undefined
  const isCounter = fn !== "delta"
  const first = window[lo]!
  const last = window[hi - 1]!
  let result = last.value - first.value
  if (isCounter) {
    let previous = first.value
    for (let i = lo + 1; i < hi; i++) {
      const value = window[i]!.value
      if (value < previous) result += previous // a reset: the counter restarted from 0
      previous = value
    }
  }
  let durationToStart = (first.tMs - (tMs - rangeMs)) / 1000
  const durationToEnd = (tMs - last.tMs) / 1000
  const sampledInterval = (last.tMs - first.tMs) / 1000
  const averageInterval = sampledInterval / (hi - lo - 1)
  if (isCounter && result > 0 && first.value >= 0) {
    const durationToZero = sampledInterval * (first.value / result)
    if (durationToZero < durationToStart) durationToStart = durationToZero
  }
  const threshold = averageInterval * 1.1
  let extrapolateTo = sampledInterval
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
  let factor = extrapolateTo / sampledInterval
  if (fn === "rate") factor /= rangeMs / 1000
  return result * factor
}

/** `irate` or `idelta` of `m[rangeMs]` at `tMs`: from the window's last two samples. */
export function instantRate(
  fn: "irate" | "idelta",
  samples: readonly Sample[],
  tMs: number,
  rangeMs: number,
): number | undefined {
  const window = rangeSamples(samples, tMs, rangeMs)
  if (window.length < 2) return undefined
  const last = window[window.length - 1]!
  const previous = window[window.length - 2]!
  const isRate = fn === "irate"
  let result = isRate && last.value < previous.value ? last.value : last.value - previous.value
  const intervalMs = last.tMs - previous.tMs
  if (intervalMs === 0) return undefined
  if (isRate) result /= intervalMs / 1000
  return result
}

/** Prometheus's Kahan–Neumaier step: adds `inc` to `sum` with the compensation `c`. */
function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc
  else c += inc - t + sum
  return [t, c]
}

/** The `<x>_over_time` functions. */
export type OverTimeFunction = "avg" | "sum" | "max" | "min" | "count"

/** `<fn>_over_time(m[rangeMs])` at `tMs`; undefined when the window is empty. */
export function overTime(
  fn: OverTimeFunction,
  samples: readonly Sample[],
  tMs: number,
  rangeMs: number,
): number | undefined {
  const window = rangeSamples(samples, tMs, rangeMs)
  if (window.length === 0) return undefined
  const values = window.map((sample) => sample.value)
  switch (fn) {
    case "avg":
      return meanOverTime(values)
    case "sum": {
      let sum = 0
      let c = 0
      for (const value of values) [sum, c] = kahanSumInc(value, sum, c)
      return Number.isFinite(sum) || Number.isNaN(sum) ? sum + c : sum
    }
    case "max":
      return values.reduce((max, value) => (value > max || Number.isNaN(max) ? value : max), values[0]!)
    case "min":
      return values.reduce((min, value) => (value < min || Number.isNaN(min) ? value : min), values[0]!)
    case "count":
      return values.length
  }
}

/** `avg_over_time`'s incremental, compensated mean (Prometheus 2.42 `funcAvgOverTime`). */
function meanOverTime(values: readonly number[]): number {
  let mean = 0
  let count = 0
  let c = 0
  for (const value of values) {
    count++
    if (isInfinite(mean)) {
      if (isInfinite(value) && mean > 0 === value > 0) continue
      if (!isInfinite(value) && !Number.isNaN(value)) continue
    }
    ;[mean, c] = kahanSumInc(value / count - mean / count, mean, c)
  }
  return isInfinite(mean) ? mean : mean + c
}

function isInfinite(value: number): boolean {
  return value === Infinity || value === -Infinity
}

/** One classic histogram bucket: its upper bound (`le`) and its cumulative count. */
export interface Bucket {
  readonly le: number
  readonly count: number
}

/** `histogram_quantile(q, ...)` of one histogram's buckets (Prometheus's `bucketQuantile`). */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN
  if (q < 0) return -Infinity
  if (q > 1) return Infinity
  if (buckets.length === 0) return NaN
  const sorted = [...buckets].sort((a, b) => a.le - b.le)
  if (sorted[sorted.length - 1]!.le !== Infinity) return NaN
  const merged = coalesce(sorted)
  let max = merged[0]!.count
  for (const bucket of merged) {
    if (bucket.count > max) max = bucket.count
    else if (bucket.count < max) bucket.count = max
  }
  if (merged.length < 2) return NaN
  const observations = merged[merged.length - 1]!.count
  if (observations === 0) return NaN
  let rank = q * observations
  let b = 0
  while (b < merged.length - 1 && !(merged[b]!.count >= rank)) b++
  if (b === merged.length - 1) return merged[merged.length - 2]!.le
  if (b === 0 && merged[0]!.le <= 0) return merged[0]!.le
  let bucketStart = 0
  const bucketEnd = merged[b]!.le
  let count = merged[b]!.count
  if (b > 0) {
    bucketStart = merged[b - 1]!.le
    count -= merged[b - 1]!.count
    rank -= merged[b - 1]!.count
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count)
}

/** Buckets with equal bounds merged (counts added), in order. */
function coalesce(sorted: readonly Bucket[]): { le: number; count: number }[] {
  const merged: { le: number; count: number }[] = []
  for (const bucket of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && last.le === bucket.le) last.count += bucket.count
    else merged.push({ le: bucket.le, count: bucket.count })
  }
  return merged
}

/** The aggregation operators over series. */
export type Aggregation = "sum" | "avg" | "max" | "min"

/** `<op>(v)` of the series' values, in the order given; undefined for no series. */
export function aggregate(op: Aggregation, values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  let value = values[0]!
  let mean = values[0]!
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!
    switch (op) {
      case "sum":
        value += v
        break
      case "avg": {
        const count = i + 1
        if (isInfinite(mean) && ((isInfinite(v) && mean > 0 === v > 0) || (!isInfinite(v) && !Number.isNaN(v)))) break
        mean += v / count - mean / count
        break
      }
      case "max":
        if (value < v || Number.isNaN(value)) value = v
        break
      case "min":
        if (value > v || Number.isNaN(value)) value = v
        break
    }
  }
  return op === "avg" ? mean : value
}
