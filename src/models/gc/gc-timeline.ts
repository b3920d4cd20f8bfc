/**
 * The GC model's story in words, from its typed trace records (`gc-events.ts`): each collection's
 * start with heap, live and goal, each stop-the-world pause, each sweep with the next goal, and the
 * heap samples. The switch covers the whole union (a `never` default). No network, no faults.
 */
import { formatNumber, type Traced, type TraceRecord } from "../../kernel/index.ts"
import type { GcEvent } from "./gc-events.ts"

const GC_TYPES: ReadonlySet<string> = new Set<GcEvent["type"]>([
  "GcStarted",
  "WorldStopped",
  "GcFinished",
  "HeapSampled",
])

/** True for a record of the GC model. */
export function isGcRecord(record: Traced | TraceRecord): record is Traced<GcEvent> {
  return GC_TYPES.has(record.type)
}

const mb = (bytes: number): string => `${formatNumber(bytes / 2 ** 20, 1)} MB`

function unhandled(record: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(record)}`)
}

/** One line of the timeline for `record`. */
export function describeGcRecord(record: Traced<GcEvent>): string {
  switch (record.type) {
    case "GcStarted":
      return `GC ${record.cycle} starts: heap ${mb(record.heapBytes)} reached its goal ${mb(record.goalBytes)}; live ${mb(record.liveBytes)}`
    case "WorldStopped":
      return `GC ${record.cycle}: world stopped for ${formatNumber(record.pauseMs, 2)} ms (${record.phase})`
    case "GcFinished":
      return `GC ${record.cycle} done: freed ${mb(record.freedBytes)}, heap ${mb(record.heapBytes)}; next goal ${mb(record.nextGoalBytes)}`
    case "HeapSampled":
      return `heap ${mb(record.heapBytes)}, live ${mb(record.liveBytes)}${record.leakedBytes > 0 ? `, leaked ${mb(record.leakedBytes)}` : ""}`
    default:
      return unhandled(record)
  }
}
