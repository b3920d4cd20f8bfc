/**
 * The verdicts of a read-history run (docs/kafka-consumer-groups.md, "The read-history sim"), read
 * from typed events only:
 *
 * - `every-record-seen (<group>)`: every record acknowledged to the producer, from the offsets
 *   where the group started reading, was processed at least once by the group by the end of the
 *   run (the `no-message-lost` accounting of {@link messageLoss}, with nothing pending either);
 * - `first-group-untouched`: the first group's accepted commits — instant, committing consumer and
 *   offsets — are exactly those of the same run without the second group, and all come from its
 *   own members.
 */
import { type CheckResult, fails, holds } from "../../../check/core/index.ts"
import { formatMs, type Traced } from "../../../kernel/index.ts"
import type { MessageLoss, MessageLossEvent } from "./message-loss.ts"

/** `every-record-seen (<group>)`: nothing lost, nothing still unread at the end. */
export function checkEveryRecordSeen(loss: MessageLoss): CheckResult {
  const name = `every-record-seen (${loss.group})`
  const counts = `${loss.acknowledged} to read, ${loss.processed} processed, ${loss.duplicates} processed twice`
  if (loss.lost > 0) return fails(name, `${counts}; lost ${loss.lost}: ${loss.lostExplanations.join("; ")}`)
  if (loss.pending > 0) return fails(name, `${counts}; ${loss.pending} not reached by the end of the run`)
  return holds(name, `${counts}: every record seen at least once`)
}

/** A commit the coordinator accepted. */
export interface CommitAt {
  readonly t: number
  /** The committing consumer's name (its member id's prefix). */
  readonly consumer: string
  readonly offsets: Readonly<Record<string, number>>
}

/** The accepted commits of `group`, in order. */
export function commitsOf(events: readonly Traced<MessageLossEvent>[], group: string): CommitAt[] {
  return events.flatMap((e) =>
    e.type === "OffsetsCommitted" && e.group === group
      ? [{ t: e.t, consumer: e.member.split("-")[0]!, offsets: e.offsets }]
      : [],
  )
}

/**
 * `first-group-untouched`: `mine` (the first group's commits with the second group present) equal
 * `alone` (without it), and every one comes from a consumer in `members`.
 */
export function checkFirstGroupUntouched(
  group: string,
  mine: readonly CommitAt[],
  alone: readonly CommitAt[],
  members: ReadonlySet<string>,
): CheckResult {
  const name = "first-group-untouched"
  const foreign = mine.find((c) => !members.has(c.consumer))
  if (foreign !== undefined) return fails(name, `a commit for ${group} came from ${foreign.consumer}`)
  const same = (a: CommitAt, b: CommitAt) =>
    a.t === b.t && a.consumer === b.consumer && JSON.stringify(a.offsets) === JSON.stringify(b.offsets)
  const n = Math.max(mine.length, alone.length)
  for (let i = 0; i < n; i++) {
    const [a, b] = [mine[i], alone[i]]
    if (a !== undefined && b !== undefined && same(a, b)) continue
    return fails(
      name,
      `the ${group} group's commit ${i + 1}: ${describe(a)} with the second group, ${describe(b)} without it`,
    )
  }
  return holds(
    name,
    `the ${group} group's ${mine.length} accepted commits are the same offsets, by the same consumers, at the same instants as without the second group`,
  )
}

function describe(c: CommitAt | undefined): string {
  if (c === undefined) return "none"
  const offsets = Object.entries(c.offsets)
    .map(([tp, o]) => `${tp.replace("-", "p")}@${o}`)
    .join(" ")
  return `${offsets} by ${c.consumer} at ${formatMs(c.t)}`
}
