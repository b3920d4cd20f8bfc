/**
 * The law block of the lock model: same seed → same trace, time never goes backwards, the checks
 * accept fault-free runs (Redis lock and Redlock) and reject a known-bad run (scenario L1 of
 * docs/locks.md without fencing: two holders and A's stale write accepted).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkLockMutualExclusion,
  checkNoStaleWriteAccepted,
  type LeaseLockOptions,
  type LeaseLockResult,
  LeaseLockScenario,
} from "../../../src/models/lock/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const PAUSE: LeaseLockOptions = { plan: { faults: [{ kind: "pause", node: "client-0", at: 100, durationMs: 1500 }] } }

function lockChecks(result: LeaseLockResult) {
  return [checkLockMutualExclusion(result.history), checkNoStaleWriteAccepted(result.history)]
}

describe("lock model laws", () => {
  for (const service of ["redis", "redlock"] as const) {
    it(`${service}: gives the same trace for the same seed, with a pause longer than the TTL`, () => {
      const report = lawSameSeedSameTrace(
        (seed) => {
          const sim = new Simulation({ seed, trace: { keep: Infinity } })
          const scenario = new LeaseLockScenario(sim, { ...PAUSE, service })
          return tracedRunOf(sim, () => void scenario.run())
        },
        3,
        { label: `lease-lock ${service}`, minRecords: 200 },
      )
      expect(report.records).toBeGreaterThanOrEqual(200)
    })
  }

  it("never moves the clock backwards, step by step", () => {
    const scenario = new LeaseLockScenario(new Simulation({ seed: 4 }), { ...PAUSE, service: "redlock" })
    let steps = 0
    scenario.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(1000)
  })

  for (const service of ["redis", "redlock"] as const) {
    it(`${service}: accepts fault-free runs on several seeds`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => new LeaseLockScenario(new Simulation({ seed: s }), { service }).run(),
          lockChecks,
          seed,
        )
        expect(verdicts.map((verdict) => verdict.name)).toEqual(["mutual-exclusion", "no-stale-write-accepted"])
      }
    })
  }

  it("rejects the L1 run without fencing: a stale write accepted after a newer holder's", () => {
    const sim = new Simulation({ seed: 1 })
    const scenario = new LeaseLockScenario(sim, {
      durationMs: 20_000,
      ttlMs: 10_000,
      clients: 2,
      renew: false,
      tokenCounterStart: 32,
      latencyMs: 0,
      retryDelayMs: 1,
      retryMaxDelayMs: 1,
      workload: { workMs: 1000, writesPerHold: 1, holdsPerClient: 1, startStaggerMs: 0 },
    })
    sim.run({ until: Number.MIN_VALUE })
    scenario.network.node("client-0").pause(15_000)
    const rejection = lawCheckerRejectsKnownBadRun(scenario.run(), lockChecks, {
      name: "no-stale-write-accepted",
      detail: /token 33 at t=15000 after token 34/,
    })
    expect(rejection.held).toBe(false)
  })
})
