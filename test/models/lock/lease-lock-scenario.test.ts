/**
 * The lease-lock scenario: acceptance scenario L1 of docs/locks.md (a pause longer than the TTL,
 * with and without fencing), and the bare defaults with a 1.5 s pause of client-0.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../../src/kernel/index.ts"
import {
  checkLockMutualExclusion,
  checkNoStaleWriteAccepted,
  LeaseLockScenario,
  type LeaseLockOptions,
} from "../../../src/models/lock/index.ts"

/** L1: TTL 10 s, two clients, counter at 32, no latency, client-0 paused from t=0 (after it acquired) to 15 s. */
function runL1(fencing: boolean) {
  const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
  const scenario = new LeaseLockScenario(sim, {
    durationMs: 20_000,
    ttlMs: 10_000,
    clients: 2,
    renew: false,
    fencing,
    tokenCounterStart: 32,
    latencyMs: 0,
    retryDelayMs: 1,
    retryMaxDelayMs: 1,
    workload: { workMs: 1000, writesPerHold: 1, holdsPerClient: 1, startStaggerMs: 0 },
  })
  // Every event at t=0 runs (client-0's SET, INCR and verifying extend take no time), then the pause.
  sim.run({ until: Number.MIN_VALUE })
  scenario.network.node("client-0").pause(15_000)
  const result = scenario.run()
  const story = sim.trace
    .records()
    .filter((r) => /^(LockAcquired|LockReleased|LockBelievedLost|Write|NodeResumed)/.test(r.type))
    .map((r: TraceRecord) => [r.t, r.type, r.client ?? r.node, r.token].filter((x) => x !== undefined).join(" "))
  return { result, story }
}

describe("lease-lock scenario L1 (docs/locks.md)", () => {
  it("without fencing: both writes accepted, two clients believe they hold, the final value is A's stale write", () => {
    const { result, story } = runL1(false)
    // B's acquisition comes at 10.001 s: Redis keeps a key through the millisecond its TTL ends.
    expect(story).toEqual([
      "0 LockAcquired client-0 33",
      "10001 LockAcquired client-1 34",
      "11001 WriteSent client-1 34",
      "11001 WriteAccepted client-1 34",
      "11001 LockReleased client-1 34",
      "15000 NodeResumed client-0",
      "15000 WriteSent client-0 33",
      "15000 LockBelievedLost client-0 33",
      "15000 WriteAccepted client-0 33",
    ])
    expect(result.summary()).toEqual({
      overlapMs: 1000,
      staleWritesAccepted: 1,
      staleWritesRejected: 0,
      acquisitions: 2,
      finalValue: "client-0#1.1",
    })
    expect(checkLockMutualExclusion(result.history)).toMatchObject({ held: false })
    expect(checkNoStaleWriteAccepted(result.history)).toEqual({
      name: "no-stale-write-accepted",
      held: false,
      detail: "1 stale writes accepted: client-0's write client-0#1.1 with token 33 at t=15000 after token 34",
    })
  })

  it("with fencing, on the same seed: A's write with token 33 is rejected, the final value is B's write", () => {
    const { result, story } = runL1(true)
    expect(story.at(-1)).toBe("15000 WriteRejected client-0 33")
    expect(result.summary()).toEqual({
      overlapMs: 1000,
      staleWritesAccepted: 0,
      staleWritesRejected: 1,
      acquisitions: 2,
      finalValue: "client-1#1.1",
    })
    expect(checkNoStaleWriteAccepted(result.history).held).toBe(true)
    expect(checkLockMutualExclusion(result.history).held).toBe(false)
  })
})

describe("lease-lock scenario defaults", () => {
  const pause = (fencing: boolean): LeaseLockOptions => ({
    fencing,
    plan: { faults: [{ kind: "pause", node: "client-0", at: 100, durationMs: 1500 }] },
  })

  it("a 1.5 s pause of the holder with a 1 s TTL: two holders for 513 ms and a stale write accepted", () => {
    const result = new LeaseLockScenario(new Simulation({ seed: 1 }), pause(false)).run()
    expect(result.summary()).toMatchObject({ overlapMs: 513.297, staleWritesAccepted: 1, staleWritesRejected: 0 })
    expect(checkLockMutualExclusion(result.history).detail).toMatch(
      /^two holders from t=1086\.7\d* to t=1600: client-0 held from t=5\.3\d* to t=1600 with token 1; client-1 held/,
    )
  })

  it("the same run with fencing rejects that write", () => {
    const result = new LeaseLockScenario(new Simulation({ seed: 1 }), pause(true)).run()
    expect(result.summary()).toMatchObject({ overlapMs: 513.297, staleWritesAccepted: 0, staleWritesRejected: 1 })
  })

  it("without faults the clients take turns: no overlap, no stale write, every write accepted", () => {
    const result = new LeaseLockScenario(new Simulation({ seed: 1 })).run()
    expect(result.summary()).toEqual({
      overlapMs: 0,
      staleWritesAccepted: 0,
      staleWritesRejected: 0,
      acquisitions: 8,
      finalValue: "client-2#3.2",
    })
    expect(checkLockMutualExclusion(result.history).held).toBe(true)
  })
})
