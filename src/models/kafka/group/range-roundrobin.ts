/**
 * Kafka's `range` and `roundrobin` assignors, exactly: same inputs, same partitions per member.
 *
 * Members are ordered as Kafka's `AbstractPartitionAssignor.MemberInfo` orders them: members with
 * a `group.instance.id` first, by instance id; then the others, by member id (string order).
 *
 * - **range**, per topic on its own: the members subscribed to it, in that order; with `n`
 *   partitions and `k` members, member `i` gets the contiguous range starting at
 *   `⌊n/k⌋·i + min(i, n mod k)`, of length `⌊n/k⌋ + (i < n mod k ? 1 : 0)`. The first members get
 *   the extra partition of every topic, so skew adds up across topics.
 * - **roundrobin**: every partition of every subscribed topic, sorted by topic name then number,
 *   dealt in turn to the members in order, skipping a member not subscribed to the partition's
 *   topic.
 */
import type { Assignment, MemberSubscription } from "./assignor-types.ts"
import { javaHashMapOrder } from "./java-hash-order.ts"
import { compareStrings, partitionsOf, type TopicPartition } from "./topic-partition.ts"

/** Kafka's `MemberInfo.compareTo`: static members first (by instance id), then by member id. */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  if (a.groupInstanceId !== undefined && b.groupInstanceId !== undefined)
    return compareStrings(a.groupInstanceId, b.groupInstanceId)
  if (a.groupInstanceId !== undefined) return -1
  if (b.groupInstanceId !== undefined) return 1
  return compareStrings(a.memberId, b.memberId)
}

function emptyAssignment(members: readonly MemberSubscription[]): Assignment {
  return new Map(members.map((member) => [member.memberId, [] as TopicPartition[]]))
}

/** Kafka's `RangeAssignor`. */
export function rangeAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  members: readonly MemberSubscription[],
): Assignment {
  const assignment = emptyAssignment(members)
  // Topics in the order Kafka's HashMap of topics iterates them (it decides each member's list order only).
  const byId = new Map(members.map((member) => [member.memberId, member]))
  const inHashOrder = javaHashMapOrder(members.map((member) => member.memberId)).map((id) => byId.get(id)!)
  const topics = javaHashMapOrder([...new Set(inHashOrder.flatMap((member) => member.topics))])
  for (const topic of topics) {
    const count = partitionsPerTopic.get(topic)
    if (count === undefined) continue
    const consumers = members.filter((member) => member.topics.includes(topic)).sort(compareMembers)
    const perConsumer = Math.floor(count / consumers.length)
    const withExtra = count % consumers.length
    const partitions = partitionsOf(topic, count)
    consumers.forEach((consumer, i) => {
      const start = perConsumer * i + Math.min(i, withExtra)
      const length = perConsumer + (i + 1 > withExtra ? 0 : 1)
      assignment.get(consumer.memberId)!.push(...partitions.slice(start, start + length))
    })
  }
  return assignment
}

/** Kafka's `RoundRobinAssignor`. */
export function roundRobinAssign(
  partitionsPerTopic: ReadonlyMap<string, number>,
  members: readonly MemberSubscription[],
): Assignment {
  const assignment = emptyAssignment(members)
  const ring = [...members].sort(compareMembers)
  const topics = [...new Set(members.flatMap((member) => member.topics))].sort(compareStrings)
  let next = 0
  for (const topic of topics) {
    const count = partitionsPerTopic.get(topic)
    if (count === undefined) continue
    for (const partition of partitionsOf(topic, count)) {
      while (!ring[next % ring.length]!.topics.includes(topic)) next++
      assignment.get(ring[next % ring.length]!.memberId)!.push(partition)
      next++
    }
  }
  return assignment
}
