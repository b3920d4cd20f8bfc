/**
 * Kafka's own assignor test oracles as properties over random layouts: validity (every partition
 * of a subscribed topic has exactly one owner, who subscribes to its topic), balance (with identical
 * subscriptions; and no two members two apart holding the same topic),
 * stickiness when a member leaves, and the cooperative protocol's two-step moves
 * (never given to a new owner while another still owns it; settled within four rebalances).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  assign,
  type AssignorName,
  type MemberSubscription,
  partitionKey,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"

interface Layout {
  readonly topics: Map<string, number>
  readonly members: MemberSubscription[]
}

const layout = (identical: boolean): fc.Arbitrary<Layout> =>
  fc
    .record({
      counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }),
      memberCount: fc.integer({ min: 1, max: 8 }),
      masks: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 8, maxLength: 8 }),
    })
    .map(({ counts, memberCount, masks }) => {
      const topics = new Map(counts.map((n, i) => [`t${i}`, n]))
      const names = [...topics.keys()]
      const members = Array.from({ length: memberCount }, (_, i) => {
        const chosen = identical ? names : names.filter((_, t) => (masks[i]! >> t) & 1)
        return { memberId: `c${i}`, topics: chosen.length > 0 ? chosen : [names[0]!] }
      })
      return { topics, members }
    })

function owners(assignment: Map<string, TopicPartition[]>): Map<string, string[]> {
  const byPartition = new Map<string, string[]>()
  for (const [id, list] of assignment)
    for (const tp of list) byPartition.set(partitionKey(tp), [...(byPartition.get(partitionKey(tp)) ?? []), id])
  return byPartition
}

function expectValid({ topics, members }: Layout, assignment: Map<string, TopicPartition[]>, complete: boolean): void {
  const byPartition = owners(assignment)
  for (const [key, who] of byPartition) expect(who, `${key} has one owner`).toHaveLength(1)
  for (const member of members) {
    for (const tp of assignment.get(member.memberId)!)
      expect(member.topics, `${member.memberId} subscribes to ${tp.topic}`).toContain(tp.topic)
  }
  if (!complete) return
  const subscribed = new Set(members.flatMap((member) => member.topics))
  for (const [topic, n] of topics) {
    for (let p = 0; p < n; p++)
      expect(byPartition.has(`${topic}-${p}`) === subscribed.has(topic), `${topic}-${p} assigned iff subscribed`).toBe(
        true,
      )
  }
}

const spread = (assignment: Map<string, TopicPartition[]>): number => {
  const sizes = [...assignment.values()].map((list) => list.length)
  return Math.max(...sizes) - Math.min(...sizes)
}

/** Runs cooperative rebalances from `start` (each member's owned = its last assignment) until nothing moves. */
function settle(
  topics: Map<string, number>,
  start: MemberSubscription[],
  check: (round: Map<string, TopicPartition[]>, owned: MemberSubscription[]) => void,
): number {
  let members = start
  for (let round = 1; round <= 6; round++) {
    const assignment = assign("cooperative-sticky", topics, members)
    check(assignment, members)
    const changed = members.some(
      (m) =>
        (m.ownedPartitions ?? []).map(partitionKey).sort().join() !==
        assignment.get(m.memberId)!.map(partitionKey).sort().join(),
    )
    if (!changed) return round
    members = members.map((m) => ({ ...m, ownedPartitions: assignment.get(m.memberId)!, generation: round }))
  }
  return Infinity
}

describe("assignor properties", () => {
  for (const name of ["range", "roundrobin", "sticky"] as AssignorName[]) {
    it(`${name}: every partition of a subscribed topic goes to exactly one subscriber`, () => {
      fc.assert(
        fc.property(fc.boolean().chain(layout), (l) => expectValid(l, assign(name, l.topics, l.members), true)),
        { numRuns: 300 },
      )
    })
  }

  it("roundrobin and sticky with identical subscriptions: counts differ by at most one", () => {
    fc.assert(
      fc.property(layout(true), (l) => {
        expect(spread(assign("roundrobin", l.topics, l.members))).toBeLessThanOrEqual(1)
        expect(spread(assign("sticky", l.topics, l.members))).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 },
    )
  })

  it("sticky: two members whose counts differ by two or more hold no partitions of a common topic", () => {
    fc.assert(
      fc.property(layout(false), (l) => {
        const a = assign("sticky", l.topics, l.members)
        for (const x of l.members) {
          for (const y of l.members) {
            if (a.get(x.memberId)!.length - a.get(y.memberId)!.length < 2) continue
            // Kafka's verifyValidityAndBalance: otherwise a partition could move from x to y for a better balance.
            const yTopics = new Set(a.get(y.memberId)!.map((tp) => tp.topic))
            expect(
              a
                .get(x.memberId)!
                .filter((tp) => yTopics.has(tp.topic))
                .map(partitionKey),
              `${x.memberId} vs ${y.memberId}`,
            ).toEqual([])
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it("sticky with identical subscriptions: when a member leaves, every survivor keeps all its partitions", () => {
    fc.assert(
      fc.property(layout(true), fc.nat(), (l, leaverIndex) => {
        fc.pre(l.members.length >= 2)
        const before = assign("sticky", l.topics, l.members)
        const leaver = l.members[leaverIndex % l.members.length]!.memberId
        const survivors = l.members
          .filter((m) => m.memberId !== leaver)
          .map((m) => ({ ...m, ownedPartitions: before.get(m.memberId)!, generation: 1 }))
        const after = assign("sticky", l.topics, survivors)
        for (const m of survivors) {
          const kept = new Set(after.get(m.memberId)!.map(partitionKey))
          for (const tp of m.ownedPartitions)
            expect(kept.has(partitionKey(tp)), `${m.memberId} keeps ${partitionKey(tp)}`).toBe(true)
        }
        expect(spread(after)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 },
    )
  })

  it("cooperative-sticky: a partition never goes to a new owner while another member still owns it, and the group settles within 4 rebalances", () => {
    fc.assert(
      fc.property(fc.boolean().chain(layout), fc.nat(), (l, joinerIndex) => {
        // Everyone but one member ran a rebalance already; then that member joins.
        const joiner = l.members[joinerIndex % l.members.length]!.memberId
        const first = assign(
          "cooperative-sticky",
          l.topics,
          l.members.filter((m) => m.memberId !== joiner),
        )
        const start = l.members.map((m) => ({ ...m, ownedPartitions: first.get(m.memberId) ?? [], generation: 1 }))
        const rounds = settle(l.topics, start, (assignment, members) => {
          expectValid(l, assignment, false)
          for (const m of members) {
            for (const tp of assignment.get(m.memberId)!) {
              const elsewhere = members.filter(
                (o) =>
                  o.memberId !== m.memberId &&
                  (o.ownedPartitions ?? []).some((p) => partitionKey(p) === partitionKey(tp)),
              )
              expect(
                elsewhere.map((o) => o.memberId),
                `${partitionKey(tp)} given to ${m.memberId} while owned`,
              ).toEqual([])
            }
          }
        })
        expect(rounds).toBeLessThanOrEqual(4)
      }),
      { numRuns: 300 },
    )
  })
})
