/**
 * The consumer-group invariants, judged from the group's typed events (docs/kafka-consumer-groups.md,
 * "Invariants"):
 *
 * - `one-owner-per-partition`: per group, at no instant do two members own one partition. A member
 *   owns a partition from the moment it receives it in an assignment until it revokes it or loses
 *   it — or until the coordinator removes the member (or fences a static member's old id), at that
 *   instant, even if the member has not noticed (an evicted member is not a member). Checked on the members' side, so an eager
 *   revocation that comes late, or a cooperative move done in one step, would show.
 * - `no-concurrent-processing`: no two consumers process records of one partition at the same
 *   instant, whoever they believe they are. This one breaks by design when a member is paused
 *   past the session timeout: it wakes up and finishes its batch after its partitions moved.
 *
 * Both reduce to "at most one holder at any instant" (`checkAtMostOneHolder` of the check core)
 * over intervals per partition.
 */
import {
  type CheckResult,
  checkAtMostOneHolder,
  fails,
  holds,
  type HoldInterval,
  listSome,
} from "../../../check/core/index.ts"
import type { Traced } from "../../../kernel/index.ts"
import type { GroupEvent } from "./group-events.ts"
import { partitionKey } from "./topic-partition.ts"

/** Per partition (`t0-3`), the intervals during which each holder held it. */
export type PartitionIntervals = Map<string, HoldInterval[]>

function open(map: Map<string, Map<string, number>>, key: string, holder: string, t: number): void {
  let holders = map.get(key)
  if (holders === undefined) map.set(key, (holders = new Map()))
  if (!holders.has(holder)) holders.set(holder, t)
}

function close(
  map: Map<string, Map<string, number>>,
  intervals: PartitionIntervals,
  key: string,
  holder: string,
  t: number,
): void {
  const from = map.get(key)?.get(holder)
  if (from === undefined) return
  map.get(key)!.delete(holder)
  add(intervals, key, { holder, from, to: t })
}

function add(intervals: PartitionIntervals, key: string, interval: HoldInterval): void {
  const list = intervals.get(key)
  if (list === undefined) intervals.set(key, [interval])
  else list.push(interval)
}

function flush(map: Map<string, Map<string, number>>, intervals: PartitionIntervals): PartitionIntervals {
  for (const [key, holders] of map) for (const [holder, from] of holders) add(intervals, key, { holder, from })
  return intervals
}

/** Ownership intervals of `group`'s partitions, member by member, from the members' side. */
export function ownershipIntervals(events: readonly Traced<GroupEvent>[], group: string): PartitionIntervals {
  const owning = new Map<string, Map<string, number>>()
  const intervals: PartitionIntervals = new Map()
  for (const event of events) {
    if (event.group !== group) continue
    switch (event.type) {
      case "PartitionsAssigned":
        for (const tp of event.partitions) open(owning, partitionKey(tp), event.member, event.t)
        break
      case "PartitionsRevoked":
      case "PartitionsLost":
        for (const tp of event.partitions) close(owning, intervals, partitionKey(tp), event.member, event.t)
        break
      case "MemberRemoved":
      case "StaticMemberReplaced": {
        // A removed member, or a static member's old id fenced by its successor, is no member any more.
        const member = event.type === "MemberRemoved" ? event.member : event.oldMember
        for (const [key, holders] of owning) if (holders.has(member)) close(owning, intervals, key, member, event.t)
        break
      }
      default:
        break
    }
  }
  return flush(owning, intervals)
}

/** Processing intervals of `group`'s partitions, consumer by consumer (whatever member it believes it is). */
export function processingIntervals(events: readonly Traced<GroupEvent>[], group: string): PartitionIntervals {
  const processing = new Map<string, Map<string, number>>()
  const intervals: PartitionIntervals = new Map()
  for (const event of events) {
    if (event.group !== group) continue
    if (event.type === "ProcessingStarted") open(processing, partitionKey(event.partition), event.consumer, event.t)
    else if (event.type === "ProcessingFinished")
      close(processing, intervals, partitionKey(event.partition), event.consumer, event.t)
  }
  return flush(processing, intervals)
}

function atMostOnePerPartition(name: string, intervals: PartitionIntervals, what: string): CheckResult {
  const broken: string[] = []
  for (const key of [...intervals.keys()].sort()) {
    const verdict = checkAtMostOneHolder(intervals.get(key)!, { name })
    if (!verdict.held) broken.push(`${key}: ${verdict.detail}`)
  }
  if (broken.length === 0) return holds(name, `${intervals.size} partition(s) ${what}, never two at once`)
  return fails(name, listSome(broken, 3))
}

/** `one-owner-per-partition` for `group`. */
export function checkOneOwnerPerPartition(events: readonly Traced<GroupEvent>[], group: string): CheckResult {
  return atMostOnePerPartition("one-owner-per-partition", ownershipIntervals(events, group), "owned")
}

/** `no-concurrent-processing` for `group`. */
export function checkNoConcurrentProcessing(events: readonly Traced<GroupEvent>[], group: string): CheckResult {
  return atMostOnePerPartition("no-concurrent-processing", processingIntervals(events, group), "processed")
}
