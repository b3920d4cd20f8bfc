/**
 * The story of a page-replacement run, one line per reference: hit or miss, the victim, and the
 * resident pages after it in the policy's order. An exhaustive switch over {@link PagingEvent}, so
 * a new event type does not compile until its line is decided here.
 */
import type { Traced, TraceRecord } from "../../kernel/index.ts"
import type { PagingEvent } from "./paging-events.ts"

const PAGING_TYPES: ReadonlySet<string> = new Set<PagingEvent["type"]>(["PageHit", "PageFaulted"])

/** True for a page-replacement record. */
export function isPagingRecord(record: Traced | TraceRecord): record is Traced<PagingEvent> {
  return PAGING_TYPES.has(record.type)
}

/** The resident pages as the timeline shows them: `[1 2 3]`. */
export function framesText(frames: readonly number[]): string {
  return `[${frames.join(" ")}]`
}

/** One record's line. */
export function pagingTimelineLine(record: Traced<PagingEvent>): string {
  switch (record.type) {
    case "PageHit":
      return `ref ${record.index}: page ${record.page} hit → ${framesText(record.frames)}`
    case "PageFaulted":
      return record.victim === null
        ? `ref ${record.index}: page ${record.page} MISS, free frame → ${framesText(record.frames)}`
        : `ref ${record.index}: page ${record.page} MISS, evicts ${record.victim} → ${framesText(record.frames)}`
    default: {
      const unknown: never = record
      throw new Error(`no timeline line for ${JSON.stringify(unknown)}`)
    }
  }
}

/** The lines of a run's records, stamped with their time (the reference's index). */
export function pagingTimeline(records: readonly Traced<PagingEvent>[]): { t: number; text: string }[] {
  return records.map((record) => ({ t: record.t, text: pagingTimelineLine(record) }))
}
