/**
 * The two hot-ranking formulas, exactly as their sources compute them (docs/ranking.md).
 *
 * Hacker News (the popular simplification of `news.arc`): `(P − 1) / (T + 2)^G`, points P, age T in
 * hours, gravity G = 1.8. The score decays with age, so a list ordered by it goes stale even when
 * nobody votes: it must be recomputed.
 *
 * Reddit "hot" (`_sorts.pyx`): `round(sign(s)·log10(max(|s|, 1)) + (created − 1134028003) / 45000, 7)`
 * with s = ups − downs and `created` in Unix seconds. The score depends on the creation time, not
 * on the current time, so it only changes when votes do: a sorted index can be kept up to date on
 * every vote. `round(x, 7)` is Python's: the exact binary value rounded half to even.
 */

/** HN's gravity: how fast a story sinks with age. */
export const HN_GRAVITY = 1.8

/** Reddit's epoch: 2005-12-08 07:46:43 UTC, in Unix seconds. */
export const REDDIT_EPOCH_SECONDS = 1134028003

/** Seconds of recency worth a tenfold vote difference in Reddit's hot score (12.5 hours). */
export const REDDIT_SECONDS_PER_DECADE = 45000

/**
 * The Hacker News score of a story with `points` points, `ageHours` hours old:
 * `(points − 1) / (ageHours + 2)^gravity`. `hackerNewsScore(100, 2)` is 8.164455...
 */
export function hackerNewsScore(points: number, ageHours: number, gravity: number = HN_GRAVITY): number {
  return (points - 1) / (ageHours + 2) ** gravity
}

/**
 * Reddit's hot score of a post with `ups` and `downs` votes created at `createdSeconds` (Unix
 * seconds), rounded to 7 decimals as Python's `round`. `redditHot(100, 0, 1704067200)` is 12669.5377111.
 */
export function redditHot(ups: number, downs: number, createdSeconds: number): number {
  return redditHotOfScore(ups - downs, createdSeconds)
}

/** Reddit's hot score for a net score `s` = ups − downs (see {@link redditHot}). */
export function redditHotOfScore(s: number, createdSeconds: number): number {
  const order = Math.log10(Math.max(Math.abs(s), 1))
  const sign = s > 0 ? 1 : s < 0 ? -1 : 0
  const seconds = createdSeconds - REDDIT_EPOCH_SECONDS
  return roundHalfEven(sign * order + seconds / REDDIT_SECONDS_PER_DECADE, 7)
}

/**
 * `x` rounded to `digits` decimals as Python 3's `round(x, digits)`: the exact decimal value of the
 * double, rounded half to even (so `roundHalfEven(0.00390625, 7)` is 0.0039062, where
 * `Number(x.toFixed(7))` gives 0.0039063). Values of 1e21 or more, and non-finite ones, are returned as given.
 */
export function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x
  const scale = 10 ** digits
  const scaled = Math.abs(x) * scale
  // Fast path: when x·10^digits is clearly away from a half (by more than its rounding error),
  // rounding the double gives the same integer as rounding the exact value, and integer / 10^digits
  // is the double nearest that decimal (one correctly rounded division), as Python's float(str).
  if (scaled < 2 ** 52 && Number.isSafeInteger(scale)) {
    const fraction = scaled - Math.floor(scaled)
    if (Math.abs(fraction - 0.5) > scaled * 2 ** -48 + 2 ** -40) {
      const magnitude = Math.round(scaled) / scale
      return x < 0 ? -magnitude : magnitude
    }
  }
  return roundHalfEvenExactly(x, digits)
}

/** {@link roundHalfEven} through the exact decimal expansion of `x` (finite, below 1e21). */
export function roundHalfEvenExactly(x: number, digits: number): number {
  const exact = Math.abs(x).toFixed(100)
  const point = exact.indexOf(".")
  const kept = exact.slice(0, point) + exact.slice(point + 1, point + 1 + digits)
  const rest = exact.slice(point + 1 + digits)
  const first = rest.charCodeAt(0) - 48
  const beyondHalf = /[1-9]/.test(rest.slice(1))
  const lastOdd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1
  const up = first > 5 || (first === 5 && (beyondHalf || lastOdd))
  const rounded = (BigInt(kept) + (up ? 1n : 0n)).toString().padStart(digits + 1, "0")
  const magnitude = Number(digits === 0 ? rounded : `${rounded.slice(0, -digits)}.${rounded.slice(-digits)}`)
  return x < 0 ? -magnitude : magnitude
}
