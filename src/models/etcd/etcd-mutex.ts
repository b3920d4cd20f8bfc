/**
 * etcd's `concurrency.Mutex`: a queue of keys under a prefix, one per contender, where the oldest
 * key holds the lock.
 *
 * Like taking a numbered ticket at a counter: each contender writes `prefix/<lease id in hex>`
 * attached to its session's lease, in a transaction that writes only if the key does not exist
 * yet (its create revision is its ticket number). The lowest create revision under the prefix is
 * served. Everyone else watches only the ticket just before theirs (the key with the largest
 * create revision below their own) until it is deleted, then looks again, until no older key
 * remains; then it checks its own key still exists (its lease may have expired meanwhile). Unlock
 * deletes the key; a lease that expires deletes it too, which is how a paused holder loses the
 * lock while still believing it holds it. The key's create revision is the fencing token: every
 * later holder's key was created later, at a higher revision. See docs/etcd.md.
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { EtcdClient } from "./etcd-client.ts"
import type { EtcdEvent } from "./etcd-events.ts"
import type { RangeResponse, TxnResponse } from "./etcd-protocol.ts"
import type { EtcdSession } from "./etcd-session.ts"

/** How a lock attempt ended. */
export type MutexOutcome =
  | { readonly ok: true; readonly token: number }
  | { readonly ok: false; readonly reason: "deadline" | "session-expired" | "unreachable" }

/** Options of {@link EtcdMutex.lock}. */
export interface MutexLockOptions {
  /** Give up when the client's monotonic clock reaches this, in ms. Default: never. */
  readonly deadlineMs?: number
  /** How long one watch of the predecessor lasts before the waiter reads again, in ms. Default 1000. */
  readonly watchMs?: number
}

/** One contender's handle on the lock named by `prefix` (etcd's `NewMutex(session, pfx)`). */
export class EtcdMutex {
  /** The prefix with its trailing slash, as `NewMutex` stores it. */
  readonly prefix: string
  /** This contender's key: `prefix/<lease hex>`. */
  readonly key: string
  private revision = 0

  constructor(
    private readonly client: EtcdClient,
    private readonly session: EtcdSession,
    prefix: string,
    private readonly trace: TraceOf<EtcdEvent>,
  ) {
    this.prefix = `${prefix}/`
    this.key = `${this.prefix}${session.lease.toString(16)}`
  }

  /** The create revision of this contender's key once it is in the queue; 0 before. */
  get myRevision(): number {
    return this.revision
  }

  /** Waits until this contender holds the lock, as `Mutex.Lock`; the token is its key's create revision. */
  *lock(options: MutexLockOptions = {}): Generator<Event<any>, MutexOutcome, any> {
    const deadlineMs = options.deadlineMs ?? Infinity
    const watchMs = options.watchMs ?? 1000
    const acquired = yield* this.tryAcquire()
    if (acquired === null) return this.abandon("unreachable")
    const owner = acquired.responses[1] as RangeResponse
    if (owner.kvs.length === 0 || owner.kvs[0]!.createRevision === this.revision) return this.acquired()
    const waited = yield* this.waitDeletes(deadlineMs, watchMs)
    if (waited !== "done") return this.abandon(waited)
    const mine = yield* this.client.range({ key: this.key })
    if (!mine.ok) return this.abandon("unreachable")
    if (mine.response.kvs.length === 0) return this.abandon("session-expired")
    return this.acquired()
  }

  /** Deletes this contender's key (`Mutex.Unlock`); false when the server did not answer. */
  *unlock(): Generator<Event<any>, boolean, any> {
    const outcome = yield* this.client.delete(this.key)
    if (!outcome.ok) return false
    const { deleted } = outcome.response
    this.trace.record({ type: "MutexReleased", node: this.client.from, key: this.key, token: this.revision, deleted })
    return true
  }

  /** The transaction of `tryAcquire`: put the key if absent, and read the oldest key under the prefix. */
  private *tryAcquire(): Generator<Event<any>, TxnResponse | null, any> {
    const getOwner = { op: "range", key: this.prefix, prefix: true, sortTarget: "create", limit: 1 } as const
    const outcome = yield* this.client.txn({
      compare: [{ key: this.key, target: "create", result: "=", operand: 0 }],
      success: [{ op: "put", key: this.key, value: "", lease: this.session.lease }, getOwner],
      failure: [{ op: "range", key: this.key }, getOwner],
    })
    if (!outcome.ok) return null
    const response = outcome.response
    // On success the key was created by this transaction; else it existed and says when.
    this.revision = response.succeeded
      ? response.revision
      : ((response.responses[0] as RangeResponse).kvs[0]?.createRevision ?? 0)
    return response
  }

  /** `waitDeletes`: until no key under the prefix is older than this one, watch the youngest of the older ones. */
  private *waitDeletes(
    deadlineMs: number,
    watchMs: number,
  ): Generator<Event<any>, "done" | "deadline" | "unreachable", any> {
    const node = this.client.node
    let announced = ""
    for (;;) {
      if (node.monotonicClock() >= deadlineMs) return "deadline"
      const older = yield* this.client.range({
        key: this.prefix,
        prefix: true,
        sortTarget: "create",
        sortOrder: "descend",
        limit: 1,
        maxCreateRevision: this.revision - 1,
      })
      if (!older.ok) {
        if (node.monotonicClock() >= deadlineMs) return "deadline"
        continue
      }
      const predecessor = older.response.kvs[0]
      if (predecessor === undefined) return "done"
      if (predecessor.key !== announced) {
        announced = predecessor.key
        const event = { node: node.name, key: this.key, createRevision: this.revision, predecessor: predecessor.key }
        this.trace.record({ type: "MutexWaiting", ...event })
      }
      const waitMs = Math.min(watchMs, Math.max(1, deadlineMs - node.monotonicClock()))
      const from = older.response.revision
      yield* this.client.watchUntil(predecessor.key, from, waitMs, (event) => event.type === "DELETE")
    }
  }

  private acquired(): MutexOutcome {
    // The client's own clock may say the lease is over (it was paused): then it does not believe it holds.
    if (!this.session.alive) return this.abandon("session-expired")
    const node = this.client.from
    const validUntilMs = this.session.deadlineMs
    this.trace.record({ type: "MutexAcquired", node, key: this.key, token: this.revision, validUntilMs })
    return { ok: true, token: this.revision }
  }

  private abandon(reason: "deadline" | "session-expired" | "unreachable"): MutexOutcome {
    this.trace.record({ type: "MutexAbandoned", node: this.client.from, key: this.key, reason })
    return { ok: false, reason }
  }
}
