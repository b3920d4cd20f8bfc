/**
 * The law blocks of the counters model: same seed → same trace, time never goes backwards, the
 * checker accepts fault-free runs and rejects a known-bad one — for the like counter
 * (`no-lost-counts`: safe strategies accepted, naive read-then-write rejected), the batch writer
 * (`matches-cost-model`) and the lost-update race (`no-lost-like`).
 */
import { describe, expect, it } from "vitest"
import { explore } from "../../../src/check/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  BatchCommitScenario,
  checkMatchesCostModel,
  checkNoLostCounts,
  checkNoLostLike,
  type CounterScenarioOptions,
  CounterScenario,
  LostUpdateRaceScenario,
  lostUpdateRace,
  STRATEGIES,
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

const BATCH = { rows: 60, batchSize: 7, comparedBatchSizes: [5, 20], fsyncMs: 2, rowMs: 0.05, fsyncJitter: 0.5 }

describe("batch-commit model laws", () => {
  it("gives the same trace for the same seed (jittered flushes)", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = new BatchCommitScenario(new Simulation({ seed, trace: { keep: Infinity } }), BATCH)
        return tracedRunOf(built.sim, () => void built.run())
      },
      5,
      { label: "batch-commit", minRecords: 60 },
    )

    expect(report.records).toBeGreaterThanOrEqual(60)
  })

  it("never moves the clock backwards, step by step", () => {
    const built = new BatchCommitScenario(new Simulation({ seed: 2 }), BATCH)

    let steps = 0
    built.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(4 * 60)
  })

  it("accepts runs on several seeds with matches-cost-model", () => {
    for (const seed of [1, 2, 3]) {
      const run = (s: number) => new BatchCommitScenario(new Simulation({ seed: s }), BATCH).run()

      const verdicts = lawCheckerAcceptsFaultFreeRuns(run, (result) => checkMatchesCostModel(result, BATCH), seed)

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["matches-cost-model"])
    }
  })

  it("rejects a run judged against a cost model with twice the flush cost", () => {
    const result = new BatchCommitScenario(new Simulation({ seed: 1 }), BATCH).run()

    const rejection = lawCheckerRejectsKnownBadRun(result, (r) => checkMatchesCostModel(r, { ...BATCH, fsyncMs: 4 }), {
      name: "matches-cost-model",
      detail: /batch size 1 took/,
    })

    expect(rejection.held).toBe(false)
  })
})

describe("lost-update race laws", () => {
  const enumerate = () => ({ schedules: 1, violatingSchedules: 0, states: [], shortest: undefined })
  const race = (seed: number) =>
    new LostUpdateRaceScenario(new Simulation({ seed, trace: { keep: Infinity } }), {
      clients: 2,
      strategies: STRATEGIES,
      samples: 10,
      enumerate,
    })

  it("gives the same sampled schedules for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = race(seed)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "lost-update race", minRecords: 60 },
    )

    expect(report.records).toBe(60)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    race(1).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThanOrEqual(60)
  })

  it("accepts every schedule of the safe strategies and rejects naive's, by exhaustive enumeration", () => {
    for (const strategy of SAFE) {
      const report = explore(lostUpdateRace(strategy, 2))
      const verdict = checkNoLostLike(
        { strategy, sampledLosing: 0, enumeration: { ...report, shortest: undefined } },
        2,
      )

      expect(verdict.held, strategy).toBe(true)
    }
    const naive = explore(lostUpdateRace("naive", 2))
    const rejection = lawCheckerRejectsKnownBadRun(
      { strategy: "naive" as const, sampledLosing: 0, enumeration: { ...naive, shortest: undefined } },
      (report) => checkNoLostLike(report, 2),
      { name: "no-lost-like/naive", detail: /4 of 6 interleavings lose a like/ },
    )

    expect(rejection.held).toBe(false)
  })
})
