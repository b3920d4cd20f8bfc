/**
 * The HTTP/2 flow-control scenario: a client uploads `streams` × `bytesPerStream` octets to a server
 * on one TCP connection the client opens (`rttMs`, `bandwidthMbps`; see `tcp-frame-transport.ts`); the server's application
 * reads at `readMbps` and its policy gives credit back with WINDOW_UPDATE (docs/http2.md).
 *
 * `run(advance)` returns a {@link FlowControlResult} whose `summary()` is the
 * `http2-flow-control` sim's JSON metrics.
 */
import { type Advance, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import type { FrameTransport } from "./frame-transport.ts"
import { Http2Client } from "./http2-client.ts"
import type { FlowControlEvent, Http2Endpoint } from "./http2-events.ts"
import { type Http2ErrorCode, payloadOctets } from "./http2-frames.ts"
import { type BadUpdate, Http2Server, type SettingsChange } from "./http2-server.ts"
import { tcpFrameTransport } from "./tcp-frame-transport.ts"

/** Options of a {@link FlowControlScenario}; see the file header. */
export interface FlowControlScenarioOptions {
  /** Streams the client opens. Default 2. */
  readonly streams?: number
  /** Octets each stream uploads. Default 100,000. */
  readonly bytesPerStream?: number
  /** Round-trip time of the link, in ms (half each way). Default 40. */
  readonly rttMs?: number
  /** Bandwidth of each direction of the link, in Mbit/s. Default 100. */
  readonly bandwidthMbps?: number
  /** Extra delay of each frame on the link, uniform in [0, jitterMs) from the seed, order kept, in ms. Default 0. */
  readonly jitterMs?: number
  /** How fast the server's application reads, in Mbit/s. Default 100. */
  readonly readMbps?: number
  /** The receiver's policy: WINDOW_UPDATE once consumed credit reaches this fraction of a window. Default 0.5. */
  readonly updateThreshold?: number
  /** Padding octets on every DATA frame; undefined: none. Default undefined. */
  readonly padding?: number
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS; undefined: unlimited. Default undefined. */
  readonly maxConcurrentStreams?: number
  /** The server's SETTINGS_MAX_FRAME_SIZE; undefined: 16,384. Default undefined. */
  readonly maxFrameSize?: number
  /** Changes of SETTINGS_INITIAL_WINDOW_SIZE by the server. Default none. */
  readonly settingsChanges?: readonly SettingsChange[]
  /** A bad WINDOW_UPDATE by the server. Default none. */
  readonly badUpdate?: BadUpdate
  /** The connection window the server opens with a WINDOW_UPDATE on stream 0 at once, in octets. Default 65,535 (none). */
  readonly connectionWindow?: number
  /** The transport between the two; default a TCP connection ({@link tcpFrameTransport}) with `rttMs` and `bandwidthMbps`. */
  readonly transport?: (sim: Simulation) => [FrameTransport, FrameTransport]
  /** The run stops here at the latest, in ms. Default Infinity: when nothing is left to happen. */
  readonly untilMs?: number
}

/** A send window at a time: `stream` 0 is the connection. */
export type WindowPoint = { readonly t: number; readonly stream: number; readonly window: number }

/** An error one endpoint found. */
export type FlowError = {
  readonly t: number
  readonly by: Http2Endpoint
  readonly scope: "stream" | "connection"
  readonly stream: number
  readonly error: Http2ErrorCode
  readonly reason: string
}

/** What the client did and heard, in order, as the window checks replay it. */
export type CreditStep =
  | { readonly kind: "open"; readonly stream: number }
  | { readonly kind: "data"; readonly stream: number; readonly octets: number }
  | { readonly kind: "update"; readonly stream: number; readonly increment: number }
  | { readonly kind: "initial-window"; readonly value: number }

/** What a flow-control run measured. */
export class FlowControlResult implements ScenarioResult {
  constructor(
    /** The client's send windows at every change. */
    readonly windowSeries: readonly WindowPoint[],
    /** Flow-controlled octets (data and padding) the client sent, per stream. */
    readonly bytesSent: ReadonlyMap<number, number>,
    /** Per stream, ms it had data to send and no credit. */
    readonly blockedMs: ReadonlyMap<number, number>,
    /** Per stream, the part of `blockedMs` when its own window had room and the connection's did not. */
    readonly connectionBlockedMs: ReadonlyMap<number, number>,
    readonly errors: readonly FlowError[],
    readonly steps: readonly CreditStep[],
    /** Streams whose whole upload the server read, in order. */
    readonly completed: readonly number[],
    /** WINDOW_UPDATE frames the server sent. */
    readonly windowUpdates: number,
    /** When the server finished reading the last upload, in ms; null if some never finished. */
    readonly transferMs: number | null,
    /** When the last HTTP/2 event happened (a frame, a window change, a read), in ms: the chart's end. */
    readonly endMs: number,
  ) {}

  /** The `http2-flow-control` sim's JSON metrics. */
  summary() {
    return {
      windowSeries: this.windowSeries.map(({ t, stream, window }) => ({ t, stream, window })),
      bytesSent: Object.fromEntries([...this.bytesSent].map(([stream, octets]) => [String(stream), octets])),
      blockedMs: Object.fromEntries([...this.blockedMs].map(([stream, ms]) => [String(stream), microseconds(ms)])),
      blockedOnConnectionMs: Object.fromEntries(
        [...this.blockedMs.keys()].map((stream) => [
          String(stream),
          microseconds(this.connectionBlockedMs.get(stream) ?? 0),
        ]),
      ),
      errors: this.errors.map((e) => ({ ...e })),
      windowUpdates: this.windowUpdates,
      completedStreams: [...this.completed],
      transferMs: this.transferMs,
    }
  }
}

/** `ms` rounded to the microsecond, for the report. */
function microseconds(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/** See the file header. */
export class FlowControlScenario implements Scenario<FlowControlResult> {
  readonly client: Http2Client
  readonly server: Http2Server
  private readonly trace: TraceOf<FlowControlEvent>
  private readonly windowSeries: WindowPoint[] = []
  private readonly errors: FlowError[] = []
  private readonly steps: CreditStep[] = []
  private readonly completed: number[] = []
  private windowUpdates = 0
  private lastRead = 0
  private lastEventMs = 0

  constructor(
    readonly sim: Simulation,
    private readonly options: FlowControlScenarioOptions = {},
  ) {
    this.trace = sim.trace
    const rttMs = options.rttMs ?? 40
    const [clientEnd, serverEnd] =
      options.transport?.(sim) ??
      tcpFrameTransport(sim, {
        latencyMs: rttMs / 2,
        bandwidthMbps: options.bandwidthMbps ?? 100,
        jitterMs: options.jitterMs ?? 0,
      })
    const emit = (event: FlowControlEvent): void => this.see(event)
    this.client = new Http2Client(
      clientEnd,
      emit,
      {
        streams: options.streams ?? 2,
        bytesPerStream: options.bytesPerStream ?? 100_000,
        ...(options.padding === undefined ? {} : { padding: options.padding }),
      },
      () => sim.now,
    )
    this.server = new Http2Server(sim, serverEnd, emit, {
      updateThreshold: options.updateThreshold ?? 0.5,
      readMbps: options.readMbps ?? 100,
      ...(options.maxConcurrentStreams === undefined ? {} : { maxConcurrentStreams: options.maxConcurrentStreams }),
      ...(options.maxFrameSize === undefined ? {} : { maxFrameSize: options.maxFrameSize }),
      ...(options.settingsChanges === undefined ? {} : { settingsChanges: options.settingsChanges }),
      ...(options.badUpdate === undefined ? {} : { badUpdate: options.badUpdate }),
      ...(options.connectionWindow === undefined ? {} : { connectionWindow: options.connectionWindow }),
    })
    this.server.start()
    this.client.start()
  }

  /** Runs until nothing is left to happen (or `untilMs`). */
  run(advance: Advance = runUntil): FlowControlResult {
    advance(this.sim, this.options.untilMs ?? Infinity)
    this.client.finish()
    const requested = this.options.streams ?? 2
    return new FlowControlResult(
      this.windowSeries,
      this.client.bytesSent,
      this.client.blockedMs,
      this.client.connectionBlockedMs,
      this.errors,
      this.steps,
      this.completed,
      this.windowUpdates,
      this.completed.length === requested ? this.lastRead : null,
      this.lastEventMs,
    )
  }

  /** Traces `event` and keeps what the result needs. */
  private see(event: FlowControlEvent): void {
    this.trace.record(event)
    const t = this.sim.now
    this.lastEventMs = t
    switch (event.type) {
      case "FrameSent":
        return this.sentFrame(event)
      case "FrameReceived":
        return this.receivedFrame(event)
      case "Http2ErrorDetected": {
        const { by, scope, stream, error, reason } = event
        this.errors.push({ t, by, scope, stream, error, reason })
        return
      }
      case "SendWindowChanged":
        this.windowSeries.push({ t, stream: event.stream, window: event.window })
        return
      case "StreamBlocked":
      case "StreamUnblocked":
      case "ConnectionBlocked":
      case "ConnectionUnblocked":
        return
      case "DataConsumed":
        this.lastRead = t
        return
    }
  }

  private sentFrame(event: FlowControlEvent & { type: "FrameSent" }): void {
    const { frame } = event
    if (event.by === "server") {
      if (frame.kind === "WINDOW_UPDATE") this.windowUpdates++
      if (frame.kind === "HEADERS" && frame.endStream && this.server.completed.has(frame.stream))
        this.completed.push(frame.stream)
      return
    }
    if (frame.kind === "HEADERS") this.steps.push({ kind: "open", stream: frame.stream })
    if (frame.kind === "DATA") this.steps.push({ kind: "data", stream: frame.stream, octets: payloadOctets(frame) })
  }

  private receivedFrame(event: FlowControlEvent & { type: "FrameReceived" }): void {
    const { frame } = event
    if (event.by !== "client") return
    if (frame.kind === "WINDOW_UPDATE")
      this.steps.push({ kind: "update", stream: frame.stream, increment: frame.increment })
    if (frame.kind === "SETTINGS" && frame.settings.initialWindowSize !== undefined)
      this.steps.push({ kind: "initial-window", value: frame.settings.initialWindowSize })
  }
}
