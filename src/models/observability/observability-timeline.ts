/**
 * The story of a monitored run, one line per event that matters: failed scrapes, alerts going
 * pending, firing and resolving, and the faults as they strike. Successful scrapes and messages are
 * left out (there is one of each per target and interval).
 */
import type { Traced } from "../../kernel/index.ts"
import { type NetEvent, netTimelineLine } from "../../net/index.ts"
import type { ObservabilityEvent } from "./observability-events.ts"

/** The timeline line of a record, or undefined when the timeline leaves it out. */
export function observabilityTimeline(record: Traced<ObservabilityEvent | NetEvent>): string | undefined {
  switch (record.type) {
    case "TargetScraped":
      return undefined
    case "ScrapeFailed":
      return `scrape of ${record.instance} (job ${record.job}) got no answer: up = 0, its series stale`
    case "AlertPending":
      return `alert ${record.alert} pending: its condition holds at the evaluation at t=${record.activeAtMs} ms`
    case "AlertFired":
      return `alert ${record.alert} firing at the evaluation at t=${record.tMs} ms: its condition held since t=${record.activeAtMs} ms for the whole \`for\``
    case "AlertResolved":
      return record.wasFiring
        ? `alert ${record.alert} resolved at the evaluation at t=${record.tMs} ms: its condition no longer holds`
        : `alert ${record.alert} dropped while pending: its condition stopped holding before \`for\` passed`
    default:
      return netTimelineLine(record)
  }
}
