/**
 * The event queue: a binary min-heap of pending entries keyed by `(time, priority, sequence)`.
 *
 * This order is the kernel's determinism contract (SimPy's): the entry with the smallest time runs
 * first; among equal times the smaller priority; among equal priorities the one scheduled first
 * (`sequence` is a counter the caller increments at every schedule). Priority and sequence are
 * packed into one float64 key, `priority * 2^40 + sequence`, exact while sequence < 2^40 (about
 * 10^12 schedules) and priority < 2^12.
 *
 * Keys live in two plain number arrays beside the payload array, so a push or pop moves numbers,
 * not objects with keys inside them (the layout of tinyqueue, without its comparator call).
 */

import * as constants from "./constants.ts"

const { SEQUENCE_SPACE, YOUNG_EVERY, YOUNG_FIRST } = constants // local copies: see constants.ts

/** Packs a priority and a sequence number into one order key (smaller runs first). */
export function orderKey(priority: number, sequence: number): number {
  return priority * SEQUENCE_SPACE + sequence
}

/** A binary min-heap of payloads ordered by `(time, key)`. */
export class EventQueue<T> {
  /** @internal Entry times, in heap order; the kernel's loop reads `_times[0]` directly. */
  readonly _times: number[] = []
  private readonly keys: number[] = []
  private items: (T | undefined)[] = []
  private pushes = YOUNG_FIRST
  /** @internal Number of entries (read directly by the kernel's loop). */
  _count = 0
  /** Order key of the entry the last {@link pop} removed. */
  lastKey = 0

  constructor() {
    this.items = [] // a second write, on purpose: see YOUNG_EVERY in constants.ts
  }

  /** Number of entries in the queue. */
  get size(): number {
    return this._count
  }

  /** Adds `item` at `time` with order key `key` (see {@link orderKey}). */
  push(time: number, key: number, item: T): void {
    const times = this._times
    const keys = this.keys
    const items = this.items
    let i = this._count++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pt = times[parent]!
      if (pt < time || (pt === time && keys[parent]! < key)) break
      times[i] = pt
      keys[i] = keys[parent]!
      items[i] = items[parent]
      i = parent
    }
    times[i] = time
    keys[i] = key
    items[i] = item
    if (++this.pushes === YOUNG_EVERY) {
      this.pushes = 0
      this.items = items.slice()
    }
  }

  /** Time of the first entry, or `Infinity` when empty. */
  peekTime(): number {
    return this._count > 0 ? this._times[0]! : Infinity
  }

  /** Order key of the first entry, or `Infinity` when empty. */
  peekKey(): number {
    return this._count > 0 ? this.keys[0]! : Infinity
  }

  /** The first entry's payload, without removing it. */
  peekItem(): T | undefined {
    return this._count > 0 ? this.items[0] : undefined
  }

  /** Removes and returns the first entry's payload (its key is then {@link lastKey}); `undefined` when empty. */
  pop(): T | undefined {
    if (this._count === 0) return undefined
    const times = this._times
    const keys = this.keys
    const items = this.items
    const top = items[0]
    this.lastKey = keys[0]!
    const n = --this._count
    const lastTime = times[n]!
    const lastKey = keys[n]!
    const lastItem = items[n]
    items[n] = undefined
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      const right = child + 1
      if (
        right < n &&
        (times[right]! < times[child]! || (times[right] === times[child] && keys[right]! < keys[child]!))
      ) {
        child = right
      }
      const ct = times[child]!
      if (lastTime < ct || (lastTime === ct && lastKey < keys[child]!)) break
      times[i] = ct
      keys[i] = keys[child]!
      items[i] = items[child]
      i = child
    }
    if (n > 0) {
      times[i] = lastTime
      keys[i] = lastKey
      items[i] = lastItem
    }
    return top
  }

  /** Removes every entry. */
  clear(): void {
    this.items.fill(undefined, 0, this._count)
    this._count = 0
  }
}

/**
 * A first-in first-out ring buffer. The kernel keeps events scheduled at the current time with
 * normal priority here instead of in the heap: they are already in `(time, priority, sequence)`
 * order, so a ring gives the same order at a fraction of the cost.
 */
export class FifoQueue<T> {
  private buffer: (T | undefined)[] = new Array(16)
  private readonly seqs: number[] = new Array(16).fill(0)
  private head = 0
  private pushes = YOUNG_FIRST
  /** @internal Number of entries (read directly by the kernel's loop). */
  _count = 0
  /** Sequence number of the entry the last {@link shift} removed. */
  lastSeq = 0

  constructor() {
    this.buffer = new Array(16) // a second write, on purpose: see YOUNG_EVERY in constants.ts
  }

  /** Number of entries. */
  get size(): number {
    return this._count
  }

  /** Appends `item` with its sequence number. */
  push(seq: number, item: T): void {
    const count = this._count
    if (count === this.buffer.length) this.grow()
    const buffer = this.buffer
    const tail = (this.head + count) & (buffer.length - 1)
    buffer[tail] = item
    this.seqs[tail] = seq
    this._count = count + 1
    if (++this.pushes === YOUNG_EVERY) {
      this.pushes = 0
      this.buffer = buffer.slice()
    }
  }

  /** Sequence number of the first entry, or `Infinity` when empty. */
  peekSeq(): number {
    return this._count > 0 ? this.seqs[this.head]! : Infinity
  }

  /** The first entry, without removing it. */
  peekItem(): T | undefined {
    return this._count > 0 ? this.buffer[this.head] : undefined
  }

  /** Removes and returns the first entry. */
  shift(): T | undefined {
    if (this._count === 0) return undefined
    const buffer = this.buffer
    const head = this.head
    const item = buffer[head]
    this.lastSeq = this.seqs[head]!
    buffer[head] = undefined
    this.head = (head + 1) & (buffer.length - 1)
    this._count--
    return item
  }

  /**
   * Doubles the capacity, in the same arrays: the entries at [0, head) move to
   * [size, size + head), so the ring reads on from head without wrapping.
   */
  private grow(): void {
    const buffer = this.buffer
    const seqs = this.seqs
    const size = buffer.length
    const head = this.head
    for (let i = 0; i < head; i++) {
      buffer[size + i] = buffer[i]
      seqs[size + i] = seqs[i]!
      buffer[i] = undefined
    }
    for (let i = size + head; i < 2 * size; i++) {
      buffer[i] = undefined
      seqs[i] = 0
    }
  }
}
