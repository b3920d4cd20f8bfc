import { describe, expect, it } from "vitest"
import { formatMs } from "../../src/kernel/index.ts"

describe("formatMs", () => {
  it("rounds to a tenth by default and drops trailing zeros", () => {
    expect([formatMs(253.33), formatMs(120), formatMs(0.04), formatMs(-0.04), formatMs(1.25, 2)]).toEqual([
      "253.3ms",
      "120ms",
      "0ms",
      "0ms",
      "1.25ms",
    ])
  })

  it("shows infinities with their unit and NaN as n/a", () => {
    expect([formatMs(Infinity), formatMs(-Infinity), formatMs(Number.NaN)]).toEqual(["∞ms", "-∞ms", "n/a"])
  })
})
