/**
 * The keyspace of the simulated Redis: keys to typed values, each with an optional expiry time.
 *
 * Like a cloakroom whose tickets carry a "void after" stamp: a ticket past its stamp is refused
 * when presented (lazy expiry, at every lookup) and an attendant also walks the racks now and then
 * removing void ones (active expiry, {@link Keyspace.expireDue}). A key is expired when the
 * current time is strictly after its expiry time, as in Redis (`now > when`), so a key set with
 * `PX 500` at t=0 still answers at t=500 (with `PTTL` 0) and is gone at t=501.
 *
 * Invariants: every entry in the expiry heap whose time and key match a live entry names a key that
 * really expires then; a lookup never returns an expired entry. See docs/redis.md ("Expiry").
 */
import type { SortedSet } from "./sorted-set.ts"

/** No expiry: the key lives until deleted. */
export const NO_EXPIRY = Infinity

/** A string value. */
export interface StringEntry {
  readonly kind: "string"
  value: string
  /** Absolute expiry time in ms, or {@link NO_EXPIRY}. */
  expiresAtMs: number
}
/**
 * A hash: fields in insertion order (as Redis's small, listpack-encoded hashes). A value written by
 * HINCRBY is kept as its number (always a safe integer here; its text is `String(value)`), so
 * counting needs no parsing, as Redis keeps integers in a listpack.
 */
export interface HashEntry {
  readonly kind: "hash"
  readonly fields: Map<string, string | number>
  expiresAtMs: number
}
/** A sorted set. */
export interface ZSetEntry {
  readonly kind: "zset"
  readonly zset: SortedSet
  expiresAtMs: number
}
/** Any value. */
export type Entry = StringEntry | HashEntry | ZSetEntry

/** How a key came to be removed for its TTL: on access, or by the periodic cycle. */
export type ExpiryWay = "lazy" | "active"

/** Options of a {@link Keyspace}. */
export interface KeyspaceOptions {
  /** Called for every key removed because its TTL passed. Default: nothing. */
  readonly onExpired?: (key: string, way: ExpiryWay) => void
}

/** Keys, values and expiry times, with lazy and active expiry. */
export class Keyspace {
  private readonly entries = new Map<string, Entry>()
  /** A binary min-heap of (expiry time, sequence, key); stale items are skipped when popped. */
  private readonly heapAtMs: number[] = []
  private readonly heapSeq: number[] = []
  private readonly heapKey: string[] = []
  private sequence = 0
  private readonly onExpired: ((key: string, way: ExpiryWay) => void) | undefined

  constructor(options: KeyspaceOptions = {}) {
    this.onExpired = options.onExpired
  }

  /** Keys alive or not yet noticed as expired. */
  get size(): number {
    return this.entries.size
  }

  /** The live entry of `key` at `nowMs`, removing it first if its TTL has passed. */
  lookup(key: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined || !(nowMs > entry.expiresAtMs)) return entry
    this.entries.delete(key)
    this.onExpired?.(key, "lazy")
    return undefined
  }

  /** Stores `entry` under `key`, replacing any value; schedules its expiry if it has one. */
  put(key: string, entry: Entry): void {
    this.entries.set(key, entry)
    if (entry.expiresAtMs !== NO_EXPIRY) this.schedule(key, entry.expiresAtMs)
  }

  /** Removes `key`; true if it was there. */
  remove(key: string): boolean {
    return this.entries.delete(key)
  }

  /** Sets (or, with {@link NO_EXPIRY}, clears) the expiry time of a live entry. */
  expireAt(key: string, entry: Entry, atMs: number): void {
    entry.expiresAtMs = atMs
    if (atMs !== NO_EXPIRY) this.schedule(key, atMs)
  }

  /**
   * The active expiry cycle: removes every key whose TTL has passed at `nowMs`, soonest first;
   * returns how many it removed.
   */
  expireDue(nowMs: number): number {
    let removed = 0
    while (this.heapAtMs.length > 0 && nowMs > this.heapAtMs[0]!) {
      const atMs = this.heapAtMs[0]!
      const key = this.heapKey[0]!
      this.pop()
      const entry = this.entries.get(key)
      if (entry === undefined || entry.expiresAtMs !== atMs) continue
      this.entries.delete(key)
      this.onExpired?.(key, "active")
      removed++
    }
    return removed
  }

  /** Every key with its entry, in insertion order (expired ones not yet removed included). */
  all(): IterableIterator<[string, Entry]> {
    return this.entries.entries()
  }

  private schedule(key: string, atMs: number): void {
    const seq = this.sequence++
    let i = this.heapAtMs.length
    this.heapAtMs.push(atMs)
    this.heapSeq.push(seq)
    this.heapKey.push(key)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  private pop(): void {
    const last = this.heapAtMs.length - 1
    this.swap(0, last)
    this.heapAtMs.pop()
    this.heapSeq.pop()
    this.heapKey.pop()
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let smallest = i
      if (left < last && this.before(left, smallest)) smallest = left
      if (right < last && this.before(right, smallest)) smallest = right
      if (smallest === i) return
      this.swap(i, smallest)
      i = smallest
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heapAtMs[a]!
    const y = this.heapAtMs[b]!
    return x < y || (x === y && this.heapSeq[a]! < this.heapSeq[b]!)
  }

  private swap(a: number, b: number): void {
    const atMs = this.heapAtMs[a]!
    this.heapAtMs[a] = this.heapAtMs[b]!
    this.heapAtMs[b] = atMs
    const seq = this.heapSeq[a]!
    this.heapSeq[a] = this.heapSeq[b]!
    this.heapSeq[b] = seq
    const key = this.heapKey[a]!
    this.heapKey[a] = this.heapKey[b]!
    this.heapKey[b] = key
  }
}
