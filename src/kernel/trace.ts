/**
 * The trace: what happened in a run, as typed records `{ t, seq, type, ...fields }`.
 *
 * Record types are past-tense names (`RecordAppended`, `LeaseExpired`); `t` is the simulated time
 * and `seq` numbers records from 0. A run can keep no records, the last N (a ring buffer), or all
 * of them, and can stream each one as a JSON line to a writer (the `--trace FILE` of every sim).
 *
 * The trace hash is a SHA-256 digest of the canonical JSON lines (each record serialised by
 * `JSON.stringify` with its keys in the order `t, seq, type`, then the fields in the order the model
 * gave them, followed by a newline). Same seed and parameters give the same hash: it identifies a
 * run, and the determinism law compares it across two runs.
 */
import { createHash, type Hash } from "node:crypto"

/** Characters of canonical lines gathered before they are fed to the digest. */
const HASH_BATCH_CHARS = 65536

/** One trace record. */
export interface TraceRecord {
  /** Simulated time. */
  readonly t: number
  /** Record number within the run, from 0. */
  readonly seq: number
  /** Past-tense record type, e.g. `LeaseExpired`. */
  readonly type: string
  readonly [field: string]: unknown
}

/** Options of a {@link Trace}. */
export interface TraceOptions {
  /** Record nothing at all (not even the hash). Default true (enabled). */
  readonly enabled?: boolean
  /** How many of the latest records to keep in memory: 0, N, or Infinity for all. Default 0. */
  readonly keep?: number
  /** Called with each record as one JSON line (without the newline). Default: none. */
  readonly write?: (line: string) => void
}

/** A run's trace. */
export class Trace {
  /** False when the trace records nothing; models may skip building records then. */
  readonly enabled: boolean
  private readonly keep: number
  private readonly write: ((line: string) => void) | undefined
  private readonly ring: TraceRecord[] = []
  private ringStart = 0
  private digest: Hash | null
  /** Canonical lines not yet fed to the digest (hashing in 64 KB batches is ~3.6x cheaper). */
  private pending = ""
  private finalHash: string | null = null
  private next = 0

  constructor(
    private readonly clock: () => number,
    options: TraceOptions = {},
  ) {
    this.enabled = options.enabled ?? true
    const keep = options.keep ?? 0
    if (!(keep >= 0)) throw new RangeError(`trace keep must be >= 0, got ${keep}`)
    this.keep = keep
    this.write = options.write
    this.digest = this.enabled ? createHash("sha256") : null
  }

  /** Number of records so far. */
  get count(): number {
    return this.next
  }

  /**
   * Appends a record of `type` at the current simulated time.
   * @param fields - plain JSON-serialisable data; must not contain the keys `t`, `seq` or `type`
   */
  record(type: string, fields?: Readonly<Record<string, unknown>>): void {
    if (!this.enabled) return
    if (this.finalHash !== null) throw new Error("the trace hash was already read; the trace is closed")
    const record: TraceRecord = { t: this.clock(), seq: this.next++, type, ...fields }
    const line = JSON.stringify(record)
    this.pending += line + "\n"
    if (this.pending.length >= HASH_BATCH_CHARS) {
      this.digest!.update(this.pending)
      this.pending = ""
    }
    if (this.write !== undefined) this.write(line)
    if (this.keep > 0) this.remember(record)
  }

  /**
   * The hex SHA-256 of the canonical JSON lines so far. Reading it closes the trace: later
   * records throw, so a report cannot show a hash that does not cover the whole run.
   */
  get hash(): string {
    if (this.finalHash === null) {
      if (this.digest === null) this.finalHash = "disabled"
      else {
        this.digest.update(this.pending)
        this.pending = ""
        this.finalHash = this.digest.digest("hex")
      }
    }
    return this.finalHash
  }

  /** The records kept in memory, oldest first (all of them when `keep` is Infinity). */
  records(): TraceRecord[] {
    if (this.ringStart === 0) return this.ring.slice()
    return [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)]
  }

  private remember(record: TraceRecord): void {
    if (this.ring.length < this.keep) {
      this.ring.push(record)
      return
    }
    this.ring[this.ringStart] = record
    this.ringStart = (this.ringStart + 1) % this.ring.length
  }
}

/** Index of the first record where two traces differ, or -1 if one is a prefix of the other and equal in length. */
export function firstDifference(a: readonly TraceRecord[], b: readonly TraceRecord[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i
  }
  return a.length === b.length ? -1 : n
}
