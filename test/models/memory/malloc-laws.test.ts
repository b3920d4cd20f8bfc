/**
 * The law block of free-space management: same seed → same trace (random mode draws), time never
 * goes backwards, the checks accept healthy runs on several seeds for every policy and list order,
 * and reject doctored runs (an overlap, lost bytes, touching blocks after a complete coalesce).
 */
import { describe, expect, it } from "vitest"
import { MersenneTwister, Simulation } from "../../../src/kernel/index.ts"
import {
  LIST_ORDERS,
  mallocChecks,
  type MallocResult,
  MallocScenario,
  type MallocScenarioOptions,
  SEARCH_POLICIES,
} from "../../../src/models/memory/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

function options(seed: number, heap: Partial<MallocScenarioOptions> = {}): MallocScenarioOptions {
  return { ...heap, random: { numOps: 30, maxSize: 12, percentAlloc: 55, stream: new MersenneTwister(seed) } }
}

function run(seed: number, heap: Partial<MallocScenarioOptions> = {}): MallocResult {
  return new MallocScenario(new Simulation({ seed }), options(seed, heap)).run()
}

describe("free-space laws", () => {
  it("gives the same trace for the same seed in random mode", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new MallocScenario(sim, options(seed, { coalesce: true }))
        return tracedRunOf(sim, () => void scenario.run())
      },
      4,
      { label: "malloc", minRecords: 30 },
    )

    expect(report.records).toBe(30)
  })

  it("never moves the clock backwards, operation by operation", () => {
    const sim = new Simulation({ seed: 2 })
    new MallocScenario(sim, options(2))

    expect(lawTimeNeverGoesBackwards(sim).steps).toBeGreaterThanOrEqual(30)
  })

  it("accepts every policy and list order, with and without coalescing, on eight seeds", () => {
    for (const seed of SEEDS)
      for (const policy of SEARCH_POLICIES)
        for (const listOrder of LIST_ORDERS)
          for (const coalesce of [false, true]) {
            const verdicts = lawCheckerAcceptsFaultFreeRuns(
              (s) => run(s, { policy, listOrder, coalesce }),
              mallocChecks,
              seed,
            )
            expect(verdicts.length).toBe(coalesce && listOrder === "addrsort" ? 2 : 1)
          }
  })

  it("rejects a free block that overlaps an allocated chunk", () => {
    const healthy = run(1)
    const k = healthy.ops.findIndex((op) => op.kind === "alloc" && op.chunk !== null)
    const op = healthy.ops[k]!
    const bad = { ...op, freeList: [...op.freeList!, [op.chunk!, 1] as const] }
    const ops = healthy.ops.map((o, i) => (i === k ? bad : o))

    lawCheckerRejectsKnownBadRun({ ...healthy, ops }, mallocChecks, {
      name: "heap-accounted",
      detail: new RegExp(`^op ${k}: \\[${op.chunk}, `),
    })
  })

  it("rejects a heap whose bytes do not add up", () => {
    const healthy = run(3)
    const ops = healthy.ops.map((o, i) => (i === 0 ? { ...o, freeList: [] } : o))

    lawCheckerRejectsKnownBadRun({ ...healthy, ops }, mallocChecks, {
      name: "heap-accounted",
      detail: /^op 0: free and allocated bytes add up to \d+, not 100/,
    })
  })

  it("rejects two touching free blocks after a complete coalesce", () => {
    const healthy = run(5, { coalesce: true })
    const ops = healthy.ops.map((o, i) => (i === 0 ? { ...o, freeList: [[1000, 10] as const, [1010, 5] as const] } : o))

    lawCheckerRejectsKnownBadRun({ ...healthy, ops }, mallocChecks, {
      name: "coalesced",
      detail: /^op 0: \[1000, 10\] touches \[1010, 5\]/,
    })
  })
})
