/**
 * The hot-ranking timeline: what a learner should see of a run, in words — each list a job
 * computed (which node, which token, the top three), writes the storage rejected or accepted out of
 * order, failed runs, readers starting and stopping to serve stale lists, and the faults (in the
 * network layer's words). Left out: Redis commands and messages (the votes alone make thousands),
 * job starts (the computed list says the same), and writes accepted in token order.
 */
import { formatMs, formatNumber, type Traced } from "../../kernel/index.ts"
import { describeFaultEvent, isNetEvent, type NetEvent } from "../../net/index.ts"
import { isRankingEvent, type RankingEvent } from "./ranking-events.ts"
import type { RedisEvent } from "../redis/index.ts"

/** A record of a hot-ranking run: the model's events, Redis's and the network's. */
export type RankingRecord = Traced<RankingEvent | RedisEvent | NetEvent>

/** How many entries of a list a timeline line shows. */
const SHOWN = 3

/** True if the timeline shows `record`: the filter of a `TraceSample`. */
export function isRankingTimelineRecord(record: Traced): record is RankingRecord {
  return (isRankingEvent(record) || isNetEvent(record)) && rankingTimeline(record as RankingRecord) !== undefined
}

/** The timeline line of `record`, or undefined when the timeline leaves it out. */
export function rankingTimeline(record: RankingRecord): string | undefined {
  switch (record.type) {
    case "TopKComputed": {
      const top = record.list.slice(0, SHOWN).map((entry) => `${entry.id} ${formatNumber(entry.score, 2)}`)
      const more = record.list.length > SHOWN ? ", ..." : ""
      return `${record.node} computed the list of period ${record.period} (token ${record.token}): ${top.join(", ")}${more}`
    }
    case "JobFailed":
      return `${record.node}'s job of period ${record.period} FAILED: ${record.reason}; the old list stays`
    case "ListWriteAccepted":
      if (record.token >= record.previousToken) return undefined
      return `storage ACCEPTS ${record.node}'s list of period ${record.period} with token ${record.token}, below ${record.previousToken} already accepted: a stale list overwrites a newer one`
    case "ListWriteRejected":
      return `storage REJECTS ${record.node}'s list of period ${record.period}: token ${record.token} < ${record.highestToken} already accepted`
    case "ReadersWentStale":
      return `${record.node}'s readers now serve a STALE list (of period ${record.period}, ${formatMs(record.stalenessMs)} old)`
    case "ReadersCaughtUp":
      return `${record.node}'s readers serve a fresh list again (period ${record.period}) after ${formatMs(record.staleForMs)} of stale ones`
    case "JobStarted":
    case "CommandExecuted":
    case "KeyExpired":
    case "KeyspaceLost":
    case "MessageSent":
    case "MessageDuplicated":
    case "MessageHeld":
    case "MessageDelivered":
    case "MessageDropped":
    case "RpcCalled":
    case "RpcReturned":
    case "RpcReplyIgnored":
      return undefined
    case "PartitionStarted":
    case "PartitionHealed":
    case "LinkFaultStarted":
    case "LinkFaultStopped":
    case "ClockSkewed":
    case "ClockDriftSet":
    case "NodeCrashed":
    case "NodeRestarted":
    case "DiskLost":
    case "NodePaused":
    case "NodeResumed":
    case "HealingStarted":
    case "FaultSkipped":
      return describeFaultEvent(record)
    default:
      return unreachable(record)
  }
}

function unreachable(record: never): never {
  throw new Error(`no timeline decision for ${JSON.stringify(record)}`)
}
