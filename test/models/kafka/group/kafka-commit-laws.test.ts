/**
 * The law block of the kafka-commit scenario over real brokers: same seed → same trace, time never
 * goes backwards, `no-message-lost` accepts fault-free runs (no crash, every commit choice) and
 * rejects a known-bad one (max commits with 4 workers, c0 crashing while a slow record runs below
 * the committed offset).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  COMMIT_CHOICES,
  type KafkaCommitResult,
  KafkaCommitScenario,
  type KafkaCommitScenarioOptions,
} from "../../../../src/models/kafka/group/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../../laws/index.ts"

/** Short runs: 1,000 records at 100/s, 25 s. */
const SHORT: KafkaCommitScenarioOptions = { records: 1000, durationMs: 25_000, crashAtMs: 8000 }

function scenario(seed: number, options: KafkaCommitScenarioOptions, keep = 0): KafkaCommitScenario {
  return new KafkaCommitScenario(new Simulation({ seed, trace: { keep } }), options)
}

const checks = (result: KafkaCommitResult) => result.checks

describe("kafka-commit laws", () => {
  it("gives the same trace for the same seed, with a crash and a takeover", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, { ...SHORT, commit: "max", workers: 4 }, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "kafka-commit", minRecords: 1000 },
    )
    expect(report.records).toBeGreaterThanOrEqual(1000)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    scenario(5, SHORT).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(10_000)
  })

  it("accepts fault-free runs (no crash) with every commit choice", () => {
    for (const commit of COMMIT_CHOICES) {
      const workers = commit === "max" || commit === "contiguous" ? 4 : 1
      const options = { ...SHORT, crashAtMs: null, commit, workers }
      const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => scenario(s, options).run(), checks, 2)
      expect(verdicts.map((v) => v.name)).toEqual(["no-message-lost"])
    }
  })

  it("rejects max commits with a crash while a slow record runs below the committed offset", () => {
    const bad = scenario(1, { commit: "max", workers: 4 }).run()
    const rejection = lawCheckerRejectsKnownBadRun(bad, checks, { name: "no-message-lost" })
    expect(rejection.held).toBe(false)
    expect(bad.summary().lostOffsets).toEqual({ t0p0: "993" })
  })
})
