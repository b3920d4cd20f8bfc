/**
 * Connection errors: what a client using a connection-oriented protocol (TCP) learns from the
 * network about the peer's process, without looking at the peer.
 *
 * The model means a host that stays up while the server process on it is down (crashed and not
 * yet restarted): its operating system answers a connection attempt with a reset (the client sees
 * "connection refused"), and when the process dies the OS closes its sockets, so every client that
 * had a connection open to it sees "connection reset". A host that is down as a whole (power,
 * kernel panic) would answer nothing and the client would only time out; model that with a
 * partition, which stops messages without any notice.
 *
 * A message sent with `{ connection: true }` travels on a connection from its sender to the
 * receiver's port. If none is open, the send is a connection attempt: when the receiver is down,
 * the message is lost (`node-down`, as a message to a down node is) and the sender gets a
 * {@link ConnectionNotice} `ConnectionRefused` naming the message; otherwise the connection opens,
 * the message goes on as usual, and the sender gets `ConnectionEstablished`. When a node crashes,
 * every client with a connection open to it gets `ConnectionReset`, and those connections close
 * (a crashed client's own connections close silently). A partition or a lost message does not
 * close a connection.
 *
 * A notice reaches the client on the port of the connection, as an {@link Envelope} from the
 * server with id -1 (the network sent no message), after the mean latency of the link from the
 * server back to the client (a notice draws nothing from the link's random stream, so asking for
 * notices does not change any message's delay). It is not recorded in the trace: the client
 * records what it makes of it. A notice to a client that is down is lost.
 */
import type { Simulation } from "../kernel/index.ts"
import type { Latency } from "./latency.ts"
import type { Envelope } from "./node.ts"

/** What the network tells the client of a connection. */
export interface ConnectionNotice {
  readonly type: "ConnectionRefused" | "ConnectionEstablished" | "ConnectionReset"
  /** The server node. */
  readonly peer: string
  /** The message that made the attempt (refused or established), or -1 for a reset. */
  readonly messageId: number
}

/** True when `message` is a {@link ConnectionNotice}. */
export function isConnectionNotice(message: unknown): message is ConnectionNotice {
  if (typeof message !== "object" || message === null) return false
  const type = (message as { type?: unknown }).type
  return type === "ConnectionRefused" || type === "ConnectionEstablished" || type === "ConnectionReset"
}

/** The mean of a latency distribution, in ms (a function's mean is unknown: 0). */
export function meanLatency(latency: Latency): number {
  if (typeof latency === "function") return 0
  switch (latency.kind) {
    case "constant":
      return latency.ms
    case "uniform":
      return (latency.minMs + latency.maxMs) / 2
    case "exponential":
      return latency.meanMs
  }
}

/** What the connection table needs from the network. */
export interface ConnectionHost {
  readonly sim: Simulation
  /** The latency distribution of the link `from` → `to`. */
  latency(from: string, to: string): Latency
  /** Hands `envelope` to its receiver if that node is up. */
  deliverIfUp(envelope: Envelope): void
}

/** The open connections of a network (see the file header). */
export class ConnectionTable {
  /** Open connections by server node: client node → ports. */
  private readonly open = new Map<string, Map<string, Set<string>>>()

  constructor(private readonly host: ConnectionHost) {}

  /**
   * Message `messageId` from `client` to `server`'s `port` is sent on a connection: returns false
   * when the attempt is refused (the server is down), after scheduling the notice.
   */
  admit(messageId: number, client: string, server: string, port: string, serverUp: boolean): boolean {
    if (this.isOpen(client, server, port)) return true
    if (!serverUp) {
      this.notify(server, client, port, { type: "ConnectionRefused", peer: server, messageId })
      return false
    }
    let clients = this.open.get(server)
    if (clients === undefined) {
      clients = new Map()
      this.open.set(server, clients)
    }
    let ports = clients.get(client)
    if (ports === undefined) {
      ports = new Set()
      clients.set(client, ports)
    }
    ports.add(port)
    this.notify(server, client, port, { type: "ConnectionEstablished", peer: server, messageId })
    return true
  }

  /** `node` crashed: its clients' connections reset, its own connections as a client close. */
  crashed(node: string): void {
    const clients = this.open.get(node)
    this.open.delete(node)
    for (const byClient of this.open.values()) byClient.delete(node)
    if (clients === undefined) return
    for (const [client, ports] of clients) {
      for (const port of ports) this.notify(node, client, port, { type: "ConnectionReset", peer: node, messageId: -1 })
    }
  }

  private isOpen(client: string, server: string, port: string): boolean {
    return this.open.get(server)?.get(client)?.has(port) === true
  }

  private notify(server: string, client: string, port: string, notice: ConnectionNotice): void {
    const { sim } = this.host
    const envelope: Envelope<ConnectionNotice> = {
      id: -1,
      from: server,
      to: client,
      port,
      sentAt: sim.now,
      message: notice,
    }
    sim.timeout(meanLatency(this.host.latency(server, client))).onProcessed(() => this.host.deliverIfUp(envelope))
  }
}
