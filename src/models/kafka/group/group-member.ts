/**
 * The membership client of one consumer: Kafka's `ConsumerCoordinator`/`AbstractCoordinator`
 * rules, over the simulated network (docs/kafka-consumer-groups.md, "Consumer").
 *
 * The consumer's poll thread calls {@link GroupMember.poll} at every poll: when a (re)join is
 * needed it finds the coordinator (FindCoordinator, any broker), prepares the join (eager: revokes
 * every partition, committing first through the listener; a member whose generation was reset
 * loses its partitions instead), sends JoinGroup (a first join gets `MEMBER_ID_REQUIRED` and a
 * member id, then joins again), runs the assignor when it is the leader, and sends SyncGroup.
 * Cooperative: only the partitions no longer assigned are revoked, after the sync, and the member
 * rejoins at once when it revoked anything, so the next generation can hand them out.
 *
 * A heartbeat process, Kafka's `HeartbeatThread`, runs while the member is in a generation. Each
 * turn, in Kafka's order: with the coordinator unknown it looks it up (a FindCoordinator every
 * other `retry.backoff.ms`, not waiting for an earlier one) and waits `retry.backoff.ms`; when its
 * session timer has run out — `session.timeout.ms` since the last heartbeat answered (`NONE` or
 * `REBALANCE_IN_PROGRESS`), since the last completed SyncGroup, or since the coordinator was found
 * — it marks the coordinator unknown (nothing else: the member still believes it owns its
 * partitions and keeps processing them); when the poll thread has been silent for
 * `max.poll.interval.ms` the member leaves the group proactively (LeaveGroup) and rejoins at its
 * next poll; otherwise, every `heartbeat.interval.ms` (counted afresh from each completed
 * SyncGroup, so after a rebalance the members heartbeat in step), it sends a Heartbeat without
 * waiting for the answer. The answer: `REBALANCE_IN_PROGRESS` asks for a rejoin,
 * `ILLEGAL_GENERATION` resets the generation, `UNKNOWN_MEMBER_ID`/`FENCED_INSTANCE_ID` reset the
 * member id too — the member learns that it was evicted, and at its next poll its partitions are
 * lost (`onPartitionsLost`), not revoked; such an error answered to a heartbeat of an older
 * generation is ignored. A heartbeat that fails brings the next one forward to `retry.backoff.ms`.
 * (AbstractCoordinator.HeartbeatThread and Heartbeat in Kafka's client; docs/kafka-consumer-groups.md,
 * "Coordinator".)
 *
 * The member records PartitionsAssigned/Revoked/Lost at the instant its own code does it. A static
 * member (`group.instance.id`) sends no LeaveGroup when it closes, so a restart within the session
 * timeout finds its place (and partitions) kept.
 *
 * Simplified: the partition counts of the subscribed topics are given (Kafka reads them from
 * metadata), a timed out request marks the coordinator unknown (Kafka disconnects on a request
 * timeout, with the same effect), and there is one assignor per member.
 */
import type { ProcessGenerator, TraceOf } from "../../../kernel/index.ts"
import type { NetworkContext, NodeContext } from "../../../net/index.ts"
import { Rpc, type RpcOutcome } from "../../../net/rpc.ts"
import { assign, supportsCooperative } from "./assignors.ts"
import type { AssignorName, MemberSubscription } from "./assignor-types.ts"
import type { JoinGroupResult, SyncGroupResult } from "./group-coordinator.ts"
import type { CoordinatorMarkedUnknown, GroupEvent } from "./group-events.ts"
import {
  type ErrorReply,
  type FindCoordinatorReply,
  GROUP_SERVICE,
  type GroupRequest,
  type JoinGroupReply,
  type SyncGroupReply,
} from "./group-protocol.ts"
import { comparePartitions, partitionKey, type TopicPartition } from "./topic-partition.ts"

/** The two rebalance protocols. */
export type RebalanceProtocol = "eager" | "cooperative"

/** Called by the member's poll thread around a rebalance (Kafka's `ConsumerRebalanceListener`). */
export interface RebalanceListener {
  /** Before partitions are given up: the place to commit. */
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): ProcessGenerator<void> | void
  /** After partitions were received. */
  onPartitionsAssigned?(partitions: readonly TopicPartition[]): ProcessGenerator<void> | void
  /** When the member learned it was evicted: committing is pointless now. */
  onPartitionsLost?(partitions: readonly TopicPartition[]): ProcessGenerator<void> | void
}

/** Options of a {@link GroupMember}; times in ms. */
export interface GroupMemberOptions {
  readonly node: NodeContext
  readonly network: NetworkContext
  /** The brokers' node names (bootstrap servers). */
  readonly brokers: readonly string[]
  readonly groupId: string
  /** The consumer's name (`client.id`), the prefix of its member ids. Default the node's name. */
  readonly clientId?: string
  /** `group.instance.id`: a static member. Default none. */
  readonly groupInstanceId?: string
  readonly topics: readonly string[]
  /** Partition count of each topic (the leader runs the assignor over them). */
  readonly partitionsPerTopic: Readonly<Record<string, number>>
  /** `partition.assignment.strategy`. Default `range`. */
  readonly assignor?: AssignorName
  /** Default `eager`; `cooperative` requires `cooperative-sticky`. */
  readonly protocol?: RebalanceProtocol
  /** `session.timeout.ms`. Default 45000. */
  readonly sessionTimeoutMs?: number
  /** `heartbeat.interval.ms`. Default 3000. */
  readonly heartbeatIntervalMs?: number
  /** `max.poll.interval.ms` (also the rebalance timeout). Default 300000. */
  readonly maxPollIntervalMs?: number
  /** `request.timeout.ms`. Default 30000. */
  readonly requestTimeoutMs?: number
  /** `retry.backoff.ms`. Default 100. */
  readonly retryBackoffMs?: number
  readonly listener?: RebalanceListener
  /** The GROUP_SERVICE client of the node. Default: a new one. */
  readonly rpc?: Rpc
  /** Default: the simulation's trace. */
  readonly trace?: TraceOf<GroupEvent>
}

/** What a member knows about its place in the group. */
type MemberState = "unjoined" | "rebalancing" | "stable"

/** The group membership of one consumer. */
export class GroupMember {
  readonly rpc: Rpc
  readonly clientId: string
  readonly assignor: AssignorName
  readonly protocol: RebalanceProtocol
  readonly sessionTimeoutMs: number
  readonly heartbeatIntervalMs: number
  readonly maxPollIntervalMs: number
  readonly requestTimeoutMs: number
  readonly retryBackoffMs: number
  private readonly trace: TraceOf<GroupEvent>
  private coordinatorNode: string | null = null
  private nextBroker = 0
  private memberIdValue = ""
  private generationValue = -1
  private state: MemberState = "unjoined"
  private rejoinNeeded = true
  private joinPrepared = false
  private ownedValue: TopicPartition[] = []
  /** Eager sticky assignors remember the previous assignment in their subscription user data. */
  private previous: { partitions: TopicPartition[]; generation: number } = { partitions: [], generation: -1 }
  private lastPollMs = 0
  /** When the next heartbeat is due (monotonic clock); a completed sync pushes it a full interval away. */
  private heartbeatDueMs = 0
  /** Kafka's session timer: when, with no heartbeat answered by then, the member marks its coordinator unknown. */
  private sessionDeadlineMs = 0
  /** The heartbeat process alternates between sending a FindCoordinator and abandoning it (Kafka's). */
  private lookupTurn = false
  private running = false
  private topics: readonly string[]
  /** Bumped at every stop: a heartbeat process of an older run ends. */
  private epoch = 0

  constructor(readonly options: GroupMemberOptions) {
    this.rpc = options.rpc ?? new Rpc(options.network, { service: GROUP_SERVICE })
    this.clientId = options.clientId ?? options.node.name
    this.assignor = options.assignor ?? "range"
    this.protocol = options.protocol ?? "eager"
    if (this.protocol === "cooperative" && !supportsCooperative(this.assignor))
      throw new RangeError(`protocol cooperative requires the cooperative-sticky assignor, got ${this.assignor}`)
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 45_000
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000
    this.maxPollIntervalMs = options.maxPollIntervalMs ?? 300_000
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.retryBackoffMs = options.retryBackoffMs ?? 100
    if (options.brokers.length === 0) throw new RangeError("brokers must name at least one broker")
    this.trace = options.trace ?? options.node.sim.trace
    this.topics = [...options.topics]
  }

  /** Changes the subscription; it takes effect at the next join. */
  subscribe(topics: readonly string[]): void {
    this.topics = [...topics]
  }

  /** The member id (`""` before the first join or after an eviction). */
  get memberId(): string {
    return this.memberIdValue
  }

  /** The generation the member belongs to (-1: none). */
  get generation(): number {
    return this.generationValue
  }

  /** The partitions the member owns now (its own view), sorted. */
  get owned(): readonly TopicPartition[] {
    return this.ownedValue
  }

  /** True while in a generation with its partitions (no rebalance under way that it knows of). */
  get isStable(): boolean {
    return this.state === "stable" && !this.rejoinNeeded
  }

  /** The coordinator's node name, or null while unknown. */
  get coordinator(): string | null {
    return this.coordinatorNode
  }

  /** Starts the heartbeat process (call once the consumer runs; again after a stop or a restart). */
  start(): void {
    if (this.running) return
    this.running = true
    this.lastPollMs = this.options.node.monotonicClock()
    const epoch = ++this.epoch
    this.options.node.spawn(this.heartbeatLoop(epoch), `${this.clientId}-heartbeat`)
  }

  /** Forgets everything volatile (the node crashed): a restarted member joins afresh. */
  reset(): void {
    this.running = false
    this.epoch++
    this.coordinatorNode = null
    this.memberIdValue = ""
    this.generationValue = -1
    this.state = "unjoined"
    this.rejoinNeeded = true
    this.joinPrepared = false
    this.ownedValue = []
    this.previous = { partitions: [], generation: -1 }
  }

  /** The poll thread's turn: notes the poll and (re)joins the group when needed. */
  *poll(): ProcessGenerator<void> {
    this.lastPollMs = this.options.node.monotonicClock()
    while (this.rejoinNeeded && this.running) yield* this.joinOnce()
  }

  /** Asks for a rejoin at the next poll (a heartbeat saw a rebalance, or a cooperative revoke). */
  requestRejoin(): void {
    this.rejoinNeeded = true
  }

  /**
   * Leaves the group: revokes (or loses) the owned partitions, then sends LeaveGroup unless the
   * member is static, and stops heartbeating.
   */
  *close(): ProcessGenerator<void> {
    if (!this.running) return
    if (this.generationValue >= 0) yield* this.revoke(this.ownedValue)
    else yield* this.lose()
    if (this.options.groupInstanceId === undefined && this.memberIdValue !== "" && this.coordinatorNode !== null)
      yield* this.leaveGroup()
    this.running = false
    this.epoch++
    this.memberIdValue = this.options.groupInstanceId === undefined ? "" : this.memberIdValue
    this.generationValue = -1
    this.state = "unjoined"
    this.rejoinNeeded = true
    this.joinPrepared = false
  }

  /** A member request's identity fields. */
  identity(): { memberId: string; generation: number; groupInstanceId?: string } {
    const id = { memberId: this.memberIdValue, generation: this.generationValue }
    return this.options.groupInstanceId === undefined ? id : { ...id, groupInstanceId: this.options.groupInstanceId }
  }

  /** Sends `request` to the coordinator (finding it first); undefined when it could not be reached. */
  *toCoordinator<Res>(request: GroupRequest, timeoutMs = this.requestTimeoutMs): ProcessGenerator<Res | undefined> {
    const coordinator = yield* this.findCoordinator()
    if (coordinator === undefined) return undefined
    const outcome: RpcOutcome<Res> = yield* this.rpc.call<Res>(this.options.node.name, coordinator, request, {
      timeoutMs,
    })
    if (!outcome.ok) {
      this.coordinatorUnknown("request-timeout")
      return undefined
    }
    const error = (outcome.response as { error?: string }).error
    if (error === "NOT_COORDINATOR" || error === "COORDINATOR_NOT_AVAILABLE") this.coordinatorUnknown("not-coordinator")
    return outcome.response
  }

  /** Marks the coordinator unknown: the next request looks it up again. */
  coordinatorUnknown(reason: CoordinatorMarkedUnknown["reason"] = "not-coordinator"): void {
    const coordinator = this.coordinatorNode
    if (coordinator === null) return
    this.coordinatorNode = null
    this.trace.record({
      type: "CoordinatorMarkedUnknown",
      group: this.options.groupId,
      consumer: this.clientId,
      member: this.memberIdValue,
      coordinator,
      reason,
    })
  }

  /** Reacts to an error answered to a member request (heartbeat or commit), as Kafka's client does. */
  onMemberError(error: string): void {
    switch (error) {
      case "REBALANCE_IN_PROGRESS":
        this.requestRejoin()
        break
      case "ILLEGAL_GENERATION":
        this.resetGeneration(false)
        break
      case "UNKNOWN_MEMBER_ID":
      case "FENCED_INSTANCE_ID":
        this.resetGeneration(true)
        break
      default:
        break
    }
  }

  private resetGeneration(memberIdToo: boolean): void {
    this.generationValue = -1
    if (memberIdToo) this.memberIdValue = ""
    this.state = "unjoined"
    this.rejoinNeeded = true
  }

  private *findCoordinator(): ProcessGenerator<string | undefined> {
    if (this.coordinatorNode !== null) return this.coordinatorNode
    const brokers = this.options.brokers
    const broker = brokers[this.nextBroker++ % brokers.length]!
    const outcome: RpcOutcome<FindCoordinatorReply> = yield* this.rpc.call<FindCoordinatorReply>(
      this.options.node.name,
      broker,
      { type: "find-coordinator", groupId: this.options.groupId },
      { timeoutMs: this.requestTimeoutMs },
    )
    if (outcome.ok && outcome.response.error === "NONE" && outcome.response.node !== null) {
      this.coordinatorNode = outcome.response.node
      // As Kafka's FindCoordinator handler: a coordinator found gives the session timer a fresh start.
      this.sessionDeadlineMs = this.options.node.monotonicClock() + this.sessionTimeoutMs
      return this.coordinatorNode
    }
    yield* this.backoff()
    return undefined
  }

  private *backoff(): ProcessGenerator<void> {
    yield* this.options.node.sleepLocal(this.retryBackoffMs)
  }

  // ---- joining ------------------------------------------------------------------------------

  /** One attempt at JoinGroup + SyncGroup. */
  private *joinOnce(): ProcessGenerator<void> {
    if (!this.joinPrepared) {
      yield* this.onJoinPrepare()
      this.joinPrepared = true
    }
    this.state = "rebalancing"
    const join = yield* this.toCoordinator<JoinGroupReply>(this.joinMessage(), this.maxPollIntervalMs + 5000)
    if (join === undefined) return yield* this.backoff()
    if (join.error === "MEMBER_ID_REQUIRED") {
      this.memberIdValue = (join as JoinGroupResult).memberId
      return
    }
    if (join.error !== "NONE") {
      this.onMemberError(join.error)
      return yield* this.backoff()
    }
    const joined = join as JoinGroupResult
    this.memberIdValue = joined.memberId
    this.generationValue = joined.generation
    const assignment =
      joined.leader === joined.memberId
        ? assign(this.assignor, this.options.partitionsPerTopic, joined.members)
        : undefined
    const sync = yield* this.toCoordinator<SyncGroupReply>({
      type: "sync-group",
      groupId: this.options.groupId,
      ...this.identity(),
      ...(assignment === undefined ? {} : { assignment }),
    })
    if (sync === undefined) return yield* this.backoff()
    if (sync.error !== "NONE") {
      this.onMemberError(sync.error === "REBALANCE_IN_PROGRESS" ? "REBALANCE_IN_PROGRESS" : sync.error)
      if (sync.error === "REBALANCE_IN_PROGRESS") this.rejoinNeeded = true
      return
    }
    yield* this.onJoinComplete((sync as SyncGroupResult).assignment)
  }

  private joinMessage(): GroupRequest {
    const owned = this.protocol === "cooperative" ? this.ownedValue : this.previous.partitions
    const generation = this.protocol === "cooperative" ? this.generationValue : this.previous.generation
    const subscription: Omit<MemberSubscription, "memberId" | "groupInstanceId"> = {
      topics: [...this.topics],
      ownedPartitions: owned,
      ...(generation >= 0 ? { generation } : {}),
    }
    return {
      type: "join-group",
      groupId: this.options.groupId,
      request: {
        memberId: this.memberIdValue,
        ...(this.options.groupInstanceId === undefined ? {} : { groupInstanceId: this.options.groupInstanceId }),
        clientId: this.clientId,
        sessionTimeoutMs: this.sessionTimeoutMs,
        rebalanceTimeoutMs: this.maxPollIntervalMs,
        protocols: [{ name: this.assignor, subscription }],
      },
    }
  }

  /** Before joining: eager revokes everything; a member without a generation lost what it had. */
  private *onJoinPrepare(): ProcessGenerator<void> {
    if (this.generationValue < 0) yield* this.lose()
    else if (this.protocol === "eager") yield* this.revoke(this.ownedValue)
  }

  /** After the sync: take the new partitions, and (cooperative) give up the ones no longer ours. */
  private *onJoinComplete(assigned: readonly TopicPartition[]): ProcessGenerator<void> {
    const sorted = [...assigned].sort(comparePartitions)
    this.previous = { partitions: sorted, generation: this.generationValue }
    this.joinPrepared = false
    this.state = "stable"
    this.rejoinNeeded = false
    // As Kafka's heartbeat thread, enabled again with fresh timeouts once the member is in the generation.
    this.heartbeatDueMs = this.options.node.monotonicClock() + this.heartbeatIntervalMs
    this.sessionDeadlineMs = this.options.node.monotonicClock() + this.sessionTimeoutMs
    const keys = new Set(sorted.map(partitionKey))
    const revoked = this.ownedValue.filter((tp) => !keys.has(partitionKey(tp)))
    if (revoked.length > 0) {
      yield* this.revoke(revoked)
      this.rejoinNeeded = true
    }
    const ownedKeys = new Set(this.ownedValue.map(partitionKey))
    const added = sorted.filter((tp) => !ownedKeys.has(partitionKey(tp)))
    this.ownedValue = sorted
    this.trace.record({
      type: "PartitionsAssigned",
      group: this.options.groupId,
      consumer: this.clientId,
      member: this.memberIdValue,
      generation: this.generationValue,
      partitions: added,
    })
    yield* call(this.options.listener?.onPartitionsAssigned?.(added))
  }

  private *revoke(partitions: readonly TopicPartition[]): ProcessGenerator<void> {
    if (partitions.length === 0) return
    yield* call(this.options.listener?.onPartitionsRevoked?.(partitions))
    const keys = new Set(partitions.map(partitionKey))
    this.ownedValue = this.ownedValue.filter((tp) => !keys.has(partitionKey(tp)))
    this.trace.record({
      type: "PartitionsRevoked",
      group: this.options.groupId,
      consumer: this.clientId,
      member: this.memberIdValue,
      partitions: [...partitions],
    })
  }

  private *lose(): ProcessGenerator<void> {
    const lost = this.ownedValue
    if (lost.length === 0) return
    this.ownedValue = []
    this.trace.record({
      type: "PartitionsLost",
      group: this.options.groupId,
      consumer: this.clientId,
      member: this.memberIdValue,
      partitions: lost,
    })
    yield* call(this.options.listener?.onPartitionsLost?.(lost))
  }

  private *leaveGroup(): ProcessGenerator<void> {
    const leave: GroupRequest = { type: "leave-group", groupId: this.options.groupId, memberId: this.memberIdValue }
    yield* this.toCoordinator<ErrorReply>(leave)
  }

  // ---- heartbeats ---------------------------------------------------------------------------

  private *heartbeatLoop(epoch: number): ProcessGenerator<void> {
    const node = this.options.node
    this.heartbeatDueMs = node.monotonicClock() + this.heartbeatIntervalMs
    this.sessionDeadlineMs = node.monotonicClock() + this.sessionTimeoutMs
    while (this.epoch === epoch) {
      const inGeneration = this.state === "stable" && this.generationValue >= 0
      if (inGeneration && this.coordinatorNode === null) {
        yield* this.lookUpCoordinator()
        continue
      }
      if (inGeneration && node.monotonicClock() >= this.sessionDeadlineMs) {
        this.coordinatorUnknown("session-timeout")
        continue
      }
      const wakeMs = inGeneration ? Math.min(this.heartbeatDueMs, this.sessionDeadlineMs) : this.heartbeatDueMs
      const waitMs = wakeMs - node.monotonicClock()
      if (waitMs > 0) {
        yield* node.sleepLocal(waitMs)
        continue
      }
      if (this.epoch !== epoch) return
      this.heartbeatDueMs = node.monotonicClock() + this.heartbeatIntervalMs
      // As Kafka's heartbeat thread: idle while (re)joining, when the poll thread is in JoinGroup/SyncGroup.
      if (!inGeneration) continue
      if (node.monotonicClock() - this.lastPollMs > this.maxPollIntervalMs) {
        // The poll thread is stuck: leave so the group can move on (Kafka's "poll timeout has expired").
        if (this.options.groupInstanceId === undefined) yield* this.leaveGroup()
        this.resetGeneration(true)
        continue
      }
      node.spawn(this.heartbeat(epoch), `${this.clientId}-heartbeat-request`)
    }
  }

  /** Kafka's turn with the coordinator unknown: send a FindCoordinator every other turn, then wait `retry.backoff.ms`. */
  private *lookUpCoordinator(): ProcessGenerator<void> {
    this.lookupTurn = !this.lookupTurn
    if (this.lookupTurn) this.options.node.spawn(this.findCoordinator(), `${this.clientId}-find-coordinator`)
    yield* this.backoff()
  }

  /** One heartbeat and its answer; the heartbeat process goes on meanwhile. */
  private *heartbeat(epoch: number): ProcessGenerator<void> {
    const sent = this.identity()
    const reply = yield* this.toCoordinator<ErrorReply>({ type: "heartbeat", groupId: this.options.groupId, ...sent })
    if (this.epoch !== epoch) return
    const now = this.options.node.monotonicClock()
    if (reply === undefined) {
      this.heartbeatDueMs = Math.min(this.heartbeatDueMs, now + this.retryBackoffMs)
      return
    }
    if (reply.error === "NONE" || reply.error === "REBALANCE_IN_PROGRESS")
      this.sessionDeadlineMs = now + this.sessionTimeoutMs
    // As Kafka's handler: REBALANCE_IN_PROGRESS matters only to a stable member, a generation error only to the generation it was sent in.
    if (reply.error === "REBALANCE_IN_PROGRESS" && this.state !== "stable") return
    const stale = sent.generation !== this.generationValue || sent.memberId !== this.memberIdValue
    if (stale && reply.error !== "REBALANCE_IN_PROGRESS") return
    this.onMemberError(reply.error)
  }
}

/** Runs a listener's answer: a generator to completion, anything else is done already. */
function* call(result: ProcessGenerator<void> | void): ProcessGenerator<void> {
  if (result !== undefined) yield* result
}
