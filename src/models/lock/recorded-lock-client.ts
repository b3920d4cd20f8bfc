/**
 * A lock client that records the shared lock events (`LockAcquired`, `LockAcquireGaveUp`,
 * `LockReleased`) around one that records only its own (etcd's Mutex records `MutexAcquired`,
 * `SessionExpired` ...), so the lock checks and timeline read every service the same way. The
 * end of a belief it cannot see is read from the inner client's own event (`SessionExpired` for
 * etcd; see `lock-checks.ts`).
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { LockClient, LockLease } from "./lock-client.ts"
import type { LockEvent, LockServiceKind } from "./lock-events.ts"

/** {@link LockClient} `inner`, recording the shared lock events on `trace`. */
export class RecordedLockClient implements LockClient {
  readonly node: string

  constructor(
    /** The client doing the work. */
    private readonly inner: LockClient,
    /** Which service `inner` uses. */
    private readonly service: LockServiceKind,
    /** Where the events go (`sim.trace`). */
    private readonly trace: TraceOf<LockEvent>,
  ) {
    this.node = inner.node
  }

  *acquire(deadlineMs?: number): Generator<Event<any>, LockLease | null, any> {
    const lease = yield* this.inner.acquire(deadlineMs)
    if (lease === null) this.trace.record({ type: "LockAcquireGaveUp", client: this.node })
    else {
      const { token, validUntilMs } = lease
      this.trace.record({ type: "LockAcquired", client: this.node, service: this.service, token, validUntilMs })
    }
    return lease
  }

  *release(): Generator<Event<any>, void, any> {
    const lease = this.inner.current()
    if (lease !== null) this.trace.record({ type: "LockReleased", client: this.node, token: lease.token })
    yield* this.inner.release()
  }

  current(): LockLease | null {
    return this.inner.current()
  }
}
