/**
 * The story of a lease-lock run, one line per event that matters: acquisitions with their tokens,
 * renewals, leases running out by the client's own clock or refused by the service, releases, a
 * client that wakes from a pause and writes convinced it still holds the lock, the storage
 * accepting or rejecting each write with its token, the lock's key expiring on a server (on etcd:
 * the leases granted, expired or gone, and a session learning its lease is over), and the faults
 * as they strike. Failed attempts, commands, etcd's keys and queue, and messages are left out.
 */
import { formatMs, type Traced } from "../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../net/index.ts"
import { type EtcdEvent, etcdTimeline } from "../etcd/index.ts"
import type { RedisEvent } from "../redis/index.ts"
import type { LockEvent, WriteSent } from "./lock-events.ts"

/** A record a lease-lock run's timeline reads. */
export type LockTimelineRecord = Traced<LockEvent | RedisEvent | EtcdEvent | NetEvent>

function sent(record: WriteSent): string {
  const write = `${record.client} writes ${record.value} with token ${record.token}`
  if (record.checkedMsAgo < record.leftAtCheckMs) return write
  return (
    `${write}, convinced it holds the lock: it checked its lease ${formatMs(record.checkedMsAgo)} ago, ` +
    `when ${formatMs(record.leftAtCheckMs)} of it were left`
  )
}

function lockLine(record: Traced<LockEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "LockAcquired":
      return `${record.client} acquires the lock (${record.service}) with token ${record.token}; valid until its clock reads ${formatMs(record.validUntilMs)}`
    case "LockAttemptFailed":
      return undefined
    case "LockAcquireGaveUp":
      return `${record.client} gives up acquiring${record.attempts === undefined ? "" : ` after ${record.attempts} attempts`}`
    case "LockRenewed":
      return `${record.client} renews its lease (token ${record.token}): valid until its clock reads ${formatMs(record.validUntilMs)}`
    case "LockBelievedLost":
      return record.reason === "expired"
        ? `${record.client}'s own clock says its lease (token ${record.token}) has run out: it stops believing it holds the lock`
        : `the service refuses ${record.client}'s renewal (token ${record.token}): it stops believing it holds the lock`
    case "LockReleased":
      return `${record.client} releases the lock (token ${record.token})`
    case "WriteSent":
      return sent(record)
    case "WriteAccepted":
      return record.token < record.highestToken
        ? `${record.node} accepts ${record.client}'s write ${record.value} with token ${record.token}, below token ${record.highestToken} accepted before: a stale write got in`
        : `${record.node} accepts ${record.client}'s write ${record.value} with token ${record.token}`
    case "WriteRejected":
      return `${record.node} rejects ${record.client}'s write ${record.value}: token ${record.token} is below token ${record.highestToken} accepted before (fencing)`
    default:
      return netTimelineLine(record)
  }
}

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function lockTimeline(record: LockTimelineRecord): string | undefined {
  switch (record.type) {
    case "CommandExecuted":
      return undefined
    case "KeyExpired":
      return record.key === "lock"
        ? `${record.node}: the lock's key expires (${record.way === "lazy" ? "found on access" : "active expiry cycle"})`
        : undefined
    case "KeyspaceLost":
      return `${record.node}: every key lost in the crash (${record.keys}), the lock and the fencing counter with them`
    case "LeaseGranted":
    case "LeaseKeptAlive":
    case "LeaseExpired":
    case "LeaseRevoked":
      return etcdTimeline(record)
    case "SessionExpired":
      return `${etcdTimeline(record)}: it stops believing it holds the lock`
    case "KeyPut":
    case "KeyDeleted":
    case "TxnCommitted":
    case "MutexWaiting":
    case "MutexAcquired":
    case "MutexAbandoned":
    case "MutexReleased":
      return undefined
    default:
      return lockLine(record)
  }
}

/** True for a record the timeline shows. */
export function isLockTimelineRecord(record: Traced): boolean {
  return lockTimeline(record as LockTimelineRecord) !== undefined
}
