/**
 * The invariants of a malloc run, read from its operations alone:
 *
 * - `heap-accounted`: after every operation the free blocks and the allocated chunks never overlap,
 *   and their sizes add up to the heap;
 * - `coalesced` (with coalescing under `addrsort` only, where malloc.py's pass is complete): after
 *   every operation no free block starts where another ends.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import type { FreeBlock } from "./free-list.ts"
import type { MallocResult } from "./malloc-scenario.ts"

type Run = Pick<MallocResult, "heapSize" | "coalesce" | "listOrder" | "ops">

const show = (block: FreeBlock): string => `[${block[0]}, ${block[1]}]`

/** The first problem with one snapshot, or undefined. */
function accountingProblem(free: readonly FreeBlock[], allocated: readonly FreeBlock[], heapSize: number) {
  const all = [...free, ...allocated].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  for (let i = 1; i < all.length; i++) {
    if (all[i - 1]![0] + all[i - 1]![1] > all[i]![0]) return `${show(all[i - 1]!)} overlaps ${show(all[i]!)}`
  }
  const total = all.reduce((sum, block) => sum + block[1], 0)
  return total === heapSize ? undefined : `free and allocated bytes add up to ${total}, not ${heapSize}`
}

function heapAccounted(run: Run): CheckResult {
  const bad = run.ops.flatMap((op, k) => {
    if (op.freeList === null || op.allocated === null) return []
    const problem = accountingProblem(op.freeList, op.allocated, run.heapSize)
    return problem === undefined ? [] : [`op ${k}: ${problem}`]
  })
  const checked = run.ops.filter((op) => op.freeList !== null).length
  return bad.length === 0
    ? holds(
        "heap-accounted",
        `after each of ${checked} operations: no overlap, free + allocated = ${run.heapSize} bytes`,
      )
    : fails("heap-accounted", listSome(bad))
}

function coalesced(run: Run): CheckResult {
  const bad = run.ops.flatMap((op, k) => {
    const list = [...(op.freeList ?? [])].sort((a, b) => a[0] - b[0])
    const touching = list.findIndex((block, i) => i > 0 && list[i - 1]![0] + list[i - 1]![1] === block[0])
    return touching < 0 ? [] : [`op ${k}: ${show(list[touching - 1]!)} touches ${show(list[touching]!)}`]
  })
  return bad.length === 0
    ? holds("coalesced", `after each of ${run.ops.length} operations no two free blocks touch`)
    : fails("coalesced", listSome(bad))
}

/** Every invariant's verdict on `run`. */
export function mallocChecks(run: Run): CheckResult[] {
  const checks = [heapAccounted(run)]
  if (run.coalesce && run.listOrder === "addrsort") checks.push(coalesced(run))
  return checks
}
