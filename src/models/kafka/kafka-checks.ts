/**
 * The checks on a Kafka run, in Maelstrom's vocabulary: `no-acked-write-lost` (an acknowledged
 * record missing from the final log), `no-duplicates` (a record stored twice) and `per-key-order`
 * (each key's records are stored in the order the application sent them), plus the counts.
 *
 * The verdicts are the checks core's `CheckResult` (`src/check/core`, the part of the checks layer
 * below models).
 *
 * Left out: consumer-side checks (unobserved, offsets read twice), which come with consumers (part 2).
 */
import type { CheckResult } from "../../check/core/index.ts"
import type { KafkaRunResult } from "./kafka-cluster.ts"
import type { ProducerRecords } from "./producer.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type KafkaVerdict = CheckResult

/** The counts of a run. */
export interface KafkaCounts {
  readonly acknowledged: number
  readonly lost: number
  readonly duplicates: number
  readonly rejected: number
}

/** The counts of `result`. */
export function kafkaCounts(result: KafkaRunResult): KafkaCounts {
  return { acknowledged: result.acknowledged, lost: result.lost.length, duplicates: result.duplicates.length, rejected: result.rejected }
}

/**
 * `no-acked-write-lost`: every acknowledged record is in its partition's final log. It says so
 * when it holds vacuously (nothing was acknowledged). With `acks` 0 no broker acknowledges
 * anything, so the check is `no-sent-write-lost` instead: every record the producer counted as sent
 * is in the final log.
 */
export function checkNoAckedWriteLost(result: KafkaRunResult, acks: 0 | 1 | -1 = -1): KafkaVerdict {
  const first = result.lost[0]
  if (acks === 0) {
    const name = "no-sent-write-lost"
    if (first === undefined) return { name, held: true, detail: `all ${result.acknowledged} records sent with acks=0 (never confirmed by a broker) are in the final log` }
    return { name, held: false, detail: `${result.lost.length} of ${result.acknowledged} records sent with acks=0 are missing, e.g. record ${first.id}: ${first.why}` }
  }
  if (first === undefined) {
    if (result.acknowledged === 0) {
      return { name: "no-acked-write-lost", held: true, detail: `vacuous: no record was acknowledged (${result.sent} sent, ${result.rejected} rejected), so none could be lost` }
    }
    return { name: "no-acked-write-lost", held: true, detail: `all ${result.acknowledged} acknowledged records are in the final log` }
  }
  return {
    name: "no-acked-write-lost",
    held: false,
    detail: `${result.lost.length} of ${result.acknowledged} acknowledged records are missing, e.g. record ${first.id}: ${first.why}`,
  }
}

/** `no-duplicates`: no record is stored twice in the final logs. */
export function checkNoDuplicates(result: KafkaRunResult): KafkaVerdict {
  const first = result.duplicates[0]
  if (first === undefined && result.acknowledged === 0) return { name: "no-duplicates", held: true, detail: "vacuous: no record was acknowledged, and none appears twice in a final log" }
  if (first === undefined) return { name: "no-duplicates", held: true, detail: "no record appears twice in a final log" }
  return { name: "no-duplicates", held: false, detail: `${result.duplicates.length} record(s) appear twice, e.g. record ${first}` }
}

/** How one key's records were stored. */
export interface KeyOrder {
  readonly key: string
  readonly partition: number
  /** Distinct records of the key in the final log. */
  readonly records: number
  /** Records stored after a record the application sent later. */
  readonly inversions: number
  /** The first inversion in words, or "". */
  readonly firstInversion: string
}

/**
 * Each key's records in final-log order (first copies only) against send order (record ids are
 * assigned in send order).
 */
export function keyOrders(result: KafkaRunResult, records: ProducerRecords): KeyOrder[] {
  const byKey = new Map<string, { partition: number; records: number; inversions: number; last: number; firstInversion: string }>()
  for (const partition of result.partitions) {
    const seen = new Set<number>()
    for (const id of partition.finalLog) {
      const key = id < records.count ? records.keyOf(id) : null
      if (key === null || seen.has(id)) continue
      seen.add(id)
      let entry = byKey.get(key)
      if (entry === undefined) {
        entry = { partition: partition.partition, records: 0, inversions: 0, last: -1, firstInversion: "" }
        byKey.set(key, entry)
      }
      entry.records++
      if (id < entry.last) {
        entry.inversions++
        if (entry.firstInversion === "") entry.firstInversion = `record ${id} stored after record ${entry.last}, which was sent later`
      }
      entry.last = Math.max(entry.last, id)
    }
  }
  return [...byKey].map(([key, e]) => ({ key, partition: e.partition, records: e.records, inversions: e.inversions, firstInversion: e.firstInversion }))
}

/** `per-key-order`: every key's records are stored in the order they were sent. */
export function checkPerKeyOrder(orders: readonly KeyOrder[]): KafkaVerdict {
  const reordered = orders.filter((order) => order.inversions > 0)
  const testable = orders.filter((order) => order.records >= 2).length
  if (reordered.length === 0 && testable === 0) return { name: "per-key-order", held: true, detail: `vacuous: no key has two records in the final log (${orders.length} keys)` }
  if (reordered.length === 0) return { name: "per-key-order", held: true, detail: `every key's records are stored in send order (${orders.length} keys, ${testable} with 2 or more records)` }
  return { name: "per-key-order", held: false, detail: `${reordered.length} key(s) reordered, e.g. ${reordered[0]!.key}: ${reordered[0]!.firstInversion}` }
}
