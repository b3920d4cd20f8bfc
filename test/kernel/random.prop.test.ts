/**
 * Properties of named random streams: same keys give the same draws, streams never disturb one
 * another, forks ignore the parent's draws, every distribution stays inside its support, and the
 * MersenneTwister's integer methods stay in range for any seed and bound up to 2^53.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/random.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../src/kernel/mt19937.ts"
import { type RandomSource, RandomStream, RandomStreams } from "../../src/kernel/random.ts"
import { FC_SEED } from "../laws/index.ts"

const REPLAY = `FC_SEED=${FC_SEED} npx vitest run test/kernel/random.prop.test.ts`

/** Runs a property with the suite's seed; a failure names the seed and the command that replays it. */
function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns = 100): void {
  const details = fc.check(property, { seed: FC_SEED, numRuns })
  if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\nreplay: ${REPLAY}`)
}

/** Plays back a fixed list of uniforms in a loop: lets fast-check choose edge draws such as 0. */
class CyclingSource implements RandomSource {
  private index = 0
  constructor(private readonly values: readonly number[]) {}
  next(): number {
    const value = this.values[this.index % this.values.length] as number
    this.index++
    return value
  }
}

const seedArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.string({ maxLength: 12 }))
const nameArb = fc.string({ minLength: 1, maxLength: 10 })
/** Uniforms in [0, 1), with 0 and the largest double below 1 drawn often. */
const uniformArb = fc.oneof(
  fc.constantFrom(0, 1 - 2 ** -53, 0.5),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
)
const sourceArb = fc.array(uniformArb, { minLength: 1, maxLength: 20 })

function draws(stream: RandomStream, count: number): number[] {
  return Array.from({ length: count }, () => stream.next())
}

describe(`RandomStreams properties (FC_SEED=${FC_SEED})`, () => {
  it("gives the same seed and name identical sequences in two fresh registries", () => {
    check(
      fc.property(seedArb, nameArb, fc.integer({ min: 1, max: 50 }), (seed, name, count) => {
        const first = draws(new RandomStreams(seed).get(name), count)
        const second = draws(new RandomStreams(seed).get(name), count)

        expect(second).toEqual(first)
      }),
    )
  })

  it("leaves a stream's sequence unchanged by extra streams, forks, and interleaved draws from them", () => {
    const namesArb = fc.uniqueArray(nameArb, { minLength: 2, maxLength: 5 })
    const actionArb = fc.record({ stream: fc.nat(), fork: fc.option(nameArb, { freq: 4 }) })
    check(
      fc.property(seedArb, namesArb, fc.array(actionArb, { maxLength: 200 }), (seed, names, schedule) => {
        const target = names[0] as string
        const solo = new RandomStreams(seed).get(target)
        const crowded = new RandomStreams(seed)
        for (const name of names.slice(1)) crowded.get(name)

        const observed: number[] = []
        for (const action of schedule) {
          const name = names[action.stream % names.length] as string
          if (action.fork !== null) {
            crowded.get(name).fork(action.fork).next()
          } else {
            const value = crowded.get(name).next()
            if (name === target) observed.push(value)
          }
        }

        expect(observed).toEqual(draws(solo, observed.length))
      }),
    )
  })

  it("forks a child whose draws do not depend on how many draws the parent made", () => {
    check(
      fc.property(seedArb, nameArb, nameArb, fc.nat({ max: 100 }), (seed, parentName, childName, parentDraws) => {
        const busy = new RandomStreams(seed).get(parentName)
        draws(busy, parentDraws)
        const child = busy.fork(childName)
        const fresh = new RandomStreams(seed).get(parentName).fork(childName)

        expect(child.key).toBe(`${parentName}/${childName}`)
        expect(draws(child, 10)).toEqual(draws(fresh, 10))
      }),
    )
  })

  it("keeps integer(min, max) an integer within both bounds, even for edge uniforms", () => {
    const boundsArb = fc
      .tuple(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 2 ** 52 - 1 })))
      .map(([min, width]) => [min, min + width] as const)
    check(
      fc.property(sourceArb, boundsArb, (uniforms, [min, max]) => {
        const stream = new RandomStream(new CyclingSource(uniforms))

        for (let i = 0; i < uniforms.length; i++) {
          const value = stream.integer(min, max)
          expect(Number.isInteger(value) && value >= min && value <= max, `${value} in ${min}..${max}`).toBe(true)
        }
      }),
    )
  })

  it("returns a permutation of the input from shuffle and leaves the input unchanged", () => {
    check(
      fc.property(seedArb, fc.array(fc.integer(), { maxLength: 50 }), (seed, items) => {
        const before = [...items]

        const shuffled = new RandomStreams(seed).get("shuffle").shuffle(items)

        expect(items).toEqual(before)
        expect([...shuffled].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b))
      }),
    )
  })

  it("draws exponential variates that are positive for seeded streams", () => {
    const rateArb = fc.double({ min: 1e-6, max: 1e6, noNaN: true })
    check(
      fc.property(seedArb, rateArb, (seed, rate) => {
        const stream = new RandomStreams(seed).get("exponential")

        for (let i = 0; i < 20; i++) expect(stream.exponential(rate)).toBeGreaterThan(0)
      }),
    )
  })

  it("draws exponential variates that are never negative or NaN, whatever the uniforms", () => {
    check(
      fc.property(sourceArb, fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }), (uniforms, rate) => {
        const stream = new RandomStream(new CyclingSource(uniforms))

        for (let i = 0; i < uniforms.length; i++) expect(stream.exponential(rate) >= 0).toBe(true)
      }),
    )
  })

  it("keeps zipf, pareto, uniform, pick and bernoulli inside their supports, whatever the uniforms", () => {
    const paramsArb = fc.record({
      n: fc.integer({ min: 1, max: 500 }),
      s: fc.double({ min: 0, max: 5, noNaN: true }),
      alpha: fc.double({ min: 0.1, max: 10, noNaN: true }),
      scale: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      min: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      width: fc.double({ min: 0, max: 1e6, noNaN: true }),
      items: fc.array(fc.string(), { minLength: 1, maxLength: 10 }),
    })
    check(
      fc.property(sourceArb, paramsArb, (uniforms, { n, s, alpha, scale, min, width, items }) => {
        const stream = new RandomStream(new CyclingSource(uniforms))

        for (let i = 0; i < uniforms.length; i++) {
          const rank = stream.zipf(n, s)
          expect(Number.isInteger(rank) && rank >= 1 && rank <= n, `zipf rank ${rank} of ${n}`).toBe(true)
          expect(stream.pareto(alpha, scale)).toBeGreaterThanOrEqual(scale)
          const u = stream.uniform(min, min + width)
          expect(u >= min && u <= min + width, `uniform ${u} in [${min}, ${min + width}]`).toBe(true)
          expect(items).toContain(stream.pick(items))
          expect(typeof stream.bernoulli(0.5)).toBe("boolean")
        }
      }),
    )
  })
})

/** Seeds as CPython takes them: any integer, including negatives and bigints beyond 2^53. */
const twisterSeedArb = fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }))
/** Bounds `n` for randbelow, the edges (1, 2^32 ± 1, 2^53) drawn often. */
const belowArb = fc.oneof(
  fc.constantFrom(1, 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53),
  fc.integer({ min: 1, max: 2 ** 31 }),
  fc.maxSafeNat().map((n) => n + 1),
)

describe(`MersenneTwister integer properties (FC_SEED=${FC_SEED})`, () => {
  it("keeps randbelow(n) an integer in [0, n) and getrandbits(k) in [0, 2^k), for n up to 2^53", () => {
    check(
      fc.property(twisterSeedArb, belowArb, fc.integer({ min: 0, max: 53 }), (seed, n, k) => {
        const mt = new MersenneTwister(seed)

        const below = [mt.randbelow(n), mt.randbelow(n), mt.randbelow(n)]
        const bits = mt.getrandbits(k)

        expect(below.filter((r) => !(Number.isInteger(r) && r >= 0 && r < n))).toEqual([])
        expect(Number.isInteger(bits) && bits >= 0 && bits < 2 ** k).toBe(true)
      }),
    )
  })

  it("draws randrange(start, stop, step) on the range's grid, or throws exactly when the range is empty", () => {
    const boundArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }))
    const stepArb = fc
      .oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }))
      .filter((x) => x !== 0)
    check(
      fc.property(twisterSeedArb, boundArb, boundArb, stepArb, (seed, start, stop, step) => {
        const mt = new MersenneTwister(seed)
        const width = BigInt(stop) - BigInt(start)
        const bigStep = BigInt(step)
        // CPython's count of values; bigint division truncates, which differs from floor only at <= 0.
        const count = (step > 0 ? width + bigStep - 1n : width + bigStep + 1n) / bigStep

        if (count <= 0n) {
          expect(() => mt.randrange(start, stop, step)).toThrow(/randrange: stop must be reachable/)
          return
        }
        const index = (BigInt(mt.randrange(start, stop, step)) - BigInt(start)) / BigInt(step)
        const value = BigInt(start) + index * BigInt(step)

        expect(index >= 0n && index < count).toBe(true)
        expect(value).toBe(BigInt(new MersenneTwister(seed).randrange(start, stop, step)))
      }),
    )
  })

  it("makes a stream on a MersenneTwister draw integer, pick, shuffle as its randint, choice, shuffle", () => {
    const minArb = fc.integer({ min: -50, max: 50 })
    const itemsArb = fc.array(fc.integer(), { minLength: 1, maxLength: 30 })
    check(
      fc.property(twisterSeedArb, minArb, fc.nat({ max: 100 }), itemsArb, (seed, min, span, items) => {
        const stream = new RandomStream(new MersenneTwister(seed), "cpython")
        const twister = new MersenneTwister(seed)
        const twisterShuffled = [...items]

        const fromStream = [stream.integer(min, min + span), stream.pick(items), stream.shuffle(items), stream.next()]
        const fromTwister: unknown[] = [twister.randint(min, min + span), twister.choice(items)]
        twister.shuffle(twisterShuffled)
        fromTwister.push(twisterShuffled, twister.next())

        expect(fromStream).toEqual(fromTwister)
      }),
    )
  })
})
