/**
 * A page load over HTTP/1.1 (`h1`: up to 6 connections, one request at a time on each;
 * `h1-pipelined`: requests pipelined, responses in request order) or HTTP/2 (`h2`: one connection,
 * every stream multiplexed with DATA frames of at most 16,384 bytes, round robin, HPACK headers).
 *
 * Each connection's responses travel over the TCP model ({@link TcpSender} at the server, written
 * by the application, and {@link TcpReceiver} at the client) through one shared access link with
 * random loss; the server's byte stream is laid out frame by frame (or response by response), and
 * a resource has arrived when the client's TCP has delivered every byte of it in order. Requests
 * travel the other way in half the RTT, uncongested and never lost, and are counted on the wire
 * as segments of at most one MSS. See docs/http2.md, "A page over HTTP/1.1 and HTTP/2".
 */
import type { Advance } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import { BottleneckLink, DROPPED_QUEUE_FULL } from "../tcp/bottleneck-link.ts"
import { createCongestionControl } from "../tcp/create-congestion-control.ts"
import { DelayLine } from "../tcp/delay-line.ts"
import type { TcpEvent } from "../tcp/tcp-events.ts"
import { TcpReceiver } from "../tcp/tcp-receiver.ts"
import { HEADER_BYTES, type Segment } from "../tcp/tcp-segment.ts"
import { TcpSender } from "../tcp/tcp-sender.ts"
import { HpackEncoder } from "./hpack.ts"
import type { PageEvent } from "./page-events.ts"
import { PageResult, type ResourceTiming } from "./page-result.ts"
import { http1HeaderBytes, type PageResource, pageHeaderBytes, pageResources } from "./page-resources.ts"

/** How the page is fetched. */
export type PageProtocol = "h1" | "h1-pipelined" | "h2"

/** The protocols, in the order the sim lists them. */
export const PAGE_PROTOCOLS: readonly PageProtocol[] = ["h1", "h1-pipelined", "h2"]

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
}

/** HTTP/2's frame header and largest DATA payload (SETTINGS_MAX_FRAME_SIZE's default). */
const FRAME_HEADER_BYTES = 9
const MAX_FRAME_BYTES = 16_384
/** The client's connection preface and SETTINGS frame (RFC 9113 section 3.4). */
const H2_PREFACE_BYTES = 24 + FRAME_HEADER_BYTES
const MSS_BYTES = 1460
/** The access link's queue: deep enough that only `lossProbability` drops segments. */
const QUEUE_PACKETS = 10_000

/** One TCP connection of the page: the server's sender, the client's receiver, its resources. */
interface Connection {
  readonly index: number
  readonly sender: TcpSender
  readonly receiver: TcpReceiver
  established: boolean
  /** Bytes the server has written to the stream. */
  written: number
  /** Resources in flight on it: where their first and last bytes are in the stream. */
  readonly inFlight: { resource: number; first: number; end: number }[]
  /** One past the highest byte seen at the client (beyond a hole while above delivered). */
  seenEnd: number
  holeSinceMs: number
  readonly holes: [number, number][]
}

/** A page load (see the file header). */
export class PageScenario {
  readonly protocol: PageProtocol
  readonly resources: readonly PageResource[]
  private readonly link: BottleneckLink
  private readonly trace: TraceOf<PageEvent | TcpEvent>
  private readonly oneWayMs: number
  private readonly connections: Connection[] = []
  private readonly timings: ResourceTiming[]
  private readonly pending: number[] = []
  private readonly h2Requests = new HpackEncoder()
  private readonly h2Responses = new HpackEncoder()
  private bytesOnWire = 0
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
    this.link = new BottleneckLink(sim, {
      bandwidthMbps: options.bandwidthMbps ?? 10,
      queuePackets: QUEUE_PACKETS,
      lossProbability: options.lossProbability ?? 0,
    })
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
  }

  /** Loads the page: the HTML on a first connection, then the rest once the HTML has arrived. */
  run(advance: Advance = runUntil): PageResult {
    this.pending.push(0)
    this.open()
    advance(this.sim, 3_600_000)
    const headerBytes = pageHeaderBytes(this.resources)
    const retransmits = this.connections.reduce((sum, c) => sum + c.sender.retransmits, 0)
    return new PageResult({
      protocol: this.protocol,
      resources: this.timings,
      connections: this.connections.length,
      bytesOnWire: this.bytesOnWire,
      headerBytes,
      retransmits,
      holes: this.connections.map((c) => c.holes),
    })
  }

  /** Opens a connection: the handshake, then its requests when it is established. */
  private open(): Connection {
    const { sim } = this
    const index = this.connections.length
    const id = {
      flow: index,
      clientAddress: "10.0.0.2",
      serverAddress: "10.0.0.1",
      clientPort: 80,
      serverPort: 50000 + index,
      clientIsn: 0,
      serverIsn: 0,
    }
    let connection: Connection | undefined = undefined
    const toClient = new DelayLine<Segment>(sim, (segment) => this.atClient(connection!, segment))
    const toServer = new DelayLine<Segment>(sim, (segment) => this.atServer(connection!, segment))
    const sender = new TcpSender(
      sim,
      this.trace,
      id,
      { congestionControl: createCongestionControl("reno"), mssBytes: MSS_BYTES, applicationLimited: true },
      (segment) => this.forward(segment, toClient),
    )
    const receiver = new TcpReceiver(sim, this.trace, id, {}, (segment) => {
      this.bytesOnWire += HEADER_BYTES + segment.payloadBytes
      toServer.push(segment, sim.now + this.oneWayMs)
    })
    connection = {
      index,
      sender,
      receiver,
      established: false,
      written: 0,
      inFlight: [],
      seenEnd: 1,
      holeSinceMs: -1,
      holes: [],
    }
    this.connections.push(connection)
    if (this.trace.enabled) this.trace.record({ type: "PageConnectionOpened", connection: index })
    sender.open()
    return connection
  }

  /** A server segment meets the access link: queued, then propagated, or lost. */
  private forward(segment: Segment, toClient: DelayLine<Segment>): void {
    this.bytesOnWire += HEADER_BYTES + segment.payloadBytes
    const departureMs = this.link.offer(segment.payloadBytes + HEADER_BYTES)
    if (departureMs >= 0) return toClient.push(segment, departureMs + this.oneWayMs)
    if (this.trace.enabled) {
      const { flow, seq: seqNumber, payloadBytes } = segment
      const reason = departureMs === DROPPED_QUEUE_FULL ? "queue-full" : "random-loss"
      this.trace.record({
        type: "TcpSegmentDropped",
        flow,
        seqNumber,
        payloadBytes,
        reason,
        queuedPackets: this.link.lastWaiting,
      })
    }
  }

  private atServer(connection: Connection, segment: Segment): void {
    const wasEstablished = connection.sender.state === "ESTABLISHED"
    connection.sender.receive(segment)
    if (!wasEstablished && !connection.established && connection.sender.state === "ESTABLISHED") {
      connection.established = true
      this.dispatch(connection)
    }
  }

  private atClient(connection: Connection, segment: Segment): void {
    const before = connection.receiver.deliveredBytes
    connection.receiver.receive(segment)
    if (segment.payloadBytes > 0) connection.seenEnd = Math.max(connection.seenEnd, segment.seq + segment.payloadBytes)
    const delivered = connection.receiver.deliveredBytes
    this.noteHole(connection, delivered)
    if (delivered > before) this.deliver(connection, delivered)
  }

  /** Tracks holes: bytes seen beyond what TCP could deliver in order. */
  private noteHole(connection: Connection, delivered: number): void {
    const hole = connection.seenEnd > 1 + delivered
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

  /** The client's TCP delivered bytes up to `delivered`: first bytes and whole resources. */
  private deliver(connection: Connection, delivered: number): void {
    const now = this.sim.now
    const upTo = 1 + delivered // one past the last sequence number delivered (data starts at 1)
    for (const span of [...connection.inFlight]) {
      const timing = this.timings[span.resource]!
      if (timing.firstByteMs < 0 && upTo > span.first) {
        timing.firstByteMs = now
        if (this.trace.enabled) {
          this.trace.record({ type: "PageFirstByteReceived", resource: span.resource, connection: connection.index })
        }
      }
      if (upTo >= span.end) {
        connection.inFlight.splice(connection.inFlight.indexOf(span), 1)
        this.resourceLoaded(connection, span.resource)
      }
    }
  }

  private resourceLoaded(connection: Connection, resource: number): void {
    const timing = this.timings[resource]!
    timing.loadedMs = this.sim.now
    timing.stallMs = stallWithin(connection.holes, timing.requestSentMs, timing.loadedMs)
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
      const share = this.pending.map((resource, i) => ({ resource, lane: i % lanes }))
      this.pending.length = 0
      this.lanes = share
    }
    this.dispatch(first)
    for (let i = 0; i < extra; i++) this.open()
  }

  private lanes: { resource: number; lane: number }[] = []

  /** Sends what a ready connection may send now. */
  private dispatch(connection: Connection): void {
    if (!connection.established) return
    if (this.protocol === "h1-pipelined" && this.lanes.length > 0) {
      const mine = this.lanes.filter((l) => l.lane === connection.index).map((l) => l.resource)
      if (mine.length > 0) this.request(connection, mine)
      return
    }
    if (this.pending.length === 0 || connection.inFlight.length > 0) return
    const batch = this.protocol === "h1" ? [this.pending.shift()!] : this.pending.splice(0)
    this.request(connection, batch)
  }

  /** The client sends requests on a connection; the server answers when they arrive. */
  private request(connection: Connection, batch: readonly number[]): void {
    const now = this.sim.now
    let requestBytes = 0
    for (const resource of batch) {
      const timing = this.timings[resource]!
      timing.requestSentMs = now
      timing.connection = connection.index
      const { request, path } = this.resources[resource]!
      requestBytes +=
        this.protocol === "h2"
          ? FRAME_HEADER_BYTES + this.h2Requests.encode(request).bytes.length
          : http1HeaderBytes(request)
      if (this.trace.enabled)
        this.trace.record({ type: "PageRequestSent", resource, connection: connection.index, path })
    }
    if (this.protocol === "h2" && connection.written === 0) requestBytes += H2_PREFACE_BYTES
    this.bytesOnWire += requestBytes + HEADER_BYTES * Math.ceil(requestBytes / MSS_BYTES)
    this.sim.timeout(this.oneWayMs).onProcessed(() => this.respond(connection, batch))
  }

  /** The server writes the responses: one after another (HTTP/1.1) or frame by frame, round robin (HTTP/2). */
  private respond(connection: Connection, batch: readonly number[]): void {
    const start = connection.written
    if (this.protocol !== "h2") {
      for (const resource of batch) {
        const { response, bodyBytes } = this.resources[resource]!
        const first = 1 + connection.written
        connection.written += http1HeaderBytes(response) + bodyBytes
        connection.inFlight.push({ resource, first, end: 1 + connection.written })
      }
    } else this.interleave(connection, batch)
    connection.sender.write(connection.written - start)
  }

  private interleave(connection: Connection, batch: readonly number[]): void {
    if (connection.written === 0) connection.written += FRAME_HEADER_BYTES // the server's SETTINGS
    const left = new Map<number, number>()
    for (const resource of batch) {
      const { response, bodyBytes } = this.resources[resource]!
      const first = 1 + connection.written
      connection.written += FRAME_HEADER_BYTES + this.h2Responses.encode(response).bytes.length
      connection.inFlight.push({ resource, first, end: 0 })
      left.set(resource, bodyBytes)
    }
    while (left.size > 0) {
      for (const [resource, bytes] of left) {
        const frame = Math.min(MAX_FRAME_BYTES, bytes)
        connection.written += FRAME_HEADER_BYTES + frame
        if (bytes === frame) {
          left.delete(resource)
          connection.inFlight.find((s) => s.resource === resource)!.end = 1 + connection.written
        } else left.set(resource, bytes - frame)
      }
    }
  }
}

/** How long of [fromMs, toMs] the connection spent with a hole. */
function stallWithin(holes: readonly [number, number][], fromMs: number, toMs: number): number {
  let total = 0
  for (const [start, end] of holes) total += Math.max(0, Math.min(end, toMs) - Math.max(start, fromMs))
  return total
}
