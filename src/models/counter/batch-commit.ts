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
import { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import type { TransactionCommitted } from "./counter-events.ts"
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
   * Whether the rows go into {@link BatchWriter.store} (a table that keeps every row). Default
   * true; false when only the costs matter, so memory does not grow with `rows`.
   */
  readonly keepRows?: boolean
  /** Where it records its commits. Default: the simulation's trace. */
  readonly trace?: TraceOf<TransactionCommitted>
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

/** A writer inserting rows in batches; it starts when built and records each commit. */
export class BatchWriter {
  /** The table it writes to. */
  readonly store: SqlStore
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
    const { rows, batchSize } = options
    if (!(Number.isInteger(rows) && rows >= 1)) throw new RangeError(`rows must be an integer >= 1, got ${rows}`)
    if (!(Number.isInteger(batchSize) && batchSize >= 1))
      throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`)
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
    const trace: TraceOf<TransactionCommitted> = this.options.trace ?? this.sim.trace
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
      this.commitCount++
      this.rowsCommitted += size
      this.lastCommitMs = this.sim.now
      trace.record({ type: "TransactionCommitted", writer: name, batchSize, commit: this.commitCount, rows: size })
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
export function predictedBatchMs(
  options: Pick<BatchWriterOptions, "rows" | "batchSize" | "fsyncMs" | "rowMs">,
): number {
  return options.rows * options.rowMs + Math.ceil(options.rows / options.batchSize) * options.fsyncMs
}

/** Options of a {@link BatchCommitScenario}. */
export interface BatchCommitScenarioOptions {
  /** Rows each writer inserts. Required, >= 1. */
  readonly rows: number
  /** Rows per commit of the batched run. Required, >= 1. */
  readonly batchSize: number
  /** Every batch size to run side by side; 1 and `batchSize` are added. Default: none more. */
  readonly comparedBatchSizes?: readonly number[]
  /** Cost of a commit's log flush, in ms. Required, >= 0. */
  readonly fsyncMs: number
  /** Cost of writing one row, in ms. Required, >= 0. */
  readonly rowMs: number
  /** Each flush takes uniform [1 − j, 1 + j] × fsyncMs. Default 0. */
  readonly fsyncJitter?: number
}

/** What the writers measured, one per batch size in increasing order. */
export class BatchCommitResult implements ScenarioResult {
  /** The writer with one commit per row. */
  readonly perRow: BatchWriterResult
  /** The writer with `batchSize` rows per commit. */
  readonly batched: BatchWriterResult

  constructor(
    readonly results: readonly BatchWriterResult[],
    batchSize: number,
  ) {
    this.perRow = results.find((r) => r.batchSize === 1)!
    this.batched = results.find((r) => r.batchSize === batchSize)!
  }

  /** How many times faster the batched run finished: perRow / batched total time (1 for none). */
  get speedup(): number {
    return this.batched.totalMs === 0 ? 1 : this.perRow.totalMs / this.batched.totalMs
  }

  /** The batch-commit sim's JSON metrics. */
  summary(): { readonly [metric: string]: JsonValue } {
    const { perRow, batched } = this
    return {
      perRowCommitMs: perRow.totalMs,
      batchedMs: batched.totalMs,
      speedup: this.speedup,
      commits: { perRow: perRow.commits, batched: batched.commits },
      rowsPerSecond: { perRow: perRow.rowsPerSecond, batched: batched.rowsPerSecond },
      meanAckMs: { perRow: perRow.meanAckMs, batched: batched.meanAckMs },
    }
  }
}

/**
 * One writer per batch size, side by side in one simulation (each with its own random stream), so
 * one commit per row and batches can be compared on the same seed. Rows are not kept (costs only).
 */
export class BatchCommitScenario implements Scenario<BatchCommitResult> {
  /** The batch sizes run, in increasing order. */
  readonly batchSizes: readonly number[]
  private readonly writers: BatchWriter[]

  constructor(
    /** The simulation to build in. */
    readonly sim: Simulation,
    private readonly options: BatchCommitScenarioOptions,
  ) {
    const sizes = new Set([1, ...(options.comparedBatchSizes ?? []), options.batchSize])
    this.batchSizes = [...sizes].sort((a, b) => a - b)
    this.writers = this.batchSizes.map(
      (batchSize) =>
        new BatchWriter(sim, {
          rows: options.rows,
          batchSize,
          fsyncMs: options.fsyncMs,
          rowMs: options.rowMs,
          fsyncJitter: options.fsyncJitter ?? 0,
          name: `batch-${batchSize}`,
          keepRows: false,
        }),
    )
  }

  /** Runs every writer to its last commit. */
  run(advance: Advance = runUntil): BatchCommitResult {
    advance(this.sim, Infinity)
    return new BatchCommitResult(
      this.writers.map((writer) => writer.result()),
      this.options.batchSize,
    )
  }
}
