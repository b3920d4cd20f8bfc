/**
 * The database server of the like-counter scenario: a {@link SqlStore} behind the `sql` service.
 * Each request is one statement, run atomically when it reaches the server; a retransmitted or
 * duplicated request (same call id) gets the first answer again and is not run twice. Each
 * statement records one event of what it did (`counter-events.ts`); the server judges nothing.
 * (The cache is the shared simulated Redis, `src/models/redis`.)
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { Rpc } from "../../net/index.ts"
import type { ServerEvent } from "./counter-events.ts"
import type { CounterKind, SqlStore } from "./sql-store.ts"

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
