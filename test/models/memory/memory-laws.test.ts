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
  type DrawResult,
  drawLinearPageTable,
  drawSegmentation,
  drawTwoLevelMemory,
  type LinearPageTableProblem,
  linearPageChecks,
  type MemoryEvent,
  type PageTranslated,
  type SegmentationProblem,
  segmentationChecks,
  type SegmentTranslated,
  translateBaseBounds,
  translateLinear,
  translateSegmented,
  translateTwoLevel,
  TranslationScenario,
  twoLevelChecks,
  type TwoLevelProblem,
  type TwoLevelWalked,
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

// ---- segmentation, linear and two-level tables: the same laws, one scenario helper

function run<E extends MemoryEvent>(seed: number, addresses: readonly number[], translate: (v: number) => E) {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const scenario = new TranslationScenario<E>(sim, {
    addresses,
    translate,
    row: () => ({}),
    faulted: () => false,
    faultCount: "faults",
  })
  return { sim, scenario }
}

function drawn<P>(result: DrawResult<P>): P {
  if (!result.ok) throw new Error(result.rule)
  return result.problem
}

const segmentationProblem = (seed: number): SegmentationProblem =>
  drawn(drawSegmentation({ addressSpace: 1024, physicalMemory: 16384, numAddresses: 12 }, new MersenneTwister(seed)))
const segment =
  (p: SegmentationProblem) =>
  (v: number): SegmentTranslated => {
    const t = translateSegmented(p.addressSpace, p.segments, v)
    return { type: "SegmentTranslated", ...t, addressSpace: p.addressSpace, ...p.segments[t.segment] }
  }
const linearProblem = (seed: number): LinearPageTableProblem =>
  drawn(
    drawLinearPageTable(
      { addressSpace: 16384, physicalMemory: 65536, pageSize: 1024, numAddresses: 12 },
      new MersenneTwister(seed),
    ),
  )
const page =
  (p: LinearPageTableProblem) =>
  (v: number): PageTranslated => {
    const t = translateLinear(p.pageTable, p.pageSize, v)
    return { type: "PageTranslated", ...t, pfn: p.pageTable[t.vpn] ?? null, pageSize: p.pageSize }
  }
const twoLevelProblem = (seed: number): TwoLevelProblem =>
  drawn(drawTwoLevelMemory({ allocated: 64, numAddresses: 12 }, new MersenneTwister(seed)))
const walk =
  (p: TwoLevelProblem) =>
  (v: number): TwoLevelWalked => ({ type: "TwoLevelWalked", ...translateTwoLevel(p.memory, p.pdbr, v) })

/** The law block of one mechanism: its problem, its MMU and its checks. */
function laws<P extends { readonly addresses: readonly number[] }, E extends MemoryEvent>(
  label: string,
  problemOf: (seed: number) => P,
  mmu: (problem: P) => (v: number) => E,
  checks: (problem: P, translations: readonly E[]) => readonly { name: string; held: boolean; detail: string }[],
  corrupt: (translation: E) => E,
): void {
  const translated = (seed: number): Run<P, E> => {
    const problem = problemOf(seed)
    return { problem, translations: run(seed, problem.addresses, mmu(problem)).scenario.run().translations }
  }
  const checker = (r: Run<P, E>) => checks(r.problem, r.translations)

  describe(`${label} laws`, () => {
    it("gives the same trace for the same seed, and never moves the clock backwards", () => {
      const report = lawSameSeedSameTrace(
        (seed) => {
          const { sim, scenario } = run(seed, problemOf(seed).addresses, mmu(problemOf(seed)))
          return tracedRunOf(sim, () => void scenario.run())
        },
        3,
        { label, minRecords: 12 },
      )
      const { sim } = run(4, problemOf(4).addresses, mmu(problemOf(4)))

      expect(report.records).toBe(12)
      expect(lawTimeNeverGoesBackwards(sim).steps).toBeGreaterThanOrEqual(12)
    })

    it("accepts the translations of ten drawn problems and rejects a doctored answer", () => {
      for (const seed of SEEDS) lawCheckerAcceptsFaultFreeRuns(translated, checker, seed)
      const healthy = translated(1)

      lawCheckerRejectsKnownBadRun({ ...healthy, translations: healthy.translations.map(corrupt) }, checker)
    })
  })
}

laws("segmentation", segmentationProblem, segment, segmentationChecks, (t) =>
  t.physical === null ? { ...t, valid: true, physical: 0 } : { ...t, physical: t.physical + 1 },
)
laws("linear page table", linearProblem, page, linearPageChecks, (t) =>
  t.physical === null ? { ...t, valid: true } : { ...t, physical: t.physical + t.pageSize },
)
laws("two-level page table", twoLevelProblem, walk, twoLevelChecks, (t) =>
  t.physical === null ? { ...t, fault: null, physical: 0 } : { ...t, physical: t.physical ^ 0x20 },
)
