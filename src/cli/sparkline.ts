/**
 * Sparklines: a series squeezed into one line of block characters, `▁▂▃▅▇█`.
 *
 * Use {@link timeWeightedBuckets} to turn a gauge's change points into equal-width time buckets
 * (each the time-weighted mean over its slice of time), then {@link sparkline} to draw them. The
 * scale is explicit (`min`, default the smallest value; `max`, default the largest) so that a
 * reader can compare two sparklines drawn on the same scale.
 *
 * Left out on purpose: axes and labels; the caller prints the range next to the line.
 */
import { type TimePoint, TimeWeightedBuckets } from "../kernel/index.ts"

/** The eight block heights, lowest first. */
const BLOCKS = "▁▂▃▄▅▆▇█"

/** Options of {@link sparkline}. */
export interface SparklineOptions {
  /** The value drawn as the lowest block. Default: the smallest finite value. */
  readonly min?: number
  /** The value drawn as the highest block. Default: the largest finite value. */
  readonly max?: number
}

/**
 * One block character per value, scaled linearly from `min` (▁) to `max` (█); values outside the
 * scale are clamped, non-finite values are drawn as a space. A flat series is drawn as ▁.
 */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  const finite = values.filter((value) => Number.isFinite(value))
  // reduce, not Math.min(...finite): spreading a huge array into a call overflows the stack
  const low = options.min ?? (finite.length === 0 ? 0 : finite.reduce((least, value) => Math.min(least, value)))
  const high = options.max ?? (finite.length === 0 ? 0 : finite.reduce((most, value) => Math.max(most, value)))
  const span = high - low
  let line = ""
  for (const value of values) {
    if (!Number.isFinite(value)) {
      line += " "
      continue
    }
    const level = span > 0 ? Math.round(((value - low) / span) * (BLOCKS.length - 1)) : 0
    line += BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))]
  }
  return line
}

/**
 * The time-weighted mean of a step function over `count` equal slices of `[from, to]`.
 *
 * `points` are change points sorted by time (a gauge's `changes()`): each value holds from its
 * time until the next point's time. Before the first point the value is taken as the first
 * point's value. A bucket of zero width (when `from === to`) gets the value in force at `from`.
 *
 * @throws RangeError when `count` is not a positive integer, the range is reversed or not finite,
 *   or `points` is empty.
 */
export function timeWeightedBuckets(points: readonly TimePoint[], from: number, to: number, count: number): number[] {
  const buckets = new TimeWeightedBuckets(from, to, count, points.length > 0 ? points[0]!.value : 0)
  if (points.length === 0) throw new RangeError("timeWeightedBuckets needs at least one point")
  for (const point of points) buckets.record(point.t, point.value)
  return buckets.finish()
}
