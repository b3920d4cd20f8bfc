import { describe, expect, it } from "vitest"
import { largest, smallest } from "../../src/kernel/index.ts"

describe("largest and smallest", () => {
  it("take lists far longer than Math.max(...values) can (it overflows the stack near 120,000)", () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003)

    expect(() => Math.max(...values)).toThrow(RangeError)
    expect(largest(values)).toBe(values.reduce((a, b) => Math.max(a, b)))
    expect(smallest(values)).toBe(values.reduce((a, b) => Math.min(a, b)))
  })

  it("include the floor or ceiling, which an empty list returns; NaN wins as in Math.max", () => {
    expect(largest([-3, -1], 0)).toBe(0)
    expect(smallest([3, 1], 0)).toBe(0)
    expect(largest([])).toBe(-Infinity)
    expect(smallest([], 5)).toBe(5)
    expect(largest([1, NaN, 2])).toBeNaN()
    expect(smallest([1, NaN, 2])).toBeNaN()
  })
})
