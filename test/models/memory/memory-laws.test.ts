/**
 * The law block of the address-translation models, one per mechanism: same seed → same trace,
 * time never goes backwards, the checks (`memory-checks.ts`) accept the translations of problems
 * drawn from many seeds, and reject doctored ones (a valid address moved outside its mapping, an
 * address that should fault answered, a mapped one reported as a fault).
 */
import { describe, expect, it } from "vitest"
import { MersenneTwister, Simulation } from "../../../src/kernel/index.ts"
import {
  type BaseBoundsProblem,
  type BaseBoundsTranslated,
  baseBoundsChecks,
  drawBaseBounds,
  translateBaseBounds,
  TranslationScenario,
} from "../../../src/models/memory/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

interface Run<P, E> {
  readonly problem: P
  readonly translations: readonly E[]
}

function baseBoundsProblem(seed: number): BaseBoundsProblem {
  const drawn = drawBaseBounds(
    { addressSpace: 1024, physicalMemory: 16384, numAddresses: 12 },
    new MersenneTwister(seed),
  )
  if (!drawn.ok) throw new Error(drawn.rule)
  return drawn.problem
}

function baseBoundsScenario(sim: Simulation, problem: BaseBoundsProblem) {
  return new TranslationScenario<BaseBoundsTranslated>(sim, {
    addresses: problem.addresses,
    translate: (v) => ({
      type: "BaseBoundsTranslated",
      ...translateBaseBounds(problem.base, problem.limit, v),
      base: problem.base,
      limit: problem.limit,
    }),
    row: ({ virtual, valid, physical }) => ({ virtual, valid, physical }),
    faulted: (t) => !t.valid,
    faultCount: "violations",
  })
}

function baseBounds(seed: number): Run<BaseBoundsProblem, BaseBoundsTranslated> {
  const problem = baseBoundsProblem(seed)
  return { problem, translations: baseBoundsScenario(new Simulation({ seed }), problem).run().translations }
}

const baseBoundsChecker = (run: Run<BaseBoundsProblem, BaseBoundsTranslated>) =>
  baseBoundsChecks(run.problem, run.translations)

describe("base and bounds laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = baseBoundsScenario(sim, baseBoundsProblem(seed))
        return tracedRunOf(sim, () => void scenario.run())
      },
      5,
      { label: "relocation", minRecords: 12 },
    )

    expect(report.records).toBe(12)
  })

  it("never moves the clock backwards, one translation per step", () => {
    const sim = new Simulation({ seed: 2 })
    baseBoundsScenario(sim, baseBoundsProblem(2))

    const report = lawTimeNeverGoesBackwards(sim)

    expect(report.steps).toBeGreaterThanOrEqual(12)
  })

  it("accepts the translations of ten drawn problems", () => {
    for (const seed of SEEDS) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(baseBounds, baseBoundsChecker, seed)

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["valid-inside-mapping", "invalid-faults"])
    }
  })

  it("rejects a valid address placed one byte past its bounds, and an address past the bounds answered", () => {
    const healthy = baseBounds(0)
    const first = healthy.translations[0]!
    const shifted = { ...healthy, translations: [{ ...first, physical: first.physical! + healthy.problem.limit }] }
    const past = { ...first, virtual: healthy.problem.limit, physical: healthy.problem.base + healthy.problem.limit }

    lawCheckerRejectsKnownBadRun(shifted, baseBoundsChecker, {
      name: "valid-inside-mapping",
      detail: /^landed outside/,
    })
    lawCheckerRejectsKnownBadRun({ ...healthy, translations: [past] }, baseBoundsChecker, {
      name: "invalid-faults",
      detail: /VA 472/,
    })
  })
})
