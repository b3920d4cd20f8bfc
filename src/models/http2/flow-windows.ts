/**
 * HTTP/2 flow control (RFC 9113 sections 5.2 and 6.9), both sides, without time: the sender's view
 * of the credit its peer gave it ({@link SendWindows}) and the receiver's own windows with its
 * consumed-but-unacknowledged credit ({@link ReceiveWindows}). Every rule and error of
 * docs/http2.md's "Flow control" is here; the endpoints (http2-endpoints.ts) only route frames.
 *
 * Windows are per stream and per connection (stream 0), 65,535 octets initially. Only DATA frames
 * consume credit, their whole payload (padding included). A change of SETTINGS_INITIAL_WINDOW_SIZE
 * moves every stream window the sender can still send on by the difference, so a window may go
 * negative; the connection window changes only by WINDOW_UPDATE on stream 0.
 */
import {
  DEFAULT_INITIAL_WINDOW,
  type Http2ErrorCode,
  MAX_WINDOW,
  payloadOctets,
  type WindowUpdateFrame,
} from "./http2-frames.ts"

/** What applying a frame to the windows led to. */
export type FlowOutcome =
  | { readonly kind: "ok" }
  /** Not an error, nothing changed: e.g. a WINDOW_UPDATE on a stream that can no longer send. */
  | { readonly kind: "ignored"; readonly reason: string }
  /** A stream error: the stream is reset with RST_STREAM carrying `error`. */
  | { readonly kind: "stream-error"; readonly stream: number; readonly error: Http2ErrorCode; readonly reason: string }
  /** A connection error: the connection ends with GOAWAY carrying `error`. */
  | { readonly kind: "connection-error"; readonly error: Http2ErrorCode; readonly reason: string }

const OK: FlowOutcome = { kind: "ok" }

function connectionError(error: Http2ErrorCode, reason: string): FlowOutcome {
  return { kind: "connection-error", error, reason }
}

function streamError(stream: number, error: Http2ErrorCode, reason: string): FlowOutcome {
  return { kind: "stream-error", stream, error, reason }
}

/**
 * The DATA sender's windows: how many more octets the peer allows on each stream it can still send
 * on (open or half-closed (remote)) and on the connection.
 */
export class SendWindows {
  private connectionWindow = DEFAULT_INITIAL_WINDOW
  private initialWindow = DEFAULT_INITIAL_WINDOW
  private readonly streams = new Map<number, number>()
  private highestStream = 0

  /** The connection window. */
  get connection(): number {
    return this.connectionWindow
  }

  /** The peer's SETTINGS_INITIAL_WINDOW_SIZE as applied here (65,535 until its SETTINGS arrive). */
  get peerInitialWindow(): number {
    return this.initialWindow
  }

  /** The window of `stream`, or undefined when it cannot send (not opened, ended or reset). */
  window(stream: number): number | undefined {
    return this.streams.get(stream)
  }

  /** The streams that can send, in the order they were opened. */
  get openStreams(): number[] {
    return [...this.streams.keys()]
  }

  /** Opens `stream` with the peer's current initial window. */
  open(stream: number): void {
    if (this.streams.has(stream) || stream <= this.highestStream)
      throw new RangeError(`stream ${stream} was opened before`)
    this.highestStream = stream
    this.streams.set(stream, this.initialWindow)
  }

  /** `stream` sends no more DATA (it ended or was reset): its window no longer matters. */
  close(stream: number): void {
    this.streams.delete(stream)
  }

  /** Octets `stream` may send now: the smaller of its window and the connection's, at least 0. */
  available(stream: number): number {
    const window = this.streams.get(stream)
    return window === undefined ? 0 : Math.max(0, Math.min(window, this.connectionWindow))
  }

  /** A DATA frame of `octets` flow-controlled octets leaves on `stream`. */
  consume(stream: number, octets: number): void {
    if (octets > this.available(stream))
      throw new RangeError(`stream ${stream}: ${octets} octets exceed the ${this.available(stream)} available`)
    this.streams.set(stream, this.streams.get(stream)! - octets)
    this.connectionWindow -= octets
  }

  /** The peer's SETTINGS_INITIAL_WINDOW_SIZE became `value`: every stream window moves by the difference. */
  applyInitialWindowSize(value: number): FlowOutcome {
    if (value > MAX_WINDOW)
      return connectionError("FLOW_CONTROL_ERROR", `SETTINGS_INITIAL_WINDOW_SIZE ${value} is above 2^31-1`)
    const delta = value - this.initialWindow
    for (const [stream, window] of this.streams) {
      if (window + delta > MAX_WINDOW)
        return connectionError(
          "FLOW_CONTROL_ERROR",
          `SETTINGS_INITIAL_WINDOW_SIZE ${value} would take stream ${stream}'s window to ${window + delta}, above 2^31-1`,
        )
    }
    this.initialWindow = value
    for (const [stream, window] of this.streams) this.streams.set(stream, window + delta)
    return OK
  }

  /** A WINDOW_UPDATE arrived. */
  applyWindowUpdate(frame: WindowUpdateFrame): FlowOutcome {
    const { stream, increment } = frame
    if (!Number.isInteger(increment) || increment < 0 || increment > MAX_WINDOW)
      throw new RangeError(`a WINDOW_UPDATE increment is 31 bits, got ${increment}`)
    if (payloadOctets(frame) !== 4)
      return connectionError("FRAME_SIZE_ERROR", `WINDOW_UPDATE payload of ${payloadOctets(frame)} octets, not 4`)
    if (stream !== 0 && !this.streams.has(stream) && stream > this.highestStream)
      return connectionError("PROTOCOL_ERROR", `WINDOW_UPDATE on idle stream ${stream}`)
    if (increment === 0)
      return stream === 0
        ? connectionError("PROTOCOL_ERROR", "WINDOW_UPDATE increment 0 on the connection")
        : streamError(stream, "PROTOCOL_ERROR", `WINDOW_UPDATE increment 0 on stream ${stream}`)
    if (stream === 0) {
      if (this.connectionWindow + increment > MAX_WINDOW)
        return connectionError(
          "FLOW_CONTROL_ERROR",
          `connection window ${this.connectionWindow} + ${increment} is above 2^31-1`,
        )
      this.connectionWindow += increment
      return OK
    }
    const window = this.streams.get(stream)
    if (window === undefined) return { kind: "ignored", reason: `stream ${stream} sends no more data` }
    if (window + increment > MAX_WINDOW)
      return streamError(
        stream,
        "FLOW_CONTROL_ERROR",
        `stream ${stream}'s window ${window} + ${increment} is above 2^31-1`,
      )
    this.streams.set(stream, window + increment)
    return OK
  }
}

/** A WINDOW_UPDATE the receiver's policy wants sent. */
export interface DueUpdate {
  readonly stream: number
  readonly increment: number
}

/**
 * The DATA receiver's windows: what it still allows the peer to send on each stream it receives on
 * and on the connection, and the credit its application consumed that it has not yet given back.
 */
export class ReceiveWindows {
  private connectionWindow = DEFAULT_INITIAL_WINDOW
  private connectionUnacked = 0
  private connectionTarget = DEFAULT_INITIAL_WINDOW
  private initialWindow = DEFAULT_INITIAL_WINDOW
  private readonly streams = new Map<number, { window: number; unacked: number }>()

  /**
   * The receiver raises its connection window to `target` octets (at least 65,535): returns the
   * WINDOW_UPDATE increment on stream 0 that tells the peer (0 when there is nothing to add). The
   * policy then measures connection credit against `target`.
   */
  raiseConnectionWindow(target: number): number {
    if (!Number.isInteger(target) || target < DEFAULT_INITIAL_WINDOW || target > MAX_WINDOW)
      throw new RangeError(`a connection window target is an integer in 65535…2^31-1, got ${target}`)
    const increment = Math.max(0, target - this.connectionWindow - this.connectionUnacked)
    this.connectionTarget = target
    this.connectionWindow += increment
    return increment
  }

  /** The connection window as the receiver sees it. */
  get connection(): number {
    return this.connectionWindow
  }

  /** The SETTINGS_INITIAL_WINDOW_SIZE in force for this receiver's streams. */
  get localInitialWindow(): number {
    return this.initialWindow
  }

  /** The window of `stream`, or undefined when it is not receiving. */
  window(stream: number): number | undefined {
    return this.streams.get(stream)?.window
  }

  /** `stream` opened (its HEADERS arrived). */
  open(stream: number): void {
    this.streams.set(stream, { window: this.initialWindow, unacked: 0 })
  }

  /** `stream` receives no more DATA (END_STREAM arrived, or it was reset). */
  close(stream: number): void {
    this.streams.delete(stream)
  }

  /**
   * A DATA frame of `octets` flow-controlled octets arrived on `stream`. It counts against the
   * connection window even when the stream rejects it, so both sides' connection windows agree.
   */
  receiveData(stream: number, octets: number): FlowOutcome {
    this.connectionWindow -= octets
    if (this.connectionWindow < 0)
      return connectionError("FLOW_CONTROL_ERROR", `DATA overran the connection window by ${-this.connectionWindow}`)
    const state = this.streams.get(stream)
    if (state === undefined) {
      // The octets are spent on the connection: give them back as if consumed.
      this.connectionUnacked += octets
      return streamError(stream, "STREAM_CLOSED", `DATA on stream ${stream}, which is not open`)
    }
    state.window -= octets
    if (state.window < 0)
      return streamError(stream, "FLOW_CONTROL_ERROR", `DATA overran stream ${stream}'s window by ${-state.window}`)
    return OK
  }

  /** The application consumed `octets` of `stream`'s data: credit to give back. */
  consumed(stream: number, octets: number): void {
    this.connectionUnacked += octets
    const state = this.streams.get(stream)
    if (state !== undefined) state.unacked += octets
  }

  /** The peer acknowledged our SETTINGS_INITIAL_WINDOW_SIZE `value`: stream windows move by the difference. */
  applyInitialWindowSize(value: number): void {
    const delta = value - this.initialWindow
    this.initialWindow = value
    for (const state of this.streams.values()) state.window += delta
  }

  /**
   * The updates the policy sends now, taken from the windows: one per window whose consumed
   * credit reached `threshold` × its target (the stream's initial window; for the connection
   * 65,535 or what {@link raiseConnectionWindow} set), for the whole consumed credit. Connection first.
   */
  takeDueUpdates(threshold: number): DueUpdate[] {
    const due: DueUpdate[] = []
    if (this.connectionUnacked > 0 && this.connectionUnacked >= threshold * this.connectionTarget) {
      due.push({ stream: 0, increment: this.connectionUnacked })
      this.connectionWindow += this.connectionUnacked
      this.connectionUnacked = 0
    }
    for (const [stream, state] of this.streams) {
      if (state.unacked > 0 && state.unacked >= threshold * Math.max(1, this.initialWindow)) {
        due.push({ stream, increment: state.unacked })
        state.window += state.unacked
        state.unacked = 0
      }
    }
    return due
  }
}
