import { describe, expect, it } from "vitest"
import { erlangB, erlangC, mmcSteadyState } from "../../../src/models/queueing/index.ts"

describe("erlangC", () => {
  it("gives Wq = 81/19 ≈ 4.263 s for 2 servers, λ = 1.8/s, μ = 1/s", () => {
    const steady = mmcSteadyState({ arrivalRate: 1.8, serviceRate: 1, servers: 2 })

    expect(steady.meanWait).toBeCloseTo(81 / 19, 12)
    expect(steady.meanWait).toBeCloseTo(4.263, 3)
    expect(steady.probabilityOfWaiting).toBeCloseTo(81 / 95, 12)
    expect(steady.utilisation).toBeCloseTo(0.9, 12)
  })

  it("reduces to the M/M/1 formulas with one server: P(wait) = ρ, Wq = ρ/(μ − λ)", () => {
    const steady = mmcSteadyState({ arrivalRate: 0.9, serviceRate: 1, servers: 1 })

    expect(erlangC(1, 0.9)).toBeCloseTo(0.9, 14)
    expect(steady.meanWait).toBeCloseTo(9, 12)
    expect(steady.meanQueueLength).toBeCloseTo(8.1, 12)
    expect(steady.meanTimeInSystem).toBeCloseTo(10, 12)
    expect(steady.meanInSystem).toBeCloseTo(9, 12)
  })

  it("matches the published Erlang B table value B(10, 5) = 0.01838", () => {
    expect(erlangB(10, 5)).toBeCloseTo(0.018385, 6)
  })

  it("gives P(wait) = 81/290 and Wq = 81/319 ≈ 0.254 s for 2 servers at λ = 0.9/s, μ = 1/s", () => {
    const steady = mmcSteadyState({ arrivalRate: 0.9, serviceRate: 1, servers: 2 })

    expect(steady.probabilityOfWaiting).toBeCloseTo(81 / 290, 12)
    expect(steady.meanWait).toBeCloseTo(81 / 319, 12)
  })

  it("reports no steady state when λ >= cμ: stable false, infinite waits, utilisation 1", () => {
    for (const arrivalRate of [2, 2.5]) {
      const steady = mmcSteadyState({ arrivalRate, serviceRate: 1, servers: 2 })

      expect(steady.stable).toBe(false)
      expect(steady.meanWait).toBe(Infinity)
      expect(steady.meanQueueLength).toBe(Infinity)
      expect(steady.utilisation).toBe(1)
      expect(steady.probabilityOfWaiting).toBe(1)
    }
  })

  it("rejects rates that are not finite and positive, and servers that are not integers >= 1", () => {
    expect(() => mmcSteadyState({ arrivalRate: 0, serviceRate: 1, servers: 1 })).toThrow(RangeError)
    expect(() => mmcSteadyState({ arrivalRate: 1, serviceRate: NaN, servers: 1 })).toThrow(RangeError)
    expect(() => mmcSteadyState({ arrivalRate: 1, serviceRate: 1, servers: 1.5 })).toThrow(RangeError)
    expect(() => erlangB(0, 1)).toThrow(RangeError)
  })
})
