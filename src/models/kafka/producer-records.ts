/**
 * What happened to every record handed to a producer: the outcome an application learns from its
 * send callbacks (acknowledged at an offset by a leader, or failed with an error), kept per batch.
 * It is the producer's public final state, which the checks (`kafka-checks.ts`) compare with the
 * final logs.
 *
 * Invariant: a batch's status moves from pending to acknowledged or failed once.
 */
import type { KafkaError } from "./protocol.ts"

/** Record status codes in {@link ProducerRecords.status}. */
export const RECORD_PENDING = 0
/** Acknowledged by the cluster. */
export const RECORD_ACKED = 1
/** Failed for good (delivery timeout or retries exhausted). */
export const RECORD_FAILED = 2

/** The fate of one batch, shared by all its records (a batch is never split). */
export interface ProducerBatchOutcome {
  /** Record ids, in send order (the very array the logs store). */
  readonly records: readonly number[]
  readonly partition: number
  /** {@link RECORD_PENDING}, {@link RECORD_ACKED} or {@link RECORD_FAILED}. */
  readonly status: number
  /** Last error ("NONE" if none). */
  readonly error: KafkaError
  /** When it was acknowledged (NaN until then). */
  readonly ackMs: number
  /** Offset of its first record as acknowledged (-1 for acks=0 or not acknowledged). */
  readonly baseOffset: number
  /** Leader that acknowledged it, or -1. */
  readonly ackedBy: number
  /** Leader epoch of that acknowledgement, or -1. */
  readonly ackedEpoch: number
}

/** Per-record arrays, materialised from the batches on demand. */
interface RecordView {
  readonly partition: number[]
  readonly sentMs: number[]
  readonly ackMs: number[]
  readonly offset: number[]
  readonly status: number[]
  readonly error: KafkaError[]
  readonly ackedBy: number[]
  readonly ackedEpoch: number[]
}

/**
 * What happened to every record the producer was given. The bookkeeping grows per batch, not per
 * record: each batch keeps its fate once ({@link ProducerBatchOutcome}, its id array shared with
 * the logs), send times are kept as runs of records sent at the same instant, and keys are kept
 * per record only once a keyed record was sent. The per-record arrays (`status[id]`, ...) are
 * materialised from that when first read and rebuilt after the producer changed anything.
 */
export class ProducerRecords {
  /** Every batch, in creation order. */
  readonly batches: ProducerBatchOutcome[] = []
  /** Records handed to the producer (ids are `0..count-1`, in send order). */
  count = 0
  /** Produce requests sent, attempts included. */
  requests = 0
  /** Produce responses with an error. */
  errorResponses = 0
  /** Failed attempts by error code, in the order the codes first occurred. */
  readonly errorCounts = new Map<KafkaError, number>()
  private keys: (string | null)[] | undefined
  private readonly sentRunIds: number[] = []
  private readonly sentRunMs: number[] = []
  private version = 0
  private view: RecordView | undefined
  private viewVersion = -1
  private nullKeys: (string | null)[] = []

  /** Registers record `id` (the next one), sent at `nowMs`. */
  added(key: string | null, nowMs: number): number {
    const id = this.count++
    if (this.keys !== undefined) this.keys.push(key)
    else if (key !== null) {
      this.keys = new Array<string | null>(id).fill(null)
      this.keys.push(key)
    }
    if (this.sentRunMs.length === 0 || this.sentRunMs[this.sentRunMs.length - 1] !== nowMs) {
      this.sentRunIds.push(id)
      this.sentRunMs.push(nowMs)
    }
    this.version++
    return id
  }

  /** Marks the per-record view stale (a batch changed). */
  changed(): void {
    this.version++
  }

  /** Key of record `id`, or null. */
  keyOf(id: number): string | null {
    return this.keys?.[id] ?? null
  }

  /** When record `id` was sent. */
  sentMsOf(id: number): number {
    let low = 0
    let high = this.sentRunIds.length - 1
    while (low < high) {
      const mid = (low + high + 1) >>> 1
      if (this.sentRunIds[mid]! <= id) low = mid
      else high = mid - 1
    }
    return this.sentRunMs[low]!
  }

  /** The batch holding record `id`, with the record's index in it, or undefined. */
  batchOf(id: number): { readonly batch: ProducerBatchOutcome; readonly index: number } | undefined {
    for (let b = this.batches.length - 1; b >= 0; b--) {
      const batch = this.batches[b]!
      const ids = batch.records
      if (ids.length === 0 || ids[0]! > id || ids[ids.length - 1]! < id) continue
      const index = ids.indexOf(id)
      if (index >= 0) return { batch, index }
    }
    return undefined
  }

  /** Partition of each record. */
  get partition(): readonly number[] {
    return this.materialise().partition
  }
  /** Key of each record, or null. */
  get key(): readonly (string | null)[] {
    if (this.keys !== undefined) return this.keys
    if (this.nullKeys.length !== this.count) this.nullKeys = new Array<string | null>(this.count).fill(null)
    return this.nullKeys
  }
  /** When the application sent each record. */
  get sentMs(): readonly number[] {
    return this.materialise().sentMs
  }
  /** When each record was acknowledged (NaN until then). */
  get ackMs(): readonly number[] {
    return this.materialise().ackMs
  }
  /** Offset the acknowledgement reported (-1 for acks=0 or not acknowledged). */
  get offset(): readonly number[] {
    return this.materialise().offset
  }
  /** {@link RECORD_PENDING}, {@link RECORD_ACKED} or {@link RECORD_FAILED}. */
  get status(): readonly number[] {
    return this.materialise().status
  }
  /** Last error of each record ("NONE" if none). */
  get error(): readonly KafkaError[] {
    return this.materialise().error
  }
  /** Leader that acknowledged each record, or -1. */
  get ackedBy(): readonly number[] {
    return this.materialise().ackedBy
  }
  /** Leader epoch of that acknowledgement, or -1. */
  get ackedEpoch(): readonly number[] {
    return this.materialise().ackedEpoch
  }

  private materialise(): RecordView {
    if (this.view !== undefined && this.viewVersion === this.version) return this.view
    const n = this.count
    const view: RecordView = {
      partition: new Array<number>(n).fill(-1),
      sentMs: new Array<number>(n).fill(0),
      ackMs: new Array<number>(n).fill(NaN),
      offset: new Array<number>(n).fill(-1),
      status: new Array<number>(n).fill(RECORD_PENDING),
      error: new Array<KafkaError>(n).fill("NONE"),
      ackedBy: new Array<number>(n).fill(-1),
      ackedEpoch: new Array<number>(n).fill(-1),
    }
    for (let r = 0; r < this.sentRunIds.length; r++) {
      const end = r + 1 < this.sentRunIds.length ? this.sentRunIds[r + 1]! : n
      view.sentMs.fill(this.sentRunMs[r]!, this.sentRunIds[r]!, end)
    }
    for (const batch of this.batches) {
      const ids = batch.records
      const acked = batch.status === RECORD_ACKED
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!
        view.partition[id] = batch.partition
        view.status[id] = batch.status
        view.error[id] = batch.error
        if (acked) {
          view.ackMs[id] = batch.ackMs
          view.offset[id] = batch.baseOffset < 0 ? -1 : batch.baseOffset + i
          view.ackedBy[id] = batch.ackedBy
          view.ackedEpoch[id] = batch.ackedEpoch
        }
      }
    }
    this.view = view
    this.viewVersion = this.version
    return view
  }
}
