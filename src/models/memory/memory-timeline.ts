/**
 * The address-translation models' stories in words, one line per translated address, read from
 * their typed trace records (`memory-events.ts`): the address split the way the hardware splits
 * it, the registers or entries read, and the physical address or the fault. The switch covers the
 * whole union (a `never` default), so a new event type does not compile until its line is decided
 * here. The models have no network, so there are no fault records.
 */
import { type Simulation, type Traced, type TraceRecord, TraceSample } from "../../kernel/index.ts"
import { MEMORY_EVENT_TYPES, type MemoryEvent, type TwoLevelWalked } from "./memory-events.ts"

/** One line of a timeline: what happened at time `t`. */
export interface MemoryTimelineLine {
  /** The translation's step (address i at t = i). */
  readonly t: number
  readonly text: string
}

/** True for a record of an address-translation model. */
export function isMemoryRecord(record: Traced | TraceRecord): record is Traced<MemoryEvent> {
  return MEMORY_EVENT_TYPES.has(record.type)
}

/** Translations a sim's timeline shows at most. */
export const MEMORY_TIMELINE_MAX = 100

/** The records a translation sim's timeline shows: the first {@link MEMORY_TIMELINE_MAX} translations. */
export function memoryTimelineSample(sim: Simulation): TraceSample<MemoryEvent> {
  return new TraceSample(sim.trace, isMemoryRecord, MEMORY_TIMELINE_MAX)
}

/**
 * A translation sim's timeline: one line per translation (`noun`: "translation", or "walk" for two
 * levels), titled with how many of how many it shows when it is cut.
 */
export function memoryTimeline(
  sample: TraceSample<MemoryEvent> | undefined,
  noun: string,
): { title: string; entries: MemoryTimelineLine[] } {
  const total = sample?.total ?? 0
  const title =
    total > MEMORY_TIMELINE_MAX
      ? `Timeline (the first ${MEMORY_TIMELINE_MAX} of ${total} ${noun}s)`
      : `Timeline (one ${noun} per step)`
  return { title, entries: (sample?.records ?? []).map(memoryTimelineLine) }
}

/** `0x%0{digits}x`, as OSTEP prints addresses. */
export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, "0")}`
}

function unhandled(record: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(record)}`)
}

function twoLevelLine(record: TwoLevelWalked): string {
  const head = `VA ${hex(record.virtual, 4)}: PDE index ${record.pdeIndex} → PDE ${hex(record.pde, 2)}`
  if (!record.pdeValid) return `${head} not valid: fault (page directory entry)`
  const table = `(valid, page table in page ${record.pde & 0x7f}) → PTE index ${record.pteIndex} → PTE ${hex(record.pte!, 2)}`
  if (!record.pteValid) return `${head} ${table} not valid: fault (page table entry)`
  const pfn = record.pte! & 0x7f
  return `${head} ${table} (valid, PFN ${pfn}) → PA ${pfn}·32 + ${record.virtual & 31} = ${hex(record.physical!, 3)}, value ${hex(record.value!, 2)}`
}

/** The line telling one translation. */
export function memoryTimelineLine(record: Traced<MemoryEvent>): MemoryTimelineLine {
  return { t: record.t, text: describeTranslation(record) }
}

/** One translation in words. */
export function describeTranslation(record: MemoryEvent): string {
  switch (record.type) {
    case "BaseBoundsTranslated":
      return record.valid
        ? `VA ${record.virtual} < bounds ${record.limit}: valid, PA = base ${record.base} + ${record.virtual} = ${record.physical}`
        : `VA ${record.virtual} ≥ bounds ${record.limit}: segmentation violation`
    case "SegmentTranslated": {
      if (record.segment === 0)
        return record.valid
          ? `VA ${record.virtual} in segment 0 (grows up), ${record.virtual} < limit ${record.limit}: PA = base ${record.base} + ${record.virtual} = ${record.physical}`
          : `VA ${record.virtual} in segment 0 (grows up), ${record.virtual} ≥ limit ${record.limit}: segmentation violation`
      const below = record.addressSpace - record.virtual
      return record.valid
        ? `VA ${record.virtual} in segment 1 (grows down), ${below} below the top ≤ limit ${record.limit}: PA = top ${record.base} − ${below} = ${record.physical}`
        : `VA ${record.virtual} in segment 1 (grows down), ${below} below the top > limit ${record.limit}: segmentation violation`
    }
    case "PageTranslated":
      return record.pfn === null
        ? `VA ${record.virtual} = VPN ${record.vpn}, offset ${record.offset}: PTE not valid: fault`
        : `VA ${record.virtual} = VPN ${record.vpn}, offset ${record.offset}: PTE valid, PFN ${record.pfn} → PA ${record.pfn}·${record.pageSize} + ${record.offset} = ${record.physical}`
    case "TwoLevelWalked":
      return twoLevelLine(record)
    default:
      return unhandled(record)
  }
}
