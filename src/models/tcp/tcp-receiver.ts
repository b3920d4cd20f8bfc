/**
 * The server: accepts the connection, takes in the byte stream and acknowledges it cumulatively,
 * then closes when the client does.
 *
 * Its application reads every in-order byte at once, so the window it advertises stays the whole
 * receive buffer. A segment beyond `rcvNxt` (a hole before it) is kept and answered at once with a
 * duplicate ACK for `rcvNxt`; the segment that fills the hole is acknowledged at once, up to the
 * end of what was kept. With delayed ACKs (RFC 5681 section 4.2, RFC 1122), an in-order segment is
 * acknowledged with the next one (every second full segment) or when the delayed-ACK timer
 * expires, whichever comes first. On the client's FIN it answers with its own FIN (one segment,
 * `F.`, acknowledging the client's).
 *
 * Left out on purpose: a slow application (a shrinking window), the server's own retransmissions
 * (the return path never loses a segment), SACK blocks.
 */
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import { LazyTimer } from "./lazy-timer.ts"
import type { TcpEvent, TcpFlags } from "./tcp-events.ts"
import { absoluteSeq, type ConnectionId, type Segment } from "./tcp-segment.ts"

/** Options of a {@link TcpReceiver}; every field has a default. */
export interface TcpReceiverOptions {
  /** The receive buffer, and so the window advertised, bytes. Default 8 MiB. */
  readonly receiveWindowBytes?: number
  /** Delay ACKs (one ACK for every second segment). Default false. */
  readonly delayedAck?: boolean
  /** The delayed-ACK timer, ms. Default 40 (Linux's minimum; RFC 1122 allows up to 500). */
  readonly delayedAckMs?: number
  /**
   * What the client's FIN gets: `"fin"` the receiver's own FIN (it has nothing to send, so it
   * closes too); `"ack"` an ACK only (CLOSE-WAIT), for the receiving half of a duplex connection
   * whose other half still sends (see `tcp-connection.ts`). Default `"fin"`.
   */
  readonly finReply?: "fin" | "ack"
}

/** The server's connection state (RFC 9293 names). */
export type ServerState = "LISTEN" | "SYN-RECEIVED" | "ESTABLISHED" | "CLOSE-WAIT" | "LAST-ACK" | "CLOSED"

/** The receiving side of one connection (see the file header). */
export class TcpReceiver {
  state: ServerState = "LISTEN"
  /** Data bytes handed to the application, in order. */
  deliveredBytes = 0
  /** Segments put on the wire. */
  segmentsSent = 0
  readonly receiveWindowBytes: number
  /** The next byte expected (relative to the client's ISN). */
  private rcvNxt = 0
  /** Segments received beyond a hole, as [start, end) ranges sorted by start. */
  private readonly held: [number, number][] = []
  /** Where the client's FIN is, once seen (it may arrive before the bytes ahead of it). */
  private finSeq = -1
  private unacknowledged = 0
  private ownSeq = 1
  private readonly delayedAck: boolean
  private readonly finReply: "fin" | "ack"
  private readonly delayedAckMs: number
  private readonly ackTimer: LazyTimer

  constructor(
    private readonly sim: Simulation,
    private readonly trace: TraceOf<TcpEvent>,
    readonly id: ConnectionId,
    options: TcpReceiverOptions,
    private readonly wire: (segment: Segment) => void,
  ) {
    this.receiveWindowBytes = options.receiveWindowBytes ?? 8 * 1024 * 1024
    this.delayedAck = options.delayedAck ?? false
    this.delayedAckMs = options.delayedAckMs ?? 40
    this.finReply = options.finReply ?? "fin"
    this.ackTimer = new LazyTimer(sim, () => this.acknowledge())
  }

  /**
   * Starts ESTABLISHED, expecting data from sequence number 1: the receiving half of a duplex
   * connection, whose peer's SYN was the SYN-ACK of the other half (see `tcp-connection.ts`).
   */
  acceptEstablished(): void {
    this.state = "ESTABLISHED"
    this.rcvNxt = 1
  }

  /** A segment from the client arrived. */
  receive(segment: Segment): void {
    if (segment.flags === "S") {
      if (this.state === "LISTEN" || this.state === "SYN-RECEIVED") {
        this.state = "SYN-RECEIVED"
        this.rcvNxt = 1
        this.transmit(0, "S.")
      }
      return
    }
    if (this.state === "SYN-RECEIVED" && segment.ack >= 1) this.state = "ESTABLISHED"
    if (this.state === "LAST-ACK" && segment.ack >= 2 && segment.flags === ".") {
      this.state = "CLOSED"
      return
    }
    if (segment.flags === "F.") this.finSeq = segment.seq
    if (segment.payloadBytes > 0 || segment.flags === "F.") this.takeIn(segment)
  }

  private takeIn(segment: Segment): void {
    const start = segment.seq
    const end = start + segment.payloadBytes
    if (start > this.rcvNxt) {
      this.hold(start, end)
      this.acknowledge()
      return
    }
    if (end <= this.rcvNxt && !(segment.flags === "F." && this.finReached())) {
      this.acknowledge() // an old copy: say again where we are
      return
    }
    const filled = this.held.length > 0
    this.advance(end)
    if (this.finReached() && this.state === "CLOSE-WAIT") return this.acknowledge()
    if (this.finReached() && this.state !== "LAST-ACK" && this.state !== "CLOSED") return this.finish()
    if (this.state === "LAST-ACK") return this.transmit(this.ownSeq - 1, "F.")
    if (!this.delayedAck || filled || ++this.unacknowledged >= 2) this.acknowledge()
    else if (!this.ackTimer.armed) this.ackTimer.set(this.sim.now + this.delayedAckMs)
  }

  private finReached(): boolean {
    return this.finSeq >= 0 && this.rcvNxt >= this.finSeq
  }

  private advance(end: number): void {
    const before = this.rcvNxt
    if (end > this.rcvNxt) this.rcvNxt = end
    while (this.held.length > 0 && this.held[0]![0] <= this.rcvNxt) {
      const [, heldEnd] = this.held.shift()!
      if (heldEnd > this.rcvNxt) this.rcvNxt = heldEnd
    }
    const dataEnd = this.finSeq >= 0 ? Math.min(this.rcvNxt, this.finSeq) : this.rcvNxt
    this.deliveredBytes += Math.max(0, dataEnd - before)
  }

  private hold(start: number, end: number): void {
    let i = this.held.length
    while (i > 0 && this.held[i - 1]![0] > start) i--
    this.held.splice(i, 0, [start, end])
  }

  private finish(): void {
    this.rcvNxt = this.finSeq + 1
    if (this.finReply === "ack") {
      this.state = "CLOSE-WAIT"
      return this.acknowledge()
    }
    this.state = "LAST-ACK"
    this.ackTimer.stop()
    this.unacknowledged = 0
    this.ownSeq = 2
    this.transmit(1, "F.")
  }

  /** Sends a cumulative ACK for everything received in order. */
  private acknowledge(): void {
    this.unacknowledged = 0
    this.ackTimer.stop()
    this.transmit(this.ownSeq, ".")
  }

  private transmit(seq: number, flags: TcpFlags): void {
    this.segmentsSent++
    const ack = this.rcvNxt
    const segment: Segment = {
      flow: this.id.flow,
      seq,
      ack,
      flags,
      payloadBytes: 0,
      windowBytes: this.receiveWindowBytes,
    }
    if (this.trace.enabled) {
      const { id } = this
      this.trace.record({
        type: "TcpSegmentSent",
        flow: id.flow,
        src: id.serverAddress,
        dst: id.clientAddress,
        srcPort: id.serverPort,
        dstPort: id.clientPort,
        seqNumber: absoluteSeq(id.serverIsn, seq),
        ackNumber: absoluteSeq(id.clientIsn, ack),
        flags,
        window: segment.windowBytes,
        payloadBytes: 0,
        timeMs: this.sim.now,
        retransmission: false,
        inFlightBytes: 0,
        sendWindowBytes: 0,
      })
    }
    this.wire(segment)
  }
}
