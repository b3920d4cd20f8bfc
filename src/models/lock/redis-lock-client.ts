/**
 * The single-instance Redis lock (docs/locks.md, "The Redis lock"): `SET key value NX PX ttl` with
 * a value unique per client and per acquisition, retries with exponential backoff, renewal every
 * `renewEveryMs` (default TTL/3) with `FCALL lock_extend`, release with `FCALL lock_release`.
 *
 * The fencing token is taken inside the lease, in three commands: `SET key value NX PX ttl`, then
 * `INCR key:fencing` (the token), then `FCALL lock_extend 1 key value ttl`. The extend answers 1
 * only if the key still holds this acquisition's value, so the key held that value on the server
 * from the SET through the INCR: the INCR ran while this client held the lock, after every earlier
 * holder's INCR, so tokens grow in the order the server granted the lock. (INCR before the SET, or
 * INCR after it without the check, lets a client delayed longer than a TTL between the two take a
 * token out of order.) A verification the extend refuses counts as a failed attempt.
 *
 * The client believes what its own clock tells it: the lease is valid until the monotonic time at
 * which the verifying extend (or the last renewal) was sent plus the TTL. A pause, or a clock that
 * runs slow, makes it believe longer than the server keeps the key; that is the lesson, not a bug.
 * A crash of the client's node ends its belief (the lease lives in memory).
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { NodeContext } from "../../net/index.ts"
import type { CommandOutcome, RedisClient } from "../redis/index.ts"
import type { LockClient, LockLease } from "./lock-client.ts"
import type { LockEvent } from "./lock-events.ts"

/** Options of a {@link RedisLockClient}. */
export interface RedisLockClientOptions {
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<LockEvent>
  /** The lock's key; the fencing counter is `<key>:fencing`. Default `lock`. */
  readonly key?: string
  /** The lease's time to live (`PX`), in ms. Default 1000. */
  readonly ttlMs?: number
  /** Renew the lease in the background while held. Default true. */
  readonly renew?: boolean
  /** Time between renewals, in ms of the client's clock. Default `ttlMs / 3`. */
  readonly renewEveryMs?: number
  /** The first backoff after a failed attempt, in ms; it doubles per attempt. Default 50. */
  readonly retryDelayMs?: number
  /** The longest backoff, in ms. Default 1000. */
  readonly retryMaxDelayMs?: number
}

/** What one attempt produced: the lease and its value, or why it failed. */
type Attempt = { readonly lease: LockLease; readonly value: string } | { readonly failed: string }

function integerOf(outcome: CommandOutcome): number | undefined {
  return outcome.ok && "integer" in outcome.reply ? Number(outcome.reply.integer) : undefined
}

/** A client of the single-instance Redis lock on one node. */
export class RedisLockClient implements LockClient {
  readonly node: string
  /** The lock's key. */
  readonly key: string
  /** The lease's time to live, in ms. */
  readonly ttlMs: number
  private readonly fencingKey: string
  private readonly trace: TraceOf<LockEvent>
  private readonly renew: boolean
  private readonly renewEveryMs: number
  private readonly retryDelayMs: number
  private readonly retryMaxDelayMs: number
  private lease: LockLease | null = null
  /** The value of the latest acquisition, kept after belief ends so `release` can still delete it. */
  private value: string | null = null
  private attemptsMade = 0
  /** Bumped at every acquisition, release and crash: a renewal loop of an older generation stops. */
  private generation = 0

  constructor(
    /** The client's node. */
    private readonly context: NodeContext,
    /** A Redis connection from this node to the lock's server. */
    private readonly redis: RedisClient,
    options: RedisLockClientOptions,
  ) {
    this.node = context.name
    this.trace = options.trace
    this.key = options.key ?? "lock"
    this.fencingKey = `${this.key}:fencing`
    this.ttlMs = options.ttlMs ?? 1000
    this.renew = options.renew ?? true
    this.renewEveryMs = options.renewEveryMs ?? this.ttlMs / 3
    this.retryDelayMs = options.retryDelayMs ?? 50
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 1000
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs > 0))
      throw new RangeError(`redis lock on ${this.node}: ttlMs must be a whole number > 0, got ${this.ttlMs}`)
    if (!(this.renewEveryMs > 0 && this.renewEveryMs < this.ttlMs))
      throw new RangeError(`redis lock on ${this.node}: renewEveryMs must be in (0, ttlMs), got ${this.renewEveryMs}`)
    if (!(this.retryDelayMs > 0 && this.retryMaxDelayMs >= this.retryDelayMs))
      throw new RangeError(`redis lock on ${this.node}: need 0 < retryDelayMs <= retryMaxDelayMs`)
    context.onCrash(() => {
      this.generation++
      this.lease = null
    })
  }

  current(): LockLease | null {
    const lease = this.lease
    return lease !== null && this.context.monotonicClock() < lease.validUntilMs ? lease : null
  }

  *acquire(deadlineMs = Infinity): Generator<Event<any>, LockLease | null, any> {
    for (let attempts = 1; ; attempts++) {
      const attempt = yield* this.attempt()
      if ("lease" in attempt) {
        this.lease = attempt.lease
        const generation = ++this.generation
        const { token, validUntilMs } = attempt.lease
        this.trace.record({ type: "LockAcquired", client: this.node, service: "redis", token, validUntilMs, attempts })
        this.context.spawn(this.keepAlive(generation), "lock-keeper")
        return attempt.lease
      }
      const retryInMs = Math.min(this.retryMaxDelayMs, this.retryDelayMs * 2 ** Math.min(attempts - 1, 30))
      if (this.context.monotonicClock() + retryInMs > deadlineMs) {
        this.trace.record({ type: "LockAcquireGaveUp", client: this.node, attempts })
        return null
      }
      this.trace.record({ type: "LockAttemptFailed", client: this.node, reason: attempt.failed, retryInMs })
      yield* this.context.sleepLocal(retryInMs)
    }
  }

  *release(): Generator<Event<any>, void, any> {
    this.generation++
    const lease = this.lease
    const value = this.value
    this.lease = null
    this.value = null
    if (lease !== null) this.trace.record({ type: "LockReleased", client: this.node, token: lease.token })
    if (value !== null) yield* this.redis.call(["FCALL", "lock_release", "1", this.key, value])
  }

  /** SET NX PX, INCR the fencing counter, verify with lock_extend (see the file's comment). */
  private *attempt(): Generator<Event<any>, Attempt, any> {
    const value = `${this.node}/${this.context.incarnation}:${++this.attemptsMade}`
    const set = yield* this.redis.call(["SET", this.key, value, "NX", "PX", String(this.ttlMs)])
    if (!set.ok) return yield* this.abandon(value, "SET timed out")
    if (!("status" in set.reply)) return { failed: "error" in set.reply ? set.reply.error : "held by another client" }
    const token = integerOf(yield* this.redis.call(["INCR", this.fencingKey]))
    if (token === undefined) return yield* this.abandon(value, "INCR of the fencing counter failed")
    const sentAtMs = this.context.monotonicClock()
    const verified = yield* this.redis.call(["FCALL", "lock_extend", "1", this.key, value, String(this.ttlMs)])
    if (!verified.ok) return yield* this.abandon(value, "verifying lock_extend timed out")
    if (integerOf(verified) !== 1) return { failed: "the key expired before the token was verified" }
    const validUntilMs = sentAtMs + this.ttlMs
    if (this.context.monotonicClock() >= validUntilMs) return yield* this.abandon(value, "verified too late")
    this.value = value
    return { lease: { token, validUntilMs }, value }
  }

  /** Deletes `value`'s key if the server still has it (a timed-out SET may have run), and fails the attempt. */
  private *abandon(value: string, failed: string): Generator<Event<any>, Attempt, any> {
    yield* this.redis.call(["FCALL", "lock_release", "1", this.key, value])
    return { failed }
  }

  /**
   * While this generation holds: renew `renewEveryMs` after the last extend was sent (as etcd's
   * client schedules its keep-alives), and notice when the own clock passes the lease's end.
   */
  private *keepAlive(generation: number): Generator<Event<any>, void, any> {
    for (;;) {
      const lease = this.lease
      if (generation !== this.generation || lease === null) return
      // The lease was last extended by a command sent at validUntilMs - ttlMs; the next is due renewEveryMs later.
      const wakeAtMs = this.renew ? lease.validUntilMs - this.ttlMs + this.renewEveryMs : lease.validUntilMs
      const now = this.context.monotonicClock()
      if (now >= lease.validUntilMs) return this.lose(lease, "expired")
      yield* this.context.sleepLocal(Math.max(0, wakeAtMs - now))
      if (generation !== this.generation) return
      if (this.context.monotonicClock() >= lease.validUntilMs) return this.lose(lease, "expired")
      if (!this.renew) continue
      const sentAtMs = this.context.monotonicClock()
      const outcome = yield* this.redis.call(["FCALL", "lock_extend", "1", this.key, this.value!, String(this.ttlMs)])
      if (generation !== this.generation || !outcome.ok) continue
      if (integerOf(outcome) !== 1) return this.lose(lease, "refused")
      const validUntilMs = sentAtMs + this.ttlMs
      if (this.context.monotonicClock() >= validUntilMs) return this.lose(lease, "expired")
      this.lease = { token: lease.token, validUntilMs }
      this.trace.record({ type: "LockRenewed", client: this.node, token: lease.token, validUntilMs })
    }
  }

  private lose(lease: LockLease, reason: "expired" | "refused"): void {
    this.lease = null
    this.generation++
    this.trace.record({ type: "LockBelievedLost", client: this.node, token: lease.token, reason })
  }
}
