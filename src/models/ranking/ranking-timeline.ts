/**
 * The hot-ranking timeline: what a learner should see of a run, in words — who acquired the lock
 * with which token and when a holder stopped believing it, each list a job computed (which node,
 * which token, the top three), writes the storage rejected or accepted out of token order, failed
 * runs, readers starting and stopping to serve stale lists, and the faults (in the network layer's
 * words). Left out: Redis commands and messages (the vote flushes alone make hundreds), failed lock
 * attempts and renewals (several per period), job starts (the computed list says the same), and
 * writes accepted in token order.
 */
import { formatMs, formatNumber, type Traced } from "../../kernel/index.ts"
import { isNetEvent, type NetEvent, netTimelineLine } from "../../net/index.ts"
import { isRankingEvent, type RankingEvent } from "./ranking-events.ts"
import type { LockEvent } from "../lock/index.ts"
import type { RedisEvent } from "../redis/index.ts"
import { parseStoredList } from "./list-storage.ts"

/** A record of a hot-ranking run: the model's events, the lock's and the storage's, Redis's and the network's. */
export type RankingRecord = Traced<RankingEvent | LockEvent | RedisEvent | NetEvent>

/** How many entries of a list a timeline line shows. */
const SHOWN = 3

/** True if the timeline shows `record`: the filter of a `TraceSample`. */
export function isRankingTimelineRecord(record: Traced): record is RankingRecord {
  return (
    (isRankingEvent(record) || isLockEvent(record) || isNetEvent(record)) &&
    rankingTimeline(record as RankingRecord) !== undefined
  )
}

/** The timeline line of `record`, or undefined when the timeline leaves it out. */
export function rankingTimeline(record: RankingRecord): string | undefined {
  switch (record.type) {
    case "TopKComputed": {
      const top = record.list
        .slice(0, SHOWN)
        .map((entry) => `${entry.id} ${formatNumber(entry.score, record.formula === "reddit" ? 4 : 2)}`)
      const more = record.list.length > SHOWN ? ", ..." : ""
      return `${record.node} computed the list of period ${record.period} (token ${record.token}): ${top.join(", ")}${more}`
    }
    case "JobFailed":
      return `${record.node}'s job of period ${record.period} FAILED: ${record.reason}; the old list stays`
    case "WriteAccepted": {
      if (record.token >= record.highestToken) return undefined
      const stored = parseStoredList(record.value)!
      return `storage ACCEPTS ${record.client}'s list of period ${stored.period} with token ${record.token}, below ${record.highestToken} already accepted: a stale list overwrites a newer one`
    }
    case "WriteRejected": {
      const stored = parseStoredList(record.value)!
      return `storage REJECTS ${record.client}'s list of period ${stored.period}: token ${record.token} < ${record.highestToken} already accepted`
    }
    case "LockAcquired":
      return `${record.client} acquired the lock: token ${record.token}`
    case "LockBelievedLost":
      return record.reason === "expired"
        ? `${record.client}'s own clock says its lease (token ${record.token}) has run out`
        : `Redis refused to renew ${record.client}'s lease (token ${record.token}): the key is gone or another's`
    case "LockReleased":
      return `${record.client} released the lock (token ${record.token})`
    case "ReadersWentStale":
      return `${record.node}'s readers now serve a STALE list (of period ${record.period}, ${formatMs(record.stalenessMs)} old)`
    case "ReadersCaughtUp":
      return `${record.node}'s readers serve a fresh list again (period ${record.period}) after ${formatMs(record.staleForMs)} of stale ones`
    case "JobStarted":
    case "LockAttemptFailed":
    case "LockAcquireGaveUp":
    case "LockRenewed":
    case "WriteSent":
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
    default:
      return netTimelineLine(record)
  }
}

const LOCK_TYPES: ReadonlySet<string> = new Set<LockEvent["type"]>([
  "LockAcquired",
  "LockAttemptFailed",
  "LockAcquireGaveUp",
  "LockRenewed",
  "LockBelievedLost",
  "LockReleased",
  "WriteSent",
  "WriteAccepted",
  "WriteRejected",
])

function isLockEvent(record: Traced): boolean {
  return LOCK_TYPES.has(record.type)
}
