/**
 * The TCP story in words: each segment as `tcpdump -nn -r` prints it from the run's `--pcap`
 * capture (one formatter for both: relative sequence and acknowledgement numbers once the
 * handshake is done, absolute on SYNs, the window field as scaled on the wire), plus the
 * bottleneck's drops and the senders' loss responses.
 */
import type { Traced } from "../../kernel/index.ts"
import { TcpdumpFormatter } from "./pcap.ts"
import { capturedSegment, type WindowShifts, windowShiftsOf } from "./tcp-capture.ts"
import type { TcpEvent, TcpSegmentSent } from "./tcp-events.ts"
import type { ConnectionId } from "./tcp-segment.ts"

/** What the timeline's lines are computed with: the flows' initial sequence numbers and the capture's view. */
export interface TcpTimelineContext {
  readonly isns: readonly { readonly client: number; readonly server: number; readonly clientPort: number }[]
  /** SMSS in bytes: windows are shown in segments. */
  readonly mssBytes: number
  /** Each endpoint's window-scale shift, as `--pcap` writes it. */
  readonly shifts: WindowShifts
  /** Prints a segment as tcpdump -nn does, numbered relative to the flows' ISNs. */
  readonly tcpdump: TcpdumpFormatter
}

/** The context of a run's timeline: its flows (from the result) and its SMSS. */
export function tcpTimelineContext(
  flows: readonly {
    readonly id: ConnectionId
    readonly advertisedWindowBytes: { readonly client: number; readonly server: number }
  }[],
  mssBytes: number,
): TcpTimelineContext {
  const tcpdump = new TcpdumpFormatter()
  for (const { id } of flows)
    tcpdump.knowConnection(
      `${id.clientAddress}.${id.clientPort}`,
      id.clientIsn,
      `${id.serverAddress}.${id.serverPort}`,
      id.serverIsn,
    )
  const isns = flows.map(({ id }) => ({ client: id.clientIsn, server: id.serverIsn, clientPort: id.clientPort }))
  return { isns, mssBytes, shifts: windowShiftsOf(flows), tcpdump }
}

const segments = (bytes: number, mss: number): string => (bytes / mss).toFixed(1)

/**
 * A segment as `tcpdump -nn -r` prints it from the run's `--pcap` capture, without the timestamp:
 * the window field scaled, the options on the SYNs. Call it in the order the segments were sent.
 */
export function tcpdumpLine(record: TcpSegmentSent, context: TcpTimelineContext): string {
  return context.tcpdump.line(capturedSegment(record, context.mssBytes, context.shifts))
}

/** One timeline line for a TCP record, or undefined for records the timeline leaves out. */
export function tcpTimeline(record: Traced<TcpEvent>, context: TcpTimelineContext): string | undefined {
  const mss = context.mssBytes
  switch (record.type) {
    case "TcpSegmentSent":
      return tcpdumpLine(record, context)
    case "TcpSegmentDropped": {
      const isn = context.isns[record.flow]!
      const seq = (record.seqNumber - isn.client) >>> 0
      return record.reason === "queue-full"
        ? `  DROPPED flow ${record.flow} seq ${seq}:${seq + record.payloadBytes}: the queue is full (${record.queuedPackets} waiting)`
        : `  LOST flow ${record.flow} seq ${seq}:${seq + record.payloadBytes} at random (--loss)`
    }
    case "TcpFastRetransmitted": {
      const seq = (record.seqNumber - context.isns[record.flow]!.client) >>> 0
      return record.partialAck
        ? `  flow ${record.flow}: partial ACK: retransmits seq ${seq} at once, stays in fast recovery (cwnd ${segments(record.cwndBytes, mss)})`
        : `  flow ${record.flow}: 3 duplicate ACKs: fast retransmit of seq ${seq}; ssthresh ${segments(record.ssthreshBytes, mss)}, cwnd ${segments(record.cwndBytes, mss)} segments`
    }
    case "TcpRetransmissionTimedOut": {
      const seq = (record.seqNumber - context.isns[record.flow]!.client) >>> 0
      return `  flow ${record.flow}: TIMEOUT: resends from seq ${seq}; ssthresh ${segments(record.ssthreshBytes, mss)}, cwnd 1 segment, RTO now ${record.rtoMs}ms`
    }
    case "TcpSegmentQueued":
    case "TcpCwndChanged":
      return undefined
    default: {
      const unexpected: never = record
      return unexpected
    }
  }
}

/** True for the records {@link tcpTimeline} shows. */
export function isTcpTimelineRecord(record: Traced): record is Traced<TcpEvent> {
  return (
    record.type === "TcpSegmentSent" ||
    record.type === "TcpSegmentDropped" ||
    record.type === "TcpFastRetransmitted" ||
    record.type === "TcpRetransmissionTimedOut"
  )
}
