import { describe, expect, it } from "vitest"
import { Cubic, CUBIC_BETA, cubicK, cubicWindow, renoFriendlyAlpha } from "../../../src/models/tcp/index.ts"

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

describe("Cubic strategy", () => {
  const MSS = 1000
  const state = (cwndSegments: number, srttMs?: number) => ({
    cwndBytes: cwndSegments * MSS,
    ssthreshBytes: Infinity,
    flightBytes: cwndSegments * MSS,
    mssBytes: MSS,
    srttMs,
  })

  it("cuts to β·cwnd on a loss (100 → 70 segments) and remembers W_max = 100", () => {
    const cubic = new Cubic()

    const ssthresh = cubic.ssthreshAfterLoss(state(100))

    expect([ssthresh / MSS, cubic.wMax]).toEqual([70, 100])
  })

  it("with fast convergence, a loss below the last W_max sets W_max = cwnd·(1 + β)/2 (80 → 68)", () => {
    const cubic = new Cubic()
    cubic.ssthreshAfterLoss(state(100))

    cubic.ssthreshAfterLoss(state(80))

    expect(round(cubic.wMax, 9)).toBe(68)
  })

  it("follows the cubic, not Reno, at RTT 100ms: from 70 after the loss at W_max 100 it is back at 100 K = 4.2172 s later", () => {
    const cubic = new Cubic()
    cubic.ssthreshAfterLoss(state(100))
    let cwnd = 70

    // about one ACK per segment per round trip: one every millisecond at RTT 100ms
    for (let tMs = 0; tMs <= 4217; tMs += 1) cwnd = cubic.growInAvoidance(state(cwnd, 100), MSS, tMs) / MSS

    expect(cwnd).toBeGreaterThan(99.5)
    expect(cwnd).toBeLessThan(100.5)
  })

  it("follows the Reno-friendly W_est above the cubic: at RTT 10ms, +0.53 per round trip up to 100, then +1 (143.3 after 1 s)", () => {
    const cubic = new Cubic()
    cubic.ssthreshAfterLoss(state(100))
    let cwnd = 70

    // one ACK per segment: cwnd ACKs per 10ms round trip, for 1 s
    let tMs = 0
    while (tMs < 1000) {
      cwnd = cubic.growInAvoidance(state(cwnd, 10), MSS, tMs) / MSS
      tMs += 10 / cwnd
    }

    // 30 / 0.529412 = 56.7 round trips to W_max 100, then 43.3 round trips of +1
    expect(cwnd).toBeGreaterThan(142.8)
    expect(cwnd).toBeLessThan(143.8)
    expect(cubicWindow(1, 100, cubicK(100, 70))).toBeLessThan(cwnd)
  })
})
