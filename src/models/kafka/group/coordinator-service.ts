/**
 * The group coordinator as a broker role, reached over the simulated network: on every broker,
 * `GROUP_SERVICE` requests (`group-protocol.ts`) dispatched to one {@link GroupCoordinator} per
 * group id that this broker coordinates.
 *
 * Placement, as Kafka does it: a group belongs to partition `abs(groupId.hashCode()) % 50` of
 * `__consumer_offsets` (Kafka's `GroupMetadataManager.partitionFor`, with `Utils.abs` mapping
 * `Integer.MIN_VALUE` to 0, and `offsets.topic.num.partitions` 50), and its coordinator is that
 * partition's leader. Simplification (docs/kafka-consumer-groups.md, "Coordinator placement"):
 * the offsets topic has no replicas of its own; partition `p` is led by broker `(p mod N) + 1`,
 * or, when the controller has fenced it, by the next unfenced broker in id order (wrapping). Each
 * broker decides from its own view of the live brokers, which the controller sends with every
 * heartbeat response, so views lag by up to a heartbeat. Any broker answers FindCoordinator from
 * its view; a broker that is not the coordinator in its view answers `NOT_COORDINATOR`.
 *
 * Offsets survive a failover: committed offsets are written through to an {@link OffsetStore}
 * shared by the brokers, standing in for the compacted, replicated `__consumer_offsets` log; the new
 * coordinator loads the group's offsets from it. The store also stands in for the offsets
 * partition's leader epoch: a broker takes a partition over with the version of its view, and a
 * broker whose claim was superseded answers `NOT_COORDINATOR` and unloads its groups (Kafka's old
 * coordinator fails to append and unloads). Group membership is not stored (Kafka stores it too):
 * after a failover the group starts `Empty`, members get `NOT_COORDINATOR` or `UNKNOWN_MEMBER_ID`
 * and rejoin. A crashed broker's groups are gone with its memory, and it answers nothing.
 *
 * JoinGroup and SyncGroup replies wait for the coordinator's callbacks: the RPC handler is a
 * process that waits for an event the callback fires (or that an unload fires with `NOT_COORDINATOR`).
 */
import { Event, type ProcessGenerator, type Simulation, type TraceOf } from "../../../kernel/index.ts"
import type { Rpc } from "../../../net/index.ts"
import type { Broker } from "../broker.ts"
import type { KafkaEvent } from "../kafka-events.ts"
import { brokerNode } from "../protocol.ts"
import type { GroupEvent } from "./group-events.ts"
import { GroupCoordinator, type GroupCoordinatorOptions } from "./group-coordinator.ts"
import type {
  ErrorReply,
  FindCoordinatorReply,
  GroupRequest,
  JoinGroupReply,
  OffsetCommitMessage,
  OffsetFetchMessage,
  OffsetFetchReply,
  SyncGroupReply,
} from "./group-protocol.ts"
import { javaStringHash } from "./java-hash-order.ts"
import { partitionKey } from "./topic-partition.ts"

/** `offsets.topic.num.partitions`: Kafka's default number of `__consumer_offsets` partitions. */
export const OFFSETS_TOPIC_PARTITIONS = 50

/** Java's `Utils.abs` as Kafka writes it: `Integer.MIN_VALUE` maps to 0 instead of staying negative. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n)
}

/** The `__consumer_offsets` partition of `groupId`: `abs(groupId.hashCode()) % partitions`. */
export function offsetsPartitionFor(groupId: string, partitions = OFFSETS_TOPIC_PARTITIONS): number {
  return kafkaAbs(javaStringHash(groupId)) % partitions
}

/**
 * The leader of offsets partition `partition`: broker `brokers[partition mod N]`, or the next one
 * in `brokers` order (wrapping) that is in `live`; -1 when none is.
 */
export function offsetsLeaderFor(partition: number, brokers: readonly number[], live: readonly number[]): number {
  for (let i = 0; i < brokers.length; i++) {
    const id = brokers[(partition + i) % brokers.length]!
    if (live.includes(id)) return id
  }
  return -1
}

/** Who holds an offsets partition, from which view version, in which term (a new holder: a new term). */
interface Claim {
  readonly owner: number
  readonly version: number
  readonly term: number
}

/**
 * The committed offsets of every group and who holds each offsets partition: what the replicated
 * `__consumer_offsets` log keeps in Kafka (see the file header).
 */
export class OffsetStore {
  private readonly claims = new Map<number, Claim>()
  private readonly offsets = new Map<string, Map<string, number>>()
  private nextTerm = 1

  /**
   * Broker `owner`, whose view of the live brokers has version `version`, takes offsets partition
   * `partition` over. It succeeds when no newer view holds it; returns the term it holds it in, or -1.
   */
  claim(partition: number, owner: number, version: number): number {
    const current = this.claims.get(partition)
    if (current !== undefined) {
      if (current.owner === owner && current.version <= version) {
        this.claims.set(partition, { owner, version, term: current.term })
        return current.term
      }
      if (current.version >= version) return -1
    }
    const term = this.nextTerm++
    this.claims.set(partition, { owner, version, term })
    return term
  }

  /** True while `owner` still holds `partition` in `term`. */
  holds(partition: number, owner: number, term: number): boolean {
    const current = this.claims.get(partition)
    return current !== undefined && current.owner === owner && current.term === term
  }

  /** The committed offsets of `group` (`t0-3` → next offset to read). */
  committed(group: string): ReadonlyMap<string, number> {
    return this.offsets.get(group) ?? new Map()
  }

  /** Stores committed offsets of `group`. */
  commit(group: string, offsets: ReadonlyMap<string, number>): void {
    let stored = this.offsets.get(group)
    if (stored === undefined) {
      stored = new Map()
      this.offsets.set(group, stored)
    }
    for (const [key, offset] of offsets) stored.set(key, offset)
  }

  /** Every group with committed offsets, in order of first commit. */
  get groups(): readonly string[] {
    return [...this.offsets.keys()]
  }
}

/** Passes records on while open: a coordinator's trace, closed once the coordinator is unloaded. */
class GatedTrace implements TraceOf<GroupEvent> {
  open = true
  constructor(private readonly inner: TraceOf<GroupEvent>) {}
  get enabled(): boolean {
    return this.inner.enabled
  }
  record(event: GroupEvent): void {
    if (this.open) this.inner.record(event)
  }
}

/** A group this broker coordinates now. */
interface LoadedGroup {
  readonly coordinator: GroupCoordinator
  readonly trace: GatedTrace
  readonly partition: number
  readonly term: number
  /** Join and sync requests waiting for the coordinator's answer. */
  readonly waiting: Set<Event<JoinGroupReply | SyncGroupReply>>
}

/** Options of a {@link CoordinatorService}. */
export interface CoordinatorServiceOptions {
  /** The broker it runs on (its node, id and view of the live brokers). Required. */
  readonly broker: Broker
  /** Every broker id, in order. Required. */
  readonly brokers: readonly number[]
  /** The RPC helper of {@link GROUP_SERVICE} on the cluster's network. Required. */
  readonly rpc: Rpc
  /** The offsets store every broker shares. Required. */
  readonly store: OffsetStore
  /** Settings of each group's coordinator (Kafka's defaults when omitted). */
  readonly coordinator?: Omit<GroupCoordinatorOptions, "groupId" | "trace">
  /** Partitions of `__consumer_offsets`. Default {@link OFFSETS_TOPIC_PARTITIONS} (50). */
  readonly offsetsPartitions?: number
}

/** The group coordinator role of one broker. */
export class CoordinatorService {
  private groups = new Map<string, LoadedGroup>()
  private readonly broker: Broker
  private readonly store: OffsetStore
  private readonly partitions: number
  private readonly trace: TraceOf<KafkaEvent | GroupEvent>

  constructor(
    private readonly sim: Simulation,
    private readonly options: CoordinatorServiceOptions,
  ) {
    this.broker = options.broker
    this.store = options.store
    this.partitions = options.offsetsPartitions ?? OFFSETS_TOPIC_PARTITIONS
    if (!Number.isInteger(this.partitions) || this.partitions < 1)
      throw new RangeError(`offsetsPartitions must be an integer >= 1, got ${this.partitions}`)
    this.trace = sim.trace
    const node = this.broker.node
    options.rpc.serve<GroupRequest, unknown>(node.name, (request) => this.handle(request), { parallel: true })
    node.onCrash(() => {
      for (const groupId of [...this.groups.keys()]) this.unload(groupId, "crashed")
    })
    this.broker.onLiveBrokersChanged = () => {
      for (const [groupId, group] of this.groups)
        if (this.coordinatorOf(group.partition) !== this.broker.id) this.unload(groupId, "moved")
    }
  }

  /** The groups this broker coordinates now, by group id (read-only: for observers and tests). */
  coordinatorOfGroup(groupId: string): GroupCoordinator | undefined {
    return this.groups.get(groupId)?.coordinator
  }

  /** The coordinator of offsets partition `partition` in this broker's view, or -1. */
  private coordinatorOf(partition: number): number {
    const view = this.broker.liveBrokers
    if (view === null) return -1
    return offsetsLeaderFor(partition, this.options.brokers, view.brokers)
  }

  private handle(request: GroupRequest): unknown {
    if (request.type === "find-coordinator") return this.findCoordinator(request.groupId)
    const group = this.groupFor(request.groupId)
    if (group === null)
      return request.type === "offset-fetch" ? { error: "NOT_COORDINATOR", offsets: [] } : { error: "NOT_COORDINATOR" }
    switch (request.type) {
      case "join-group":
        return this.waitForAnswer<JoinGroupReply>(group, (settle) =>
          group.coordinator.joinGroup(request.request, settle),
        )
      case "sync-group":
        return this.waitForAnswer<SyncGroupReply>(group, (settle) => group.coordinator.syncGroup(request, settle))
      case "heartbeat":
        return { error: group.coordinator.heartbeat(request) } satisfies ErrorReply
      case "leave-group":
        return { error: group.coordinator.leaveGroup(request) } satisfies ErrorReply
      case "offset-commit":
        return this.commit(group, request)
      case "offset-fetch":
        return this.fetchOffsets(group, request)
    }
  }

  private findCoordinator(groupId: string): FindCoordinatorReply {
    const coordinator = this.coordinatorOf(offsetsPartitionFor(groupId, this.partitions))
    if (coordinator < 0) return { error: "COORDINATOR_NOT_AVAILABLE", node: null }
    return { error: "NONE", node: brokerNode(coordinator) }
  }

  /** The loaded group `groupId` if this broker coordinates it (loading it if it just became so), else null. */
  private groupFor(groupId: string): LoadedGroup | null {
    const partition = offsetsPartitionFor(groupId, this.partitions)
    const view = this.broker.liveBrokers
    const loaded = this.groups.get(groupId)
    if (view === null || offsetsLeaderFor(partition, this.options.brokers, view.brokers) !== this.broker.id) {
      if (loaded !== undefined) this.unload(groupId, "moved")
      return null
    }
    if (loaded !== undefined) {
      if (this.store.holds(partition, this.broker.id, loaded.term)) return loaded
      this.unload(groupId, "moved")
    }
    const term = this.store.claim(partition, this.broker.id, view.version)
    if (term < 0) return null
    return this.load(groupId, partition, term)
  }

  private load(groupId: string, partition: number, term: number): LoadedGroup {
    const trace = new GatedTrace(this.sim.trace)
    const coordinator = new GroupCoordinator(this.sim, { ...this.options.coordinator, groupId, trace })
    const offsets = this.store.committed(groupId)
    if (offsets.size > 0) {
      // Loading is not a commit: an Empty group accepts offsets with generation -1, recorded nowhere.
      trace.open = false
      coordinator.commitOffsets({ memberId: "", generation: -1 }, offsets)
      trace.open = true
    }
    const group: LoadedGroup = { coordinator, trace, partition, term, waiting: new Set() }
    this.groups.set(groupId, group)
    this.trace.record({
      type: "GroupCoordinatorLoaded",
      broker: this.broker.id,
      group: groupId,
      offsetsPartition: partition,
      offsets: Object.fromEntries(offsets),
    })
    return group
  }

  /** Stops coordinating `groupId`: its members stop being members, waiting joins and syncs get NOT_COORDINATOR. */
  private unload(groupId: string, reason: "moved" | "crashed"): void {
    const group = this.groups.get(groupId)
    if (group === undefined) return
    this.groups.delete(groupId)
    const members = group.coordinator.memberIds
    group.trace.open = false
    this.trace.record({
      type: "GroupCoordinatorUnloaded",
      broker: this.broker.id,
      group: groupId,
      reason,
      generation: group.coordinator.generation,
      members,
    })
    for (const member of members)
      this.trace.record({ type: "MemberRemoved", group: groupId, member, reason: "coordinator-unloaded" })
    for (const waiting of group.waiting) if (!waiting.triggered) waiting.succeed({ error: "NOT_COORDINATOR" })
    group.waiting.clear()
  }

  /** Runs `start` with a callback and waits for it (or for an unload). */
  private *waitForAnswer<R extends JoinGroupReply | SyncGroupReply>(
    group: LoadedGroup,
    start: (settle: (reply: R) => void) => void,
  ): ProcessGenerator<R> {
    const answered = new Event<JoinGroupReply | SyncGroupReply>(this.sim)
    group.waiting.add(answered)
    start((reply) => {
      if (!answered.triggered) answered.succeed(reply)
    })
    const reply = answered.triggered ? answered.value : yield* answered
    group.waiting.delete(answered)
    return reply as R
  }

  private commit(group: LoadedGroup, request: OffsetCommitMessage): ErrorReply {
    const offsets = new Map(request.offsets.map(({ tp, offset }) => [partitionKey(tp), offset] as const))
    const error = group.coordinator.commitOffsets(request, offsets)
    if (error === "NONE") this.store.commit(request.groupId, offsets)
    return { error }
  }

  private fetchOffsets(group: LoadedGroup, request: OffsetFetchMessage): OffsetFetchReply {
    return {
      error: "NONE",
      offsets: request.partitions.map((tp) => ({ tp, offset: group.coordinator.committedOffset(tp) ?? -1 })),
    }
  }
}
