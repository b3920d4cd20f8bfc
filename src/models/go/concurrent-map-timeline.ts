/**
 * One timeline line per concurrent-map record (docs/go-concurrency.md#concurrent-maps): exhaustive
 * over {@link ConcurrentMapEvent}.
 */
import { formatNumber, type Traced } from "../../kernel/index.ts"
import type { ConcurrentMapEvent } from "./concurrent-map-events.ts"

function entries(count: number): string {
  return count === 1 ? "1 entry" : `${count} entries`
}

/** The line of `record`, prefixed with its strategy and goroutine (`mutex/w1`). */
export function concurrentMapTimelineLine(record: Traced<ConcurrentMapEvent>): string {
  const who = `${record.strategy}/${record.goroutine}`
  switch (record.type) {
    case "MapReadReturned":
      return `${who} get(k${record.key}) = ${record.value ?? "absent"} in ${formatNumber(record.latencyNs / 1000, 2)} us`
    case "IncrementLoaded":
      return `${who} reads k${record.key} = ${record.value}`
    case "IncrementStored":
      return `${who} writes k${record.key} = ${record.value}`
    case "IncrementReturned":
      return `${who} increment(k${record.key}) returns after ${formatNumber(record.latencyNs / 1000, 2)} us`
    case "CasFailed":
      return `${who} compare-and-swap of the ${record.target === "map" ? "map pointer" : `entry k${record.key}`} fails: retry`
    case "MapCopied":
      return `${who} copies the map: ${entries(record.entries)}, ${record.bytes} bytes`
    case "DirtyPromoted":
      return `${who} promotes the dirty map (${entries(record.entries)}) to the read map`
    case "LockHandedOver":
      return `${who} gets ${record.lock} after waiting`
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
