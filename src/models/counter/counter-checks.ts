/**
 * The checker `no-lost-counts`: every counter ends equal to the sum of its acknowledged deltas.
 *
 * Per article and counter kind: `expected` is the sum of the acknowledged deltas, `final` the count
 * the article query returns at the end, `lost = expected − final`. A delta whose call timed out is
 * unacknowledged: it may or may not have been applied, so the check allows `final` anywhere between
 * `expected + (unacknowledged negative deltas)` and `expected + (unacknowledged positive deltas)`.
 * Without faults every delta is acknowledged and `final` must equal `expected` exactly.
 *
 * Left out: checking the counts seen during the run (the cache may be stale within a TTL).
 */
import type { CheckResult } from "../../check/core/index.ts"
import type { CounterResult, CounterTally } from "./counter-scenario.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type CounterVerdict = CheckResult

/** True when the tally's final count is one the acknowledged (and maybe-applied) deltas allow. */
export function tallyHolds(tally: CounterTally): boolean {
  return tally.final >= tally.expected + tally.unacknowledgedDown && tally.final <= tally.expected + tally.unacknowledgedUp
}

function describeTally(tally: CounterTally): string {
  const uncertain = tally.unacknowledgedUp - tally.unacknowledgedDown > 0 ? ` (allowed ${tally.expected + tally.unacknowledgedDown}..${tally.expected + tally.unacknowledgedUp}: unacknowledged deltas)` : ""
  return `article ${tally.article} ${tally.kind}: expected ${tally.expected}, final ${tally.final}, lost ${tally.expected - tally.final}${uncertain}`
}

/** `no-lost-counts`: see the file header. */
export function checkNoLostCounts(result: CounterResult): CounterVerdict {
  const name = "no-lost-counts"
  const bad = result.tallies.filter((tally) => !tallyHolds(tally))
  if (bad.length === 0) {
    const acknowledged = result.deltas.length - result.unacknowledged
    return {
      name,
      held: true,
      detail: `all ${result.tallies.length} counters equal the sum of their acknowledged deltas (${acknowledged} acknowledged, ${result.unacknowledged} unacknowledged): expected ${result.expected}, final ${result.final}`,
    }
  }
  const shown = bad.slice(0, 3).map(describeTally).join("; ")
  const more = bad.length > 3 ? `; and ${bad.length - 3} more counters` : ""
  return { name, held: false, detail: `${bad.length} of ${result.tallies.length} counters are off: ${shown}${more}` }
}
