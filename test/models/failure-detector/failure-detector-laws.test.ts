/**
 * The law block of the failure detector: same seed → same trace, time never goes backwards, the
 * checks accept fault-free runs and reject a known-bad one (a pause longer than the timeout).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkCrashDetectedWithinTimeout,
  checkNoFalseSuspicion,
  type FailureDetectorOptions,
  type FailureDetectorResult,
  FailureDetectorScenario,
} from "../../../src/models/failure-detector/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const OPTIONS: FailureDetectorOptions = {
  heartbeatMs: 100,
  timeoutMs: 300,
  latencyMs: 5,
  lossProbability: 0.05,
  durationMs: 3000,
}

function scenario(seed: number, options: FailureDetectorOptions, keep = 0): FailureDetectorScenario {
  return new FailureDetectorScenario(new Simulation({ seed, trace: { keep } }), options)
}

/** Both checks of a run. */
function checks(result: FailureDetectorResult) {
  return [checkNoFalseSuspicion(result, OPTIONS.timeoutMs), checkCrashDetectedWithinTimeout(result, OPTIONS.timeoutMs)]
}

describe("failure detector model laws", () => {
  it("gives the same trace for the same seed, with loss, a pause and a crash", () => {
    const plan = {
      faults: [
        { kind: "pause" as const, node: "n1", at: 450, durationMs: 500 },
        { kind: "crash" as const, node: "n3", at: 1550 },
      ],
    }

    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, { ...OPTIONS, plan }, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      7,
      { label: "the failure detector", minRecords: 100 },
    )

    expect(report.records).toBeGreaterThanOrEqual(100)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = scenario(5, {
      ...OPTIONS,
      plan: { faults: [{ kind: "crash", node: "monitor", at: 500, restartAt: 900 }] },
    })

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(300)
  })

  it("accepts fault-free runs on several seeds (no crash to judge, no suspicion)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) => scenario(s, { ...OPTIONS, lossProbability: 0 }).run(),
        checks,
        seed,
      )

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["no-false-suspicion", "crash-detected-within-timeout"])
    }
  })

  it("rejects a run where a 500ms pause made the monitor suspect a live node", () => {
    const bad = scenario(1, {
      ...OPTIONS,
      lossProbability: 0,
      plan: { faults: [{ kind: "pause", node: "n1", at: 450, durationMs: 500 }] },
    }).run()

    const rejection = lawCheckerRejectsKnownBadRun(bad, checks, {
      name: "no-false-suspicion",
      detail: /n1 suspected .* although it was alive \(paused\)/,
    })

    expect(rejection.held).toBe(false)
  })

  it("summarises a run as the sim's JSON metrics, field for field", () => {
    const result = scenario(1, {
      ...OPTIONS,
      lossProbability: 0,
      plan: { faults: [{ kind: "crash", node: "n3", at: 1550 }] },
    }).run()

    expect(Object.keys(result.summary())).toEqual([
      "falseSuspicions",
      "detectionTimesMs",
      "meanDetectionMs",
      "suspicions",
      "crashes",
      "faults",
      "messagesSent",
      "messagesDelivered",
      "messagesDropped",
      "nodes",
    ])
    expect(result.summary()).toMatchObject({
      falseSuspicions: 0,
      suspicions: 1,
      crashes: 1,
      faults: 1,
      detectionTimesMs: result.detectionTimesMs,
    })
    expect(result.summary().nodes).toEqual(Object.fromEntries(result.nodes.map(({ node, ...row }) => [node, row])))
  })
})
