/**
 * The cost of durability: inserting N rows with one commit per row, or one commit per batch.
 *
 * A writer on the database has `rows` rows ready at the start and inserts them in transactions of
 * `batchSize` rows (the last one may be smaller). Each transaction costs `rows × rowMs + fsyncMs`
 * (see {@link SqlStore.commitCostMs}; each flush may vary by ±`fsyncJitter` × fsyncMs, uniformly):
 * with `innodb_flush_log_at_trx_commit = 1` every commit flushes the log to disk. A row is
 * acknowledged when its transaction commits. So with one commit per row the run takes
 * `N × (rowMs + fsyncMs)`; with batches `N × rowMs + ⌈N / batchSize⌉ × fsyncMs` — the fsync is paid
 * once per batch, as a Kafka consumer commits its offset once per batch. With every row ready at the
 * start, batching also shortens each row's wait for its commit; the price is that a crash before a
 * commit loses the whole uncommitted batch (and, when rows trickle in, a row waits for its batch to
 * fill — left out here).
 *
 * Invariants: every row is committed exactly once; rows commit in order. Left out: group commit
 * across concurrent writers, flush modes 0 and 2 (flush about once per second), replication.
 */
import type { Simulation } from "../../kernel/index.ts"
import { SqlStore } from "./sql-store.ts"

/** Options of {@link BatchWriter}. */
export interface BatchWriterOptions {
  /** Rows to insert. Required, >= 1. */
  readonly rows: number
  /** Rows per transaction; 1: one commit per row. Required, >= 1. */
  readonly batchSize: number
  /** Cost of a commit's log flush, in ms. Required, >= 0. */
  readonly fsyncMs: number
  /** Cost of writing one row, in ms. Required, >= 0. */
  readonly rowMs: number
  /** Each flush takes uniform [1 − j, 1 + j] × fsyncMs; 0: exactly fsyncMs. Default 0, at most 1. */
  readonly fsyncJitter?: number
  /** Name of the writer's process, random stream and trace records. Default "writer". */
  readonly name?: string
  /**
   * How many of the first commits to keep in {@link BatchWriter.commits} (the result counts all of
   * them either way). Default Infinity; a long run that shows only its first commits keeps a few,
   * so its memory does not grow with its length.
   */
  readonly keepCommits?: number
  /**
   * Whether the rows go into {@link BatchWriter.store} (a table that keeps every row). Default
   * true; false when only the costs matter, so memory does not grow with `rows`.
   */
  readonly keepRows?: boolean
}

/** One committed transaction. */
export interface CommitRecord {
  /** When it committed, in ms. */
  readonly t: number
  /** Rows in it. */
  readonly rows: number
}

/** What a writer measured. */
export interface BatchWriterResult {
  readonly batchSize: number
  /** Transactions committed. */
  readonly commits: number
  /** When the last row committed, measured from the start, in ms. */
  readonly totalMs: number
  /** Rows per second. */
  readonly rowsPerSecond: number
  /** Mean time from the start (every row is ready then) to the row's commit, in ms. */
  readonly meanAckMs: number
  /** Time spent flushing, in ms (the sum of the flushes). */
  readonly fsyncTotalMs: number
}

/** A writer inserting rows in batches; it starts when built. */
export class BatchWriter {
  /** The table it writes to. */
  readonly store: SqlStore
  /** Commits in order: the first `keepCommits` of them. */
  readonly commits: CommitRecord[] = []
  private readonly startedAt: number
  private ackSumMs = 0
  private fsyncSumMs = 0
  private commitCount = 0
  private rowsCommitted = 0
  private lastCommitMs: number | undefined

  constructor(
    private readonly sim: Simulation,
    private readonly options: BatchWriterOptions,
  ) {
    if (!(Number.isInteger(options.rows) && options.rows >= 1)) throw new RangeError(`rows must be an integer >= 1, got ${options.rows}`)
    if (!(Number.isInteger(options.batchSize) && options.batchSize >= 1)) throw new RangeError(`batchSize must be an integer >= 1, got ${options.batchSize}`)
    const jitter = options.fsyncJitter ?? 0
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`fsyncJitter must be in [0, 1], got ${jitter}`)
    this.store = new SqlStore({ fsyncMs: options.fsyncMs, rowMs: options.rowMs })
    this.startedAt = sim.now
    sim.spawn(this.write(), options.name ?? "writer")
  }

  private *write(): Generator<any, void, any> {
    const { rows, batchSize, rowMs, fsyncMs } = this.options
    const name = this.options.name ?? "writer"
    const jitter = this.options.fsyncJitter ?? 0
    const rng = this.sim.random(name)
    for (let first = 0; first < rows; first += batchSize) {
      const size = Math.min(batchSize, rows - first)
      for (let row = first; row < first + size; row++) {
        if (this.options.keepRows ?? true) this.store.insert(`row:${row}`, "read", 0)
        if (rowMs > 0) yield* this.sim.sleep(rowMs)
      }
      const flushMs = jitter === 0 ? fsyncMs : fsyncMs * rng.uniform(1 - jitter, 1 + jitter)
      if (flushMs > 0) yield* this.sim.sleep(flushMs)
      this.fsyncSumMs += flushMs
      if (this.commits.length < (this.options.keepCommits ?? Infinity)) this.commits.push({ t: this.sim.now, rows: size })
      this.commitCount++
      this.rowsCommitted += size
      this.lastCommitMs = this.sim.now
      this.sim.trace.record("Committed", { writer: name, rows: size })
      this.ackSumMs += size * (this.sim.now - this.startedAt)
    }
  }

  /** What it measured (call after the run). */
  result(): BatchWriterResult {
    const totalMs = this.lastCommitMs === undefined ? 0 : this.lastCommitMs - this.startedAt
    const rows = this.rowsCommitted
    return {
      batchSize: this.options.batchSize,
      commits: this.commitCount,
      totalMs,
      rowsPerSecond: totalMs === 0 ? 0 : (rows / totalMs) * 1000,
      meanAckMs: rows === 0 ? 0 : this.ackSumMs / rows,
      fsyncTotalMs: this.fsyncSumMs,
    }
  }
}

/** The predicted total of a run: `rows × rowMs + ⌈rows / batchSize⌉ × fsyncMs`. */
export function predictedBatchMs(options: Pick<BatchWriterOptions, "rows" | "batchSize" | "fsyncMs" | "rowMs">): number {
  return options.rows * options.rowMs + Math.ceil(options.rows / options.batchSize) * options.fsyncMs
}
