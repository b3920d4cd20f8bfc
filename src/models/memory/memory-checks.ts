/**
 * The invariants behind each answer of the address-translation models, checked from the recorded
 * translations and the problem's registers or tables (not by translating again the same way):
 *
 * - `valid-inside-mapping`: every valid address lands inside the physical range its segment or
 *   page occupies, at its offset within that range;
 * - `invalid-faults`: an address faults exactly when nothing maps it (past the bounds, outside
 *   both segments, on an invalid page, under an invalid directory or table entry).
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import type { BaseBoundsProblem } from "./base-bounds.ts"
import type { LinearPageTableProblem } from "./linear-page-table.ts"
import type { BaseBoundsTranslated, PageTranslated, SegmentTranslated, TwoLevelWalked } from "./memory-events.ts"
import type { SegmentationProblem } from "./segmentation.ts"
import { PAGE_BYTES, type TwoLevelProblem } from "./two-level-page-table.ts"

/** The two verdicts from the addresses that break each rule. */
function verdicts(count: number, outside: readonly string[], wrongFault: readonly string[]): CheckResult[] {
  return [
    outside.length === 0
      ? holds("valid-inside-mapping", `every valid address of ${count} lands inside its mapped range at its offset`)
      : fails("valid-inside-mapping", `landed outside their mapping: ${listSome(outside)}`),
    wrongFault.length === 0
      ? holds("invalid-faults", `each of ${count} addresses faults exactly when nothing maps it`)
      : fails("invalid-faults", `fault and mapping disagree: ${listSome(wrongFault)}`),
  ]
}

/** Base and bounds: valid ⇔ v < limit; a valid address lands at base + v, inside [base, base + limit). */
export function baseBoundsChecks(problem: BaseBoundsProblem, translations: readonly BaseBoundsTranslated[]) {
  const { base, limit } = problem
  const outside = translations
    .filter(
      (t) =>
        t.physical !== null && !(t.physical >= base && t.physical < base + limit && t.physical - base === t.virtual),
    )
    .map((t) => `VA ${t.virtual} → PA ${t.physical}`)
  const wrongFault = translations.filter((t) => t.valid !== t.virtual < limit).map((t) => `VA ${t.virtual}`)
  return verdicts(translations.length, outside, wrongFault)
}

/** Segmentation: each segment's valid addresses land inside it, counted from its growing end. */
export function segmentationChecks(problem: SegmentationProblem, translations: readonly SegmentTranslated[]) {
  const asize = problem.addressSpace
  const [zero, one] = problem.segments
  const inside = (t: SegmentTranslated, p: number): boolean =>
    t.virtual < asize / 2
      ? p >= zero.base && p < zero.base + zero.limit && p - zero.base === t.virtual
      : p >= one.base - one.limit && p < one.base && one.base - p === asize - t.virtual
  const mapped = (v: number): boolean => (v < asize / 2 ? v < zero.limit : asize - v <= one.limit)
  const outside = translations
    .filter((t) => t.physical !== null && !inside(t, t.physical))
    .map((t) => `VA ${t.virtual} → PA ${t.physical}`)
  const wrongFault = translations.filter((t) => t.valid !== mapped(t.virtual)).map((t) => `VA ${t.virtual}`)
  return verdicts(translations.length, outside, wrongFault)
}

/** A linear page table: a valid address lands in its frame at its offset; invalid entries fault. */
export function linearPageChecks(problem: LinearPageTableProblem, translations: readonly PageTranslated[]) {
  const { pageSize, pageTable } = problem
  const outside = translations
    .filter((t) => {
      if (t.physical === null) return false
      const frame = pageTable[Math.floor(t.virtual / pageSize)]
      return !(
        frame != null &&
        Math.floor(t.physical / pageSize) === frame &&
        t.physical % pageSize === t.virtual % pageSize
      )
    })
    .map((t) => `VA ${t.virtual} → PA ${t.physical}`)
  const wrongFault = translations
    .filter((t) => t.valid !== (pageTable[Math.floor(t.virtual / pageSize)] != null))
    .map((t) => `VA ${t.virtual}`)
  return verdicts(translations.length, outside, wrongFault)
}

/**
 * A two-level page table, checked against the allocations that built it (not against the bytes
 * walked): an address translates iff its virtual page was allocated, and then lands in the data
 * page given to it, at its offset.
 */
export function twoLevelChecks(problem: TwoLevelProblem, translations: readonly TwoLevelWalked[]) {
  const dataPage = new Map(problem.allocatedPages.map((vp, k) => [vp, problem.dataPages[k]!]))
  const outside = translations
    .filter((t) => {
      if (t.physical === null) return false
      const page = dataPage.get(t.virtual >> 5)
      return !(page !== undefined && t.physical === page * PAGE_BYTES + (t.virtual & 31))
    })
    .map((t) => `VA ${t.virtual} → PA ${t.physical}`)
  const wrongFault = translations
    .filter((t) => (t.fault === null) !== dataPage.has(t.virtual >> 5))
    .map((t) => `VA ${t.virtual}`)
  return verdicts(translations.length, outside, wrongFault)
}
