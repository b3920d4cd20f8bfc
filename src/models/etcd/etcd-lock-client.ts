/**
 * A lease-lock client on etcd: a session (a lease kept alive) plus the concurrency Mutex, behind
 * the lock-client shape every lock model shares (`acquire`, `release`, `current`; see
 * docs/etcd.md).
 *
 * The fencing token is the Mutex key's create revision. The client believes it holds the lock
 * until its session's deadline (a TTL after the last keep-alive answer, on its own monotonic
 * clock) or until the session learns the lease is gone; a pause longer than the TTL stops its
 * keep-alives, the server deletes its key when the lease expires, and the next waiter holds the
 * lock with a higher token while the paused client, once awake, may still act before it looks.
 * A failed attempt revokes the session's lease, so no stale waiter key stays in the queue.
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { NetworkContext, Rpc } from "../../net/index.ts"
import { EtcdClient } from "./etcd-client.ts"
import type { EtcdEvent } from "./etcd-events.ts"
import { EtcdMutex } from "./etcd-mutex.ts"
import { EtcdSession } from "./etcd-session.ts"

/** What a holder believes it holds (the lock-client shape's `LockLease`). */
export interface EtcdLockLease {
  /** The Mutex key's create revision: higher for every later acquisition of the lock. */
  readonly token: number
  /** Until when the holder believes its lease lives, on its own monotonic clock, in ms. */
  readonly validUntilMs: number
}

/** Options of an {@link EtcdLockClient}. */
export interface EtcdLockClientOptions {
  /** The node etcd runs on. Required. */
  readonly server: string
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<EtcdEvent>
  /** The lock's name: the Mutex prefix. Default "lock". */
  readonly prefix?: string
  /** The session lease TTL asked for, in ms (the server grants at least its minimum). Default 1000. */
  readonly ttlMs?: number
  /** Keep the lease alive (keep-alive at TTL/3) while holding or waiting. Default true. */
  readonly renew?: boolean
  /** How long each request waits for an answer, in ms of the client's clock. Default 1000. */
  readonly timeoutMs?: number
  /** First wait after a failed attempt, in ms; doubles up to 8 times that. Default 100. */
  readonly retryBackoffMs?: number
  /** How long one watch of the predecessor lasts before the waiter reads again, in ms. Default 1000. */
  readonly watchMs?: number
}

/** A lease-lock client on one node, holding at most one acquisition at a time. */
export class EtcdLockClient {
  /** The etcd client it speaks through. */
  readonly client: EtcdClient
  private readonly options: Required<Omit<EtcdLockClientOptions, "server">>
  private held: { readonly mutex: EtcdMutex; readonly session: EtcdSession; readonly token: number } | null = null

  constructor(
    network: NetworkContext,
    /** The RPC helper the server uses (`etcdRpc`). */
    rpc: Rpc,
    /** The client's node name. */
    readonly node: string,
    options: EtcdLockClientOptions,
  ) {
    const { server, ...rest } = options
    this.options = {
      prefix: "lock",
      ttlMs: 1000,
      renew: true,
      timeoutMs: 1000,
      retryBackoffMs: 100,
      watchMs: 1000,
      ...rest,
    }
    if (!(this.options.retryBackoffMs > 0))
      throw new RangeError(
        `etcd lock client on ${node}: retryBackoffMs must be > 0, got ${this.options.retryBackoffMs}`,
      )
    this.client = new EtcdClient(network, rpc, node, server, { timeoutMs: this.options.timeoutMs })
  }

  /** Tries until it holds the lock or `deadlineMs` (own monotonic clock) passes; the lease, or null. */
  *acquire(deadlineMs = Infinity): Generator<Event<any>, EtcdLockLease | null, any> {
    const held = this.current()
    if (held !== null) return held
    yield* this.dropHeld()
    const node = this.client.node
    let backoffMs = this.options.retryBackoffMs
    while (node.monotonicClock() < deadlineMs) {
      const session = yield* EtcdSession.open(this.client, {
        ttlMs: this.options.ttlMs,
        keepAlive: this.options.renew,
        trace: this.options.trace,
      })
      if (session !== null) {
        const mutex = new EtcdMutex(this.client, session, this.options.prefix, this.options.trace)
        const outcome = yield* mutex.lock({ deadlineMs, watchMs: this.options.watchMs })
        if (outcome.ok) {
          this.held = { mutex, session, token: outcome.token }
          return { token: outcome.token, validUntilMs: session.deadlineMs }
        }
        yield* session.close()
        if (outcome.reason === "deadline") return null
      }
      const waitMs = Math.min(backoffMs, deadlineMs - node.monotonicClock())
      if (waitMs > 0) yield* node.sleepLocal(waitMs)
      backoffMs = Math.min(backoffMs * 2, this.options.retryBackoffMs * 8)
    }
    return null
  }

  /** Deletes the Mutex key and revokes the session's lease (best effort: the lease may be gone already). */
  *release(): Generator<Event<any>, void, any> {
    yield* this.dropHeld()
  }

  /** What the client believes now by its own clock: the lease, or null once its session's deadline passed or it learned the lease is gone. */
  current(): EtcdLockLease | null {
    const held = this.held
    if (held === null || !held.session.alive) return null
    return { token: held.token, validUntilMs: held.session.deadlineMs }
  }

  private *dropHeld(): Generator<Event<any>, void, any> {
    const held = this.held
    if (held === null) return
    this.held = null
    yield* held.mutex.unlock()
    yield* held.session.close()
  }
}
