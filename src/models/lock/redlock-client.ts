/**
 * Redlock (docs/locks.md, "Redlock"): one lock over N independent Redis servers. An attempt reads
 * the client's monotonic clock, sends `SET key value NX PX ttl` to every server in turn, each with
 * a small timeout, and holds the lock iff a majority (N/2 + 1, integer division) answered OK and
 * the validity `ttl − elapsed − drift` is positive, where `drift = ttl × 0.01 + 2 ms` (the
 * reference implementations' constants); it then believes until `start + ttl − drift` on its own
 * clock. A failed attempt deletes its value on every server (`lock_release`) and retries after a
 * random delay below `retryDelayMs` (200 ms), at most `retryCount` (3) more times per `acquire`.
 * Renewal (when on) extends every server with `lock_extend`; fewer than a majority of 1s, or a
 * validity gone before the answers came, ends the belief and releases everywhere.
 *
 * Fencing: Redlock has no safe token. Its values are random and no server sees every grant. The
 * token given here is the largest `INCR key:fencing` among the servers the client locked, taken
 * after the majority was reached: two majorities share a server, but the largest counter of one
 * majority can exceed the next majority's, so tokens need not grow in grant order and may repeat.
 * Its safety rests on bounded pauses, bounded network delay and clocks that neither jump nor drift
 * more than `drift` allows: a clock jump on one server lets two clients hold majorities at once.
 */
import type { Event, RandomStream, TraceOf } from "../../kernel/index.ts"
import type { NodeContext } from "../../net/index.ts"
import type { CommandOutcome, RedisClient } from "../redis/index.ts"
import type { LockClient, LockLease } from "./lock-client.ts"
import type { LockEvent } from "./lock-events.ts"

/** The reference implementations' clock drift factor: drift = ttl × this + 2 ms. */
export const REDLOCK_DRIFT_FACTOR = 0.01
/** The reference implementations' fixed drift allowance, in ms. */
export const REDLOCK_DRIFT_MS = 2
/** The reference implementations' retries per acquisition. */
export const REDLOCK_RETRY_COUNT = 3
/** The reference implementations' retry delay, in ms. */
export const REDLOCK_RETRY_DELAY_MS = 200

/** Options of a {@link RedlockClient}. */
export interface RedlockClientOptions {
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<LockEvent>
  /** Where the retry delays are drawn from (e.g. `sim.random("redlock/<node>")`). Required. */
  readonly random: RandomStream
  /** The lock's key on every server. Default `lock`. */
  readonly key?: string
  /** The lease's time to live, in ms. Default 1000. */
  readonly ttlMs?: number
  /** Renew the lease in the background while held. Default true. */
  readonly renew?: boolean
  /** Time between renewals, in ms of the client's clock. Default `ttlMs / 3`. */
  readonly renewEveryMs?: number
  /** Retries per `acquire`. Default 3. */
  readonly retryCount?: number
  /** The retry delay is drawn uniformly below this, in ms. Default 200. */
  readonly retryDelayMs?: number
}

function integerOf(outcome: CommandOutcome): number | undefined {
  return outcome.ok && "integer" in outcome.reply ? Number(outcome.reply.integer) : undefined
}

/** A Redlock client on one node, reaching N servers. */
export class RedlockClient implements LockClient {
  readonly node: string
  /** Servers that must agree: N/2 + 1. */
  readonly quorum: number
  /** The lease's time to live, in ms. */
  readonly ttlMs: number
  /** The validity kept back for clock drift: ttl × 0.01 + 2 ms. */
  readonly driftMs: number
  private readonly key: string
  private readonly trace: TraceOf<LockEvent>
  private readonly random: RandomStream
  private readonly renew: boolean
  private readonly renewEveryMs: number
  private readonly retryCount: number
  private readonly retryDelayMs: number
  private lease: LockLease | null = null
  private value: string | null = null
  private attemptsMade = 0
  private generation = 0

  constructor(
    /** The client's node. */
    private readonly context: NodeContext,
    /** One connection per server, each with the per-server timeout. */
    private readonly servers: readonly RedisClient[],
    options: RedlockClientOptions,
  ) {
    this.node = context.name
    this.quorum = Math.floor(servers.length / 2) + 1
    this.ttlMs = options.ttlMs ?? 1000
    this.driftMs = this.ttlMs * REDLOCK_DRIFT_FACTOR + REDLOCK_DRIFT_MS
    this.key = options.key ?? "lock"
    this.trace = options.trace
    this.random = options.random
    this.renew = options.renew ?? true
    this.renewEveryMs = options.renewEveryMs ?? this.ttlMs / 3
    this.retryCount = options.retryCount ?? REDLOCK_RETRY_COUNT
    this.retryDelayMs = options.retryDelayMs ?? REDLOCK_RETRY_DELAY_MS
    if (servers.length === 0) throw new RangeError(`redlock on ${this.node}: needs at least one server`)
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs > this.driftMs))
      throw new RangeError(`redlock on ${this.node}: ttlMs must be a whole number above its drift, got ${this.ttlMs}`)
    context.onCrash(() => {
      this.generation++
      this.lease = null
    })
  }

  /** The per-server timeout a scenario should give the connections: `ttlMs / 200` within [5, 50]. */
  static defaultPerNodeTimeoutMs(ttlMs: number): number {
    return Math.min(50, Math.max(5, ttlMs / 200))
  }

  current(): LockLease | null {
    const lease = this.lease
    return lease !== null && this.context.monotonicClock() < lease.validUntilMs ? lease : null
  }

  *acquire(deadlineMs = Infinity): Generator<Event<any>, LockLease | null, any> {
    for (let attempts = 1; ; attempts++) {
      const attempt = yield* this.attempt()
      if (typeof attempt !== "string") {
        this.lease = attempt
        const generation = ++this.generation
        const { token, validUntilMs } = attempt
        this.trace.record({
          type: "LockAcquired",
          client: this.node,
          service: "redlock",
          token,
          validUntilMs,
          attempts,
        })
        this.context.spawn(this.keepAlive(generation), "redlock-keeper")
        return attempt
      }
      const retryInMs = Math.floor(this.random.uniform(0, this.retryDelayMs))
      if (attempts > this.retryCount || this.context.monotonicClock() + retryInMs > deadlineMs) {
        this.trace.record({ type: "LockAcquireGaveUp", client: this.node, attempts })
        return null
      }
      this.trace.record({ type: "LockAttemptFailed", client: this.node, reason: attempt, retryInMs })
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
    if (value !== null) yield* this.releaseEverywhere(value)
  }

  /** One Redlock attempt: the lease, or why it failed (after unlocking every server). */
  private *attempt(): Generator<Event<any>, LockLease | string, any> {
    const value = `${this.node}/${this.context.incarnation}:${++this.attemptsMade}`
    const startMs = this.context.monotonicClock()
    const locked: RedisClient[] = []
    for (const server of this.servers) {
      const outcome = yield* server.call(["SET", this.key, value, "NX", "PX", String(this.ttlMs)])
      if (outcome.ok && "status" in outcome.reply) locked.push(server)
    }
    let token = -1
    if (locked.length >= this.quorum) {
      for (const server of locked)
        token = Math.max(token, integerOf(yield* server.call(["INCR", `${this.key}:fencing`])) ?? -1)
    }
    const validUntilMs = startMs + this.ttlMs - this.driftMs
    const elapsedMs = this.context.monotonicClock() - startMs
    if (locked.length >= this.quorum && this.context.monotonicClock() < validUntilMs && token >= 0) {
      this.value = value
      return { token, validUntilMs }
    }
    yield* this.releaseEverywhere(value)
    return locked.length < this.quorum
      ? `${locked.length} of ${this.servers.length} servers locked, below the majority of ${this.quorum}`
      : `the majority took ${elapsedMs}ms, no validity left (TTL ${this.ttlMs}ms, drift ${this.driftMs}ms)`
  }

  /** `lock_release` on every server, in turn. */
  private *releaseEverywhere(value: string): Generator<Event<any>, void, any> {
    for (const server of this.servers) yield* server.call(["FCALL", "lock_release", "1", this.key, value])
  }

  /** While this generation holds: extend everywhere every `renewEveryMs`, notice the own clock passing the lease's end. */
  private *keepAlive(generation: number): Generator<Event<any>, void, any> {
    let renewAtMs = this.context.monotonicClock() + this.renewEveryMs
    for (;;) {
      const lease = this.lease
      if (generation !== this.generation || lease === null) return
      const now = this.context.monotonicClock()
      if (now >= lease.validUntilMs) return this.lose(lease, "expired")
      yield* this.context.sleepLocal(
        Math.max(0, (this.renew ? Math.min(renewAtMs, lease.validUntilMs) : lease.validUntilMs) - now),
      )
      if (generation !== this.generation) return
      if (this.context.monotonicClock() >= lease.validUntilMs) return this.lose(lease, "expired")
      if (!this.renew) continue
      const startMs = this.context.monotonicClock()
      renewAtMs = startMs + this.renewEveryMs
      let extended = 0
      for (const server of this.servers) {
        const outcome = yield* server.call(["FCALL", "lock_extend", "1", this.key, this.value!, String(this.ttlMs)])
        if (integerOf(outcome) === 1) extended++
      }
      if (generation !== this.generation) return
      const validUntilMs = startMs + this.ttlMs - this.driftMs
      if (extended < this.quorum || this.context.monotonicClock() >= validUntilMs) {
        this.lose(lease, "refused")
        yield* this.releaseEverywhere(this.value!)
        return
      }
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
