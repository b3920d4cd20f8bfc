/**
 * The classic consumer-group coordinator of one group (Kafka's broker-side `GroupCoordinator`,
 * the `classic` protocol), on simulated time.
 *
 * A member joins (JoinGroup); the coordinator gathers the members in a join phase, starts a new
 * generation with a leader and an assignor every member supports, and answers every join; the
 * leader computes the assignment and sends it in its SyncGroup; the coordinator hands each member
 * its partitions and the group is Stable. Members heartbeat; one silent for `session.timeout.ms`
 * is removed and the group rebalances. States (docs/kafka-consumer-groups.md, "Coordinator"):
 *
 * - `Empty` → `PreparingRebalance` when a member joins (after `group.initial.rebalance.delay.ms`,
 *   extended while more members arrive, up to the rebalance timeout);
 * - `PreparingRebalance` → `CompletingRebalance` when every known member has rejoined, or at the
 *   rebalance timeout (members that did not rejoin are removed), generation + 1;
 * - `CompletingRebalance` → `Stable` on the leader's SyncGroup; back to `PreparingRebalance` on
 *   any membership change, or when a member never syncs within the rebalance timeout;
 * - `Stable` → `PreparingRebalance` when a member joins, leaves, times out, or the leader rejoins.
 *
 * Heartbeats answer `REBALANCE_IN_PROGRESS` while preparing a rebalance (the member must rejoin),
 * `ILLEGAL_GENERATION` to a stale generation, `UNKNOWN_MEMBER_ID` to a removed member. Offset
 * commits are accepted from the current generation in `Stable` and `PreparingRebalance`, from
 * anyone with generation -1 while `Empty`, and refused otherwise: Kafka's
 * `CommitFailedException` comes from these refusals. Static members (`group.instance.id`) that
 * rejoin with unchanged metadata while `Stable` replace their old member id without a rebalance.
 *
 * Follows Kafka's `GroupCoordinator`, `GroupMetadata` and `DelayedJoin` (Kafka 3.9) rule for
 * rule. Left out: the offsets topic (offsets live in this object; a coordinator failover keeps
 * them, as the compacted topic would), group size limits, transactional commits, and the Scala
 * `HashMap` order that picks a new leader when the leader leaves (Java's order is used).
 */
import type { Simulation, TraceOf } from "../../../kernel/index.ts"
import type { Assignment, MemberSubscription } from "./assignor-types.ts"
import type { GroupEvent, RebalanceReason, RemovalReason } from "./group-events.ts"
import { javaHashMapOrder } from "./java-hash-order.ts"
import { partitionKey, type TopicPartition } from "./topic-partition.ts"

/** The classic group states. */
export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead"

/** Kafka's error codes that the group APIs answer with. */
export type GroupError =
  | "NONE"
  | "UNKNOWN_MEMBER_ID"
  | "ILLEGAL_GENERATION"
  | "REBALANCE_IN_PROGRESS"
  | "MEMBER_ID_REQUIRED"
  | "FENCED_INSTANCE_ID"
  | "INCONSISTENT_GROUP_PROTOCOL"
  | "INVALID_SESSION_TIMEOUT"

/** One assignor a member supports, with its subscription for that assignor. */
export interface ProtocolMetadata {
  readonly name: string
  readonly subscription: Omit<MemberSubscription, "memberId" | "groupInstanceId">
}

export interface JoinGroupRequest {
  /** `""` on the first join. */
  readonly memberId: string
  readonly groupInstanceId?: string
  readonly clientId: string
  readonly sessionTimeoutMs: number
  /** The member's `max.poll.interval.ms`. */
  readonly rebalanceTimeoutMs: number
  /** In the member's order of preference. */
  readonly protocols: readonly ProtocolMetadata[]
  /** KIP-394: a first join gets `MEMBER_ID_REQUIRED` and a member id, then rejoins with it. Default true. */
  readonly requireKnownMemberId?: boolean
}

export interface JoinGroupResult {
  readonly error: GroupError
  readonly memberId: string
  readonly generation: number
  readonly protocol: string | null
  readonly leader: string | null
  /** The members and their subscriptions for the chosen protocol: only for the leader. */
  readonly members: readonly MemberSubscription[]
}

export interface SyncGroupRequest {
  readonly memberId: string
  readonly groupInstanceId?: string
  readonly generation: number
  /** The leader's assignment; others send none. */
  readonly assignment?: Assignment
}

export interface SyncGroupResult {
  readonly error: GroupError
  readonly assignment: readonly TopicPartition[]
}

export interface MemberRequest {
  readonly memberId: string
  readonly groupInstanceId?: string
  readonly generation: number
}

/** Options of a {@link GroupCoordinator}. */
export interface GroupCoordinatorOptions {
  readonly groupId: string
  /** `group.initial.rebalance.delay.ms`. Default 3000. */
  readonly initialRebalanceDelayMs?: number
  /** `group.min.session.timeout.ms`. Default 6000. */
  readonly minSessionTimeoutMs?: number
  /** `group.max.session.timeout.ms`. Default 1800000. */
  readonly maxSessionTimeoutMs?: number
  /** Where the group's events go. Default: the simulation's trace. */
  readonly trace?: TraceOf<GroupEvent>
}

/** How long a new member may wait in its first join before it is dropped (Kafka's `NewMemberJoinTimeoutMs`). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000

interface Member {
  memberId: string
  readonly groupInstanceId: string | undefined
  readonly clientId: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  protocols: readonly ProtocolMetadata[]
  awaitingJoin: ((result: JoinGroupResult) => void) | null
  awaitingSync: ((result: SyncGroupResult) => void) | null
  isNew: boolean
  heartbeatEpoch: number
  assignment: readonly TopicPartition[]
}

/** The coordinator of one consumer group. */
export class GroupCoordinator {
  private groupState: GroupState = "Empty"
  private generationId = 0
  private protocolName: string | null = null
  private leaderId: string | null = null
  private readonly members = new Map<string, Member>()
  private readonly pendingMembers = new Set<string>()
  private readonly pendingSyncMembers = new Set<string>()
  private readonly staticMembers = new Map<string, string>()
  private readonly committed = new Map<string, number>()
  private newMemberAdded = false
  private joinOp: {
    readonly id: number
    readonly initial: boolean
    readonly delayMs: number
    readonly remainingMs: number
  } | null = null
  private syncOp: { readonly id: number; readonly generation: number } | null = null
  private nextOpId = 0
  private readonly trace: TraceOf<GroupEvent>
  private readonly initialDelayMs: number
  private readonly minSessionMs: number
  private readonly maxSessionMs: number

  constructor(
    private readonly sim: Simulation,
    private readonly options: GroupCoordinatorOptions,
  ) {
    this.trace = options.trace ?? sim.trace
    this.initialDelayMs = options.initialRebalanceDelayMs ?? 3000
    this.minSessionMs = options.minSessionTimeoutMs ?? 6000
    this.maxSessionMs = options.maxSessionTimeoutMs ?? 1_800_000
  }

  /** The group's state. */
  get state(): GroupState {
    return this.groupState
  }

  /** The current generation (0 before the first rebalance). */
  get generation(): number {
    return this.generationId
  }

  /** The current leader's member id, or null. */
  get leader(): string | null {
    return this.leaderId
  }

  /** The chosen assignor of the current generation, or null. */
  get protocol(): string | null {
    return this.protocolName
  }

  /** Member ids, in the order the coordinator's map iterates them. */
  get memberIds(): readonly string[] {
    return javaHashMapOrder([...this.members.keys()])
  }

  /** The partitions the coordinator last gave each member (its table, not what members believe). */
  assignmentOf(memberId: string): readonly TopicPartition[] {
    return this.members.get(memberId)?.assignment ?? []
  }

  /** The committed offset of each partition (`t0-3` → next offset to read). */
  get committedOffsets(): ReadonlyMap<string, number> {
    return this.committed
  }

  // ---- JoinGroup ----------------------------------------------------------------------------

  /** Handles a JoinGroup; `respond` is called when the join phase completes (or at once on an error). */
  joinGroup(request: JoinGroupRequest, respond: (result: JoinGroupResult) => void): void {
    if (request.sessionTimeoutMs < this.minSessionMs || request.sessionTimeoutMs > this.maxSessionMs) {
      respond(this.joinError(request.memberId, "INVALID_SESSION_TIMEOUT"))
    } else if (request.memberId === "") this.newMemberJoin(request, respond)
    else this.currentMemberJoin(request, respond)
    if (this.groupState === "PreparingRebalance") this.tryCompleteJoin()
  }

  private newMemberJoin(request: JoinGroupRequest, respond: (result: JoinGroupResult) => void): void {
    if (!this.supportsProtocols(request.protocols)) return respond(this.joinError("", "INCONSISTENT_GROUP_PROTOCOL"))
    const memberId = this.generateMemberId(request.groupInstanceId ?? request.clientId)
    if (request.groupInstanceId !== undefined) {
      const oldMemberId = this.staticMembers.get(request.groupInstanceId)
      if (oldMemberId !== undefined) return this.updateStaticMember(oldMemberId, memberId, request, respond)
      return this.addMemberAndRebalance(memberId, request, respond)
    }
    if (request.requireKnownMemberId ?? true) {
      this.pendingMembers.add(memberId)
      this.scheduleHeartbeatExpiry(memberId, request.sessionTimeoutMs, true)
      return respond(this.joinError(memberId, "MEMBER_ID_REQUIRED"))
    }
    this.addMemberAndRebalance(memberId, request, respond)
  }

  private currentMemberJoin(request: JoinGroupRequest, respond: (result: JoinGroupResult) => void): void {
    const { memberId } = request
    if (!this.supportsProtocols(request.protocols))
      return respond(this.joinError(memberId, "INCONSISTENT_GROUP_PROTOCOL"))
    if (this.pendingMembers.has(memberId)) return this.addMemberAndRebalance(memberId, request, respond)
    const error = this.validateMember(memberId, request.groupInstanceId)
    if (error !== undefined) return respond(this.joinError(memberId, error))
    const member = this.members.get(memberId)!
    const matches = sameProtocols(member.protocols, request.protocols)
    switch (this.groupState) {
      case "PreparingRebalance":
        return this.updateMemberAndRebalance(member, request, respond, "member-rejoined-with-new-metadata")
      case "CompletingRebalance":
        if (matches) return respond(this.joinResult(member))
        return this.updateMemberAndRebalance(member, request, respond, "member-rejoined-with-new-metadata")
      case "Stable":
        if (this.leaderId === memberId)
          return this.updateMemberAndRebalance(member, request, respond, "leader-rejoined")
        if (!matches)
          return this.updateMemberAndRebalance(member, request, respond, "member-rejoined-with-new-metadata")
        return respond({ ...this.joinResult(member), members: [] })
      default:
        return respond(this.joinError(memberId, "UNKNOWN_MEMBER_ID"))
    }
  }

  private addMemberAndRebalance(
    memberId: string,
    request: JoinGroupRequest,
    respond: (result: JoinGroupResult) => void,
  ): void {
    const member: Member = {
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocols: request.protocols,
      awaitingJoin: respond,
      awaitingSync: null,
      isNew: true,
      heartbeatEpoch: 0,
      assignment: [],
    }
    if (this.groupState === "PreparingRebalance" && this.generationId === 0) this.newMemberAdded = true
    if (member.groupInstanceId !== undefined) this.staticMembers.set(member.groupInstanceId, memberId)
    if (this.leaderId === null) this.leaderId = memberId
    this.members.set(memberId, member)
    this.pendingMembers.delete(memberId)
    this.trace.record({
      type: "MemberJoined",
      group: this.options.groupId,
      member: memberId,
      groupInstanceId: member.groupInstanceId ?? null,
    })
    this.completeAndScheduleHeartbeat(member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance("member-joined", memberId)
  }

  private updateMemberAndRebalance(
    member: Member,
    request: JoinGroupRequest,
    respond: (result: JoinGroupResult) => void,
    reason: RebalanceReason,
  ): void {
    member.protocols = request.protocols
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
    member.sessionTimeoutMs = request.sessionTimeoutMs
    member.awaitingJoin = respond
    this.maybePrepareRebalance(reason, member.memberId)
  }

  /** A static member back under a new id: it takes over the old one's place, fencing it. */
  private updateStaticMember(
    oldMemberId: string,
    newMemberId: string,
    request: JoinGroupRequest,
    respond: (result: JoinGroupResult) => void,
  ): void {
    const member = this.members.get(oldMemberId)!
    this.members.delete(oldMemberId)
    const oldJoin = member.awaitingJoin
    const oldSync = member.awaitingSync
    member.awaitingJoin = null
    member.awaitingSync = null
    oldJoin?.(this.joinError(oldMemberId, "FENCED_INSTANCE_ID"))
    oldSync?.({ error: "FENCED_INSTANCE_ID", assignment: [] })
    member.memberId = newMemberId
    this.members.set(newMemberId, member)
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId
    this.staticMembers.set(request.groupInstanceId!, newMemberId)
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId)
    this.trace.record({
      type: "StaticMemberReplaced",
      group: this.options.groupId,
      groupInstanceId: request.groupInstanceId!,
      oldMember: oldMemberId,
      newMember: newMemberId,
    })
    this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
    member.protocols = request.protocols
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
    member.sessionTimeoutMs = request.sessionTimeoutMs
    member.awaitingJoin = respond
    switch (this.groupState) {
      case "Stable":
        if (this.selectProtocol() === this.protocolName) {
          const leaderBefore = this.leaderId
          member.awaitingJoin = null
          return respond({
            error: "NONE",
            memberId: newMemberId,
            generation: this.generationId,
            protocol: this.protocolName,
            leader: leaderBefore,
            members: [],
          })
        }
        return this.maybePrepareRebalance("static-member-changed-protocol", newMemberId)
      case "CompletingRebalance":
        return this.prepareRebalance("member-rejoined-with-new-metadata", newMemberId)
      default:
        return
    }
  }

  // ---- the join phase -----------------------------------------------------------------------

  private maybePrepareRebalance(reason: RebalanceReason, memberId: string): void {
    if (this.groupState === "Stable" || this.groupState === "CompletingRebalance" || this.groupState === "Empty")
      this.prepareRebalance(reason, memberId)
  }

  private prepareRebalance(reason: RebalanceReason, memberId: string): void {
    if (this.groupState === "CompletingRebalance") this.resetAndPropagateAssignmentError()
    this.pendingSyncMembers.clear()
    this.syncOp = null
    const fromEmpty = this.groupState === "Empty"
    const rebalanceTimeoutMs = this.rebalanceTimeoutMs()
    this.groupState = "PreparingRebalance"
    this.trace.record({
      type: "RebalanceStarted",
      group: this.options.groupId,
      generation: this.generationId,
      reason,
      member: memberId,
    })
    if (fromEmpty) {
      this.startJoinOp(true, this.initialDelayMs, Math.max(rebalanceTimeoutMs - this.initialDelayMs, 0))
    } else {
      this.startJoinOp(false, rebalanceTimeoutMs, 0)
      this.tryCompleteJoin()
    }
  }

  private startJoinOp(initial: boolean, delayMs: number, remainingMs: number): void {
    const op = { id: this.nextOpId++, initial, delayMs, remainingMs }
    this.joinOp = op
    this.sim.timeout(delayMs).onProcessed(() => {
      if (this.joinOp !== op) return
      if (op.initial && this.newMemberAdded && op.remainingMs !== 0) {
        this.newMemberAdded = false
        this.startJoinOp(true, Math.min(this.initialDelayMs, op.remainingMs), Math.max(op.remainingMs - op.delayMs, 0))
        return
      }
      this.joinOp = null
      this.onCompleteJoin()
    })
  }

  /** Completes a (non-initial) join phase once every member has rejoined. */
  private tryCompleteJoin(): void {
    const op = this.joinOp
    if (op === null || op.initial) return
    if (!this.hasAllMembersJoined()) return
    this.joinOp = null
    this.onCompleteJoin()
  }

  private hasAllMembersJoined(): boolean {
    return [...this.members.values()].every((member) => member.awaitingJoin !== null) && this.pendingMembers.size === 0
  }

  private onCompleteJoin(): void {
    for (const member of [...this.members.values()]) {
      if (member.awaitingJoin === null && member.groupInstanceId === undefined)
        this.removeMember(member.memberId, "not-rejoined")
    }
    if (!this.electJoinedLeader() && this.members.size > 0) {
      this.startJoinOp(false, this.rebalanceTimeoutMs(), 0)
      return
    }
    this.generationId++
    this.pendingSyncMembers.clear()
    if (this.members.size === 0) {
      this.protocolName = null
      this.groupState = "Empty"
      this.trace.record({
        type: "GenerationStarted",
        group: this.options.groupId,
        generation: this.generationId,
        leader: null,
        protocol: null,
        members: [],
      })
      return
    }
    this.protocolName = this.selectProtocol()
    this.groupState = "CompletingRebalance"
    const ids = this.memberIds
    this.trace.record({
      type: "GenerationStarted",
      group: this.options.groupId,
      generation: this.generationId,
      leader: this.leaderId,
      protocol: this.protocolName,
      members: ids,
    })
    // Answers go out once the new generation is fully set up, so a member that syncs at once finds it ready.
    const answers: (() => void)[] = []
    for (const id of ids) {
      const member = this.members.get(id)!
      const respond = member.awaitingJoin
      const result = this.joinResult(member)
      member.awaitingJoin = null
      if (respond !== null) answers.push(() => respond(result))
      this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
      member.isNew = false
      this.pendingSyncMembers.add(id)
    }
    this.startSyncOp()
    for (const answer of answers) answer()
  }

  /** Keeps the leader if it rejoined; otherwise the first member that did. False if none did. */
  private electJoinedLeader(): boolean {
    if (this.leaderId === null) return true
    if (this.members.get(this.leaderId)?.awaitingJoin != null) return true
    const joined = this.memberIds.find((id) => this.members.get(id)!.awaitingJoin !== null)
    if (joined === undefined) return false
    this.leaderId = joined
    return true
  }

  private joinResult(member: Member): JoinGroupResult {
    const isLeader = this.leaderId === member.memberId
    return {
      error: "NONE",
      memberId: member.memberId,
      generation: this.generationId,
      protocol: this.protocolName,
      leader: this.leaderId,
      members: isLeader ? this.memberIds.map((id) => this.subscriptionOf(this.members.get(id)!)) : [],
    }
  }

  private subscriptionOf(member: Member): MemberSubscription {
    const metadata = member.protocols.find((protocol) => protocol.name === this.protocolName)!
    return {
      memberId: member.memberId,
      ...(member.groupInstanceId === undefined ? {} : { groupInstanceId: member.groupInstanceId }),
      ...metadata.subscription,
    }
  }

  private joinError(memberId: string, error: GroupError): JoinGroupResult {
    return { error, memberId, generation: -1, protocol: null, leader: null, members: [] }
  }

  // ---- SyncGroup ------------------------------------------------------------------------------

  /** Handles a SyncGroup; `respond` is called when the leader's assignment is in (or at once). */
  syncGroup(request: SyncGroupRequest, respond: (result: SyncGroupResult) => void): void {
    const error =
      this.validateMember(request.memberId, request.groupInstanceId) ??
      (request.generation !== this.generationId ? "ILLEGAL_GENERATION" : undefined)
    if (error !== undefined) return respond({ error, assignment: [] })
    const member = this.members.get(request.memberId)!
    switch (this.groupState) {
      case "Empty":
        return respond({ error: "UNKNOWN_MEMBER_ID", assignment: [] })
      case "PreparingRebalance":
        return respond({ error: "REBALANCE_IN_PROGRESS", assignment: [] })
      case "CompletingRebalance":
        member.awaitingSync = respond
        this.pendingSyncMembers.delete(member.memberId)
        if (this.leaderId === member.memberId) this.distribute(request.assignment ?? new Map())
        return
      case "Stable":
        this.pendingSyncMembers.delete(member.memberId)
        respond({ error: "NONE", assignment: member.assignment })
        return this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
      default:
        return respond({ error: "UNKNOWN_MEMBER_ID", assignment: [] })
    }
  }

  private distribute(assignment: Assignment): void {
    for (const member of this.members.values()) member.assignment = assignment.get(member.memberId) ?? []
    this.groupState = "Stable"
    const table = Object.fromEntries(this.memberIds.map((id) => [id, this.members.get(id)!.assignment]))
    this.trace.record({
      type: "AssignmentDistributed",
      group: this.options.groupId,
      generation: this.generationId,
      assignment: table,
    })
    const answers: (() => void)[] = []
    for (const id of this.memberIds) {
      const member = this.members.get(id)!
      const respond = member.awaitingSync
      if (respond === null) continue
      member.awaitingSync = null
      const assignment = member.assignment
      answers.push(() => respond({ error: "NONE", assignment }))
      this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
    }
    for (const answer of answers) answer()
  }

  private resetAndPropagateAssignmentError(): void {
    for (const id of this.memberIds) {
      const member = this.members.get(id)!
      member.assignment = []
      const respond = member.awaitingSync
      if (respond === null) continue
      member.awaitingSync = null
      respond({ error: "REBALANCE_IN_PROGRESS", assignment: [] })
      this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
    }
  }

  private startSyncOp(): void {
    const op = { id: this.nextOpId++, generation: this.generationId }
    this.syncOp = op
    this.sim.timeout(this.rebalanceTimeoutMs()).onProcessed(() => {
      if (this.syncOp !== op) return
      this.syncOp = null
      if (op.generation !== this.generationId) return
      if (this.groupState !== "CompletingRebalance" && this.groupState !== "Stable") return
      if (this.pendingSyncMembers.size === 0) return
      const laggards = [...this.pendingSyncMembers]
      for (const id of laggards) this.removeMember(id, "sync-timeout")
      this.prepareRebalance("sync-timeout", laggards[0]!)
    })
  }

  // ---- heartbeats, leaving, expiry ----------------------------------------------------------

  /** Handles a Heartbeat: `NONE`, or the error that tells the member to rejoin or that it is gone. */
  heartbeat(request: MemberRequest): GroupError {
    const error =
      this.validateMember(request.memberId, request.groupInstanceId) ??
      (request.generation !== this.generationId ? "ILLEGAL_GENERATION" : undefined)
    if (error !== undefined) return error
    if (this.groupState === "Empty") return "UNKNOWN_MEMBER_ID"
    this.completeAndScheduleHeartbeat(
      this.members.get(request.memberId)!,
      this.members.get(request.memberId)!.sessionTimeoutMs,
    )
    return this.groupState === "PreparingRebalance" ? "REBALANCE_IN_PROGRESS" : "NONE"
  }

  /** Handles a LeaveGroup (a consumer closing, or leaving after `max.poll.interval.ms` without a poll). */
  leaveGroup(request: { readonly memberId: string; readonly groupInstanceId?: string }): GroupError {
    if (request.memberId === "" && request.groupInstanceId !== undefined) {
      const current = this.staticMembers.get(request.groupInstanceId)
      if (current === undefined) return "UNKNOWN_MEMBER_ID"
      this.removeMemberAndUpdateGroup(current, "left")
      return "NONE"
    }
    if (this.pendingMembers.delete(request.memberId)) {
      if (this.groupState === "PreparingRebalance") this.tryCompleteJoin()
      return "NONE"
    }
    const error = this.validateMember(request.memberId, request.groupInstanceId)
    if (error !== undefined) return error
    this.removeMemberAndUpdateGroup(request.memberId, "left")
    return "NONE"
  }

  /** Kafka's `completeAndScheduleNextExpiration`: the member is heard; it must be heard again within `timeoutMs`. */
  private completeAndScheduleHeartbeat(member: Member, timeoutMs: number): void {
    this.scheduleHeartbeatExpiry(member.memberId, timeoutMs, false)
  }

  private scheduleHeartbeatExpiry(memberId: string, timeoutMs: number, pending: boolean): void {
    const member = this.members.get(memberId)
    const epoch = member === undefined ? 0 : ++member.heartbeatEpoch
    this.sim.timeout(timeoutMs).onProcessed(() => {
      if (pending) {
        if (this.pendingMembers.delete(memberId) && this.groupState === "PreparingRebalance") this.tryCompleteJoin()
        return
      }
      const current = this.members.get(memberId)
      if (current === undefined || current.heartbeatEpoch !== epoch || this.hasSatisfiedHeartbeat(current)) return
      this.removeMemberAndUpdateGroup(memberId, current.isNew ? "join-timeout" : "session-timeout")
    })
  }

  /** A member waiting in a join or sync phase needs no heartbeat, unless it is new (then it may time out). */
  private hasSatisfiedHeartbeat(member: Member): boolean {
    return !member.isNew && (member.awaitingJoin !== null || member.awaitingSync !== null)
  }

  private removeMemberAndUpdateGroup(memberId: string, reason: RemovalReason): void {
    const member = this.members.get(memberId)!
    const respond = member.awaitingJoin
    member.awaitingJoin = null
    respond?.(this.joinError("", "UNKNOWN_MEMBER_ID"))
    this.removeMember(memberId, reason)
    if (this.groupState === "Stable" || this.groupState === "CompletingRebalance") {
      this.prepareRebalance(reason === "left" ? "member-left" : "session-timeout", memberId)
    } else if (this.groupState === "PreparingRebalance") this.tryCompleteJoin()
  }

  private removeMember(memberId: string, reason: RemovalReason): void {
    const member = this.members.get(memberId)
    if (member === undefined) return
    this.members.delete(memberId)
    if (member.groupInstanceId !== undefined) this.staticMembers.delete(member.groupInstanceId)
    if (this.leaderId === memberId) this.leaderId = this.memberIds[0] ?? null
    this.pendingMembers.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
    this.trace.record({ type: "MemberRemoved", group: this.options.groupId, member: memberId, reason })
  }

  // ---- offsets ------------------------------------------------------------------------------

  /**
   * Handles an OffsetCommit of `offsets` (partition key `t0-3` → next offset to read). Returns
   * `NONE` when stored; a refusal is what the client reports as `CommitFailedException`.
   */
  commitOffsets(request: MemberRequest, offsets: ReadonlyMap<string, number>): GroupError {
    const error = this.validateCommit(request)
    const group = this.options.groupId
    if (error !== undefined) {
      this.trace.record({
        type: "OffsetCommitRejected",
        group,
        member: request.memberId,
        generation: request.generation,
        error,
      })
      return error
    }
    if (this.groupState === "CompletingRebalance") {
      this.trace.record({
        type: "OffsetCommitRejected",
        group,
        member: request.memberId,
        generation: request.generation,
        error: "REBALANCE_IN_PROGRESS",
      })
      return "REBALANCE_IN_PROGRESS"
    }
    const member = this.members.get(request.memberId)
    if (member !== undefined) this.completeAndScheduleHeartbeat(member, member.sessionTimeoutMs)
    for (const [key, offset] of offsets) this.committed.set(key, offset)
    this.trace.record({
      type: "OffsetsCommitted",
      group,
      member: request.memberId,
      generation: request.generation,
      offsets: Object.fromEntries(offsets),
    })
    return "NONE"
  }

  private validateCommit(request: MemberRequest): GroupError | undefined {
    if (request.generation < 0 && this.groupState === "Empty") return undefined
    if (request.generation >= 0 || request.memberId !== "" || request.groupInstanceId !== undefined) {
      return (
        this.validateMember(request.memberId, request.groupInstanceId) ??
        (request.generation !== this.generationId ? "ILLEGAL_GENERATION" : undefined)
      )
    }
    return this.groupState === "Empty" ? undefined : "UNKNOWN_MEMBER_ID"
  }

  /** The committed offset of `tp`, or undefined. */
  committedOffset(tp: TopicPartition): number | undefined {
    return this.committed.get(partitionKey(tp))
  }

  // ---- helpers ------------------------------------------------------------------------------

  private validateMember(memberId: string, groupInstanceId: string | undefined): GroupError | undefined {
    if (groupInstanceId !== undefined) {
      const current = this.staticMembers.get(groupInstanceId)
      if (current === undefined) return "UNKNOWN_MEMBER_ID"
      return current === memberId ? undefined : "FENCED_INSTANCE_ID"
    }
    return this.members.has(memberId) ? undefined : "UNKNOWN_MEMBER_ID"
  }

  private supportsProtocols(protocols: readonly ProtocolMetadata[]): boolean {
    if (protocols.length === 0) return false
    if (this.groupState === "Empty") return true
    return protocols.some((protocol) =>
      [...this.members.values()].every((member) => member.protocols.some((p) => p.name === protocol.name)),
    )
  }

  /** The assignor every member supports that most members prefer (Kafka's vote). */
  private selectProtocol(): string {
    const all = [...this.members.values()]
    const candidates = new Set(
      all[0]!.protocols.map((p) => p.name).filter((name) => all.every((m) => m.protocols.some((p) => p.name === name))),
    )
    const votes = new Map<string, number>()
    for (const member of all) {
      const vote = member.protocols.find((p) => candidates.has(p.name))!.name
      votes.set(vote, (votes.get(vote) ?? 0) + 1)
    }
    let best = ""
    for (const name of javaHashMapOrder([...votes.keys()]))
      if (best === "" || votes.get(name)! > votes.get(best)!) best = name
    return best
  }

  private rebalanceTimeoutMs(): number {
    return [...this.members.values()].reduce((max, member) => Math.max(max, member.rebalanceTimeoutMs), 0)
  }

  /** `clientId-` plus a UUID drawn from the simulation's `kafka-group-member-ids` stream. */
  private generateMemberId(prefix: string): string {
    const random = this.sim.random(`kafka-group-member-ids/${this.options.groupId}`)
    const hex = Array.from({ length: 32 }, () => Math.floor(random.next() * 16).toString(16)).join("")
    return `${prefix}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(random.next() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`
  }
}

function sameProtocols(a: readonly ProtocolMetadata[], b: readonly ProtocolMetadata[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (protocol, i) =>
        protocol.name === b[i]!.name && JSON.stringify(protocol.subscription) === JSON.stringify(b[i]!.subscription),
    )
  )
}
