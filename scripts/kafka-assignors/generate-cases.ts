/**
 * Random assignor cases (case-format.ts), for comparing this repository's assignors with Kafka's:
 * `npx tsx scripts/kafka-assignors/generate-cases.ts SEED COUNT > cases.txt`. Layouts mix identical
 * and differing subscriptions, owned partitions from a previous valid assignment (as after a member
 * joins, leaves or crashes) with random damage (stale generations, double claims, vanished topics),
 * and static members.
 */
import seedrandom from "seedrandom"
import {
  ASSIGNOR_NAMES,
  assign,
  type MemberSubscription,
  type TopicPartition,
} from "../../src/models/kafka/group/index.ts"
import { type AssignorCase, formatCase } from "./case-format.ts"

const [seedText = "1", countText = "1000"] = process.argv.slice(2)
const random = seedrandom(seedText)
const int = (n: number): number => Math.floor(random() * n)
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!
const subset = <T>(items: readonly T[]): T[] => {
  const chosen = items.filter(() => random() < 0.6)
  return chosen.length > 0 ? chosen : [pick(items)]
}

const ID_STYLES = [
  (i: number) => `c${i}`,
  (i: number) => `consumer-${i}`,
  (i: number) => `m${(i * 7919) % 100}`,
  (i: number) => `C${i}`,
]

function randomCase(): AssignorCase {
  const topicCount = 1 + int(4)
  const topics = Array.from({ length: topicCount }, (_, i) => `t${i}`)
  const partitionsPerTopic = new Map(topics.map((t) => [t, int(9)]))
  const memberCount = 1 + int(8)
  const style = pick(ID_STYLES)
  const sameSubscriptions = random() < 0.5
  const ids = [...new Set(Array.from({ length: memberCount + 2 }, (_, i) => style(i)))]
  const everyone = ids.map<MemberSubscription>((memberId) => ({
    memberId,
    topics: sameSubscriptions ? topics : subset(topics),
    ...(random() < 0.2 ? { groupInstanceId: `i${int(20)}` } : {}),
  }))
  const before = everyone.slice(0, memberCount + int(2)).filter(() => random() < 0.9)
  const assignorName = pick(ASSIGNOR_NAMES)
  const previous =
    before.length === 0 ? new Map<string, TopicPartition[]>() : assign(pick(ASSIGNOR_NAMES), partitionsPerTopic, before)
  const generation = 1 + int(5)
  const now = everyone.slice(0, memberCount)
  const members = now.map<MemberSubscription>((member) => {
    let owned = previous.get(member.memberId) ?? []
    if (random() < 0.15) owned = [...owned, { topic: pick(topics), partition: int(8) }]
    if (random() < 0.1) owned = owned.filter(() => random() < 0.5)
    const withOwned =
      assignorName === "range" || assignorName === "roundrobin" ? owned.length > 0 && random() < 0.3 : true
    const memberGeneration = random() < 0.15 ? generation - 1 - int(2) : generation
    return {
      ...member,
      ...(withOwned
        ? {
            ownedPartitions: owned.filter(
              (tp) => tp.partition < (partitionsPerTopic.get(tp.topic) ?? 0) || random() < 0.3,
            ),
          }
        : {}),
      ...(withOwned && random() < 0.9 ? { generation: memberGeneration } : {}),
    }
  })
  const groupInstanceIds = new Set<string>()
  const unique = members.map((member) => {
    if (member.groupInstanceId === undefined || !groupInstanceIds.has(member.groupInstanceId)) {
      if (member.groupInstanceId !== undefined) groupInstanceIds.add(member.groupInstanceId)
      return member
    }
    const { groupInstanceId: _, ...rest } = member
    return rest
  })
  return { assignor: assignorName, partitionsPerTopic, members: unique }
}

for (let i = 0; i < Number(countText); i++) console.log(formatCase(randomCase()))
