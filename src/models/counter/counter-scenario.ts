/**
 * The like-counter scenario: clients on their own nodes increment the read, like and collect
 * counts of articles in a SQL-like store and a Redis-like cache, over a network with latency and
 * faults, using one of six strategies; an observer records every delta and whether it was
 * acknowledged, and spots the first lost update as it happens.
 *
 * Nodes: `db` (a {@link SqlStore}), `cache` (a {@link KvCache}), clients `c1..cN`. Every statement
 * or cache command is one RPC, executed atomically when it reaches the server (servers handle one
 * request at a time; they deduplicate retransmitted or duplicated requests by call id, so a
 * duplicated message never applies a delta twice). A client's operation `j` targets article
 * `((client + j) mod articles) + 1`: it views the article (the article query), counts the view
 * (read +1), likes it (like +1), with probability `unlikeProbability` unlikes it again (like −1),
 * and every fifth operation also collects it (collect +1).
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
import type { RandomStream, Simulation } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, Rpc } from "../../net/index.ts"
import { KvCache } from "./kv-cache.ts"
import { COUNTER_KINDS, type CounterKind, type Counts, SqlStore, zeroCounts } from "./sql-store.ts"

/** The strategies, safe ones after `naive`, the racy cache variant last. */
export const STRATEGIES = ["naive", "atomic-update", "upsert", "cache-hincrby", "cache-script", "cache-check-then-incr"] as const

/** How a client applies a delta. */
export type Strategy = (typeof STRATEGIES)[number]

/** The strategies that never lose an acknowledged delta. */
export const SAFE_STRATEGIES: readonly Strategy[] = ["atomic-update", "upsert", "cache-hincrby", "cache-script"]

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

/** The key of an article's counter row and cache hash. */
export function articleKey(article: number): string {
  return `article:${article}`
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
  /** Faults over {@link counterNodes}. Default: none. */
  readonly plan?: FaultPlan
}

/** One delta a client tried to apply. */
export interface Delta {
  readonly client: string
  readonly article: number
  readonly kind: CounterKind
  readonly delta: number
  /** The client got the reply of the write. */
  readonly acknowledged: boolean
}

/** A step executed by a server, for the timeline. */
export interface CounterStep {
  readonly t: number
  /** The key's article, or 0 for other lines. */
  readonly article: number
  readonly kind: CounterKind | undefined
  readonly client: string
  readonly text: string
}

/** The first update lost while it happened, with the steps that show it. */
export interface Conflict {
  readonly article: number
  readonly kind: CounterKind
  /** The client whose write lost the others' updates. */
  readonly client: string
  /** Counts the write destroyed. */
  readonly lostCounts: number
  /** The steps from the losing client's read (or check) to its write. */
  readonly steps: readonly CounterStep[]
  /** One-sentence explanation. */
  readonly explanation: string
}

/** Per article and kind: what the checker reads. */
export interface CounterTally {
  readonly article: number
  readonly kind: CounterKind
  /** Sum of acknowledged deltas. */
  readonly expected: number
  /** The count at the end. */
  readonly final: number
  /** Sums of the unacknowledged positive and negative deltas (each may or may not have applied). */
  readonly unacknowledgedUp: number
  readonly unacknowledgedDown: number
}

/** What a run measured. */
export interface CounterResult {
  readonly strategy: Strategy
  readonly tallies: readonly CounterTally[]
  readonly deltas: readonly Delta[]
  readonly expected: number
  readonly final: number
  /** `expected − final`, summed over every counter. */
  readonly lost: number
  readonly dbRoundTrips: number
  readonly cacheRoundTrips: number
  readonly unacknowledged: number
  /** Lost updates seen as they happened (naive overwrites, keys re-created by HINCRBY). */
  readonly conflicts: number
  readonly firstConflict: Conflict | undefined
  /** When the last client finished, in ms. */
  readonly finishedAt: number
}

type DbRequest =
  | { readonly op: "select"; readonly key: string }
  | { readonly op: "set"; readonly key: string; readonly kind: CounterKind; readonly value: number; readonly read: number }
  | { readonly op: "add"; readonly key: string; readonly kind: CounterKind; readonly delta: number }
  | { readonly op: "insert"; readonly key: string; readonly kind: CounterKind; readonly value: number }
  | { readonly op: "upsert"; readonly key: string; readonly kind: CounterKind; readonly delta: number }

type CacheRequest =
  | { readonly op: "hgetall"; readonly key: string }
  | { readonly op: "fill"; readonly key: string; readonly counts: Counts }
  | { readonly op: "hincrby"; readonly key: string; readonly kind: CounterKind; readonly delta: number; readonly checked: boolean }
  | { readonly op: "script"; readonly key: string; readonly kind: CounterKind; readonly delta: number }
  | { readonly op: "exists"; readonly key: string }

function articleOf(key: string): number {
  return Number(key.slice("article:".length))
}

/** The scenario: build it, then {@link CounterScenario.run}. */
export class CounterScenario {
  /** The network. */
  readonly network: Network
  /** The database's table. */
  readonly db = new SqlStore()
  /** The cache. */
  readonly cache: KvCache
  /** Steps executed by the servers, in order. */
  readonly steps: CounterStep[] = []
  private readonly dbRpc: Rpc
  private readonly cacheRpc: Rpc
  private readonly deltas: { -readonly [K in keyof Delta]: Delta[K] }[] = []
  private readonly articles: number
  private readonly ttlMs: number
  private readonly unlikeProbability: number
  private dbCalls = 0
  private cacheCalls = 0
  private conflicts = 0
  private firstConflict: Conflict | undefined
  private finished = 0
  private finishedAt = 0
  /** Per client: the step index of its last read or check, for the conflict's steps. */
  private readonly lastRead = new Map<string, number>()

  constructor(
    /** The simulation to build in. */
    readonly sim: Simulation,
    private readonly options: CounterScenarioOptions,
  ) {
    this.articles = options.articles ?? 1
    this.ttlMs = options.cacheTtlMs ?? 100
    this.unlikeProbability = options.unlikeProbability ?? 0
    const latencyMs = options.latencyMs ?? 5
    this.network = new Network(sim, { link: { latency: jitteredLatency(latencyMs) } })
    for (const name of counterNodes(options.clients)) this.network.addNode(name)
    this.cache = new KvCache({ now: () => sim.now })
    this.cache.onExpire((key, at) => this.step(key, undefined, "cache", `${key} expired (its TTL ran out at t=${Number(at.toFixed(1))}ms)`))
    this.dbRpc = new Rpc(this.network, { service: "sql" })
    this.cacheRpc = new Rpc(this.network, { service: "redis" })
    this.serveDb()
    this.serveCache()
    applyFaultPlan(sim, this.network, options.plan)
    const rng = sim.random("unlike")
    clientNames(options.clients).forEach((name, index) => {
      this.network.node(name).spawn(this.client(name, index, rng.fork(name)), name)
    })
  }

  /** Runs until every client is done, then one cache TTL more, and reports. */
  run(run: (sim: Simulation, until?: number) => void = (sim, until) => void sim.run(until === undefined ? {} : { until })): CounterResult {
    run(this.sim)
    run(this.sim, this.sim.now + this.ttlMs + 1)
    return this.result()
  }

  private step(key: string, kind: CounterKind | undefined, client: string, text: string): number {
    this.steps.push({ t: this.sim.now, article: articleOf(key), kind, client, text })
    return this.steps.length - 1
  }

  private conflict(key: string, kind: CounterKind, client: string, lostCounts: number, explanation: string): void {
    this.conflicts++
    if (this.firstConflict !== undefined) return
    const article = articleOf(key)
    const from = this.lastRead.get(client) ?? this.steps.length - 1
    const steps = this.steps.slice(from).filter((s) => s.article === article && (s.kind === kind || s.kind === undefined))
    this.firstConflict = { article, kind, client, lostCounts, steps, explanation }
  }

  private serveDb(): void {
    const done = new Map<number, unknown>()
    this.dbRpc.serve<DbRequest, unknown>(DB_NODE, (request, context) => {
      if (done.has(context.callId)) return done.get(context.callId)
      const response = this.executeDb(request, context.from)
      done.set(context.callId, response)
      return response
    })
  }

  private executeDb(request: DbRequest, client: string): unknown {
    const db = this.db
    switch (request.op) {
      case "select": {
        const row = db.select(request.key)
        const text = row === undefined ? "no row" : COUNTER_KINDS.map((k) => `${k}=${row[k]}`).join(" ")
        this.lastRead.set(client, this.step(request.key, undefined, client, `${client} SELECT ${request.key}: ${text}`))
        return row ?? null
      }
      case "set": {
        const current = db.peek(request.key)?.counts[request.kind] ?? 0
        db.upsertSet(request.key, request.kind, request.value)
        this.step(request.key, request.kind, client, `${client} UPDATE ${request.key} SET ${request.kind} = ${request.value} (it read ${request.read}; the row holds ${current})`)
        if (current !== request.read) {
          const lost = current - request.read
          this.conflict(
            request.key,
            request.kind,
            client,
            lost,
            `${client} computed ${request.value} from a stale read of ${request.read}: its write erased ${lost} update${Math.abs(lost) === 1 ? "" : "s"} made since`,
          )
        }
        return 1
      }
      case "add": {
        const rows = db.updateAdd(request.key, request.kind, request.delta)
        this.step(request.key, request.kind, client, `${client} UPDATE ${request.key} SET ${request.kind} = ${request.kind} ${request.delta >= 0 ? "+" : "-"} ${Math.abs(request.delta)}: ${rows} row${rows === 1 ? "" : "s"}`)
        return rows
      }
      case "insert": {
        const outcome = db.insert(request.key, request.kind, request.value)
        this.step(request.key, request.kind, client, `${client} INSERT ${request.key} ${request.kind} = ${request.value}: ${outcome.ok ? "ok" : "duplicate key"}`)
        return outcome.ok
      }
      case "upsert": {
        const affected = db.upsertAdd(request.key, request.kind, request.delta)
        this.step(request.key, request.kind, client, `${client} UPSERT ${request.key} ${request.kind} ${sign(request.delta)}: ${affected === 1 ? "inserted" : "updated"}`)
        return affected
      }
    }
  }

  private serveCache(): void {
    const done = new Map<number, unknown>()
    this.cacheRpc.serve<CacheRequest, unknown>(CACHE_NODE, (request, context) => {
      if (done.has(context.callId)) return done.get(context.callId)
      const response = this.executeCache(request, context.from)
      done.set(context.callId, response)
      return response
    })
  }

  private executeCache(request: CacheRequest, client: string): unknown {
    const cache = this.cache
    switch (request.op) {
      case "hgetall": {
        const fields = cache.hgetall(request.key)
        return fields === undefined ? null : fields
      }
      case "fill": {
        const set = cache.fillIfAbsent(request.key, request.counts, this.ttlMs)
        const text = COUNTER_KINDS.map((k) => `${k}=${request.counts[k]}`).join(" ")
        this.step(request.key, undefined, client, `${client} fills ${request.key} (${text}) for ${this.ttlMs}ms: ${set ? "set" : "already there"}`)
        return set
      }
      case "exists": {
        const exists = cache.exists(request.key)
        this.lastRead.set(client, this.step(request.key, undefined, client, `${client} EXISTS ${request.key}: ${exists ? "yes" : "no"}`))
        return exists
      }
      case "script": {
        const value = cache.incrIfExists(request.key, request.kind, request.delta)
        this.step(request.key, request.kind, client, `${client} script: ${request.key} ${value === undefined ? "absent, skipped" : `HINCRBY ${request.kind} ${sign(request.delta)} = ${value}`}`)
        return value ?? null
      }
      case "hincrby": {
        const existed = cache.ttlMs(request.key) !== undefined
        const value = cache.hincrby(request.key, request.kind, request.delta)
        this.step(request.key, request.kind, client, `${client} HINCRBY ${request.key} ${request.kind} ${sign(request.delta)} = ${value}${existed ? "" : " (key created, no TTL)"}`)
        if (request.checked && !existed) {
          const truth = this.db.peek(request.key)?.counts[request.kind] ?? 0
          this.conflict(
            request.key,
            request.kind,
            client,
            truth - value,
            `${request.key} expired between ${client}'s EXISTS and its HINCRBY: the key is back holding ${value} instead of ${truth}, with no TTL, so it never heals`,
          )
        }
        return value
      }
    }
  }

  private *sql<T>(client: string, request: DbRequest): Generator<any, { ok: boolean; value: T }, any> {
    this.dbCalls++
    const outcome = yield* this.dbRpc.call<T>(client, DB_NODE, request, { timeoutMs: CALL_TIMEOUT_MS })
    return outcome.ok ? { ok: true, value: outcome.response } : { ok: false, value: undefined as T }
  }

  private *redis<T>(client: string, request: CacheRequest): Generator<any, { ok: boolean; value: T }, any> {
    this.cacheCalls++
    const outcome = yield* this.cacheRpc.call<T>(client, CACHE_NODE, request, { timeoutMs: CALL_TIMEOUT_MS })
    return outcome.ok ? { ok: true, value: outcome.response } : { ok: false, value: undefined as T }
  }

  private *client(name: string, index: number, rng: RandomStream): Generator<any, void, any> {
    for (let j = 0; j < this.options.likes; j++) {
      const article = ((index + j) % this.articles) + 1
      yield* this.query(name, article)
      yield* this.apply(name, article, "read", 1)
      yield* this.apply(name, article, "like", 1)
      if (this.unlikeProbability > 0 && rng.bernoulli(this.unlikeProbability)) yield* this.apply(name, article, "like", -1)
      if (j % 5 === 4) yield* this.apply(name, article, "collect", 1)
    }
    this.finished++
    this.finishedAt = this.sim.now
  }

  /** The article query: cache first, else the database, refilling the cache. */
  private *query(client: string, article: number): Generator<any, Counts, any> {
    const key = articleKey(article)
    const cached = yield* this.redis<Record<string, number> | null>(client, { op: "hgetall", key })
    if (cached.ok && cached.value !== null) return { ...zeroCounts(), ...cached.value }
    if (this.options.strategy === "cache-hincrby") return zeroCounts()
    const row = yield* this.sql<Counts | null>(client, { op: "select", key })
    const counts = row.value ?? zeroCounts()
    if (row.ok) yield* this.redis(client, { op: "fill", key, counts })
    return counts
  }

  private *apply(client: string, article: number, kind: CounterKind, delta: number): Generator<any, void, any> {
    const key = articleKey(article)
    // Recorded before the write: a client that crashes mid-call leaves it unacknowledged, maybe applied.
    const record = { client, article, kind, delta, acknowledged: false }
    this.deltas.push(record)
    let acknowledged = false
    switch (this.options.strategy) {
      case "naive": {
        const row = yield* this.sql<Counts | null>(client, { op: "select", key })
        if (!row.ok) break
        const read = row.value?.[kind] ?? 0
        acknowledged = (yield* this.sql(client, { op: "set", key, kind, value: read + delta, read })).ok
        break
      }
      case "atomic-update": {
        const updated = yield* this.sql<number>(client, { op: "add", key, kind, delta })
        if (!updated.ok) break
        if (updated.value === 1) {
          acknowledged = true
          break
        }
        const inserted = yield* this.sql<boolean>(client, { op: "insert", key, kind, value: delta })
        if (!inserted.ok) break
        if (inserted.value) {
          acknowledged = true
          break
        }
        const again = yield* this.sql<number>(client, { op: "add", key, kind, delta })
        acknowledged = again.ok && again.value === 1
        break
      }
      case "upsert":
        acknowledged = (yield* this.sql(client, { op: "upsert", key, kind, delta })).ok
        break
      case "cache-hincrby":
        acknowledged = (yield* this.redis(client, { op: "hincrby", key, kind, delta, checked: false })).ok
        break
      case "cache-script": {
        acknowledged = (yield* this.sql(client, { op: "upsert", key, kind, delta })).ok
        if (acknowledged) yield* this.redis(client, { op: "script", key, kind, delta })
        break
      }
      case "cache-check-then-incr": {
        acknowledged = (yield* this.sql(client, { op: "upsert", key, kind, delta })).ok
        if (!acknowledged) break
        const exists = yield* this.redis<boolean>(client, { op: "exists", key })
        if (exists.ok && exists.value) yield* this.redis(client, { op: "hincrby", key, kind, delta, checked: true })
        break
      }
    }
    record.acknowledged = acknowledged
  }

  /** What the article query returns at the end, read by the observer (no network). */
  finalCounts(article: number): Counts {
    const key = articleKey(article)
    const cached = this.cache.ttlMs(key) === undefined ? undefined : this.cache.hgetall(key)
    if (cached !== undefined) return { ...zeroCounts(), ...cached }
    if (this.options.strategy === "cache-hincrby") return zeroCounts()
    return this.db.peek(key)?.counts ?? zeroCounts()
  }

  /** What the run measured. */
  result(): CounterResult {
    const tallies: CounterTally[] = []
    for (let article = 1; article <= this.articles; article++) {
      const final = this.finalCounts(article)
      for (const kind of COUNTER_KINDS) {
        let expected = 0
        let up = 0
        let down = 0
        for (const d of this.deltas) {
          if (d.article !== article || d.kind !== kind) continue
          if (d.acknowledged) expected += d.delta
          else if (d.delta > 0) up += d.delta
          else down += d.delta
        }
        tallies.push({ article, kind, expected, final: final[kind], unacknowledgedUp: up, unacknowledgedDown: down })
      }
    }
    const expected = tallies.reduce((sum, t) => sum + t.expected, 0)
    const final = tallies.reduce((sum, t) => sum + t.final, 0)
    return {
      strategy: this.options.strategy,
      tallies,
      deltas: this.deltas,
      expected,
      final,
      lost: expected - final,
      dbRoundTrips: this.dbCalls,
      cacheRoundTrips: this.cacheCalls,
      unacknowledged: this.deltas.filter((d) => !d.acknowledged).length,
      conflicts: this.conflicts,
      firstConflict: this.firstConflict,
      finishedAt: this.finishedAt,
    }
  }
}

function sign(delta: number): string {
  return delta >= 0 ? `+${delta}` : `${delta}`
}
