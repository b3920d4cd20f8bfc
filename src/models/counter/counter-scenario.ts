/**
 * The like-counter scenario: clients on their own nodes increment the read, like and collect
 * counts of articles in a SQL-like store and a Redis-like cache, over a network with latency and
 * faults, using one of six strategies; the observer follows the clients' deltas and spots lost
 * updates as they happen (`counter-checks.ts`), from the typed events alone.
 *
 * Nodes: `db` (a {@link SqlStore}), `cache` (a {@link KvCache}), clients `c1..cN`
 * ({@link CounterClient}). Every statement or cache command is one RPC, executed atomically when it
 * reaches the server (`counter-servers.ts`: one request at a time, a duplicated request never
 * applies a delta twice). A client's operation `j` targets article `((client + j) mod articles) + 1`:
 * it views the article (the article query), counts the view (read +1), likes it (like +1), with
 * probability `unlikeProbability` unlikes it again (like −1), and every fifth operation also
 * collects it (collect +1).
 *
 * Strategies for one delta:
 * - `naive`: SELECT, then `UPDATE SET n = <value read> + delta` (an upsert that sets): two round
 *   trips, anything may land between them.
 * - `atomic-update`: `UPDATE SET n = n + delta`; if no row, INSERT; on a duplicate key (another
 *   client inserted first), UPDATE again.
 * - `upsert`: `INSERT ... ON DUPLICATE KEY UPDATE n = n + delta`: one statement.
 * - `cache-hincrby`: `HINCRBY` on the cache only; the cache is the store (keys have no TTL).
 * - `cache-script`: upsert in the database, then the atomic script "HINCRBY if the key exists".
 * - `cache-check-then-incr`: upsert in the database, then `EXISTS` and `HINCRBY` as two calls.
 *
 * The article query: the cache's hash if present, else SELECT and fill the cache with a TTL if the
 * key is still absent (`SET NX EX`). With `cache-hincrby` it reads the cache only.
 *
 * Final counts are read by the observer after every client finished and the cache TTL has run out
 * once more: what the article query would return then (the cache entry if one is still live,
 * which only a key created by HINCRBY without a TTL can be, else the database).
 *
 * A delta is acknowledged when its write's reply reached the client (for the cache strategies that
 * write through, the database write). A call that times out (1 s, no retry) is unacknowledged: it
 * may or may not have been applied.
 *
 * Left out: retries (increments are not idempotent without a request id), transactions around the
 * naive read-modify-write (`SELECT ... FOR UPDATE`), the recount job, cache memory loss on crash.
 */
import { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, NO_FAULTS, Rpc } from "../../net/index.ts"
import {
  type Conflict,
  type CounterHistory,
  type CounterTally,
  DeltaLedger,
  LostUpdateDetector,
} from "./counter-checks.ts"
import { articleKey, CounterClient, type Strategy } from "./counter-client.ts"
import type { LikeCounterEvent } from "./counter-events.ts"
import { serveCache, serveDatabase } from "./counter-servers.ts"
import { KvCache } from "./kv-cache.ts"
import { type CounterKind, type Counts, SqlStore, zeroCounts } from "./sql-store.ts"

export { articleKey, SAFE_STRATEGIES, STRATEGIES, type Strategy } from "./counter-client.ts"

/** The database node's name. */
export const DB_NODE = "db"
/** The cache node's name. */
export const CACHE_NODE = "cache"
/** How long a client waits for a reply, in ms. */
export const CALL_TIMEOUT_MS = 1000

/** Client node names `c1..cN`. */
export function clientNames(clients: number): string[] {
  return Array.from({ length: clients }, (_, i) => `c${i + 1}`)
}

/** Every node of a scenario with `clients` clients: db, cache, then the clients. */
export function counterNodes(clients: number): string[] {
  return [DB_NODE, CACHE_NODE, ...clientNames(clients)]
}

/** Options of a {@link CounterScenario}. */
export interface CounterScenarioOptions {
  /** How clients apply deltas. Required. */
  readonly strategy: Strategy
  /** Client nodes. Required, >= 1. */
  readonly clients: number
  /** Operations (views + likes) per client. Required, >= 0. */
  readonly likes: number
  /** Articles, numbered from 1. Default 1. */
  readonly articles?: number
  /** Mean one-way latency, in ms; each message takes uniform [0.5, 1.5] × this. Default 5. */
  readonly latencyMs?: number
  /** TTL of a cache fill, in ms. Default 100. */
  readonly cacheTtlMs?: number
  /** Chance that a like is followed by an unlike. Default 0. */
  readonly unlikeProbability?: number
  /** Faults over {@link counterNodes}. Default {@link NO_FAULTS}. */
  readonly plan?: FaultPlan
  /** Steps of the first lost update kept for the timeline (see `Conflict.steps`). Default 16. */
  readonly conflictSteps?: number
}

/** What a run measured, field by field (see {@link CounterResult}). */
export interface CounterMeasures {
  readonly strategy: Strategy
  readonly tallies: readonly CounterTally[]
  /** Deltas the clients began to apply. */
  readonly deltas: number
  /** Of those, the ones whose write was not acknowledged. */
  readonly unacknowledged: number
  /** Statements the clients sent to the database. */
  readonly dbRoundTrips: number
  /** Commands the clients sent to the cache. */
  readonly cacheRoundTrips: number
  /** Lost updates seen as they happened (naive overwrites, keys re-created by HINCRBY). */
  readonly conflicts: number
  /** The first of them, with its steps. */
  readonly firstConflict: Conflict | undefined
  /** When the last client finished, in ms. */
  readonly finishedAt: number
}

/** What a run measured: the tallies the checker reads and the numbers the sim reports. */
export class CounterResult implements ScenarioResult, CounterHistory, CounterMeasures {
  readonly strategy: Strategy
  readonly tallies: readonly CounterTally[]
  readonly deltas: number
  readonly unacknowledged: number
  readonly dbRoundTrips: number
  readonly cacheRoundTrips: number
  readonly conflicts: number
  readonly firstConflict: Conflict | undefined
  readonly finishedAt: number

  constructor(measures: CounterMeasures) {
    this.strategy = measures.strategy
    this.tallies = measures.tallies
    this.deltas = measures.deltas
    this.unacknowledged = measures.unacknowledged
    this.dbRoundTrips = measures.dbRoundTrips
    this.cacheRoundTrips = measures.cacheRoundTrips
    this.conflicts = measures.conflicts
    this.firstConflict = measures.firstConflict
    this.finishedAt = measures.finishedAt
  }

  /** Sum of the acknowledged deltas over every counter. */
  get expected(): number {
    return this.tallies.reduce((sum, t) => sum + t.expected, 0)
  }

  /** Sum of the counters at the end. */
  get final(): number {
    return this.tallies.reduce((sum, t) => sum + t.final, 0)
  }

  /** `expected − final`, summed over every counter. */
  get lost(): number {
    return this.expected - this.final
  }

  /** The like-counter sim's JSON metrics. */
  summary(): { readonly [metric: string]: JsonValue } {
    const counters = this.tallies.map((t) => [
      `article:${t.article}/${t.kind}`,
      { expected: t.expected, final: t.final, lost: t.expected - t.final },
    ])
    return {
      expected: this.expected,
      final: this.final,
      lost: this.lost,
      dbRoundTrips: this.dbRoundTrips,
      cacheRoundTrips: this.cacheRoundTrips,
      unacknowledged: this.unacknowledged,
      conflicts: this.conflicts,
      counters: Object.fromEntries(counters),
    }
  }
}

/** The scenario: build it, then {@link CounterScenario.run}. */
export class CounterScenario implements Scenario<CounterResult> {
  /** The network. */
  readonly network: Network
  /** The database's table. */
  readonly db = new SqlStore()
  /** The cache. */
  readonly cache: KvCache
  private readonly clients: CounterClient[]
  private readonly ledger = new DeltaLedger()
  private readonly detector: LostUpdateDetector
  private readonly articles: number
  private readonly ttlMs: number
  private finishedAt = 0
  /** What the actors record into: the simulation's trace, with the observer listening in. */
  private readonly trace: TraceOf<LikeCounterEvent> = { enabled: true, record: (event) => this.observe(event) }

  constructor(
    /** The simulation to build in. */
    readonly sim: Simulation,
    private readonly options: CounterScenarioOptions,
  ) {
    this.articles = options.articles ?? 1
    this.ttlMs = options.cacheTtlMs ?? 100
    this.detector = new LostUpdateDetector({ keepSteps: options.conflictSteps ?? 16 })
    this.network = new Network(sim, { link: { latency: jitteredLatency(options.latencyMs ?? 5) } })
    for (const name of counterNodes(options.clients)) this.network.addNode(name)
    this.cache = new KvCache({ now: () => sim.now })
    const db = { rpc: new Rpc(this.network, { service: "sql" }), node: DB_NODE }
    const cache = { rpc: new Rpc(this.network, { service: "redis" }), node: CACHE_NODE }
    serveDatabase(db.rpc, DB_NODE, this.db, this.trace)
    serveCache(cache.rpc, CACHE_NODE, this.cache, this.ttlMs, this.trace)
    applyFaultPlan(sim, this.network, options.plan ?? NO_FAULTS)
    const rng = sim.random("unlike")
    this.clients = clientNames(options.clients).map((name, index) => {
      const client = new CounterClient({
        node: this.network.node(name),
        index,
        db,
        cache,
        strategy: options.strategy,
        likes: options.likes,
        articles: this.articles,
        unlikeProbability: options.unlikeProbability ?? 0,
        rng: rng.fork(name),
        callTimeoutMs: CALL_TIMEOUT_MS,
        trace: this.trace,
      })
      client.start()
      return client
    })
  }

  /** Runs until every client is done, then one cache TTL more, and reports. */
  run(advance: Advance = runUntil): CounterResult {
    advance(this.sim, Infinity)
    advance(this.sim, this.sim.now + this.ttlMs + 1)
    return this.result()
  }

  private observe(event: LikeCounterEvent): void {
    this.sim.trace.record(event)
    this.ledger.observe(event)
    if (event.type === "ClientFinished") this.finishedAt = this.sim.now
    const lost = this.detector.observe({ t: this.sim.now, seq: this.sim.trace.count - 1, ...event })
    if (lost !== undefined) this.observe(lost)
  }

  /** What the article query returns at the end, read by the observer (no network, nothing expires). */
  finalCounts(article: number): Counts {
    const key = articleKey(article)
    const cached = this.cache.peek(key)
    if (cached !== undefined) return { ...zeroCounts(), ...cached }
    if (this.options.strategy === "cache-hincrby") return zeroCounts()
    return this.db.peek(key)?.counts ?? zeroCounts()
  }

  /** What the run measured. */
  result(): CounterResult {
    const finals = new Map<number, Counts>()
    const finalOf = (article: number, kind: CounterKind): number => {
      if (!finals.has(article)) finals.set(article, this.finalCounts(article))
      return finals.get(article)![kind]
    }
    const tallies = this.ledger.tallies(this.articles, finalOf)
    const { started, acknowledged } = this.ledger
    return new CounterResult({
      strategy: this.options.strategy,
      tallies,
      deltas: started,
      unacknowledged: started - acknowledged,
      dbRoundTrips: this.clients.reduce((sum, c) => sum + c.dbCalls, 0),
      cacheRoundTrips: this.clients.reduce((sum, c) => sum + c.cacheCalls, 0),
      conflicts: this.detector.conflicts,
      firstConflict: this.detector.first,
      finishedAt: this.finishedAt,
    })
  }
}
