import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../src/kernel/mt19937.ts"

/** Draws `count` values from a fresh generator. */
function draws(seed: number, count: number): number[] {
  return drawsFrom(new MersenneTwister(seed), count)
}

/** Draws `count` values of `next()` from `mt`. */
function drawsFrom(mt: MersenneTwister, count: number): number[] {
  return Array.from({ length: count }, () => mt.next())
}

// Every expected value below was printed by CPython 3.11:
// python3 -c 'import random; r=random.Random(SEED); print([r.random() for _ in range(N)])'
describe("MersenneTwister", () => {
  it("reproduces random.Random(1).random() for the first six draws", () => {
    expect(draws(1, 6)).toEqual([
      0.13436424411240122, 0.8474337369372327, 0.763774618976614, 0.2550690257394217, 0.49543508709194095,
      0.4494910647887381,
    ])
  })

  it("reproduces random.Random(2).random() for the first six draws", () => {
    expect(draws(2, 6)).toEqual([
      0.9560342718892494, 0.9478274870593494, 0.05655136772680869, 0.08487199515892163, 0.8354988781294496,
      0.7359699890685233,
    ])
  })

  it("reproduces random.Random(3).random() for the first six draws", () => {
    expect(draws(3, 6)).toEqual([
      0.23796462709189137, 0.5442292252959519, 0.36995516654807925, 0.6039200385961945, 0.625720304108054,
      0.06552885923981311,
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

  it("seeds a bigint as the number of the same value, and a negative bigint by its absolute value", () => {
    expect(drawsFrom(new MersenneTwister(2n ** 32n + 7n), 3)).toEqual(draws(2 ** 32 + 7, 3))
    expect(drawsFrom(new MersenneTwister(-3n), 6)).toEqual(draws(3, 6))
  })

  it("returns 0 from getrandbits(0) without drawing, as CPython 3.9 and later do", () => {
    const mt = new MersenneTwister(1)

    expect([mt.getrandbits(0), mt.getrandbitsBig(0)]).toEqual([0, 0n])
    expect(mt.next()).toBe(0.13436424411240122)
  })

  it.each<[string, (mt: MersenneTwister) => unknown, RegExp]>([
    ["getrandbits(54)", (mt) => mt.getrandbits(54), /getrandbits: k must be an integer in 0\.\.53 .*got 54/],
    ["getrandbits(-1)", (mt) => mt.getrandbits(-1), /getrandbits: k must be .*got -1/],
    ["getrandbitsBig(1.5)", (mt) => mt.getrandbitsBig(1.5), /getrandbitsBig: k must be an integer >= 0, got 1.5/],
    ["randbelow(0)", (mt) => mt.randbelow(0), /randbelow: n must be an integer in 1\.\.2\^53, got 0/],
    ["randbelow(2^53 + 2)", (mt) => mt.randbelow(2 ** 53 + 2), /randbelow: n must be .*got 9007199254740994/],
    [
      "randint(3, 2)",
      (mt) => mt.randint(3, 2),
      /randint: b must be a safe integer with 0 <= b - a < 2\^53 \(a = 3\), got 2/,
    ],
    ["randint(0.5, 2)", (mt) => mt.randint(0.5, 2), /randint: a must be a safe integer, got 0.5/],
    [
      "randrange(0)",
      (mt) => mt.randrange(0),
      /randrange: stop must be an integer in 1\.\.2\^53 \(a non-empty range\), got 0/,
    ],
    ["randrange(5, 5)", (mt) => mt.randrange(5, 5), /randrange: stop must be reachable from start 5 by step 1, got 5/],
    ["randrange(0, 10, -1)", (mt) => mt.randrange(0, 10, -1), /randrange: stop must be reachable .*got 10/],
    ["randrange(0, 10, 0)", (mt) => mt.randrange(0, 10, 0), /randrange: step must be a non-zero safe integer, got 0/],
    [
      "randrange(10, undefined, 2)",
      (mt) => mt.randrange(10, undefined, 2),
      /randrange: step must be 1 when stop is omitted, got 2/,
    ],
    [
      "randrange(-(2^53-1), 2^53-1)",
      (mt) => mt.randrange(-(2 ** 53 - 1), 2 ** 53 - 1),
      /randrange: range must be at most 2\^53 values, got 18014398509481982 values/,
    ],
    ["choice([])", (mt) => mt.choice([]), /choice: items.length must be > 0, got 0/],
    [
      "sample([1, 2], 3)",
      (mt) => mt.sample([1, 2], 3),
      /sample: k must be an integer in 0\.\.2 \(the population's length\), got 3/,
    ],
  ])("rejects %s with a RangeError naming the argument", (_, call, message) => {
    expect(() => call(new MersenneTwister(1))).toThrow(RangeError)
    expect(() => call(new MersenneTwister(1))).toThrow(message)
  })

  it("draws randrange(2^53) and randint(-(2^53 - 1), 0) inside their ranges, with 54-bit rejection", () => {
    const mt = new MersenneTwister(3)

    const wide = Array.from({ length: 200 }, () => mt.randrange(2 ** 53))
    const negative = Array.from({ length: 200 }, () => mt.randint(-(2 ** 53 - 1), 0))

    expect(wide.filter((v) => !(Number.isInteger(v) && v >= 0 && v < 2 ** 53))).toEqual([])
    expect(negative.filter((v) => !(Number.isInteger(v) && v >= -(2 ** 53 - 1) && v <= 0))).toEqual([])
    expect(wide.filter((v) => v >= 2 ** 52).length).toBeGreaterThan(70)
  })

  it("rejects a seed that is not a safe integer", () => {
    expect(() => new MersenneTwister(1.5)).toThrow(RangeError)
    expect(() => new MersenneTwister(2 ** 60)).toThrow(RangeError)
    expect(() => new MersenneTwister(Number.NaN)).toThrow(RangeError)
  })
})
