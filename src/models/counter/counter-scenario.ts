/**
 * The like-counter scenario: clients on their own nodes increment the read, like and collect
 * counts of articles in a SQL-like store and a Redis cache, over a network with latency and
 * faults, using one of six strategies; the observer follows the clients' deltas and spots lost
 * updates as they happen (`counter-checks.ts`), from the typed events alone.
 *
 * Nodes: `db` (a {@link SqlStore}), `cache` (the shared simulated Redis, a `RedisService`), clients
 * `c1..cN` ({@link CounterClient}). Every statement is one RPC, executed atomically when it reaches
 * the database (`counter-servers.ts`: one request at a time, a duplicated request never applies a
 * delta twice); every cache command is a real Redis command (`counter-cache.ts`), executed by Redis
 * one at a time on the cache node's clock, keys expiring lazily and by Redis's active cycle. A client's operation `j` targets article `((client + j) mod articles) + 1`:
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
 * key is still absent (`FCALL fill_if_absent`). With `cache-hincrby` it reads the cache only.
 *
 * The run ends when every client has finished (or was killed by a crash) and the fault plan's last
 * fault is over; then the cache TTL runs out once more and the observer reads the final counts:
 * what the article query returns once every TTL has run out (a cache entry without a TTL, which
 * only a key created by HINCRBY can be, else the database).
 *
 * A delta is acknowledged when its write's reply reached the client (for the cache strategies that
 * write through, the database write). A call that times out (1 s, no retry) is unacknowledged: it
 * may or may not have been applied.
 *
 * A crash of the cache node loses every key (Redis here keeps nothing on disk): with
 * `cache-hincrby`, where the cache is the only copy, the counts are gone.
 *
 * Left out: retries (increments are not idempotent without a request id), transactions around the
 * naive read-modify-write (`SELECT ... FOR UPDATE`), the recount job.
 */
import { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Process, Simulation, TraceOf } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, NO_FAULTS, Rpc } from "../../net/index.ts"
import { NO_EXPIRY, RedisClient, redisRpc, RedisService } from "../redis/index.ts"
import {
  type Conflict,
  type CounterHistory,
  type CounterTally,
  DeltaLedger,
  LostUpdateDetector,
} from "./counter-checks.ts"
import { articleKey, CounterClient, type Strategy } from "./counter-client.ts"
import type { LikeCounterEvent } from "./counter-events.ts"
import { serveDatabase } from "./counter-servers.ts"
import { COUNTER_KINDS, type CounterKind, type Counts, SqlStore, zeroCounts } from "./sql-store.ts"

export { articleKey, SAFE_STRATEGIES, STRATEGIES, type Strategy } from "./counter-client.ts"

/** The database node's name. */
export const DB_NODE = "db"
/** The cache node's name. */
export const CACHE_NODE = "cache"
/** How long a client waits for a reply, in ms. */
export const CALL_TIMEOUT_MS = 1000
/** How far {@link CounterScenario.run} advances the simulation at a time while clients run, in ms. */
export const RUN_SLICE_MS = 100

/** When the plan's last fault (and its healing) is over, in ms: 0 for no faults. */
export function faultPlanEndMs(plan: FaultPlan): number {
  const ends = plan.faults.map((fault) => {
    switch (fault.kind) {
      case "crash":
        return fault.restartAt ?? plan.healAt ?? fault.at
      case "pause":
        return fault.at + fault.durationMs
      case "partition":
        return fault.healAt ?? plan.healAt ?? fault.at
      case "link":
        return fault.until ?? plan.healAt ?? fault.at
      default:
        return fault.at
    }
  })
  return Math.max(0, plan.healAt ?? 0, ...ends)
}

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
  /** The cache: the shared simulated Redis on node {@link CACHE_NODE}. */
  readonly cache: RedisService
  private readonly clients: CounterClient[]
  private readonly ledger = new DeltaLedger()
  private readonly detector: LostUpdateDetector
  private readonly articles: number
  private readonly ttlMs: number
  private finishedAt = 0
  /** When every client was done and the fault plan over, once the observer saw it. */
  private doneAt: number | undefined
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
    const db = { rpc: new Rpc(this.network, { service: "sql" }), node: DB_NODE }
    const cacheRpc = redisRpc(this.network)
    serveDatabase(db.rpc, DB_NODE, this.db, this.trace)
    this.cache = new RedisService(this.network, CACHE_NODE, cacheRpc, { trace: this.trace })
    const plan = options.plan ?? NO_FAULTS
    applyFaultPlan(sim, this.network, plan)
    const rng = sim.random("unlike")
    const processes: Process<void>[] = []
    this.clients = clientNames(options.clients).map((name, index) => {
      const client = new CounterClient({
        node: this.network.node(name),
        index,
        db,
        cache: new RedisClient(cacheRpc, name, CACHE_NODE, { timeoutMs: CALL_TIMEOUT_MS }),
        cacheTtlMs: this.ttlMs,
        strategy: options.strategy,
        likes: options.likes,
        articles: this.articles,
        unlikeProbability: options.unlikeProbability ?? 0,
        rng: rng.fork(name),
        callTimeoutMs: CALL_TIMEOUT_MS,
        trace: this.trace,
      })
      processes.push(client.start())
      return client
    })
    sim.spawn(this.watchClients(processes, faultPlanEndMs(plan)), "counter-observer")
  }

  /**
   * Runs until every client is done and the fault plan is over, then until every cache fill's TTL
   * has run out, and reports. Redis's expiry cycle never ends, so the run moves on in slices of
   * {@link RUN_SLICE_MS} until the observer has seen the end (the slices change nothing but the
   * time the run ends at, at most one slice later).
   */
  run(advance: Advance = runUntil): CounterResult {
    while (this.doneAt === undefined) advance(this.sim, this.sim.now + RUN_SLICE_MS)
    const end = this.doneAt + Math.ceil(this.ttlMs) + 1
    if (end > this.sim.now) advance(this.sim, end)
    return this.result()
  }

  private *watchClients(processes: readonly Process<void>[], planEndMs: number): Generator<any, void, any> {
    for (const process of processes) {
      try {
        yield process
      } catch {
        // Killed by a crash of its node: it will do nothing more.
      }
    }
    if (planEndMs > this.sim.now) yield* this.sim.sleep(planEndMs - this.sim.now)
    this.doneAt = this.sim.now
  }

  private observe(event: LikeCounterEvent): void {
    this.sim.trace.record(event)
    this.ledger.observe(event)
    if (event.type === "ClientFinished") this.finishedAt = this.sim.now
    const lost = this.detector.observe({ t: this.sim.now, seq: this.sim.trace.count - 1, ...event })
    if (lost !== undefined) this.observe(lost)
  }

  /**
   * What the article query returns once every cache TTL has run out, read by the observer (no
   * network, nothing recorded): a cache hash without a TTL if there is one, else the database. (A
   * clock fault on the cache node can keep a filled entry alive past the run's end on that clock;
   * it would expire, so it does not count.)
   */
  finalCounts(article: number, persistent = this.persistentCacheEntries()): Counts {
    const key = articleKey(article)
    const cached = persistent.get(key)
    if (cached !== undefined) return cached
    if (this.options.strategy === "cache-hincrby") return zeroCounts()
    return this.db.peek(key)?.counts ?? zeroCounts()
  }

  /** The cache's hashes without a TTL, by key, as counts. */
  private persistentCacheEntries(): Map<string, Counts> {
    const entries = new Map<string, Counts>()
    for (const [key, entry] of this.cache.server.keyspace.all()) {
      if (entry.kind !== "hash" || entry.expiresAtMs !== NO_EXPIRY) continue
      const counts = zeroCounts()
      for (const kind of COUNTER_KINDS) counts[kind] = Number(entry.fields.get(kind) ?? 0)
      entries.set(key, counts)
    }
    return entries
  }

  /** What the run measured. */
  result(): CounterResult {
    const finals = new Map<number, Counts>()
    const persistent = this.persistentCacheEntries()
    const finalOf = (article: number, kind: CounterKind): number => {
      if (!finals.has(article)) finals.set(article, this.finalCounts(article, persistent))
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
