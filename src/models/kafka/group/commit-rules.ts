/**
 * What offset a consumer that processes one partition's records in parallel may commit
 * (docs/kafka-consumer-groups.md, "Commit rules").
 *
 * The committed offset is the next offset to read: a replacement resumes there. With a pool of
 * workers, records finish out of order:
 *
 * - `max` commits the highest finished offset + 1. A fast worker finishing 7 while 3 still runs
 *   commits 8; a crash now resumes at 8, and 3 is never processed: records are lost.
 * - `contiguous` commits the lowest unfinished offset (the highest contiguous finished + 1): a
 *   crash re-delivers what was in flight, nothing is skipped (at-least-once).
 *
 * | finished            | contiguous | max |
 * |---------------------|------------|-----|
 * | {0,1,2}             | 3          | 3   |
 * | {0,1,2,4,5}         | 3          | 6   |
 * | {0,…,5}             | 6          | 6   |
 * | {1,…,9}, 0 running  | 0          | 10  |
 */

/** The two commit rules. */
export type CommitRule = "max" | "contiguous"

/** The finished offsets of one partition since `start`, and the offset each rule commits. */
export class PartitionProgress {
  private lowestUnfinished: number
  private highestFinished = -1
  private readonly finishedAhead = new Set<number>()

  constructor(
    /** The first offset handed to the workers (the position when processing began). */
    readonly start: number,
  ) {
    this.lowestUnfinished = start
  }

  /** Records that the record at `offset` finished processing. */
  finish(offset: number): void {
    if (!Number.isInteger(offset) || offset < this.start)
      throw new RangeError(`offset must be a whole number >= ${this.start}, got ${offset}`)
    this.highestFinished = Math.max(this.highestFinished, offset)
    if (offset < this.lowestUnfinished) return
    this.finishedAhead.add(offset)
    while (this.finishedAhead.delete(this.lowestUnfinished)) this.lowestUnfinished++
  }

  /** The offset `rule` commits now. */
  commitOffset(rule: CommitRule): number {
    if (rule === "contiguous") return this.lowestUnfinished
    return this.highestFinished < 0 ? this.start : this.highestFinished + 1
  }

  /** Offsets below the `max` commit that have not finished: what a crash now would lose under `max`. */
  skippedByMax(): number[] {
    const skipped: number[] = []
    for (let offset = this.lowestUnfinished; offset < this.commitOffset("max"); offset++) {
      if (!this.finishedAhead.has(offset)) skipped.push(offset)
    }
    return skipped
  }
}
