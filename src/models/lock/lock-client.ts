/**
 * The shape every lease-lock client takes (the single Redis lock, Redlock, etcd's Mutex), so a
 * workload, a scenario and the ranking job drive any of them the same way. It is structural: a
 * client matches it without importing this file. See docs/locks.md.
 */
import type { Event } from "../../kernel/index.ts"

/** What a holder believes it holds. */
export interface LockLease {
  /** The fencing token of this acquisition: strictly greater than every earlier acquisition's
   *  token of the same lock (Redis: INCR of a counter taken with the lock; etcd: the key's
   *  create revision; Redlock: it has no safe token, see docs/locks.md). */
  readonly token: number
  /** Until when the holder believes the lease is valid, on its own monotonic clock, in ms. */
  readonly validUntilMs: number
}

/** A lease-lock client running on one simulated node (a process calls it with `yield*`). */
export interface LockClient {
  /** The client's node name. */
  readonly node: string
  /** Tries until it holds the lock or `deadlineMs` (own clock) passes; returns the lease or null.
   *  Retries with backoff. Starts renewing in the background when the client renews. */
  acquire(deadlineMs?: number): Generator<Event<any>, LockLease | null, any>
  /** Gives the lock up (best effort: the service may already have expired it). */
  release(): Generator<Event<any>, void, any>
  /** What the client believes now by its own clock: the lease, or null. */
  current(): LockLease | null
}
