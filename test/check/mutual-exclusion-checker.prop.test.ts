/**
 * The at-most-one-holder checker agrees with a brute-force oracle on random intervals.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkAtMostOneHolder, type HoldInterval } from "../../src/check/core/mutual-exclusion-checker.ts"
import { checkProperty, FC_SEED } from "../laws/index.ts"

const TEST_FILE = "test/check/mutual-exclusion-checker.prop.test.ts"

/** The earliest instant two distinct holders hold, by checking every start time; undefined if none. */
function firstOverlapOracle(intervals: readonly HoldInterval[]): number | undefined {
  const starts = [...new Set(intervals.map((interval) => interval.from))].sort((a, b) => a - b)
  for (const t of starts) {
    const holders = new Set(intervals.filter((i) => i.from <= t && t < (i.to ?? Infinity)).map((i) => i.holder))
    if (holders.size >= 2) return t
  }
  return undefined
}

const interval = fc
  .record({
    holder: fc.constantFrom("a", "b", "c"),
    from: fc.integer({ min: 0, max: 30 }),
    length: fc.integer({ min: 0, max: 8 }),
    open: fc.boolean(),
  })
  .map(({ holder, from, length, open }): HoldInterval =>
    open && length === 0 ? { holder, from } : { holder, from, to: from + length },
  )

describe(`checkAtMostOneHolder against an oracle (FC_SEED=${FC_SEED})`, () => {
  it("holds exactly when the oracle finds no instant with two holders, and names the same first instant", () => {
    checkProperty(
      fc.property(fc.array(interval, { maxLength: 8 }), (intervals) => {
        const result = checkAtMostOneHolder(intervals)
        const overlap = firstOverlapOracle(intervals)

        expect(result.held).toBe(overlap === undefined)
        if (overlap !== undefined) expect(result.detail).toMatch(new RegExp(`^two holders from t=${overlap} `))
      }),
      { testFile: TEST_FILE, numRuns: 500 },
    )
  })
})
