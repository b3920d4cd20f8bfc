/**
 * A partition of a topic, as Kafka's `TopicPartition`, with the two spellings the lessons use:
 * Kafka's own `t0-3` (its `toString`) as a map key, and the compact `t0p3` of the consumer-group
 * sims' JSON.
 */

/** Partition `partition` of `topic`. */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** Kafka's spelling, `topic-partition` (unique: the partition is the part after the last `-`). */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`
}

/** The consumer-group sims' spelling: `t0p3`. */
export function formatPartition(tp: TopicPartition): string {
  return `${tp.topic}p${tp.partition}`
}

/** Java's `String.compareTo` on UTF-16 code units, as Kafka sorts topics and member ids. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** By topic name, then partition number (Kafka's usual order of partitions). */
export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition
}

/** Partitions 0..count-1 of `topic`. */
export function partitionsOf(topic: string, count: number): TopicPartition[] {
  return Array.from({ length: count }, (_, partition) => ({ topic, partition }))
}
