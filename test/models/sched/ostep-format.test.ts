import { describe, expect, it } from "vitest"
import { pythonFixed } from "../../../src/models/sched/index.ts"

describe("pythonFixed", () => {
  const cases: [number, number, string][] = [
    [53.125, 2, "53.12"],
    [46.875, 2, "46.88"],
    [0.125, 2, "0.12"],
    [2.5, 0, "2"],
    [3.5, 0, "4"],
    [1.005, 2, "1.00"],
    [465.6666666, 2, "465.67"],
    [99.995, 2, "100.00"],
    [9.995, 2, "9.99"],
    [-0.001, 2, "-0.00"],
    [133.33333333333334, 2, "133.33"],
    [0, 2, "0.00"],
  ]
  for (const [value, decimals, expected] of cases) {
    it(`prints ${value} with ${decimals} decimals as Python's '%.${decimals}f' does: ${expected}`, () => {
      expect(pythonFixed(value, decimals)).toBe(expected)
    })
  }

  it("differs from toFixed only on exact ties", () => {
    expect((53.125).toFixed(2)).toBe("53.13")
    expect(pythonFixed(53.125, 2)).toBe("53.12")
  })
})
