/**
 * The check of the dining-philosophers lesson (docs/go.md, "Dining philosophers"):
 *
 * - `no-deadlock`: no schedule run ended with Go's runtime finding every goroutine asleep.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"

/** What the schedules run came to. */
export interface DeadlockTally {
  /** Schedules run (1 for a seeded run). */
  readonly schedules: number
  /** Of them, deadlocked. */
  readonly deadlocks: number
  /** The first deadlock's wait-for cycle in words, if any. */
  readonly first: string | undefined
}

/** `no-deadlock` over the schedules of `tally`. */
export function checkNoDeadlock(tally: DeadlockTally): CheckResult {
  const name = "no-deadlock"
  if (tally.deadlocks === 0) return holds(name, `no deadlock in ${tally.schedules} schedule(s) run`)
  return fails(name, `deadlocked in ${tally.deadlocks} of ${tally.schedules} schedule(s); ${tally.first ?? ""}`)
}
