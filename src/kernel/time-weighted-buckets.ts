/**
 * The time-weighted mean of a step function over `count` equal slices of `[from, to]`, fed one
 * change at a time: memory is the `count` slices, whatever the number of changes. A sparkline of
 * a million-customer queue needs sixty numbers, not a million change points.
 *
 * Feed changes in time order with {@link TimeWeightedBuckets.record}: each value holds from its
 * time until the next change. The value before the first change is `initial`. A change at exactly
 * a slice's end belongs to the next slice; a slice of zero width (when `from === to`) gets the
 * value in force at `from`. Changes after `to` are ignored. A first change that keeps `initial` (a
 * series' starting point) adds no segment boundary. The sums are taken in time order, one
 * segment between changes at a time, so {@link finish} returns the very numbers the batch
 * computation over the whole series does (`timeWeightedBuckets` in `src/cli` is this class fed
 * a gauge's `changes()`).
 */

/** Slices of `[from, to]` filled with the time-weighted mean of the changes recorded. */
export class TimeWeightedBuckets {
  private readonly step: number
  private readonly means: number[] = []
  private bucket = 0
  private cursor: number
  private area = 0
  private value: number
  /** Whether a change was recorded: the first one only starts the series when it keeps the value. */
  private started = false

  /**
   * @throws RangeError when `count` is not a positive integer or the range is reversed or not finite.
   */
  constructor(
    readonly from: number,
    readonly to: number,
    readonly count: number,
    initial: number,
  ) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`bucket count must be a positive integer, got ${count}`)
    if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to))
      throw new RangeError(`bad bucket range [${from}, ${to}]`)
    this.step = (to - from) / count
    this.cursor = from
    this.value = initial
  }

  /** The value becomes `value` at time `t` (not earlier than the previous change). */
  record(t: number, value: number): void {
    while (this.bucket < this.count && this.passes(t)) this.close()
    // A series' first point (a gauge's creation) that keeps the initial value changes nothing: the
    // batch computation holds the first value from the start, without a segment boundary there.
    const first = !this.started
    this.started = true
    if (first && value === this.value) return
    if (this.bucket < this.count && t > this.cursor) {
      this.area += this.value * (t - this.cursor)
      this.cursor = t
    }
    this.value = value
  }

  /** The slices' means, closing the slices not yet closed with the value in force. */
  finish(): number[] {
    while (this.bucket < this.count) this.close()
    return this.means
  }

  private start(bucket: number): number {
    return this.from + bucket * this.step
  }

  private end(bucket: number): number {
    return bucket === this.count - 1 ? this.to : this.from + (bucket + 1) * this.step
  }

  /** True when a change at `t` falls after the current slice (at its end, for a slice of some width). */
  private passes(t: number): boolean {
    const end = this.end(this.bucket)
    return t > end || (t === end && end > this.start(this.bucket))
  }

  private close(): void {
    const start = this.start(this.bucket)
    const end = this.end(this.bucket)
    if (end <= start) {
      this.means.push(this.value)
    } else {
      this.area += this.value * (end - this.cursor)
      this.means.push(this.area / (end - start))
    }
    this.bucket++
    this.area = 0
    this.cursor = end
  }
}
