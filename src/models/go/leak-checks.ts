/**
 * The check of the goroutine-leak lesson (docs/go-concurrency.md#goroutine-leaks-and-the-heap):
 *
 * - `goroutines-bounded`: at the end no worker is blocked forever: every parked worker waits on a
 *   handler that has already returned, so nothing will ever wake it, and each one more makes the
 *   live goroutines and the heap grow with the run's length.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import { formatCount, formatNumber } from "../../kernel/index.ts"
import type { LeakResult } from "./leak-scenario.ts"

/** `goroutines-bounded` over a finished run. */
export function checkGoroutinesBounded(result: LeakResult): CheckResult {
  const name = "goroutines-bounded"
  const live = `${formatCount(result.goroutinesAtEnd)} request goroutines live at the end (peak ${formatCount(result.peakGoroutines)})`
  if (result.blockedGoroutines === 0) return holds(name, `no goroutine blocked forever; ${live}`)
  return fails(
    name,
    `${formatCount(result.blockedGoroutines)} workers blocked forever on a send nobody will receive; ${live}, growing ${formatNumber(result.leakRatePerSec, 1)} per second`,
  )
}
