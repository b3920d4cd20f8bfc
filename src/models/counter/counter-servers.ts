/**
 * The two servers of the like-counter scenario: the database (a {@link SqlStore} behind the `sql`
 * service) and the cache (a {@link KvCache} behind the `redis` service). Each request is one
 * statement or command, run atomically when it reaches the server; a retransmitted or duplicated
 * request (same call id) gets the first answer again and is not run twice. Each statement records
 * one event of what it did (`counter-events.ts`); the servers judge nothing.
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { Rpc } from "../../net/index.ts"
import type { ServerEvent } from "./counter-events.ts"
import type { KvCache } from "./kv-cache.ts"
import type { CounterKind, Counts, SqlStore } from "./sql-store.ts"

/** A statement sent to the database. */
export type DbRequest =
  | { readonly op: "select"; readonly key: string }
  | {
      readonly op: "set"
      readonly key: string
      readonly kind: CounterKind
      readonly value: number
      readonly read: number
    }
  | { readonly op: "add"; readonly key: string; readonly kind: CounterKind; readonly delta: number }
  | { readonly op: "insert"; readonly key: string; readonly kind: CounterKind; readonly value: number }
  | { readonly op: "upsert"; readonly key: string; readonly kind: CounterKind; readonly delta: number }

/** A command sent to the cache. */
export type CacheRequest =
  | { readonly op: "hgetall"; readonly key: string }
  | { readonly op: "fill"; readonly key: string; readonly counts: Counts }
  | { readonly op: "hincrby"; readonly key: string; readonly kind: CounterKind; readonly delta: number }
  | { readonly op: "script"; readonly key: string; readonly kind: CounterKind; readonly delta: number }
  | { readonly op: "exists"; readonly key: string }

/** Serves `rpc` on `node`, answering a repeated call id with its first answer. */
function serveOnce<Req>(rpc: Rpc, node: string, execute: (request: Req, client: string) => unknown): void {
  const done = new Map<number, unknown>()
  rpc.serve<Req, unknown>(node, (request, context) => {
    if (done.has(context.callId)) return done.get(context.callId)
    const response = execute(request, context.from)
    done.set(context.callId, response)
    return response
  })
}

/** Serves the database's statements on `node`. */
export function serveDatabase(rpc: Rpc, node: string, db: SqlStore, trace: TraceOf<ServerEvent>): void {
  serveOnce<DbRequest>(rpc, node, (request, client) => executeStatement(db, trace, request, client))
}

function executeStatement(db: SqlStore, trace: TraceOf<ServerEvent>, request: DbRequest, client: string): unknown {
  const { key } = request
  switch (request.op) {
    case "select": {
      const counts = db.select(key) ?? null
      trace.record({ type: "RowSelected", client, key, counts })
      return counts
    }
    case "set": {
      const { kind, value, read } = request
      const previous = db.peek(key)?.counts[kind] ?? 0
      db.upsertSet(key, kind, value)
      trace.record({ type: "CountOverwritten", client, key, kind, value, read, previous })
      return 1
    }
    case "add": {
      const rows = db.updateAdd(key, request.kind, request.delta)
      const value = rows === 1 ? db.peek(key)!.counts[request.kind] : null
      trace.record({ type: "CountAdded", client, key, kind: request.kind, delta: request.delta, value })
      return rows
    }
    case "insert": {
      const outcome = db.insert(key, request.kind, request.value)
      trace.record({
        type: "RowInserted",
        client,
        key,
        kind: request.kind,
        value: request.value,
        duplicate: !outcome.ok,
      })
      return outcome.ok
    }
    case "upsert": {
      const affected = db.upsertAdd(key, request.kind, request.delta)
      const value = db.peek(key)!.counts[request.kind]
      trace.record({
        type: "CountUpserted",
        client,
        key,
        kind: request.kind,
        delta: request.delta,
        inserted: affected === 1,
        value,
      })
      return affected
    }
  }
}

/** Serves the cache's commands on `node`; cache fills get a TTL of `ttlMs`. */
export function serveCache(rpc: Rpc, node: string, cache: KvCache, ttlMs: number, trace: TraceOf<ServerEvent>): void {
  cache.onExpire((key, expiredAtMs) => trace.record({ type: "CacheEntryExpired", key, expiredAtMs }))
  serveOnce<CacheRequest>(rpc, node, (request, client) => executeCommand(cache, ttlMs, trace, request, client))
}

function executeCommand(
  cache: KvCache,
  ttlMs: number,
  trace: TraceOf<ServerEvent>,
  request: CacheRequest,
  client: string,
): unknown {
  const { key } = request
  switch (request.op) {
    case "hgetall": {
      const fields = cache.hgetall(key)
      trace.record({ type: "CacheRead", client, key, hit: fields !== undefined })
      return fields ?? null
    }
    case "fill": {
      const set = cache.fillIfAbsent(key, request.counts, ttlMs)
      trace.record({ type: "CacheFilled", client, key, counts: request.counts, ttlMs, set })
      return set
    }
    case "exists": {
      const exists = cache.exists(key)
      trace.record({ type: "CacheKeyChecked", client, key, exists })
      return exists
    }
    case "script": {
      const value = cache.incrIfExists(key, request.kind, request.delta) ?? null
      trace.record({ type: "CacheScriptRan", client, key, kind: request.kind, delta: request.delta, value })
      return value
    }
    case "hincrby": {
      const created = cache.ttlMs(key) === undefined
      const value = cache.hincrby(key, request.kind, request.delta)
      trace.record({ type: "CacheIncremented", client, key, kind: request.kind, delta: request.delta, value, created })
      return value
    }
  }
}
