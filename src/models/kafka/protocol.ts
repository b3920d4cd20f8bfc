/**
 * The messages brokers, the controller and producers exchange, and Kafka's error codes.
 *
 * Every message travels on the simulated network on port {@link KAFKA_PORT}. Names follow Kafka's
 * RPCs: Produce, Fetch (followers pull from the leader; the response carries the leader's high
 * watermark and, on log divergence, the diverging epoch of KIP-320), AlterPartition (a leader asks
 * the controller to shrink or expand the ISR), BrokerHeartbeat, partition state updates (KRaft
 * metadata records, here pushed by the controller) and Metadata (producers find leaders).
 */
import type { LogBatch } from "./partition-log.ts"

/** The port every Kafka message uses. */
export const KAFKA_PORT = "kafka"

/** Kafka error codes the model uses. */
export type KafkaError =
  | "NONE"
  | "NOT_LEADER_OR_FOLLOWER"
  | "NOT_ENOUGH_REPLICAS"
  | "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
  | "REQUEST_TIMED_OUT"
  | "NETWORK_EXCEPTION"
  | "OUT_OF_ORDER_SEQUENCE_NUMBER"
  | "UNKNOWN_PRODUCER_ID"
  | "FENCED_LEADER_EPOCH"

/** The controller's view of one partition (a KRaft `PartitionRecord`/`PartitionChangeRecord`). */
export interface PartitionState {
  readonly type: "partition-state"
  readonly partition: number
  /** Broker id of the leader, or -1 when the partition is offline. */
  readonly leader: number
  readonly leaderEpoch: number
  /** Bumped on every change, ISR changes included. */
  readonly partitionEpoch: number
  readonly isr: readonly number[]
  /** Eligible leader replicas (KIP-966): removed from the ISR while it was below min.insync.replicas, still safe leaders. */
  readonly elr: readonly number[]
  /** The assignment, in preference order. */
  readonly replicas: readonly number[]
}

/** A producer's batch for one partition. */
export interface ProduceRequest {
  readonly type: "produce"
  readonly requestId: number
  readonly partition: number
  /** 0, 1 or -1 (all). */
  readonly acks: 0 | 1 | -1
  /** Producer id (idempotent producers) or -1. */
  readonly producerId: number
  readonly baseSequence: number
  readonly records: readonly number[]
  /** How long the leader may wait for the ISR before answering REQUEST_TIMED_OUT. */
  readonly timeoutMs: number
}

/** The leader's answer to a produce request. */
export interface ProduceResponse {
  readonly type: "produce-response"
  readonly requestId: number
  readonly error: KafkaError
  /** Offset of the first record, or -1. */
  readonly baseOffset: number
  /** The broker that answered. */
  readonly broker: number
  /** The leader epoch it answered in (an observer field: real responses carry it only with errors). */
  readonly leaderEpoch: number
}

/** One partition of a follower's fetch. */
export interface FetchPartition {
  readonly partition: number
  /** The follower's LEO. */
  readonly fetchOffset: number
  /** Epoch of the follower's last batch (for the divergence check), or -1. */
  readonly lastFetchedEpoch: number
  /** The leader epoch the follower believes in. */
  readonly leaderEpoch: number
}

/** A follower's fetch: every partition it follows from this leader. */
export interface FetchRequest {
  readonly type: "fetch"
  readonly follower: number
  /** The follower's fetch session number: stale responses are ignored. */
  readonly session: number
  readonly partitions: readonly FetchPartition[]
}

/** One partition of a fetch response. */
export interface FetchedPartition {
  readonly partition: number
  readonly error: KafkaError
  readonly leaderEpoch: number
  readonly highWatermark: number
  readonly batches: readonly LogBatch[]
  /** Set when the follower's log diverges: truncate to this epoch's end offset. */
  readonly divergingEpoch: number
  readonly divergingEndOffset: number
}

/** The leader's answer to a fetch. */
export interface FetchResponse {
  readonly type: "fetch-response"
  readonly leader: number
  readonly session: number
  readonly partitions: readonly FetchedPartition[]
}

/** A leader asks the controller to change the ISR. */
export interface AlterPartitionRequest {
  readonly type: "alter-partition"
  readonly broker: number
  readonly partition: number
  readonly leaderEpoch: number
  readonly partitionEpoch: number
  readonly isr: readonly number[]
}

/** A broker's heartbeat to the controller (it keeps the broker unfenced). */
export interface BrokerHeartbeat {
  readonly type: "heartbeat"
  readonly broker: number
  /** How many times the broker restarted: a new value is a new registration (KRaft incarnation id). */
  readonly incarnation: number
  /** True when the broker booted without the logs it had (disk lost): it must not lead from an empty log. */
  readonly lostDisk: boolean
}

/** The controller's answer: the state of every partition the broker hosts. */
export interface HeartbeatResponse {
  readonly type: "heartbeat-response"
  readonly states: readonly PartitionState[]
  /** The unfenced brokers (KRaft's registrations, which every broker replays): where group coordinators live. */
  readonly liveBrokers?: readonly number[]
  /** Bumped by the controller at every fence and unfence: a broker keeps the newest view it was told. */
  readonly liveBrokersVersion?: number
}

/** A producer asks for the partition leaders. */
export interface MetadataRequest {
  readonly type: "metadata"
  readonly requestId: number
}

/** The leaders, by partition (-1: none). */
export interface MetadataResponse {
  readonly type: "metadata-response"
  readonly requestId: number
  readonly leaders: readonly number[]
}

/** Any Kafka message. */
export type KafkaMessage =
  | PartitionState
  | ProduceRequest
  | ProduceResponse
  | FetchRequest
  | FetchResponse
  | AlterPartitionRequest
  | BrokerHeartbeat
  | HeartbeatResponse
  | MetadataRequest
  | MetadataResponse

/** Node name of broker `id` (`b1`, `b2`, ...). */
export function brokerNode(id: number): string {
  return "b" + id
}

/** Broker id of the node named `name` (`b3` → 3). */
export function brokerId(name: string): number {
  return Number(name.slice(1))
}

/** Node name of the controller. */
export const CONTROLLER_NODE = "controller"
