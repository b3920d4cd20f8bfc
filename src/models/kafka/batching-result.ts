/**
 * What linger.ms and batch.size bought in a run (the kafka-batching lesson): throughput, the
 * latency from send to acknowledgement, and requests per record, for the main run and each point of
 * a sweep. {@link BatchingResult.summary} is kafka-batching's JSON `metrics`, field for field.
 *
 * Latencies and throughput count only the records acknowledged by the end of the run: a record's
 * latency is its batch's acknowledgement time minus the record's send time; throughput is the
 * acknowledged records over the time of the last acknowledgement. Percentiles are nearest-rank
 * (the ⌈q·n⌉-th smallest); numbers are rounded to 3 decimals. See docs/kafka-replication.md.
 */
import type { JsonValue, ScenarioResult } from "../../check/core/index.ts"
import type { KafkaRunResult } from "./kafka-checks.ts"
import { RECORD_ACKED, type ProducerRecords } from "./producer-records.ts"

/** One configuration's numbers. */
export interface BatchingPoint {
  readonly lingerMs: number
  readonly batchSizeBytes: number
  /** Records acknowledged per second of simulated time, up to the last acknowledgement (rounded). */
  readonly throughput: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  /** Produce requests sent, retries included. */
  readonly requests: number
  /** Acknowledged records per request. */
  readonly recordsPerRequest: number
  /** Records acknowledged by the end of the run (latencies and throughput count only these). */
  readonly acknowledged: number
}

/** The nearest-rank `q`-quantile of sorted values: the ⌈q·n⌉-th smallest, 0 when there are none. */
export function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/**
 * Every acknowledged record's time from send to acknowledgement, sorted, and the last
 * acknowledgement's time: read batch by batch (one typed array, no per-record arrays).
 */
export function ackLatencies(
  records: ProducerRecords,
  acknowledged: number,
): { readonly latencies: Float64Array; readonly lastAckMs: number } {
  const latencies = new Float64Array(acknowledged)
  let n = 0
  let lastAckMs = 0
  for (const batch of records.batches) {
    if (batch.status !== RECORD_ACKED) continue
    for (const id of batch.records) latencies[n++] = batch.ackMs - records.sentMsOf(id)
    lastAckMs = Math.max(lastAckMs, batch.ackMs)
  }
  return { latencies: latencies.sort(), lastAckMs }
}

/** The numbers of one run with `lingerMs` and `batchSizeBytes` (see the file header). */
export function batchingPoint(
  run: KafkaRunResult,
  records: ProducerRecords,
  settings: { readonly lingerMs: number; readonly batchSizeBytes: number },
): BatchingPoint {
  const { latencies, lastAckMs } = ackLatencies(records, run.acknowledged)
  const round = (x: number): number => Math.round(x * 1000) / 1000
  return {
    lingerMs: settings.lingerMs,
    batchSizeBytes: settings.batchSizeBytes,
    throughput: Math.round(run.acknowledged / (Math.max(lastAckMs, 1) / 1000)),
    latencyP50Ms: round(nearestRank(latencies, 0.5)),
    latencyP99Ms: round(nearestRank(latencies, 0.99)),
    requests: run.requests,
    recordsPerRequest: round(run.acknowledged / Math.max(1, run.requests)),
    acknowledged: run.acknowledged,
  }
}

/** The main run's point and the sweep's; {@link BatchingResult.summary} is kafka-batching's JSON `metrics`. */
export class BatchingResult implements ScenarioResult {
  constructor(
    /** The run with the sim's own flags. */
    readonly main: BatchingPoint,
    /** The sweep's points, in the order they ran (empty without a sweep). */
    readonly sweep: readonly BatchingPoint[],
  ) {}

  /** kafka-batching's JSON metrics: the main run's numbers, then the sweep's points. */
  summary(): { readonly [metric: string]: JsonValue } {
    const main = this.main
    return {
      throughput: main.throughput,
      latencyP50Ms: main.latencyP50Ms,
      latencyP99Ms: main.latencyP99Ms,
      requests: main.requests,
      recordsPerRequest: main.recordsPerRequest,
      acknowledged: main.acknowledged,
      sweep: this.sweep.map((p) => ({ ...p })),
    }
  }
}
