/**
 * The three checks of a hot-ranking run, judged on what the scenario's observer gathered:
 *
 * - `one-job-per-period`: in no period (a window of `periodMs` of simulated time) did the storage
 *   accept a node's list after a list of another node with a higher token: two holders' jobs both
 *   taking effect. A lease alone does not give it: a holder paused past its lease wakes up and
 *   writes after the next holder did. With fencing it holds. (A handover — the old holder's last
 *   list, then the new holder's first, in one period — is one run per period.)
 * - `no-stale-write-accepted`: the storage never accepted a list whose fencing token was below one
 *   it had already accepted.
 * - `top-k-matches-full-sort`: every list a job computed equals the best K of a full sort of the
 *   same data at the same instant (Reddit: the hot sorted set as Redis held it when the job read it;
 *   HN: the points the job read, scored at the job's clock over its window).
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import { formatMs } from "../../kernel/index.ts"
import type { HotRankingResult } from "./hot-ranking-scenario.ts"

/** `one-job-per-period`: see the file header. */
export function checkOneJobPerPeriod(result: HotRankingResult): CheckResult {
  const name = "one-job-per-period"
  const accepted = result.writes.filter((write) => write.accepted)
  if (result.doublePeriods.length === 0) {
    return holds(
      name,
      `${accepted.length} list(s) accepted; in no period did an older holder's list follow a newer one's`,
    )
  }
  const first = result.doublePeriods[0]!
  const writes = accepted
    .filter((write) => Math.floor(write.t / result.periodMs) === first.period)
    .map(
      (write) =>
        `${write.node}'s (computed for period ${write.period}, token ${write.token}) at t=${formatMs(write.t)}`,
    )
  return fails(
    name,
    `period ${first.period}: storage accepted ${writes.join(" and ")}; ${result.doublePeriods.length} such period(s)`,
  )
}

/** `no-stale-write-accepted`: see the file header. */
export function checkNoStaleWriteAccepted(result: HotRankingResult): CheckResult {
  const name = "no-stale-write-accepted"
  const stale = result.writes.filter((write) => write.accepted && write.token < write.highestToken)
  const rejected = result.writes.filter((write) => !write.accepted).length
  if (stale.length === 0) {
    return holds(name, `no write with a token below an accepted one was accepted (${rejected} rejected)`)
  }
  const first = stale[0]!
  return fails(
    name,
    `t=${formatMs(first.t)}: ${first.node}'s list with token ${first.token} accepted after token ${first.highestToken}; ${stale.length} stale write(s) accepted`,
  )
}

/** `top-k-matches-full-sort`: see the file header. */
export function checkTopKMatchesFullSort(result: HotRankingResult): CheckResult {
  const name = "top-k-matches-full-sort"
  const wrong = result.verifications.filter((verification) => verification.difference !== null)
  if (wrong.length === 0) {
    return holds(name, `all ${result.verifications.length} computed list(s) equal a full sort of the same data`)
  }
  const first = wrong[0]!
  return fails(
    name,
    `${first.node}'s list of period ${first.period} at t=${formatMs(first.t)}: ${first.difference}; ${wrong.length} list(s) differ`,
  )
}

/** The three checks, in the sim's order. */
export function rankingChecks(result: HotRankingResult): CheckResult[] {
  return [checkOneJobPerPeriod(result), checkNoStaleWriteAccepted(result), checkTopKMatchesFullSort(result)]
}
