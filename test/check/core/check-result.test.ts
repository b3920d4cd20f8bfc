/**
 * Verdict helpers.
 */
import { describe, expect, it } from "vitest"
import { allHeld, describeVerdict, fails, holds, listSome, verdictList } from "../../../src/check/core/index.ts"

describe("check results", () => {
  it("builds verdicts and tells whether all held", () => {
    const ok = holds("a", "fine")
    const bad = fails("b", "#3 broke it")

    expect(ok).toEqual({ name: "a", held: true, detail: "fine" })
    expect(allHeld([ok])).toBe(true)
    expect(allHeld([ok, bad])).toBe(false)
    expect(allHeld([])).toBe(true)
  })

  it("shows a verdict on one line, the failed ones in capitals", () => {
    expect(describeVerdict(holds("a", "fine"))).toBe("held      a  fine")
    expect(describeVerdict(fails("b", "#3 broke it"))).toBe("NOT HELD  b  #3 broke it")
  })

  it("turns one verdict or several into a list", () => {
    expect(verdictList(holds("a", ""))).toEqual([holds("a", "")])
    expect(verdictList([holds("a", ""), fails("b", "")])).toHaveLength(2)
  })

  it("lists a few values and counts the rest", () => {
    expect(listSome([1, "x", 3])).toBe("1, x, 3")
    expect(listSome([1, 2, 3, 4, 5, 6, 7], 3)).toBe("1, 2, 3, ... (7 in all)")
  })
})
