/**
 * Check verdicts in text reports: one line per check, `held` or `NOT HELD`, name, detail.
 *
 * The verdict word comes first and in capitals when the check failed, so a failed invariant is
 * the first thing the eye finds in a transcript. On a terminal the verdict is also in colour
 * ({@link paintVerdict}; see `text-style.ts` for when colour is used).
 */
import type { CheckResult } from "../check/core/index.ts"
import { paint } from "./text-style.ts"

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

const VERDICT_LINE = new RegExp(`^(\\s*)(${NOT_HELD}|${HELD})(?=  |$)`)

/**
 * A line of {@link renderChecks} (possibly indented) with its verdict in colour: `NOT HELD` red,
 * `held` green. Other lines (a wrapped detail's continuation) are returned unchanged.
 */
export function paintVerdict(line: string): string {
  return line.replace(
    VERDICT_LINE,
    (_, indent: string, verdict: string) => indent + paint(verdict, verdict === HELD ? "green" : "red"),
  )
}
