/**
 * The messages a Kafka consumer exchanges with brokers, as RPC requests and replies over the
 * simulated network (`src/net/rpc.ts`): finding the group coordinator, the classic group protocol
 * (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), offset commits and fetches, a consumer's Fetch
 * (read up to the high watermark) and ListOffsets (the earliest and latest offsets, for
 * `auto.offset.reset` and `seekToBeginning`/`seekToEnd`).
 *
 * The broker side answers them in the coordinator service and the broker's consumer-fetch
 * handler; the client side sends them from the consumer. Every request is one RPC: the reply comes
 * back over the network, or the call times out on the client's clock (a lost or partitioned
 * request, a crashed or paused broker). The shapes follow Kafka's request schemas, keeping the
 * fields a lesson uses (docs/kafka-consumer-groups.md).
 *
 * Topics: the brokers keep one log per flat partition index; a topic layout (`t0:3,t1:3`) names
 * the flat partitions `t0p0..t0p2, t1p0..t1p2` in that order. Requests and replies speak
 * {@link TopicPartition}s; the broker maps them to its flat partitions.
 */
import type { Assignment } from "./assignor-types.ts"
import type {
  GroupError,
  JoinGroupRequest,
  JoinGroupResult,
  MemberRequest,
  SyncGroupResult,
} from "./group-coordinator.ts"
import type { TopicPartition } from "./topic-partition.ts"

/** The RPC service group requests travel on (coordinator side). */
export const GROUP_SERVICE = "kafka-group"
/** The RPC service consumer fetches and offset listings travel on (partition leader side). */
export const CONSUMER_FETCH_SERVICE = "kafka-consumer-fetch"

/** Errors a consumer's requests can be answered with besides the group errors. */
export type ConsumerError =
  | GroupError
  | "NOT_COORDINATOR"
  | "COORDINATOR_NOT_AVAILABLE"
  | "COORDINATOR_LOAD_IN_PROGRESS"
  | "NOT_LEADER_OR_FOLLOWER"
  | "OFFSET_OUT_OF_RANGE"
  | "UNKNOWN_TOPIC_OR_PARTITION"

/** FindCoordinator: which broker coordinates `groupId`. Any broker answers. */
export interface FindCoordinatorRequest {
  readonly type: "find-coordinator"
  readonly groupId: string
}

export interface FindCoordinatorReply {
  readonly error: ConsumerError
  /** The coordinator's node name (`b2`), or null with an error. */
  readonly node: string | null
}

export interface JoinGroupMessage {
  readonly type: "join-group"
  readonly groupId: string
  readonly request: JoinGroupRequest
}

/** A JoinGroup reply: the coordinator's result, or `NOT_COORDINATOR` when asked the wrong broker. */
export type JoinGroupReply = JoinGroupResult | { readonly error: "NOT_COORDINATOR" | "COORDINATOR_NOT_AVAILABLE" }

export interface SyncGroupMessage {
  readonly type: "sync-group"
  readonly groupId: string
  readonly memberId: string
  readonly groupInstanceId?: string
  readonly generation: number
  /** The leader's assignment; others send none. */
  readonly assignment?: Assignment
}

export type SyncGroupReply = SyncGroupResult | { readonly error: "NOT_COORDINATOR" | "COORDINATOR_NOT_AVAILABLE" }

export interface HeartbeatMessage extends MemberRequest {
  readonly type: "heartbeat"
  readonly groupId: string
}

export interface LeaveGroupMessage {
  readonly type: "leave-group"
  readonly groupId: string
  readonly memberId: string
  readonly groupInstanceId?: string
}

/** OffsetCommit: `offsets` maps a partition to the next offset to read (Kafka's committed offset). */
export interface OffsetCommitMessage extends MemberRequest {
  readonly type: "offset-commit"
  readonly groupId: string
  readonly offsets: readonly { readonly tp: TopicPartition; readonly offset: number }[]
}

/** OffsetFetch: the committed offsets of `partitions` (-1 where none was committed). */
export interface OffsetFetchMessage {
  readonly type: "offset-fetch"
  readonly groupId: string
  readonly partitions: readonly TopicPartition[]
}

export interface OffsetFetchReply {
  readonly error: ConsumerError
  readonly offsets: readonly { readonly tp: TopicPartition; readonly offset: number }[]
}

/** Heartbeat, LeaveGroup and OffsetCommit are answered with an error code only (`NONE` on success). */
export interface ErrorReply {
  readonly error: ConsumerError
}

/** Every request on {@link GROUP_SERVICE}. */
export type GroupRequest =
  | FindCoordinatorRequest
  | JoinGroupMessage
  | SyncGroupMessage
  | HeartbeatMessage
  | LeaveGroupMessage
  | OffsetCommitMessage
  | OffsetFetchMessage

/** One partition of a consumer's fetch. */
export interface ConsumerFetchPartition {
  readonly tp: TopicPartition
  /** The consumer's position: the offset of the next record it wants. */
  readonly fetchOffset: number
}

/**
 * A consumer's Fetch to a partition leader: records from `fetchOffset` up to the high watermark
 * (never beyond: a consumer reads committed data only), at most `maxRecords` per partition. With
 * nothing to return the leader parks the fetch up to `maxWaitMs` (`fetch.max.wait.ms`, 500) and
 * answers as soon as a record arrives.
 */
export interface ConsumerFetchRequest {
  readonly type: "consumer-fetch"
  readonly partitions: readonly ConsumerFetchPartition[]
  readonly maxWaitMs: number
  readonly maxRecords: number
}

/**
 * One partition of a consumer fetch's answer. Its records are at consecutive offsets from the
 * fetch offset (logs here have no gaps: no compaction, no transaction markers), so they travel as
 * the ids in offset order, as Kafka ships a run of record batches rather than records one by one.
 */
export interface ConsumerFetchedPartition {
  readonly tp: TopicPartition
  readonly error: ConsumerError
  readonly highWatermark: number
  /** The first offset still in the log (0: logs never shrink from the front in this model). */
  readonly logStartOffset: number
  /** Offset of the first record: the fetch offset (-1 with an error). */
  readonly firstOffset: number
  /** Ids of the records (the ids the workload gave them) at `firstOffset`, `firstOffset + 1`, ... */
  readonly ids: readonly number[]
}

export interface ConsumerFetchReply {
  readonly partitions: readonly ConsumerFetchedPartition[]
}

/** ListOffsets: `earliest` is the log start offset, `latest` the high watermark. */
export interface ListOffsetsRequest {
  readonly type: "list-offsets"
  readonly partitions: readonly TopicPartition[]
  readonly at: "earliest" | "latest"
}

export interface ListOffsetsReply {
  readonly offsets: readonly { readonly tp: TopicPartition; readonly error: ConsumerError; readonly offset: number }[]
}

/** Every request on {@link CONSUMER_FETCH_SERVICE}. */
export type ConsumerFetchServiceRequest = ConsumerFetchRequest | ListOffsetsRequest
