/**
 * The consumer group's timeline: one line of text per record of `GroupEvent | NetEvent`, or
 * undefined for records a timeline never shows (messages, processing, accepted commits: hundreds a
 * second). An exhaustive switch, so a new event type does not compile until it has a line.
 *
 * Member ids read as their consumer's name plus the id's first characters (`c1-3f2a…`), as a
 * reader tells members apart. A partition received after a stretch with no owner says how long
 * that stretch was, when the caller passes `unownedBefore`.
 */
import { formatMs, type Traced } from "../../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../../net/index.ts"
import type { GroupEvent } from "./group-events.ts"
import { formatPartition, partitionKey, type TopicPartition } from "./topic-partition.ts"

/** What the timeline may know besides the record. */
export interface GroupTimelineContext {
  /** How long `tp` (key `t0-3`) had had no owner when it was assigned at `t`; undefined: owned before. */
  readonly unownedBefore?: (key: string, t: number) => number | undefined
  /** Give accepted commits and processing a line too (the kafka-commit sim picks the few it shows). Default false. */
  readonly commitsAndProcessing?: boolean
}

const COORDINATOR_LOST: Readonly<Record<string, string>> = {
  "session-timeout": "session.timeout.ms passed without a heartbeat answered",
  "request-timeout": "a request to it timed out",
  "not-coordinator": "it answered it is not the coordinator",
}

/** The timeline line of `record`, or undefined when no timeline shows it. */
export function groupTimelineLine(
  record: Traced<GroupEvent | NetEvent>,
  context: GroupTimelineContext = {},
): string | undefined {
  switch (record.type) {
    case "MemberJoined":
      return `${member(record.member)} joins the group${record.groupInstanceId === null ? "" : ` (static: ${record.groupInstanceId})`}`
    case "RebalanceStarted":
      return `coordinator starts a rebalance after generation ${record.generation}: ${reason(record.reason)} (${member(record.member)})`
    case "GenerationStarted":
      return `generation ${record.generation}: ${record.members.map(member).join(", ")}; leader ${record.leader === null ? "none" : member(record.leader)} assigns with ${record.protocol ?? "?"}`
    case "AssignmentDistributed":
      return `generation ${record.generation} assignment: ${Object.entries(record.assignment)
        .map(([m, tps]) => `${member(m)} [${list(tps)}]`)
        .join(", ")}`
    case "MemberRemoved":
      return `coordinator REMOVES ${member(record.member)}: ${removal(record.reason)}`
    case "StaticMemberReplaced":
      return `${record.groupInstanceId} is back as ${member(record.newMember)}: its old id ${member(record.oldMember)} is fenced, no rebalance`
    case "OffsetCommitRejected":
      return `coordinator REFUSES a commit from ${member(record.member)} (generation ${record.generation}): ${record.error}`
    case "PartitionsAssigned":
      return record.partitions.length === 0 ? undefined : assignedLine(record, context)
    case "PartitionsRevoked":
      return `${record.consumer} revokes [${list(record.partitions)}]`
    case "PartitionsLost":
      return `${record.consumer} learns it was evicted: loses [${list(record.partitions)}] without committing`
    case "CoordinatorMarkedUnknown":
      return `${record.consumer} marks coordinator ${record.coordinator} unknown: ${COORDINATOR_LOST[record.reason]}`
    case "OffsetsCommitSent":
      return undefined
    case "OffsetsCommitted":
    case "ProcessingStarted":
    case "ProcessingFinished":
      return context.commitsAndProcessing === true ? commitOrProcessingLine(record) : undefined
    default:
      return netTimelineLine(record)
  }
}

function commitOrProcessingLine(
  record: Traced<Extract<GroupEvent, { type: "OffsetsCommitted" | "ProcessingStarted" | "ProcessingFinished" }>>,
): string {
  if (record.type === "OffsetsCommitted") {
    const offsets = Object.entries(record.offsets).map(
      ([key, offset]) => `${key.replace(/-(\d+)$/, "p$1")} at ${offset}`,
    )
    return `${member(record.member)} commits ${offsets.join(", ")} (the next offset to read)`
  }
  const what = `${formatPartition(record.partition)} ${offsetSpan(record.fromOffset, record.toOffset)}`
  if (record.type === "ProcessingStarted") return `${record.consumer} starts processing ${what}`
  return record.completed
    ? `${record.consumer} finishes processing ${what}`
    : `${record.consumer}'s crash interrupts the processing of ${what}: unfinished`
}

function offsetSpan(from: number, to: number): string {
  return from === to ? `offset ${from}` : `offsets ${from}-${to}`
}

function assignedLine(
  record: Traced<Extract<GroupEvent, { type: "PartitionsAssigned" }>>,
  context: GroupTimelineContext,
) {
  const gaps = record.partitions.flatMap((tp) => {
    const ms = context.unownedBefore?.(partitionKey(tp), record.t)
    return ms === undefined || ms <= 0 ? [] : [`${formatPartition(tp)} had no owner for ${formatMs(ms)}`]
  })
  const after = gaps.length === 0 ? "" : ` (${gaps.join(", ")})`
  return `${record.consumer} gets [${list(record.partitions)}] in generation ${record.generation}${after}`
}

/** `c1-3f2a…`: the consumer's name and the start of the id's UUID. */
function member(id: string): string {
  const dash = id.indexOf("-")
  return dash < 0 ? id : `${id.slice(0, dash)}-${id.slice(dash + 1, dash + 5)}…`
}

function list(tps: readonly TopicPartition[]): string {
  return tps.map(formatPartition).join(",")
}

function reason(r: Extract<GroupEvent, { type: "RebalanceStarted" }>["reason"]): string {
  switch (r) {
    case "member-joined":
      return "a member joined"
    case "member-left":
      return "a member left"
    case "member-rejoined-with-new-metadata":
      return "a member rejoined with a new subscription or owned partitions"
    case "leader-rejoined":
      return "the leader rejoined"
    case "session-timeout":
      return "a member's session timed out"
    case "sync-timeout":
      return "a member never synced"
    case "static-member-changed-protocol":
      return "a static member came back with a new subscription"
  }
}

function removal(r: Extract<GroupEvent, { type: "MemberRemoved" }>["reason"]): string {
  switch (r) {
    case "left":
      return "it sent LeaveGroup"
    case "session-timeout":
      return "no heartbeat within the session timeout"
    case "join-timeout":
      return "it did not rejoin in time"
    case "sync-timeout":
      return "it never synced"
    case "not-rejoined":
      return "it did not rejoin the rebalance"
    case "coordinator-unloaded":
      return "its coordinator stopped coordinating the group (failover): it must rejoin elsewhere"
  }
}
