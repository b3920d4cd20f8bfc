/**
 * One timeline line per flow-control record (docs/http2.md), from the client's side as h2
 * debugging tools print a connection: `→` for a frame the client sent, `←` for one it received,
 * e.g. `→ DATA stream=1 len=16384 [END_STREAM]`. Exhaustive over {@link FlowControlEvent} and the TCP model's events.
 */
import type { Traced } from "../../kernel/index.ts"
import type { TcpEvent } from "../tcp/tcp-events.ts"
import type { FlowControlEvent } from "./http2-events.ts"
import { describeFrame } from "./http2-frames.ts"

/**
 * The line of `record`, or undefined for records the timeline leaves out (the server's copies of
 * frames, windows, reads, and the TCP segments underneath).
 */
export function flowControlTimelineLine(record: Traced<FlowControlEvent | TcpEvent>): string | undefined {
  switch (record.type) {
    case "FrameSent":
      return record.by === "client" ? `→ ${describeFrame(record.frame)}` : undefined
    case "FrameReceived":
      return record.by === "client" ? `← ${describeFrame(record.frame)}` : undefined
    case "Http2ErrorDetected":
      return record.scope === "stream"
        ? `${record.by}: stream error on stream ${record.stream}, ${record.error}: ${record.reason}`
        : `${record.by}: connection error ${record.error}: ${record.reason}`
    case "StreamBlocked":
      return `  stream ${record.stream} blocked: its own window has no room`
    case "StreamUnblocked":
      return record.why === "credit" ? `  stream ${record.stream} may send again` : undefined
    case "ConnectionBlocked":
      return `  connection window has no room: ${record.waiting} stream(s) with data wait for it`
    case "ConnectionUnblocked":
      return "  connection window has room again"
    case "SendWindowChanged":
    case "DataConsumed":
    case "TcpSegmentSent":
    case "TcpSegmentQueued":
    case "TcpSegmentDropped":
    case "TcpCwndChanged":
    case "TcpFastRetransmitted":
    case "TcpRetransmissionTimedOut":
      return undefined
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
