/**
 * The batching result (kafka-batching's metrics): nearest-rank percentiles, latencies read batch
 * by batch (acknowledged batches only), a point's rounding, and `summary()` field for field.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  ackLatencies,
  type BatchingPoint,
  batchingPoint,
  BatchingResult,
  KafkaScenario,
  type KafkaRunResult,
  nearestRank,
  ProducerRecords,
  RECORD_ACKED,
  RECORD_FAILED,
} from "../../../src/models/kafka/index.ts"

/** Records sent at `sentMs[i]`, in batches `[ids, status, ackMs]`. */
function records(sentMs: readonly number[], batches: readonly [number[], number, number][]): ProducerRecords {
  const recs = new ProducerRecords()
  for (const t of sentMs) recs.added(null, t)
  for (const [ids, status, ackMs] of batches)
    recs.batches.push({
      records: ids,
      partition: 0,
      status,
      error: "NONE",
      ackMs,
      baseOffset: -1,
      ackedBy: -1,
      ackedEpoch: -1,
    })
  return recs
}

function emptyRun(extra: Partial<KafkaRunResult>): KafkaRunResult {
  const sim = new Simulation({ seed: 1 })
  const run = new KafkaScenario(sim, { partitions: 1, workload: { messages: 0, ratePerSecond: 1000 } }).run()
  return { ...run, ...extra }
}

describe("nearestRank", () => {
  it("is the ⌈q·n⌉-th smallest, 0 for no values", () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(nearestRank(sorted, 0.5)).toBe(5)
    expect(nearestRank(sorted, 0.99)).toBe(10)
    expect(nearestRank(sorted, 0.01)).toBe(1)
    expect(nearestRank(Float64Array.from([7]), 0.5)).toBe(7)
    expect(nearestRank(new Float64Array(0), 0.5)).toBe(0)
  })
})

describe("ackLatencies", () => {
  it("reads acknowledged batches only, sorted, with the last acknowledgement's time", () => {
    const recs = records(
      [0, 0, 10, 20],
      [
        [[0, 1], RECORD_ACKED, 30],
        [[2], RECORD_FAILED, NaN],
        [[3], RECORD_ACKED, 25],
      ],
    )
    const { latencies, lastAckMs } = ackLatencies(recs, 3)
    expect([...latencies]).toEqual([5, 30, 30])
    expect(lastAckMs).toBe(30)
  })
})

describe("batchingPoint and BatchingResult", () => {
  it("rounds to 3 decimals and counts throughput up to the last acknowledgement", () => {
    const recs = records(
      [0, 0, 0],
      [
        [[0], RECORD_ACKED, 1.00049],
        [[1, 2], RECORD_ACKED, 3000],
      ],
    )
    const run = emptyRun({ acknowledged: 3, requests: 2 })
    expect(batchingPoint(run, recs, { lingerMs: 5, batchSizeBytes: 1024 })).toEqual({
      lingerMs: 5,
      batchSizeBytes: 1024,
      throughput: 1,
      latencyP50Ms: 3000,
      latencyP99Ms: 3000,
      requests: 2,
      recordsPerRequest: 1.5,
      acknowledged: 3,
    })
    const none = batchingPoint(emptyRun({ acknowledged: 0, requests: 0 }), records([], []), {
      lingerMs: 0,
      batchSizeBytes: 0,
    })
    expect(none).toMatchObject({ throughput: 0, latencyP50Ms: 0, latencyP99Ms: 0, recordsPerRequest: 0 })
  })

  it("summary() is kafka-batching's metrics, field for field and in order", () => {
    const point = (lingerMs: number): BatchingPoint => ({
      lingerMs,
      batchSizeBytes: 16384,
      throughput: 100,
      latencyP50Ms: 1.5,
      latencyP99Ms: 9.25,
      requests: 40,
      recordsPerRequest: 2.5,
      acknowledged: 100,
    })
    const result = new BatchingResult(point(5), [point(0), point(100)])
    expect(JSON.stringify(result.summary())).toBe(
      JSON.stringify({
        throughput: 100,
        latencyP50Ms: 1.5,
        latencyP99Ms: 9.25,
        requests: 40,
        recordsPerRequest: 2.5,
        acknowledged: 100,
        sweep: [point(0), point(100)],
      }),
    )
    expect(new BatchingResult(point(5), []).summary().sweep).toEqual([])
  })
})
