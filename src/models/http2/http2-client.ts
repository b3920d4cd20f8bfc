/**
 * The HTTP/2 client of the flow-control scenario: it opens `streams` streams (1, 3, 5, ...), each
 * an upload of `bytesPerStream` octets (a POST whose HEADERS carry the connection's HPACK encoding
 * of {@link uploadRequest}), and sends their DATA as its peer's windows allow (docs/http2.md,
 * "Flow control").
 *
 * Its writer hands the transport one frame at a time, whenever the transport is ready: control
 * frames first (SETTINGS and PING acknowledgements, RST_STREAM, GOAWAY), then HEADERS opening a
 * stream when the peer's SETTINGS_MAX_CONCURRENT_STREAMS allows, then one DATA frame from the next
 * stream in turn that has credit. Flow control never holds back a control frame.
 */
import { SendWindows } from "./flow-windows.ts"
import { HpackEncoder } from "./hpack.ts"
import type { HeaderField } from "./hpack-table.ts"
import type { FlowOutcome } from "./flow-windows.ts"
import type { FrameTransport } from "./frame-transport.ts"
import type { FlowControlEvent } from "./http2-events.ts"
import {
  type DataFrame,
  DEFAULT_MAX_FRAME_SIZE,
  type Http2ErrorCode,
  type Http2Frame,
  maxFrameSizeProblem,
  payloadOctets,
  type SettingsFrame,
} from "./http2-frames.ts"

/** Options of an {@link Http2Client}. */
export interface Http2ClientOptions {
  /** Streams to open. */
  readonly streams: number
  /** Octets of data each stream uploads. */
  readonly bytesPerStream: number
  /** Octets of padding on every DATA frame (0 … 255); undefined: DATA frames are not padded. Default undefined. */
  readonly padding?: number
}

/** The request of an upload on `stream`: a POST of `octets` octets, as a header list. */
export function uploadRequest(stream: number, octets: number): HeaderField[] {
  return [
    { name: ":method", value: "POST" },
    { name: ":scheme", value: "https" },
    { name: ":authority", value: "example.com" },
    { name: ":path", value: `/upload/${stream}` },
    { name: "content-type", value: "application/octet-stream" },
    { name: "content-length", value: String(octets) },
  ]
}

/** See the file header. */
export class Http2Client {
  /** The credit the server gave: per stream and per connection. */
  readonly windows = new SendWindows()
  /** Flow-controlled octets sent per stream (data and padding). */
  readonly bytesSent = new Map<number, number>()
  private maxFrameSize = DEFAULT_MAX_FRAME_SIZE
  private maxConcurrentStreams = Infinity
  private readonly control: Http2Frame[] = []
  private readonly unopened: number[] = []
  /** Octets of data each open stream has still to send. */
  private readonly remaining = new Map<number, number>()
  /** Streams opened and not yet closed (the server's response or a reset closes them). */
  private readonly active = new Set<number>()
  /** Streams with data and no credit: since when, and whose window holds them back. */
  private readonly blocked = new Map<number, { since: number; on: "stream" | "connection" }>()
  /** Per stream, ms it had data to send and no credit. */
  readonly blockedMs = new Map<number, number>()
  /** Per stream, the part of `blockedMs` when its own window had room and the connection's did not. */
  readonly connectionBlockedMs = new Map<number, number>()
  private waitingForConnection = 0
  private turn = 0
  /** The connection's HPACK encoder: each request's HEADERS carries the block it writes. */
  private readonly hpack = new HpackEncoder()
  private lastStreamId = -1
  private closed = false

  constructor(
    private readonly transport: FrameTransport,
    private readonly emit: (event: FlowControlEvent) => void,
    private readonly options: Http2ClientOptions,
    private readonly now: () => number,
  ) {
    for (let i = 0; i < options.streams; i++) this.unopened.push(this.newStreamId())
    transport.onReceive((frame) => this.receive(frame))
    transport.onReady(() => this.pump())
  }

  /** Opens the connection: the client's SETTINGS (the defaults) and a PING, then the streams. */
  start(): void {
    this.control.push({ kind: "SETTINGS", ack: false, settings: {} }, { kind: "PING", ack: false })
    this.pump()
  }

  /** True once the connection ended with GOAWAY, sent or received. */
  get goneAway(): boolean {
    return this.closed
  }

  /** Streams that still have DATA to send. */
  get sending(): number[] {
    return [...this.remaining.keys()]
  }

  /** Client streams are odd: 1, 3, 5, ... */
  private newStreamId(): number {
    this.lastStreamId += 2
    return this.lastStreamId
  }

  private send(frame: Http2Frame): void {
    this.emit({ type: "FrameSent", by: "client", frame })
    this.transport.send(frame)
  }

  /** Sends the next frame if the transport is ready. */
  private pump(): void {
    if (!this.transport.ready) return
    const frame = this.control.shift() ?? (this.closed ? undefined : (this.openStream() ?? this.nextData()))
    if (frame === undefined) return
    this.send(frame)
    if (frame.kind === "GOAWAY") this.closed = true
    this.updateBlocked()
  }

  private openStream(): Http2Frame | undefined {
    if (this.unopened.length === 0 || this.active.size >= this.maxConcurrentStreams) return undefined
    const stream = this.unopened.shift()!
    this.windows.open(stream)
    this.active.add(stream)
    this.bytesSent.set(stream, 0)
    this.blockedMs.set(stream, 0)
    this.connectionBlockedMs.set(stream, 0)
    const empty = this.options.bytesPerStream === 0
    if (!empty) this.remaining.set(stream, this.options.bytesPerStream)
    else this.windows.close(stream)
    this.emit({ type: "SendWindowChanged", stream, window: this.windows.window(stream) ?? 0 })
    const block = this.hpack.encode(uploadRequest(stream, this.options.bytesPerStream))
    return { kind: "HEADERS", stream, blockOctets: block.bytes.length, endStream: empty }
  }

  /** Octets of a DATA payload beyond its data: the Pad Length octet and the padding. */
  private get padOverhead(): number {
    return this.options.padding === undefined ? 0 : 1 + this.options.padding
  }

  private nextData(): DataFrame | undefined {
    const streams = this.sending
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[(this.turn + i) % streams.length]!
      const room = Math.min(this.windows.available(stream), this.maxFrameSize)
      if (room < 1) continue
      this.turn = (this.turn + i + 1) % Math.max(1, streams.length)
      return this.dataFrame(stream, room)
    }
    return undefined
  }

  /**
   * The next DATA frame of `stream` in at most `room` octets of payload: padded when the padding
   * and one octet of data fit, else unpadded (padding is optional per frame), so a window never
   * stays stuck below the padding's size.
   */
  private dataFrame(stream: number, room: number): DataFrame {
    const padded = this.options.padding !== undefined && room >= this.padOverhead + 1
    const length = Math.min(room - (padded ? this.padOverhead : 0), this.remaining.get(stream)!)
    const left = this.remaining.get(stream)! - length
    const frame: DataFrame = {
      kind: "DATA",
      stream,
      length,
      ...(padded ? { padding: this.options.padding } : {}),
      endStream: left === 0,
    }
    const octets = payloadOctets(frame)
    this.windows.consume(stream, octets)
    this.bytesSent.set(stream, this.bytesSent.get(stream)! + octets)
    this.emit({ type: "SendWindowChanged", stream, window: this.windows.window(stream)! })
    this.emit({ type: "SendWindowChanged", stream: 0, window: this.windows.connection })
    if (left === 0) this.endSending(stream)
    else this.remaining.set(stream, left)
    return frame
  }

  private endSending(stream: number): void {
    this.remaining.delete(stream)
    this.windows.close(stream)
    const was = this.blocked.get(stream)?.on
    this.endBlocked(stream)
    if (was === "stream") this.emit({ type: "StreamUnblocked", stream, why: "ended" })
    this.updateConnectionWaiting()
  }

  /** Closes `stream`'s blocked interval, if open, adding it to its totals. */
  private endBlocked(stream: number): void {
    const interval = this.blocked.get(stream)
    if (interval === undefined) return
    const ms = this.now() - interval.since
    this.blockedMs.set(stream, this.blockedMs.get(stream)! + ms)
    if (interval.on === "connection") this.connectionBlockedMs.set(stream, this.connectionBlockedMs.get(stream)! + ms)
    this.blocked.delete(stream)
  }

  /** Closes every blocked interval at the end of a run. */
  finish(): void {
    for (const stream of [...this.blocked.keys()]) this.endBlocked(stream)
  }

  /** Tracks which streams have data but no credit; records a stream's own window and the connection's changes. */
  private updateBlocked(): void {
    for (const stream of this.sending) {
      const window = this.windows.window(stream)!
      const on = window < 1 ? "stream" : this.windows.connection < 1 ? "connection" : undefined
      const was = this.blocked.get(stream)?.on
      if (on === was) continue
      this.endBlocked(stream)
      if (on !== undefined) this.blocked.set(stream, { since: this.now(), on })
      if (on === "stream") this.emit({ type: "StreamBlocked", stream })
      else if (was === "stream") this.emit({ type: "StreamUnblocked", stream, why: "credit" })
    }
    this.updateConnectionWaiting()
  }

  private updateConnectionWaiting(): void {
    const waiting = [...this.blocked.values()].filter((b) => b.on === "connection").length
    if (waiting > 0 === this.waitingForConnection > 0) return
    this.waitingForConnection = waiting
    this.emit(waiting > 0 ? { type: "ConnectionBlocked", waiting } : { type: "ConnectionUnblocked" })
  }

  private receive(frame: Http2Frame): void {
    if (this.closed) return
    this.emit({ type: "FrameReceived", by: "client", frame })
    switch (frame.kind) {
      case "SETTINGS":
        if (!frame.ack) this.applySettings(frame)
        break
      case "WINDOW_UPDATE":
        this.handle(this.windows.applyWindowUpdate(frame), frame.stream)
        break
      case "RST_STREAM":
        this.closeStream(frame.stream)
        // A refused stream was not processed: it is safe to send the request again, on a new stream.
        if (frame.error === "REFUSED_STREAM") this.unopened.push(this.newStreamId())
        break
      case "HEADERS":
        if (frame.endStream) this.closeStream(frame.stream)
        break
      case "GOAWAY":
        this.closed = true
        break
      case "PING":
        if (!frame.ack) this.control.push({ kind: "PING", ack: true })
        break
      case "DATA":
        break
    }
    this.updateBlocked()
    this.pump()
  }

  private applySettings(frame: SettingsFrame): void {
    const { initialWindowSize, maxFrameSize, maxConcurrentStreams } = frame.settings
    if (maxFrameSize !== undefined) {
      const problem = maxFrameSizeProblem(maxFrameSize)
      if (problem !== undefined) return this.connectionError("PROTOCOL_ERROR", problem)
      this.maxFrameSize = maxFrameSize
    }
    if (maxConcurrentStreams !== undefined) this.maxConcurrentStreams = maxConcurrentStreams
    if (initialWindowSize !== undefined) {
      const outcome = this.windows.applyInitialWindowSize(initialWindowSize)
      if (outcome.kind !== "ok") return this.handle(outcome, 0)
      for (const stream of this.windows.openStreams)
        this.emit({ type: "SendWindowChanged", stream, window: this.windows.window(stream)! })
    }
    this.control.push({ kind: "SETTINGS", ack: true, settings: {} })
  }

  /** Acts on a flow-control outcome: a new window, a stream reset, or the connection's end. */
  private handle(outcome: FlowOutcome, stream: number): void {
    switch (outcome.kind) {
      case "ok": {
        const window = stream === 0 ? this.windows.connection : this.windows.window(stream)!
        this.emit({ type: "SendWindowChanged", stream, window })
        return
      }
      case "ignored":
        return
      case "stream-error":
        this.emit({
          type: "Http2ErrorDetected",
          by: "client",
          scope: "stream",
          stream: outcome.stream,
          error: outcome.error,
          reason: outcome.reason,
        })
        this.closeStream(outcome.stream)
        this.control.push({ kind: "RST_STREAM", stream: outcome.stream, error: outcome.error })
        return
      case "connection-error":
        return this.connectionError(outcome.error, outcome.reason)
    }
  }

  private connectionError(error: Http2ErrorCode, reason: string): void {
    this.emit({ type: "Http2ErrorDetected", by: "client", scope: "connection", stream: 0, error, reason })
    this.control.length = 0
    this.control.push({ kind: "GOAWAY", lastStream: 0, error })
    for (const stream of this.sending) this.endSending(stream)
  }

  private closeStream(stream: number): void {
    if (this.remaining.has(stream)) this.endSending(stream)
    this.windows.close(stream)
    this.active.delete(stream)
  }
}
