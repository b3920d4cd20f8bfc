/**
 * Exact nearest-rank quantiles of the upper tail of a stream whose length is known in advance,
 * in memory of the tail only.
 *
 * The p90 of a million waits is the 900,000th smallest, which is also the 100,001st largest: a
 * stream of exactly `n` observations needs only its largest `n − k + 1` values (k the rank of the
 * lowest quantile wanted) to answer every quantile from there up, exactly. They are kept in a
 * min-heap of fixed size: an observation larger than the smallest kept replaces it. The p90 of a
 * million observations keeps 100,001 numbers (800 KB) instead of a million (8 MB, 16 while a
 * doubling array grows).
 *
 * Ranks are those of {@link Histogram.quantile} (nearest rank: the k-th smallest with
 * k = max(1, ⌈q·n⌉), `q·n`'s rounding corrected), so both give the same number.
 *
 * Left out on purpose: streams of unknown length (exact quantiles then need every observation;
 * use a Histogram).
 */

/**
 * The nearest rank of quantile `q` among `n` observations: the smallest k in [1, n] with k/n >= q.
 * Starts from ⌈q·n⌉ and corrects for rounding in q·n (0.07 · 100 is 7.000000000000001),
 * comparing k/n with q as the exact fractions they denote.
 */
export function rankOfQuantile(q: number, n: number): number {
  let k = Math.min(n, Math.max(1, Math.ceil(q * n)))
  while (k > 1 && (k - 1) / n >= q) k--
  while (k < n && k / n < q) k++
  return k
}

/** The quantiles from `lowest` up of exactly `count` observations, keeping only the largest ones. */
export class UpperQuantiles {
  /** A min-heap of the largest observations so far. */
  private readonly heap: Float64Array
  private size = 0
  private seen = 0
  private descending: Float64Array | null = null

  /**
   * @param count how many observations will come; an integer >= 1.
   * @param lowest the lowest quantile that will be asked, in [0, 1].
   * @throws RangeError on a count that is not a positive integer or a quantile outside [0, 1]
   */
  constructor(
    readonly count: number,
    readonly lowest: number,
  ) {
    if (!(Number.isSafeInteger(count) && count >= 1))
      throw new RangeError(`count must be an integer >= 1, got ${count}`)
    if (!(lowest >= 0 && lowest <= 1)) throw new RangeError(`a quantile must be in [0, 1], got ${lowest}`)
    this.heap = new Float64Array(count - rankOfQuantile(lowest, count) + 1)
  }

  /** Observations kept now (at most `count − rank(lowest) + 1`). */
  get kept(): number {
    return this.size
  }

  /**
   * Records one observation (`-0` as `0`).
   * @throws RangeError when it is not finite, or one more than `count`
   */
  observe(observation: number): void {
    if (!Number.isFinite(observation))
      throw new RangeError(`an observation must be a finite number, got ${observation}`)
    if (this.seen === this.count) throw new RangeError(`more than the ${this.count} observations announced`)
    this.seen++
    this.descending = null
    const value = observation + 0
    const heap = this.heap
    if (this.size < heap.length) {
      let i = this.size++
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (heap[parent]! <= value) break
        heap[i] = heap[parent]!
        i = parent
      }
      heap[i] = value
    } else if (value > heap[0]!) {
      this.replaceSmallest(value)
    }
  }

  /**
   * The nearest-rank `q`-quantile of the `count` observations, exactly as a Histogram of all of
   * them answers it.
   * @throws RangeError when `q` is below `lowest` or above 1
   * @throws Error before all `count` observations were made
   */
  quantile(q: number): number {
    if (!(q >= this.lowest && q <= 1)) throw new RangeError(`a quantile must be in [${this.lowest}, 1], got ${q}`)
    if (this.seen !== this.count) throw new Error(`${this.seen} of the ${this.count} observations were made`)
    this.descending ??= this.heap.slice(0, this.size).sort().reverse()
    return this.descending[this.count - rankOfQuantile(q, this.count)]!
  }

  private replaceSmallest(value: number): void {
    const heap = this.heap
    const size = this.size
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= size) break
      const right = left + 1
      const child = right < size && heap[right]! < heap[left]! ? right : left
      if (heap[child]! >= value) break
      heap[i] = heap[child]!
      i = child
    }
    heap[i] = value
  }
}
