/**
 * Random streams: named, independent sources of random numbers, and the distributions drawn from them.
 *
 * Think of a casino where every table has its own sealed deck, shuffled from the house seed and the
 * table's name. Opening a new table, or dealing faster at one, never changes the cards at another.
 * Here every component draws from its own {@link RandomStream}, keyed by a name path such as
 * `"arrivals"` or `"broker-0/disk"`; the stream's sequence depends only on the run's seed and that
 * key. Adding a component, a trace line, or one more draw somewhere else leaves every other
 * stream's draws as they were, so a diff between two runs shows only what really changed.
 *
 * Invariants:
 * - A stream's sequence is a function of its source alone; the default source is `seedrandom`'s
 *   alea generator keyed by `${seed}/${key}`, producing 53-bit doubles in [0, 1).
 * - `fork(name)` and `RandomStreams.get(key)` depend on keys only, never on how many draws any
 *   stream has made; `streams.get("a").fork("b")` is the very object `streams.get("a/b")`.
 * - `exponential`, `uniform`, `normal`, `logNormal` and `pareto` use CPython's `random` formulas
 *   (`expovariate`, `uniform`, `normalvariate`, `lognormvariate`, `paretovariate`). On a
 *   `MersenneTwister` source, `next`, `uniform`, `normal` and `bernoulli` (`random() < p`) draw
 *   CPython's values bit for bit; `exponential`, `logNormal` and `pareto` consume the same draws
 *   but differ in the last bit on 7–10% of values, because V8's `Math.log`/`exp`/`pow` round
 *   differently from the C library CPython calls (measured on 100,000 draws each).
 * - `integer`, `pick` and `shuffle` draw integers with the source's `randbelow` when it has one
 *   (`MersenneTwister` does), which makes them CPython's `randint`, `choice` and `shuffle`, bit
 *   for bit; otherwise with `floor(next() · n)`, one draw each (the default alea streams).
 * - Bad parameters throw a RangeError naming the stream, the parameter and the value.
 *
 * Left out on purpose: saving and restoring generator state (rerun from the seed instead), gamma,
 * beta and Weibull variates (no lesson needs them yet), and anything that reads entropy or a clock.
 */
import seedrandom from "seedrandom"

/** A generator of uniform numbers in [0, 1): the one thing a {@link RandomStream} needs. */
export interface RandomSource {
  /** The next number, uniform in [0, 1). */
  next(): number
  /**
   * Optional: an integer uniform in [0, n) for an integer `1 <= n <= 2^53`. When present,
   * {@link RandomStream.integer}, {@link RandomStream.pick} and {@link RandomStream.shuffle} draw
   * with it instead of `floor(next() · n)`, so a source can impose its own exact algorithm
   * (`MersenneTwister`'s is CPython's `_randbelow`).
   */
  randbelow?(n: number): number
}

/** A source that draws its own integers. */
type IntegerSource = RandomSource & { randbelow(n: number): number }

/** Separator between the names of a stream's key path (`"broker-0/disk"`). */
const KEY_SEPARATOR = "/"

/** `4·e^(-1/2)/√2`, the constant of the Kinderman–Monahan ratio method (CPython's `NV_MAGICCONST`). */
const NORMAL_MAGIC = (4 * Math.exp(-0.5)) / Math.SQRT2

/** Largest rank count {@link RandomStream.zipf} accepts: its table takes 8 bytes per rank. */
const ZIPF_N_MAX = 10_000_000

/** What {@link RandomStream.zipf} asks of `n`, built once rather than in the throw branch. */
const ZIPF_N_REQUIREMENT = `an integer in 1..${ZIPF_N_MAX}`

/** 2^53: `integer(min, max)` needs `max - min` below it so that `max - min + 1` is exact. */
const TWO_POW_53 = 9007199254740992

/** How many Zipf tables are kept across all streams before the oldest is dropped. */
const ZIPF_CACHE_SIZE = 32

/** Cumulative Zipf probabilities, keyed `${n}|${s}`, oldest first (a pure cache: order never matters to draws). */
const zipfTables = new Map<string, Float64Array>()

/** Formats a parameter value for an error message: strings quoted, `-0` kept. */
function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value)
  if (Object.is(value, -0)) return "-0"
  return String(value)
}

/**
 * Builds the error for a bad parameter (out of line: see
 * docs/kernel-performance.md#cold-error-builders).
 */
/** The error of `exponential` with a bad rate (a small call site, so `exponential` stays small). */
function invalidRate(key: string, rate: number): RangeError {
  return invalidParameter(key, "exponential", "rate", "finite and > 0", rate)
}

function invalidParameter(
  key: string,
  method: string,
  parameter: string,
  requirement: string,
  value: unknown,
): RangeError {
  const got = describeValue(value)
  return new RangeError(`random stream "${key}": ${method}: ${parameter} must be ${requirement}, got ${got}`)
}

/** Builds the error for a bad `uniform(min, max)`, naming whichever bound is at fault. */
function invalidUniformRange(key: string, min: number, max: number): RangeError {
  if (!Number.isFinite(min)) return invalidParameter(key, "uniform", "min", "finite", min)
  if (!Number.isFinite(max)) return invalidParameter(key, "uniform", "max", "finite", max)
  if (max < min) return invalidParameter(key, "uniform", "max", `>= min (${min})`, max)
  return invalidParameter(key, "uniform", "max - min", "finite", max - min)
}

/** Builds the error for a bad `integer(min, max)`, naming whichever bound is at fault. */
function invalidIntegerRange(key: string, min: number, max: number): RangeError {
  if (!Number.isSafeInteger(min)) return invalidParameter(key, "integer", "min", "a safe integer", min)
  if (!Number.isSafeInteger(max)) return invalidParameter(key, "integer", "max", "a safe integer", max)
  if (max < min) return invalidParameter(key, "integer", "max", `>= min (${min})`, max)
  return invalidParameter(key, "integer", "max - min", "< 2^53", max - min)
}

/** Builds the error for a bad stream name (an empty string or not a string); `where` names the caller. */
function invalidName(where: string, name: unknown): RangeError {
  return new RangeError(`${where}: name must be a non-empty string, got ${describeValue(name)}`)
}

/** Builds the error for forking a stream that was built without a way to derive children. */
function cannotFork(key: string): Error {
  return new Error(
    `random stream "${key}": fork: this stream has no way to derive children; ` +
      "create it through RandomStreams or seededStream",
  )
}

/** The cumulative distribution of Zipf(n, s) over ranks 1..n, built once per (n, s) and cached. */
function zipfTable(n: number, s: number): Float64Array {
  const cacheKey = `${n}|${s}`
  const cached = zipfTables.get(cacheKey)
  if (cached !== undefined) return cached
  const cdf = new Float64Array(n)
  let total = 0
  for (let rank = 1; rank <= n; rank++) {
    total += 1 / Math.pow(rank, s)
    cdf[rank - 1] = total
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / total
  // Rounding may leave the last entry a hair below 1; pin it so every draw in [0, 1) finds a rank.
  cdf[n - 1] = 1
  if (zipfTables.size >= ZIPF_CACHE_SIZE) {
    const oldest = zipfTables.keys().next().value
    if (oldest !== undefined) zipfTables.delete(oldest)
  }
  zipfTables.set(cacheKey, cdf)
  return cdf
}

/** The default source: alea keyed by `${seed}/${key}`, yielding 53-bit doubles. */
function aleaSource(seed: number | string, key: string): RandomSource {
  const prng = seedrandom.alea(`${seed}${KEY_SEPARATOR}${key}`)
  return { next: prng.double }
}

/**
 * A named stream of random numbers and the distributions built on it.
 *
 * Create streams through {@link RandomStreams} (or {@link seededStream}), so that each has its own
 * seeded source and can {@link RandomStream.fork | fork}. Wrap any other generator directly:
 *
 * ```ts
 * const stream = new RandomStream(new MersenneTwister(1), "bench")   // from ./mt19937.ts
 * const delay = stream.exponential(1)   // CPython's expovariate(1) on the same source
 * ```
 */
export class RandomStream {
  /** The stream's name path, e.g. `"arrivals"` or `"broker-0/disk"`. */
  readonly key: string
  private readonly source: RandomSource
  /** The source again when it has `randbelow`, else undefined: decides how integers are drawn. */
  private readonly integerSource: IntegerSource | undefined
  private readonly forkWith: ((key: string) => RandomStream) | undefined
  /** The last Zipf table used, so repeated draws with the same (n, s) skip the cache lookup. */
  private zipfN = 0
  private zipfS = Number.NaN
  private zipfCdf: Float64Array | undefined = undefined

  /**
   * @param source - the generator of uniform numbers in [0, 1).
   * @param key - the stream's name path, shown in error messages. Default `"stream"`.
   * @param forkWith - returns the stream for a child key (`${key}/${name}`); {@link RandomStreams}
   *   passes its own `get`. Without it, {@link RandomStream.fork} throws.
   */
  constructor(source: RandomSource, key = "stream", forkWith?: (key: string) => RandomStream) {
    this.source = source
    this.integerSource = typeof source.randbelow === "function" ? (source as IntegerSource) : undefined
    this.key = key
    this.forkWith = forkWith
  }

  /** The next number, uniform in [0, 1). */
  next(): number {
    return this.source.next()
  }

  /**
   * A number uniform in [min, max) (max itself only through floating-point rounding), as CPython's
   * `uniform`: `min + (max - min) · next()`, bit for bit on a `MersenneTwister` (only exact IEEE
   * operations). Requires a finite `max - min >= 0`.
   */
  uniform(min: number, max: number): number {
    const width = max - min
    if (!(width >= 0 && width < Infinity)) throw invalidUniformRange(this.key, min, max)
    return min + width * this.source.next()
  }

  /**
   * An integer uniform in `min..max`, both ends included. Both must be safe integers with
   * `0 <= max - min < 2^53`. With a source that has `randbelow` (a `MersenneTwister`), this is
   * CPython's `randint(min, max)`, bit for bit; otherwise `min + floor(next() · (max - min + 1))`.
   */
  integer(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && max >= min && max - min < TWO_POW_53)) {
      throw invalidIntegerRange(this.key, min, max)
    }
    return min + this.below(max - min + 1)
  }

  /**
   * An exponential variate with the given rate (mean `1 / rate`): CPython's `expovariate` formula,
   * `-ln(1 - next()) / rate`, one draw. Not bit-exact with CPython: V8's `Math.log` rounds
   * differently from the C library's on 7.39% of draws (100,000 measured on a `MersenneTwister`),
   * which then differ by one unit in the last place; the draws consumed are the same. Never
   * negative: if the source returns exactly 0 the result is `-0`, as in CPython, which adds to a
   * clock like 0.
   *
   * @param rate - events per unit of time; must be finite and > 0.
   */
  exponential(rate: number): number {
    if (!(rate > 0 && rate < Infinity)) throw invalidRate(this.key, rate)
    return -Math.log(1 - this.source.next()) / rate
  }

  /**
   * A normal variate, by CPython's `normalvariate` (Kinderman–Monahan ratio of uniforms: two draws
   * per attempt, about 1.37 attempts on average). Bit-exact with CPython on a `MersenneTwister`
   * (100,000 draws measured): its one `Math.log` only decides acceptance, and no draw fell on the
   * last-bit boundary where V8 and the C library could disagree.
   *
   * @param mean - the mean; finite.
   * @param sd - the standard deviation; finite and >= 0 (0 returns `mean` after one attempt).
   */
  normal(mean: number, sd: number): number {
    if (!Number.isFinite(mean)) throw invalidParameter(this.key, "normal", "mean", "finite", mean)
    if (!(sd >= 0 && sd < Infinity)) throw invalidParameter(this.key, "normal", "sd", "finite and >= 0", sd)
    return mean + this.standardNormal() * sd
  }

  /**
   * A log-normal variate: `e^X` with X normal of mean `mu` and standard deviation `sigma`
   * (CPython's `lognormvariate`). Its mean is `e^(mu + sigma²/2)`. Not bit-exact with CPython:
   * V8's `Math.exp` puts 9.81% of draws one unit in the last place off (100,000 measured on a
   * `MersenneTwister`, mu 0, sigma 1); the draws consumed are the same.
   *
   * @param mu - the mean of the underlying normal; finite.
   * @param sigma - the standard deviation of the underlying normal; finite and >= 0.
   */
  logNormal(mu: number, sigma: number): number {
    if (!Number.isFinite(mu)) throw invalidParameter(this.key, "logNormal", "mu", "finite", mu)
    if (!(sigma >= 0 && sigma < Infinity)) {
      throw invalidParameter(this.key, "logNormal", "sigma", "finite and >= 0", sigma)
    }
    return Math.exp(mu + this.standardNormal() * sigma)
  }

  /**
   * A Pareto variate, never below `scale`: `scale · (1 - next())^(-1/alpha)` (CPython's
   * `paretovariate` times `scale`). Heavy-tailed: the mean is `alpha·scale/(alpha - 1)` when
   * `alpha > 1` and infinite otherwise. Not bit-exact with CPython: V8's `Math.pow` puts 9.37% of
   * draws one unit in the last place off (100,000 measured on a `MersenneTwister`, alpha 1.5).
   *
   * @param alpha - the shape (tail index); must be > 0. Smaller means heavier tail.
   * @param scale - the minimum value; must be finite and > 0. Default 1.
   */
  pareto(alpha: number, scale = 1): number {
    if (!(alpha > 0 && alpha < Infinity)) throw invalidParameter(this.key, "pareto", "alpha", "finite and > 0", alpha)
    if (!(scale > 0 && scale < Infinity)) throw invalidParameter(this.key, "pareto", "scale", "finite and > 0", scale)
    return scale * Math.pow(1 - this.source.next(), -1 / alpha)
  }

  /**
   * A Zipf rank in `1..n` with `P(k) ∝ 1/k^s`: rank 1 is the most popular key, rank 2 half as
   * popular when `s = 1`, and so on. One draw per call, by binary search in a cumulative table that
   * is built once per `(n, s)` (O(n) time and 8·n bytes) and shared by all streams.
   *
   * @param n - the number of ranks; an integer in 1..10,000,000.
   * @param s - the exponent; finite and >= 0 (0 is uniform over ranks).
   */
  zipf(n: number, s: number): number {
    let cdf = this.zipfCdf
    if (cdf === undefined || n !== this.zipfN || s !== this.zipfS) {
      if (!(Number.isInteger(n) && n >= 1 && n <= ZIPF_N_MAX)) {
        throw invalidParameter(this.key, "zipf", "n", ZIPF_N_REQUIREMENT, n)
      }
      if (!(s >= 0 && s < Infinity)) throw invalidParameter(this.key, "zipf", "s", "finite and >= 0", s)
      cdf = zipfTable(n, s)
      this.zipfCdf = cdf
      this.zipfN = n
      this.zipfS = s
    }
    const u = this.source.next()
    let low = 0
    let high = n - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((cdf[middle] as number) > u) high = middle
      else low = middle + 1
    }
    return low + 1
  }

  /**
   * True with the given probability: `next() < probability`, one draw (Python's
   * `random() < probability`, bit for bit on a `MersenneTwister`).
   *
   * @param probability - a fraction in [0, 1]; 0 is never true, 1 always.
   */
  bernoulli(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw invalidParameter(this.key, "bernoulli", "probability", "in [0, 1]", probability)
    }
    return this.source.next() < probability
  }

  /**
   * One element of `items`, each equally likely: `items[below(length)]`, which on a
   * `MersenneTwister` is CPython's `choice`, bit for bit. Throws on an empty array.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw invalidParameter(this.key, "pick", "items.length", "> 0", items.length)
    return items[this.below(items.length)] as T
  }

  /**
   * A new array with the elements of `items` in random order: Fisher–Yates from the last index
   * down, swapping index `i` with `below(i + 1)`, which on a `MersenneTwister` is CPython's
   * `shuffle`, bit for bit. `items` itself is left unchanged.
   */
  shuffle<T>(items: readonly T[]): T[] {
    const result = items.slice()
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      const held = result[i] as T
      result[i] = result[j] as T
      result[j] = held
    }
    return result
  }

  /**
   * The child stream `${key}/${name}`. Its sequence depends on this stream's key and `name` only,
   * never on how many draws this stream has made; forking the same name again returns the same
   * stream. Throws if this stream was built without `forkWith`.
   *
   * @param name - a non-empty name; a name containing `/` is a path of nested forks.
   */
  fork(name: string): RandomStream {
    if (typeof name !== "string" || name.length === 0) throw invalidName(`random stream "${this.key}": fork`, name)
    if (this.forkWith === undefined) throw cannotFork(this.key)
    return this.forkWith(this.key + KEY_SEPARATOR + name)
  }

  /** An integer uniform in [0, n): the source's `randbelow` if it has one, else `floor(next() · n)`. */
  private below(n: number): number {
    const integerSource = this.integerSource
    return integerSource === undefined ? Math.floor(this.source.next() * n) : integerSource.randbelow(n)
  }

  /** A standard normal variate by CPython's `normalvariate` loop (Kinderman–Monahan). */
  private standardNormal(): number {
    for (;;) {
      const u1 = this.source.next()
      const u2 = 1 - this.source.next()
      const z = (NORMAL_MAGIC * (u1 - 0.5)) / u2
      if ((z * z) / 4 <= -Math.log(u2)) return z
    }
  }
}

/**
 * @internal Throws the RangeError a bad seed gets (a seed is a finite number or a string), so a
 * simulation refuses it when built, before it makes its streams.
 */
export function checkSeed(seed: unknown): void {
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) {
    throw new RangeError(`RandomStreams: seed must be a finite number or a string, got ${describeValue(seed)}`)
  }
}

/**
 * The random streams of one run, all derived from its seed. `sim.random(name)` hands them out.
 *
 * ```ts
 * const streams = new RandomStreams(42)
 * const arrivals = streams.get("arrivals")
 * const gap = arrivals.exponential(0.9)
 * ```
 */
export class RandomStreams {
  /** The run's seed. The number `1` and the string `"1"` give the same streams. */
  readonly seed: number | string
  private readonly sourceFor: (key: string) => RandomSource
  /** Every stream handed out so far, in creation order. */
  private readonly streams = new Map<string, RandomStream>()
  private readonly forkWith = (key: string): RandomStream => this.get(key)

  /**
   * @param seed - the run's seed: a finite number or a string.
   * @param sourceFor - builds the generator for a stream key; default alea keyed by `${seed}/${key}`.
   */
  constructor(seed: number | string, sourceFor?: (key: string) => RandomSource) {
    checkSeed(seed)
    this.seed = seed
    this.sourceFor = sourceFor ?? ((key) => aleaSource(seed, key))
  }

  /**
   * The stream for `name`, created on first use; the same object every later time. A name with
   * `/` is a fork path: `get("a/b")` is `get("a").fork("b")`.
   */
  get(name: string): RandomStream {
    const existing = this.streams.get(name)
    if (existing !== undefined) return existing
    if (typeof name !== "string" || name.length === 0) throw invalidName("RandomStreams.get", name)
    const stream = new RandomStream(this.sourceFor(name), name, this.forkWith)
    this.streams.set(name, stream)
    return stream
  }

  /**
   * A new stream that makes the draws of {@link get | get(name)} from its first one, without
   * touching that stream: for looking ahead (the time of a run's last arrival, say) before the
   * run draws. Its forks are replays too.
   */
  replay(name: string): RandomStream {
    if (typeof name !== "string" || name.length === 0) throw invalidName("RandomStreams.replay", name)
    return new RandomStream(this.sourceFor(name), name, (key) => this.replay(key))
  }
}

/**
 * A single stream keyed by `seed` and `name`, with the same draws as `new RandomStreams(seed).get(name)`:
 * alea seeded with `${seed}/${name}`, 53-bit doubles. Its forks live in a registry of their own.
 */
export function seededStream(seed: number | string, name: string): RandomStream {
  return new RandomStreams(seed).get(name)
}
