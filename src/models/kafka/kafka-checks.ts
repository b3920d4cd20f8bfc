/**
 * The accounting and checks of a Kafka run, in the vocabulary of the checks core's `checkLog`
 * (Jepsen's Maelstrom): the acknowledged writes (the producer's outcome of every record) against
 * the final log of every partition; an acknowledged record missing from it is lost
 * (`no-acked-write-lost`), a record stored twice is duplicated (`no-duplicates`), and each key's
 * records must be stored in the order the application sent them (`per-key-order`).
 *
 * {@link kafkaOutcome} reads only public final state (the final logs and replicas the scenario
 * found, the producer's record outcomes) and the typed events (the {@link KafkaHistory} built from
 * the trace); it also explains each loss from those events ("acked at offset 12 by leader b1 ...;
 * b1 truncated offsets 10-14 ... to follow b2"). The simulated actors never judge themselves.
 * The records are counted with a bitset rather than `checkLog`'s per-record entries, so a run of
 * millions of records keeps one bit per record.
 *
 * Left out: consumer-side checks (unobserved, offsets read twice), which come with consumers (part 2).
 */
import type { AcknowledgedWrite, CheckResult, LogEntry, LogHistory } from "../../check/core/index.ts"
import { formatMs } from "../../kernel/index.ts"
import type { KafkaHistory } from "./kafka-history.ts"
import type { LogBatch } from "./partition-log.ts"
import { type ProducerRecords, RECORD_ACKED, RECORD_FAILED } from "./producer-records.ts"

/** One replica of a partition at the end of a run. */
export interface ReplicaSummary {
  readonly broker: number
  readonly up: boolean
  /** LEO and high watermark, or null if its disk was lost and it has not restarted. */
  readonly logEndOffset: number | null
  readonly highWatermark: number | null
}

/** A partition at the end of a run. */
export interface PartitionSummary {
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  readonly replicas: readonly ReplicaSummary[]
  /** Record ids of the final log, in offset order (built from the log's batches when first read). */
  readonly finalLog: readonly number[]
}

/** A partition's public final state, as the scenario found it after the run. */
export interface FinalPartition {
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  readonly replicas: readonly ReplicaSummary[]
  /** The batches of its final log (see the scenario), or undefined when no replica kept its disk. */
  readonly finalBatches: readonly LogBatch[] | undefined
}

/** An acknowledged record missing from the final log, and why. */
export interface LostRecord {
  readonly id: number
  readonly partition: number
  /** Offset the acknowledgement reported (-1 with acks=0). */
  readonly offset: number
  readonly ackedAt: number
  readonly ackedBy: number
  /** True when a consumer could have read it (it was below the high watermark of the leader that acknowledged it). */
  readonly visible: boolean
  /** What removed it, as a category (see {@link LostCause}); `why` tells the same in words. */
  readonly cause: LostCause
  readonly why: string
}

/**
 * Why an acknowledged record is missing: `truncated` (the broker that acknowledged it cut it off its
 * log to follow a new leader), `unclean` (a replica outside the ISR became leader without it),
 * `new-leader` (a leader from the ISR took over without it: only with acks=0/1), `no-disk` (no
 * replica kept its disk), `never-stored` (it never reached the log that survived).
 */
export type LostCause = "truncated" | "unclean" | "new-leader" | "no-disk" | "never-stored"

/** What a run produced. */
export interface KafkaRunResult {
  readonly partitions: readonly PartitionSummary[]
  /** Records handed to the producer. */
  readonly sent: number
  /** Records acknowledged to the producer. */
  readonly acknowledged: number
  /** Records that failed for good (delivery timeout / retries exhausted). */
  readonly rejected: number
  /** Acknowledged records missing from the final log. */
  readonly lost: readonly LostRecord[]
  /** Of those, the ones a consumer could have read before they vanished (only unclean elections and disk loss). */
  readonly visibleLost: number
  /** Record ids that appear more than once in a final log. */
  readonly duplicates: readonly number[]
  /** Leader changes after the initial election. */
  readonly leaderChanges: number
  /** Total time partitions had no live leader, summed over partitions, in ms. */
  readonly unavailableMs: number
  /** Produce requests sent, retries included. */
  readonly requests: number
  /** Failed produce attempts by error code. */
  readonly errors: Readonly<Record<string, number>>
  /** The simulated time the run ended. */
  readonly endMs: number
}

/** What {@link kafkaOutcome} reads. */
export interface KafkaOutcomeInput {
  readonly partitions: readonly FinalPartition[]
  /** The producer's outcome of every record. */
  readonly records: ProducerRecords
  readonly history: KafkaHistory
  readonly acks: 0 | 1 | -1
  /** Records the workload handed to the producer. */
  readonly sent: number
  readonly unavailableMs: number
  readonly endMs: number
}

/** The outcome of a run: acknowledged writes against the final logs, lost and duplicated records, explained. */
export function kafkaOutcome(input: KafkaOutcomeInput): KafkaRunResult {
  const { records, history } = input
  const stored = new Uint8Array((records.count + 7) >>> 3)
  const duplicates: number[] = []
  const partitions = input.partitions.map((partition) => summarise(partition, stored, duplicates))
  let acknowledged = 0
  let rejected = 0
  const lost: LostRecord[] = []
  for (const batch of records.batches) {
    if (batch.status === RECORD_FAILED) rejected += batch.records.length
    if (batch.status !== RECORD_ACKED) continue
    acknowledged += batch.records.length
    const ids = batch.records
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      if ((stored[id >>> 3]! & (1 << (id & 7))) !== 0) continue
      const partition = batch.partition
      const offset = batch.baseOffset < 0 ? -1 : batch.baseOffset + i
      const visible = offset >= 0 && history.wasVisible(partition, batch.ackedEpoch, offset)
      const hasLog = input.partitions[partition]?.finalBatches !== undefined
      const { cause, why } = whyLost(history, input.acks, hasLog, {
        partition,
        offset,
        ackedAt: batch.ackMs,
        ackedBy: batch.ackedBy,
      })
      lost.push({ id, partition, offset, ackedAt: batch.ackMs, ackedBy: batch.ackedBy, visible, cause, why })
    }
  }
  lost.sort((x, y) => x.id - y.id)
  return {
    partitions,
    sent: input.sent,
    acknowledged,
    rejected,
    lost,
    visibleLost: lost.filter((record) => record.visible).length,
    duplicates,
    leaderChanges: history.elections.filter((e) => e.previousLeader !== -1 || e.t > 0).length,
    unavailableMs: input.unavailableMs,
    requests: records.requests,
    errors: Object.fromEntries(records.errorCounts),
    endMs: input.endMs,
  }
}

/**
 * The run as `checkLog`'s input: each acknowledged record as an acknowledged write (key `p<partition>`,
 * value its record id, offset as acknowledged) and each partition's final log as entries. One
 * object per record: for small runs and tests (the accounting above keeps one bit per record).
 */
export function kafkaLogHistory(result: KafkaRunResult, records: ProducerRecords): LogHistory {
  const acknowledged: AcknowledgedWrite[] = []
  for (const batch of records.batches) {
    if (batch.status !== RECORD_ACKED) continue
    batch.records.forEach((id, i) => {
      const key = `p${batch.partition}`
      acknowledged.push(batch.baseOffset < 0 ? { key, value: id } : { key, value: id, offset: batch.baseOffset + i })
    })
  }
  const final: LogEntry[] = result.partitions.flatMap((p) =>
    p.finalLog.map((value, offset) => ({ key: `p${p.partition}`, offset, value })),
  )
  return { acknowledged, final }
}

/** The partition's summary; marks its records in `stored` and lists the ones already marked in `duplicates`. */
function summarise(partition: FinalPartition, stored: Uint8Array, duplicates: number[]): PartitionSummary {
  const batches = partition.finalBatches ?? []
  for (const batch of batches) {
    for (const id of batch.records) {
      const bit = 1 << (id & 7)
      if ((stored[id >>> 3]! & bit) !== 0) duplicates.push(id)
      else stored[id >>> 3]! |= bit
    }
  }
  let finalLog: readonly number[] | undefined
  const { finalBatches: _, ...state } = partition
  return {
    ...state,
    get finalLog(): readonly number[] {
      finalLog ??= batches.flatMap((batch) => batch.records)
      return finalLog
    },
  }
}

/** Where an acknowledged record was written. */
interface Acknowledgement {
  readonly partition: number
  readonly offset: number
  readonly ackedAt: number
  readonly ackedBy: number
}

/** Why an acknowledged record is not in the final log, from the run's elections and truncations. */
function whyLost(
  history: KafkaHistory,
  acks: 0 | 1 | -1,
  hasLog: boolean,
  ack: Acknowledgement,
): { cause: LostCause; why: string } {
  const { partition, offset, ackedAt, ackedBy } = ack
  const at = formatMs(ackedAt)
  const head =
    acks === 0
      ? `sent with acks=0 to b${ackedBy} at t=${at} (never confirmed)`
      : `acked at offset ${offset} by leader b${ackedBy} at t=${at} (acks=${acks === -1 ? "all" : acks})`
  if (offset >= 0) {
    const cut = history.truncations.find(
      (t) =>
        t.partition === partition &&
        t.broker === ackedBy &&
        t.t >= ackedAt &&
        t.toOffset <= offset &&
        t.fromOffset > offset,
    )
    if (cut !== undefined) {
      const election = history.elections
        .filter((e) => e.partition === partition && e.t <= cut.t && e.leader === cut.leader)
        .pop()
      const how =
        election === undefined
          ? ""
          : `, elected at t=${formatMs(election.t)}${election.unclean ? " (unclean: outside the ISR)" : ""}`
      const cutAt = `${cut.toOffset}-${cut.fromOffset - 1} at t=${formatMs(cut.t)}`
      const leader = `b${cut.leader} (epoch ${cut.leaderEpoch}${how})`
      const why = `${head}; b${ackedBy} truncated offsets ${cutAt} to follow ${leader}, whose log did not have it`
      return { cause: election?.unclean === true ? "unclean" : "truncated", why }
    }
  }
  const after = history.elections.find(
    (e) => e.partition === partition && e.t >= ackedAt && e.leader !== ackedBy && e.leader >= 0,
  )
  if (after !== undefined) {
    const how = after.unclean ? " by unclean election" : ""
    const why = `${head}; b${after.leader} became leader at t=${formatMs(after.t)}${how} without it`
    return { cause: after.unclean ? "unclean" : "new-leader", why }
  }
  if (!hasLog) return { cause: "no-disk", why: `${head}; no replica of partition ${partition} kept its disk` }
  return { cause: "never-stored", why: `${head}; it never reached the log that survived` }
}

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
  return {
    acknowledged: result.acknowledged,
    lost: result.lost.length,
    duplicates: result.duplicates.length,
    rejected: result.rejected,
  }
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
    if (first === undefined)
      return {
        name,
        held: true,
        detail: `all ${result.acknowledged} records sent with acks=0 (never confirmed by a broker) are in the final log`,
      }
    return {
      name,
      held: false,
      detail: `${result.lost.length} of ${result.acknowledged} records sent with acks=0 are missing, e.g. record ${first.id}: ${first.why}`,
    }
  }
  if (first === undefined) {
    if (result.acknowledged === 0) {
      return {
        name: "no-acked-write-lost",
        held: true,
        detail: `vacuous: no record was acknowledged (${result.sent} sent, ${result.rejected} rejected), so none could be lost`,
      }
    }
    return {
      name: "no-acked-write-lost",
      held: true,
      detail: `all ${result.acknowledged} acknowledged records are in the final log`,
    }
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
  if (first === undefined && result.acknowledged === 0)
    return {
      name: "no-duplicates",
      held: true,
      detail: "vacuous: no record was acknowledged, and none appears twice in a final log",
    }
  if (first === undefined)
    return { name: "no-duplicates", held: true, detail: "no record appears twice in a final log" }
  return {
    name: "no-duplicates",
    held: false,
    detail: `${result.duplicates.length} record(s) appear twice, e.g. record ${first}`,
  }
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
  const byKey = new Map<
    string,
    { partition: number; records: number; inversions: number; last: number; firstInversion: string }
  >()
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
        if (entry.firstInversion === "")
          entry.firstInversion = `record ${id} stored after record ${entry.last}, which was sent later`
      }
      entry.last = Math.max(entry.last, id)
    }
  }
  return [...byKey].map(([key, e]) => ({
    key,
    partition: e.partition,
    records: e.records,
    inversions: e.inversions,
    firstInversion: e.firstInversion,
  }))
}

/** `per-key-order`: every key's records are stored in the order they were sent. */
export function checkPerKeyOrder(orders: readonly KeyOrder[]): KafkaVerdict {
  const reordered = orders.filter((order) => order.inversions > 0)
  const testable = orders.filter((order) => order.records >= 2).length
  if (reordered.length === 0 && testable === 0)
    return {
      name: "per-key-order",
      held: true,
      detail: `vacuous: no key has two records in the final log (${orders.length} keys)`,
    }
  if (reordered.length === 0)
    return {
      name: "per-key-order",
      held: true,
      detail: `every key's records are stored in send order (${orders.length} keys, ${testable} with 2 or more records)`,
    }
  return {
    name: "per-key-order",
    held: false,
    detail: `${reordered.length} key(s) reordered, e.g. ${reordered[0]!.key}: ${reordered[0]!.firstInversion}`,
  }
}
