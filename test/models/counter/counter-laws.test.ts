/**
 * The law block of the like-counter model: same seed → same trace, time never goes backwards,
 * `no-lost-counts` accepts fault-free runs of the safe strategies and rejects naive
 * read-then-write under concurrent clients.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkNoLostCounts,
  type CounterScenarioOptions,
  CounterScenario,
  type Strategy,
} from "../../../src/models/counter/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SAFE: readonly Strategy[] = ["atomic-update", "upsert", "cache-hincrby", "cache-script"]

function scenario(
  seed: number,
  strategy: Strategy,
  options: Partial<CounterScenarioOptions> = {},
  keep = 0,
): CounterScenario {
  return new CounterScenario(new Simulation({ seed, trace: { keep } }), {
    strategy,
    clients: 4,
    likes: 20,
    articles: 2,
    ...options,
  })
}

describe("like-counter model laws", () => {
  it("gives the same trace for the same seed, with unlikes and a partition", () => {
    const plan = { faults: [{ kind: "partition" as const, groups: [["c1"], ["db", "cache"]], at: 20, healAt: 60 }] }

    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, "upsert", { unlikeProbability: 0.3, plan }, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      11,
      { label: "like-counter", minRecords: 20 },
    )

    expect(report.records).toBeGreaterThanOrEqual(20)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = scenario(4, "naive")

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, until === undefined ? {} : { until }).steps
    })

    expect(steps).toBeGreaterThan(100)
  })

  it("accepts fault-free runs of every safe strategy on several seeds", () => {
    for (const strategy of SAFE) {
      for (const seed of [1, 2, 3]) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => scenario(s, strategy).run(), checkNoLostCounts, seed)

        expect(verdicts.map((verdict) => verdict.name)).toEqual(["no-lost-counts"])
      }
    }
  })

  it("rejects naive read-then-write with four clients, naming the lost counts", () => {
    const result = scenario(1, "naive").run()

    const rejection = lawCheckerRejectsKnownBadRun(result, checkNoLostCounts, {
      name: "no-lost-counts",
      detail: /lost [1-9]/,
    })

    expect(rejection.held).toBe(false)
  })
})
