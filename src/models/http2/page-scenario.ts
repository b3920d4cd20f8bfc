/**
 * A page load over HTTP/1.1 (`h1`: up to 6 connections, one request at a time on each;
 * `h1-pipelined`: requests pipelined, responses in request order) or HTTP/2 (`h2`: one connection,
 * every stream multiplexed with DATA frames of at most 16,384 bytes, round robin, HPACK headers,
 * stream and connection flow control).
 *
 * Every connection is a duplex {@link TcpConnection} the client opens (Reno both ways). The client
 * writes its requests (HTTP/1.1 text, or HTTP/2's preface, SETTINGS, WINDOW_UPDATE and HEADERS
 * frames) on the client-to-server direction; the server answers a request once its bytes have
 * arrived in order, and writes its responses on the other direction, where a resource has arrived
 * once the client's TCP has delivered its last byte in order. Server-to-client segments cross one
 * shared access link with random loss; the client's go up a link of the same rate that loses none.
 * See docs/http2.md, "A page over HTTP/1.1 and HTTP/2".
 */
import type { Advance } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import { BottleneckLink, DROPPED_QUEUE_FULL } from "../tcp/bottleneck-link.ts"
import { DelayLine } from "../tcp/delay-line.ts"
import { type DuplexSegment, TcpConnection } from "../tcp/tcp-connection.ts"
import type { TcpEvent } from "../tcp/tcp-events.ts"
import { HEADER_BYTES } from "../tcp/tcp-segment.ts"
import { ReceiveWindows, SendWindows } from "./flow-windows.ts"
import { HpackEncoder } from "./hpack.ts"
import { DEFAULT_INITIAL_WINDOW, FRAME_HEADER_OCTETS, MAX_WINDOW } from "./http2-frames.ts"
import type { PageEvent } from "./page-events.ts"
import { PageResult, type ResourceTiming } from "./page-result.ts"
import { http1HeaderBytes, type PageResource, pageHeaderBytes, pageResources } from "./page-resources.ts"
import { StreamLayout } from "./stream-layout.ts"

/** How the page is fetched. */
export type PageProtocol = "h1" | "h1-pipelined" | "h2"

/** The protocols, in the order the sim lists them. */
export const PAGE_PROTOCOLS: readonly PageProtocol[] = ["h1", "h1-pipelined", "h2"]

/** Chrome's SETTINGS_INITIAL_WINDOW_SIZE (6 MiB) and connection window (15 MiB), docs/http2.md. */
export const CHROME_STREAM_WINDOW_BYTES = 6_291_456
export const CHROME_CONNECTION_WINDOW_BYTES = 15_728_640

/** Options of a {@link PageScenario}; every field has a default. */
export interface PageScenarioOptions {
  readonly protocol?: PageProtocol
  /** Resources of the page, the HTML included. Default 40. */
  readonly resources?: number
  /** Two-way propagation delay, ms. Default 100. */
  readonly rttMs?: number
  /** Probability that a server-to-client segment is lost. Default 0. */
  readonly lossProbability?: number
  /** The median body size, bytes (log-normal, sigma 1; see {@link pageResources}). Default 8,000. */
  readonly medianBodyBytes?: number
  /** The access link's rate, Mbit/s. Default 10. */
  readonly bandwidthMbps?: number
  /** HTTP/1.1's connections per origin. Default 6 (what browsers use). */
  readonly maxConnections?: number
  /** HTTP/2: the client's SETTINGS_INITIAL_WINDOW_SIZE, bytes (every stream's window). Default 6,291,456 (Chrome). */
  readonly h2StreamWindowBytes?: number
  /** HTTP/2: the connection window the client opens with a WINDOW_UPDATE, bytes. Default 15,728,640 (Chrome). */
  readonly h2ConnectionWindowBytes?: number
  /** HTTP/2: the client gives credit back once this fraction of a window was consumed. Default 0.5. */
  readonly h2UpdateThreshold?: number
}

/** HTTP/2's largest DATA payload (SETTINGS_MAX_FRAME_SIZE's default). */
const MAX_FRAME_BYTES = 16_384
/** The client connection preface's magic string, bytes (RFC 9113 section 3.4). */
const PREFACE_MAGIC_BYTES = 24
/** Chrome's SETTINGS: HEADER_TABLE_SIZE, ENABLE_PUSH, INITIAL_WINDOW_SIZE, MAX_HEADER_LIST_SIZE; 6 bytes each. */
const CLIENT_SETTINGS_BYTES = FRAME_HEADER_OCTETS + 4 * 6
/** The server's SETTINGS: empty (every default kept, no concurrency limit); and a SETTINGS ACK. */
const SERVER_SETTINGS_BYTES = FRAME_HEADER_OCTETS
const SETTINGS_ACK_BYTES = FRAME_HEADER_OCTETS
const WINDOW_UPDATE_BYTES = FRAME_HEADER_OCTETS + 4
const MSS_BYTES = 1460
/**
 * The server writes DATA while fewer bytes than this wait unsent in its TCP buffer (Linux's
 * TCP_NOTSENT_LOWAT, 16 KiB as h2 servers set it), so a stream whose request arrives later is
 * interleaved within a frame or so instead of queueing behind every byte already written.
 */
const NOT_SENT_LOW_WATER_BYTES = 16_384
/** The access link's queue: deep enough that only `lossProbability` drops segments. */
const QUEUE_PACKETS = 10_000

/** What the client writes: each is handled by the server once its bytes have arrived. */
type UpMessage =
  | { readonly kind: "preface"; readonly connectionIncrement: number }
  | { readonly kind: "settings-ack" }
  | { readonly kind: "request"; readonly resource: number; readonly stream: number }
  | { readonly kind: "window-update"; readonly stream: number; readonly increment: number }

/** What the server writes: each is handled by the client once its bytes have arrived. */
type DownMessage =
  | { readonly kind: "settings" }
  | { readonly kind: "settings-ack" }
  | { readonly kind: "first-byte"; readonly resource: number }
  | { readonly kind: "headers"; readonly resource: number }
  | {
      readonly kind: "data"
      readonly resource: number
      readonly stream: number
      readonly octets: number
      readonly last: boolean
    }
  | { readonly kind: "loaded"; readonly resource: number }

/** An HTTP/2 response the server is sending: its resource and the body bytes left. */
interface Outgoing {
  readonly resource: number
  left: number
  /** Since when it has had bytes left and no credit (-1: it has credit). */
  blockedSinceMs: number
}

/** One connection of the page: its TCP connection, what each direction carries, its holes. */
interface Connection {
  readonly index: number
  readonly tcp: TcpConnection
  readonly up: StreamLayout<UpMessage>
  readonly down: StreamLayout<DownMessage>
  established: boolean
  /** Requests sent and not yet answered in full. */
  outstanding: number
  holeSinceMs: number
  readonly holes: [number, number][]
  /** HTTP/2: the server's send windows, the client's receive windows, the streams with data left. */
  readonly sendWindows: SendWindows
  readonly receiveWindows: ReceiveWindows
  readonly outgoing: Map<number, Outgoing>
  nextStream: number
}

/** A page load (see the file header). */
export class PageScenario {
  readonly protocol: PageProtocol
  readonly resources: readonly PageResource[]
  private readonly downLink: BottleneckLink
  private readonly upLink: BottleneckLink
  private readonly trace: TraceOf<PageEvent | TcpEvent>
  private readonly oneWayMs: number
  private readonly connections: Connection[] = []
  private readonly timings: ResourceTiming[]
  private readonly pending: number[] = []
  private readonly h2Requests = new HpackEncoder()
  private readonly h2Responses = new HpackEncoder()
  private lanes: { resource: number; lane: number }[] = []
  private bytesOnWire = 0
  private windowUpdates = 0
  private flowBlockedMs = 0
  private loaded = 0

  constructor(
    readonly sim: Simulation,
    private readonly options: PageScenarioOptions = {},
  ) {
    this.protocol = options.protocol ?? "h2"
    this.trace = sim.trace
    this.oneWayMs = (options.rttMs ?? 100) / 2
    this.resources = pageResources(
      sim.random("page/sizes"),
      sim.random("page/headers"),
      options.resources ?? 40,
      options.medianBodyBytes,
    )
    const bandwidthMbps = options.bandwidthMbps ?? 10
    const lossProbability = options.lossProbability ?? 0
    this.downLink = new BottleneckLink(sim, { bandwidthMbps, queuePackets: QUEUE_PACKETS, lossProbability })
    this.upLink = new BottleneckLink(sim, { bandwidthMbps, queuePackets: QUEUE_PACKETS })
    this.timings = this.resources.map((r) => ({
      resource: r.index,
      path: r.path,
      bodyBytes: r.bodyBytes,
      connection: -1,
      neededAtMs: r.index === 0 ? 0 : -1,
      requestSentMs: -1,
      firstByteMs: -1,
      loadedMs: -1,
      stallMs: 0,
    }))
    const streamWindow = options.h2StreamWindowBytes ?? CHROME_STREAM_WINDOW_BYTES
    const connectionWindow = options.h2ConnectionWindowBytes ?? CHROME_CONNECTION_WINDOW_BYTES
    if (!(Number.isInteger(streamWindow) && streamWindow >= 1 && streamWindow <= MAX_WINDOW))
      throw new RangeError(`h2StreamWindowBytes must be an integer in 1…2^31-1, got ${streamWindow}`)
    if (!(
      Number.isInteger(connectionWindow) &&
      connectionWindow >= DEFAULT_INITIAL_WINDOW &&
      connectionWindow <= MAX_WINDOW
    ))
      throw new RangeError(`h2ConnectionWindowBytes must be an integer in 65535…2^31-1, got ${connectionWindow}`)
  }

  /** Loads the page: the HTML on a first connection, then the rest once the HTML has arrived. */
  run(advance: Advance = runUntil): PageResult {
    this.pending.push(0)
    this.open()
    advance(this.sim, 3_600_000)
    const headerBytes = pageHeaderBytes(this.resources)
    const retransmits = this.connections.reduce(
      (sum, c) => sum + c.tcp.client.sender.retransmits + c.tcp.server.sender.retransmits,
      0,
    )
    return new PageResult({
      protocol: this.protocol,
      resources: this.timings,
      connections: this.connections.length,
      bytesOnWire: this.bytesOnWire,
      headerBytes,
      retransmits,
      windowUpdates: this.windowUpdates,
      flowBlockedMs: this.flowBlockedMs,
      holes: this.connections.map((c) => c.holes),
    })
  }

  /** The client opens a connection: SYN, SYN-ACK, ACK; requests go once it is established. */
  private open(): void {
    const { sim } = this
    const index = this.connections.length
    const id = {
      flow: index,
      clientAddress: "10.0.0.2",
      serverAddress: "10.0.0.1",
      clientPort: 50000 + index,
      serverPort: 443,
      clientIsn: 0,
      serverIsn: 0,
    }
    const toServer = new DelayLine<DuplexSegment>(sim, (segment) => connection.tcp.atServer(segment))
    const toClient = new DelayLine<DuplexSegment>(sim, (segment) => connection.tcp.atClient(segment))
    const tcp = new TcpConnection(
      sim,
      this.trace,
      id,
      { mssBytes: MSS_BYTES },
      (segment) => this.upward(segment, toServer),
      (segment) => this.downward(segment, toClient),
    )
    const connection: Connection = {
      index,
      tcp,
      up: new StreamLayout(),
      down: new StreamLayout(),
      established: false,
      outstanding: 0,
      holeSinceMs: -1,
      holes: [],
      sendWindows: new SendWindows(),
      receiveWindows: new ReceiveWindows(),
      outgoing: new Map(),
      nextStream: 1,
    }
    this.connections.push(connection)
    tcp.client.onEstablished(() => this.established(connection))
    tcp.server.onArrival((delivered) => this.atServer(connection, delivered))
    tcp.client.onArrival((delivered) => this.atClient(connection, delivered))
    if (this.protocol === "h2") tcp.server.onSent(() => this.sendData(connection))
    if (this.protocol === "h2") connection.down.append(SERVER_SETTINGS_BYTES, { kind: "settings" })
    if (this.protocol === "h2") tcp.server.write(SERVER_SETTINGS_BYTES)
    if (this.trace.enabled) this.trace.record({ type: "PageConnectionOpened", connection: index })
    tcp.open()
  }

  /** A client segment goes up its link (never lost). */
  private upward(segment: DuplexSegment, toServer: DelayLine<DuplexSegment>): void {
    const bytes = HEADER_BYTES + segment.segment.payloadBytes
    this.bytesOnWire += bytes
    toServer.push(segment, this.upLink.offer(bytes) + this.oneWayMs)
  }

  /** A server segment meets the access link: queued, then propagated, or lost. */
  private downward(duplex: DuplexSegment, toClient: DelayLine<DuplexSegment>): void {
    const { segment } = duplex
    this.bytesOnWire += HEADER_BYTES + segment.payloadBytes
    const departureMs = this.downLink.offer(segment.payloadBytes + HEADER_BYTES)
    if (departureMs >= 0) return toClient.push(duplex, departureMs + this.oneWayMs)
    if (this.trace.enabled) {
      const { flow, seq: seqNumber, payloadBytes } = segment
      const reason = departureMs === DROPPED_QUEUE_FULL ? "queue-full" : "random-loss"
      this.trace.record({
        type: "TcpSegmentDropped",
        flow,
        seqNumber,
        payloadBytes,
        reason,
        queuedPackets: this.downLink.lastWaiting,
      })
    }
  }

  /** The handshake completed at the client: HTTP/2's preface, then the requests. */
  private established(connection: Connection): void {
    connection.established = true
    if (this.protocol === "h2") this.writePreface(connection)
    this.dispatch(connection)
  }

  /** The client's preface: the magic string, SETTINGS, and a WINDOW_UPDATE opening the connection window. */
  private writePreface(connection: Connection): void {
    const windows = connection.receiveWindows
    windows.applyInitialWindowSize(this.options.h2StreamWindowBytes ?? CHROME_STREAM_WINDOW_BYTES)
    const increment = windows.raiseConnectionWindow(
      this.options.h2ConnectionWindowBytes ?? CHROME_CONNECTION_WINDOW_BYTES,
    )
    const bytes = PREFACE_MAGIC_BYTES + CLIENT_SETTINGS_BYTES + (increment > 0 ? WINDOW_UPDATE_BYTES : 0)
    if (increment > 0) this.windowUpdates++
    connection.up.append(bytes, { kind: "preface", connectionIncrement: increment })
    connection.tcp.client.write(bytes)
  }

  /** Bytes arrived at the server: it handles every message now complete, then sends what it may. */
  private atServer(connection: Connection, delivered: number): void {
    for (const message of connection.up.due(delivered)) {
      switch (message.kind) {
        case "preface":
          this.serverPreface(connection, message.connectionIncrement)
          break
        case "settings-ack":
          break
        case "request":
          this.respond(connection, message.resource, message.stream)
          break
        case "window-update":
          connection.sendWindows.applyWindowUpdate({
            kind: "WINDOW_UPDATE",
            stream: message.stream,
            increment: message.increment,
          })
          break
      }
    }
    if (this.protocol === "h2") this.sendData(connection)
  }

  /** The server applies the client's SETTINGS and WINDOW_UPDATE, and acknowledges the SETTINGS. */
  private serverPreface(connection: Connection, connectionIncrement: number): void {
    const windows = connection.sendWindows
    windows.applyInitialWindowSize(this.options.h2StreamWindowBytes ?? CHROME_STREAM_WINDOW_BYTES)
    if (connectionIncrement > 0)
      windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: connectionIncrement })
    connection.down.append(SETTINGS_ACK_BYTES, { kind: "settings-ack" })
    connection.tcp.server.write(SETTINGS_ACK_BYTES)
  }

  /** The server writes a response: HTTP/1.1 all at once; HTTP/2 its HEADERS, the DATA as windows allow. */
  private respond(connection: Connection, resource: number, stream: number): void {
    const { response, bodyBytes } = this.resources[resource]!
    connection.down.markNextByte({ kind: "first-byte", resource })
    if (this.protocol !== "h2") {
      const bytes = http1HeaderBytes(response) + bodyBytes
      connection.down.append(bytes, { kind: "loaded", resource })
      return connection.tcp.server.write(bytes)
    }
    const bytes = FRAME_HEADER_OCTETS + this.h2Responses.encode(response).bytes.length
    connection.down.append(bytes, { kind: "headers", resource })
    connection.tcp.server.write(bytes)
    connection.sendWindows.open(stream)
    connection.outgoing.set(stream, { resource, left: bodyBytes, blockedSinceMs: -1 })
  }

  /**
   * HTTP/2: DATA frames round robin over the streams, each as large as both windows and 16,384
   * allow, while the TCP buffer holds less than {@link NOT_SENT_LOW_WATER_BYTES} unsent.
   */
  private sendData(connection: Connection): void {
    const windows = connection.sendWindows
    const server = connection.tcp.server
    for (let progress = true; progress;) {
      progress = false
      for (const [stream, out] of connection.outgoing) {
        if (server.unsentBytes >= NOT_SENT_LOW_WATER_BYTES) return
        const octets = Math.min(MAX_FRAME_BYTES, out.left, windows.available(stream))
        if (octets <= 0) {
          if (out.blockedSinceMs < 0) out.blockedSinceMs = this.sim.now
          continue
        }
        if (out.blockedSinceMs >= 0) this.flowBlockedMs += this.sim.now - out.blockedSinceMs
        out.blockedSinceMs = -1
        windows.consume(stream, octets)
        out.left -= octets
        const last = out.left === 0
        const { resource } = out
        connection.down.append(FRAME_HEADER_OCTETS + octets, { kind: "data", resource, stream, octets, last })
        // served: to the back of the round robin (the next call starts with the stream after it)
        connection.outgoing.delete(stream)
        if (last) windows.close(stream)
        else connection.outgoing.set(stream, out)
        server.write(FRAME_HEADER_OCTETS + octets)
        progress = true
      }
    }
  }

  /** Bytes arrived at the client: holes, then every message now complete. */
  private atClient(connection: Connection, delivered: number): void {
    this.noteHole(connection, delivered)
    for (const message of connection.down.due(delivered)) {
      switch (message.kind) {
        case "settings":
          connection.up.append(SETTINGS_ACK_BYTES, { kind: "settings-ack" })
          connection.tcp.client.write(SETTINGS_ACK_BYTES)
          break
        case "settings-ack":
        case "headers":
          break
        case "first-byte":
          this.firstByte(connection, message.resource)
          break
        case "data":
          this.dataArrived(connection, message.stream, message.octets, message.last)
          if (message.last) this.resourceLoaded(connection, message.resource)
          break
        case "loaded":
          this.resourceLoaded(connection, message.resource)
          break
      }
    }
  }

  /** HTTP/2: the browser reads the DATA at once and gives credit back by its policy. */
  private dataArrived(connection: Connection, stream: number, octets: number, last: boolean): void {
    const windows = connection.receiveWindows
    const outcome = windows.receiveData(stream, octets)
    if (outcome.kind !== "ok") throw new Error(`the page's server overran a window: ${JSON.stringify(outcome)}`)
    windows.consumed(stream, octets)
    if (last) windows.close(stream)
    for (const { stream: id, increment } of windows.takeDueUpdates(this.options.h2UpdateThreshold ?? 0.5)) {
      this.windowUpdates++
      connection.up.append(WINDOW_UPDATE_BYTES, { kind: "window-update", stream: id, increment })
      connection.tcp.client.write(WINDOW_UPDATE_BYTES)
    }
  }

  /** Tracks holes: bytes seen beyond what TCP could deliver in order. */
  private noteHole(connection: Connection, delivered: number): void {
    const hole = connection.tcp.client.receivedEnd > 1 + delivered
    const now = this.sim.now
    if (hole && connection.holeSinceMs < 0) {
      connection.holeSinceMs = now
      if (this.trace.enabled) {
        this.trace.record({ type: "PageHoleOpened", connection: connection.index, deliveredBytes: delivered })
      }
    } else if (!hole && connection.holeSinceMs >= 0) {
      const stalledMs = now - connection.holeSinceMs
      connection.holes.push([connection.holeSinceMs, now])
      connection.holeSinceMs = -1
      if (this.trace.enabled) this.trace.record({ type: "PageHoleClosed", connection: connection.index, stalledMs })
    }
  }

  private firstByte(connection: Connection, resource: number): void {
    this.timings[resource]!.firstByteMs = this.sim.now
    if (this.trace.enabled) this.trace.record({ type: "PageFirstByteReceived", resource, connection: connection.index })
  }

  private resourceLoaded(connection: Connection, resource: number): void {
    const timing = this.timings[resource]!
    timing.loadedMs = this.sim.now
    timing.stallMs = stallWithin(connection.holes, timing.requestSentMs, timing.loadedMs)
    connection.outstanding--
    if (this.trace.enabled) {
      const { bodyBytes } = this.resources[resource]!
      this.trace.record({ type: "PageResourceLoaded", resource, connection: connection.index, bodyBytes })
    }
    this.loaded++
    if (this.loaded === this.resources.length) return this.sim.stop()
    if (resource === 0) this.discover()
    else if (this.protocol === "h1") this.dispatch(connection)
  }

  /** The HTML has arrived: the other resources are needed now. */
  private discover(): void {
    const now = this.sim.now
    for (let i = 1; i < this.resources.length; i++) {
      this.timings[i]!.neededAtMs = now
      this.pending.push(i)
    }
    const first = this.connections[0]!
    if (this.protocol === "h2") return this.dispatch(first)
    const limit = this.options.maxConnections ?? 6
    const extra = Math.min(limit - 1, this.pending.length - 1)
    if (this.protocol === "h1-pipelined") {
      const lanes = extra + 1
      this.lanes = this.pending.map((resource, i) => ({ resource, lane: i % lanes }))
      this.pending.length = 0
    }
    this.dispatch(first)
    for (let i = 0; i < extra; i++) this.open()
  }

  /** Sends what an established connection may send now, in one write (one segment when it fits). */
  private dispatch(connection: Connection): void {
    if (!connection.established) return
    let batch: number[]
    if (this.protocol === "h1-pipelined" && this.lanes.length > 0)
      batch = this.lanes.filter((l) => l.lane === connection.index).map((l) => l.resource)
    else if (this.pending.length === 0 || (this.protocol !== "h2" && connection.outstanding > 0)) return
    else batch = this.protocol === "h1" ? [this.pending.shift()!] : this.pending.splice(0)
    const bytes = batch.reduce((sum, resource) => sum + this.request(connection, resource), 0)
    if (bytes > 0) connection.tcp.client.write(bytes)
  }

  /** The client lays out a request (HTTP/1.1 text, or a HEADERS frame with its HPACK block); returns its bytes. */
  private request(connection: Connection, resource: number): number {
    const timing = this.timings[resource]!
    timing.requestSentMs = this.sim.now
    timing.connection = connection.index
    connection.outstanding++
    const { request, path } = this.resources[resource]!
    const stream = connection.nextStream
    let bytes: number
    if (this.protocol === "h2") {
      bytes = FRAME_HEADER_OCTETS + this.h2Requests.encode(request).bytes.length
      connection.nextStream += 2
      connection.receiveWindows.open(stream)
    } else bytes = http1HeaderBytes(request)
    connection.up.append(bytes, { kind: "request", resource, stream })
    if (this.trace.enabled) this.trace.record({ type: "PageRequestSent", resource, connection: connection.index, path })
    return bytes
  }
}

/** How long of [fromMs, toMs] the connection spent with a hole. */
function stallWithin(holes: readonly [number, number][], fromMs: number, toMs: number): number {
  let total = 0
  for (const [start, end] of holes) total += Math.max(0, Math.min(end, toMs) - Math.max(start, fromMs))
  return total
}
