/**
 * The record accumulator: the producer's per-partition queues of batches. A record joins the last
 * batch of its partition unless that batch is full (`batch.size`) or was already sent once; a
 * batch is ready to send when it is full, when a later batch exists behind it, when it has waited
 * `linger.ms`, or when it is a retry whose backoff is over. A failed batch goes back to the head of
 * its queue (`addFirst`): without idempotence it then lands behind batches sent after it
 * (reordering); with idempotence it is put back in sequence order.
 */
import type { ProducerConfig } from "./producer-config.ts"
import { type ProducerBatchOutcome, RECORD_PENDING } from "./producer-records.ts"
import type { KafkaError } from "./protocol.ts"

/** A batch in the accumulator or in flight, and then its outcome. */
export class ProducerBatch implements ProducerBatchOutcome {
  readonly records: number[] = []
  bytes = 0
  attempts = 0
  baseSequence = -1
  /** The partition's sequence epoch when the sequence was assigned. */
  sequenceEpoch = 0
  retryAtMs = 0
  status = RECORD_PENDING
  error: KafkaError = "NONE"
  ackMs = NaN
  baseOffset = -1
  ackedBy = -1
  ackedEpoch = -1
  constructor(
    readonly partition: number,
    readonly createdMs: number,
  ) {}
}

/** The per-partition queues of batches waiting to be sent (or re-sent). */
export class RecordAccumulator {
  private readonly queues: ProducerBatch[][] = []

  constructor(
    partitions: number,
    private readonly config: ProducerConfig,
  ) {
    for (let p = 0; p < partitions; p++) this.queues.push([])
  }

  /** Adds record `id` to `partition`; returns the batch it opened, or undefined if it joined one. */
  append(partition: number, id: number, nowMs: number): ProducerBatch | undefined {
    const queue = this.queues[partition]!
    const { recordBytes, batchSizeBytes } = this.config
    let batch = queue.length === 0 ? undefined : queue[queue.length - 1]
    let opened: ProducerBatch | undefined
    if (
      batch === undefined ||
      batch.attempts > 0 ||
      (batch.bytes + recordBytes > batchSizeBytes && batch.records.length > 0)
    ) {
      batch = new ProducerBatch(partition, nowMs)
      queue.push(batch)
      opened = batch
    }
    batch.records.push(id)
    batch.bytes += recordBytes
    return opened
  }

  /** The oldest batch of `partition`, or undefined. */
  head(partition: number): ProducerBatch | undefined {
    return this.queues[partition]![0]
  }

  /** Removes and returns the oldest batch of `partition`. */
  takeHead(partition: number): ProducerBatch {
    return this.queues[partition]!.shift()!
  }

  /** True when the oldest batch of `partition` may be sent at `nowMs` (see the file header). */
  ready(partition: number, nowMs: number): boolean {
    const queue = this.queues[partition]!
    const batch = queue[0]!
    if (batch.attempts > 0) return batch.retryAtMs <= nowMs
    const full = batch.bytes + this.config.recordBytes > this.config.batchSizeBytes
    return queue.length > 1 || full || nowMs >= batch.createdMs + this.config.lingerMs
  }

  /** True when the newest batch of `partition` has no room for another record. */
  lastIsFull(partition: number): boolean {
    const queue = this.queues[partition]!
    const batch = queue[queue.length - 1]
    return batch !== undefined && batch.bytes + this.config.recordBytes > this.config.batchSizeBytes
  }

  /**
   * When the oldest batch of `partition` becomes sendable by time alone: a retry's end of backoff,
   * else its `linger.ms`; at or before now when it is sendable already, Infinity when there is none.
   */
  sendableAtMs(partition: number): number {
    const queue = this.queues[partition]!
    const batch = queue[0]
    if (batch === undefined) return Infinity
    if (batch.attempts > 0) return batch.retryAtMs
    if (queue.length > 1 || batch.bytes + this.config.recordBytes > this.config.batchSizeBytes) return -Infinity
    return batch.createdMs + this.config.lingerMs
  }

  /** Puts a failed batch back: in sequence order with idempotence, else at the head. */
  reenqueue(batch: ProducerBatch): void {
    const queue = this.queues[batch.partition]!
    if (!this.config.idempotent) {
      queue.unshift(batch)
      return
    }
    let at = 0
    while (at < queue.length && queue[at]!.baseSequence >= 0 && queue[at]!.baseSequence < batch.baseSequence) at++
    queue.splice(at, 0, batch)
  }

  /** The batches waiting for `partition`, oldest first. */
  queued(partition: number): readonly ProducerBatch[] {
    return this.queues[partition]!
  }

  /** Batches waiting, over every partition. */
  get size(): number {
    let count = 0
    for (const queue of this.queues) count += queue.length
    return count
  }
}
