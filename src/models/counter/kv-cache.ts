/**
 * A Redis-like cache of hashes with TTL, and the two ways to "increment only if cached".
 *
 * Semantics (docs/counters.md): `HINCRBY key field n` creates a missing key (without a TTL) and treats a
 * missing field as 0; commands that alter a value keep its TTL; a key whose TTL has passed is gone
 * (checked lazily on every access, as Redis does). {@link KvCache.fillIfAbsent} is the recount fill:
 * set the whole hash with a TTL only if the key is absent (`SET ... NX EX`), so a slow recount does
 * not overwrite a newer fill. {@link KvCache.incrIfExists} is the server-side Lua script
 * `if EXISTS then HINCRBY`: one atomic step. The client-side version is `exists` then `hincrby` as
 * two commands, and the key may expire between them: the increment then re-creates the key holding
 * only this delta, with no TTL, and every later reader sees that wrong count for good.
 *
 * Invariants: a key is either absent or a hash of integer fields; an expired key is never returned.
 * Left out: eviction under memory pressure, persistence (the data here survives a node crash, as
 * with AOF `appendfsync always`), 64-bit overflow.
 */

/** Options of a {@link KvCache}. */
export interface KvCacheOptions {
  /** The current time, in ms (the cache's clock). Required. */
  readonly now: () => number
}

interface Entry {
  readonly fields: Map<string, number>
  /** Expiry time in ms, or Infinity for no TTL. */
  expiresAt: number
}

/** The cache. */
export class KvCache {
  private readonly entries = new Map<string, Entry>()
  private readonly now: () => number
  /** Commands executed (a script counts as one). */
  commands = 0
  /** Keys that expired, seen lazily. */
  expired = 0
  private readonly expiryListeners: ((key: string, at: number) => void)[] = []

  constructor(options: KvCacheOptions) {
    this.now = options.now
  }

  /** Calls `listener` when an expired key is noticed (with its expiry time). */
  onExpire(listener: (key: string, at: number) => void): void {
    this.expiryListeners.push(listener)
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      this.expired++
      for (const listener of this.expiryListeners) listener(key, entry.expiresAt)
      return undefined
    }
    return entry
  }

  /** `EXISTS key`. */
  exists(key: string): boolean {
    this.commands++
    return this.live(key) !== undefined
  }

  /** `HINCRBY key field delta`: a missing key is created without a TTL, a missing field counts as 0. Returns the new value. */
  hincrby(key: string, field: string, delta: number): number {
    this.commands++
    return this.increment(key, field, delta)
  }

  private increment(key: string, field: string, delta: number): number {
    let entry = this.live(key)
    if (entry === undefined) {
      entry = { fields: new Map(), expiresAt: Infinity }
      this.entries.set(key, entry)
    }
    const value = (entry.fields.get(field) ?? 0) + delta
    entry.fields.set(field, value)
    return value
  }

  /** `HGETALL key`: the fields, or undefined when the key is absent. */
  hgetall(key: string): Record<string, number> | undefined {
    this.commands++
    const entry = this.live(key)
    return entry === undefined ? undefined : Object.fromEntries(entry.fields)
  }

  /** Sets the hash with a TTL only if the key is absent (`SET NX EX`); true if it was set. */
  fillIfAbsent(key: string, fields: Readonly<Record<string, number>>, ttlMs: number): boolean {
    this.commands++
    if (this.live(key) !== undefined) return false
    this.entries.set(key, { fields: new Map(Object.entries(fields)), expiresAt: this.now() + ttlMs })
    return true
  }

  /**
   * The server-side script, atomic: `if EXISTS key then return HINCRBY key field delta else return nil`.
   * Returns the new value, or undefined when the key was absent (nothing created).
   */
  incrIfExists(key: string, field: string, delta: number): number | undefined {
    this.commands++
    if (this.live(key) === undefined) return undefined
    return this.increment(key, field, delta)
  }

  /** `DEL key`; true if it existed. */
  del(key: string): boolean {
    this.commands++
    const existed = this.live(key) !== undefined
    this.entries.delete(key)
    return existed
  }

  /** The live key's fields, for observers: neither a command nor an access (nothing expires). */
  peek(key: string): Record<string, number> | undefined {
    const entry = this.entries.get(key)
    return entry === undefined || entry.expiresAt <= this.now() ? undefined : Object.fromEntries(entry.fields)
  }

  /** The key's TTL left, in ms: Infinity without a TTL, undefined when absent (`PTTL`, not counted as a command). */
  ttlMs(key: string): number | undefined {
    const entry = this.live(key)
    return entry === undefined ? undefined : entry.expiresAt - this.now()
  }
}
