/**
 * Laws for checkers: a checker accepts every fault-free run, and rejects a known-bad one.
 *
 * A checker reads a finished run (its trace, its public state) and reports `{ name, held, detail }`.
 * A checker that rejects a healthy run cries wolf; one that accepts a run known to be broken
 * checks nothing. Every checker should pass both laws before anyone trusts its verdict on a run
 * with faults.
 *
 * Left out: online invariants (they are checked during the run by the model itself).
 */
import { type CheckResult, verdictList } from "../../src/check/core/index.ts"

/** A check's verdict, the shape every invariant and checker reports (from `src/check`). */
export type { CheckResult }

/** A checker: one verdict or several. */
export type Checker<R> = (run: R) => CheckResult | readonly CheckResult[]

/**
 * Runs a fault-free run from `seed` and requires every verdict of `checker` to hold.
 * @returns the verdicts
 * @throws Error naming the seed and every check that did not hold, with its detail
 */
export function lawCheckerAcceptsFaultFreeRuns<R>(
  run: (seed: number) => R,
  checker: Checker<R>,
  seed: number,
): readonly CheckResult[] {
  const results = verdictList(checker(run(seed)))
  if (results.length === 0) throw new Error(`the checker returned no verdict for seed ${seed}`)
  const failed = results.filter((result) => !result.held)
  if (failed.length > 0) {
    const lines = failed.map((result) => `  ${result.name}: ${result.detail}`).join("\n")
    throw new Error(`a fault-free run (seed ${seed}) was rejected:\n${lines}`)
  }
  return results
}

/** What a known-bad run must make the checker say. */
export interface RejectionExpectation {
  /** The check that must not hold. Default: any. */
  readonly name?: string
  /** What its detail must match (e.g. the offending record). Default: anything. */
  readonly detail?: RegExp
}

/**
 * Requires `checker` to reject `badRun` (a trace or state known to break the property).
 * @returns the verdict that did not hold
 * @throws Error when every verdict held, or when the rejecting verdict is not the expected one
 */
export function lawCheckerRejectsKnownBadRun<R>(
  badRun: R,
  checker: Checker<R>,
  expected: RejectionExpectation = {},
): CheckResult {
  const results = verdictList(checker(badRun))
  const failed = results.filter(
    (result) => !result.held && (expected.name === undefined || result.name === expected.name),
  )
  const rejection = failed[0]
  if (rejection === undefined) {
    const shown = results.map((result) => `  ${result.name}: held=${result.held} ${result.detail}`).join("\n")
    throw new Error(
      `the checker accepted a known-bad run${expected.name ? ` (expected ${expected.name} to fail)` : ""}:\n${shown}`,
    )
  }
  if (expected.detail !== undefined && !expected.detail.test(rejection.detail)) {
    throw new Error(
      `${rejection.name} rejected the run, but its detail "${rejection.detail}" does not match ${expected.detail}`,
    )
  }
  return rejection
}
