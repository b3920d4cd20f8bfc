/**
 * The TCP story in words: each segment as tcpdump prints it on one line (relative sequence and
 * acknowledgement numbers once the handshake is done, absolute on SYNs), plus the bottleneck's
 * drops and the senders' loss responses.
 */
import type { Traced } from "../../kernel/index.ts"
import type { TcpEvent, TcpSegmentSent } from "./tcp-events.ts"

/** The initial sequence numbers of the flows, by flow number: what makes numbers relative. */
export interface TcpTimelineContext {
  readonly isns: readonly { readonly client: number; readonly server: number; readonly clientPort: number }[]
  /** SMSS in bytes: windows are shown in segments. */
  readonly mssBytes: number
}

const segments = (bytes: number, mss: number): string => (bytes / mss).toFixed(1)

/** A segment in tcpdump's one-line format, without the timestamp. */
export function tcpdumpLine(record: TcpSegmentSent, context: TcpTimelineContext): string {
  const isn = context.isns[record.flow]!
  const fromClient = record.srcPort === isn.clientPort
  const ownIsn = fromClient ? isn.client : isn.server
  const peerIsn = fromClient ? isn.server : isn.client
  const syn = record.flags === "S" || record.flags === "S."
  const seq = syn ? record.seqNumber : (record.seqNumber - ownIsn) >>> 0
  const ack = syn ? record.ackNumber : (record.ackNumber - peerIsn) >>> 0
  const parts = [`IP ${record.src}.${record.srcPort} > ${record.dst}.${record.dstPort}: Flags [${record.flags}]`]
  if (record.payloadBytes > 0) parts.push(`seq ${seq}:${seq + record.payloadBytes}`)
  else if (syn || record.flags === "F." || record.flags === "R") parts.push(`seq ${seq}`)
  if (record.flags !== "S") parts.push(`ack ${ack}`)
  parts.push(`win ${record.window}`, `length ${record.payloadBytes}`)
  return parts.join(", ")
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
