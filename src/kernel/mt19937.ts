/**
 * MT19937, the Mersenne Twister of Matsumoto and Nishimura (1998), seeded exactly as CPython's
 * `random.Random(seed)` seeds it, so a model here can draw the very same variates as a SimPy model.
 *
 * Why it exists: the benchmarks cross-check the kernel against SimPy, and models ported from Python
 * should draw what the original drew. If both systems draw the same numbers in the same order, their
 * trajectories must agree to rounding, which turns a port into a differential test of the kernel.
 *
 * Invariants (checked against CPython 3.11 by `test/kernel/mt19937-cpython.test.ts`):
 * - For every integer seed `s` (a safe integer or a bigint of any size), call after call,
 *   `next()` is `random.Random(s).random()`, `getrandbits(k)` is `getrandbits(k)`, and
 *   `randbelow`, `randint`, `randrange`, `choice`, `shuffle` and `sample` return what CPython's
 *   methods of the same name return, consuming the same 32-bit words.
 * - Seeding follows CPython: the seed's absolute value is split into 32-bit words, least
 *   significant first (`[0]` for zero), and fed to the reference `init_by_array`.
 * - `next()` is the reference `genrand_res53`: 53 random bits, uniform on [0, 1).
 * - Integers are drawn by CPython's `_randbelow_with_getrandbits`: take `k = bitLength(n)` bits,
 *   reject while the result is `>= n`. Exact, with no bias, unlike `floor(next() * n)`.
 *
 * Left out: CPython's seeding from strings, bytes and floats (it hashes them), `choices`, `sample`'s
 * `counts`, integer ranges wider than 2^53 (CPython's are unbounded), and state save/restore.
 */
import type { RandomSource } from "./random.ts"

/** Degree of recurrence: the state holds this many 32-bit words. */
const STATE_SIZE = 624
/** Middle word offset of the recurrence. */
const SHIFT_SIZE = 397
/** Coefficients of the rational normal form twist matrix. */
const MATRIX_A = 0x9908b0df
/** Most significant bit of a word. */
const UPPER_MASK = 0x80000000
/** Least significant 31 bits of a word. */
const LOWER_MASK = 0x7fffffff
/** 2^26, the weight of the high 27 bits in `genrand_res53`. */
const TWO_POW_26 = 67108864
/** 2^53, the divisor of `genrand_res53`. */
const TWO_POW_53 = 9007199254740992
/** 2^32, the base of the seed's words. */
const TWO_POW_32 = 4294967296
/** The most bits {@link MersenneTwister.getrandbits} returns as a number (all exactly representable). */
const NUMBER_BITS_MAX = 53
/** Small-set overhead in CPython's `sample`: an n-length list below it beats a k-length set. */
const SAMPLE_SET_SIZE_BASE = 21

/** The number of bits of a positive integer below 2^64: Python's `int.bit_length()`. */
function bitLength(n: number): number {
  return n < TWO_POW_32 ? 32 - Math.clz32(n) : 64 - Math.clz32(Math.floor(n / TWO_POW_32))
}

/** Builds the error for a bad argument, out of line so the drawing methods stay small. */
function invalidArgument(method: string, parameter: string, requirement: string, value: unknown): RangeError {
  return new RangeError(`MersenneTwister.${method}: ${parameter} must be ${requirement}, got ${String(value)}`)
}

/** The seed's absolute value as 32-bit words, least significant first: CPython's `init_by_array` key. */
function seedKey(seed: number | bigint): number[] {
  const key: number[] = []
  if (typeof seed === "bigint") {
    let rest = seed < 0n ? -seed : seed
    do {
      key.push(Number(rest & 0xffffffffn))
      rest >>= 32n
    } while (rest > 0n)
    return key
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a bigint, got ${seed}`)
  let rest = Math.abs(seed)
  do {
    key.push(rest % TWO_POW_32)
    rest = Math.floor(rest / TWO_POW_32)
  } while (rest > 0)
  return key
}

/**
 * The size above which CPython's `sample(population, k)` switches from a pool list to a set of
 * chosen indices: `21 + 4^ceil(log(3k, 4))` for `k > 5`, else 21. Computed in floating point as
 * CPython does (`math.log(3k, 4)` is `log(3k) / log(4)`), since the choice changes the draws.
 */
export function sampleSetSize(k: number): number {
  if (k <= 5) return SAMPLE_SET_SIZE_BASE
  return SAMPLE_SET_SIZE_BASE + 4 ** Math.ceil(Math.log(k * 3) / Math.log(4))
}

/**
 * A Mersenne Twister generator that reproduces CPython's `random.Random(seed).random()`.
 *
 * ```ts
 * const mt = new MersenneTwister(1)
 * mt.next() // 0.13436424411240122, as Python's random.Random(1).random()
 * ```
 */
export class MersenneTwister implements RandomSource {
  private readonly state = new Uint32Array(STATE_SIZE)
  private index = STATE_SIZE + 1

  /**
   * @param seed - a safe integer, or a bigint for seeds beyond 2^53 (Python's ints are unbounded);
   *   negative seeds are seeded by their absolute value, as CPython does
   * @throws RangeError when `seed` is a number but not a safe integer
   */
  constructor(seed: number | bigint) {
    this.initByArray(seedKey(seed))
  }

  /** The next 32-bit output of the generator, an integer in [0, 2^32): reference `genrand_int32`. */
  nextUint32(): number {
    if (this.index >= STATE_SIZE) this.twist()
    let y = this.state[this.index++]!
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** A uniform number in [0, 1) with 53-bit resolution: reference `genrand_res53`, CPython's `random()`. */
  next(): number {
    const a = this.nextUint32() >>> 5
    const b = this.nextUint32() >>> 6
    return (a * TWO_POW_26 + b) / TWO_POW_53
  }

  /**
   * An integer with `k` random bits, uniform in [0, 2^k): CPython's `getrandbits(k)` for
   * `0 <= k <= 53` (bit-exact). `k = 0` returns 0 without drawing; `k <= 32` takes the top `k` bits
   * of one word; `33..53` takes two words, the first as the low 32 bits. Use
   * {@link MersenneTwister.getrandbitsBig} for more than 53 bits.
   */
  getrandbits(k: number): number {
    if (!(Number.isInteger(k) && k >= 0 && k <= NUMBER_BITS_MAX)) {
      throw invalidArgument("getrandbits", "k", "an integer in 0..53 (getrandbitsBig takes more)", k)
    }
    if (k === 0) return 0
    if (k <= 32) return this.nextUint32() >>> (32 - k)
    const low = this.nextUint32()
    return (this.nextUint32() >>> (64 - k)) * TWO_POW_32 + low
  }

  /**
   * An integer with `k` random bits as a bigint, for any `k >= 0`: CPython's `getrandbits(k)`,
   * bit-exact. It draws `ceil(k / 32)` words, least significant first; the last keeps its top bits.
   */
  getrandbitsBig(k: number): bigint {
    if (!(Number.isSafeInteger(k) && k >= 0)) throw invalidArgument("getrandbitsBig", "k", "an integer >= 0", k)
    let result = 0n
    let shift = 0n
    for (let left = k; left > 0; left -= 32) {
      const word = left < 32 ? this.nextUint32() >>> (32 - left) : this.nextUint32()
      result |= BigInt(word) << shift
      shift += 32n
    }
    return result
  }

  /**
   * An integer uniform in [0, n): CPython's `_randbelow_with_getrandbits(n)`, bit-exact. Draws
   * `getrandbits(bitLength(n))` until the result is below `n` (fewer than 2 tries on average;
   * note that a power of two takes one bit more than it needs, as in CPython).
   *
   * @param n - an integer from 1 to 2^53.
   */
  randbelow(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_53)) {
      throw invalidArgument("randbelow", "n", "an integer in 1..2^53", n)
    }
    const k = bitLength(n)
    if (k <= 32) {
      const shift = 32 - k
      let r = this.nextUint32() >>> shift
      while (r >= n) r = this.nextUint32() >>> shift
      return r
    }
    // k = 54 only for n = 2^53; a result of 2^53 or more may round, but it is rejected all the same.
    const shift = 64 - k
    for (;;) {
      const low = this.nextUint32()
      const r = (this.nextUint32() >>> shift) * TWO_POW_32 + low
      if (r < n) return r
    }
  }

  /**
   * An integer uniform in `a..b`, both ends included: CPython's `randint(a, b)`, bit-exact
   * (`a + randbelow(b - a + 1)`).
   *
   * @param a - the lowest value; a safe integer.
   * @param b - the highest value; a safe integer with `0 <= b - a < 2^53`.
   */
  randint(a: number, b: number): number {
    if (!Number.isSafeInteger(a)) throw invalidArgument("randint", "a", "a safe integer", a)
    if (!(Number.isSafeInteger(b) && b >= a && b - a < TWO_POW_53)) {
      throw invalidArgument("randint", "b", `a safe integer with 0 <= b - a < 2^53 (a = ${a})`, b)
    }
    return a + this.randbelow(b - a + 1)
  }

  /**
   * A value uniform in `range(start, stop, step)`: CPython's `randrange`, bit-exact.
   * `randrange(stop)` draws from `0..stop - 1`. The range must not be empty and may hold at most
   * 2^53 values.
   *
   * @param start - a safe integer; with `stop` omitted, the (exclusive) stop, an integer in 1..2^53.
   * @param stop - a safe integer; omitted means `range(start)`.
   * @param step - a non-zero safe integer. Default 1; must be 1 when `stop` is omitted.
   */
  randrange(start: number, stop?: number, step = 1): number {
    if (stop === undefined) {
      if (step !== 1) throw invalidArgument("randrange", "step", "1 when stop is omitted", step)
      if (Number.isInteger(start) && start > 0 && start <= TWO_POW_53) return this.randbelow(start)
      throw invalidArgument("randrange", "stop", "an integer in 1..2^53 (a non-empty range)", start)
    }
    if (!Number.isSafeInteger(start)) throw invalidArgument("randrange", "start", "a safe integer", start)
    if (!Number.isSafeInteger(stop)) throw invalidArgument("randrange", "stop", "a safe integer", stop)
    if (!(Number.isSafeInteger(step) && step !== 0)) {
      throw invalidArgument("randrange", "step", "a non-zero safe integer", step)
    }
    const width = stop - start
    if (step === 1 && width > 0 && width < TWO_POW_53) return start + this.randbelow(width)
    return this.randrangeStepped(start, stop, step)
  }

  /**
   * One element of `items`, each equally likely: CPython's `choice`, bit-exact
   * (`items[randbelow(length)]`).
   *
   * @throws RangeError when `items` is empty (CPython raises IndexError).
   */
  choice<T>(items: ArrayLike<T>): T {
    if (items.length === 0) throw invalidArgument("choice", "items.length", "> 0", 0)
    return items[this.randbelow(items.length)] as T
  }

  /**
   * Shuffles `items` in place: CPython's `shuffle`, bit-exact. For `i` from `length - 1` down to 1,
   * swaps `items[i]` with `items[randbelow(i + 1)]`. Returns nothing, like CPython.
   */
  shuffle(items: unknown[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1)
      const held = items[i]
      items[i] = items[j]
      items[j] = held
    }
  }

  /**
   * `k` distinct elements of `population` (distinct by position), in selection order: CPython's
   * `sample(population, k)`, bit-exact, including its switch between a pool list and a set of
   * chosen indices ({@link sampleSetSize}). `population` is left unchanged.
   *
   * @param k - an integer in `0..population.length`.
   */
  sample<T>(population: ArrayLike<T>, k: number): T[] {
    const n = population.length
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
      throw invalidArgument("sample", "k", `an integer in 0..${n} (the population's length)`, k)
    }
    const result: T[] = new Array<T>(k)
    if (n <= sampleSetSize(k)) {
      const pool = Array.from(population)
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i)
        result[i] = pool[j] as T
        pool[j] = pool[n - i - 1] as T
      }
      return result
    }
    const selected = new Set<number>()
    for (let i = 0; i < k; i++) {
      let j = this.randbelow(n)
      while (selected.has(j)) j = this.randbelow(n)
      selected.add(j)
      result[i] = population[j] as T
    }
    return result
  }

  /** `randrange` with a step other than 1, or a width of 2^53: exact integer arithmetic in bigints. */
  private randrangeStepped(start: number, stop: number, step: number): number {
    const width = BigInt(stop) - BigInt(start)
    const bigStep = BigInt(step)
    // CPython's (width + step - 1) // step, or (width + step + 1) // step for a negative step;
    // bigint division truncates, which only differs from floor when the count is <= 0 anyway.
    const count = (step > 0 ? width + bigStep - 1n : width + bigStep + 1n) / bigStep
    if (count <= 0n) throw invalidArgument("randrange", "stop", `reachable from start ${start} by step ${step}`, stop)
    if (count > BigInt(TWO_POW_53)) {
      throw invalidArgument("randrange", "range", "at most 2^53 values", `${count} values`)
    }
    return Number(BigInt(start) + bigStep * BigInt(this.randbelow(Number(count))))
  }

  /** Reference `init_genrand`: fills the state from one 32-bit word. */
  private initGenrand(seed: number): void {
    const mt = this.state
    mt[0] = seed >>> 0
    for (let i = 1; i < STATE_SIZE; i++) {
      const previous = mt[i - 1]!
      mt[i] = Math.imul(1812433253, previous ^ (previous >>> 30)) + i
    }
    this.index = STATE_SIZE
  }

  /** Reference `init_by_array`: mixes a key of 32-bit words into the state. */
  private initByArray(key: readonly number[]): void {
    const mt = this.state
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(STATE_SIZE, key.length); k > 0; k--) {
      const previous = mt[i - 1]!
      mt[i] = (mt[i]! ^ Math.imul(previous ^ (previous >>> 30), 1664525)) + key[j]! + j
      i++
      j++
      if (i >= STATE_SIZE) {
        mt[0] = mt[STATE_SIZE - 1]!
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = STATE_SIZE - 1; k > 0; k--) {
      const previous = mt[i - 1]!
      mt[i] = (mt[i]! ^ Math.imul(previous ^ (previous >>> 30), 1566083941)) - i
      i++
      if (i >= STATE_SIZE) {
        mt[0] = mt[STATE_SIZE - 1]!
        i = 1
      }
    }
    mt[0] = UPPER_MASK
  }

  /** Generates the next 624 words of the state at once (the "twist"). */
  private twist(): void {
    const mt = this.state
    let k = 0
    for (; k < STATE_SIZE - SHIFT_SIZE; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK)
      mt[k] = mt[k + SHIFT_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    for (; k < STATE_SIZE - 1; k++) {
      const y = (mt[k]! & UPPER_MASK) | (mt[k + 1]! & LOWER_MASK)
      mt[k] = mt[k + SHIFT_SIZE - STATE_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    const y = (mt[STATE_SIZE - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK)
    mt[STATE_SIZE - 1] = mt[SHIFT_SIZE - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    this.index = 0
  }
}
