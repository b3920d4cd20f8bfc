/**
 * Kafka's four partition assignors behind one call: `assign(name, partitionsPerTopic, members)`.
 * Each is a pure function of the subscriptions (with owned partitions and generations) and the
 * partition counts, so tests and users can call it directly; see `range-roundrobin.ts` and
 * `sticky-assignor.ts` for the algorithms and docs/kafka-consumer-groups.md for the rules.
 */
import type { Assignment, AssignorName, MemberSubscription, PartitionsPerTopic } from "./assignor-types.ts"
import { rangeAssign, roundRobinAssign } from "./range-roundrobin.ts"
import { cooperativeStickyAssign, stickyAssign } from "./sticky-assignor.ts"

/** The rebalance protocol an assignor supports: `cooperative-sticky` alone is cooperative. */
export function supportsCooperative(name: AssignorName): boolean {
  return name === "cooperative-sticky"
}

/**
 * Assigns the partitions of the subscribed topics to the members with Kafka's assignor `name`.
 * Topics no member subscribes to are ignored, as are subscriptions to topics with no count.
 * @throws RangeError on a duplicate member id or a negative or fractional partition count
 */
export function assign(
  name: AssignorName,
  partitionsPerTopic: PartitionsPerTopic,
  members: readonly MemberSubscription[],
): Assignment {
  const counts = partitionsPerTopic instanceof Map ? partitionsPerTopic : new Map(Object.entries(partitionsPerTopic))
  const subscribed = new Set(members.flatMap((member) => member.topics))
  const relevant = new Map<string, number>()
  for (const [topic, count] of counts) {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`topic ${topic}: partition count must be a whole number >= 0, got ${count}`)
    // As Kafka's AbstractPartitionAssignor: only subscribed topics with at least one partition take part.
    if (subscribed.has(topic) && count > 0) relevant.set(topic, count)
  }
  const ids = new Set<string>()
  for (const member of members) {
    if (ids.has(member.memberId)) throw new RangeError(`member id ${member.memberId} appears twice`)
    ids.add(member.memberId)
  }
  if (members.length === 0) return new Map()
  switch (name) {
    case "range":
      return rangeAssign(relevant, members)
    case "roundrobin":
      return roundRobinAssign(relevant, members)
    case "sticky":
      return stickyAssign(relevant, members)
    case "cooperative-sticky":
      return cooperativeStickyAssign(relevant, members)
  }
}
