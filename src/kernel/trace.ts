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

/** What a model records: a past-tense `type` and plain JSON-serialisable fields. */
export interface TraceEvent {
  /** Past-tense record type, e.g. `LeaseExpired`. */
  readonly type: string
}

/** A recorded event, stamped with its simulated time `t` and its record number `seq`. */
export type Traced<E extends TraceEvent = TraceEvent> = { readonly t: number; readonly seq: number } & E

/** One trace record, untyped: what `records()` returns and what `--trace` files hold. */
export interface TraceRecord {
  /** Simulated time. */
  readonly t: number
  /** Record number within the run, from 0. */
  readonly seq: number
  /** Past-tense record type, e.g. `LeaseExpired`. */
  readonly type: string
  readonly [field: string]: unknown
}

/**
 * The part of a {@link Trace} a model holds: it records events of its own union `E` (declared in
 * the model's `<x>-events.ts`) and can ask whether anything is recorded at all. `sim.trace` is
 * assignable to it for every `E`.
 */
export interface TraceOf<E extends TraceEvent> {
  readonly enabled: boolean
  record(event: E): void
}

/** Options of a {@link Trace}. */
export interface TraceOptions {
  /** Record nothing at all (not even the hash). Default true (enabled). */
  readonly enabled?: boolean
  /**
   * Compute the trace hash. Default true. Without it (and without `write`), a record is never
   * serialised: recording costs a counter and whatever `keep` and listeners need, so a text
   * report that shows no hash pays nothing for it.
   */
  readonly hash?: boolean
  /** How many of the latest records to keep in memory: 0, N, or Infinity for all. Default 0. */
  readonly keep?: number
  /** Called with each record as one JSON line (without the newline). Default: none. */
  readonly write?: (line: string) => void
}

/**
 * A run's trace.
 *
 * A record is kept as the object the model gave (stamped with `t` and `seq`) and serialised only
 * when something needs its text: the hash, or a `write` sink. A recorded event must not be changed
 * afterwards.
 */
export class Trace {
  /** False when the trace records nothing; models may skip building records then. */
  readonly enabled: boolean
  private readonly keep: number
  private readonly write: ((line: string) => void) | undefined
  private readonly serialise: boolean
  private readonly ring: TraceRecord[] = []
  private ringStart = 0
  private digest: Hash | null
  /** Canonical lines not yet fed to the digest (docs/kernel-performance.md, trace-hash). */
  private pending = ""
  private finalHash: string | null = null
  private next = 0
  private readonly listeners: ((record: Traced) => void)[] = []

  constructor(
    private readonly clock: () => number,
    options: TraceOptions = {},
  ) {
    this.enabled = options.enabled ?? true
    const keep = options.keep ?? 0
    if (!(keep >= 0)) throw new RangeError(`trace keep must be >= 0, got ${keep}`)
    this.keep = keep
    this.write = options.write
    this.digest = this.enabled && (options.hash ?? true) ? createHash("sha256") : null
    this.serialise = this.digest !== null || this.write !== undefined
  }

  /** Number of records so far. */
  get count(): number {
    return this.next
  }

  /**
   * Appends a record at the current simulated time: `record({ type: "LeaseExpired", lease: 3 })`,
   * or the older form `record("LeaseExpired", { lease: 3 })` (same record, same line).
   * @param fields - with a type string: plain JSON-serialisable data without the keys `t`, `seq`, `type`
   */
  record<E extends TraceEvent>(event: E): void
  record(type: string, fields?: Readonly<Record<string, unknown>>): void
  record(typeOrEvent: string | TraceEvent, fields?: Readonly<Record<string, unknown>>): void {
    if (!this.enabled) return
    if (this.finalHash !== null) throw new Error("the trace hash was already read; the trace is closed")
    const event: TraceEvent = typeof typeOrEvent === "string" ? { type: typeOrEvent, ...fields } : typeOrEvent
    const t = this.clock()
    const seq = this.next++
    if (this.serialise) this.serialiseRecord(t, seq, event)
    if (this.keep > 0 || this.listeners.length > 0) {
      const record = { t, seq, ...event } as Traced & TraceRecord
      if (this.keep > 0) this.remember(record)
      for (const listener of this.listeners) listener(record)
    }
  }

  /**
   * Calls `listener` with every later record, stamped (a timeline or an online checker that keeps
   * only what it needs, instead of the whole trace).
   */
  listen(listener: (record: Traced) => void): void {
    this.listeners.push(listener)
  }

  /**
   * The hex SHA-256 of the canonical JSON lines so far, or `"disabled"` when the trace is disabled
   * or computes no hash. Reading it closes the trace: later records throw, so a report cannot
   * show a hash that does not cover the whole run.
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

  /** The canonical line `{"t":..,"seq":..,"type":..,...}`, fed to the digest and the sink. */
  private serialiseRecord(t: number, seq: number, event: TraceEvent): void {
    const body = JSON.stringify(event)
    const line = `{"t":${JSON.stringify(t)},"seq":${seq},${body.slice(1)}`
    if (this.digest !== null) {
      this.pending += line + "\n"
      if (this.pending.length >= HASH_BATCH_CHARS) {
        this.digest.update(this.pending)
        this.pending = ""
      }
    }
    if (this.write !== undefined) this.write(line)
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

/**
 * The first `limit` records a predicate accepts, and how many it accepted in all: what a timeline
 * shows ("the first 40 of 312 events") without keeping the whole trace.
 */
export class TraceSample<E extends TraceEvent = TraceEvent> {
  private readonly kept: Traced<E>[] = []
  private accepted = 0

  constructor(trace: Trace, where: (record: Traced) => record is Traced<E>, limit: number)
  constructor(trace: Trace, where: (record: Traced) => boolean, limit: number)
  constructor(trace: Trace, where: (record: Traced) => boolean, limit: number) {
    if (!(limit >= 0)) throw new RangeError(`a trace sample's limit must be >= 0, got ${limit}`)
    trace.listen((record) => {
      if (!where(record)) return
      this.accepted++
      if (this.kept.length < limit) this.kept.push(record as Traced<E>)
    })
  }

  /** The records kept, in trace order. */
  get records(): readonly Traced<E>[] {
    return this.kept
  }

  /** How many records the predicate accepted, kept or not. */
  get total(): number {
    return this.accepted
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
