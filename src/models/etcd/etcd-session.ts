/**
 * etcd's `concurrency.Session`: a lease granted for one client and kept alive in the background, as
 * the Go client's `KeepAlive` does it.
 *
 * After each answer the client schedules the next keep-alive a third of the TTL later and believes
 * the lease lives until a full TTL after that answer (its `deadline`), both on its own monotonic
 * clock. A keep-alive unanswered for half a second is sent again (the Go client's send loop runs
 * every 500 ms and resends while the lease is overdue). The session ends when the server answers TTL 0 (the lease is gone) or when
 * the client's clock passes the deadline without an answer. A paused client's keep-alive process
 * is paused too: when it wakes, it first looks at its clock. See docs/etcd.md.
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { EtcdClient } from "./etcd-client.ts"
import type { EtcdEvent } from "./etcd-events.ts"
import type { EtcdResponse } from "./etcd-protocol.ts"

/** The Go client's keep-alive resend interval and deadline check, in ms. */
export const KEEP_ALIVE_RETRY_MS = 500

/** Options of {@link EtcdSession.open}. */
export interface EtcdSessionOptions {
  /** The lease TTL asked for, in ms (the server grants at least its minimum). Default 60000 (`concurrency.NewSession`'s 60 s). */
  readonly ttlMs?: number
  /** Keep the lease alive in the background. Default true. */
  readonly keepAlive?: boolean
  /** Where the events go. Required. */
  readonly trace: TraceOf<EtcdEvent>
}

type KeepAliveResponse = Extract<EtcdResponse, { op: "leaseKeepAlive" }>

/** A lease the client holds and (optionally) keeps alive. */
export class EtcdSession {
  private ended = false
  private deadline: number

  private constructor(
    private readonly client: EtcdClient,
    /** The lease id. */
    readonly lease: number,
    /** The TTL the server granted, in ms. */
    readonly ttlMs: number,
    private readonly trace: TraceOf<EtcdEvent>,
    answeredAtMs: number,
  ) {
    this.deadline = answeredAtMs + ttlMs
  }

  /** Grants a lease and starts keeping it alive; null when the server did not answer. */
  static *open(client: EtcdClient, options: EtcdSessionOptions): Generator<Event<any>, EtcdSession | null, any> {
    const outcome = yield* client.call<Extract<EtcdResponse, { op: "leaseGrant" }>>({
      op: "leaseGrant",
      ttlMs: options.ttlMs ?? 60_000,
    })
    if (!outcome.ok) return null
    const { lease, ttlMs } = outcome.response
    const session = new EtcdSession(client, lease, ttlMs, options.trace, client.node.monotonicClock())
    if (options.keepAlive ?? true) client.node.spawn(session.keepAliveLoop(), "etcd-keep-alive")
    return session
  }

  /** Until when the client believes its lease lives, on its monotonic clock, in ms. */
  get deadlineMs(): number {
    return this.deadline
  }

  /** True while the client believes the lease lives (not ended, deadline not passed on its clock). */
  get alive(): boolean {
    return !this.ended && this.client.node.monotonicClock() < this.deadline
  }

  /** Stops the keep-alives and revokes the lease (best effort: one request). */
  *close(): Generator<Event<any>, void, any> {
    if (this.ended) return
    this.ended = true
    yield* this.client.call({ op: "leaseRevoke", lease: this.lease })
  }

  private *keepAliveLoop(): Generator<Event<any>, void, any> {
    const node = this.client.node
    let next = node.monotonicClock() + this.ttlMs / 3
    for (;;) {
      const waitMs = next - node.monotonicClock()
      if (waitMs > 0) yield* node.sleepLocal(waitMs)
      if (this.ended) return
      if (node.monotonicClock() >= this.deadline) return this.expire("deadline-passed")
      const request = { op: "leaseKeepAlive", lease: this.lease } as const
      const outcome = yield* this.client.call<KeepAliveResponse>(request, KEEP_ALIVE_RETRY_MS)
      if (this.ended) return
      if (outcome.ok && outcome.response.ttlMs <= 0) return this.expire("lease-not-found")
      if (outcome.ok) {
        const answeredMs = node.monotonicClock()
        this.deadline = answeredMs + outcome.response.ttlMs
        next = answeredMs + outcome.response.ttlMs / 3
      } else {
        next = node.monotonicClock() // unanswered for 500 ms: send again now
      }
    }
  }

  private expire(reason: "lease-not-found" | "deadline-passed"): void {
    this.ended = true
    this.trace.record({ type: "SessionExpired", node: this.client.from, lease: this.lease, reason })
  }
}
