/**
 * HTTP/2's {@link FrameTransport} on a real TCP connection: a duplex {@link TcpConnection} (Reno
 * both ways, MSS 1,460) that the client opens, over a path of `latencyMs` each way and
 * `bandwidthMbps` per direction (every segment takes its payload plus 40 header bytes × 8 /
 * bandwidth to serialise; optional jitter per segment from the seed, never reordering). Each frame
 * is written as its octets into the sender's byte stream and handed to the peer once TCP has
 * delivered its last byte in order (docs/http2.md, "The transport").
 *
 * `ready` means the sender's TCP buffer is empty: every byte written so far has been sent at least
 * once, so the next frame the writer picks goes out as soon as the window allows and control frames
 * never queue behind a backlog of DATA.
 */
import type { RandomStream, Simulation } from "../../kernel/index.ts"
import { BottleneckLink } from "../tcp/bottleneck-link.ts"
import { DelayLine } from "../tcp/delay-line.ts"
import { type DuplexSegment, TcpConnection, type TcpEnd } from "../tcp/tcp-connection.ts"
import { HEADER_BYTES } from "../tcp/tcp-segment.ts"
import type { FrameTransport, InOrderLinkOptions } from "./frame-transport.ts"
import { frameOctets, type Http2Frame } from "./http2-frames.ts"
import { StreamLayout } from "./stream-layout.ts"

/** The packets a link direction holds: deep enough that nothing is ever dropped. */
const QUEUE_PACKETS = 100_000

class TcpFrameEnd implements FrameTransport {
  private readonly layout = new StreamLayout<Http2Frame>()
  private readonly readyListeners: (() => void)[] = []
  private readonly receiveListeners: ((frame: Http2Frame) => void)[] = []
  peer: TcpFrameEnd | undefined

  constructor(
    private readonly sim: Simulation,
    private readonly end: TcpEnd,
  ) {
    end.onSent(() => {
      if (this.ready) this.announceReady()
    })
  }

  get ready(): boolean {
    return this.end.unsentBytes === 0
  }

  send(frame: Http2Frame): void {
    const octets = frameOctets(frame)
    this.layout.append(octets, frame)
    this.end.write(octets)
    // the frame may have left at once: say so after this turn, as a link does when it is free again
    this.sim.timeout(0).onProcessed(() => {
      if (this.ready) this.announceReady()
    })
  }

  onReady(listener: () => void): void {
    this.readyListeners.push(listener)
  }

  onReceive(listener: (frame: Http2Frame) => void): void {
    this.receiveListeners.push(listener)
  }

  /** The peer's TCP delivered bytes up to `delivered`: hand over every frame now complete. */
  arrived(delivered: number): void {
    const peer = this.peer!
    for (const frame of peer.layout.due(delivered)) for (const listener of this.receiveListeners) listener(frame)
  }

  private announceReady(): void {
    for (const listener of this.readyListeners) listener()
  }
}

/** One direction of the path: serialisation at the bandwidth, then the latency (and jitter). */
function direction(
  sim: Simulation,
  options: InOrderLinkOptions,
  random: RandomStream | undefined,
  deliver: (segment: DuplexSegment) => void,
): (segment: DuplexSegment) => void {
  const link = new BottleneckLink(sim, { bandwidthMbps: options.bandwidthMbps, queuePackets: QUEUE_PACKETS })
  const wire = new DelayLine<DuplexSegment>(sim, deliver)
  let lastArrival = 0
  return (segment) => {
    const departure = link.offer(HEADER_BYTES + segment.segment.payloadBytes)
    const jitter = random === undefined ? 0 : random.uniform(0, options.jitterMs!)
    lastArrival = Math.max(lastArrival, departure + options.latencyMs + jitter)
    wire.push(segment, lastArrival)
  }
}

/**
 * A TCP connection between two HTTP/2 endpoints: returns the client's end and the server's end.
 * The client's SYN leaves now.
 */
export function tcpFrameTransport(sim: Simulation, options: InOrderLinkOptions): [FrameTransport, FrameTransport] {
  if (!(options.latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${options.latencyMs}`)
  if (!(options.bandwidthMbps > 0)) throw new RangeError(`bandwidthMbps must be > 0, got ${options.bandwidthMbps}`)
  const jitterMs = options.jitterMs ?? 0
  if (!(jitterMs >= 0)) throw new RangeError(`jitterMs must be >= 0, got ${jitterMs}`)
  const up = jitterMs > 0 ? sim.random("link client->server") : undefined
  const down = jitterMs > 0 ? sim.random("link server->client") : undefined
  const id = {
    flow: 0,
    clientAddress: "10.0.0.2",
    serverAddress: "10.0.0.1",
    clientPort: 50000,
    serverPort: 443,
    clientIsn: 0,
    serverIsn: 0,
  }
  const tcp: TcpConnection = new TcpConnection(
    sim,
    sim.trace,
    id,
    {},
    direction(sim, { ...options, jitterMs }, up, (segment) => tcp.atServer(segment)),
    direction(sim, { ...options, jitterMs }, down, (segment) => tcp.atClient(segment)),
  )
  const client = new TcpFrameEnd(sim, tcp.client)
  const server = new TcpFrameEnd(sim, tcp.server)
  client.peer = server
  server.peer = client
  tcp.client.onArrival((delivered) => client.arrived(delivered))
  tcp.server.onArrival((delivered) => server.arrived(delivered))
  tcp.open()
  return [client, server]
}
