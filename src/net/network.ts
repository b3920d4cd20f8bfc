/**
 * The simulated network: named nodes, the links between them, and partitions.
 *
 * Every ordered pair of nodes has a link (`a->b` and `b->a` are different links) with a latency
 * distribution, a loss and a duplication probability, and a choice between FIFO delivery and
 * reordering. Link options come from the network's defaults, overridden per link with
 * {@link Network.setLink}. Partitions ({@link Network.partition}) and link faults
 * ({@link Network.addLinkFault}) come and go on top.
 *
 * What happens to a message sent at time t (the order of the checks, which is also the order of
 * the random draws, each from the link's own stream `net/link/<from>-><to>` so adding a node never
 * changes another link's draws):
 *
 * 1. Recorded `MessageSent`. If the sender is down it is lost (`sender-down`).
 * 2. If a partition cuts the link now it is lost (`partition`) — unless the network holds messages
 *    for partitions (`partitionMode: "hold"`), see step 5.
 * 3. It is lost (`loss`) with the link's drop probability, then with each active link fault's.
 * 4. It is scheduled to arrive after a latency drawn from the link (plus any fault's extra delay).
 *    Without `reorder`, a message never arrives before one sent earlier on the same link: its
 *    arrival is pushed back to the previous one's (so a constant latency gives FIFO order). With
 *    the link's (or a fault's) duplicate probability a second copy, with its own latency, follows.
 * 5. On arrival: if a partition cuts the link it is lost (`partition`), or, in `"hold"` mode, held
 *    and delivered the moment the last partition cutting it heals. If the receiver is down it is
 *    lost (`node-down`). Otherwise it is delivered to the receiver's port (`MessageDelivered`),
 *    even if the receiver is paused: it waits there until the node resumes.
 *
 * Counters in `sim.metrics`: `net_messages_sent_total`, `net_messages_delivered_total`,
 * `net_messages_dropped_total{reason=...}`, `net_messages_duplicated_total`.
 *
 * Invariant: every message sent is, in the end, delivered (once, or twice if duplicated), dropped
 * with one reason, held, or still in flight. Left out: bandwidth and message sizes, and
 * connection state (a TCP stream's retransmissions are out of scope; model them with the RPC helper).
 */
import { MESSAGE_BODY, type NetEvent } from "./net-events.ts"
import type { Counter, RandomStream, Simulation } from "../kernel/index.ts"
import { checkLatency, constantLatency, drawLatency, type Latency } from "./latency.ts"
import { checkProbability, LinkFault, type LinkFaultOptions } from "./link-fault.ts"
import { type Envelope, MAIN_PORT, Node, type NodeOptions } from "./node.ts"
import type { NetworkContext } from "./context.ts"
import { Partition, type PartitionOptions } from "./partition.ts"
import { ConnectionTable } from "./connections.ts"

/** Options of a link. */
export interface LinkOptions {
  /** Latency distribution, or a number for a constant latency, in ms. Default 1 ms constant. */
  readonly latency?: Latency | number
  /** Chance that a message is lost. Default 0. */
  readonly dropProbability?: number
  /** Chance that a message is delivered twice. Default 0. */
  readonly duplicateProbability?: number
  /** Let messages overtake each other (each arrives after its own latency). Default false: FIFO. */
  readonly reorder?: boolean
}

/** What the network does with a message that arrives on a partitioned link. */
export type PartitionMode = "drop" | "hold"

/** Options of a {@link Network}. */
export interface NetworkOptions {
  /** Defaults for every link. Default: 1 ms constant latency, no loss, no duplicates, FIFO. */
  readonly link?: LinkOptions
  /**
   * `"drop"`: a message sent into a partition, or arriving while one cuts its link, is lost.
   * `"hold"`: it is held and delivered when the partition heals (a message sent into a partition
   * still travels its latency first). Default `"drop"`.
   */
  readonly partitionMode?: PartitionMode
  /** Put each message's payload in its `MessageSent` record (payloads must be JSON). Default false. */
  readonly traceMessages?: boolean
}

/** Options of {@link Network.send}. */
export interface SendOptions {
  /** The receiver's port. Default {@link MAIN_PORT}. */
  readonly port?: string
  /**
   * Send on a connection, and hear about connection errors (refused, reset) as notices on the
   * sender's port (see `connections.ts`). Default false.
   */
  readonly connection?: boolean
}

/** Why a message was lost. */
export type DropReason = "sender-down" | "partition" | "loss" | "node-down"

/** Totals since the network was created. */
export interface NetworkStats {
  readonly sent: number
  /** Deliveries, copies included. */
  readonly delivered: number
  readonly dropped: number
  readonly duplicated: number
  /** Messages waiting for a partition to heal (`"hold"` mode). */
  readonly held: number
}

/** A link's resolved options, random streams and FIFO bookkeeping. */
class Link {
  latency: Latency = constantLatency(1)
  dropProbability = 0
  duplicateProbability = 0
  reorder = false
  /** Arrival time of the latest message scheduled on this link. */
  lastArrivalMs = -Infinity

  constructor(
    readonly random: RandomStream,
    /** Draws for link faults, apart so a fault never shifts the link's own draws. */
    readonly faultRandom: RandomStream,
  ) {}
}

const DROP_REASONS: readonly DropReason[] = ["sender-down", "partition", "loss", "node-down"]

/** A set of nodes and the links between them. */
export class Network implements NetworkContext {
  private readonly nodesByName = new Map<string, Node>()
  /** Open connections, for the notices of `send(..., { connection: true })` (connections.ts). */
  private readonly connections: ConnectionTable
  private readonly links = new Map<string, Map<string, Link>>()
  private readonly linkOverrides = new Map<string, Map<string, LinkOptions>>()
  private defaults: LinkOptions
  private readonly partitionMode: PartitionMode
  private readonly traceMessages: boolean
  private readonly partitions: Partition[] = []
  private readonly linkFaults: LinkFault[] = []
  private readonly heldMessages: Envelope[] = []
  private nextMessageId = 0
  private nextPartitionId = 0
  private nextLinkFaultId = 0
  private readonly sentCounter: Counter
  private readonly deliveredCounter: Counter
  private readonly duplicatedCounter: Counter
  private readonly droppedCounters: Map<DropReason, Counter>

  constructor(
    /** The simulation the network lives in. */
    readonly sim: Simulation,
    options: NetworkOptions = {},
  ) {
    this.defaults = checkLinkOptions(options.link ?? {}, "network default link")
    this.partitionMode = options.partitionMode ?? "drop"
    if (this.partitionMode !== "drop" && this.partitionMode !== "hold") {
      throw new RangeError(`partitionMode must be "drop" or "hold", got ${JSON.stringify(this.partitionMode)}`)
    }
    this.traceMessages = options.traceMessages ?? false
    const metrics = sim.metrics
    this.sentCounter = metrics.counter("net_messages_sent_total", "Messages sent on the simulated network.")
    this.connections = new ConnectionTable({
      sim,
      latency: (from, to) => this.link(from, to).latency,
      deliverIfUp: (envelope) => {
        const node = this.nodesByName.get(envelope.to)
        if (node !== undefined && node.isUp) node._deliver(envelope)
      },
    })
    this.deliveredCounter = metrics.counter("net_messages_delivered_total", "Message deliveries, duplicates included.")
    this.duplicatedCounter = metrics.counter("net_messages_duplicated_total", "Messages the network delivered twice.")
    this.droppedCounters = new Map(
      DROP_REASONS.map((reason) => [
        reason,
        metrics.counter("net_messages_dropped_total", "Messages lost, by reason.", { reason }),
      ]),
    )
  }

  // --- nodes -----------------------------------------------------------------------------------

  /**
   * Adds a node named `name` (unique; letters, digits, `-`, `_`, `.`).
   * @throws RangeError on a bad or taken name
   */
  addNode(name: string, options: NodeOptions = {}): Node {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new RangeError(`node name must be letters, digits, "-", "_" or ".", got ${JSON.stringify(name)}`)
    }
    if (this.nodesByName.has(name)) throw new RangeError(`there is already a node named ${name}`)
    const node = new Node(this.sim, name, options, (to, message, sendOptions) =>
      this.send(name, to, message, sendOptions),
    )
    this.nodesByName.set(name, node)
    node.onCrash(() => this.connections.crashed(name))
    return node
  }

  /**
   * The node named `name`.
   * @throws RangeError naming the known nodes when there is none
   */
  node(name: string): Node {
    const node = this.nodesByName.get(name)
    if (node === undefined)
      throw new RangeError(`unknown node ${JSON.stringify(name)}; nodes: ${this.nodeNames.join(", ")}`)
    return node
  }

  /** True if a node named `name` exists. */
  hasNode(name: string): boolean {
    return this.nodesByName.has(name)
  }

  /** Every node, in the order added. */
  get nodes(): readonly Node[] {
    return [...this.nodesByName.values()]
  }

  /** Every node's name, in the order added. */
  get nodeNames(): readonly string[] {
    return [...this.nodesByName.keys()]
  }

  // --- links -----------------------------------------------------------------------------------

  /** Changes the defaults of every link (fields given replace the defaults; per-link overrides still win). */
  setDefaultLink(options: LinkOptions): void {
    this.defaults = { ...this.defaults, ...checkLinkOptions(options, "network default link") }
    for (const [from, byTo] of this.links) for (const [to, link] of byTo) this.resolve(link, from, to)
  }

  /** Overrides options of the link `from` → `to` (one direction; call twice for both). */
  setLink(from: string, to: string, options: LinkOptions): void {
    this.node(from)
    this.node(to)
    checkLinkOptions(options, `link ${from}->${to}`)
    let byTo = this.linkOverrides.get(from)
    if (byTo === undefined) {
      byTo = new Map()
      this.linkOverrides.set(from, byTo)
    }
    byTo.set(to, { ...byTo.get(to), ...options })
    this.resolve(this.link(from, to), from, to)
  }

  /** The effective options of the link `from` → `to`. */
  linkOptions(from: string, to: string): Required<LinkOptions> {
    const link = this.link(from, to)
    return {
      latency: link.latency,
      dropProbability: link.dropProbability,
      duplicateProbability: link.duplicateProbability,
      reorder: link.reorder,
    }
  }

  private link(from: string, to: string): Link {
    let byTo = this.links.get(from)
    if (byTo === undefined) {
      byTo = new Map()
      this.links.set(from, byTo)
    }
    let link = byTo.get(to)
    if (link === undefined) {
      const random = this.sim.random(`net/link/${from}->${to}`)
      link = new Link(random, random.fork("faults"))
      this.resolve(link, from, to)
      byTo.set(to, link)
    }
    return link
  }

  private resolve(link: Link, from: string, to: string): void {
    const options = { ...this.defaults, ...this.linkOverrides.get(from)?.get(to) }
    const latency = options.latency ?? 1
    link.latency = typeof latency === "number" ? constantLatency(latency) : latency
    link.dropProbability = options.dropProbability ?? 0
    link.duplicateProbability = options.duplicateProbability ?? 0
    link.reorder = options.reorder ?? false
  }

  // --- messages --------------------------------------------------------------------------------

  /**
   * Sends `message` from node `from` to node `to` (see the file header for its fate). Returns the
   * message id. Call it from a process of `from`; the network does not check who calls.
   * @throws RangeError on an unknown node
   */
  send(from: string, to: string, message: unknown, options: SendOptions = {}): number {
    const sender = this.node(from)
    this.node(to)
    const id = ++this.nextMessageId
    const port = options.port ?? MAIN_PORT
    const envelope: Envelope = { id, from, to, port, sentAt: this.sim.now, message }
    this.sentCounter.inc()
    this.sim.trace.record<NetEvent>(
      this.traceMessages
        ? { type: "MessageSent", id, from, to, port, message }
        : { type: "MessageSent", id, from, to, port, [MESSAGE_BODY]: message },
    )
    if (!sender.isUp) return this.drop(envelope, "sender-down")
    if (this.partitionMode === "drop" && this.isCut(from, to)) return this.drop(envelope, "partition")
    if (options.connection === true && !this.connections.admit(id, from, to, port, this.node(to).isUp))
      return this.drop(envelope, "node-down")
    const link = this.link(from, to)
    let extraDelayMs = 0
    let duplicateFaults = false
    for (const fault of this.linkFaults) {
      if (!fault.matches(from, to)) continue
      extraDelayMs += fault.extraDelayMs
      if (fault.duplicateProbability > 0) duplicateFaults = true
    }
    if (this.isLost(link, from, to)) return this.drop(envelope, "loss")
    this.transmit(link, envelope, extraDelayMs)
    if (this.isDuplicated(link, from, to, duplicateFaults)) {
      this.duplicatedCounter.inc()
      this.sim.trace.record<NetEvent>({ type: "MessageDuplicated", id, from, to })
      this.transmit(link, envelope, extraDelayMs)
    }
    return id
  }

  private isLost(link: Link, from: string, to: string): boolean {
    let lost = link.dropProbability > 0 && link.random.bernoulli(link.dropProbability)
    for (const fault of this.linkFaults) {
      if (fault.dropProbability > 0 && fault.matches(from, to) && link.faultRandom.bernoulli(fault.dropProbability))
        lost = true
    }
    return lost
  }

  private isDuplicated(link: Link, from: string, to: string, faults: boolean): boolean {
    let duplicated = link.duplicateProbability > 0 && link.random.bernoulli(link.duplicateProbability)
    if (!faults) return duplicated
    for (const fault of this.linkFaults) {
      if (
        fault.duplicateProbability > 0 &&
        fault.matches(from, to) &&
        link.faultRandom.bernoulli(fault.duplicateProbability)
      ) {
        duplicated = true
      }
    }
    return duplicated
  }

  private transmit(link: Link, envelope: Envelope, extraDelayMs: number): void {
    const now = this.sim.now
    let delay = drawLatency(link.latency, link.random) + extraDelayMs
    if (!link.reorder) {
      if (now + delay < link.lastArrivalMs) delay = link.lastArrivalMs - now
      else link.lastArrivalMs = now + delay
    }
    this.sim.timeout(delay).onProcessed(() => this.arrive(envelope))
  }

  private arrive(envelope: Envelope): void {
    if (this.isCut(envelope.from, envelope.to)) {
      if (this.partitionMode === "drop") {
        this.drop(envelope, "partition")
        return
      }
      this.heldMessages.push(envelope)
      this.sim.trace.record<NetEvent>({ type: "MessageHeld", id: envelope.id, from: envelope.from, to: envelope.to })
      return
    }
    const receiver = this.node(envelope.to)
    if (!receiver.isUp) {
      this.drop(envelope, "node-down")
      return
    }
    this.deliveredCounter.inc()
    this.sim.trace.record<NetEvent>({
      type: "MessageDelivered",
      id: envelope.id,
      from: envelope.from,
      to: envelope.to,
      port: envelope.port,
    })
    receiver._deliver(envelope)
  }

  private drop(envelope: Envelope, reason: DropReason): number {
    this.droppedCounters.get(reason)!.inc()
    this.sim.trace.record<NetEvent>({
      type: "MessageDropped",
      id: envelope.id,
      from: envelope.from,
      to: envelope.to,
      reason,
    })
    return envelope.id
  }

  /** Totals since the network was created. */
  get stats(): NetworkStats {
    let dropped = 0
    for (const counter of this.droppedCounters.values()) dropped += counter.value
    return {
      sent: this.sentCounter.value,
      delivered: this.deliveredCounter.value,
      dropped,
      duplicated: this.duplicatedCounter.value,
      held: this.heldMessages.length,
    }
  }

  /** Messages lost for `reason` so far. */
  droppedFor(reason: DropReason): number {
    return this.droppedCounters.get(reason)!.value
  }

  // --- partitions ------------------------------------------------------------------------------

  /**
   * Partitions the network into `groups` (disjoint; nodes in no group form one more set), now or
   * at `options.at`, until `options.healAt` or until `heal()` is called. See {@link Partition}.
   * @throws RangeError on an unknown node, a node in two groups, or `healAt` not after the start
   */
  partition(groups: readonly (readonly string[])[], options: PartitionOptions = {}): Partition {
    for (const group of groups) for (const name of group) this.node(name)
    const at = Math.max(options.at ?? this.sim.now, this.sim.now)
    if (options.healAt !== undefined && !(options.healAt > at)) {
      throw new RangeError(`partition: healAt ${options.healAt} must be after its start ${at}`)
    }
    const partition = new Partition(++this.nextPartitionId, groups, options.oneWay ?? false, (p) => this.heal(p))
    this.partitions.push(partition)
    this.atTime(at, () => this.startPartition(partition))
    if (options.healAt !== undefined) this.atTime(options.healAt, () => this.heal(partition))
    return partition
  }

  /** True if an active partition cuts messages from `from` to `to` now. */
  isCut(from: string, to: string): boolean {
    for (const partition of this.partitions) if (partition.isActive && partition.cuts(from, to)) return true
    return false
  }

  /** Partitions that cut messages now, in the order created. */
  get activePartitions(): readonly Partition[] {
    return this.partitions.filter((partition) => partition.isActive)
  }

  /** Heals `partition` now, or every partition (active or scheduled) when omitted. */
  heal(partition?: Partition): void {
    if (partition === undefined) {
      for (const each of this.partitions.slice()) this.heal(each)
      return
    }
    if (partition.state === "healed") return
    const wasActive = partition.isActive
    partition.state = "healed"
    const index = this.partitions.indexOf(partition)
    if (index >= 0) this.partitions.splice(index, 1)
    if (!wasActive) return
    this.sim.trace.record<NetEvent>({ type: "PartitionHealed", partition: partition.id })
    this.releaseHeld()
  }

  private startPartition(partition: Partition): void {
    if (partition.state !== "scheduled") return
    partition.state = "active"
    this.sim.trace.record<NetEvent>({
      type: "PartitionStarted",
      partition: partition.id,
      groups: partition.groups.map((group) => [...group]),
      oneWay: partition.oneWay,
    })
  }

  /** Delivers held messages that no partition cuts any more, in the order they were held. */
  private releaseHeld(): void {
    const held = this.heldMessages
    const still: Envelope[] = []
    const free: Envelope[] = []
    for (const envelope of held) (this.isCut(envelope.from, envelope.to) ? still : free).push(envelope)
    held.length = 0
    for (const envelope of still) held.push(envelope) // not push(...still): a spread of a huge array overflows the stack
    for (const envelope of free) this.arrive(envelope)
  }

  // --- link faults -----------------------------------------------------------------------------

  /**
   * Adds a link fault (see {@link LinkFault}), now or at `options.at`, until `options.until` or `stop()`.
   * @throws RangeError on an unknown node, a bad probability or delay, or `until` not after the start
   */
  addLinkFault(options: LinkFaultOptions): LinkFault {
    if (options.from !== undefined) this.node(options.from)
    if (options.to !== undefined) this.node(options.to)
    const at = Math.max(options.at ?? this.sim.now, this.sim.now)
    if (options.until !== undefined && !(options.until > at)) {
      throw new RangeError(`link fault: until ${options.until} must be after its start ${at}`)
    }
    const fault = new LinkFault(++this.nextLinkFaultId, options, (f) => this.stopLinkFault(f))
    this.atTime(at, () => this.startLinkFault(fault))
    if (options.until !== undefined) this.atTime(options.until, () => this.stopLinkFault(fault))
    return fault
  }

  /** Link faults acting now, in the order created. */
  get activeLinkFaults(): readonly LinkFault[] {
    return this.linkFaults.slice()
  }

  private startLinkFault(fault: LinkFault): void {
    if (fault.state !== "scheduled") return
    fault.state = "active"
    this.linkFaults.push(fault)
    this.sim.trace.record<NetEvent>({
      type: "LinkFaultStarted",
      linkFault: fault.id,
      from: fault.from ?? null,
      to: fault.to ?? null,
      dropProbability: fault.dropProbability,
      duplicateProbability: fault.duplicateProbability,
      extraDelayMs: fault.extraDelayMs,
    })
  }

  private stopLinkFault(fault: LinkFault): void {
    if (fault.state === "stopped") return
    const wasActive = fault.isActive
    fault.state = "stopped"
    if (!wasActive) return
    this.linkFaults.splice(this.linkFaults.indexOf(fault), 1)
    this.sim.trace.record<NetEvent>({ type: "LinkFaultStopped", linkFault: fault.id })
  }

  /** Runs `fn` at simulated time `at` (now, synchronously, if `at` is not in the future). */
  private atTime(at: number, fn: () => void): void {
    if (at <= this.sim.now) fn()
    else this.sim.timeout(at - this.sim.now).onProcessed(fn)
  }
}

/**
 * Checks link options, naming `where` in the error; returns them.
 * @throws RangeError on a bad latency or probability
 */
function checkLinkOptions(options: LinkOptions, where: string): LinkOptions {
  if (options.latency !== undefined) {
    checkLatency(typeof options.latency === "number" ? constantLatency(options.latency) : options.latency, where)
  }
  if (options.dropProbability !== undefined) checkProbability(options.dropProbability, `${where}: dropProbability`)
  if (options.duplicateProbability !== undefined) {
    checkProbability(options.duplicateProbability, `${where}: duplicateProbability`)
  }
  return options
}
