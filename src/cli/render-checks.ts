/**
 * Check verdicts in text reports: one line per check, `held` or `NOT HELD`, name, detail.
 *
 * The verdict word comes first and in capitals when the check failed, so a failed invariant is
 * the first thing the eye finds in a transcript.
 */
import type { CheckResult } from "../check/core/index.ts"

/** The word shown for a check that held. */
export const HELD = "held"
/** The word shown for a check that did not hold. */
export const NOT_HELD = "NOT HELD"

/**
 * One line per check: `<verdict>  <name>  <detail>`, verdicts and names padded to one width.
 * No checks → the single line `(no checks)`.
 */
export function renderChecks(checks: readonly CheckResult[]): string[] {
  if (checks.length === 0) return ["(no checks)"]
  const verdictWidth = Math.max(HELD.length, NOT_HELD.length)
  const nameWidth = checks.reduce((widest, check) => Math.max(widest, check.name.length), 0)
  return checks.map((check) => {
    const verdict = (check.held ? HELD : NOT_HELD).padEnd(verdictWidth)
    return `${verdict}  ${check.name.padEnd(nameWidth)}  ${check.detail}`.trimEnd()
  })
}
