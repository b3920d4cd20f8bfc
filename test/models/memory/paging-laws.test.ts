/**
 * The law block of page replacement: same seed → same trace (OSTEP's CLOCK, which draws), time
 * never goes backwards, the checks accept healthy runs of every policy on several seeds, and reject
 * doctored runs (an overfull cache, a victim that was not resident, fewer misses than OPT).
 */
import { describe, expect, it } from "vitest"
import { MersenneTwister, Simulation } from "../../../src/kernel/index.ts"
import {
  PAGING_POLICIES,
  type PagingPolicy,
  type PagingResult,
  PagingScenario,
  pagingChecks,
  randomReferences,
} from "../../../src/models/memory/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

function scenario(sim: Simulation, seed: number, policy: PagingPolicy, frames = 4): PagingScenario {
  const random = new MersenneTwister(seed)
  const refs = randomReferences(random, 40, 8)
  return new PagingScenario(sim, { refs, policy, frames, random })
}

function paging(seed: number, policy: PagingPolicy, frames = 4): PagingResult {
  return scenario(new Simulation({ seed }), seed, policy, frames).run()
}

describe("page replacement laws", () => {
  it("gives the same trace for the same seed: OSTEP's CLOCK, which draws its probes", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const run = scenario(sim, seed, "clock")
        return tracedRunOf(sim, () => void run.run())
      },
      3,
      { label: "paging", minRecords: 40 },
    )

    expect(report.records).toBe(40)
  })

  it("never moves the clock backwards, reference by reference", () => {
    const sim = new Simulation({ seed: 2 })
    scenario(sim, 2, "lru")

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThanOrEqual(40)
  })

  it("accepts every policy's runs on eight seeds, with 1, 4 and 9 frames", () => {
    for (const seed of SEEDS)
      for (const policy of PAGING_POLICIES)
        for (const frames of [1, 4, 9]) {
          const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => paging(s, policy, frames), pagingChecks, seed)
          expect(verdicts.map((verdict) => verdict.name)).toEqual([
            "resident-within-frames",
            "victims-were-resident",
            "compulsory-misses",
            "opt-is-a-lower-bound",
          ])
        }
  })

  it("rejects a cache holding more pages than frames", () => {
    const healthy = paging(1, "fifo", 3)
    const last = healthy.accesses.at(-1)!
    const overfull = {
      ...healthy,
      accesses: [...healthy.accesses.slice(0, -1), { ...last, frames: [...last.frames, 99] }],
    }

    lawCheckerRejectsKnownBadRun(overfull, pagingChecks, {
      name: "resident-within-frames",
      detail: /^more than 3 pages/,
    })
  })

  it("rejects a victim that was not resident", () => {
    const healthy = paging(1, "lru", 3)
    const i = healthy.accesses.findIndex((access) => access.victim !== null)
    const wrong = healthy.accesses.map((access, k) => (k === i ? { ...access, victim: 99 } : access))

    lawCheckerRejectsKnownBadRun({ ...healthy, accesses: wrong }, pagingChecks, {
      name: "victims-were-resident",
      detail: new RegExp(`^ref ${i}: page \\d+, victim 99`),
    })
  })

  it("rejects a run that claims fewer misses than OPT", () => {
    const healthy = paging(3, "fifo", 3)
    const opt = paging(3, "opt", 3).misses

    lawCheckerRejectsKnownBadRun({ ...healthy, misses: opt - 1 }, pagingChecks, {
      name: "opt-is-a-lower-bound",
      detail: /< OPT's/,
    })
  })
})
