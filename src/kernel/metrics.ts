/**
 * Monitoring built into the kernel: counters, time-weighted gauges, histograms and time series.
 *
 * SimPy dropped monitoring and its users keep rebuilding it; here it is part of the kernel. Think
 * of the instruments on a car's dashboard: the odometer only counts up ({@link Counter}), the fuel
 * gauge moves both ways and what matters is how long it sat at each level ({@link Gauge}), the trip
 * log keeps every journey's duration so you can ask for the slowest 1% ({@link Histogram}), and a
 * notebook on the passenger seat holds whatever readings you chose to write down
 * ({@link TimeSeries}). A {@link Metrics} registry names them and writes them out in the
 * Prometheus text exposition format or as a plain JSON snapshot.
 *
 * Invariants:
 * - Instruments read simulated time only through the clock function they are given
 *   (`() => sim.now`) and never schedule anything, so measuring a run never changes its event order
 *   or its event count.
 * - A clock that moves backwards is a bug and throws a `RangeError` at the next update.
 * - Updates allocate nothing on the hot path (`Counter.inc`, `Gauge.set`/`add` without a series,
 *   `Histogram.observe` except when its buffer doubles), so a gauge can be set at every event.
 * - Output order is registration order (families, then label sets within a family), so the same
 *   run always prints the same bytes.
 *
 * A {@link Summary} is the client libraries' summary, with quantiles over a sliding window: the
 * lessons that compare Prometheus's estimates with the truth need it; elsewhere a run is short and
 * finite, so histograms keep every observation and answer exact quantiles. Left out on purpose:
 * metric removal and exemplars. Time series are
 * not written to Prometheus text: that format's sample timestamps are wall-clock milliseconds, which
 * simulated time is not; read {@link TimeSeries.points} instead.
 */

import type { TimeWeightedBuckets } from "./time-weighted-buckets.ts"
import { rankOfQuantile } from "./upper-quantiles.ts"

/** A function that returns the current simulated time; the Simulation passes `() => sim.now`. */
export type Clock = () => number

/** One reading of a value at a simulated time. */
export interface TimePoint {
  /** The simulated time of the reading. */
  readonly t: number
  /** The value at that time. */
  readonly value: number
}

function requireFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number, got ${value}`)
}

function clockWentBackwards(previous: number, now: number): RangeError {
  return new RangeError(`the clock went backwards: from ${previous} to ${now}`)
}

// --- Counter -------------------------------------------------------------------------------------

/** What a {@link Counter} reports in a snapshot. */
export interface CounterSummary {
  /** The count so far. */
  readonly value: number
}

/**
 * A number that only goes up: requests served, bytes sent, records lost.
 *
 * Use it for totals; use a {@link Gauge} for a level that also goes down.
 */
export class Counter {
  private count = 0

  /** The count so far. */
  get value(): number {
    return this.count
  }

  /**
   * Adds `by` (default 1) to the count.
   *
   * @throws RangeError when `by` is negative, NaN or infinite; the count is left unchanged.
   */
  inc(by = 1): void {
    if (!(by >= 0 && by < Infinity)) throw new RangeError(`a counter only goes up: inc(${by})`)
    this.count += by
  }

  /** The count as a plain object, for JSON reports. */
  summary(): CounterSummary {
    return { value: this.count }
  }
}

// --- Gauge ---------------------------------------------------------------------------------------

/** Options of a {@link Gauge}. */
export interface GaugeOptions {
  /** The value at creation. Default 0. */
  readonly initial?: number
  /**
   * Record the change points `(t, value)` so that {@link Gauge.changes} and {@link Gauge.sample}
   * work. Costs an array push per change. Default false.
   */
  readonly series?: boolean
  /**
   * With `series`: the most change points kept. When one more would be kept, the gauge drops
   * them all and stops recording ({@link Gauge.seriesDropped}), so a long run's memory stays
   * bounded and a caller that needs the whole series learns it must get it another way (a
   * replay, or `buckets` over a range known in advance). Default Infinity.
   */
  readonly seriesMax?: number
  /**
   * Feed the change points, exactly as `series` would keep them, to these buckets instead of
   * keeping them: a profile over a known range whose memory is the buckets. Read it with
   * {@link Gauge.bucketMeans}. Default none.
   */
  readonly buckets?: TimeWeightedBuckets
}

/** What a {@link Gauge} reports in a snapshot. */
export interface GaugeSummary {
  /** The current value. */
  readonly value: number
  /** The time-weighted mean from creation to now (see {@link Gauge.mean}). */
  readonly mean: number
  /** The smallest value ever set, the initial value included. */
  readonly min: number
  /** The largest value ever set, the initial value included. */
  readonly max: number
}

const INITIAL_LEVEL_CAPACITY = 8

/** Scratch space to read a double's bits for hashing, without allocating. */
const hashScratch = new Float64Array(1)
const hashScratchWords = new Uint32Array(hashScratch.buffer)

/**
 * The distinct levels of a gauge, numbered in order of first occurrence, with the time spent at
 * each. An open-addressing hash table over typed arrays rather than a `Map<number, number>`: a
 * `Map` lookup boxes a fractional key on every call, which would allocate at every gauge update.
 * Keys are finite and never -0 (the gauge normalises them), so `===` is the right equality.
 */
class LevelTable {
  /** Levels by index, in order of first occurrence. */
  values = new Float64Array(INITIAL_LEVEL_CAPACITY)
  /** Time spent at each level, by index. */
  durations = new Float64Array(INITIAL_LEVEL_CAPACITY)
  /** Number of distinct levels. */
  count = 0
  /** Hash slots holding `index + 1`, or 0 when empty; the length is a power of two. */
  private slots = new Int32Array(INITIAL_LEVEL_CAPACITY * 2)

  /** The index of `level`, or -1 when it has never been seen. */
  indexOf(level: number): number {
    const mask = this.slots.length - 1
    for (let slot = hashLevel(level) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!
      if (entry === 0) return -1
      if (this.values[entry - 1] === level) return entry - 1
    }
  }

  /** Adds a level not seen before and returns its index. */
  add(level: number): number {
    const index = this.count
    if (index === this.values.length) this.grow()
    this.values[index] = level
    this.durations[index] = 0
    this.count = index + 1
    this.place(level, index)
    return index
  }

  private place(level: number, index: number): void {
    const mask = this.slots.length - 1
    let slot = hashLevel(level) & mask
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask
    this.slots[slot] = index + 1
  }

  /** Doubles every array; the hash table stays at most half full. */
  private grow(): void {
    const capacity = this.values.length * 2
    const values = new Float64Array(capacity)
    const durations = new Float64Array(capacity)
    values.set(this.values)
    durations.set(this.durations)
    this.values = values
    this.durations = durations
    this.slots = new Int32Array(capacity * 2)
    for (let i = 0; i < this.count; i++) this.place(values[i]!, i)
  }
}

/** A 32-bit hash of a double's bits. */
function hashLevel(level: number): number {
  hashScratch[0] = level
  const mixed = Math.imul(hashScratchWords[0]! ^ Math.imul(hashScratchWords[1]!, 0x85ebca6b), 0x9e3779b1)
  return mixed ^ (mixed >>> 15)
}

/**
 * A level that moves both ways and is weighted by how long it stays put: queue length, busy
 * servers, bytes in flight.
 *
 * The gauge remembers its creation time and integrates its value over simulated time, so
 * {@link mean} is the time-weighted average (a queue of 10 for 1 ms and 0 for 99 ms averages 0.1,
 * not 5) and {@link timeAtLevel} tells how long it spent at each value.
 *
 * Ties: several updates at the same instant all count for {@link max} and {@link min}, but only
 * the last one is in force at that instant; the others are held for zero time.
 *
 * Cost: an update is a few arithmetic operations and one hash lookup of the new level, with no
 * allocation unless the level is new (or a series is recorded). Memory grows with the number of
 * distinct levels (24 bytes each), so a gauge of counts stays tiny while a gauge fed a fresh
 * fraction at every update keeps one entry per update.
 */
export class Gauge {
  /** The simulated time at which the gauge was created; {@link mean} averages from here. */
  readonly createdAt: number = 0

  // Numeric fields start as numbers, not `undefined` (ES2022 class fields would), so V8 keeps them
  // as in-place doubles and an update allocates nothing.
  private readonly clock: Clock
  private current = 0
  private lastChangeTime = 0
  /** Integral of the value over time, from creation up to `lastChangeTime`. */
  private area = 0
  private maxValue = 0
  private minValue = 0
  /** Every level seen, with the time spent there up to `lastChangeTime`. */
  private readonly levels = new LevelTable()
  private currentLevelIndex = 0
  private seriesTimes: number[] | undefined
  private seriesValues: number[] | undefined
  private readonly seriesMax: number = Infinity
  private dropped = false
  private readonly buckets: TimeWeightedBuckets | undefined
  /** With `buckets`: the last change point, not yet fed (a change at the same time may replace or drop it). */
  private pendingTime = 0
  private pendingValue = 0
  /** With `buckets`: the value of the last point fed, and whether one was (the first point is never dropped). */
  private fedValue = 0
  private fedAny = false
  private hasPending = true

  /**
   * @param clock reads the simulated time (`() => sim.now`).
   * @param options see {@link GaugeOptions}.
   * @throws RangeError when the initial value is not finite.
   */
  constructor(clock: Clock, options: GaugeOptions = {}) {
    const initial = (options.initial ?? 0) + 0 // -0 becomes 0
    requireFinite(initial, "a gauge's initial value")
    this.clock = clock
    this.createdAt = clock()
    requireFinite(this.createdAt, "the clock")
    this.current = initial
    this.lastChangeTime = this.createdAt
    this.maxValue = initial
    this.minValue = initial
    this.levels.add(initial)
    if (options.series === true) {
      this.seriesTimes = [this.createdAt]
      this.seriesValues = [initial]
      this.seriesMax = options.seriesMax ?? Infinity
      if (!(this.seriesMax >= 1)) throw new RangeError(`seriesMax must be at least 1, got ${this.seriesMax}`)
    }
    this.buckets = options.buckets
    this.pendingTime = this.createdAt
    this.pendingValue = initial
  }

  /** The current value. */
  get value(): number {
    return this.current
  }

  /** The largest value ever set, including values held for zero time and the initial value. */
  get max(): number {
    return this.maxValue
  }

  /** The smallest value ever set, including values held for zero time and the initial value. */
  get min(): number {
    return this.minValue
  }

  /** True when the gauge records its change points (option `series`) and has not dropped them. */
  get recordsSeries(): boolean {
    return this.seriesTimes !== undefined
  }

  /** True when the change points outgrew `seriesMax` and were dropped (see {@link GaugeOptions.seriesMax}). */
  get seriesDropped(): boolean {
    return this.dropped
  }

  /** The number of change points kept now (0 without `series` or once they were dropped). */
  get seriesLength(): number {
    return this.seriesTimes?.length ?? 0
  }

  /**
   * Sets the value from now on (`-0` is stored as `0`).
   *
   * @throws RangeError when `newValue` is not finite or the clock went backwards since the last
   *   update; the gauge is left unchanged.
   */
  set(newValue: number): void {
    if (!Number.isFinite(newValue)) throw new RangeError(`a gauge value must be a finite number, got ${newValue}`)
    const value = newValue + 0 // -0 becomes 0, so min, max and levels never show a negative zero
    const t = this.clock()
    const elapsed = t - this.lastChangeTime
    if (elapsed !== 0) {
      if (!(elapsed > 0 && elapsed < Infinity)) throw clockWentBackwards(this.lastChangeTime, t)
      this.area += this.current * elapsed
      this.levels.durations[this.currentLevelIndex]! += elapsed
      this.lastChangeTime = t
    }
    if (value > this.maxValue) this.maxValue = value
    if (value < this.minValue) this.minValue = value
    if (value !== this.current) {
      this.current = value
      const index = this.levels.indexOf(value)
      this.currentLevelIndex = index >= 0 ? index : this.levels.add(value)
      if (this.seriesTimes !== undefined) this.recordChange(t, value)
      if (this.buckets !== undefined) this.feedChange(t, value)
    }
  }

  /**
   * The means of the `buckets` the gauge was created with, over every change so far (call it once,
   * after the last change).
   * @throws Error when the gauge was created without `buckets`.
   */
  bucketMeans(): number[] {
    if (this.buckets === undefined) throw new Error("Gauge.bucketMeans() needs the gauge created with { buckets }")
    if (this.hasPending) this.feedPending()
    this.hasPending = false
    return this.buckets.finish()
  }

  /**
   * Adds `delta` (which may be negative) to the value; the same as `set(value + delta)`.
   *
   * @throws RangeError as {@link set} does.
   */
  add(delta: number): void {
    this.set(this.current + delta)
  }

  /**
   * The time-weighted mean of the value from {@link createdAt} to now: the integral of the value
   * over time divided by the elapsed time. With zero elapsed time it is the current value.
   *
   * The result is clamped to `[min, max]`, where the exact mean always lies, so floating-point
   * rounding never shows a mean above the maximum.
   */
  mean(): number {
    const now = this.clock()
    const sinceChange = now - this.lastChangeTime
    if (sinceChange < 0) throw clockWentBackwards(this.lastChangeTime, now)
    const elapsed = now - this.createdAt
    if (elapsed === 0) return this.current
    const mean = (this.area + this.current * sinceChange) / elapsed
    return Math.min(this.maxValue, Math.max(this.minValue, mean))
  }

  /**
   * How long the gauge has spent at each level, from creation to now.
   *
   * Keys are the levels in order of first occurrence (the initial value first); a level that was
   * only ever held for zero time (overwritten at the same instant) has duration 0. The durations
   * add up to the elapsed time (up to floating-point rounding). Returns a fresh map.
   */
  timeAtLevel(): Map<number, number> {
    const now = this.clock()
    const sinceChange = now - this.lastChangeTime
    if (sinceChange < 0) throw clockWentBackwards(this.lastChangeTime, now)
    const result = new Map<number, number>()
    const { values, durations } = this.levels
    for (let index = 0; index < this.levels.count; index++) {
      const open = index === this.currentLevelIndex ? sinceChange : 0
      result.set(values[index]!, durations[index]! + open)
    }
    return result
  }

  /**
   * The recorded change points, oldest first: the creation point, then one point per instant at
   * which the value in force changed (the last value set at that instant).
   *
   * @throws Error when the gauge was created without `series: true`.
   */
  changes(): TimePoint[] {
    const times = this.requireSeries("changes")
    const values = this.seriesValues!
    const points: TimePoint[] = []
    for (let i = 0; i < times.length; i++) points.push({ t: times[i]!, value: values[i]! })
    return points
  }

  /**
   * The value in force at each time of the grid `from, from + intervalTime, from + 2·intervalTime,
   * …` up to and including `to`, computed from the recorded change points (the last change at or
   * before each grid time). Grid times are computed as `from + k·intervalTime`, so they do not drift.
   *
   * @param intervalTime spacing of the grid, in the model's time unit; finite and positive.
   * @param from first grid time; default the gauge's creation time; not before it.
   * @param to last allowed grid time; default now; not after now.
   * @throws Error when the gauge was created without `series: true`.
   * @throws RangeError on an invalid interval or a range outside `[createdAt, now]` or reversed.
   */
  sample(intervalTime: number, from: number = this.createdAt, to: number = this.clock()): TimePoint[] {
    const times = this.requireSeries("sample")
    const values = this.seriesValues!
    if (!(intervalTime > 0 && intervalTime < Infinity)) {
      throw new RangeError(`sample interval must be finite and positive, got ${intervalTime}`)
    }
    const now = this.clock()
    if (!(from >= this.createdAt))
      throw new RangeError(`sample from ${from} is before the gauge's creation at ${this.createdAt}`)
    if (!(to <= now)) throw new RangeError(`sample to ${to} is after now (${now})`)
    if (!(from <= to)) throw new RangeError(`sample range is reversed: from ${from} to ${to}`)
    const points: TimePoint[] = []
    let change = lastIndexAtOrBefore(times, from)
    for (let k = 0; ; k++) {
      const t = from + k * intervalTime
      if (t > to) break
      while (change + 1 < times.length && times[change + 1]! <= t) change++
      points.push({ t, value: values[change]! })
    }
    return points
  }

  /** The gauge's numbers as a plain object, for JSON reports. */
  summary(): GaugeSummary {
    return { value: this.current, mean: this.mean(), min: this.minValue, max: this.maxValue }
  }

  /** Appends a change point, collapsing changes at the same instant to the last one. */
  /** {@link recordChange}'s rules on a window of one point: what it would keep is fed to the buckets. */
  private feedChange(t: number, value: number): void {
    if (!this.hasPending || this.pendingTime !== t) {
      if (this.hasPending) this.feedPending()
      this.hasPending = true
      this.pendingTime = t
      this.pendingValue = value
    } else if (this.fedAny && this.fedValue === value) {
      this.hasPending = false // the series drops the point: the value fed last goes on
    } else {
      this.pendingValue = value
    }
  }

  private feedPending(): void {
    this.buckets!.record(this.pendingTime, this.pendingValue)
    this.fedValue = this.pendingValue
    this.fedAny = true
  }

  private recordChange(t: number, value: number): void {
    const times = this.seriesTimes!
    const values = this.seriesValues!
    const last = times.length - 1
    if (times[last] !== t) {
      if (times.length >= this.seriesMax) return this.dropSeries()
      times.push(t)
      values.push(value)
    } else if (last > 0 && values[last - 1] === value) {
      times.pop()
      values.pop()
    } else {
      values[last] = value
    }
  }

  private dropSeries(): void {
    this.seriesTimes = undefined
    this.seriesValues = undefined
    this.dropped = true
  }

  private requireSeries(operation: string): number[] {
    if (this.dropped) {
      throw new Error(
        `Gauge.${operation}() has no change points: they outgrew seriesMax (${this.seriesMax}) and were dropped`,
      )
    }
    if (this.seriesTimes === undefined) {
      throw new Error(`Gauge.${operation}() needs the change points: create the gauge with { series: true }`)
    }
    return this.seriesTimes
  }
}

/** Index of the last entry of the sorted `times` that is `<= t`, or 0 when every entry is later. */
function lastIndexAtOrBefore(times: readonly number[], t: number): number {
  let low = 0
  let high = times.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (times[middle]! <= t) low = middle
    else high = middle - 1
  }
  return low
}

// --- Histogram -----------------------------------------------------------------------------------

/** Prometheus's default histogram bucket upper bounds (in seconds there; in the model's unit here). */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
])

/** Options of a {@link Histogram}. */
export interface HistogramOptions {
  /**
   * Upper bounds of the Prometheus buckets, strictly increasing and finite; the `+Inf` bucket is
   * always added (a trailing `Infinity` here is accepted and dropped). Default {@link DEFAULT_BUCKETS}.
   * Pick bounds in the model's unit: a latency in milliseconds wants bounds like 1, 5, 10, 50, 100.
   */
  readonly buckets?: readonly number[]
  /**
   * Keep every observation for exact quantiles. False keeps only the count, sum, min, max and
   * bucket counts (a few numbers, whatever the number of observations): quantiles and
   * {@link Histogram.values} then throw and the summary's quantiles are null. Default true.
   */
  readonly quantiles?: boolean
}

/** One cumulative bucket of a {@link Histogram}: how many observations are `<= le`. */
export interface HistogramBucket {
  /** The bucket's upper bound (inclusive); `Infinity` for the last bucket. */
  readonly le: number
  /** How many observations are at most `le`. */
  readonly count: number
}

/** What a {@link Histogram} reports in a snapshot; `null` where an empty histogram has no answer. */
export interface HistogramSummary {
  /** Number of observations. */
  readonly count: number
  /** Sum of the observations. */
  readonly sum: number
  /** Arithmetic mean, or null when empty. */
  readonly mean: number | null
  /** Smallest observation, or null when empty. */
  readonly min: number | null
  /** Largest observation, or null when empty. */
  readonly max: number | null
  /** Median (nearest rank), or null when empty or kept without observations. */
  readonly p50: number | null
  /** 90th percentile (nearest rank), or null when empty or kept without observations. */
  readonly p90: number | null
  /** 99th percentile (nearest rank), or null when empty or kept without observations. */
  readonly p99: number | null
  /** 99.9th percentile (nearest rank), or null when empty or kept without observations. */
  readonly p999: number | null
}

const INITIAL_OBSERVATION_CAPACITY = 64

function validateBuckets(buckets: readonly number[]): readonly number[] {
  const bounds = buckets.length > 0 && buckets[buckets.length - 1] === Infinity ? buckets.slice(0, -1) : buckets.slice()
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i]!
    requireFinite(bound, "a histogram bucket bound")
    if (i > 0 && !(bound > bounds[i - 1]!)) {
      throw new RangeError(`histogram bucket bounds must be strictly increasing, got ${bounds[i - 1]} then ${bound}`)
    }
  }
  return Object.freeze(bounds)
}

/**
 * A distribution of observations, with exact quantiles: latencies, batch sizes, queue waits.
 *
 * Every observation is kept (8 bytes each, in a `Float64Array` that doubles when full), so
 * quantiles are exact rather than bucket estimates. The first query after new observations sorts
 * them once; further queries in the same batch reuse the order.
 *
 * Quantile method: **nearest rank**. `quantile(q)` is the smallest observation `x` such that at
 * least a fraction `q` of the observations are `<= x`; that is the `k`-th smallest with
 * `k = max(1, ⌈q·n⌉)`. It always returns an observed value (no interpolation): on 1..100,
 * p50 = 50, p90 = 90, p99 = 99, p999 = 100, quantile(0) = 1.
 */
export class Histogram {
  /** Bucket upper bounds, without the implicit `+Inf`. */
  readonly bucketBounds: readonly number[]

  private observations: Float64Array
  /** False when the histogram keeps no observations (option `quantiles: false`). */
  private readonly keeps: boolean
  /** Observations per bucket (not cumulative), the last one `+Inf`'s: a scrape reads them without sorting. */
  private readonly perBucket: Float64Array
  private n = 0
  private total = 0
  private smallest = Infinity
  private largest = -Infinity
  private sorted = true

  /**
   * @param options see {@link HistogramOptions}.
   * @throws RangeError when the bucket bounds are not finite and strictly increasing.
   */
  constructor(options: HistogramOptions = {}) {
    this.bucketBounds = validateBuckets(options.buckets ?? DEFAULT_BUCKETS)
    this.perBucket = new Float64Array(this.bucketBounds.length + 1)
    this.keeps = options.quantiles ?? true
    this.observations = new Float64Array(this.keeps ? INITIAL_OBSERVATION_CAPACITY : 0)
  }

  /** True when the histogram keeps its observations and answers quantiles (option `quantiles`). */
  get keepsObservations(): boolean {
    return this.keeps
  }

  /** Number of observations. */
  get count(): number {
    return this.n
  }

  /** Sum of the observations (0 when empty). */
  get sum(): number {
    return this.total
  }

  /** Arithmetic mean of the observations, or NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n
  }

  /** Smallest observation, or NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.smallest
  }

  /** Largest observation, or NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.largest
  }

  /** Median by nearest rank; NaN when empty. */
  get p50(): number {
    return this.quantile(0.5)
  }

  /** 90th percentile by nearest rank; NaN when empty. */
  get p90(): number {
    return this.quantile(0.9)
  }

  /** 99th percentile by nearest rank; NaN when empty. */
  get p99(): number {
    return this.quantile(0.99)
  }

  /** 99.9th percentile by nearest rank; NaN when empty. */
  get p999(): number {
    return this.quantile(0.999)
  }

  /**
   * Records one observation (`-0` is recorded as `0`).
   *
   * @throws RangeError when `observation` is not finite; nothing is recorded.
   */
  observe(observation: number): void {
    if (!Number.isFinite(observation))
      throw new RangeError(`a histogram observation must be a finite number, got ${observation}`)
    const value = observation + 0 // -0 becomes 0, so min, max and quantiles never show a negative zero
    const n = this.n
    if (this.keeps) {
      if (n === this.observations.length) this.grow()
      if (n > 0 && value < this.observations[n - 1]!) this.sorted = false
      this.observations[n] = value
    }
    this.n = n + 1
    const bounds = this.bucketBounds
    let b = 0
    while (b < bounds.length && value > bounds[b]!) b++
    this.perBucket[b]!++
    this.total += value
    if (value < this.smallest) this.smallest = value
    if (value > this.largest) this.largest = value
  }

  /**
   * The nearest-rank `q`-quantile: the smallest observation `x` with at least `q·n` observations
   * `<= x` (see the class documentation). NaN when empty.
   *
   * @param q a fraction in `[0, 1]`: 0.5 for the median, 0.99 for p99.
   * @throws RangeError when `q` is outside `[0, 1]` or NaN.
   * @throws Error when the histogram keeps no observations (option `quantiles: false`).
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile must be in [0, 1], got ${q}`)
    const n = this.n
    if (n === 0) return NaN
    const data = this.sortedObservations()
    return data[rankOfQuantile(q, n) - 1]!
  }

  /**
   * Cumulative bucket counts for the Prometheus exposition: one entry per bound in
   * {@link bucketBounds}, then `le: Infinity` with the total count.
   */
  buckets(): HistogramBucket[] {
    const result: HistogramBucket[] = []
    let atOrBelow = 0
    this.bucketBounds.forEach((le, b) => {
      atOrBelow += this.perBucket[b]!
      result.push({ le, count: atOrBelow })
    })
    result.push({ le: Infinity, count: this.n })
    return result
  }

  /** The observations in ascending order (a copy). */
  values(): Float64Array {
    return this.sortedObservations().slice()
  }

  /** The histogram's numbers as a plain object, for JSON reports (`null` where empty). */
  summary(): HistogramSummary {
    if (this.n === 0) {
      return { count: 0, sum: 0, mean: null, min: null, max: null, p50: null, p90: null, p99: null, p999: null }
    }
    const kept = this.keeps
    return {
      count: this.n,
      sum: this.total,
      mean: this.mean,
      min: this.smallest,
      max: this.largest,
      p50: kept ? this.p50 : null,
      p90: kept ? this.p90 : null,
      p99: kept ? this.p99 : null,
      p999: kept ? this.p999 : null,
    }
  }

  private sortedObservations(): Float64Array {
    if (!this.keeps) throw new Error("this histogram keeps no observations (created with { quantiles: false })")
    const data = this.observations.subarray(0, this.n)
    if (!this.sorted) {
      data.sort()
      this.sorted = true
    }
    return data
  }

  private grow(): void {
    const grown = new Float64Array(this.observations.length * 2)
    grown.set(this.observations)
    this.observations = grown
  }
}

// --- Summary -------------------------------------------------------------------------------------

/** Options of a {@link Summary}. */
export interface SummaryOptions {
  /**
   * The quantiles it exposes, each in [0, 1], strictly increasing. Default
   * {@link DEFAULT_SUMMARY_QUANTILES} (the quantiles of client_golang's former `DefObjectives`).
   */
  readonly quantiles?: readonly number[]
  /** How long an observation counts for the quantiles, in the clock's unit. Required (10 minutes in the client libraries). */
  readonly maxAge: number
  /** How many staggered windows the age is tracked with. Default 5 (client_golang's `DefAgeBuckets`). */
  readonly ageBuckets?: number
}

/** The quantiles a {@link Summary} exposes by default: 0.5, 0.9 and 0.99. */
export const DEFAULT_SUMMARY_QUANTILES: readonly number[] = Object.freeze([0.5, 0.9, 0.99])

/** What a {@link Summary} reports in a snapshot: all-time count and sum, windowed quantiles (`null` when the window is empty). */
export interface SummarySummary {
  /** Observations ever made. */
  readonly count: number
  /** Sum of every observation ever made. */
  readonly sum: number
  /** The exposed quantiles over the current window, keyed by the quantile as written (`"0.99"`). */
  readonly quantiles: Readonly<Record<string, number | null>>
}

/**
 * A Prometheus summary as the client libraries keep one: an all-time count and sum, and quantiles
 * over a sliding window of recent observations computed in the process (so they cannot be
 * aggregated across processes, unlike a {@link Histogram}'s buckets).
 *
 * The window rotates as client_golang's does: `ageBuckets` streams each receive every observation;
 * every `maxAge / ageBuckets` the oldest stream (the head, the one queried) is emptied and the next
 * one becomes the head. So the quantiles cover the observations since the head's last reset:
 * everything since creation during the first `maxAge`, afterwards between `maxAge − maxAge/ageBuckets`
 * and `maxAge` of history.
 *
 * Simplified: the quantiles are exact (nearest rank over the window, as {@link Histogram.quantile})
 * where client_golang's CKMS streams answer within an error ε (0.05, 0.01, 0.001 in its former
 * defaults), and client_golang's 500-observation buffer, which can carry observations made just
 * before a rotation into the new head, is left out.
 */
export class Summary {
  /** The exposed quantiles. */
  readonly quantiles: readonly number[]
  readonly maxAge: number
  readonly ageBuckets: number
  private readonly clock: Clock
  private readonly createdAt: number
  private times: number[] = []
  private values: number[] = []
  /** Index of the window's first observation in `times` and `values`. */
  private first = 0
  private n = 0
  private total = 0
  private lastTime = -Infinity

  /**
   * @param clock reads the simulated time (`() => sim.now`).
   * @throws RangeError when `maxAge` is not > 0, `ageBuckets` not a positive integer, or a quantile
   *   outside [0, 1] or out of order.
   */
  constructor(clock: Clock, options: SummaryOptions) {
    this.clock = clock
    this.createdAt = clock()
    this.maxAge = options.maxAge
    this.ageBuckets = options.ageBuckets ?? 5
    this.quantiles = Object.freeze((options.quantiles ?? DEFAULT_SUMMARY_QUANTILES).slice())
    if (!(this.maxAge > 0 && this.maxAge < Infinity))
      throw new RangeError(`a summary's maxAge must be > 0, got ${this.maxAge}`)
    if (!(Number.isInteger(this.ageBuckets) && this.ageBuckets >= 1))
      throw new RangeError(`a summary's ageBuckets must be a positive integer, got ${this.ageBuckets}`)
    this.quantiles.forEach((q, i) => {
      if (!(q >= 0 && q <= 1)) throw new RangeError(`a summary quantile must be in [0, 1], got ${q}`)
      if (i > 0 && !(q > this.quantiles[i - 1]!))
        throw new RangeError(`summary quantiles must increase, got ${this.quantiles[i - 1]} then ${q}`)
    })
  }

  /** Observations ever made. */
  get count(): number {
    return this.n
  }

  /** Sum of every observation ever made. */
  get sum(): number {
    return this.total
  }

  /**
   * Records one observation at the clock's time.
   * @throws RangeError when it is not finite, or the clock went backwards.
   */
  observe(observation: number): void {
    requireFinite(observation, "a summary observation")
    const now = this.clock()
    if (now < this.lastTime) throw clockWentBackwards(this.lastTime, now)
    this.lastTime = now
    this.times.push(now)
    this.values.push(observation + 0)
    this.n++
    this.total += observation
  }

  /**
   * When the head stream was last emptied, at the clock's time: the window is the observations
   * made after it (strictly), or since creation (inclusive) before the first `maxAge` has passed.
   */
  windowStart(): number {
    const streamDuration = this.maxAge / this.ageBuckets
    const elapsed = this.clock() - this.createdAt
    // Rotations happen at createdAt + k·streamDuration for k ≥ 1 (once the clock is past them); the
    // head after k rotations was last emptied at rotation k − (ageBuckets − 1), if k ≥ ageBuckets.
    const rotations = Math.max(0, Math.ceil(elapsed / streamDuration) - 1)
    const reset = rotations - (this.ageBuckets - 1)
    return reset >= 1 ? this.createdAt + reset * streamDuration : -Infinity
  }

  /** The observations in the current window, ascending (a copy). */
  windowValues(): Float64Array {
    const start = this.windowStart() // never moves back, so the window's first index never does
    let first = this.first
    while (first < this.times.length && this.times[first]! <= start) first++
    if (first > 0 && first * 2 > this.times.length) {
      this.times = this.times.slice(first)
      this.values = this.values.slice(first)
      first = 0
    }
    this.first = first
    return new Float64Array(this.values.length - first).map((_, i) => this.values[first + i]!).sort()
  }

  /** The nearest-rank `q`-quantile of the window (see the class documentation); NaN when it is empty. */
  quantile(q: number): number {
    return nearestRank(this.windowValues(), q)
  }

  /** The summary's numbers as a plain object, for JSON reports. */
  summary(): SummarySummary {
    const window = this.windowValues()
    const quantiles: Record<string, number | null> = {}
    for (const q of this.quantiles) {
      const value = nearestRank(window, q)
      quantiles[String(q)] = Number.isNaN(value) ? null : value
    }
    return { count: this.n, sum: this.total, quantiles }
  }
}

/** The smallest of `sorted` with at least a fraction `q` at or below it; NaN when empty. */
function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile must be in [0, 1], got ${q}`)
  const n = sorted.length
  if (n === 0) return NaN
  return sorted[rankOfQuantile(q, n) - 1]!
}

// --- TimeSeries ----------------------------------------------------------------------------------

/** What a {@link TimeSeries} reports in a snapshot; `null` where an empty series has no answer. */
export interface TimeSeriesSummary {
  /** Number of points. */
  readonly count: number
  /** The most recent value, or null when empty. */
  readonly last: number | null
  /** Smallest value, or null when empty. */
  readonly min: number | null
  /** Largest value, or null when empty. */
  readonly max: number | null
}

/**
 * Explicit `(t, value)` samples that model code appends: a consumer's lag after every poll, the
 * leader epoch after every election. Unlike a {@link Gauge}, nothing is integrated or inferred
 * between points; the series is exactly what was recorded.
 */
export class TimeSeries {
  private readonly clock: Clock
  private readonly recorded: TimePoint[] = []

  /** @param clock reads the simulated time (`() => sim.now`). */
  constructor(clock: Clock) {
    this.clock = clock
  }

  /** The recorded points, oldest first (times never decrease). */
  get points(): readonly TimePoint[] {
    return this.recorded
  }

  /** Number of recorded points. */
  get length(): number {
    return this.recorded.length
  }

  /**
   * Appends `value` at the current simulated time.
   *
   * @throws RangeError as {@link recordAt} does.
   */
  record(value: number): void {
    this.recordAt(this.clock(), value)
  }

  /**
   * Appends `value` at simulated time `t`; several points may share a time.
   *
   * @throws RangeError when `t` or `value` is not finite, or `t` is before the last point's time.
   */
  recordAt(t: number, value: number): void {
    requireFinite(t, "a time series time")
    requireFinite(value, "a time series value")
    const last = this.recorded[this.recorded.length - 1]
    if (last !== undefined && t < last.t)
      throw new RangeError(`time series times must not decrease: ${t} after ${last.t}`)
    this.recorded.push(Object.freeze({ t, value }))
  }

  /** The series' numbers as a plain object, for JSON reports (`null` where empty). */
  summary(): TimeSeriesSummary {
    const points = this.recorded
    if (points.length === 0) return { count: 0, last: null, min: null, max: null }
    let min = Infinity
    let max = -Infinity
    for (const point of points) {
      if (point.value < min) min = point.value
      if (point.value > max) max = point.value
    }
    return { count: points.length, last: points[points.length - 1]!.value, min, max }
  }
}

// --- Metrics registry ----------------------------------------------------------------------------

/** Label names and values of one instrument in a family: `{ topic: "orders", partition: 0 }`. */
export type Labels = Readonly<Record<string, string | number>>

/** Options of {@link Metrics.gauge}: the gauge's own options plus its labels. */
export interface MetricGaugeOptions extends GaugeOptions {
  /** Labels that tell this gauge apart from others of the same name. Default none. */
  readonly labels?: Labels
}

/** Options of {@link Metrics.histogram}: the histogram's own options plus its labels. */
export interface MetricHistogramOptions extends HistogramOptions {
  /** Labels that tell this histogram apart from others of the same name (`le` is reserved). Default none. */
  readonly labels?: Labels
}

/** Options of {@link Metrics.summary}: the summary's own options plus its labels. */
export interface MetricSummaryOptions extends SummaryOptions {
  /** Labels that tell this summary apart from others of the same name (`quantile` is reserved). Default none. */
  readonly labels?: Labels
}

/** Options of {@link Metrics.toPrometheus}. */
export interface PrometheusOptions {
  /**
   * Also write, for every gauge family `<name>`, the gauge families `<name>_mean` (time-weighted
   * mean since creation), `<name>_min` and `<name>_max` (over every value set), right after it.
   * Throws if one of those names is already registered. Default false.
   */
  readonly gaugeStatistics?: boolean
}

/** The kinds of instrument a {@link Metrics} registry holds. */
export type MetricKind = "counter" | "gauge" | "histogram" | "summary" | "timeSeries"

/** One instrument's summary in a {@link MetricsSnapshot}. */
export type MetricSummary = CounterSummary | GaugeSummary | HistogramSummary | SummarySummary | TimeSeriesSummary

/**
 * A registry's instruments as plain JSON: keys are `name` for unlabelled instruments and
 * `name{label="value",...}` for labelled ones, in registration order.
 */
export type MetricsSnapshot = Record<string, MetricSummary>

type Instrument = Counter | Gauge | Histogram | Summary | TimeSeries

interface Child {
  /** Rendered label pairs, `a="x",b="y"`, in the order of the child's first registration. */
  readonly labelText: string
  readonly instrument: Instrument
}

interface Family {
  readonly name: string
  readonly help: string
  readonly kind: MetricKind
  /** Histograms: bucket bounds shared by every child; summaries: their quantiles, then maxAge and ageBuckets. */
  readonly buckets: readonly number[] | undefined
  /** Gauges: whether children record series. */
  readonly series: boolean
  readonly children: Map<string, Child>
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"] as const
const SUMMARY_SUFFIXES = ["_sum", "_count"] as const

/** Escapes a label value for the exposition format: backslash, double quote and newline. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))
}

/** Escapes a HELP text for the exposition format: backslash and newline. */
function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"))
}

/** Formats a sample value or bucket bound the way Prometheus parses it (`+Inf`, `-Inf`, `NaN`). */
function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf"
  if (value === -Infinity) return "-Inf"
  return String(value)
}

function joinLabels(labelText: string, extra: string): string {
  if (labelText === "") return extra === "" ? "" : `{${extra}}`
  return extra === "" ? `{${labelText}}` : `{${labelText},${extra}}`
}

/**
 * A registry of named instruments that share a clock, written out in the Prometheus text
 * exposition format ({@link toPrometheus}) or as a JSON snapshot ({@link snapshot}).
 *
 * Names follow Prometheus: metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
 * `[a-zA-Z_][a-zA-Z0-9_]*` (not starting with `__`). A family is every instrument of one name;
 * registering the same name and labels again returns the same instrument, so components can ask
 * for their instruments independently. Keep the returned instrument rather than looking it up at
 * every update: a lookup builds a key string, an update allocates nothing.
 *
 * ```ts
 * const metrics = new Metrics(() => sim.now)
 * const waiting = metrics.gauge("queue_length", "Customers waiting.")
 * const served = metrics.counter("customers_served_total", "Customers served.", { server: "s1" })
 * ```
 */
export class Metrics {
  /** The clock every instrument of this registry reads. */
  readonly clock: Clock

  private readonly families = new Map<string, Family>()
  /** Every exposition name in use (histogram suffixes included) → the family that uses it. */
  private readonly reservedNames = new Map<string, string>()

  /** @param clock reads the simulated time (`() => sim.now`). */
  constructor(clock: Clock) {
    this.clock = clock
  }

  /**
   * The counter `name` with these labels, created on first use.
   *
   * @throws Error when `name` is already registered as another kind or with another help text,
   *   or when a name or label is invalid.
   */
  counter(name: string, help: string, labels: Labels = {}): Counter {
    return this.register(name, help, "counter", labels, undefined, false, () => new Counter()) as Counter
  }

  /**
   * The time-weighted gauge `name` with `options.labels`, created on first use (its creation time
   * is the clock's time then). A repeat registration returns the existing gauge and ignores
   * `initial`; `series` must match the family's first registration.
   *
   * @throws Error as {@link counter} does, or when `series` differs within the family.
   */
  gauge(name: string, help: string, options: MetricGaugeOptions = {}): Gauge {
    const series = options.series === true
    const buckets = options.buckets
    const seriesMax = options.seriesMax ?? Infinity
    const create = (): Gauge =>
      new Gauge(this.clock, {
        initial: options.initial ?? 0,
        series,
        seriesMax,
        ...(buckets === undefined ? {} : { buckets }),
      })
    return this.register(name, help, "gauge", options.labels ?? {}, undefined, series, create) as Gauge
  }

  /**
   * The histogram `name` with `options.labels`, created on first use. Every histogram of a family
   * has the same buckets.
   *
   * @throws Error as {@link counter} does, or when the buckets differ within the family or a label
   *   is named `le`.
   */
  histogram(name: string, help: string, options: MetricHistogramOptions = {}): Histogram {
    const buckets = validateBuckets(options.buckets ?? DEFAULT_BUCKETS)
    const quantiles = options.quantiles ?? true
    const create = (): Histogram => new Histogram({ buckets, quantiles })
    return this.register(name, help, "histogram", options.labels ?? {}, buckets, false, create) as Histogram
  }

  /**
   * The summary `name` with `options.labels`, created on first use (its window starts then). Every
   * summary of a family has the same quantiles, `maxAge` and `ageBuckets`.
   *
   * @throws Error as {@link counter} does, or when those options differ within the family or a
   *   label is named `quantile`.
   */
  summary(name: string, help: string, options: MetricSummaryOptions): Summary {
    const fresh = new Summary(this.clock, options) // validates the options before the registry changes
    const shape = [...fresh.quantiles, fresh.maxAge, fresh.ageBuckets]
    return this.register(name, help, "summary", options.labels ?? {}, shape, false, () => fresh) as Summary
  }

  /**
   * The time series `name` with these labels, created on first use. Time series appear in
   * {@link snapshot} but not in {@link toPrometheus} (see the file header).
   *
   * @throws Error as {@link counter} does.
   */
  timeSeries(name: string, help: string, labels: Labels = {}): TimeSeries {
    return this.register(
      name,
      help,
      "timeSeries",
      labels,
      undefined,
      false,
      () => new TimeSeries(this.clock),
    ) as TimeSeries
  }

  /**
   * The registry in the Prometheus text exposition format (version 0.0.4): per family, in
   * registration order, one `# HELP` and one `# TYPE` line, then its samples in registration order.
   * Counters and gauges write their current value; histograms write cumulative
   * `<name>_bucket{le="..."}` samples ending with `le="+Inf"`, then `<name>_sum` and `<name>_count`;
   * summaries write `<name>{quantile="..."}` over their window (NaN when it is empty), then the
   * all-time `<name>_sum` and `<name>_count`.
   * Time series are left out. Empty registry → empty string; otherwise every line ends with `\n`.
   */
  toPrometheus(options: PrometheusOptions = {}): string {
    const lines: string[] = []
    for (const family of this.families.values()) {
      if (family.kind === "timeSeries") continue
      writeHeader(lines, family.name, family.help, family.kind)
      for (const child of family.children.values()) writeSamples(lines, family, child)
      if (family.kind === "gauge" && options.gaugeStatistics === true) this.writeGaugeStatistics(lines, family)
    }
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`
  }

  /**
   * Every instrument's summary as plain JSON, in registration order (see {@link MetricsSnapshot});
   * numbers an empty instrument cannot give are `null`, so `JSON.stringify` is faithful.
   */
  snapshot(): MetricsSnapshot {
    const result: MetricsSnapshot = {}
    for (const family of this.families.values()) {
      for (const child of family.children.values()) {
        const key = child.labelText === "" ? family.name : `${family.name}{${child.labelText}}`
        result[key] = child.instrument.summary()
      }
    }
    return result
  }

  /**
   * Finds or creates the instrument; validates everything before changing the registry, so a
   * rejected registration leaves no trace.
   */
  private register(
    name: string,
    help: string,
    kind: MetricKind,
    labels: Labels,
    buckets: readonly number[] | undefined,
    series: boolean,
    create: () => Instrument,
  ): Instrument {
    if (!METRIC_NAME.test(name))
      throw new Error(`invalid metric name ${JSON.stringify(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`)
    const { key, labelText } = renderLabels(name, kind, labels)
    const family = this.families.get(name)
    if (family !== undefined) {
      checkSameFamily(family, help, kind, buckets, series)
      const existing = family.children.get(key)
      if (existing !== undefined) return existing.instrument
    }
    const suffixes = kind === "histogram" ? HISTOGRAM_SUFFIXES : kind === "summary" ? SUMMARY_SUFFIXES : []
    const names = [name, ...suffixes.map((suffix) => name + suffix)]
    if (family === undefined) {
      for (const used of names) {
        const owner = this.reservedNames.get(used)
        if (owner !== undefined)
          throw new Error(`metric ${name} would write ${used}, which metric ${owner} already writes`)
      }
    }
    const instrument = create()
    let target = family
    if (target === undefined) {
      target = { name, help, kind, buckets, series, children: new Map() }
      this.families.set(name, target)
      for (const used of names) this.reservedNames.set(used, name)
    }
    target.children.set(key, { labelText, instrument })
    return instrument
  }

  private writeGaugeStatistics(lines: string[], family: Family): void {
    const statistics = [
      ["mean", "time-weighted mean since creation", (gauge: Gauge) => gauge.mean()],
      ["min", "smallest value set", (gauge: Gauge) => gauge.min],
      ["max", "largest value set", (gauge: Gauge) => gauge.max],
    ] as const
    for (const [suffix, meaning, read] of statistics) {
      const name = `${family.name}_${suffix}`
      const owner = this.reservedNames.get(name)
      if (owner !== undefined)
        throw new Error(`gauge statistics would write ${name}, which metric ${owner} already writes`)
      writeHeader(lines, name, `${family.help} (${meaning})`, "gauge")
      for (const child of family.children.values()) {
        lines.push(`${name}${joinLabels(child.labelText, "")} ${formatNumber(read(child.instrument as Gauge))}`)
      }
    }
  }
}

/** Throws unless a new registration agrees with the family's kind, help and options. */
function checkSameFamily(
  family: Family,
  help: string,
  kind: MetricKind,
  buckets: readonly number[] | undefined,
  series: boolean,
): void {
  const { name } = family
  if (family.kind !== kind) throw new Error(`metric ${name} is already registered as a ${family.kind}, not a ${kind}`)
  if (family.help !== help) {
    throw new Error(
      `metric ${name} is already registered with help ${JSON.stringify(family.help)}, not ${JSON.stringify(help)}`,
    )
  }
  if (family.series !== series) throw new Error(`gauge ${name} is already registered with series: ${family.series}`)
  if (buckets !== undefined && !sameNumbers(family.buckets!, buckets)) {
    throw new Error(
      `${kind} ${name} is already registered with ${kind === "summary" ? "quantiles, maxAge and ageBuckets" : "buckets"} [${family.buckets!.join(", ")}]`,
    )
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

/** Validates labels; returns the canonical key (sorted names) and the rendered text (given order). */
function renderLabels(metric: string, kind: MetricKind, labels: Labels): { key: string; labelText: string } {
  const pairs: string[] = []
  for (const [name, raw] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new Error(
        `invalid label name ${JSON.stringify(name)} on ${metric}: must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __`,
      )
    }
    if (kind === "histogram" && name === "le")
      throw new Error(`label name le is reserved for the buckets of histogram ${metric}`)
    if (kind === "summary" && name === "quantile")
      throw new Error(`label name quantile is reserved for the quantiles of summary ${metric}`)
    if (typeof raw === "number") requireFinite(raw, `label ${name} of ${metric}`)
    pairs.push(`${name}="${escapeLabelValue(String(raw))}"`)
  }
  const labelText = pairs.join(",")
  const key = pairs.length < 2 ? labelText : pairs.slice().sort().join(",")
  return { key, labelText }
}

function writeHeader(lines: string[], name: string, help: string, kind: Exclude<MetricKind, "timeSeries">): void {
  lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${kind}`)
}

function writeSamples(lines: string[], family: Family, child: Child): void {
  const { name } = family
  const instrument = child.instrument
  if (instrument instanceof Histogram) {
    for (const bucket of instrument.buckets()) {
      lines.push(`${name}_bucket${joinLabels(child.labelText, `le="${formatNumber(bucket.le)}"`)} ${bucket.count}`)
    }
    lines.push(`${name}_sum${joinLabels(child.labelText, "")} ${formatNumber(instrument.sum)}`)
    lines.push(`${name}_count${joinLabels(child.labelText, "")} ${instrument.count}`)
  } else if (instrument instanceof Summary) {
    const window = instrument.windowValues()
    for (const q of instrument.quantiles) {
      const value = nearestRank(window, q)
      lines.push(`${name}${joinLabels(child.labelText, `quantile="${formatNumber(q)}"`)} ${formatNumber(value)}`)
    }
    lines.push(`${name}_sum${joinLabels(child.labelText, "")} ${formatNumber(instrument.sum)}`)
    lines.push(`${name}_count${joinLabels(child.labelText, "")} ${instrument.count}`)
  } else if (instrument instanceof Counter || instrument instanceof Gauge) {
    lines.push(`${name}${joinLabels(child.labelText, "")} ${formatNumber(instrument.value)}`)
  }
}
