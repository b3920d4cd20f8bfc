/**
 * A segment as the endpoints exchange it inside the model: sequence and acknowledgement numbers
 * relative to each side's initial sequence number (the SYN is 0, the first data byte 1), as
 * tcpdump prints them. The trace records them absolute (see `tcp-events.ts`).
 */
import type { TcpFlags } from "./tcp-events.ts"

/** One TCP segment on a wire. */
export interface Segment {
  /** The connection it belongs to. */
  readonly flow: number
  /** Sequence number, relative to the sender's ISN. */
  readonly seq: number
  /** Acknowledgement number, relative to the receiver's ISN (0 when the ACK flag is off). */
  readonly ack: number
  readonly flags: TcpFlags
  /** Payload bytes. */
  readonly payloadBytes: number
  /** Receive window advertised, bytes. */
  readonly windowBytes: number
}

/** Who is who on a connection: its 5-tuple (protocol TCP) and both initial sequence numbers. */
export interface ConnectionId {
  readonly flow: number
  readonly clientAddress: string
  readonly serverAddress: string
  readonly clientPort: number
  readonly serverPort: number
  /** The client's initial sequence number (uint32). */
  readonly clientIsn: number
  /** The server's initial sequence number (uint32). */
  readonly serverIsn: number
}

/** `isn + relative` as a uint32. */
export function absoluteSeq(isn: number, relative: number): number {
  return (isn + relative) >>> 0
}

/** Bytes of the IPv4 and TCP headers (no options) added to each payload on the wire. */
export const HEADER_BYTES = 40
