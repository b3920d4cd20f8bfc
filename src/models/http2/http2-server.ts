/**
 * The HTTP/2 server of the flow-control scenario: it receives the client's uploads, hands their
 * DATA to an application that reads at `readMbps`, and gives the credit back with WINDOW_UPDATE
 * frames by its policy: when the consumed-but-unacknowledged credit of a window reaches
 * `updateThreshold` × that window's size (docs/http2.md, "The receiver's policy").
 *
 * It may also change SETTINGS_INITIAL_WINDOW_SIZE mid-transfer (applied to its own windows when the
 * client acknowledges it), and it may send one bad WINDOW_UPDATE (increment 0, or one that takes a
 * window past 2^31 − 1) to show the client's errors.
 */
import type { Simulation } from "../../kernel/index.ts"
import { ReceiveWindows } from "./flow-windows.ts"
import { HpackEncoder } from "./hpack.ts"
import type { FrameTransport } from "./frame-transport.ts"
import type { FlowControlEvent } from "./http2-events.ts"
import {
  type DataFrame,
  DEFAULT_INITIAL_WINDOW,
  type Http2ErrorCode,
  type Http2Frame,
  MAX_WINDOW,
  payloadOctets,
} from "./http2-frames.ts"

/** A bad WINDOW_UPDATE the server sends once. */
export interface BadUpdate {
  /** `zero`: increment 0; `overflow`: increment 2^31 − 1, past the largest window unless it is ≤ 0. */
  readonly kind: "zero" | "overflow"
  /** The stream it is sent on; 0: the connection. */
  readonly stream: number
  /** When the server sends it, in ms. */
  readonly atMs: number
}

/** A SETTINGS_INITIAL_WINDOW_SIZE the server sends at `atMs` (ms). */
export interface SettingsChange {
  readonly atMs: number
  readonly initialWindow: number
}

/** Options of an {@link Http2Server}. */
export interface Http2ServerOptions {
  /** The fraction of a window whose consumed credit triggers a WINDOW_UPDATE, in (0, 1]. */
  readonly updateThreshold: number
  /** How fast the application reads received data, in Mbit/s. */
  readonly readMbps: number
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server advertises. Default: none (unlimited). */
  readonly maxConcurrentStreams?: number
  /** SETTINGS_MAX_FRAME_SIZE the server advertises. Default: none (16,384). */
  readonly maxFrameSize?: number
  /** New values of SETTINGS_INITIAL_WINDOW_SIZE, each sent at its `atMs`. Default: none. */
  readonly settingsChanges?: readonly SettingsChange[]
  /** A bad WINDOW_UPDATE. Default: none. */
  readonly badUpdate?: BadUpdate
  /**
   * The connection window the server opens (octets, 65,535 … 2^31 − 1), with a WINDOW_UPDATE on
   * stream 0 right after its SETTINGS, as browsers and servers do. Default 65,535 (no update).
   */
  readonly connectionWindow?: number
}

/** See the file header. */
export class Http2Server {
  /** The server's own windows and consumed credit. */
  readonly windows = new ReceiveWindows()
  /** Octets of data the application read, per stream. */
  readonly consumedBytes = new Map<number, number>()
  /** Streams whose whole upload the application read (the server answered them). */
  readonly completed = new Set<number>()
  private readonly queue: { stream: number; octets: number; last: boolean }[] = []
  private reading = false
  private readonly active = new Set<number>()
  /** Streams the server reset: later DATA on them is dropped without another RST_STREAM. */
  private readonly reset = new Set<number>()
  /** SETTINGS sent and not yet acknowledged, oldest first: the initial window each carries, if any. */
  private readonly unacknowledged: (number | undefined)[] = []
  private closed = false
  /** The connection's HPACK encoder for responses. */
  private readonly hpack = new HpackEncoder()

  constructor(
    private readonly sim: Simulation,
    private readonly transport: FrameTransport,
    private readonly emit: (event: FlowControlEvent) => void,
    private readonly options: Http2ServerOptions,
  ) {
    transport.onReceive((frame) => this.receive(frame))
  }

  /** Opens the connection: the server's SETTINGS, then its scheduled change and bad update. */
  start(): void {
    const { maxConcurrentStreams, maxFrameSize, settingsChanges, badUpdate } = this.options
    this.unacknowledged.push(undefined)
    this.send({
      kind: "SETTINGS",
      ack: false,
      settings: {
        ...(maxConcurrentStreams === undefined ? {} : { maxConcurrentStreams }),
        ...(maxFrameSize === undefined ? {} : { maxFrameSize }),
      },
    })
    const increment = this.windows.raiseConnectionWindow(this.options.connectionWindow ?? DEFAULT_INITIAL_WINDOW)
    if (increment > 0) this.send({ kind: "WINDOW_UPDATE", stream: 0, increment })
    for (const change of settingsChanges ?? [])
      this.sim.timeout(change.atMs).onProcessed(() => this.changeInitialWindow(change.initialWindow))
    if (badUpdate !== undefined) this.sim.timeout(badUpdate.atMs).onProcessed(() => this.sendBadUpdate(badUpdate))
  }

  private send(frame: Http2Frame): void {
    if (this.closed) return
    this.emit({ type: "FrameSent", by: "server", frame })
    this.transport.send(frame)
  }

  private changeInitialWindow(value: number): void {
    if (this.closed) return
    this.unacknowledged.push(value)
    this.send({ kind: "SETTINGS", ack: false, settings: { initialWindowSize: value } })
  }

  private sendBadUpdate(bad: BadUpdate): void {
    this.send({ kind: "WINDOW_UPDATE", stream: bad.stream, increment: bad.kind === "zero" ? 0 : MAX_WINDOW })
  }

  private receive(frame: Http2Frame): void {
    if (this.closed) return
    this.emit({ type: "FrameReceived", by: "server", frame })
    switch (frame.kind) {
      case "HEADERS":
        return this.openStream(frame.stream, frame.endStream)
      case "DATA":
        return this.receiveData(frame)
      case "SETTINGS":
        if (!frame.ack) return this.send({ kind: "SETTINGS", ack: true, settings: {} })
        return this.settingsAcknowledged()
      case "RST_STREAM":
        this.windows.close(frame.stream)
        this.active.delete(frame.stream)
        return
      case "GOAWAY":
        this.closed = true
        return
      case "PING":
        if (!frame.ack) this.send({ kind: "PING", ack: true })
        return
      case "WINDOW_UPDATE":
        return
    }
  }

  /** The client applied our oldest unacknowledged SETTINGS: so do our own windows now. */
  private settingsAcknowledged(): void {
    const value = this.unacknowledged.shift()
    if (value === undefined) return
    this.windows.applyInitialWindowSize(value)
    // A smaller window may make credit already consumed due now.
    this.sendDueUpdates()
  }

  private openStream(stream: number, endStream: boolean): void {
    const limit = this.options.maxConcurrentStreams ?? Infinity
    if (this.active.size >= limit) {
      const reason = `stream ${stream} would exceed SETTINGS_MAX_CONCURRENT_STREAMS ${limit}`
      return this.streamError(stream, "REFUSED_STREAM", reason)
    }
    this.active.add(stream)
    this.consumedBytes.set(stream, 0)
    if (endStream) return this.respond(stream)
    this.windows.open(stream)
  }

  private receiveData(frame: DataFrame): void {
    const octets = payloadOctets(frame)
    const outcome = this.windows.receiveData(frame.stream, octets)
    switch (outcome.kind) {
      case "ok":
      case "ignored":
        if (frame.endStream) this.windows.close(frame.stream)
        this.queue.push({ stream: frame.stream, octets, last: frame.endStream })
        return this.readNext()
      case "stream-error":
        // The connection window already counted the frame; its credit is given back with the next update.
        if (!this.reset.has(outcome.stream)) this.streamError(outcome.stream, outcome.error, outcome.reason)
        return this.sendDueUpdates()
      case "connection-error":
        return this.connectionError(outcome.error, outcome.reason)
    }
  }

  /** The application reads the oldest chunk, then gives credit back by the policy. */
  private readNext(): void {
    if (this.reading || this.queue.length === 0) return
    this.reading = true
    const chunk = this.queue.shift()!
    this.sim.timeout((chunk.octets * 8) / (this.options.readMbps * 1000)).onProcessed(() => {
      this.reading = false
      if (this.closed) return
      this.consumedBytes.set(chunk.stream, (this.consumedBytes.get(chunk.stream) ?? 0) + chunk.octets)
      this.emit({ type: "DataConsumed", stream: chunk.stream, octets: chunk.octets })
      this.windows.consumed(chunk.stream, chunk.octets)
      this.sendDueUpdates()
      if (chunk.last && this.active.has(chunk.stream)) this.respond(chunk.stream)
      this.readNext()
    })
  }

  private sendDueUpdates(): void {
    for (const { stream, increment } of this.windows.takeDueUpdates(this.options.updateThreshold))
      this.send({ kind: "WINDOW_UPDATE", stream, increment })
  }

  /** The whole upload was read: the response (headers only) closes the stream. */
  private respond(stream: number): void {
    this.completed.add(stream)
    this.active.delete(stream)
    const block = this.hpack.encode([{ name: ":status", value: "200" }])
    this.send({ kind: "HEADERS", stream, blockOctets: block.bytes.length, endStream: true })
  }

  private streamError(stream: number, error: Http2ErrorCode, reason: string): void {
    this.emit({ type: "Http2ErrorDetected", by: "server", scope: "stream", stream, error, reason })
    this.reset.add(stream)
    this.windows.close(stream)
    this.active.delete(stream)
    this.send({ kind: "RST_STREAM", stream, error })
  }

  private connectionError(error: Http2ErrorCode, reason: string): void {
    this.emit({ type: "Http2ErrorDetected", by: "server", scope: "connection", stream: 0, error, reason })
    this.send({ kind: "GOAWAY", lastStream: Math.max(0, ...this.active), error })
    this.closed = true
  }
}
