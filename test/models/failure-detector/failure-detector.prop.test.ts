import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkCrashDetectedWithinTimeout,
  checkNoFalseSuspicion,
  FailureDetectorScenario,
  type FailureDetectorOptions,
} from "../../../src/models/failure-detector/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"
import { checkProperty, FC_SEED, lawSameSeedSameTrace, tracedRunOf } from "../../laws/index.ts"

const TEST_FILE = "test/models/failure-detector/failure-detector.prop.test.ts"

function scenario(seed: number, options: FailureDetectorOptions): FailureDetectorScenario {
  return new FailureDetectorScenario(new Simulation({ seed, trace: { keep: Infinity } }), options)
}

/**
 * Timings where the timeout covers a heartbeat period plus the longest latency (1.5 × the mean):
 * between two arrivals at most a period plus the latency spread passes, and the first heartbeat
 * must arrive within the detector's initial grace of one timeout.
 */
const safeTimings = fc
  .record({
    heartbeatMs: fc.integer({ min: 10, max: 200 }),
    latencyMs: fc.integer({ min: 0, max: 50 }),
    marginMs: fc.integer({ min: 1, max: 200 }),
  })
  .map(({ heartbeatMs, latencyMs, marginMs }) => ({
    heartbeatMs,
    latencyMs,
    timeoutMs: heartbeatMs + 1.5 * latencyMs + marginMs,
  }))

describe(`failure detector properties (FC_SEED=${FC_SEED})`, () => {
  it("never suspects a live node when there are no faults and the timeout covers a period plus the longest latency", () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), safeTimings, (seed, timings) => {
        const result = scenario(seed, { ...timings, durationMs: 3000 }).run()

        const verdict = checkNoFalseSuspicion(result, timings.timeoutMs)
        expect(verdict.held, verdict.detail).toBe(true)
        expect(result.suspicions).toEqual([])
      }),
      { testFile: TEST_FILE, numRuns: 40 },
    )
  })

  it("detects any crash of a watched node within the timeout plus the latency", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        safeTimings,
        fc.constantFrom("n1", "n2", "n3"),
        fc.integer({ min: 0, max: 1999 }),
        (seed, timings, node, crashAt) => {
          const plan: FaultPlan = { faults: [{ kind: "crash", node, at: crashAt }] }
          const result = scenario(seed, { ...timings, durationMs: 3000, plan }).run()

          const verdict = checkCrashDetectedWithinTimeout(result, timings.timeoutMs)
          expect(verdict.held, verdict.detail).toBe(true)
          expect(result.crashes).toMatchObject([{ node, verdict: "detected" }])
          expect(result.falseSuspicions).toBe(0)
        },
      ),
      { testFile: TEST_FILE, numRuns: 40 },
    )
  })

  it("gives the same trace for the same seed, with loss and a pause", () => {
    const plan: FaultPlan = { faults: [{ kind: "pause", node: "n1", at: 300, durationMs: 400 }] }
    const options: FailureDetectorOptions = {
      heartbeatMs: 100,
      timeoutMs: 250,
      latencyMs: 20,
      lossProbability: 0.2,
      durationMs: 3000,
      plan,
    }

    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        lawSameSeedSameTrace(
          (s) => {
            const built = scenario(s, options)
            return tracedRunOf(built.sim, () => void built.run())
          },
          seed,
          { label: "the failure detector" },
        )
      }),
      { testFile: TEST_FILE, numRuns: 10 },
    )
  })
})
