import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  hackerNewsScore,
  redditHot,
  redditHotOfScore,
  REDDIT_EPOCH_SECONDS,
  roundHalfEven,
  roundHalfEvenExactly,
} from "../../../src/models/ranking/index.ts"
import { checkProperty } from "../../laws/index.ts"

describe("hackerNewsScore", () => {
  it("reproduces the reference values of (P - 1) / (T + 2)^1.8", () => {
    expect(hackerNewsScore(100, 2).toFixed(6)).toBe("8.164455")
    expect(hackerNewsScore(100, 0).toFixed(6)).toBe("28.430284")
    expect(hackerNewsScore(10, 0).toFixed(6)).toBe("2.584571")
    expect(hackerNewsScore(500, 24).toFixed(6)).toBe("1.416278")
    expect(hackerNewsScore(2, 1).toFixed(6)).toBe("0.138415")
  })

  it("scores a story with only its author's point 0, and sinks faster with a heavier gravity", () => {
    expect(hackerNewsScore(1, 5)).toBe(0)
    expect(hackerNewsScore(100, 2, 2)).toBe(99 / 16)
  })
})

describe("redditHot", () => {
  const t = REDDIT_EPOCH_SECONDS

  it("reproduces the reference values of _sorts.pyx", () => {
    expect(redditHotOfScore(1, t)).toBe(0)
    expect(redditHotOfScore(10, t)).toBe(1)
    expect(redditHotOfScore(1000, t + 45000)).toBe(4)
    expect(redditHotOfScore(-10, t)).toBe(-1)
    expect(redditHot(7, 7, t + 90000)).toBe(2)
    expect(redditHot(100, 0, 1704067200)).toBe(12669.5377111)
    expect(redditHot(1, 0, 1704067200)).toBe(12667.5377111)
  })

  it("counts ups minus downs, so 30 up and 20 down equal 10 up", () => {
    expect(redditHot(30, 20, 1704067200)).toBe(redditHot(10, 0, 1704067200))
  })
})

describe("roundHalfEven", () => {
  it("rounds the exact binary value half to even, as Python's round", () => {
    expect(roundHalfEven(0.00390625, 7)).toBe(0.0039062)
    expect(roundHalfEven(0.00390635, 7)).toBe(0.0039064)
    expect(roundHalfEven(2.5, 0)).toBe(2)
    expect(roundHalfEven(3.5, 0)).toBe(4)
    expect(roundHalfEven(-2.5, 0)).toBe(-2)
    expect(roundHalfEven(2.675, 2)).toBe(2.67)
    expect(roundHalfEven(12669.53771108, 7)).toBe(12669.5377111)
  })
})

describe("roundHalfEven's fast path", () => {
  it("agrees with the exact decimal rounding on any double and 0 to 9 digits", () => {
    checkProperty(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
        fc.integer({ min: 0, max: 9 }),
        (x, digits) => {
          expect(roundHalfEven(x, digits)).toBe(roundHalfEvenExactly(x, digits))
        },
      ),
      { testFile: "test/models/ranking/formulas.test.ts", numRuns: 2000 },
    )
  })

  it("agrees on Reddit-sized scores and on values near a half", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
        fc.integer({ min: -3, max: 3 }),
        (n, nudge) => {
          const nearHalf = (n + 0.5) / 1e7 + nudge * Number.EPSILON
          expect(roundHalfEven(nearHalf, 7)).toBe(roundHalfEvenExactly(nearHalf, 7))
          const hot = 12000 + n / 1e5
          expect(roundHalfEven(hot, 7)).toBe(roundHalfEvenExactly(hot, 7))
        },
      ),
      { testFile: "test/models/ranking/formulas.test.ts", numRuns: 2000 },
    )
  })
})
