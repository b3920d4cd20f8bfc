/**
 * The topics of a cluster and their partitions, mapped onto the brokers' flat partition indexes.
 *
 * A layout `t0:3,t1:3` names topics in the order given, each with its partition count; the flat
 * index of `t0p0..t0p2` is `0..2`, of `t1p0..t1p2` `3..5`. Simplification (docs/kafka-consumer-groups.md,
 * "Topics"): the brokers, the controller and the producer keep one log per flat partition, as the
 * single-topic model of part 1 does; topics exist only in this mapping, which consumers and the
 * broker's consumer-facing requests use to speak Kafka's `TopicPartition`s.
 */
import type { TopicPartition } from "./group/topic-partition.ts"

/** One topic of a layout. */
export interface TopicSpec {
  readonly name: string
  readonly partitions: number
}

const TOPIC_NAME = /^[A-Za-z0-9._-]+$/

/** Topics and their flat partition indexes. */
export class TopicLayout {
  /** The topics, in layout order. */
  readonly topics: readonly TopicSpec[]
  /** Partitions over every topic. */
  readonly totalPartitions: number
  private readonly firstIndex = new Map<string, number>()

  /**
   * @throws RangeError on an empty layout, a bad topic name, a repeated topic or a partition count below 1
   */
  constructor(topics: readonly TopicSpec[]) {
    if (topics.length === 0) throw new RangeError("a topic layout needs at least one topic")
    let next = 0
    for (const topic of topics) {
      if (!TOPIC_NAME.test(topic.name))
        throw new RangeError(`topic name "${topic.name}" must be letters, digits, '.', '_' or '-'`)
      if (this.firstIndex.has(topic.name)) throw new RangeError(`topic ${topic.name} is listed twice`)
      if (!Number.isInteger(topic.partitions) || topic.partitions < 1)
        throw new RangeError(`topic ${topic.name} needs an integer partition count >= 1, got ${topic.partitions}`)
      this.firstIndex.set(topic.name, next)
      next += topic.partitions
    }
    this.topics = topics.map((topic) => ({ name: topic.name, partitions: topic.partitions }))
    this.totalPartitions = next
  }

  /**
   * Parses `t0:3,t1:3` (topic name, colon, partition count; comma-separated).
   * @throws RangeError naming the part that is wrong and what is allowed
   */
  static parse(text: string): TopicLayout {
    const topics = text.split(",").map((part) => {
      const match = /^([^:\s]+):(\d+)$/.exec(part.trim())
      if (match === null) throw new RangeError(`"${part}" is not <topic>:<partitions>, e.g. t0:3`)
      return { name: match[1]!, partitions: Number(match[2]) }
    })
    return new TopicLayout(topics)
  }

  /** One topic `name` with `partitions` partitions (the default layout: `t0`). */
  static single(partitions: number, name = "t0"): TopicLayout {
    return new TopicLayout([{ name, partitions }])
  }

  /** True when `tp` names a partition of this layout. */
  has(tp: TopicPartition): boolean {
    const topic = this.topics.find((spec) => spec.name === tp.topic)
    return topic !== undefined && Number.isInteger(tp.partition) && tp.partition >= 0 && tp.partition < topic.partitions
  }

  /** The flat broker partition of `tp`, or -1 when the layout has no such partition. */
  flatIndex(tp: TopicPartition): number {
    if (!this.has(tp)) return -1
    return this.firstIndex.get(tp.topic)! + tp.partition
  }

  /**
   * The topic partition at flat index `index`.
   * @throws RangeError when `index` is outside `0..totalPartitions-1`
   */
  topicPartition(index: number): TopicPartition {
    if (!Number.isInteger(index) || index < 0 || index >= this.totalPartitions)
      throw new RangeError(`flat partition ${index} is outside 0..${this.totalPartitions - 1}`)
    for (const topic of this.topics) {
      const first = this.firstIndex.get(topic.name)!
      if (index < first + topic.partitions) return { topic: topic.name, partition: index - first }
    }
    throw new RangeError(`flat partition ${index} is outside the layout`)
  }

  /** The partitions of `topic` (empty for an unknown topic). */
  partitionsOfTopic(topic: string): TopicPartition[] {
    const spec = this.topics.find((t) => t.name === topic)
    if (spec === undefined) return []
    return Array.from({ length: spec.partitions }, (_, partition) => ({ topic, partition }))
  }

  /** Partition counts by topic, as the assignors take them. */
  partitionsPerTopic(): Map<string, number> {
    return new Map(this.topics.map((topic) => [topic.name, topic.partitions]))
  }

  /** The layout as `t0:3,t1:3`. */
  toString(): string {
    return this.topics.map((topic) => `${topic.name}:${topic.partitions}`).join(",")
  }
}
