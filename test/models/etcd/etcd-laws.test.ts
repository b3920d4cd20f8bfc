/**
 * The etcd lock's story and law block: the timeline tells a paused holder losing its key; same
 * seed → same trace; time never goes backwards; the checks accept fault-free runs and reject a run
 * where a holder paused past its lease while the next client held the lock.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  checkEtcdLock,
  type EtcdEvent,
  EtcdLockScenario,
  type EtcdLockScenarioOptions,
  etcdTimeline,
} from "../../../src/models/etcd/index.ts"
import type { FaultPlan, NetEvent } from "../../../src/net/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const PAUSE_PAST_LEASE: FaultPlan = { faults: [{ kind: "pause", node: "c0", at: 100, durationMs: 5000 }] }

function scenario(seed: number, options: Partial<EtcdLockScenarioOptions> = {}, keep = 0): EtcdLockScenario {
  return new EtcdLockScenario(new Simulation({ seed, trace: { keep } }), {
    clients: [
      { startMs: 0, holdMs: 300, rounds: 2 },
      { startMs: 50, holdMs: 300, rounds: 2 },
      { startMs: 100, holdMs: 300, rounds: 2 },
    ],
    durationMs: 10_000,
    ...options,
  })
}

describe("etcd timeline", () => {
  it("tells how a holder paused past its lease loses the lock to the next waiter", () => {
    const built = scenario(
      1,
      {
        clients: [
          { startMs: 0, holdMs: 6000 },
          { startMs: 10, holdMs: 100 },
        ],
        plan: PAUSE_PAST_LEASE,
      },
      Infinity,
    )

    built.run()

    const lines = built.sim.trace
      .records()
      .map((record) => ({ t: record.t, line: etcdTimeline(record as unknown as Traced<EtcdEvent | NetEvent>) }))
      .filter(({ line }) => line !== undefined)
      .map(({ t, line }) => `${t} ${line}`)
    expect(lines).toEqual([
      "1 etcd: lease 694d0001 granted to c0, TTL 2000ms",
      "3 etcd: put lock/694d0001 by c0 at revision 2",
      "4 c0 holds the lock: lock/694d0001, token 2, lease valid until t=2002ms by its clock",
      "11 etcd: lease 694d0002 granted to c1, TTL 2000ms",
      "13 etcd: put lock/694d0002 by c1 at revision 3",
      "16 c1 waits: lock/694d0002 (revision 3) watches lock/694d0001",
      "100 c0 PAUSED until t=5100ms (a GC or VM stall: it does not know)",
      "2500 etcd: lock/694d0001 deleted: its lease expired at revision 4",
      "2500 etcd: lease 694d0001 EXPIRED (no keep-alive within its TTL)",
      "2505 c1 holds the lock: lock/694d0002, token 3, lease valid until t=4018ms by its clock",
      "2606 etcd: lock/694d0002 deleted at revision 5",
      "2607 c1 released the lock (token 3)",
      "2608 etcd: lease 694d0002 revoked",
      "5100 c0 resumed, carrying on as if nothing happened",
      "5100 c0: its clock says lease 694d0001 is over (no keep-alive answer within the TTL)",
      "6006 c0 released the lock (token 2), but its key was already gone",
    ])
  })
})

describe("etcd model laws", () => {
  it("gives the same trace for the same seed, with a pause and a partition", () => {
    const plan: FaultPlan = {
      faults: [
        { kind: "pause", node: "c1", at: 200, durationMs: 2500 },
        { kind: "partition", groups: [["c2"], ["etcd", "c0", "c1"]], at: 400, healAt: 1500 },
      ],
    }

    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, { plan }, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "etcd", minRecords: 100 },
    )

    expect(report.records).toBeGreaterThanOrEqual(100)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = scenario(2)

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(100)
  })

  it("accepts fault-free runs on several seeds, with 6 acquisitions each", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = scenario(seed).run()
      const verdicts = lawCheckerAcceptsFaultFreeRuns(() => result, checkEtcdLock, seed)

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["mutual-exclusion", "fencing-tokens-increase"])
      expect(result.summary()).toEqual({ acquisitions: 6, tokens: [2, 3, 4, 6, 8, 10], finalRevision: 13 })
    }
  })

  it("rejects a run where a holder paused past its lease while the next client held the lock", () => {
    const bad = scenario(1, {
      clients: [
        { startMs: 0, holdMs: 6000 },
        { startMs: 10, holdMs: 100 },
      ],
      plan: PAUSE_PAST_LEASE,
    }).run()

    const rejection = lawCheckerRejectsKnownBadRun(bad, checkEtcdLock, {
      name: "mutual-exclusion",
      detail:
        /two holders from t=2505 to t=2605: c0 held from t=4 to t=5100 with token 2; c1 held from t=2505 to t=2605 with token 3/,
    })
    expect(rejection.held).toBe(false)
  })
})
