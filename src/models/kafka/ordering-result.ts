/**
 * What a run says about order (the kafka-ordering lesson): each key's partition and whether its
 * records are stored in send order, how many partitions the keys used, and the inversions within
 * each partition's final log. Its `summary()` is kafka-ordering's JSON `metrics`, field for field.
 *
 * Record ids are assigned in send order, so a record stored after a record with a higher id was
 * overtaken (by a retry); only a record's first copy in a log counts (a duplicate is counted by
 * `duplicates`, not as an inversion). See docs/kafka-replication.md.
 */
import type { JsonValue, ScenarioResult } from "../../check/core/index.ts"
import { type KafkaRunResult, type KeyOrder, keyOrders } from "./kafka-checks.ts"
import { partitionFor } from "./partitioner.ts"
import type { ProducerRecords } from "./producer-records.ts"

/**
 * Records stored after a record that was sent later, within each partition's final log (first
 * copies only; record ids are assigned in send order). With one partition this is the topic's order.
 */
export function partitionInversions(result: KafkaRunResult): number {
  let inversions = 0
  for (const partition of result.partitions) {
    const seen = new Set<number>()
    let last = -1
    for (const id of partition.finalLog) {
      if (seen.has(id)) continue
      seen.add(id)
      if (id < last) inversions++
      last = Math.max(last, id)
    }
  }
  return inversions
}

/** What {@link orderingResult} reads. */
export interface OrderingInput {
  /** The scenario's result. Required. */
  readonly run: KafkaRunResult
  /** The producer's records (their keys). Required. */
  readonly records: ProducerRecords
  /** The keys the workload cycled over, in the order the report lists them (repeats are listed once). Required. */
  readonly keys: readonly string[]
  /** Partitions of the topic. Required, >= 1. */
  readonly partitions: number
}

/** A run judged for order; {@link OrderingResult.summary} is kafka-ordering's JSON `metrics`. */
export class OrderingResult implements ScenarioResult {
  /** Every distinct key in the order given, with its partition and inversions (a key with no stored record: 0 records). */
  readonly orders: readonly KeyOrder[]
  /** The keys with at least one inversion. */
  readonly reordered: readonly KeyOrder[]
  /** Distinct partitions the keys map to. */
  readonly partitionsUsed: number
  /** See {@link partitionInversions}. */
  readonly partitionOrderInversions: number
  /** Failed produce attempts (each retried or failed for good), summed over error codes. */
  readonly failedAttempts: number

  constructor(
    /** The scenario's result. */
    readonly run: KafkaRunResult,
    orders: readonly KeyOrder[],
  ) {
    this.orders = orders
    this.reordered = orders.filter((order) => order.inversions > 0)
    this.partitionsUsed = new Set(orders.map((order) => order.partition)).size
    this.partitionOrderInversions = partitionInversions(run)
    this.failedAttempts = Object.values(run.errors).reduce((sum, count) => sum + count, 0)
  }

  /** kafka-ordering's JSON metrics, in the order it reports them. */
  summary(): { readonly [metric: string]: JsonValue } {
    return {
      keyPartitions: Object.fromEntries(this.orders.map((order) => [order.key, order.partition])),
      reorderedKeys: this.reordered.length,
      duplicates: this.run.duplicates.length,
      acknowledged: this.run.acknowledged,
      partitionsUsed: this.partitionsUsed,
      partitionOrderInversions: this.partitionOrderInversions,
      requests: this.run.requests,
    }
  }
}

/** Judges a run for order: each distinct key of `input.keys` with its stored order (see {@link OrderingResult}). */
export function orderingResult(input: OrderingInput): OrderingResult {
  const stored = new Map(keyOrders(input.run, input.records).map((order) => [order.key, order]))
  const orders: KeyOrder[] = [...new Set(input.keys)].map(
    (key) =>
      stored.get(key) ?? {
        key,
        partition: partitionFor(key, input.partitions),
        records: 0,
        inversions: 0,
        firstInversion: "",
      },
  )
  return new OrderingResult(input.run, orders)
}
