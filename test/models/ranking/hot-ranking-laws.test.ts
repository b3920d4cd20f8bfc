/**
 * The law block of the ranking model: same seed → same trace, time never goes backwards, the
 * checks accept fault-free runs and reject a known-bad one (the lock holder paused past its lease
 * while its job waits for Redis, no fencing: its stale list is accepted after the new holder's).
 */
import { describe, expect, it } from "vitest"
import { rankingChecks } from "../../../src/models/ranking/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"
import { rankingScenario, SMALL } from "./ranking-run.ts"

/** The holder pauses 1 ms into the job of period 4 (t=2000 with 500 ms periods) for 2.2 s. */
const PAUSE = { pauseAt: 2001, pauseMs: 2200 }

describe("ranking model laws", () => {
  it("gives the same trace for the same seed, with a pause of the lock holder", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const scenario = rankingScenario(seed, { ...SMALL, ...PAUSE, formula: "reddit" }, Infinity)
        return tracedRunOf(scenario.sim, () => void scenario.run())
      },
      3,
      { label: "ranking", minRecords: 200 },
    )

    expect(report.records).toBeGreaterThanOrEqual(200)
  })

  it("never moves the clock backwards, step by step", () => {
    const scenario = rankingScenario(4, { ...SMALL, ...PAUSE, redisDownAt: 3000, redisDownMs: 1000 })

    let steps = 0
    scenario.run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(1000)
  })

  it("accepts fault-free runs on several seeds, for both formulas", () => {
    for (const seed of [1, 2, 3]) {
      for (const formula of ["hn", "reddit"] as const) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => rankingScenario(s, { ...SMALL, formula }).run(),
          rankingChecks,
          seed,
        )

        expect(verdicts.map((verdict) => verdict.name)).toEqual([
          "one-job-per-period",
          "no-stale-write-accepted",
          "top-k-matches-full-sort",
        ])
      }
    }
  })

  it("rejects the run where a paused holder's stale list is accepted after the new holder's", () => {
    const bad = rankingScenario(1, { ...SMALL, ...PAUSE }).run()

    const rejection = lawCheckerRejectsKnownBadRun(bad, rankingChecks, {
      name: "no-stale-write-accepted",
      detail: /n1's list with token 1 accepted after token 2/,
    })
    expect(rejection.held).toBe(false)
    expect(bad.pausedNode).toBe("n1")
  })
})
