/**
 * Python's module-level `random`, as the SimPy examples use it (`random.seed(42)`, then
 * `random.expovariate(...)`, `random.randint(...)`), on the kernel's {@link MersenneTwister}.
 *
 * `expovariate`, `uniform` and `normalvariate` are the kernel's `RandomStream` formulas over the
 * Mersenne Twister (CPython's formulas; V8's `Math.log` may differ from CPython's in the last bit).
 * `randint` and `choice` call the Mersenne Twister's CPython-exact methods (`getrandbits` with
 * rejection) when the kernel has them; a kernel without them gets what a model on it would write,
 * `RandomStream.integer` and `pick` (`floor(random() * n)`), which draw other numbers than CPython.
 */
import { MersenneTwister, RandomStream } from "../../../src/kernel/index.ts"

/** CPython's integer methods, as the kernel's Mersenne Twister may provide them. */
interface CPythonIntegerMethods {
  randint(a: number, b: number): number
  choice<T>(items: readonly T[]): T
}

/** A seeded `random.Random`. */
export class PyRandom {
  private readonly mt: MersenneTwister
  private readonly stream: RandomStream

  /** `random.seed(seed)` for an integer seed. */
  constructor(seed: number) {
    this.mt = new MersenneTwister(seed)
    this.stream = new RandomStream(this.mt, "python")
  }

  /** True when the kernel's Mersenne Twister has CPython's `randint` and `choice`. */
  static get cpythonIntegers(): boolean {
    const methods = MersenneTwister.prototype as Partial<CPythonIntegerMethods>
    return typeof methods.randint === "function" && typeof methods.choice === "function"
  }

  /** `random.random()`. */
  random(): number {
    return this.mt.next()
  }

  /** `random.expovariate(lambd)`. */
  expovariate(lambd: number): number {
    return this.stream.exponential(lambd)
  }

  /** `random.uniform(a, b)`. */
  uniform(a: number, b: number): number {
    return this.stream.uniform(a, b)
  }

  /** `random.normalvariate(mu, sigma)`. */
  normalvariate(mu: number, sigma: number): number {
    return this.stream.normal(mu, sigma)
  }

  /** `random.randint(a, b)`. */
  randint(a: number, b: number): number {
    if (PyRandom.cpythonIntegers) return (this.mt as unknown as CPythonIntegerMethods).randint(a, b)
    return this.stream.integer(a, b)
  }

  /** `random.choice(items)`. */
  choice<T>(items: readonly T[]): T {
    if (PyRandom.cpythonIntegers) return (this.mt as unknown as CPythonIntegerMethods).choice(items)
    return this.stream.pick(items)
  }
}
