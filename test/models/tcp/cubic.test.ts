import { describe, expect, it } from "vitest"
import { CUBIC_BETA, cubicK, cubicWindow, renoFriendlyAlpha } from "../../../src/models/tcp/index.ts"

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals))

describe("CUBIC's window function (RFC 9438)", () => {
  it("has K = ∛75 = 4.2172 s for W_max 100 after the reduction to 70 (C 0.4, β 0.7)", () => {
    const k = cubicK(100, 100 * CUBIC_BETA)

    expect(round(k, 4)).toBe(4.2172)
    expect(round(k, 12)).toBe(round(Math.cbrt(75), 12))
  })

  it("gives W(0)=70, W(1)=86.681, W(2)=95.640, W(K)=100, W(6)=102.267, W(8)=121.653 for W_max 100", () => {
    const k = cubicK(100, 70)

    const values = [0, 1, 2, 6, 8].map((t) => round(cubicWindow(t, 100, k), 3))

    expect(values).toEqual([70, 86.681, 95.64, 102.267, 121.653])
    expect(round(cubicWindow(k, 100, k), 9)).toBe(100)
  })

  it("has K = 1.9574 s, W(0) = 7.0 and W(1) = 9.649 for W_max 10", () => {
    const k = cubicK(10, 7)

    expect(round(k, 4)).toBe(1.9574)
    expect(round(cubicWindow(0, 10, k), 3)).toBe(7)
    expect(round(cubicWindow(1, 10, k), 3)).toBe(9.649)
  })

  it("has K = 0 when the epoch starts at or above W_max (convex from the start)", () => {
    expect(cubicK(10, 12)).toBe(0)
  })

  it("has the Reno-friendly α = 3·0.3/1.7 = 0.529412", () => {
    expect(round(renoFriendlyAlpha(), 6)).toBe(0.529412)
  })
})
