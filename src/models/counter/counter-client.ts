/**
 * A like-counter client: a process on its own node that views and likes articles, one operation
 * after another, applying each delta with one of the strategies (see `counter-scenario.ts`).
 *
 * Operation `j` of client `index` targets article `((index + j) mod articles) + 1`: the article
 * query, read +1, like +1, maybe like −1 (an unlike), and every fifth operation collect +1. Every
 * statement or command is one call with a timeout and no retry; a delta is acknowledged when its
 * write's reply arrives (for the write-through cache strategies, the database write's). Cache
 * commands are real Redis commands sent to the shared simulated Redis (`counter-cache.ts`).
 */
import type { Process, RandomStream, TraceOf } from "../../kernel/index.ts"
import type { NodeContext, Rpc } from "../../net/index.ts"
import type { RedisClient, RedisReply } from "../redis/index.ts"
import {
  countsOfReply,
  existsCommand,
  fillCommand,
  hgetallCommand,
  hincrbyCommand,
  incrIfExistsCommand,
  integerOfReply,
} from "./counter-cache.ts"
import type { LikeCounterEvent } from "./counter-events.ts"
import type { DbRequest } from "./counter-servers.ts"
import { type CounterKind, type Counts, zeroCounts } from "./sql-store.ts"

/** The strategies, safe ones after `naive`, the racy cache variant last. */
export const STRATEGIES = [
  "naive",
  "atomic-update",
  "upsert",
  "cache-hincrby",
  "cache-script",
  "cache-check-then-incr",
] as const

/** How a client applies a delta. */
export type Strategy = (typeof STRATEGIES)[number]

/** The strategies that never lose an acknowledged delta. */
export const SAFE_STRATEGIES: readonly Strategy[] = ["atomic-update", "upsert", "cache-hincrby", "cache-script"]

/** The key of an article's counter row and cache hash. */
export function articleKey(article: number): string {
  return `article:${article}`
}

/** Options of a {@link CounterClient}. */
export interface CounterClientOptions {
  /** The node it runs on. Required. */
  readonly node: NodeContext
  /** Its position among the clients, from 0 (picks the first article). Required. */
  readonly index: number
  /** The database's service, and the node serving it. Required. */
  readonly db: { readonly rpc: Rpc; readonly node: string }
  /** A Redis connection from this client's node to the cache (its timeout is the call timeout). Required. */
  readonly cache: RedisClient
  /** TTL of a cache fill, in ms (rounded up to whole ms). Required. */
  readonly cacheTtlMs: number
  readonly strategy: Strategy
  /** Operations to run. Required, >= 0. */
  readonly likes: number
  /** Articles, numbered from 1. Required, >= 1. */
  readonly articles: number
  /** Chance that a like is followed by an unlike. Required, 0..1. */
  readonly unlikeProbability: number
  /** Draws the unlikes. Required. */
  readonly rng: RandomStream
  /** How long it waits for a reply, in ms. Required. */
  readonly callTimeoutMs: number
  /** Where it records its deltas. Required. */
  readonly trace: TraceOf<LikeCounterEvent>
}

interface Reply<T> {
  readonly ok: boolean
  readonly value: T
}

/** A client; {@link CounterClient.start} spawns its process on its node. */
export class CounterClient {
  /** Statements sent to the database. */
  dbCalls = 0
  /** Commands sent to the cache. */
  cacheCalls = 0
  private readonly name: string

  constructor(private readonly options: CounterClientOptions) {
    this.name = options.node.name
  }

  /** Spawns the client's process on its node; returns it (it ends when the client has finished). */
  start(): Process<void> {
    return this.options.node.spawn(this.operate(), this.name)
  }

  private *operate(): Generator<any, void, any> {
    const { likes, articles, index, unlikeProbability, rng } = this.options
    for (let j = 0; j < likes; j++) {
      const article = ((index + j) % articles) + 1
      yield* this.query(article)
      yield* this.apply(article, "read", 1)
      yield* this.apply(article, "like", 1)
      if (unlikeProbability > 0 && rng.bernoulli(unlikeProbability)) yield* this.apply(article, "like", -1)
      if (j % 5 === 4) yield* this.apply(article, "collect", 1)
    }
    this.options.trace.record({ type: "ClientFinished", client: this.name })
  }

  private *sql<T>(request: DbRequest): Generator<any, Reply<T>, any> {
    this.dbCalls++
    const { rpc, node } = this.options.db
    const outcome = yield* rpc.call<T>(this.name, node, request, { timeoutMs: this.options.callTimeoutMs })
    return outcome.ok ? { ok: true, value: outcome.response } : { ok: false, value: undefined as T }
  }

  /** Sends one Redis command; its reply, or undefined when none came within the timeout. */
  private *redis(argv: readonly string[]): Generator<any, RedisReply | undefined, any> {
    this.cacheCalls++
    const outcome = yield* this.options.cache.call(argv)
    return outcome.ok ? outcome.reply : undefined
  }

  /** The article query: cache first, else the database, refilling the cache. */
  private *query(article: number): Generator<any, Counts, any> {
    const key = articleKey(article)
    const cached = yield* this.redis(hgetallCommand(key))
    const hit = cached === undefined ? undefined : countsOfReply(cached)
    if (hit !== undefined) return hit
    if (this.options.strategy === "cache-hincrby") return zeroCounts()
    const row = yield* this.sql<Counts | null>({ op: "select", key })
    const counts = row.value ?? zeroCounts()
    if (row.ok) yield* this.redis(fillCommand(key, counts, this.options.cacheTtlMs))
    return counts
  }

  private *apply(article: number, kind: CounterKind, delta: number): Generator<any, void, any> {
    const trace = this.options.trace
    // Recorded before the write: a client that crashes mid-call leaves it unacknowledged, maybe applied.
    trace.record({ type: "DeltaStarted", client: this.name, article, kind, delta })
    const acknowledged = yield* this.write(articleKey(article), kind, delta)
    if (acknowledged) trace.record({ type: "DeltaAcknowledged", client: this.name, article, kind, delta })
  }

  /** Applies one delta with the strategy; true when the write was acknowledged. */
  private *write(key: string, kind: CounterKind, delta: number): Generator<any, boolean, any> {
    switch (this.options.strategy) {
      case "naive": {
        const row = yield* this.sql<Counts | null>({ op: "select", key })
        if (!row.ok) return false
        const read = row.value?.[kind] ?? 0
        return (yield* this.sql({ op: "set", key, kind, value: read + delta, read })).ok
      }
      case "atomic-update":
        return yield* this.updateOrInsert(key, kind, delta)
      case "upsert":
        return (yield* this.sql({ op: "upsert", key, kind, delta })).ok
      case "cache-hincrby":
        return (yield* this.redis(hincrbyCommand(key, kind, delta))) !== undefined
      case "cache-script": {
        if (!(yield* this.sql({ op: "upsert", key, kind, delta })).ok) return false
        yield* this.redis(incrIfExistsCommand(key, kind, delta))
        return true
      }
      case "cache-check-then-incr": {
        if (!(yield* this.sql({ op: "upsert", key, kind, delta })).ok) return false
        const exists = yield* this.redis(existsCommand(key))
        if (exists !== undefined && integerOfReply(exists) === 1) yield* this.redis(hincrbyCommand(key, kind, delta))
        return true
      }
    }
  }

  /** UPDATE n = n + delta; with no row, INSERT; on a duplicate key, UPDATE again. */
  private *updateOrInsert(key: string, kind: CounterKind, delta: number): Generator<any, boolean, any> {
    const updated = yield* this.sql<number>({ op: "add", key, kind, delta })
    if (!updated.ok) return false
    if (updated.value === 1) return true
    const inserted = yield* this.sql<boolean>({ op: "insert", key, kind, value: delta })
    if (!inserted.ok) return false
    if (inserted.value) return true
    const again = yield* this.sql<number>({ op: "add", key, kind, delta })
    return again.ok && again.value === 1
  }
}
