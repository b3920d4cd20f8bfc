/**
 * The story of a run on the simulated etcd, one line per event that matters: leases granted and
 * lost, keys put and deleted with their revisions, who waits on whom in the Mutex queue, who holds
 * with which token, sessions that end, and the faults as they strike. Keep-alives and messages are
 * left out (one every TTL/3 per client would drown the story); transactions show through their
 * writes.
 */
import { formatMs, type Traced } from "../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../net/index.ts"
import type { EtcdEvent, KeyDeleted, MutexAbandoned } from "./etcd-events.ts"

/** The lease id as etcd prints it (hex). */
function hex(lease: number): string {
  return lease.toString(16)
}

const DELETE_CAUSES: Record<KeyDeleted["cause"], string> = {
  delete: "deleted",
  "lease-expired": "deleted: its lease expired",
  "lease-revoked": "deleted: its lease was revoked",
}

const ABANDON_REASONS: Record<MutexAbandoned["reason"], string> = {
  deadline: "gave up waiting (deadline)",
  "session-expired": "found its lease gone (session expired)",
  unreachable: "got no answer from etcd",
}

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function etcdTimeline(record: Traced<EtcdEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "LeaseGranted":
      return `${record.node}: lease ${hex(record.lease)} granted to ${record.client}, TTL ${formatMs(record.ttlMs)}`
    case "LeaseKeptAlive":
      return record.ttlMs > 0 ? undefined : `${record.node}: keep-alive of lease ${hex(record.lease)} → TTL 0 (gone)`
    case "LeaseExpired":
      return `${record.node}: lease ${hex(record.lease)} EXPIRED (no keep-alive within its TTL)`
    case "LeaseRevoked":
      return `${record.node}: lease ${hex(record.lease)} revoked`
    case "KeyPut":
      return `${record.node}: put ${record.key} by ${record.client} at revision ${record.revision}`
    case "KeyDeleted":
      return `${record.node}: ${record.key} ${DELETE_CAUSES[record.cause]} at revision ${record.revision}`
    case "TxnCommitted":
      return undefined
    case "MutexWaiting":
      return `${record.node} waits: ${record.key} (revision ${record.createRevision}) watches ${record.predecessor}`
    case "MutexAcquired":
      return `${record.node} holds the lock: ${record.key}, token ${record.token}, lease valid until t=${formatMs(record.validUntilMs)} by its clock`
    case "MutexAbandoned":
      return `${record.node} ${ABANDON_REASONS[record.reason]}; ${record.key} abandoned`
    case "MutexReleased":
      return record.deleted > 0
        ? `${record.node} released the lock (token ${record.token})`
        : `${record.node} released the lock (token ${record.token}), but its key was already gone`
    case "SessionExpired":
      return record.reason === "deadline-passed"
        ? `${record.node}: its clock says lease ${hex(record.lease)} is over (no keep-alive answer within the TTL)`
        : `${record.node}: etcd says lease ${hex(record.lease)} is gone`
    default:
      return netLine(record)
  }
}

function netLine(record: Traced<NetEvent>): string | undefined {
  switch (record.type) {
    default:
      return netTimelineLine(record)
  }
}

/** True for a record the timeline shows. */
export function isEtcdTimelineRecord(record: Traced): boolean {
  return etcdTimeline(record as Traced<EtcdEvent | NetEvent>) !== undefined
}
