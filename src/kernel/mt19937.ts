/**
 * MT19937, the Mersenne Twister of Matsumoto and Nishimura (1998), seeded exactly as CPython's
 * `random.Random(seed)` seeds it, so a model here can draw the very same variates as a SimPy model.
 *
 * Why it exists: the benchmarks cross-check the kernel against SimPy. If both systems draw the same
 * numbers in the same order, their trajectories (event counts, end times, mean waits) must agree to
 * rounding, which turns a speed benchmark into a differential test of the kernel's semantics.
 *
 * Invariants:
 * - `new MersenneTwister(s).next()` returns, call after call, what CPython's
 *   `random.Random(s).random()` returns, for every integer `0 <= s <= Number.MAX_SAFE_INTEGER`.
 * - Seeding follows CPython: the seed's absolute value is split into 32-bit words, least
 *   significant first (`[0]` for zero), and fed to the reference `init_by_array`.
 * - `next()` is the reference `genrand_res53`: 53 random bits, uniform on [0, 1).
 *
 * Left out: CPython's seeding from strings, bytes and floats (it hashes them), `getrandbits`,
 * `jumpahead`, and state save/restore. The kernel's own streams use `seedrandom`; this generator is
 * for cross-checks against Python.
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
   * @param seed - an integer from 0 to `Number.MAX_SAFE_INTEGER`; negative integers are seeded
   *   by their absolute value, as CPython does
   * @throws RangeError when `seed` is not a safe integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be a safe integer, got ${seed}`)
    }
    let rest = Math.abs(seed)
    const key: number[] = []
    do {
      key.push(rest % TWO_POW_32)
      rest = Math.floor(rest / TWO_POW_32)
    } while (rest > 0)
    this.initByArray(key)
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
