/**
 * A duplex TCP connection: two half-connections over one path, each direction with its own
 * {@link TcpSender} and {@link TcpReceiver} (its own congestion window, RTO and cumulative ACKs),
 * so both ends can write bytes (docs/http2.md, "TCP underneath").
 *
 * - **Open**: the client's `up` sender sends the SYN from the client's port; the server's `up`
 *   receiver answers SYN-ACK; the client's ACK completes the handshake. That SYN-ACK is also the
 *   server's SYN for the `down` direction: the server's `down` sender starts ESTABLISHED when the
 *   handshake's ACK (or the first data after it) arrives, with the SYN-ACK-to-ACK time as its first
 *   RTT sample (none when the SYN-ACK went out more than once: Karn's rule), and the client's
 *   `down` receiver expects the server's data from sequence number 1.
 * - **No piggybacking**: each direction's ACKs are segments of their own (the data segments of the
 *   other direction do not carry them), so a capture shows a pure ACK for every ACK decision.
 * - **Close**: each end closes its sending direction with `close()`; its FIN follows its last
 *   byte and the peer's receiver acknowledges it (CLOSE-WAIT) without closing the other direction,
 *   which closes when its own end closes. The connection is closed when both FINs are acknowledged.
 *
 * Segments cross the path through the two functions given (`toServer`, `toClient`), which decide
 * delays and loss and hand each arriving segment back with {@link TcpConnection.atServer} or
 * {@link TcpConnection.atClient}; each segment names the half-connection it belongs to.
 */
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import type { Algorithm } from "./congestion-control.ts"
import { createCongestionControl } from "./create-congestion-control.ts"
import type { RtoOptions } from "./rto-estimator.ts"
import type { TcpEvent } from "./tcp-events.ts"
import { TcpReceiver } from "./tcp-receiver.ts"
import type { ConnectionId, Segment } from "./tcp-segment.ts"
import { TcpSender } from "./tcp-sender.ts"

/** A direction: `up` carries the client's bytes to the server, `down` the server's to the client. */
export type Direction = "up" | "down"

/** A segment on the path, with the direction whose half-connection it belongs to. */
export interface DuplexSegment {
  readonly direction: Direction
  readonly segment: Segment
}

/** Options of a {@link TcpConnection}; every field has a default. */
export interface TcpConnectionOptions {
  /** The congestion control of each direction (each gets its own object). Default `"reno"`. */
  readonly algorithm?: Algorithm
  /** SMSS, payload bytes per segment. Default 1460. */
  readonly mssBytes?: number
  /** The retransmission timer's options (RFC 6298). Default: floor 1 s, ceiling 60 s. */
  readonly rto?: RtoOptions
  /** Each receiver's buffer, and so the window it advertises, bytes. Default 8 MiB. */
  readonly receiveWindowBytes?: number
}

/** How one end's side of the connection stands (RFC 9293 names). */
export type EndState =
  | "CLOSED"
  | "SYN-SENT"
  | "SYN-RECEIVED"
  | "ESTABLISHED"
  | "FIN-WAIT-1"
  | "FIN-WAIT-2"
  | "CLOSING"
  | "TIME-WAIT"
  | "CLOSE-WAIT"
  | "LAST-ACK"

/** One end of a {@link TcpConnection}: writes bytes on its sending direction, reads the other. */
export class TcpEnd {
  /** One past the highest sequence number of data that reached this end (in order or not). */
  receivedEnd = 1
  private readonly arrivalListeners: ((deliveredBytes: number) => void)[] = []
  private readonly sentListeners: (() => void)[] = []
  private readonly establishedListeners: (() => void)[] = []
  private closedFirst = false

  constructor(
    /** The sender of this end's bytes. */
    readonly sender: TcpSender,
    /** The receiver of the peer's bytes. */
    readonly receiver: TcpReceiver,
    private readonly peerClosed: () => boolean,
  ) {}

  /** The application writes `bytes` more bytes; they go out as the window allows. */
  write(bytes: number): void {
    this.sender.write(bytes)
  }

  /** The application has nothing more to write: FIN after the last byte. */
  close(): void {
    if (!this.peerClosed()) this.closedFirst = true
    this.sender.close()
  }

  /** Bytes of the peer's data delivered to this end's application, in order. */
  get deliveredBytes(): number {
    return this.receiver.deliveredBytes
  }

  /** Bytes written and never sent yet. */
  get unsentBytes(): number {
    return this.sender.unsentBytes
  }

  /** Calls `listener` with the delivered byte count after each data segment or FIN that arrives here. */
  onArrival(listener: (deliveredBytes: number) => void): void {
    this.arrivalListeners.push(listener)
  }

  /** Calls `listener` once, when the handshake completes at this end (its bytes can leave from then on). */
  onEstablished(listener: () => void): void {
    this.establishedListeners.push(listener)
  }

  /**
   * Calls `listener` whenever bytes this end had written and not yet sent leave (an ACK opened the
   * window); {@link unsentBytes} tells how many are still waiting.
   */
  onSent(listener: () => void): void {
    this.sentListeners.push(listener)
  }

  /** This end's state. */
  get state(): EndState {
    const own = this.sender.state
    if (own === "CLOSED" || own === "SYN-SENT") return own
    const peerFin = this.receiver.state === "CLOSE-WAIT"
    const finAcked = own === "FIN-WAIT-2" || own === "TIME-WAIT"
    if (own === "ESTABLISHED") return peerFin ? "CLOSE-WAIT" : "ESTABLISHED"
    if (!this.closedFirst) return finAcked ? "CLOSED" : "LAST-ACK"
    if (!peerFin) return finAcked ? "FIN-WAIT-2" : "FIN-WAIT-1"
    return finAcked ? "TIME-WAIT" : "CLOSING"
  }

  /** @internal the connection reports an arrival. */
  arrived(segment: Segment): void {
    if (segment.payloadBytes > 0) this.receivedEnd = Math.max(this.receivedEnd, segment.seq + segment.payloadBytes)
    const delivered = this.receiver.deliveredBytes
    for (const listener of this.arrivalListeners) listener(delivered)
  }

  /** @internal the connection reports that the handshake completed here. */
  established(): void {
    for (const listener of this.establishedListeners) listener()
  }

  /** @internal the connection reports that written bytes left. */
  sent(): void {
    for (const listener of this.sentListeners) listener()
  }
}

/** The connection's ids seen from the server's sending side: addresses, ports and ISNs swapped. */
function reversed(id: ConnectionId): ConnectionId {
  return {
    flow: id.flow,
    clientAddress: id.serverAddress,
    serverAddress: id.clientAddress,
    clientPort: id.serverPort,
    serverPort: id.clientPort,
    clientIsn: id.serverIsn,
    serverIsn: id.clientIsn,
  }
}

/** A duplex connection (see the file header). */
export class TcpConnection {
  readonly client: TcpEnd
  readonly server: TcpEnd
  private synAckSentAtMs = -1
  private synAcks = 0

  constructor(
    private readonly sim: Simulation,
    trace: TraceOf<TcpEvent>,
    readonly id: ConnectionId,
    options: TcpConnectionOptions,
    toServer: (segment: DuplexSegment) => void,
    toClient: (segment: DuplexSegment) => void,
  ) {
    const algorithm = options.algorithm ?? "reno"
    const senderOptions = (): ConstructorParameters<typeof TcpSender>[3] => ({
      congestionControl: createCongestionControl(algorithm),
      ...(options.mssBytes === undefined ? {} : { mssBytes: options.mssBytes }),
      ...(options.rto === undefined ? {} : { rto: options.rto }),
      applicationLimited: true,
    })
    const receiverOptions = {
      finReply: "ack" as const,
      ...(options.receiveWindowBytes === undefined ? {} : { receiveWindowBytes: options.receiveWindowBytes }),
    }
    const back = reversed(id)
    const upSender = new TcpSender(sim, trace, id, senderOptions(), (segment) => toServer({ direction: "up", segment }))
    const upReceiver = new TcpReceiver(sim, trace, id, receiverOptions, (segment) => {
      if (segment.flags === "S.") this.synAckSent()
      toClient({ direction: "up", segment })
    })
    const downSender = new TcpSender(sim, trace, back, senderOptions(), (segment) =>
      toClient({ direction: "down", segment }),
    )
    const downReceiver = new TcpReceiver(sim, trace, back, receiverOptions, (segment) =>
      toServer({ direction: "down", segment }),
    )
    this.client = new TcpEnd(upSender, downReceiver, () => downReceiver.state === "CLOSE-WAIT")
    this.server = new TcpEnd(downSender, upReceiver, () => upReceiver.state === "CLOSE-WAIT")
  }

  /** The client opens the connection: its SYN goes out now. */
  open(): void {
    this.client.sender.open()
  }

  /** True once both directions' FINs are acknowledged. */
  get closed(): boolean {
    const done = (sender: TcpSender): boolean => sender.state === "FIN-WAIT-2" || sender.state === "TIME-WAIT"
    return done(this.client.sender) && done(this.server.sender)
  }

  /** A segment reached the server. */
  atServer({ direction, segment }: DuplexSegment): void {
    const { server } = this
    if (direction === "down") return this.toSender(server, segment)
    const wasOpen = server.receiver.state !== "LISTEN" && server.receiver.state !== "SYN-RECEIVED"
    server.receiver.receive(segment)
    if (!wasOpen && server.receiver.state === "ESTABLISHED") {
      const rttMs = this.synAcks === 1 ? this.sim.now - this.synAckSentAtMs : undefined
      const unsent = server.unsentBytes
      server.sender.openEstablished(rttMs)
      this.afterSend(server, unsent)
      server.established()
    }
    if (segment.payloadBytes > 0 || segment.flags === "F.") server.arrived(segment)
  }

  /** A segment reached the client. */
  atClient({ direction, segment }: DuplexSegment): void {
    const { client } = this
    if (direction === "up") {
      const wasOpening = client.sender.state === "SYN-SENT"
      this.toSender(client, segment)
      if (wasOpening && client.sender.state !== "SYN-SENT") {
        client.receiver.acceptEstablished()
        client.established()
      }
      return
    }
    client.receiver.receive(segment)
    if (segment.payloadBytes > 0 || segment.flags === "F.") client.arrived(segment)
  }

  /** An ACK for `end`'s own data: the sender may send more of what was written. */
  private toSender(end: TcpEnd, segment: Segment): void {
    const unsent = end.unsentBytes
    end.sender.receive(segment)
    this.afterSend(end, unsent)
  }

  private afterSend(end: TcpEnd, unsentBefore: number): void {
    if (end.unsentBytes < unsentBefore) end.sent()
  }

  private synAckSent(): void {
    this.synAcks++
    this.synAckSentAtMs = this.sim.now
  }
}
