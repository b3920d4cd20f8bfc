/**
 * What a consumer group records in the trace — its coordinator and its consumers — one past-tense
 * event type each, read by the group's checks (`group-checks.ts`) and timeline.
 */
import type { TopicPartition } from "./topic-partition.ts"

/** Why the coordinator started a rebalance. */
export type RebalanceReason =
  | "member-joined"
  | "member-left"
  | "member-rejoined-with-new-metadata"
  | "leader-rejoined"
  | "session-timeout"
  | "sync-timeout"
  | "static-member-changed-protocol"

/** Why a member stopped being a member. */
export type RemovalReason =
  | "left"
  | "session-timeout"
  | "join-timeout"
  | "sync-timeout"
  | "not-rejoined"
  /** The broker coordinating the group stopped doing so (failover or crash): membership is rebuilt elsewhere. */
  | "coordinator-unloaded"

/** A member joined for the first time and got its member id. */
export interface MemberJoined {
  readonly type: "MemberJoined"
  readonly group: string
  readonly member: string
  readonly groupInstanceId: string | null
}
/** The group entered PreparingRebalance: every member must rejoin. */
export interface RebalanceStarted {
  readonly type: "RebalanceStarted"
  readonly group: string
  /** The generation being left. */
  readonly generation: number
  readonly reason: RebalanceReason
  readonly member: string
}
/** A join phase completed: a new generation with its leader and assignor, waiting for the leader's assignment. */
export interface GenerationStarted {
  readonly type: "GenerationStarted"
  readonly group: string
  readonly generation: number
  readonly leader: string | null
  readonly protocol: string | null
  readonly members: readonly string[]
}
/** The leader's assignment arrived: the group is Stable and each member receives its partitions. */
export interface AssignmentDistributed {
  readonly type: "AssignmentDistributed"
  readonly group: string
  readonly generation: number
  readonly assignment: Readonly<Record<string, readonly TopicPartition[]>>
}
/** A member stopped being a member (the coordinator's view: it may not know yet). */
export interface MemberRemoved {
  readonly type: "MemberRemoved"
  readonly group: string
  readonly member: string
  readonly reason: RemovalReason
}
/** A static member came back under a new member id, fencing the old one. */
export interface StaticMemberReplaced {
  readonly type: "StaticMemberReplaced"
  readonly group: string
  readonly groupInstanceId: string
  readonly oldMember: string
  readonly newMember: string
}
/**
 * A consumer stopped trusting its coordinator (Kafka's `markCoordinatorUnknown`): its session timer
 * ran out with no heartbeat answered, a request to it timed out, or it answered that it is not
 * the coordinator. The member still believes it owns its partitions; it looks the coordinator up again.
 */
export interface CoordinatorMarkedUnknown {
  readonly type: "CoordinatorMarkedUnknown"
  readonly group: string
  readonly consumer: string
  readonly member: string
  /** The node it had been talking to. */
  readonly coordinator: string
  readonly reason: "session-timeout" | "request-timeout" | "not-coordinator"
}
/** Offsets were committed for the group. */
export interface OffsetsCommitted {
  readonly type: "OffsetsCommitted"
  readonly group: string
  readonly member: string
  readonly generation: number
  readonly offsets: Readonly<Record<string, number>>
}
/** Why a consumer sent a commit: auto-commit in poll, commitSync/commitAsync after a poll, a retried async commit, on revoke, on close. */
export type CommitReason = "auto" | "sync" | "async" | "retry" | "revoke" | "close"

/**
 * A consumer sent a commit (the coordinator's answer is `OffsetsCommitted` or `OffsetCommitRejected`,
 * or nothing): what it carried, `rule` — the positions or a worker pool's commit rule — and why.
 */
export interface OffsetsCommitSent {
  readonly type: "OffsetsCommitSent"
  readonly group: string
  readonly consumer: string
  /** Empty without group management. */
  readonly member: string
  readonly offsets: Readonly<Record<string, number>>
  readonly rule: "position" | "max" | "contiguous"
  readonly reason: CommitReason
}
/** An offset commit was refused (a stale generation or an evicted member: Kafka's CommitFailedException). */
export interface OffsetCommitRejected {
  readonly type: "OffsetCommitRejected"
  readonly group: string
  readonly member: string
  readonly generation: number
  readonly error: string
}

/** A consumer received partitions in an assignment: from now on it owns them (its own view). */
export interface PartitionsAssigned {
  readonly type: "PartitionsAssigned"
  readonly group: string
  readonly consumer: string
  readonly member: string
  readonly generation: number
  readonly partitions: readonly TopicPartition[]
}
/** A consumer gave partitions up (eager: all of them before rejoining; cooperative: the moved ones). */
export interface PartitionsRevoked {
  readonly type: "PartitionsRevoked"
  readonly group: string
  readonly consumer: string
  readonly member: string
  readonly partitions: readonly TopicPartition[]
}
/** A consumer learned that it is no longer a member (evicted) and dropped its partitions. */
export interface PartitionsLost {
  readonly type: "PartitionsLost"
  readonly group: string
  readonly consumer: string
  readonly member: string
  readonly partitions: readonly TopicPartition[]
}
/** A consumer started processing records `fromOffset..toOffset` (inclusive) of a partition. */
export interface ProcessingStarted {
  readonly type: "ProcessingStarted"
  readonly group: string
  readonly consumer: string
  readonly partition: TopicPartition
  readonly fromOffset: number
  readonly toOffset: number
}
/** A consumer finished (or a crash ended) processing records of a partition. */
export interface ProcessingFinished {
  readonly type: "ProcessingFinished"
  readonly group: string
  readonly consumer: string
  readonly partition: TopicPartition
  readonly fromOffset: number
  readonly toOffset: number
  /** False when the consumer crashed mid-batch. */
  readonly completed: boolean
}

/** Every event of a consumer group: the coordinator's and its consumers'. */
export type GroupEvent =
  | MemberJoined
  | RebalanceStarted
  | GenerationStarted
  | AssignmentDistributed
  | MemberRemoved
  | StaticMemberReplaced
  | CoordinatorMarkedUnknown
  | OffsetsCommitted
  | OffsetsCommitSent
  | OffsetCommitRejected
  | PartitionsAssigned
  | PartitionsRevoked
  | PartitionsLost
  | ProcessingStarted
  | ProcessingFinished
