/**
 * The typed trace of the address-translation models: one record per translated address, holding
 * the answer and what the MMU read to reach it (the registers, or the entries walked). Each fact
 * is recorded once; the sims' JSON `translations` are projections of these records.
 */
import type { BaseBoundsTranslation } from "./base-bounds.ts"
import type { PageTranslation } from "./linear-page-table.ts"
import type { SegmentTranslation } from "./segmentation.ts"
import type { TwoLevelTranslation } from "./two-level-page-table.ts"

/** Base and bounds translated an address (relocation), reading these registers. */
export interface BaseBoundsTranslated extends BaseBoundsTranslation {
  readonly type: "BaseBoundsTranslated"
  readonly base: number
  readonly limit: number
}

/** Two segment registers translated an address; `base` and `limit` are its segment's (segment 1's base is its top). */
export interface SegmentTranslated extends SegmentTranslation {
  readonly type: "SegmentTranslated"
  readonly addressSpace: number
  readonly base: number
  readonly limit: number
}

/** A linear page table translated an address, reading the entry of its VPN (`pfn` null: invalid). */
export interface PageTranslated extends PageTranslation {
  readonly type: "PageTranslated"
  readonly pfn: number | null
  readonly pageSize: number
}

/** A two-level page table was walked for an address. */
export interface TwoLevelWalked extends TwoLevelTranslation {
  readonly type: "TwoLevelWalked"
}

/** Every record of the memory models. */
export type MemoryEvent = BaseBoundsTranslated | SegmentTranslated | PageTranslated | TwoLevelWalked

/** The records' types, for a trace filter. */
export const MEMORY_EVENT_TYPES: ReadonlySet<string> = new Set<MemoryEvent["type"]>([
  "BaseBoundsTranslated",
  "SegmentTranslated",
  "PageTranslated",
  "TwoLevelWalked",
])
