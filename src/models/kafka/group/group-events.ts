/**
 * What a consumer group's coordinator records in the trace: one past-tense event type each, read by
 * the group's checks and timeline.
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
export type RemovalReason = "left" | "session-timeout" | "join-timeout" | "sync-timeout" | "not-rejoined"

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
/** Offsets were committed for the group. */
export interface OffsetsCommitted {
  readonly type: "OffsetsCommitted"
  readonly group: string
  readonly member: string
  readonly generation: number
  readonly offsets: Readonly<Record<string, number>>
}
/** An offset commit was refused (a stale generation or an evicted member: Kafka's CommitFailedException). */
export interface OffsetCommitRejected {
  readonly type: "OffsetCommitRejected"
  readonly group: string
  readonly member: string
  readonly generation: number
  readonly error: string
}

/** Every event of a group coordinator. */
export type GroupEvent =
  | MemberJoined
  | RebalanceStarted
  | GenerationStarted
  | AssignmentDistributed
  | MemberRemoved
  | StaticMemberReplaced
  | OffsetsCommitted
  | OffsetCommitRejected
