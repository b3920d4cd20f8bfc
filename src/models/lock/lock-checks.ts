/**
 * The verdicts of a lease-lock run, read from the typed events only (docs/locks.md, "Checks"):
 *
 * - `mutual-exclusion`: at most one client believes it holds the lock at any instant of simulated
 *   time. A client believes from its `LockAcquired` until its `LockBelievedLost`, its
 *   `LockReleased`, or a crash of its node (`NodeCrashed`), whichever comes first.
 * - `no-stale-write-accepted`: the storage accepted no write whose token is below the highest token
 *   it had accepted before — a write from an older holder landing after a newer holder's write
 *   (the storage records the highest token even with fencing off). With fencing on, the storage
 *   rejects those writes, so the check holds whenever fencing is applied to every write that
 *   arrives; it says nothing about writes from an old holder that land before the new holder's
 *   first write, which no storage can tell apart.
 *
 * And the counts: `overlapMs` (time during which two or more clients believed they held it),
 * `staleWritesAccepted`, `staleWritesRejected`, `acquisitions`.
 */
import {
  type CheckResult,
  checkAtMostOneHolder,
  fails,
  holds,
  type HoldInterval,
  listSome,
} from "../../check/core/index.ts"
import type { Traced } from "../../kernel/index.ts"
import type { NetEvent } from "../../net/index.ts"
import type { LockEvent, WriteAccepted, WriteRejected } from "./lock-events.ts"

/** The records a lock run's checks read, in trace order, and the run's end. */
export interface LockHistory {
  readonly records: readonly Traced<LockEvent | NetEvent>[]
  /** The run's end, in ms: beliefs still held then count up to it. */
  readonly endMs: number
}

/** Every holding as the clients believed it: `[LockAcquired, end of belief)`; `to` omitted when still held at the end. */
export function holdIntervals(history: LockHistory): HoldInterval[] {
  const open = new Map<string, { from: number; token: number }>()
  const intervals: HoldInterval[] = []
  const close = (client: string, t: number): void => {
    const held = open.get(client)
    if (held === undefined) return
    open.delete(client)
    intervals.push({ holder: client, from: held.from, to: t, token: held.token })
  }
  for (const record of history.records) {
    if (record.type === "LockAcquired") {
      close(record.client, record.t)
      open.set(record.client, { from: record.t, token: record.token })
    } else if (record.type === "LockBelievedLost" || record.type === "LockReleased") close(record.client, record.t)
    else if (record.type === "NodeCrashed") close(record.node, record.t)
  }
  for (const [holder, { from, token }] of open) intervals.push({ holder, from, token })
  return intervals.sort((a, b) => a.from - b.from)
}

/** Total simulated time, up to `endMs`, during which two or more distinct clients believed they held the lock. */
export function overlapMs(intervals: readonly HoldInterval[], endMs: number): number {
  const edges: { t: number; holder: string; delta: number }[] = []
  for (const interval of intervals) {
    const to = Math.min(interval.to ?? endMs, endMs)
    if (to <= interval.from) continue
    edges.push({ t: interval.from, holder: interval.holder, delta: 1 }, { t: to, holder: interval.holder, delta: -1 })
  }
  edges.sort((a, b) => a.t - b.t || a.delta - b.delta)
  const count = new Map<string, number>()
  let overlap = 0
  let previous = 0
  for (const edge of edges) {
    if (count.size >= 2) overlap += edge.t - previous
    previous = edge.t
    const next = (count.get(edge.holder) ?? 0) + edge.delta
    if (next === 0) count.delete(edge.holder)
    else count.set(edge.holder, next)
  }
  return overlap
}

/** The storage's writes split into stale ones accepted and stale ones rejected (every rejected write is stale). */
export function staleWrites(history: LockHistory): {
  readonly accepted: readonly Traced<WriteAccepted>[]
  readonly rejected: readonly Traced<WriteRejected>[]
} {
  const accepted: Traced<WriteAccepted>[] = []
  const rejected: Traced<WriteRejected>[] = []
  for (const record of history.records) {
    if (record.type === "WriteAccepted" && record.token < record.highestToken) accepted.push(record)
    else if (record.type === "WriteRejected") rejected.push(record)
  }
  return { accepted, rejected }
}

/** `mutual-exclusion`: no two clients believed they held the lock at once (see the file's comment). */
export function checkLockMutualExclusion(history: LockHistory): CheckResult {
  const intervals = holdIntervals(history)
  const verdict = checkAtMostOneHolder(intervals, { name: "mutual-exclusion" })
  if (verdict.held) return verdict
  return fails(
    verdict.name,
    `${verdict.detail}; two or more clients believed they held the lock for ${overlapMs(intervals, history.endMs)}ms in all`,
  )
}

/** `no-stale-write-accepted`: no accepted write carried a token below one accepted before it. */
export function checkNoStaleWriteAccepted(history: LockHistory): CheckResult {
  const name = "no-stale-write-accepted"
  const { accepted, rejected } = staleWrites(history)
  if (accepted.length === 0) {
    const writes = history.records.filter((record) => record.type === "WriteAccepted").length
    return holds(
      name,
      `${writes} writes accepted, none with a token below one accepted before; ${rejected.length} stale writes rejected`,
    )
  }
  const shown = accepted.map(
    (write) =>
      `${write.client}'s write ${write.value} with token ${write.token} at t=${write.t} after token ${write.highestToken}`,
  )
  return fails(name, `${accepted.length} stale writes accepted: ${listSome(shown, 3)}`)
}
