/**
 * What HTTP/2 runs on: an in-order, reliable byte stream between two endpoints, seen as frames.
 * {@link FrameTransport} is the small interface the endpoints use; `tcpFrameTransport` implements
 * it on the TCP model (what the sim uses), and {@link inOrderLink} here as a simple link: a latency
 * (optionally with jitter) and a bandwidth per direction, no loss, no handshake, no congestion
 * window, frames serialised one after the other and delivered in order (docs/http2.md, "The
 * transport").
 */
import type { RandomStream, Simulation } from "../../kernel/index.ts"
import { frameOctets, type Http2Frame } from "./http2-frames.ts"

/** One endpoint's end of an in-order reliable transport. */
export interface FrameTransport {
  /** Hands `frame` to the transport; the peer receives frames in the order they were sent. */
  send(frame: Http2Frame): void
  /** True when a frame sent now starts on the wire at once (nothing queued ahead of it). */
  readonly ready: boolean
  /** Calls `listener` each time the transport becomes ready after a send. */
  onReady(listener: () => void): void
  /** Calls `listener` with each frame the peer sent, when it arrives. */
  onReceive(listener: (frame: Http2Frame) => void): void
}

/** Options of {@link inOrderLink}. */
export interface InOrderLinkOptions {
  /** One-way propagation delay, in ms. */
  readonly latencyMs: number
  /** Bandwidth of each direction, in Mbit/s (10^6 bits per second). */
  readonly bandwidthMbps: number
  /**
   * Extra delay of each frame, uniform in [0, jitterMs) from the seed, in ms; a frame never
   * overtakes the one before it. Default 0.
   */
  readonly jitterMs?: number
}

class LinkEnd implements FrameTransport {
  private busyUntil = 0
  private lastArrival = 0
  /** Frames on the way, oldest first: each delivery takes the oldest, so float rounding of times cannot reorder them. */
  private readonly inFlight: Http2Frame[] = []
  private readonly readyListeners: (() => void)[] = []
  private readonly receiveListeners: ((frame: Http2Frame) => void)[] = []
  peer: LinkEnd | undefined

  constructor(
    private readonly sim: Simulation,
    private readonly options: InOrderLinkOptions,
    private readonly random: RandomStream | undefined,
  ) {}

  get ready(): boolean {
    return this.sim.now >= this.busyUntil
  }

  send(frame: Http2Frame): void {
    const start = Math.max(this.sim.now, this.busyUntil)
    const serialisationMs = (frameOctets(frame) * 8) / (this.options.bandwidthMbps * 1000)
    this.busyUntil = start + serialisationMs
    const peer = this.peer!
    const jitter = this.random === undefined ? 0 : this.random.uniform(0, this.options.jitterMs!)
    this.lastArrival = Math.max(this.lastArrival, this.busyUntil + this.options.latencyMs + jitter)
    this.inFlight.push(frame)
    this.sim.timeout(this.lastArrival - this.sim.now).onProcessed(() => peer.deliver(this.inFlight.shift()!))
    this.sim.timeout(this.busyUntil - this.sim.now).onProcessed(() => {
      if (!this.ready) return
      for (const listener of this.readyListeners) listener()
    })
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener)
  }

  onReceive(listener: (frame: Http2Frame) => void): void {
    this.receiveListeners.push(listener)
  }

  deliver(frame: Http2Frame): void {
    for (const listener of this.receiveListeners) listener(frame)
  }
}

/** A link between two endpoints: returns the client's end and the server's end. */
export function inOrderLink(sim: Simulation, options: InOrderLinkOptions): [FrameTransport, FrameTransport] {
  if (!(options.latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${options.latencyMs}`)
  if (!(options.bandwidthMbps > 0)) throw new RangeError(`bandwidthMbps must be > 0, got ${options.bandwidthMbps}`)
  const jitterMs = options.jitterMs ?? 0
  if (!(jitterMs >= 0)) throw new RangeError(`jitterMs must be >= 0, got ${jitterMs}`)
  const client = new LinkEnd(sim, options, jitterMs > 0 ? sim.random("link client->server") : undefined)
  const server = new LinkEnd(sim, options, jitterMs > 0 ? sim.random("link server->client") : undefined)
  client.peer = server
  server.peer = client
  return [client, server]
}
