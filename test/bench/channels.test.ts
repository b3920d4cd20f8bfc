/**
 * The `channels` benchmark at a small size: every value comes back, and a round trip costs exactly
 * two kernel events (one per hand-off), plus the two processes' starts and ends.
 */
import { describe, expect, it } from "vitest"
import { runChannels } from "../../bench/channels.ts"

describe("bench/channels.ts", () => {
  it("runs 5,000 round trips (20,000 sends and receives) in 10,004 kernel events at time 0", () => {
    const result = runChannels(5_000)
    expect([result.workload, result.roundTrips, result.events, result.kernelEvents, result.simTime]).toEqual([
      "channels",
      5_000,
      20_000,
      10_004,
      0,
    ])
    expect(result.handoffsPerSec).toBeGreaterThan(0)
  })
})
