/**
 * "At most one holder at any instant" over interval records, and "fencing tokens increase with
 * acquisition order".
 *
 * A lock, a lease, a partition's consumer, a leader: each is held by someone over intervals of
 * time. The model reports each holding as `{ holder, from, to }` — from the holder's point of view
 * (when it believed it held), not the lock service's, since that is where exclusion breaks (a
 * paused holder wakes up still believing it holds an expired lease). With fencing, each grant
 * carries a token that the protected resource checks; tokens must grow in acquisition order.
 *
 * Intervals are half-open, `[from, to)`: a release at t and an acquisition at t do not overlap.
 * An interval with `to` omitted is still held at the end of the run. Several intervals of the same
 * holder may overlap; exclusion is about distinct holders.
 *
 * Left out: read/write (shared/exclusive) locks and "at most k holders"; both are small variations.
 */
import { type CheckResult, fails, holds } from "./check-result.ts"

/** One interval during which `holder` held (or believed it held) the resource. */
export interface HoldInterval {
  readonly holder: string
  /** Start, in the model's time unit. */
  readonly from: number
  /** End (exclusive); omitted: still held when the run ended. */
  readonly to?: number
  /** The fencing token granted with this holding, if the design uses fencing. */
  readonly token?: number
}

/** Options of the checkers in this file. */
export interface MutualExclusionOptions {
  /** The verdict's name. Default `at-most-one-holder` / `fencing-tokens-increase`. */
  readonly name?: string
}

function end(interval: HoldInterval): number {
  return interval.to ?? Infinity
}

function show(interval: HoldInterval): string {
  const to = interval.to === undefined ? "the end" : `t=${interval.to}`
  const token = interval.token === undefined ? "" : ` with token ${interval.token}`
  return `${interval.holder} held from t=${interval.from} to ${to}${token}`
}

/** Intervals in acquisition order: by `from`, ties in input order. Empty intervals are dropped. */
function byAcquisition(intervals: readonly HoldInterval[]): HoldInterval[] {
  for (const interval of intervals) {
    if (!(end(interval) >= interval.from))
      throw new RangeError(`interval ends before it starts: ${JSON.stringify(interval)}`)
  }
  return intervals
    .map((interval, index) => ({ interval, index }))
    .sort((a, b) => a.interval.from - b.interval.from || a.index - b.index)
    .map(({ interval }) => interval)
}

/**
 * At every instant, at most one distinct holder. A violation names the earliest instant two
 * holders overlap and both intervals.
 */
export function checkAtMostOneHolder(
  intervals: readonly HoldInterval[],
  options: MutualExclusionOptions = {},
): CheckResult {
  const name = options.name ?? "at-most-one-holder"
  const ordered = byAcquisition(intervals).filter((interval) => end(interval) > interval.from)
  let active: HoldInterval[] = []
  for (const interval of ordered) {
    // Every interval starting before this one has been added; keep those still held at its start.
    // Taken in `from` order, the first clash found starts at the earliest overlapping instant.
    active = active.filter((other) => end(other) > interval.from)
    const rival = active.find((other) => other.holder !== interval.holder)
    if (rival !== undefined) {
      const until = Math.min(end(rival), end(interval))
      return fails(
        name,
        `two holders from t=${interval.from} to ${until === Infinity ? "the end" : `t=${until}`}: ${show(rival)}; ${show(interval)}`,
      )
    }
    active.push(interval)
  }
  const holders = new Set(ordered.map((interval) => interval.holder))
  return holds(name, `${ordered.length} holdings by ${holders.size} holders never overlap`)
}

/**
 * Fencing tokens strictly increase in acquisition order (intervals without a token are skipped).
 * A violation names the first acquisition whose token is not above every earlier one.
 */
export function checkFencingTokens(
  intervals: readonly HoldInterval[],
  options: MutualExclusionOptions = {},
): CheckResult {
  const name = options.name ?? "fencing-tokens-increase"
  const fenced = byAcquisition(intervals).filter((interval) => interval.token !== undefined)
  let highest: HoldInterval | undefined
  for (const interval of fenced) {
    if (highest !== undefined && interval.token! <= highest.token!) {
      return fails(
        name,
        `${interval.holder} acquired at t=${interval.from} with token ${interval.token}, ` +
          `not above token ${highest.token} granted to ${highest.holder} at t=${highest.from}`,
      )
    }
    highest = interval
  }
  return holds(name, `${fenced.length} tokens increase with acquisition order`)
}

/** Both verdicts: {@link checkAtMostOneHolder}, then {@link checkFencingTokens} when any interval has a token. */
export function checkMutualExclusion(intervals: readonly HoldInterval[]): CheckResult[] {
  const results = [checkAtMostOneHolder(intervals)]
  if (intervals.some((interval) => interval.token !== undefined)) results.push(checkFencingTokens(intervals))
  return results
}
