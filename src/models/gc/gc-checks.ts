/**
 * The verdicts of the GC lesson, from a finished run's result: no live byte is ever freed; a
 * stop-the-world collector keeps the heap within its GOGC goal (plus one tick's allocation);
 * nothing leaks (reference counting with cycles breaks it, which is its lesson).
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import { formatNumber } from "../../kernel/index.ts"
import type { Collector } from "./gc-heap.ts"
import type { GcRunResult } from "./gc-scenario.ts"

const mb = (bytes: number): string => `${formatNumber(bytes / 2 ** 20, 2)} MB`

/** The heap never fell below the live bytes. */
export function checkNoLiveFreed(result: GcRunResult): CheckResult {
  return result.liveFreedAt.length === 0
    ? holds(
        "no-live-object-freed",
        `the heap stayed >= the live bytes at every tick (${result.collections} collection${result.collections === 1 ? "" : "s"})`,
      )
    : fails("no-live-object-freed", `the heap fell below the live bytes at t=${listSome(result.liveFreedAt)}`)
}

/** Stop-the-world: the heap never exceeded its goal by more than one tick's allocation. */
export function checkWithinGoal(result: GcRunResult, allocBytesPerMs: number): CheckResult {
  return result.maxOvershootBytes <= allocBytesPerMs
    ? holds(
        "heap-within-goal",
        `the heap exceeded its goal by at most ${mb(Math.max(0, result.maxOvershootBytes))} (one tick allocates ${mb(allocBytesPerMs)})`,
      )
    : fails(
        "heap-within-goal",
        `the heap exceeded its goal by ${mb(result.maxOvershootBytes)}, more than one tick's ${mb(allocBytesPerMs)}`,
      )
}

/** Nothing leaked. */
export function checkNoLeak(result: GcRunResult): CheckResult {
  return result.leakedBytes === 0
    ? holds("no-leak", "every dead byte could be freed")
    : fails(
        "no-leak",
        `${mb(result.leakedBytes)} of dead objects in reference cycles can never be freed by reference counting`,
      )
}

/** The checks of a run under `collector`, in report order. */
export function gcChecks(result: GcRunResult, collector: Collector, allocBytesPerMs: number): CheckResult[] {
  return [
    checkNoLiveFreed(result),
    ...(collector === "stw" ? [checkWithinGoal(result, allocBytesPerMs)] : []),
    checkNoLeak(result),
  ]
}
