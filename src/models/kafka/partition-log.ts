/**
 * One replica's log of one partition: record batches at consecutive offsets, the leader-epoch
 * cache (epoch → start offset) that drives KIP-101 truncation, and the replica's checkpointed
 * high watermark.
 *
 * A log lives on the broker's disk (`node.disk`), so a process crash keeps it and disk loss wipes
 * it. Batches are immutable and shared between replicas: a follower appends the very batch object
 * the leader appended, at the same offsets (its log is a prefix of the leader's in steady state).
 *
 * Invariants: `endOffset` (the LEO) is the sum of the batch lengths; batch base offsets are
 * consecutive; the epoch cache is sorted by epoch and by start offset; `highWatermark <= endOffset`.
 *
 * Left out: segments, retention and the log start offset (logs start at offset 0 and never
 * shrink from the front), record sizes on disk, and fsync (see the model header).
 */

/** A record batch as stored in a log. */
export interface LogBatch {
  /** Offset of the first record. */
  readonly baseOffset: number
  /** Leader epoch of the leader that appended it. */
  readonly epoch: number
  /** Producer id of an idempotent producer, or -1. */
  readonly producerId: number
  /** Sequence number of the first record (idempotent producers), or -1. */
  readonly baseSequence: number
  /** The records: ids the workload gave them (unique per run). Shared, never mutated. */
  readonly records: readonly number[]
}

/** What {@link PartitionLog.endOffsetForEpoch} answers (Kafka's `OffsetsForLeaderEpoch`). */
export interface EpochEndOffset {
  /** The largest epoch <= the one asked for that this log knows, or -1. */
  readonly epoch: number
  /** The offset where that epoch ends (start of the next epoch, or the LEO for the latest one). */
  readonly endOffset: number
}

/** A replica's log of one partition. */
export class PartitionLog {
  /** The batches, in offset order. */
  readonly batches: LogBatch[] = []
  /** The log end offset (LEO): the offset the next record gets. */
  endOffset = 0
  /** The replica's high watermark, checkpointed with the log (Kafka's replication-offset-checkpoint). */
  highWatermark = 0
  private readonly epochs: number[] = []
  private readonly epochStarts: number[] = []

  /** The latest epoch in the epoch cache, or -1. */
  get latestEpoch(): number {
    return this.epochs.length === 0 ? -1 : this.epochs[this.epochs.length - 1]!
  }

  /** Epoch of the last batch, or -1 for an empty log (what a follower sends as `lastFetchedEpoch`). */
  get lastBatchEpoch(): number {
    return this.batches.length === 0 ? -1 : this.batches[this.batches.length - 1]!.epoch
  }

  /** Start offset of `epoch` in the cache, or -1. */
  epochStart(epoch: number): number {
    const index = this.epochs.lastIndexOf(epoch)
    return index < 0 ? -1 : this.epochStarts[index]!
  }

  /** Records that `epoch` starts at `startOffset` (a new leader does so for its own epoch). */
  assignEpoch(epoch: number, startOffset: number): void {
    if (epoch <= this.latestEpoch) return
    this.epochs.push(epoch)
    this.epochStarts.push(startOffset)
  }

  /** Appends a batch at the LEO and returns it. */
  append(epoch: number, producerId: number, baseSequence: number, records: readonly number[]): LogBatch {
    const batch: LogBatch = { baseOffset: this.endOffset, epoch, producerId, baseSequence, records }
    this.appendBatch(batch)
    return batch
  }

  /** Appends a batch copied from the leader; its base offset must be the LEO. */
  appendBatch(batch: LogBatch): void {
    if (batch.epoch > this.latestEpoch) this.assignEpoch(batch.epoch, batch.baseOffset)
    this.batches.push(batch)
    this.endOffset = batch.baseOffset + batch.records.length
  }

  /** Index of the batch holding `offset` (binary search), or `batches.length` when `offset >= LEO`. */
  batchIndexOf(offset: number): number {
    let low = 0
    let high = this.batches.length
    while (low < high) {
      const mid = (low + high) >>> 1
      const batch = this.batches[mid]!
      if (batch.baseOffset + batch.records.length <= offset) low = mid + 1
      else high = mid
    }
    return low
  }

  /** Kafka's epoch end offset lookup: the end of the largest epoch <= `epoch` (see {@link EpochEndOffset}). */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    let index = this.epochs.length - 1
    while (index >= 0 && this.epochs[index]! > epoch) index--
    if (index < 0)
      return { epoch: -1, endOffset: this.epochStarts.length === 0 ? this.endOffset : this.epochStarts[0]! }
    const endOffset = index === this.epochs.length - 1 ? this.endOffset : this.epochStarts[index + 1]!
    return { epoch: this.epochs[index]!, endOffset }
  }

  /** Removes every record at `offset` and above; returns how many were removed. */
  truncateTo(offset: number): number {
    if (offset >= this.endOffset) return 0
    const removed = this.endOffset - offset
    const index = this.batchIndexOf(offset)
    const batch = this.batches[index]
    this.batches.length = index
    if (batch !== undefined && batch.baseOffset < offset) {
      this.batches.push({ ...batch, records: batch.records.slice(0, offset - batch.baseOffset) })
    }
    this.endOffset = offset
    while (this.epochs.length > 0 && this.epochStarts[this.epochStarts.length - 1]! >= offset) {
      this.epochs.pop()
      this.epochStarts.pop()
    }
    if (this.highWatermark > offset) this.highWatermark = offset
    return removed
  }

  /** The record ids at offsets `[0, endOffset)`, in order. */
  recordIds(endOffset: number = this.endOffset): number[] {
    const ids: number[] = []
    for (const batch of this.batches) {
      for (const id of batch.records) {
        if (ids.length >= endOffset) return ids
        ids.push(id)
      }
    }
    return ids
  }
}
