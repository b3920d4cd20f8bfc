/**
 * Kafka's default partitioner: murmur2 of the key bytes for keyed records, sticky partitioning
 * for records without a key.
 *
 * `murmur2` is exactly `org.apache.kafka.common.utils.Utils.murmur2`: seed `0x9747b28c`,
 * `m = 0x5bd1e995`, `r = 24`, little-endian 4-byte blocks, the usual tail switch, final mix
 * `h ^= h >>> 13; h *= m; h ^= h >>> 15`, in 32-bit signed arithmetic. A key's partition is
 * `toPositive(murmur2(utf8(key))) % n` with `toPositive(x) = x & 0x7fffffff` (not `abs`), so
 * `partitionFor(key, n)` agrees with a real Kafka producer (the test vectors in
 * docs/kafka-replication.md, "Partitioning by key").
 *
 * Null keys: the sticky partitioner (KIP-480) stays on one partition until about `batch.size`
 * bytes were produced to it, then picks another partition at random (never the same one when
 * there is a choice).
 *
 * Invariants: `partitionFor` is a pure function of the key bytes and the partition count; the
 * sticky partitioner never returns the partition it just left when there is another.
 *
 * Left out: the adaptive, load-aware choice of KIP-794 (`partitioner.adaptive.partitioning.enable`)
 * — the next sticky partition is uniform over the others — and `partitioner.ignore.keys`.
 */
import type { RandomStream } from "../../kernel/index.ts"

const SEED = 0x9747b28c
const M = 0x5bd1e995
const encoder = new TextEncoder()

/** Kafka's murmur2 hash of `data`, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = (SEED ^ length) | 0
  const blocks = length >>> 2
  for (let i = 0; i < blocks; i++) {
    const i4 = i * 4
    let k =
      (data[i4]! & 0xff) |
      ((data[i4 + 1]! & 0xff) << 8) |
      ((data[i4 + 2]! & 0xff) << 16) |
      ((data[i4 + 3]! & 0xff) << 24)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M)
    h ^= k
  }
  const tail = blocks * 4
  const rest = length % 4
  if (rest === 3) h ^= (data[tail + 2]! & 0xff) << 16
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8
  if (rest >= 1) {
    h ^= data[tail]! & 0xff
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/** Kafka's `Utils.toPositive`: clears the sign bit (so `-1` maps to `2147483647`, not `1`). */
export function toPositive(hash: number): number {
  return hash & 0x7fffffff
}

/** Kafka's murmur2 of the UTF-8 bytes of `key`. */
export function murmur2String(key: string): number {
  return murmur2(encoder.encode(key))
}

/**
 * The partition Kafka's default partitioner gives a keyed record: `toPositive(murmur2(key)) % partitions`.
 * @throws RangeError unless `partitions` is an integer >= 1
 */
export function partitionFor(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError("partitions must be an integer >= 1")
  return toPositive(murmur2String(key)) % partitions
}

/**
 * The sticky partitioner for records without a key: one partition until about `batchSizeBytes`
 * were produced to it, then another one drawn at random.
 */
export class StickyPartitioner {
  private current = -1
  private producedBytes = 0

  constructor(
    /** Number of partitions of the topic, >= 1. */
    readonly partitions: number,
    /** Bytes produced to a partition before switching (the producer's `batch.size`); 0 switches every record. */
    readonly batchSizeBytes: number,
    private readonly random: RandomStream,
  ) {}

  /** The partition of the next null-key record of `recordBytes` bytes. */
  next(recordBytes: number): number {
    if (this.current < 0 || this.producedBytes >= this.batchSizeBytes) {
      this.producedBytes = 0
      if (this.partitions === 1) this.current = 0
      else if (this.current < 0) this.current = this.random.integer(0, this.partitions - 1)
      else {
        const other = this.random.integer(0, this.partitions - 2)
        this.current = other >= this.current ? other + 1 : other
      }
    }
    this.producedBytes += recordBytes
    return this.current
  }
}
