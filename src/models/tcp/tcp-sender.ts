/**
 * The client: opens the connection, sends an endless stream of bytes until its application
 * closes, then closes with FIN. Its congestion window follows RFC 5681, with the loss response of
 * its {@link CongestionControl} strategy.
 *
 * Sequence numbers are relative (the SYN is 0, the first data byte 1). `una` is the oldest
 * unacknowledged byte, `nxt` the next byte to send, `max` one past the highest byte ever sent;
 * bytes in flight are `nxt − una`. New data goes out while `nxt + len − una ≤ min(cwnd, rwnd)`.
 *
 * - Slow start (cwnd < ssthresh): cwnd += min(bytes acked, SMSS) per ACK of new data.
 * - Congestion avoidance: the strategy's growth (Reno: SMSS·SMSS/cwnd per ACK).
 * - Third duplicate ACK: fast retransmit of `una`, then by recovery style — Tahoe: cwnd = 1
 *   segment; Reno: fast recovery with inflation, cwnd = ssthresh on the next new ACK; NewReno
 *   (RFC 6582): the same, but a partial ACK (short of `recover`) retransmits the next hole and
 *   deflates cwnd by the bytes acked (plus one SMSS if that was at least one), staying in recovery.
 * - Timeout (RFC 6298): ssthresh from the strategy, cwnd = 1 segment, go back to `una` (every
 *   later segment is sent again as the window opens), RTO doubled.
 * - RTT samples: one segment timed at a time; a retransmission cancels the timing (Karn's rule).
 * - A lost SYN is retransmitted on the timer; after it, the initial window is one segment
 *   (RFC 5681 section 3.1).
 *
 * Left out on purpose: SACK, limited transmit, window scaling negotiation, TIME-WAIT's 2·MSL.
 */
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import {
  type CongestionControl,
  type CongestionState,
  initialWindowBytes,
  type LossSignal,
} from "./congestion-control.ts"
import { LazyTimer } from "./lazy-timer.ts"
import { type RtoOptions, RtoEstimator } from "./rto-estimator.ts"
import type { TcpEvent, TcpFlags, TcpPhase } from "./tcp-events.ts"
import { absoluteSeq, type ConnectionId, type Segment } from "./tcp-segment.ts"

/** Options of a {@link TcpSender}; every field but the strategy has a default. */
export interface TcpSenderOptions {
  /** The congestion-control strategy (its own object per flow). */
  readonly congestionControl: CongestionControl
  /** SMSS, payload bytes per segment. Default 1460. */
  readonly mssBytes?: number
  /** The initial window in segments. Default: RFC 5681's (3 for an SMSS of 1460). */
  readonly initialWindowSegments?: number
  /** The retransmission timer's options (RFC 6298). Default: floor 1 s, ceiling 60 s. */
  readonly rto?: RtoOptions
  /** Keep the window's history for {@link TcpSender.cwndSeries}. Default false. */
  readonly recordCwndSeries?: boolean
  /**
   * The application hands data over with {@link TcpSender.write} (a request/response protocol on
   * the connection) instead of always having more to send. Default false: bulk data.
   */
  readonly applicationLimited?: boolean
}

/** The client's connection state (RFC 9293 names). */
export type ClientState = "CLOSED" | "SYN-SENT" | "ESTABLISHED" | "FIN-WAIT-1" | "FIN-WAIT-2" | "TIME-WAIT"

/** One point of a window history: time (ms), cwnd and ssthresh (bytes; ssthresh Infinity before a loss). */
export interface CwndPoint {
  readonly tMs: number
  readonly cwndBytes: number
  readonly ssthreshBytes: number
  readonly phase: TcpPhase
}

/** Duplicate ACKs that trigger a fast retransmit. */
const DUP_ACK_THRESHOLD = 3
/** The window the sender advertises on every segment, bytes: it receives no data, so never less. */
export const SENDER_WINDOW_BYTES = 65_535

/** The sending side of one connection (see the file header). */
export class TcpSender implements CongestionState {
  readonly mssBytes: number
  cwndBytes: number
  ssthreshBytes = Infinity
  state: ClientState = "CLOSED"
  /** Counters: segments put on the wire, retransmitted, timeouts, fast retransmits (partial ACKs included). */
  segmentsSent = 0
  retransmits = 0
  timeouts = 0
  fastRetransmits = 0
  /** Data bytes acknowledged. */
  bytesAcked = 0
  /** The window's history (when recorded): a point whenever its whole segments, ssthresh or phase change. */
  readonly cwndSeries: CwndPoint[] = []
  /** The loss responses (when the series is recorded): when, and what noticed the loss. */
  readonly losses: { readonly tMs: number; readonly signal: LossSignal }[] = []
  private una = 0
  private nxt = 0
  private max = 0
  /** One past the last data byte: Infinity until the application closes. */
  private dataEnd = Infinity
  /** One past the last byte the application has written: Infinity for bulk data. */
  private writtenEnd: number
  private rwndBytes = Infinity
  private dupAcks = 0
  private inRecovery = false
  private recover = 0
  private timedSeq = -1
  private timedAtMs = 0
  private synRetransmitted = false
  private synSentAtMs = 0
  /** The server's sequence number we acknowledge next (1 after its SYN, 2 after its FIN). */
  private peerNext = 0
  private readonly rto: RtoEstimator
  private readonly timer: LazyTimer
  private readonly recordSeries: boolean
  private readonly initialWindow: number
  private onClosed: () => void = () => {}
  /** The last point kept in the series: whole segments, ssthresh and phase. */
  private seriesSegments = -1
  private seriesSsthresh = -1
  private seriesPhase: TcpPhase | "" = ""

  constructor(
    private readonly sim: Simulation,
    private readonly trace: TraceOf<TcpEvent>,
    readonly id: ConnectionId,
    private readonly options: TcpSenderOptions,
    private readonly wire: (segment: Segment) => void,
  ) {
    this.mssBytes = options.mssBytes ?? 1460
    const iw = options.initialWindowSegments
    this.initialWindow = iw === undefined ? initialWindowBytes(this.mssBytes) : iw * this.mssBytes
    this.cwndBytes = this.initialWindow
    this.rto = new RtoEstimator(options.rto)
    this.timer = new LazyTimer(sim, () => this.onTimeout())
    this.recordSeries = options.recordCwndSeries ?? false
    this.writtenEnd = options.applicationLimited === true ? 1 : Infinity
  }

  /** The application writes `bytes` more data (with `applicationLimited`); it is sent as the window allows. */
  write(bytes: number): void {
    this.writtenEnd += bytes
    this.trySend()
  }

  /** The smoothed RTT (ms), undefined before the first sample. */
  get srttMs(): number | undefined {
    return this.rto.srttMs
  }

  /** The current retransmission timeout, ms. */
  get rtoMs(): number {
    return this.rto.rtoMs
  }

  /** Bytes sent and not yet acknowledged. */
  get flightBytes(): number {
    return this.nxt - this.una
  }

  /** The phase the window is in. */
  get phase(): TcpPhase {
    if (this.inRecovery) return "fast-recovery"
    return this.cwndBytes < this.ssthreshBytes ? "slow-start" : "congestion-avoidance"
  }

  /**
   * Starts ESTABLISHED without a handshake of its own: the sending half of a duplex connection
   * whose handshake the other half made (the server's side; see `tcp-connection.ts`). Its SYN was
   * the SYN-ACK, so data starts at 1; `rttSampleMs`, when given, is the handshake's round trip
   * (SYN-ACK to ACK) and seeds the timer as a first RTT sample.
   */
  openEstablished(rttSampleMs?: number): void {
    this.state = "ESTABLISHED"
    this.noteWindow()
    if (rttSampleMs !== undefined) this.rto.sample(rttSampleMs)
    this.una = 1
    this.nxt = 1
    this.max = 1
    this.peerNext = 1
    this.trySend()
  }

  /** Bytes the application has written that were never sent yet (0 for bulk data and when closed). */
  get unsentBytes(): number {
    const end = Math.min(this.dataEnd, this.writtenEnd)
    return end === Infinity ? 0 : Math.max(0, end - Math.max(this.max, 1))
  }

  /** Sends the SYN; `closed` is called when the connection has closed. */
  open(closed: () => void = () => {}): void {
    this.onClosed = closed
    this.state = "SYN-SENT"
    this.noteWindow()
    this.synSentAtMs = this.sim.now
    this.transmit(0, 0, "S", false)
    this.nxt = 1
    this.max = 1
    this.timer.set(this.sim.now + this.rto.rtoMs)
  }

  /** The application closes: no data after what was sent (bulk) or written so far; FIN follows the last byte. */
  close(): void {
    // bulk data ends at what was sent; written data (applicationLimited) at what was written
    const end = this.writtenEnd === Infinity ? Math.max(1, this.max) : this.writtenEnd
    if (this.state === "CLOSED" || this.state === "SYN-SENT") {
      this.dataEnd = end
      return
    }
    if (this.dataEnd !== Infinity) return
    this.dataEnd = end
    this.trySend()
  }

  /** A segment from the server arrived. */
  receive(segment: Segment): void {
    if (this.state === "SYN-SENT") {
      if (segment.flags === "S." && segment.ack === 1) this.established(segment)
      return
    }
    if (this.state === "CLOSED" || this.state === "TIME-WAIT") return
    this.rwndBytes = segment.windowBytes
    if (segment.ack > this.una) this.newAck(segment.ack)
    else if (segment.ack === this.una && segment.flags === "." && this.max > this.una) this.duplicateAck()
    if (segment.flags === "F.") this.peerFinished()
    else this.trySend()
  }

  private established(synAck: Segment): void {
    this.state = "ESTABLISHED"
    this.peerNext = synAck.seq + 1
    this.rwndBytes = synAck.windowBytes
    if (!this.synRetransmitted) this.rto.sample(this.sim.now - this.synSentAtMs)
    else this.setWindow(this.mssBytes)
    this.una = 1
    this.timer.stop()
    this.transmit(1, 0, ".", false)
    this.trySend()
  }

  private newAck(ack: number): void {
    const acked = ack - this.una
    if (this.timedSeq >= 0 && ack >= this.timedSeq) {
      this.rto.sample(this.sim.now - this.timedAtMs)
      this.timedSeq = -1
    }
    this.una = ack
    if (this.nxt < ack) this.nxt = ack
    this.bytesAcked += Math.min(ack, this.dataEnd) - Math.min(ack - acked, this.dataEnd)
    if (this.inRecovery) this.recoveryAck(ack, acked)
    else {
      this.dupAcks = 0
      this.grow(acked)
    }
    if (this.una >= this.max) this.timer.stop()
    else this.timer.set(this.sim.now + this.rto.rtoMs)
    if (this.dataEnd !== Infinity && ack > this.dataEnd && this.state === "FIN-WAIT-1") this.state = "FIN-WAIT-2"
  }

  private grow(acked: number): void {
    if (this.cwndBytes < this.ssthreshBytes) this.setWindow(this.cwndBytes + Math.min(acked, this.mssBytes))
    else this.setWindow(this.options.congestionControl.growInAvoidance(this, acked, this.sim.now))
  }

  private recoveryAck(ack: number, acked: number): void {
    if (this.options.congestionControl.recovery === "newreno" && ack < this.recover) {
      // NewReno's partial ACK (RFC 6582 section 3.2 step 5)
      const deflated = this.cwndBytes - acked + (acked >= this.mssBytes ? this.mssBytes : 0)
      this.setWindow(Math.max(this.mssBytes, deflated))
      this.fastRetransmits++
      this.recordFastRetransmit(true)
      this.retransmit(this.una)
      return
    }
    this.inRecovery = false
    this.dupAcks = 0
    this.setWindow(this.ssthreshBytes)
  }

  private duplicateAck(): void {
    this.dupAcks++
    if (this.inRecovery) {
      this.setWindow(this.cwndBytes + this.mssBytes)
      return
    }
    if (this.dupAcks !== DUP_ACK_THRESHOLD) return
    const style = this.options.congestionControl.recovery
    // RFC 6582 section 3.2 step 2: no new recovery for losses from before the last one
    if (style === "newreno" && this.una < this.recover) return
    this.fastRetransmit()
  }

  private fastRetransmit(): void {
    const cc = this.options.congestionControl
    this.fastRetransmits++
    if (this.recordSeries) this.losses.push({ tMs: this.sim.now, signal: "dup-acks" })
    this.ssthreshBytes = cc.ssthreshAfterLoss(this, "dup-acks", this.sim.now)
    if (cc.recovery === "tahoe") this.setWindow(this.mssBytes)
    else {
      this.inRecovery = true
      this.recover = this.max
      this.setWindow(this.ssthreshBytes + DUP_ACK_THRESHOLD * this.mssBytes)
    }
    this.recordFastRetransmit(false)
    this.retransmit(this.una)
  }

  private onTimeout(): void {
    if (this.state === "SYN-SENT") {
      this.synRetransmitted = true
      this.timeouts++
      this.retransmits++
      this.transmit(0, 0, "S", true)
      this.timer.set(this.sim.now + this.rto.backOff())
      return
    }
    if (this.una >= this.max) return
    this.timeouts++
    if (this.recordSeries) this.losses.push({ tMs: this.sim.now, signal: "timeout" })
    const flightBytes = this.flightBytes
    this.ssthreshBytes = this.options.congestionControl.ssthreshAfterLoss(this, "timeout", this.sim.now)
    this.inRecovery = false
    this.dupAcks = 0
    this.recover = this.max
    this.nxt = this.una
    this.timedSeq = -1
    this.setWindow(this.mssBytes)
    const rtoMs = this.rto.backOff()
    if (this.trace.enabled) {
      const { ssthreshBytes, cwndBytes } = this
      const seqNumber = absoluteSeq(this.id.clientIsn, this.una)
      this.trace.record({
        type: "TcpRetransmissionTimedOut",
        flow: this.id.flow,
        seqNumber,
        rtoMs,
        ssthreshBytes,
        cwndBytes,
        flightBytes,
      })
    }
    this.trySend()
    this.timer.set(this.sim.now + rtoMs)
  }

  /** Sends new data (or data again, after a timeout) while the window allows, then FIN. */
  private trySend(): void {
    if (this.state !== "ESTABLISHED" && this.state !== "FIN-WAIT-1") return
    const window = Math.min(this.cwndBytes, this.rwndBytes)
    for (;;) {
      const end = Math.min(this.dataEnd, this.writtenEnd)
      if (this.nxt < end) {
        const length = Math.min(this.mssBytes, end - this.nxt)
        if (this.nxt + length - this.una > window) return
        this.sendData(this.nxt, length)
      } else if (this.nxt === this.dataEnd && this.nxt - this.una <= window) {
        this.state = "FIN-WAIT-1"
        this.nxt++
        const again = this.nxt <= this.max
        if (!again) this.max = this.nxt
        this.transmit(this.dataEnd, 0, "F.", again)
        if (!this.timer.armed) this.timer.set(this.sim.now + this.rto.rtoMs)
        return
      } else return
    }
  }

  private sendData(seq: number, length: number): void {
    const again = seq < this.max
    this.nxt = seq + length
    if (again) {
      this.retransmits++
      this.timedSeq = -1
    } else {
      this.max = this.nxt
      if (this.timedSeq < 0) {
        this.timedSeq = this.nxt
        this.timedAtMs = this.sim.now
      }
    }
    this.transmit(seq, length, "P.", again)
    if (!this.timer.armed) this.timer.set(this.sim.now + this.rto.rtoMs)
  }

  /** Sends the segment at `seq` again without moving `nxt` (fast retransmit). */
  private retransmit(seq: number): void {
    this.retransmits++
    this.timedSeq = -1
    if (seq >= this.dataEnd) this.transmit(this.dataEnd, 0, "F.", true)
    else this.transmit(seq, Math.min(this.mssBytes, this.dataEnd - seq), "P.", true)
  }

  private peerFinished(): void {
    this.peerNext++
    this.transmit(this.nxt, 0, ".", false)
    this.state = "TIME-WAIT"
    this.timer.stop()
    this.onClosed()
  }

  private transmit(seq: number, payloadBytes: number, flags: TcpFlags, retransmission: boolean): void {
    this.segmentsSent++
    const ack = flags === "S" ? 0 : this.peerNext
    const segment: Segment = { flow: this.id.flow, seq, ack, flags, payloadBytes, windowBytes: SENDER_WINDOW_BYTES }
    if (this.trace.enabled) this.recordSent(segment, retransmission)
    this.wire(segment)
  }

  private recordSent(segment: Segment, retransmission: boolean): void {
    const { id } = this
    this.trace.record({
      type: "TcpSegmentSent",
      flow: id.flow,
      src: id.clientAddress,
      dst: id.serverAddress,
      srcPort: id.clientPort,
      dstPort: id.serverPort,
      seqNumber: absoluteSeq(id.clientIsn, segment.seq),
      ackNumber: segment.flags === "S" ? 0 : absoluteSeq(id.serverIsn, segment.ack),
      flags: segment.flags,
      window: segment.windowBytes,
      payloadBytes: segment.payloadBytes,
      timeMs: this.sim.now,
      retransmission,
      inFlightBytes: this.nxt - this.una,
      sendWindowBytes: Math.min(this.cwndBytes, this.rwndBytes),
    })
  }

  private recordFastRetransmit(partialAck: boolean): void {
    if (!this.trace.enabled) return
    const { ssthreshBytes, cwndBytes, flightBytes } = this
    const seqNumber = absoluteSeq(this.id.clientIsn, this.una)
    this.trace.record({
      type: "TcpFastRetransmitted",
      flow: this.id.flow,
      seqNumber,
      partialAck,
      ssthreshBytes,
      cwndBytes,
      flightBytes,
    })
  }

  private setWindow(cwndBytes: number): void {
    this.cwndBytes = cwndBytes
    this.noteWindow()
  }

  /** Keeps a point when the window's whole segments, ssthresh or phase changed. */
  private keepPoint(): void {
    const { cwndBytes, ssthreshBytes, phase } = this
    const segments = Math.floor(cwndBytes / this.mssBytes)
    if (segments === this.seriesSegments && ssthreshBytes === this.seriesSsthresh && phase === this.seriesPhase) return
    this.seriesSegments = segments
    this.seriesSsthresh = ssthreshBytes
    this.seriesPhase = phase
    this.cwndSeries.push({ tMs: this.sim.now, cwndBytes, ssthreshBytes, phase })
  }

  private noteWindow(): void {
    const { cwndBytes, ssthreshBytes } = this
    if (this.recordSeries) this.keepPoint()
    if (this.trace.enabled) {
      const ssthresh = ssthreshBytes === Infinity ? null : ssthreshBytes
      this.trace.record({
        type: "TcpCwndChanged",
        flow: this.id.flow,
        cwndBytes,
        ssthreshBytes: ssthresh,
        phase: this.phase,
      })
    }
  }
}
