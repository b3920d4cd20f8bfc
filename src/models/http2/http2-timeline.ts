/**
 * One timeline line per HTTP/2 record (docs/http2.md): exhaustive over {@link Http2Event}, so a
 * new event type does not compile until this decides how to show it.
 */
import { formatCount, type Traced } from "../../kernel/index.ts"
import { flowControlTimelineLine } from "./flow-control-timeline.ts"
import type { Http2Event } from "./http2-events.ts"
import type { RepresentationKind } from "./hpack.ts"

/** How a representation reads in words. */
export function representationWords(kind: RepresentationKind, index: number): string {
  const where = index > 61 ? `dynamic ${index}` : `static ${index}`
  switch (kind) {
    case "indexed":
      return `indexed (${where})`
    case "literal-incremental":
      return `literal, added to the table${index === 0 ? ", new name" : `, name from ${where}`}`
    case "literal-without-indexing":
      return `literal, not added${index === 0 ? ", new name" : `, name from ${where}`}`
    case "literal-never-indexed":
      return `literal, never indexed${index === 0 ? ", new name" : `, name from ${where}`}`
    case "size-update":
      return `table size update to ${index}`
  }
}

/** The line of `record`, or undefined for records the timeline leaves out. */
export function http2TimelineLine(record: Traced<Http2Event>): string | undefined {
  switch (record.type) {
    case "HeaderBlockEncoded":
      return `request ${record.block}: ${formatCount(record.fields)} field(s), ${formatCount(record.plainOctets)} octets of names and values -> a ${formatCount(record.octets)}-octet header block; table ${formatCount(record.tableOctets)} octets in ${formatCount(record.tableEntries)} entr${record.tableEntries === 1 ? "y" : "ies"}`
    case "FieldEncoded":
      return `  ${record.name}: ${record.value}  ${representationWords(record.representation, record.index)}, ${formatCount(record.octets)} octet(s)`
    case "HeaderBlockDecoded":
      if (record.error !== undefined) return `  the server could not decode request ${record.block}: ${record.error}`
      return record.fieldsMatch && record.tablesMatch
        ? undefined
        : `  the server decoded request ${record.block} differently (fields ${record.fieldsMatch ? "equal" : "differ"}, tables ${record.tablesMatch ? "agree" : "differ"})`
    case "FrameSent":
    case "FrameReceived":
    case "Http2ErrorDetected":
    case "SendWindowChanged":
    case "StreamBlocked":
    case "StreamUnblocked":
    case "ConnectionBlocked":
    case "ConnectionUnblocked":
    case "DataConsumed":
      return flowControlTimelineLine(record)
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
