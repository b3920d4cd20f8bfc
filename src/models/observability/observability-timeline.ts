/**
 * The story of a monitored run, one line per event that matters: failed scrapes, alerts going
 * pending, firing and resolving, and the faults as they strike. Successful scrapes and messages are
 * left out (there is one of each per target and interval).
 */
import type { Traced } from "../../kernel/index.ts"
import { describeFaultEvent, isFaultEvent, type NetEvent } from "../../net/index.ts"
import type { ObservabilityEvent } from "./observability-events.ts"

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function observabilityTimeline(record: Traced<ObservabilityEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "TargetScraped":
      return undefined
    case "ScrapeFailed":
      return `scrape of ${record.instance} (job ${record.job}) got no answer: up = 0, its series stale`
    case "AlertPending":
      return `alert ${record.alert} pending: its condition holds at this evaluation`
    case "AlertFired":
      return `alert ${record.alert} firing: its condition held since t=${record.activeAtMs} ms for the whole \`for\``
    case "AlertResolved":
      return record.wasFiring
        ? `alert ${record.alert} resolved: its condition no longer holds`
        : `alert ${record.alert} dropped while pending: its condition stopped holding before \`for\` passed`
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
      return isFaultEvent(record) ? describeFaultEvent(record) : undefined
    default:
      return unreachable(record)
  }
}

function unreachable(record: never): never {
  throw new Error(`observabilityTimeline: unknown record ${JSON.stringify(record)}`)
}
