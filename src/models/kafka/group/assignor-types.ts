/**
 * What a partition assignor gets and gives: the group leader's view of every member's subscription
 * (with the partitions it owns and the generation they date from) and the partition count of
 * every subscribed topic; out comes each member's list of partitions.
 */
import type { TopicPartition } from "./topic-partition.ts"

/** Kafka's assignor names (`partition.assignment.strategy`). */
export type AssignorName = "range" | "roundrobin" | "sticky" | "cooperative-sticky"

/** The assignors, in the order Kafka documents them. */
export const ASSIGNOR_NAMES: readonly AssignorName[] = ["range", "roundrobin", "sticky", "cooperative-sticky"]

/** One member's subscription, as the group leader receives it. */
export interface MemberSubscription {
  /** The member id the coordinator gave it. */
  readonly memberId: string
  /** `group.instance.id` of a static member; absent for a dynamic one. */
  readonly groupInstanceId?: string
  /** The topics it subscribes to. */
  readonly topics: readonly string[]
  /**
   * The partitions it owns: under the cooperative protocol, what it still holds; under the eager
   * one, the previous assignment the sticky assignor encodes in its user data. Default none.
   */
  readonly ownedPartitions?: readonly TopicPartition[]
  /** The generation `ownedPartitions` date from; absent when unknown. */
  readonly generation?: number
}

/** Each member's partitions, in the order the assignor produced them. */
export type Assignment = Map<string, TopicPartition[]>

/** Partition count of each topic; topics nobody subscribes to are ignored. */
export type PartitionsPerTopic = ReadonlyMap<string, number> | Readonly<Record<string, number>>
