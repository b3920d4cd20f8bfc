/**
 * Running fast-check properties the project's way: one seed per suite, printed, replayable.
 *
 * In CI the seed comes from `FC_SEED` so every run checks the same cases; locally a fresh seed is
 * drawn so repeated runs explore new ones. A failure message is a reproduction: fast-check's report
 * (seed, path, counterexample, shrinks) followed by the command line that replays it.
 *
 * Left out: per-property seeds (one suite seed keeps the replay line short) and custom reporters.
 */
import fc from "fast-check"

/**
 * The suite's fast-check seed: `FC_SEED` when set, else fresh (tests may read the clock; `src/` may
 * not). Every property test reads it from here, so one `FC_SEED` replays them all.
 * @throws RangeError when `FC_SEED` is set but not an integer (a typo must not run other cases)
 */
export const FC_SEED: number = suiteSeed(process.env.FC_SEED)

function suiteSeed(text: string | undefined): number {
  if (text === undefined || text === "") return Math.floor(Math.random() * 2 ** 31)
  const seed = Number(text)
  if (!Number.isInteger(seed)) throw new RangeError(`FC_SEED must be an integer, got "${text}"`)
  return seed
}

/** The command that replays `testFile` (a path from the repository root) with the suite's seed. */
export function replayCommand(testFile: string): string {
  return `FC_SEED=${FC_SEED} npx vitest run ${testFile}`
}

/** Options of {@link checkProperty}. */
export interface CheckPropertyOptions {
  /** The test file, from the repository root, named in the replay line. Required. */
  readonly testFile: string
  /** Cases to run. Default 100. */
  readonly numRuns?: number
}

/**
 * Runs `property` with the suite's seed; on failure throws fast-check's report plus the replay line.
 * @throws Error naming the seed, the path, the shrunk counterexample and the replay command
 */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts>,
  options: CheckPropertyOptions,
): void {
  const details = fc.check(property, { seed: FC_SEED, numRuns: options.numRuns ?? 100 })
  if (details.failed) {
    const cause = details.errorInstance
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new Error(
      `${fc.defaultReportMessage(details)}\nwhat failed: ${why}\nreplay: ${replayCommand(options.testFile)}`,
      { cause },
    )
  }
}
