/**
 * The check of the alternate-printers lesson:
 *
 * - `prints-in-order`: in every schedule run, every item was printed in order by the right
 *   goroutine before `main` returned, and no goroutine was left blocked forever or deadlocked.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import type { PrinterVerdict } from "./alternate-printers.ts"

/** `prints-in-order` over `verdicts` (schedule counts by verdict); `first` says the first failure in words. */
export function checkPrintsInOrder(verdicts: Readonly<Record<PrinterVerdict, number>>, first: string): CheckResult {
  const name = "prints-in-order"
  const schedules = verdicts.correct + verdicts.outOfOrder + verdicts.deadlocked + verdicts.leaked
  const failing = schedules - verdicts.correct
  if (failing === 0) return holds(name, `right in all ${schedules} schedule(s) run`)
  return fails(name, `wrong in ${failing} of ${schedules} schedule(s); first: ${first}`)
}
