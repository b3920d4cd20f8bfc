/**
 * The law block of the consumer group (consumer, membership client, scenario over real brokers):
 * same seed → same trace, time never goes backwards, the checks accept fault-free runs and reject a
 * known-bad one (a member paused past its session: a zombie processing alongside the new owner).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  type ConsumerGroupResult,
  ConsumerGroupScenario,
  type ConsumerGroupScenarioOptions,
} from "../../../../src/models/kafka/group/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../../laws/index.ts"

/** Short runs over the real brokers: 10 s sessions, 1 s heartbeats, 50 records/s for 30 s. */
const SHORT: ConsumerGroupScenarioOptions = {
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1000,
  ratePerSecond: 50,
  durationMs: 30_000,
}
const CHURN = { ...SHORT, joins: [{ consumer: "c3", at: 8000 }], crashes: [{ consumer: "c1", at: 15_000 }] }

function scenario(seed: number, options: ConsumerGroupScenarioOptions, keep = 0): ConsumerGroupScenario {
  return new ConsumerGroupScenario(new Simulation({ seed, trace: { keep } }), options)
}

const checks = (result: ConsumerGroupResult) => result.checks

describe("consumer group laws", () => {
  it("gives the same trace for the same seed, with a join and a crash", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, CHURN, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      4,
      { label: "consumer group", minRecords: 1000 },
    )
    expect(report.records).toBeGreaterThanOrEqual(1000)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    scenario(5, CHURN).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(10_000)
  })

  it("accepts fault-free runs on several seeds, with each protocol", () => {
    for (const seed of [1, 2, 3]) {
      for (const extra of [{}, { assignor: "cooperative-sticky", protocol: "cooperative" }] as const) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => scenario(s, { ...SHORT, ...extra }).run(), checks, seed)
        expect(verdicts.map((v) => v.name)).toEqual(["one-owner-per-partition", "no-concurrent-processing"])
      }
    }
  })

  it("rejects a run with a member paused past its session timeout (a zombie)", () => {
    // The pause must catch c1 mid-batch: try pause instants until one does (200 records/s keeps it busy a third of the time).
    let bad: ConsumerGroupResult | undefined
    for (let at = 8000; at < 8200 && bad === undefined; at += 7) {
      const pauses = [{ consumer: "c1", at, durationMs: 15_000 }]
      const result = scenario(1, { ...SHORT, ratePerSecond: 200, pauses }).run()
      if (!result.checks[1]!.held) bad = result
    }
    expect(bad).toBeDefined()
    const rejection = lawCheckerRejectsKnownBadRun(bad!, checks, { name: "no-concurrent-processing" })
    expect(rejection.held).toBe(false)
    expect(bad!.checks[0]!.held).toBe(true)
  })
})
