/**
 * `no-message-lost` (docs/kafka-consumer-groups.md, "Invariants"): every record acknowledged to a
 * producer is processed at least once by the group — processed meaning the application finished
 * processing it (`ProcessingFinished` with `completed`), not that it was fetched.
 *
 * Read from typed events only: the producer's `BatchAcknowledged` (offsets `baseOffset ..
 * baseOffset + records - 1` of a flat partition, mapped to its topic partition by the caller), the
 * consumers' `ProcessingFinished`, the coordinator's `OffsetsCommitted` and the network's
 * `NodeCrashed`. An acknowledged record the group never finished is
 *
 * - **lost** when it lies below the group's final committed offset of its partition: the group has
 *   declared it done and no consumer will read it again;
 * - **pending** otherwise: the group has not reached it yet (lag at the end of the run), or a
 *   consumer was still processing it when the run ended (it will finish), not a loss.
 *
 * A record finished more than once is a duplicate; `duplicates` counts the extra processings.
 * Each lost or duplicated range is explained from the same events: the commit that carried the
 * committed offset past it (member, time, and why: the `max` rule — the highest finished offset
 * + 1 — or positions committed while the records were still queued or being processed), the
 * crash that followed, and where processing of the partition resumed; for a duplicate, the
 * committed offset the replacement resumed from (and, if one did, the retried older commit that
 * moved it back).
 *
 * At-most-once by design ({@link atMostOnceReason}): a consumer that never commits and resets to
 * `latest` skips by design what a crashed consumer left; the check then holds as not applicable,
 * with the reason and the numbers.
 */
import { type CheckResult, fails, holds, listSome } from "../../../check/core/index.ts"
import { formatMs, type Traced } from "../../../kernel/index.ts"
import type { NetEvent } from "../../../net/index.ts"
import type { KafkaEvent } from "../kafka-events.ts"
import type { CommitReason, GroupEvent } from "./group-events.ts"
import { comparePartitions, formatPartition, partitionKey, type TopicPartition } from "./topic-partition.ts"

/** The events `no-message-lost` reads (any other record is ignored). */
export type MessageLossEvent = GroupEvent | KafkaEvent | NetEvent

/** Options of {@link messageLoss}. */
export interface MessageLossOptions {
  /** The group judged. */
  readonly group: string
  /** The topic partition of the brokers' flat partition `index` (as in `BatchAcknowledged`). */
  readonly partitionOf: (index: number) => TopicPartition
  /** Where the group starts reading `tp` (a seek): records below it are not the group's. Default 0. */
  readonly startOffset?: (tp: TopicPartition) => number
  /** Why the run is at-most-once by design ({@link atMostOnceReason}); undefined: it is not. */
  readonly atMostOnce?: string
}

/** What the group did with the acknowledged records. */
export interface MessageLoss {
  readonly group: string
  /** Acknowledged records the group is to read. */
  readonly acknowledged: number
  /** Acknowledged records finished at least once. */
  readonly processed: number
  /** Acknowledged records never finished and below the final committed offset. */
  readonly lost: number
  /** Extra processings: a record finished three times counts 2. */
  readonly duplicates: number
  /** Acknowledged records not finished: not yet passed by the committed offset (lag), or still being processed at the end. */
  readonly pending: number
  /** Per partition (`t0p1`), the lost offsets as compact ranges (`40-43,50`); only partitions with some. */
  readonly lostOffsets: Readonly<Record<string, string>>
  /** Per partition, the offsets finished more than once, as compact ranges. */
  readonly duplicateOffsets: Readonly<Record<string, string>>
  /** Per partition, the group's committed offset at the end (absent: never committed). */
  readonly committedOffsets: Readonly<Record<string, number>>
  /** One sentence per lost range: the commit that passed it, the crash, the resume. */
  readonly lostExplanations: readonly string[]
  /** One sentence per duplicated range: who processed it twice and where processing resumed. */
  readonly duplicateExplanations: readonly string[]
  /** The reason the run is at-most-once by design, or undefined. */
  readonly atMostOnce: string | undefined
}

/** A commit as the coordinator accepted it, for one partition. */
interface Commit {
  readonly t: number
  readonly member: string
  readonly offset: number
}

/** A finished processing of one offset. */
interface Done {
  readonly t: number
  readonly consumer: string
}

/** Everything about one partition, gathered in one pass. */
interface PartitionFacts {
  readonly tp: TopicPartition
  readonly acknowledged: Set<number>
  readonly done: Map<number, Done[]>
  /** Processing started per offset (first offset of each start and its consumer), for resumes. */
  readonly starts: { t: number; consumer: string; fromOffset: number }[]
  /** Processings started and not finished (yet), by `consumer from-to`: still running at the end. */
  readonly running: Map<string, number>
  readonly commits: Commit[]
  /** Commits as sent, with their rule and reason. */
  readonly sent: Sent[]
}

/** A commit as a consumer sent it (`OffsetsCommitSent`), for one partition. */
interface Sent extends Commit {
  readonly rule: "position" | "max" | "contiguous"
  readonly reason: CommitReason
}

/**
 * The settings under which loss is by design, or undefined: `commit` `none` (never commit) with
 * `auto.offset.reset` `latest` — a replacement starts at the log end and skips, on purpose, what
 * the crashed consumer had not processed.
 */
export function atMostOnceReason(settings: {
  readonly commit: string
  readonly autoOffsetReset: "earliest" | "latest" | "none"
}): string | undefined {
  if (settings.commit === "none" && settings.autoOffsetReset === "latest")
    return "no commits and auto.offset.reset=latest: a replacement starts at the log end"
  return undefined
}

/** Compact ranges of sorted whole numbers: `[1,2,3,7]` → `1-3,7`. */
export function compactRanges(offsets: readonly number[]): string {
  return ranges(offsets)
    .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
    .join(",")
}

function ranges(offsets: readonly number[]): [number, number][] {
  const out: [number, number][] = []
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    const last = out[out.length - 1]
    if (last !== undefined && offset === last[1] + 1) last[1] = offset
    else if (last === undefined || offset > last[1]) out.push([offset, offset])
  }
  return out
}

function factsOf(facts: Map<string, PartitionFacts>, tp: TopicPartition): PartitionFacts {
  const key = partitionKey(tp)
  let f = facts.get(key)
  if (f === undefined)
    facts.set(
      key,
      (f = { tp, acknowledged: new Set(), done: new Map(), starts: [], commits: [], running: new Map(), sent: [] }),
    )
  return f
}

function gather(
  events: readonly Traced<MessageLossEvent>[],
  options: MessageLossOptions,
): { facts: Map<string, PartitionFacts>; crashes: Traced<NetEvent>[] } {
  const facts = new Map<string, PartitionFacts>()
  const crashes: Traced<NetEvent>[] = []
  for (const e of events) {
    if (e.type === "NodeCrashed") {
      crashes.push(e)
      // A crash ends the node's processings: what it had under way is not "still running" at the end.
      for (const f of facts.values())
        for (const key of f.running.keys()) if (key.startsWith(`${e.node} `)) f.running.delete(key)
    } else if (e.type === "BatchAcknowledged") {
      if (e.error !== "NONE" || e.baseOffset < 0) continue
      const f = factsOf(facts, options.partitionOf(e.partition))
      const from = options.startOffset?.(f.tp) ?? 0
      for (let o = Math.max(from, e.baseOffset); o < e.baseOffset + e.records; o++) f.acknowledged.add(o)
    } else if (!("group" in e) || e.group !== options.group) continue
    else if (e.type === "ProcessingStarted") {
      const f = factsOf(facts, e.partition)
      f.starts.push({ t: e.t, consumer: e.consumer, fromOffset: e.fromOffset })
      const key = `${e.consumer} ${e.fromOffset}-${e.toOffset}`
      f.running.set(key, (f.running.get(key) ?? 0) + 1)
    } else if (e.type === "ProcessingFinished") {
      const f = factsOf(facts, e.partition)
      const key = `${e.consumer} ${e.fromOffset}-${e.toOffset}`
      const count = f.running.get(key) ?? 0
      if (count <= 1) f.running.delete(key)
      else f.running.set(key, count - 1)
      if (!e.completed) continue
      const done = f.done
      for (let o = e.fromOffset; o <= e.toOffset; o++) {
        const list = done.get(o)
        if (list === undefined) done.set(o, [{ t: e.t, consumer: e.consumer }])
        else list.push({ t: e.t, consumer: e.consumer })
      }
    } else if (e.type === "OffsetsCommitted")
      for (const [key, offset] of Object.entries(e.offsets)) {
        const f = facts.get(key) ?? factsOf(facts, parseKey(key))
        f.commits.push({ t: e.t, member: e.member, offset })
      }
    else if (e.type === "OffsetsCommitSent")
      for (const [key, offset] of Object.entries(e.offsets)) {
        const f = facts.get(key) ?? factsOf(facts, parseKey(key))
        f.sent.push({ t: e.t, member: e.member, offset, rule: e.rule, reason: e.reason })
      }
  }
  return { facts, crashes }
}

/** Offsets whose processing was still under way when the events end (the run stopped mid-work). */
function runningOffsets(f: PartitionFacts): Set<number> {
  const offsets = new Set<number>()
  for (const key of f.running.keys()) {
    const [from, to] = key
      .slice(key.indexOf(" ") + 1)
      .split("-")
      .map(Number) as [number, number]
    for (let o = from; o <= to; o++) offsets.add(o)
  }
  return offsets
}

function parseKey(key: string): TopicPartition {
  const dash = key.lastIndexOf("-")
  return { topic: key.slice(0, dash), partition: Number(key.slice(dash + 1)) }
}

/** What the group did with every acknowledged record, with explanations. */
export function messageLoss(events: readonly Traced<MessageLossEvent>[], options: MessageLossOptions): MessageLoss {
  const { facts, crashes } = gather(events, options)
  const totals = { acknowledged: 0, processed: 0, lost: 0, duplicates: 0, pending: 0 }
  const lostOffsets: Record<string, string> = {}
  const duplicateOffsets: Record<string, string> = {}
  const committedOffsets: Record<string, number> = {}
  const lostWhy: string[] = []
  const duplicateWhy: string[] = []
  for (const f of [...facts.values()].sort((a, b) => comparePartitions(a.tp, b.tp))) {
    const name = formatPartition(f.tp)
    const committed = f.commits[f.commits.length - 1]?.offset
    if (committed !== undefined) committedOffsets[name] = committed
    const lost: number[] = []
    const twice: number[] = []
    const running = runningOffsets(f)
    for (const offset of f.acknowledged) {
      const done = f.done.get(offset)?.length ?? 0
      totals.acknowledged++
      if (done > 0) totals.processed++
      if (done > 1) twice.push(offset)
      totals.duplicates += Math.max(0, done - 1)
      if (done === 0 && committed !== undefined && offset < committed && !running.has(offset)) lost.push(offset)
      else if (done === 0) totals.pending++
    }
    totals.lost += lost.length
    if (lost.length > 0) lostOffsets[name] = compactRanges(lost)
    if (twice.length > 0) duplicateOffsets[name] = compactRanges(twice)
    for (const range of ranges(lost)) lostWhy.push(explainLoss(f, range, crashes))
    for (const range of ranges(twice)) duplicateWhy.push(explainDuplicate(f, range, crashes))
  }
  return {
    group: options.group,
    ...totals,
    lostOffsets,
    duplicateOffsets,
    committedOffsets,
    lostExplanations: lostWhy,
    duplicateExplanations: duplicateWhy,
    atMostOnce: options.atMostOnce,
  }
}

/** `c1` from member id `c1-…`. */
function consumerOfMember(member: string): string {
  const dash = member.indexOf("-")
  return dash < 0 ? member : member.slice(0, dash)
}

function span([a, b]: readonly [number, number]): string {
  return a === b ? `offset ${a}` : `offsets ${a}-${b}`
}

/** The commit after which the committed offset stayed above `offset` (the last crossing). */
function crossing(commits: readonly Commit[], offset: number): Commit | undefined {
  let found: Commit | undefined
  let previous = -1
  for (const commit of commits) {
    if (commit.offset > offset && previous <= offset) found = commit
    previous = commit.offset
  }
  return found
}

/**
 * The crash of `consumer` that followed `commit`: the first one after the member's previous accepted
 * commit (a commit sent just before a crash is accepted after it: it was in flight).
 */
function crashAfter(
  crashes: readonly Traced<NetEvent>[],
  commits: readonly Commit[],
  commit: Commit,
  consumer: string,
): Traced<NetEvent> | undefined {
  const i = commits.indexOf(commit)
  const previous = commits.slice(0, i).filter((c) => c.member === commit.member)
  const from = previous[previous.length - 1]?.t ?? -Infinity
  return crashes.find((c) => c.type === "NodeCrashed" && c.node === consumer && c.t >= from)
}

function resumeAfter(f: PartitionFacts, t: number): string {
  const next = f.starts.find((s) => s.t > t)
  if (next === undefined) return "no consumer processed the partition again"
  return `${next.consumer} resumed at offset ${next.fromOffset} (${formatMs(next.t)})`
}

const REASONS: Readonly<Record<CommitReason, string>> = {
  auto: "auto-commit",
  sync: "commitSync",
  async: "commitAsync",
  retry: "a retried commitAsync",
  revoke: "the commit on revoke",
  close: "the commit on close",
}

/**
 * Why `commit` carried an offset past the unfinished `offset`: from the commit as sent (its rule and
 * reason) when the trace has it, else from what had finished (the highest finished + 1: the max rule).
 */
function whyCommitted(f: PartitionFacts, commit: Commit, consumer: string, offset: number): string {
  const sent = f.sent.filter((s) => s.member === commit.member && s.offset === commit.offset && s.t <= commit.t)
  const last = sent[sent.length - 1]
  const maxRule = `the highest finished offset ${commit.offset - 1} + 1 while ${offset} was unfinished (the max rule)`
  if (last?.rule === "max") return maxRule
  if (last?.rule === "contiguous") return `the lowest unfinished offset (the contiguous rule)`
  const positions =
    "the position: records handed out but not yet processed (a commit of positions while the workers were still busy)"
  if (last !== undefined) return `${positions}, by ${REASONS[last.reason]}`
  const lastDone = f.done.get(commit.offset - 1)?.some((d) => d.consumer === consumer && d.t <= commit.t) ?? false
  return lastDone ? maxRule : positions
}

function explainLoss(f: PartitionFacts, range: [number, number], crashes: readonly Traced<NetEvent>[]): string {
  const where = `${formatPartition(f.tp)} ${span(range)}`
  const commit = crossing(f.commits, range[0])
  if (commit === undefined) return `${where} lost: never processed, below the committed offset`
  const consumer = consumerOfMember(commit.member)
  const why = whyCommitted(f, commit, consumer, range[0])
  const crash = crashAfter(crashes, f.commits, commit, consumer)
  const inFlight = crash !== undefined && crash.t < commit.t ? " (the commit was in flight and landed after)" : ""
  const after =
    crash === undefined
      ? "no crash of that consumer followed"
      : `${consumer} crashed at ${formatMs(crash.t)} before processing it${inFlight}; ${resumeAfter(f, crash.t)}`
  return `${where} lost: ${consumer} committed ${commit.offset} at ${formatMs(commit.t)}, ${why}; ${after}`
}

function explainDuplicate(f: PartitionFacts, range: [number, number], crashes: readonly Traced<NetEvent>[]): string {
  const where = `${formatPartition(f.tp)} ${span(range)}`
  const [first, second] = f.done.get(range[0])!
  const crash = crashes.find((c) => c.type === "NodeCrashed" && c.node === first!.consumer && c.t >= first!.t)
  const before = f.commits.filter((c) => c.t <= (crash?.t ?? second!.t))
  const committed = before[before.length - 1]
  const moved = movedBack(before, range[0]) || carriedBy(f, committed)
  const base =
    `${where} processed twice: by ${first!.consumer} at ${formatMs(first!.t)}, again by ${second!.consumer} ` +
    `at ${formatMs(second!.t)}`
  const resume = committed === undefined ? "no committed offset" : `the committed offset ${committed.offset}`
  const cause = crash === undefined ? "" : `; ${first!.consumer} crashed at ${formatMs(crash.t)} and`
  return `${base}${cause}${crash === undefined ? "; " : " "}processing resumed from ${resume}${moved}`
}

/** ` (c0's auto-commit at 11026.7ms)`: the commit as sent that carried `commit`, when the trace has it. */
function carriedBy(f: PartitionFacts, commit: Commit | undefined): string {
  if (commit === undefined) return ""
  const sent = f.sent.filter((s) => s.member === commit.member && s.offset === commit.offset && s.t <= commit.t)
  const last = sent[sent.length - 1]
  if (last === undefined) return ""
  return ` (${consumerOfMember(commit.member)}'s ${REASONS[last.reason]} at ${formatMs(commit.t)})`
}

/** A retried older commit that moved the committed offset back to at or below `offset`, if one did. */
function movedBack(commits: readonly Commit[], offset: number): string {
  for (let i = commits.length - 1; i > 0; i--) {
    const [was, now] = [commits[i - 1]!, commits[i]!]
    if (now.offset < was.offset && now.offset <= offset && was.offset > offset)
      return ` (an older commit landing at ${formatMs(now.t)} moved it back from ${was.offset} to ${now.offset})`
  }
  return ""
}

/** The verdict of `no-message-lost` from {@link messageLoss}'s numbers. */
export function checkNoMessageLost(loss: MessageLoss): CheckResult {
  const name = "no-message-lost"
  const counts =
    `${loss.acknowledged} acknowledged, ${loss.processed} processed, ${loss.lost} lost, ` +
    `${loss.duplicates} duplicate(s), ${loss.pending} not reached yet`
  if (loss.atMostOnce !== undefined)
    return holds(name, `not applicable: at-most-once by design (${loss.atMostOnce}); ${counts}`)
  if (loss.lost === 0) return holds(name, `group ${loss.group}: ${counts}`)
  const where = Object.entries(loss.lostOffsets).map(([tp, r]) => `${tp}: ${r}`)
  return fails(
    name,
    `group ${loss.group}: ${counts}; lost ${listSome(where, 3)}. ${listSome(loss.lostExplanations, 2)}`,
  )
}
