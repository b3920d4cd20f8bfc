/**
 * What the TCP model records: every segment put on a wire (with all its header fields, so a
 * capture can be written from the trace), every segment the bottleneck queued or dropped, and the
 * sender's window decisions. Times in ms; windows and sizes in bytes; sequence numbers absolute
 * (32-bit, from each side's initial sequence number, which is drawn from the seed).
 */

/** TCP flags as tcpdump prints them: SYN, SYN-ACK, ACK, data with PSH-ACK, FIN-ACK, RST. */
export type TcpFlags = "S" | "S." | "." | "P." | "F." | "R"

/** A sender's phase: what its window is doing. */
export type TcpPhase = "slow-start" | "congestion-avoidance" | "fast-recovery"

/** A segment was put on a wire (by the client on the forward path, by the server on the return path). */
export interface TcpSegmentSent {
  readonly type: "TcpSegmentSent"
  /** The connection, numbered from 0 in the order of the scenario's flows. */
  readonly flow: number
  readonly src: string
  readonly dst: string
  readonly srcPort: number
  readonly dstPort: number
  /** Absolute sequence number (uint32); named so, not `seq`, which is the trace record's number. */
  readonly seqNumber: number
  /** Absolute acknowledgement number (uint32); 0 when the ACK flag is off (a SYN). */
  readonly ackNumber: number
  readonly flags: TcpFlags
  /** The receive window advertised, bytes (unscaled). */
  readonly window: number
  /** Payload bytes (0 for SYN, FIN and pure ACKs). */
  readonly payloadBytes: number
  /** Simulated time it was sent, ms (the record's `t`, repeated for capture writers). */
  readonly timeMs: number
  /** True when the segment carries sequence numbers sent before (a retransmission). */
  readonly retransmission: boolean
  /** The sender's bytes in flight after this segment (0 for the server's segments). */
  readonly inFlightBytes: number
  /** The sender's send window min(cwnd, rwnd) when it sent this segment, bytes (0 for the server's). */
  readonly sendWindowBytes: number
}

/** The bottleneck accepted a segment into its queue. */
export interface TcpSegmentQueued {
  readonly type: "TcpSegmentQueued"
  readonly flow: number
  /** Absolute sequence number. */
  readonly seqNumber: number
  /** Packets waiting ahead of it (the one being transmitted not counted). */
  readonly queuedPackets: number
  /** How long it waits before its first bit goes out, ms. */
  readonly queueDelayMs: number
}

/** The bottleneck dropped a segment: its queue was full, or the link lost it at random (`--loss`). */
export interface TcpSegmentDropped {
  readonly type: "TcpSegmentDropped"
  readonly flow: number
  /** Absolute sequence number. */
  readonly seqNumber: number
  readonly payloadBytes: number
  readonly reason: "queue-full" | "random-loss"
  /** Packets waiting in the queue at that moment. */
  readonly queuedPackets: number
}

/** A sender's congestion window or threshold changed. */
export interface TcpCwndChanged {
  readonly type: "TcpCwndChanged"
  readonly flow: number
  readonly cwndBytes: number
  /** null while ssthresh is still unbounded (before the first loss). */
  readonly ssthreshBytes: number | null
  readonly phase: TcpPhase
}

/** A sender retransmitted on the third duplicate ACK (or, in NewReno recovery, on a partial ACK). */
export interface TcpFastRetransmitted {
  readonly type: "TcpFastRetransmitted"
  readonly flow: number
  /** Absolute sequence number retransmitted. */
  readonly seqNumber: number
  /** True for NewReno's retransmission on a partial ACK (no new window reduction). */
  readonly partialAck: boolean
  readonly ssthreshBytes: number
  readonly cwndBytes: number
  /** FlightSize when the loss was noticed. */
  readonly flightBytes: number
}

/** A sender's retransmission timer expired. */
export interface TcpRetransmissionTimedOut {
  readonly type: "TcpRetransmissionTimedOut"
  readonly flow: number
  /** Absolute sequence number retransmitted. */
  readonly seqNumber: number
  /** The timer's next length after the back-off, ms. */
  readonly rtoMs: number
  readonly ssthreshBytes: number
  readonly cwndBytes: number
  /** FlightSize when the timer expired. */
  readonly flightBytes: number
}

/** Every record of the TCP model. */
export type TcpEvent =
  | TcpSegmentSent
  | TcpSegmentQueued
  | TcpSegmentDropped
  | TcpCwndChanged
  | TcpFastRetransmitted
  | TcpRetransmissionTimedOut
