import { describe, expect, it } from "vitest"
import { RtoEstimator } from "../../../src/models/tcp/index.ts"

describe("RtoEstimator (RFC 6298)", () => {
  it("starts at 1 s before any sample", () => {
    expect(new RtoEstimator().rtoMs).toBe(1000)
  })

  it("takes a first sample of 100ms as SRTT 100, RTTVAR 50, and rounds 300ms up to the 1 s floor", () => {
    const rto = new RtoEstimator()

    const value = rto.sample(100)

    expect([rto.srttMs, rto.rttvarMs, value]).toEqual([100, 50, 1000])
    expect(new RtoEstimator({ minRtoMs: 0 }).sample(100)).toBe(300)
  })

  it("from SRTT 100 and RTTVAR 5, gives RTTVAR 5.25, SRTT 100.75, RTO 121.75 for a sample of 106 (no floor)", () => {
    const rto = new RtoEstimator({ minRtoMs: 0 }).restore(100, 5)

    const value = rto.sample(106)

    expect(rto.rttvarMs).toBe(5.25)
    expect(rto.srttMs).toBe(100.75)
    expect(value).toBe(121.75)
  })

  it("then gives 138.16, 170.86, 170.62, 164.99 for samples 120, 140, 90, 115", () => {
    const rto = new RtoEstimator({ minRtoMs: 0 }).restore(100, 5)
    rto.sample(106)

    const values = [120, 140, 90, 115].map((sample) => Number(rto.sample(sample).toFixed(2)))

    expect(values).toEqual([138.16, 170.86, 170.62, 164.99])
  })

  it("with the floor on, the same samples all give 1000ms", () => {
    const rto = new RtoEstimator().restore(100, 5)

    const values = [106, 120, 140, 90, 115].map((sample) => rto.sample(sample))

    expect(values).toEqual([1000, 1000, 1000, 1000, 1000])
  })

  it("doubles on every back-off up to the 60 s ceiling, and a new sample ends the back-off", () => {
    const rto = new RtoEstimator()

    const backedOff = Array.from({ length: 8 }, () => rto.backOff())
    const after = rto.sample(100)

    expect(backedOff).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
    expect(after).toBe(1000)
  })
})
