/**
 * The story of a malloc run, one line per operation, in malloc.py's words: `ptr[0] = Alloc(3)`,
 * `Free(ptr[0])`, the return value and what the free list has left. An exhaustive switch over
 * {@link MallocEvent}, so a new event type does not compile until its line is decided here.
 */
import type { Traced, TraceRecord } from "../../kernel/index.ts"
import type { MallocEvent } from "./malloc-events.ts"

const MALLOC_TYPES: ReadonlySet<string> = new Set<MallocEvent["type"]>([
  "ChunkAllocated",
  "AllocationFailed",
  "ChunkFreed",
  "FreeSkipped",
])

/** True for a free-space record. */
export function isMallocRecord(record: Traced | TraceRecord): record is Traced<MallocEvent> {
  return MALLOC_TYPES.has(record.type)
}

const blocks = (n: number): string => `${n} free block${n === 1 ? "" : "s"}`

/** One record's line. */
export function mallocTimelineLine(record: Traced<MallocEvent>): string {
  switch (record.type) {
    case "ChunkAllocated":
      return `ptr[${record.ptr}] = Alloc(${record.size}): ${record.need} bytes at ${record.chunk} (searched ${record.searched}); ${blocks(record.freeBlocks)}, ${record.freeBytes} bytes`
    case "AllocationFailed":
      return `ptr[${record.ptr}] = Alloc(${record.size}) FAILED: needs ${record.need} bytes, largest free block ${record.largestBlock} of ${record.freeBytes} free (searched ${record.searched})`
    case "ChunkFreed":
      return record.returned === 0
        ? `Free(ptr[${record.ptr}]) at ${record.address}: returned 0; ${blocks(record.freeBlocks)}, ${record.freeBytes} bytes`
        : `Free(ptr[${record.ptr}]) at ${record.address}: returned -1, no chunk starts there`
    case "FreeSkipped":
      return `Free(ptr[${record.ptr}]): invalid free, skipped`
    default: {
      const unknown: never = record
      throw new Error(`no timeline line for ${JSON.stringify(unknown)}`)
    }
  }
}

/** The lines of a run's records, stamped with their time (the operation's number). */
export function mallocTimeline(records: readonly Traced<MallocEvent>[]): { t: number; text: string }[] {
  return records.map((record) => ({ t: record.t, text: mallocTimelineLine(record) }))
}
