/**
 * The ordering result (kafka-ordering's metrics): inversions within each partition's final log,
 * each key's order against send order, and `summary()` field for field, on fixed final logs.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  KafkaScenario,
  type KafkaRunResult,
  orderingResult,
  partitionFor,
  partitionInversions,
  ProducerRecords,
} from "../../../src/models/kafka/index.ts"

/** A real (tiny) run's result with its partitions' final logs replaced by `logs`. */
function runWithLogs(logs: readonly (readonly number[])[], extra: Partial<KafkaRunResult> = {}): KafkaRunResult {
  const sim = new Simulation({ seed: 1 })
  const run = new KafkaScenario(sim, { partitions: 1, workload: { messages: 0, ratePerSecond: 1000 } }).run()
  const template = run.partitions[0]!
  const partitions = logs.map((finalLog, partition) => ({ ...template, partition, finalLog }))
  return { ...run, partitions, ...extra }
}

/** Records `0..keys.length-1` with these keys, sent at t=0. */
function recordsWithKeys(keys: readonly string[]): ProducerRecords {
  const records = new ProducerRecords()
  for (const key of keys) records.added(key, 0)
  return records
}

describe("partitionInversions", () => {
  it("counts each first copy stored after a record sent later, per partition", () => {
    expect(partitionInversions(runWithLogs([[0, 1, 2, 3]]))).toBe(0)
    expect(partitionInversions(runWithLogs([[0, 2, 1, 3]]))).toBe(1)
    expect(partitionInversions(runWithLogs([[3, 0, 1, 2]]))).toBe(3)
    // A duplicate is not an inversion; order is per partition, not across them.
    expect(partitionInversions(runWithLogs([[0, 1, 1, 2], [5], [4]]))).toBe(0)
    expect(
      partitionInversions(
        runWithLogs([
          [2, 0],
          [3, 1],
        ]),
      ),
    ).toBe(2)
  })
})

describe("orderingResult", () => {
  it("lists every distinct key in the order given, a key with no stored record with its partition and 0 records", () => {
    const keys = ["a", "b", "a", "b"]
    const run = runWithLogs([[0, 2, 3, 1]], { duplicates: [], acknowledged: 4, requests: 7 })
    const result = orderingResult({ run, records: recordsWithKeys(keys), keys: ["a", "b", "a", "zz"], partitions: 4 })
    expect(result.orders).toEqual([
      { key: "a", partition: 0, records: 2, inversions: 0, firstInversion: "" },
      {
        key: "b",
        partition: 0,
        records: 2,
        inversions: 1,
        firstInversion: "record 1 stored after record 3, which was sent later",
      },
      { key: "zz", partition: partitionFor("zz", 4), records: 0, inversions: 0, firstInversion: "" },
    ])
    expect(result.reordered.map((order) => order.key)).toEqual(["b"])
    expect(result.partitionOrderInversions).toBe(1)
    expect(result.partitionsUsed).toBe(new Set([0, partitionFor("zz", 4)]).size)
  })

  it("summary() is kafka-ordering's metrics, field for field and in order", () => {
    const keys = ["x", "y", "x"]
    const run = runWithLogs([[0, 2], [1]], {
      duplicates: [2],
      acknowledged: 3,
      requests: 5,
      errors: { NOT_ENOUGH_REPLICAS: 2, REQUEST_TIMED_OUT: 1 },
    })
    const result = orderingResult({ run, records: recordsWithKeys(keys), keys: ["x", "y"], partitions: 2 })
    expect(result.failedAttempts).toBe(3)
    expect(JSON.stringify(result.summary())).toBe(
      JSON.stringify({
        keyPartitions: { x: 0, y: 1 },
        reorderedKeys: 0,
        duplicates: 1,
        acknowledged: 3,
        partitionsUsed: 2,
        partitionOrderInversions: 0,
        requests: 5,
      }),
    )
  })
})
