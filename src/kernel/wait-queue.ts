/**
 * A first-in first-out queue of waiting requests that can be withdrawn from the middle.
 *
 * Resources, stores and containers keep their blocked requests here. Withdrawing (a cancelled or
 * interrupted request) only marks the entry; marked entries are skipped and dropped when they
 * reach the front, so every operation is O(1) amortised.
 */

/** An entry that can be withdrawn while it waits. */
export interface Withdrawable {
  /** True once the entry left the queue by being withdrawn. */
  readonly withdrawn: boolean
}

/** FIFO queue with lazy removal of withdrawn entries. */
export class WaitQueue<T extends Withdrawable> {
  private readonly items: (T | undefined)[] = []
  private head = 0
  private live = 0

  /** Number of entries still waiting (withdrawn ones excluded). */
  get length(): number {
    return this.live
  }

  /** Appends an entry. */
  push(item: T): void {
    this.items.push(item)
    this.live++
  }

  /** Records that one entry was withdrawn (call once per withdrawn entry still in the queue). */
  noteWithdrawn(): void {
    this.live--
  }

  /** The first waiting entry, or `undefined`. */
  peek(): T | undefined {
    const first = this.items[this.head]
    if (first !== undefined && !first.withdrawn) return first
    this.skipWithdrawn()
    return this.head < this.items.length ? this.items[this.head] : undefined
  }

  /** Removes and returns the first waiting entry. */
  shift(): T | undefined {
    const items = this.items
    const head = this.head
    const first = items[head]
    // Common case inline (no calls): the first entry is waiting and no compaction is due.
    if (first !== undefined && !first.withdrawn && (head < 1024 || (head + 1) * 2 <= items.length)) {
      items[head] = undefined
      this.head = head + 1
      this.live--
      return first
    }
    this.skipWithdrawn()
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head++] = undefined
    this.live--
    this.compact()
    return item
  }

  /** The waiting entries in order (a copy). */
  toArray(): T[] {
    const out: T[] = []
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]
      if (item !== undefined && !item.withdrawn) out.push(item)
    }
    return out
  }

  /**
   * Removes the first waiting entry for which `accept` returns true, scanning in order; used by
   * stores whose getters filter items. Returns it, or `undefined`.
   */
  removeFirst(accept: (item: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]
      if (item === undefined || item.withdrawn || !accept(item)) continue
      this.items.splice(i, 1)
      this.live--
      return item
    }
    return undefined
  }

  private skipWithdrawn(): void {
    const items = this.items
    while (this.head < items.length && (items[this.head] === undefined || items[this.head]!.withdrawn)) {
      items[this.head++] = undefined
    }
    this.compact()
  }

  /**
   * Drops the consumed prefix once it is most of the array. In place, on purpose: the optimising
   * JIT treats a field that was never reassigned as a constant, and reassigning it mid-run throws
   * away every compiled function that relied on that (measured: a model's main process recompiled
   * after the first compaction, in a third of M/M/1 runs).
   */
  private compact(): void {
    const items = this.items
    if (this.head > 1024 && this.head * 2 > items.length) {
      items.copyWithin(0, this.head)
      items.length -= this.head
      this.head = 0
    }
  }
}
