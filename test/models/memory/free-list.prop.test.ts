/**
 * Properties of free-space management over generated programs (issue 17): after every operation
 * the free list never overlaps an allocated chunk (nor another free block) and the sizes add up to
 * the heap; with coalescing under addrsort no two free blocks touch.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { MersenneTwister, Simulation } from "../../../src/kernel/index.ts"
import {
  type ExplicitOp,
  explicitOps,
  Heap,
  HeapError,
  LIST_ORDERS,
  mallocChecks,
  MallocScenario,
  SEARCH_POLICIES,
} from "../../../src/models/memory/index.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/memory/free-list.prop.test.ts"

const heapArb = fc.record({
  heapSize: fc.integer({ min: 0, max: 200 }),
  baseAddress: fc.integer({ min: 0, max: 5000 }),
  headerSize: fc.integer({ min: 0, max: 6 }),
  align: fc.integer({ min: 1, max: 8 }),
  policy: fc.constantFrom(...SEARCH_POLICIES),
  listOrder: fc.constantFrom(...LIST_ORDERS),
  coalesce: fc.boolean(),
})
const programArb = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant<"+">("+"), n: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant<"-">("-"), n: fc.integer({ min: 0, max: 20 }) }),
  ),
  { minLength: 1, maxLength: 40 },
)

/** The program up to the first item malloc.py cannot run (a free of a failed allocation, a reused address). */
function runnable(heap: ConstructorParameters<typeof Heap>[0], program: readonly ExplicitOp[]): ExplicitOp[] {
  let done = 0
  try {
    for (const _ of explicitOps(new Heap(heap), program)) done++
  } catch (error) {
    if (!(error instanceof HeapError)) throw error
  }
  return program.slice(0, done)
}

describe("free-list properties", () => {
  it("explicit programs: no overlap, sizes add up, and complete coalescing under addrsort", () => {
    checkProperty(
      fc.property(heapArb, programArb, (heap, program) => {
        const result = new MallocScenario(new Simulation(), { ...heap, program: runnable(heap, program) }).run()
        const checks = mallocChecks(result)
        expect(checks.filter((check) => !check.held)).toEqual([])
        expect(checks.length).toBe(heap.coalesce && heap.listOrder === "addrsort" ? 2 : 1)
      }),
      { testFile: TEST_FILE },
    )
  })

  it("random mode: the same invariants for any seed and mix of operations", () => {
    checkProperty(
      fc.property(
        heapArb,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 120 }),
        (heap, seed, percent) => {
          const random = { numOps: 40, maxSize: 15, percentAlloc: percent, stream: new MersenneTwister(seed) }
          const result = new MallocScenario(new Simulation(), { ...heap, random }).run()
          expect(mallocChecks(result).filter((check) => !check.held)).toEqual([])
          expect(result.ops.length).toBe(40)
        },
      ),
      { testFile: TEST_FILE },
    )
  })
})
