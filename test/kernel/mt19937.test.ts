import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../src/kernel/mt19937.ts"

/** Draws `count` values from a fresh generator. */
function draws(seed: number, count: number): number[] {
  const mt = new MersenneTwister(seed)
  return Array.from({ length: count }, () => mt.next())
}

// Every expected value below was printed by CPython 3.11:
// python3 -c 'import random; r=random.Random(SEED); print([r.random() for _ in range(N)])'
describe("MersenneTwister", () => {
  it("reproduces random.Random(1).random() for the first six draws", () => {
    expect(draws(1, 6)).toEqual([
      0.13436424411240122, 0.8474337369372327, 0.763774618976614,
      0.2550690257394217, 0.49543508709194095, 0.4494910647887381,
    ])
  })

  it("reproduces random.Random(2).random() for the first six draws", () => {
    expect(draws(2, 6)).toEqual([
      0.9560342718892494, 0.9478274870593494, 0.05655136772680869,
      0.08487199515892163, 0.8354988781294496, 0.7359699890685233,
    ])
  })

  it("reproduces random.Random(3).random() for the first six draws", () => {
    expect(draws(3, 6)).toEqual([
      0.23796462709189137, 0.5442292252959519, 0.36995516654807925,
      0.6039200385961945, 0.625720304108054, 0.06552885923981311,
    ])
  })

  it("reproduces seeds 0 and 42 for the first three draws", () => {
    expect(draws(0, 3)).toEqual([0.8444218515250481, 0.7579544029403025, 0.420571580830845])
    expect(draws(42, 3)).toEqual([0.6394267984578837, 0.025010755222666936, 0.27502931836911926])
  })

  it("keeps matching CPython across several state regenerations (draws 624 and 2000 of seed 1)", () => {
    const values = draws(1, 2000)

    expect(values[623]).toBe(0.7513763114866316)
    expect(values[1999]).toBe(0.4499663746974547)
  })

  it("splits seeds of 2^32 and more into 32-bit words as CPython does", () => {
    expect(draws(2 ** 32 + 7, 3)).toEqual([0.22550888929893187, 0.35860096918797, 0.7992331241239754])
    expect(draws(Number.MAX_SAFE_INTEGER, 3)).toEqual([0.09425040007102303, 0.22287455761867403, 0.19135148760372034])
  })

  it("seeds a negative integer by its absolute value, as CPython does", () => {
    expect(draws(-3, 6)).toEqual(draws(3, 6))
  })

  it("reproduces getrandbits(32) of random.Random(5) with nextUint32", () => {
    const mt = new MersenneTwister(5)

    const words = [mt.nextUint32(), mt.nextUint32(), mt.nextUint32()]

    expect(words).toEqual([2675342405, 1097127993, 3185950873])
  })

  it("gives CPython's expovariate(1) through -log(1 - random())", () => {
    const mt = new MersenneTwister(1)

    const values = [0, 1, 2].map(() => -Math.log(1 - mt.next()))

    expect(values).toEqual([0.1442910641095092, 1.8801562654206254, 1.4429689253466629])
  })

  it("rejects a seed that is not a safe integer", () => {
    expect(() => new MersenneTwister(1.5)).toThrow(RangeError)
    expect(() => new MersenneTwister(2 ** 60)).toThrow(RangeError)
    expect(() => new MersenneTwister(Number.NaN)).toThrow(RangeError)
  })
})
