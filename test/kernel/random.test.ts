/**
 * Scenarios for named random streams: pinned draws, CPython's formulas, distribution moments on
 * 20,000 draws, and the errors for bad parameters.
 */
import seedrandom from "seedrandom"
import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../src/kernel/mt19937.ts"
import { type RandomSource, RandomStream, RandomStreams, seededStream } from "../../src/kernel/random.ts"

/** Plays back a fixed list of uniforms, then fails loudly if asked for more. */
class ReplaySource implements RandomSource {
  drawn = 0
  constructor(private readonly values: readonly number[]) {}
  next(): number {
    const value = this.values[this.drawn]
    if (value === undefined) throw new Error(`ReplaySource ran out after ${this.drawn} values`)
    this.drawn++
    return value
  }
}

/** The first twelve outputs of CPython's `random.Random(1).random()`. */
const CPYTHON_SEED_1 = [
  0.13436424411240122, 0.8474337369372327, 0.763774618976614, 0.2550690257394217, 0.49543508709194095,
  0.4494910647887381, 0.651592972722763, 0.7887233511355132, 0.0938595867742349, 0.02834747652200631,
  0.8357651039198697, 0.43276706790505337,
]

const DRAWS = 20_000

function sample(draw: () => number, count = DRAWS): number[] {
  return Array.from({ length: count }, draw)
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

function variance(values: readonly number[]): number {
  const m = mean(values)
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1)
}

/** Asserts `actual` equals `expected` to a relative 1e-13 (libm may differ in the last bit). */
function expectNearlyEqual(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((value, i) => {
    const want = expected[i] as number
    expect(Math.abs(value - want), `value ${i}: ${value} vs ${want}`).toBeLessThanOrEqual(1e-13 * Math.abs(want))
  })
}

describe("seededStream", () => {
  it("pins the first five draws of seed 42, stream arrivals", () => {
    const stream = seededStream(42, "arrivals")

    const draws = [stream.next(), stream.next(), stream.next(), stream.next(), stream.next()]

    expect(draws).toEqual([
      0.0966915604909585, 0.9512710102925289, 0.5279200369362581, 0.4366903293734139, 0.98161090224144,
    ])
  })

  it("pins one draw of every distribution for seed 42, stream arrivals", () => {
    const stream = seededStream(42, "arrivals")

    const draws = [
      stream.exponential(2),
      stream.uniform(10, 20),
      stream.integer(1, 6),
      stream.normal(0, 1),
      stream.logNormal(0, 0.5),
      stream.pareto(2, 3),
      stream.zipf(100, 1.2),
      stream.bernoulli(0.5),
      stream.pick(["a", "b", "c"]),
      stream.shuffle([1, 2, 3, 4, 5]),
    ]

    expect(draws).toEqual([
      0.05084560594764504,
      19.51271010292529,
      4,
      0.9519310161109944,
      0.3802306481655676,
      3.4796703077146387,
      49,
      true,
      "c",
      [4, 1, 3, 5, 2],
    ])
  })

  it("pins the first two draws of the fork retries of seed 42, stream arrivals", () => {
    const child = seededStream(42, "arrivals").fork("retries")

    expect([child.next(), child.next()]).toEqual([0.38750247657580716, 0.9583857698116371])
  })

  it("draws alea's 53-bit doubles keyed by seed/name", () => {
    const stream = seededStream(7, "disk")
    const alea = seedrandom.alea("7/disk")

    const ours = sample(() => stream.next(), 5)
    const theirs = sample(() => alea.double(), 5)

    expect(ours).toEqual(theirs)
  })

  it("gives the number seed 1 and the string seed 1 the same draws", () => {
    const fromNumber = seededStream(1, "a")
    const fromString = seededStream("1", "a")

    expect(sample(() => fromNumber.next(), 5)).toEqual(sample(() => fromString.next(), 5))
  })

  it("gives seeds 1 and 2, and names a and b, different draws", () => {
    const base = sample(() => seededStream(1, "a").next(), 1)[0]

    expect(seededStream(2, "a").next()).not.toBe(base)
    expect(seededStream(1, "b").next()).not.toBe(base)
  })
})

describe("RandomStreams", () => {
  it("replays a stream's draws from the first without moving it, its forks too, with any source", () => {
    for (const streams of [new RandomStreams(3), new RandomStreams(3, () => new MersenneTwister(5))]) {
      const live = streams.get("arrivals")
      live.next()
      const replay = streams.replay("arrivals")
      expect(replay).not.toBe(live)
      const again = streams.replay("arrivals")
      const replayed = [replay.next(), replay.next(), replay.next()]
      expect([again.next(), again.next(), again.next()]).toEqual(replayed)
      expect(live.next()).toBe(replayed[1]) // the live stream went on from its second draw
      expect(streams.replay("arrivals").fork("retries").next()).toBe(streams.get("arrivals/retries").next())
    }
    expect(() => new RandomStreams(3).replay("")).toThrow(RangeError)
  })

  it("returns the same stream object for the same name", () => {
    const streams = new RandomStreams(3)

    const first = streams.get("arrivals")
    first.next()

    expect(streams.get("arrivals")).toBe(first)
    expect(streams.get("service")).not.toBe(first)
  })

  it("keeps the seed it was given", () => {
    expect(new RandomStreams("run-7").seed).toBe("run-7")
  })

  it("makes get(a).fork(b) the very stream get(a/b)", () => {
    const streams = new RandomStreams(3)

    const forked = streams.get("a").fork("b")

    expect(forked).toBe(streams.get("a/b"))
    expect(forked.key).toBe("a/b")
    expect(streams.get("a").fork("b")).toBe(forked)
  })

  it("matches seededStream draw for draw", () => {
    const fromRegistry = new RandomStreams(9).get("x")
    const standalone = seededStream(9, "x")

    expect(sample(() => fromRegistry.next(), 5)).toEqual(sample(() => standalone.next(), 5))
  })

  it("asks sourceFor for each new key, once, with the full key path", () => {
    const asked: string[] = []
    const streams = new RandomStreams(1, (key) => {
      asked.push(key)
      return { next: () => 0.25 }
    })

    streams.get("a")
    streams.get("a")
    streams.get("a").fork("b")

    expect(asked).toEqual(["a", "a/b"])
    expect(streams.get("a").next()).toBe(0.25)
  })

  it("rejects a NaN seed, naming the seed", () => {
    expect(() => new RandomStreams(Number.NaN)).toThrow(/seed must be a finite number or a string, got NaN/)
  })

  it("rejects an empty stream name", () => {
    const streams = new RandomStreams(1)

    expect(() => streams.get("")).toThrow(RangeError)
    expect(() => streams.get("a").fork("")).toThrow(/name must be a non-empty string, got ""/)
  })
})

describe("RandomStream formulas", () => {
  it("draws CPython's expovariate(2.5) and expovariate(0.1) from the same uniforms", () => {
    const source = new ReplaySource(CPYTHON_SEED_1)
    const stream = new RandomStream(source)

    const draws = [stream.exponential(2.5), stream.exponential(0.1)]

    expect(draws).toEqual([-Math.log(1 - 0.13436424411240122) / 2.5, -Math.log(1 - 0.8474337369372327) / 0.1])
    expectNearlyEqual(draws, [0.05771642564380368, 18.801562654206254])
    expect(source.drawn).toBe(2)
  })

  it("draws CPython's uniform(-3, 7) and uniform(10, 10.5) from the same uniforms", () => {
    const stream = new RandomStream(new ReplaySource(CPYTHON_SEED_1))

    expectNearlyEqual([stream.uniform(-3, 7), stream.uniform(10, 10.5)], [-1.6563575588759878, 10.423716868468617])
  })

  it("draws CPython's normalvariate, rejections included, from the same uniforms", () => {
    const source = new ReplaySource(CPYTHON_SEED_1)
    const stream = new RandomStream(source)

    const draws = [stream.normal(10, 2), stream.normal(-1, 0.5), stream.normal(0, 1)]

    expectNearlyEqual(draws, [11.214911715287412, -1.0071127227553924, 1.2309072291166607])
    expect(source.drawn).toBe(8)
  })

  it("draws CPython's lognormvariate(1, 0.25) and lognormvariate(0, 1) from the same uniforms", () => {
    const source = new ReplaySource(CPYTHON_SEED_1)
    const stream = new RandomStream(source)

    expectNearlyEqual([stream.logNormal(1, 0.25), stream.logNormal(0, 1)], [3.1640851586414587, 0.9858752580559671])
    expect(source.drawn).toBe(6)
  })

  it("draws CPython's paretovariate, times the scale, from the same uniforms", () => {
    const stream = new RandomStream(new ReplaySource(CPYTHON_SEED_1))

    expectNearlyEqual([stream.pareto(1.5), stream.pareto(3, 10)], [1.1009726790230285, 18.71459775867043])
  })

  it("draws what CPython's random.Random(1) draws when it wraps a MersenneTwister seeded 1", () => {
    const stream = new RandomStream(new MersenneTwister(1), "cpython")

    const draws = [
      stream.exponential(1),
      stream.exponential(1),
      stream.exponential(1),
      stream.normal(5, 2),
      stream.pareto(2),
      stream.logNormal(0, 1),
      stream.uniform(2, 4),
    ]

    expectNearlyEqual(
      draws,
      [
        0.1442910641095092, 1.8801562654206254, 1.4429689253466629, 3.334462514897485, 1.3477762956465886,
        3.4243347837122284, 2.18771917354847,
      ],
    )
  })

  it("draws CPython's randint, choice, shuffle from integer, pick, shuffle when it wraps a MersenneTwister", () => {
    // python3 -c 'import random; r=random.Random(1); a=[r.randint(1,6) for _ in range(5)];
    //   b=[r.choice("abc") for _ in range(3)]; x=[1,2,3,4,5]; r.shuffle(x); print(a, b, x, r.random())'
    const stream = new RandomStream(new MersenneTwister(1), "cpython")
    const items = [1, 2, 3, 4, 5]

    const faces = sample(() => stream.integer(1, 6), 5)
    const letters = Array.from({ length: 3 }, () => stream.pick(["a", "b", "c"]))
    const shuffled = stream.shuffle(items)

    expect(faces).toEqual([2, 5, 1, 3, 1])
    expect(letters).toEqual(["b", "b", "b"])
    expect(shuffled).toEqual([3, 5, 1, 2, 4])
    expect(items).toEqual([1, 2, 3, 4, 5])
    expect(stream.next()).toBe(0.02834747652200631)
  })

  it("draws CPython's randint(-3, 3) and choice(range(10**6)) for seed 7", () => {
    const stream = new RandomStream(new MersenneTwister(7), "cpython")
    const million = Array.from({ length: 1_000_000 }, (_, i) => i)

    expect(sample(() => stream.integer(-3, 3), 8)).toEqual([-1, -2, 0, 2, -3, -3, 3, 1])
    expect(stream.pick(million)).toBe(98702)
  })

  it("draws integer, pick and shuffle with the source's randbelow when it has one, and never calls next", () => {
    const asked: number[] = []
    const source = {
      next: (): number => {
        throw new Error("next must not be called")
      },
      randbelow: (n: number): number => {
        asked.push(n)
        return n - 1
      },
    }
    const stream = new RandomStream(source)

    const drawn = [stream.integer(10, 12), stream.pick(["a", "b"]), stream.shuffle(["x", "y", "z"])]

    expect(drawn).toEqual([12, "b", ["x", "y", "z"]])
    expect(asked).toEqual([3, 2, 3, 2])
  })

  it("returns -0 like CPython, never a negative delay, when the source returns exactly 0", () => {
    const stream = new RandomStream(new ReplaySource([0]))

    const delay = stream.exponential(4)

    expect(delay).toBe(-0)
    expect(delay < 0).toBe(false)
  })

  it("maps 0 to min and the largest double below 1 to max in integer(3, 9)", () => {
    const stream = new RandomStream(new ReplaySource([0, 1 - 2 ** -53]))

    expect([stream.integer(3, 9), stream.integer(3, 9)]).toEqual([3, 9])
  })

  it("finds the rank whose cumulative probability first exceeds the draw in zipf(3, 1)", () => {
    // P = [6/11, 3/11, 2/11]; the cumulative table is [6/11, 9/11, 1].
    const stream = new RandomStream(new ReplaySource([0, 0.54, 0.55, 0.8, 0.82, 1 - 2 ** -53]))

    const ranks = sample(() => stream.zipf(3, 1), 6)

    expect(ranks).toEqual([1, 1, 2, 2, 3, 3])
  })

  it("gives rank 2 of zipf(2, 0) exactly the draws in [0.5, 1)", () => {
    const stream = new RandomStream(new ReplaySource([0.49999999999999994, 0.5]))

    expect([stream.zipf(2, 0), stream.zipf(2, 0)]).toEqual([1, 2])
  })

  it("shuffles [a, b, c] by Fisher–Yates from the last index down", () => {
    // i = 2: u = 0 picks j = 0, giving [c, b, a]; i = 1: u = 0.99 picks j = 1, no swap.
    const stream = new RandomStream(new ReplaySource([0, 0.99]))
    const items = ["a", "b", "c"]

    const shuffled = stream.shuffle(items)

    expect(shuffled).toEqual(["c", "b", "a"])
    expect(items).toEqual(["a", "b", "c"])
  })

  it("never says true for probability 0 and always for probability 1", () => {
    const stream = new RandomStream(new ReplaySource([0, 1 - 2 ** -53]))

    expect([stream.bernoulli(0), stream.bernoulli(1)]).toEqual([false, true])
  })

  it("refuses to fork a stream built without forkWith", () => {
    const stream = new RandomStream({ next: () => 0.5 }, "bench")

    expect(() => stream.fork("child")).toThrow(/random stream "bench": fork/)
  })
})

describe("RandomStream distributions on 20,000 draws of seed 2024", () => {
  const stream = (name: string): RandomStream => seededStream(2024, name)

  it("draws exponential(2) with mean 0.5 and variance 0.25", () => {
    const s = stream("exponential")
    const draws = sample(() => s.exponential(2))

    expect(Math.min(...draws)).toBeGreaterThan(0)
    expect(Math.abs(mean(draws) - 0.5)).toBeLessThan(5 * (0.5 / Math.sqrt(DRAWS)))
    expect(Math.abs(variance(draws) / 0.25 - 1)).toBeLessThan(0.05)
  })

  it("draws normal(10, 3) with mean 10 and standard deviation 3", () => {
    const s = stream("normal")
    const draws = sample(() => s.normal(10, 3))

    expect(Math.abs(mean(draws) - 10)).toBeLessThan(5 * (3 / Math.sqrt(DRAWS)))
    expect(Math.abs(Math.sqrt(variance(draws)) / 3 - 1)).toBeLessThan(0.03)
  })

  it("draws logNormal(1, 0.5) whose logarithm has mean 1 and standard deviation 0.5", () => {
    const s = stream("logNormal")
    const logs = sample(() => Math.log(s.logNormal(1, 0.5)))

    expect(Math.abs(mean(logs) - 1)).toBeLessThan(5 * (0.5 / Math.sqrt(DRAWS)))
    expect(Math.abs(Math.sqrt(variance(logs)) / 0.5 - 1)).toBeLessThan(0.03)
  })

  it("draws uniform(-2, 6) inside [-2, 6) with mean 2 and variance 16/3", () => {
    const s = stream("uniform")
    const draws = sample(() => s.uniform(-2, 6))

    expect(Math.min(...draws)).toBeGreaterThanOrEqual(-2)
    expect(Math.max(...draws)).toBeLessThan(6)
    expect(Math.abs(mean(draws) - 2)).toBeLessThan(5 * Math.sqrt(16 / 3 / DRAWS))
    expect(Math.abs(variance(draws) / (16 / 3) - 1)).toBeLessThan(0.05)
  })

  it("draws integer(1, 6) hitting both ends, each face near 1/6", () => {
    const s = stream("integer")
    const counts = new Map<number, number>()

    for (const face of sample(() => s.integer(1, 6))) counts.set(face, (counts.get(face) ?? 0) + 1)

    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6])
    for (const count of counts.values()) expect(Math.abs(count / DRAWS - 1 / 6)).toBeLessThan(0.015)
  })

  it("draws bernoulli(0.3) true about 30% of the time", () => {
    const s = stream("bernoulli")

    const frequency = sample(() => (s.bernoulli(0.3) ? 1 : 0)).reduce((a, b) => a + b, 0) / DRAWS

    expect(Math.abs(frequency - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / DRAWS))
  })

  it("draws zipf(100, 1) rank 1 with frequency 1/H(100) and rank 2 half as often", () => {
    const s = stream("zipf")
    const harmonic = Array.from({ length: 100 }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0)
    const expected = 1 / harmonic

    const ranks = sample(() => s.zipf(100, 1))
    const rank1 = ranks.filter((rank) => rank === 1).length / DRAWS
    const rank2 = ranks.filter((rank) => rank === 2).length / DRAWS

    expect(Math.min(...ranks)).toBe(1)
    expect(Math.max(...ranks)).toBeLessThanOrEqual(100)
    expect(Math.abs(rank1 - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - expected)) / DRAWS))
    expect(Math.abs(rank2 - expected / 2)).toBeLessThan(5 * Math.sqrt(expected / 2 / DRAWS))
  })

  it("draws zipf(10, 0) uniformly over ranks 1..10", () => {
    const s = stream("zipf-flat")

    const ranks = sample(() => s.zipf(10, 0))

    expect(Math.abs(mean(ranks) - 5.5)).toBeLessThan(5 * Math.sqrt(8.25 / DRAWS))
    expect(new Set(ranks).size).toBe(10)
  })

  it("keeps zipf tables apart when one stream alternates zipf(5, 1) and zipf(1000, 2)", () => {
    const s = stream("zipf-alternating")

    const pairs = sample(() => s.zipf(5, 1) * 10_000 + s.zipf(1000, 2), 2000)

    expect(pairs.every((pair) => pair >= 10_001 && pair <= 51_000 && pair % 10_000 >= 1)).toBe(true)
    expect(pairs.some((pair) => pair % 10_000 > 5)).toBe(true)
  })

  it("draws pareto(3, 2) never below 2 with mean 3", () => {
    const s = stream("pareto")
    // alpha = 3: mean alpha·scale/(alpha - 1) = 3, variance scale²·alpha/((alpha - 1)²(alpha - 2)) = 3.
    const draws = sample(() => s.pareto(3, 2))

    expect(Math.min(...draws)).toBeGreaterThanOrEqual(2)
    expect(Math.abs(mean(draws) - 3)).toBeLessThan(5 * Math.sqrt(3 / DRAWS))
  })

  it("picks each of four items about a quarter of the time", () => {
    const s = stream("pick")
    const items = ["a", "b", "c", "d"] as const

    const picks = sample(() => items.indexOf(s.pick(items)))

    for (let i = 0; i < 4; i++) expect(Math.abs(picks.filter((p) => p === i).length / DRAWS - 0.25)).toBeLessThan(0.02)
  })

  it("puts each element of a shuffled [0, 1, 2] first about a third of the time", () => {
    const s = stream("shuffle")

    const firsts = sample(() => s.shuffle([0, 1, 2])[0] as number)

    for (let i = 0; i < 3; i++)
      expect(Math.abs(firsts.filter((f) => f === i).length / DRAWS - 1 / 3)).toBeLessThan(0.02)
  })
})

describe("RandomStream parameter validation", () => {
  const stream = seededStream(1, "checked")
  const cases: ReadonlyArray<readonly [string, () => unknown, RegExp]> = [
    ["exponential(0)", () => stream.exponential(0), /exponential: rate must be finite and > 0, got 0/],
    ["exponential(-1)", () => stream.exponential(-1), /rate must be .*> 0, got -1/],
    ["exponential(NaN)", () => stream.exponential(Number.NaN), /rate must be .*, got NaN/],
    ["uniform(5, 1)", () => stream.uniform(5, 1), /uniform: max must be >= min \(5\), got 1/],
    ["uniform(NaN, 1)", () => stream.uniform(Number.NaN, 1), /uniform: min must be finite, got NaN/],
    ["uniform(0, Infinity)", () => stream.uniform(0, Infinity), /uniform: max must be finite, got Infinity/],
    ["integer(1.5, 3)", () => stream.integer(1.5, 3), /integer: min must be a safe integer, got 1.5/],
    ["integer(1, 2.5)", () => stream.integer(1, 2.5), /integer: max must be a safe integer, got 2.5/],
    ["integer(4, 3)", () => stream.integer(4, 3), /integer: max must be >= min \(4\), got 3/],
    [
      "integer(-2^53+1, 2^53-1)",
      () => stream.integer(-(2 ** 53) + 1, 2 ** 53 - 1),
      /integer: max - min must be < 2\^53/,
    ],
    ["normal(0, -1)", () => stream.normal(0, -1), /normal: sd must be finite and >= 0, got -1/],
    ["normal(NaN, 1)", () => stream.normal(Number.NaN, 1), /normal: mean must be finite, got NaN/],
    ["logNormal(0, -0.5)", () => stream.logNormal(0, -0.5), /logNormal: sigma must be finite and >= 0, got -0.5/],
    ["logNormal(Infinity, 1)", () => stream.logNormal(Infinity, 1), /logNormal: mu must be finite, got Infinity/],
    ["pareto(0)", () => stream.pareto(0), /pareto: alpha must be finite and > 0, got 0/],
    ["pareto(2, -1)", () => stream.pareto(2, -1), /pareto: scale must be finite and > 0, got -1/],
    ["zipf(0, 1)", () => stream.zipf(0, 1), /zipf: n must be an integer in 1\.\.10000000, got 0/],
    ["zipf(2.5, 1)", () => stream.zipf(2.5, 1), /zipf: n must be .*, got 2.5/],
    ["zipf(10, -1)", () => stream.zipf(10, -1), /zipf: s must be finite and >= 0, got -1/],
    ["bernoulli(1.5)", () => stream.bernoulli(1.5), /bernoulli: probability must be in \[0, 1\], got 1.5/],
    ["bernoulli(NaN)", () => stream.bernoulli(Number.NaN), /bernoulli: probability must be in \[0, 1\], got NaN/],
    ["pick([])", () => stream.pick([]), /pick: items.length must be > 0, got 0/],
  ]

  it.each(cases)("rejects %s with a RangeError naming the parameter and value", (_, call, message) => {
    expect(call).toThrow(RangeError)
    expect(call).toThrow(message)
  })

  it("names the stream in the error", () => {
    expect(() => stream.exponential(-1)).toThrow(/random stream "checked"/)
  })

  it("consumes no draw when it rejects a parameter", () => {
    const source = new ReplaySource([0.5])
    const checked = new RandomStream(source)

    expect(() => checked.exponential(-1)).toThrow(RangeError)

    expect(source.drawn).toBe(0)
  })
})
