/** A page load's timeline: one line per page event and per lost segment (docs/http2.md). */
import type { Traced } from "../../kernel/index.ts"
import { formatCount, formatMs } from "../../kernel/index.ts"
import type { TcpEvent } from "../tcp/tcp-events.ts"
import type { PageEvent } from "./page-events.ts"

/** The line for one record, or undefined for the TCP records the waterfall already sums up. */
export function pageTimelineLine(record: Traced<PageEvent | TcpEvent>): string | undefined {
  switch (record.type) {
    case "PageConnectionOpened":
      return `connection ${record.connection} opens (handshake: one round trip)`
    case "PageRequestSent":
      return `request #${record.resource} ${record.path} on connection ${record.connection}`
    case "PageFirstByteReceived":
      return `#${record.resource} first byte on connection ${record.connection}`
    case "PageResourceLoaded":
      return `#${record.resource} loaded (${formatCount(record.bodyBytes)} bytes) on connection ${record.connection}`
    case "PageHoleOpened":
      return `connection ${record.connection}: a segment is missing after byte ${formatCount(record.deliveredBytes)}; everything behind it waits`
    case "PageHoleClosed":
      return `connection ${record.connection}: the retransmission fills the hole after ${formatMs(record.stalledMs)}`
    case "TcpSegmentDropped":
      return `segment seq ${record.seqNumber} (${formatCount(record.payloadBytes)} bytes) lost on flow ${record.flow}`
    case "TcpSegmentSent":
    case "TcpSegmentQueued":
    case "TcpCwndChanged":
    case "TcpFastRetransmitted":
    case "TcpRetransmissionTimedOut":
      return undefined
    default: {
      const never: never = record
      return never
    }
  }
}
