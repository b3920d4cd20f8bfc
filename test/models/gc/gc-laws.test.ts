/**
 * The law block of the GC model: same seed → same trace, time never goes backwards, the checks
 * accept every tracing collector's runs on several seeds, and reject known-bad runs: reference
 * counting with cycles (a real run: it leaks), and doctored results (a live byte freed, a heap
 * over its goal).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { type GcRunResult, GcScenario, gcChecks } from "../../../src/models/gc/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SEEDS = [1, 2, 3, 4, 5]
const ALLOC = 100_000

describe("GC laws", () => {
  it("gives the same trace for the same seed, concurrent marking included", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new GcScenario(sim, { collector: "concurrent", durationMs: 1000 })
        return tracedRunOf(sim, () => void scenario.run())
      },
      4,
      { label: "gc", minRecords: 100 },
    )

    expect(report.records).toBeGreaterThan(100)
  })

  it("never moves the clock backwards through pauses", () => {
    const sim = new Simulation({ seed: 2 })
    new GcScenario(sim, { collector: "stw", durationMs: 1000 })

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThan(500)
  })

  it("accepts stop-the-world and concurrent runs on five seeds", () => {
    for (const seed of SEEDS)
      for (const collector of ["stw", "concurrent"] as const) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => new GcScenario(new Simulation({ seed: s }), { collector, allocBytesPerMs: ALLOC }).run(),
          (r) => gcChecks(r, collector, ALLOC),
          seed,
        )
        expect(verdicts.length).toBe(collector === "stw" ? 3 : 2)
      }
  })

  it("rejects reference counting with cycles: it leaks", () => {
    const leaky = new GcScenario(new Simulation({ seed: 1 }), { collector: "refcount", cycleFraction: 0.05 }).run()

    lawCheckerRejectsKnownBadRun(leaky, (r) => gcChecks(r, "refcount", ALLOC), {
      name: "no-leak",
      detail: /MB of dead objects in reference cycles can never be freed/,
    })
  })

  it("rejects a run that freed a live byte, and one whose heap ran past its goal", () => {
    const healthy = new GcScenario(new Simulation({ seed: 1 }), { collector: "stw", allocBytesPerMs: ALLOC }).run()
    const freedLive: GcRunResult = { ...healthy, liveFreedAt: [250] }
    const overGoal: GcRunResult = { ...healthy, maxOvershootBytes: 3 * ALLOC }

    lawCheckerRejectsKnownBadRun(freedLive, (r) => gcChecks(r, "stw", ALLOC), {
      name: "no-live-object-freed",
      detail: /t=250/,
    })
    lawCheckerRejectsKnownBadRun(overGoal, (r) => gcChecks(r, "stw", ALLOC), { name: "heap-within-goal" })
  })
})
