/**
 * The Kafka model's timeline: one line of text per record of `KafkaEvent | NetEvent`, or undefined
 * for records a timeline never shows (messages). Which records a sim shows is its choice (a
 * `TraceSample` predicate); how each one reads is decided here, once, by an exhaustive switch, so a
 * new event type does not compile until it has a line.
 *
 * Faults read as `describeFaultEvent` tells them, except a broker's crash, restart and disk loss,
 * which say what they mean for its log (a crashed broker keeps its log on disk).
 */
import { formatMs, type Traced } from "../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../net/index.ts"
import type { KafkaEvent } from "./kafka-events.ts"

/** The timeline line of `record`, or undefined when no timeline shows it. */
export function kafkaTimelineLine(record: Traced<KafkaEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "RecordsAppended":
      return `b${record.broker} appends offsets ${range(record.baseOffset, record.count)} (epoch ${record.epoch})`
    case "RecordsReplicated":
      return `b${record.broker} fetched offsets ${range(record.fromOffset, record.count)} from b${record.leader}`
    case "DuplicateBatchDiscarded":
      return duplicateLine(record)
    case "HighWatermarkAdvanced":
      return `b${record.broker} advances the high watermark to ${record.highWatermark}: offsets below it are committed`
    case "LogTruncated":
      return (
        `b${record.broker} TRUNCATES partition ${record.partition} from offset ${record.toOffset}` +
        ` (LEO ${record.fromOffset} → ${record.toOffset}) to match b${record.leader}`
      )
    case "LeadershipAssumed":
      return `b${record.broker} leads partition ${record.partition} from offset ${record.endOffset} (epoch ${record.leaderEpoch})`
    case "BrokerFenced":
      return `controller fences b${record.broker} (no heartbeat within the session timeout)`
    case "BrokerUnfenced":
      return `controller unfences b${record.broker}`
    case "BrokerDiskLost":
      return `controller drops b${record.broker}, back without its log, from every ISR`
    case "LeaderElected":
      return electionLine(record)
    case "IsrChanged":
      return `partition ${record.partition} ISR becomes {${brokers(record.isr)}} (${record.reason})`
    case "BatchAcknowledged":
      return ackLine(record)
    case "ProduceErrorReceived":
      return `produce to b${record.broker} fails: ${record.error} (retried)`
    case "DeliveryFailed":
      return `producer gives up on ${record.records} record(s): ${record.error}`
    case "ConsumerFetchAnswered":
      return consumerFetchLine(record)
    case "GroupCoordinatorLoaded":
    case "GroupCoordinatorUnloaded":
      return coordinatorLine(record)
    case "NodeCrashed":
      return `${record.node} CRASHES (its log stays on disk)`
    case "NodeRestarted":
      return `${record.node} restarts`
    case "DiskLost":
      return `${record.node} loses its disk`
    default:
      return netTimelineLine(record)
  }
}

function duplicateLine(record: Traced<Extract<KafkaEvent, { type: "DuplicateBatchDiscarded" }>>): string {
  return (
    `b${record.broker} drops a retried batch: sequence ${record.baseSequence}` +
    ` is at offset ${record.baseOffset} of partition ${record.partition}`
  )
}

function coordinatorLine(
  record: Traced<Extract<KafkaEvent, { type: "GroupCoordinatorLoaded" | "GroupCoordinatorUnloaded" }>>,
): string {
  if (record.type === "GroupCoordinatorLoaded") {
    const offsets = Object.keys(record.offsets).length
    return (
      `b${record.broker} becomes coordinator of group ${record.group}` +
      ` (offsets partition ${record.offsetsPartition}), loading ${offsets} committed offset(s)`
    )
  }
  return (
    `b${record.broker} stops coordinating group ${record.group} (${record.reason}):` +
    ` generation ${record.generation} and its ${record.members.length} member(s) are gone`
  )
}

function electionLine(record: Traced<Extract<KafkaEvent, { type: "LeaderElected" }>>): string {
  if (record.leader < 0)
    return `partition ${record.partition} OFFLINE: no live ISR member (ISR ${record.isr.join(",")})`
  const unclean = record.unclean ? ", UNCLEAN: outside the ISR" : ""
  return `controller elects b${record.leader} for partition ${record.partition} (epoch ${record.leaderEpoch}${unclean})`
}

function consumerFetchLine(record: Traced<Extract<KafkaEvent, { type: "ConsumerFetchAnswered" }>>): string {
  const tp = `${record.topic}p${record.partition}`
  if (record.error !== "NONE")
    return `b${record.broker} answers a consumer fetch of ${tp} at ${record.fetchOffset}: ${record.error}`
  const waited = record.waitedMs > 0 ? ` after ${formatMs(record.waitedMs)} parked` : ""
  if (record.count === 0)
    return `b${record.broker} answers a consumer fetch of ${tp} at ${record.fetchOffset} with nothing (HW ${record.highWatermark})${waited}`
  return (
    `b${record.broker} hands a consumer offsets ${range(record.fetchOffset, record.count)} of ${tp}` +
    ` (HW ${record.highWatermark})${waited}`
  )
}

function ackLine(record: Traced<Extract<KafkaEvent, { type: "BatchAcknowledged" }>>): string {
  if (record.baseOffset < 0) return `producer counts ${record.records} record(s) as sent (acks=0: no answer)`
  return `producer gets the ack for offsets ${range(record.baseOffset, record.records)} from b${record.broker}`
}

/** `from-last` for `count` offsets from `from`. */
function range(from: number, count: number): string {
  return `${from}-${from + count - 1}`
}

/** Broker ids as names: `[2, 3]` → `b2,b3`. */
function brokers(ids: readonly number[]): string {
  return ids.map((id) => "b" + id).join(",")
}
