/**
 * A SQL-like counter table: one row per unique key `(biz, bizId)` holding three counters (read,
 * like, collect) and a status column, with the statements a like counter is built from.
 *
 * Each method is one statement and runs atomically (the row lock serialises it against every
 * other statement on the row): `UPDATE ... SET n = n + ?` (`updateAdd`), `UPDATE ... SET n = ?`
 * (`updateSet`, what the application-side read-modify-write sends), `INSERT` (fails on a
 * duplicate key), `INSERT ... ON DUPLICATE KEY UPDATE n = n + ?` (`upsertAdd`, MySQL affected
 * rows: 1 inserted, 2 updated) and `INSERT ... ON DUPLICATE KEY UPDATE n = ?` (`upsertSet`). A
 * SELECT followed by an UPDATE is two statements: anything may run between them, which is how the
 * naive counter loses updates. Soft delete sets `status = "deleted"` (the row keeps its counts and
 * its unique key, so re-liking revives it); hard delete removes the row (a later upsert starts
 * from 0). Reads skip soft-deleted rows.
 *
 * Transactions cost time: {@link commitCostMs} is `rows × rowMs + fsyncMs` (innodb_flush_log_at_trx_commit = 1:
 * one log flush per commit).
 *
 * The semantics it relies on are in docs/counters.md.
 *
 * Invariants: at most one row per key; counters are integers. Left out: isolation levels (each
 * statement is its own transaction), group commit, secondary indexes.
 */

/** The counters of a row. */
export const COUNTER_KINDS = ["read", "like", "collect"] as const

/** One counter column. */
export type CounterKind = (typeof COUNTER_KINDS)[number]

/** The three counters of an article. */
export type Counts = Record<CounterKind, number>

/** A row of the counter table. */
export interface CounterRow {
  readonly counts: Counts
  /** `"active"`, or `"deleted"` after a soft delete. */
  readonly status: "active" | "deleted"
}

/** The outcome of an INSERT. */
export type InsertOutcome = { readonly ok: true } | { readonly ok: false; readonly error: "duplicate key" }

/** Zero counts. */
export function zeroCounts(): Counts {
  return { read: 0, like: 0, collect: 0 }
}

/** Options of a {@link SqlStore}. */
export interface SqlStoreOptions {
  /** Durability cost of one commit (a log fsync), in ms. Default 2. */
  readonly fsyncMs?: number
  /** Cost of writing one row inside a transaction, in ms. Default 0.05. */
  readonly rowMs?: number
}

/** The counter table. */
export class SqlStore {
  private readonly rows = new Map<string, { counts: Counts; status: "active" | "deleted" }>()
  /** Statements executed. */
  statements = 0
  /** The fsync cost of a commit, in ms. */
  readonly fsyncMs: number
  /** The cost of one row in a transaction, in ms. */
  readonly rowMs: number

  constructor(options: SqlStoreOptions = {}) {
    this.fsyncMs = options.fsyncMs ?? 2
    this.rowMs = options.rowMs ?? 0.05
  }

  /** `SELECT * WHERE key = ? AND status = 'active'`: a copy of the row's counts, or undefined. */
  select(key: string): Counts | undefined {
    this.statements++
    const row = this.rows.get(key)
    return row === undefined || row.status === "deleted" ? undefined : { ...row.counts }
  }

  /** `UPDATE SET kind = kind + delta WHERE key = ?` on an active row; returns the affected rows (0 or 1). */
  updateAdd(key: string, kind: CounterKind, delta: number): number {
    this.statements++
    const row = this.rows.get(key)
    if (row === undefined || row.status === "deleted") return 0
    row.counts[kind] += delta
    return 1
  }

  /** `UPDATE SET kind = value WHERE key = ?` on an active row; returns the affected rows (0 or 1). */
  updateSet(key: string, kind: CounterKind, value: number): number {
    this.statements++
    const row = this.rows.get(key)
    if (row === undefined || row.status === "deleted") return 0
    row.counts[kind] = value
    return 1
  }

  /** `INSERT (key, kind = value)`; fails on a duplicate key (a soft-deleted row still holds its key). */
  insert(key: string, kind: CounterKind, value: number): InsertOutcome {
    this.statements++
    if (this.rows.has(key)) return { ok: false, error: "duplicate key" }
    const counts = zeroCounts()
    counts[kind] = value
    this.rows.set(key, { counts, status: "active" })
    return { ok: true }
  }

  /**
   * `INSERT (kind = delta) ON DUPLICATE KEY UPDATE kind = kind + delta, status = 'active'`.
   * Returns MySQL's affected rows: 1 if inserted, 2 if an existing row was updated.
   */
  upsertAdd(key: string, kind: CounterKind, delta: number): 1 | 2 {
    this.statements++
    const row = this.rows.get(key)
    if (row === undefined) {
      const counts = zeroCounts()
      counts[kind] = delta
      this.rows.set(key, { counts, status: "active" })
      return 1
    }
    row.counts[kind] += delta
    row.status = "active"
    return 2
  }

  /** `INSERT (kind = value) ON DUPLICATE KEY UPDATE kind = value, status = 'active'`: 1 if inserted, 2 if updated. */
  upsertSet(key: string, kind: CounterKind, value: number): 1 | 2 {
    this.statements++
    const row = this.rows.get(key)
    if (row === undefined) {
      const counts = zeroCounts()
      counts[kind] = value
      this.rows.set(key, { counts, status: "active" })
      return 1
    }
    row.counts[kind] = value
    row.status = "active"
    return 2
  }

  /** Soft delete: `UPDATE SET status = 'deleted'`; the row and its counts stay. Returns affected rows. */
  softDelete(key: string): number {
    this.statements++
    const row = this.rows.get(key)
    if (row === undefined || row.status === "deleted") return 0
    row.status = "deleted"
    return 1
  }

  /** Hard delete: `DELETE WHERE key = ?`; the counts are gone. Returns affected rows. */
  hardDelete(key: string): number {
    this.statements++
    return this.rows.delete(key) ? 1 : 0
  }

  /** The row as stored, including soft-deleted ones (for observers and tests; not a statement). */
  peek(key: string): CounterRow | undefined {
    const row = this.rows.get(key)
    return row === undefined ? undefined : { counts: { ...row.counts }, status: row.status }
  }

  /** Rows stored, soft-deleted ones included. */
  get size(): number {
    return this.rows.size
  }

  /** The time one transaction writing `rows` rows takes: `rows × rowMs + fsyncMs`. */
  commitCostMs(rows: number): number {
    return rows * this.rowMs + this.fsyncMs
  }
}
