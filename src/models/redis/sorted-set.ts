/**
 * A Redis sorted set: members with double scores, ordered by score, ties by member in byte order
 * (`memcmp` of the UTF-8 bytes), as Redis orders its skip list.
 *
 * Scores live in a map, so `ZINCRBY` and `ZSCORE` cost one lookup; the ordered view is sorted when
 * first read after a change and kept until the next change. That suits the simulator's workloads
 * (many increments, periodic top-K reads); a skip list would make a read after every write cheaper.
 * See docs/redis.md ("Sorted sets").
 */

/**
 * Compares two strings by their UTF-8 bytes. UTF-16 code units order the same way except that
 * surrogates (characters from U+10000) sort below U+E000..U+FFFF, while their UTF-8 bytes sort above.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800 && x <= 0xdfff && y >= 0xe000) return 1
    if (y >= 0xd800 && y <= 0xdfff && x >= 0xe000) return -1
    return x - y
  }
  return a.length - b.length
}

/** Members and scores, with an ordered view. */
export class SortedSet {
  private readonly scores = new Map<string, number>()
  private ordered: string[] | null = null

  /** Number of members. */
  get size(): number {
    return this.scores.size
  }

  /** The score of `member`, or undefined. */
  score(member: string): number | undefined {
    return this.scores.get(member)
  }

  /** Sets the score of `member`, adding it if new. */
  set(member: string, score: number): void {
    const previous = this.scores.get(member)
    if (previous === score) return // as Redis: an equal score (0 and -0 included) changes nothing
    // -0 is stored as 0: Redis 7.0 keeps small sets' scores as text in a listpack, where -0 becomes "0".
    this.scores.set(member, score === 0 ? 0 : score)
    this.ordered = null
  }

  /** Members in ascending order (score, then member bytes). */
  ascending(): readonly string[] {
    if (this.ordered === null) {
      const scores = this.scores
      this.ordered = [...scores.keys()].sort((a, b) => {
        const x = scores.get(a)!
        const y = scores.get(b)!
        return x < y ? -1 : x > y ? 1 : compareBytes(a, b)
      })
    }
    return this.ordered
  }
}
