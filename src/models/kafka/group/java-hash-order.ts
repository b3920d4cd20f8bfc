/**
 * The iteration order of Java's `HashMap` and `HashSet`, for the keys Kafka's assignors put in them.
 *
 * Kafka's sticky assignor walks a `HashMap` of member ids and takes the first element of a
 * `HashSet` of partitions; which member keeps its partitions, or which partition moves, depends on
 * that order. A Java hash table iterates bucket by bucket (bucket = `(h ^ (h >>> 16)) & (capacity -
 * 1)`), and within a bucket in insertion order; the capacity starts at 16 and doubles whenever the
 * size exceeds three quarters of it, and never shrinks. Splitting a bucket on resize keeps the
 * relative order of its entries, so the order is: by bucket in the current capacity, then by
 * insertion. Left out: buckets of eight or more entries that Java turns into trees (they do not
 * occur with a group's member ids and partitions).
 */

/** Java's `String.hashCode`: `s[0]·31^(n−1) + … + s[n−1]` over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(text: string): number {
  let hash = 0
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0
  return hash
}

/** Java's `TopicPartition.hashCode`: `31 · (31 + partition) + topic.hashCode()`. */
export function javaTopicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0
}

/** The bucket of `hash` in a table of `capacity` buckets (`HashMap.hash` spreads the high bits). */
function bucket(hash: number, capacity: number): number {
  return (hash ^ (hash >>> 16)) & (capacity - 1)
}

/** The capacity of a default-constructed table after `maxSize` entries were in it at once. */
function capacityFor(maxSize: number): number {
  let capacity = 16
  while (maxSize > capacity * 0.75) capacity *= 2
  return capacity
}

/**
 * A Java `HashSet`/`HashMap` key set: `add`, `delete`, and iteration in Java's order. Keys are
 * told apart by `key(value)` and hashed by `hash(value)`.
 */
export class JavaHashSet<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly hash: number; readonly seq: number }>()
  private capacity = 16
  private nextSeq = 0

  constructor(
    private readonly key: (value: T) => string,
    private readonly hash: (value: T) => number,
  ) {}

  get size(): number {
    return this.entries.size
  }

  has(value: T): boolean {
    return this.entries.has(this.key(value))
  }

  add(value: T): void {
    const key = this.key(value)
    if (this.entries.has(key)) return
    this.entries.set(key, { value, hash: this.hash(value), seq: this.nextSeq++ })
    this.capacity = Math.max(this.capacity, capacityFor(this.entries.size))
  }

  delete(value: T): boolean {
    return this.entries.delete(this.key(value))
  }

  /** The values in Java's iteration order. */
  values(): T[] {
    const capacity = this.capacity
    return [...this.entries.values()]
      .sort((a, b) => bucket(a.hash, capacity) - bucket(b.hash, capacity) || a.seq - b.seq)
      .map((entry) => entry.value)
  }
}

/** The order in which a `new HashMap<String, …>()` filled with `keys` (in that order) iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const set = new JavaHashSet<string>((key) => key, javaStringHash)
  for (const key of keys) set.add(key)
  return set.values()
}
