/**
 * A first-in first-out queue of waiting requests that can be withdrawn from the middle.
 *
 * Resources, stores and containers keep their blocked requests here. Withdrawing (a cancelled or
 * interrupted request) only marks the entry; marked entries are skipped and dropped when they
 * reach the front, so every operation is O(1) amortised.
 */

import * as constants from "./constants.ts"
import { Event, type Waiter } from "./event.ts"
import type { Simulation } from "./simulation.ts"

const { COMPACT_FROM, WITHDRAWN } = constants // local copies: see constants.ts

/** An entry that can be withdrawn while it waits: an event whose `_flags` get the WITHDRAWN bit. */
export interface Withdrawable {
  /** Event flags; the WITHDRAWN bit is set once the entry left the queue by being withdrawn. */
  readonly _flags: number
}

/**
 * @internal A put, get or release whose first waiter is its line's grant attempt (SimPy's
 * `_trigger_put`/`_trigger_get` callback), which must run before the processes waiting for it.
 * The first of those is kept in `_after`, resumed by the trigger when it is done, instead of in a
 * one-element `_ws` array (an allocation per put or get otherwise).
 */
export class LineEvent<T> extends Event<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "LineEvent"
  }

  /** @internal The first waiter after the trigger, while no other waits. */
  declare _after: Waiter | null

  constructor(sim: Simulation, trigger: Waiter) {
    super(sim)
    this._w0 = trigger
    this._after = null
  }

  override _addWaiter(waiter: Waiter): void {
    if (this._after === null && this._ws === null && this._w0 !== null) this._after = waiter
    else super._addWaiter(waiter)
  }

  override _removeWaiter(waiter: Waiter): void {
    if (this._after === waiter) this._after = null
    else super._removeWaiter(waiter)
  }

  override _hasNoWaiters(): boolean {
    return this._after === null && super._hasNoWaiters()
  }

  /** @internal Called by the trigger once its grant attempt is done: resumes the first waiter. */
  _resumeAfter(): void {
    const after = this._after
    if (after === null) return
    this._after = null
    after._resume(this)
  }
}

/** FIFO queue with lazy removal of withdrawn entries. */
export class WaitQueue<T extends Withdrawable> {
  private items: (T | undefined)[] = []
  private head = 0
  private live = 0

  constructor() {
    this.items = [] // a second write, on purpose: see compact
  }

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
    if (first !== undefined && (first._flags & WITHDRAWN) === 0) return first
    this.skipWithdrawn()
    return this.head < this.items.length ? this.items[this.head] : undefined
  }

  /** Removes and returns the first waiting entry. */
  shift(): T | undefined {
    const items = this.items
    const head = this.head
    const first = items[head]
    if (first === undefined || (first._flags & WITHDRAWN) !== 0) return this.shiftPastWithdrawn()
    items[head] = undefined
    this.head = head + 1
    this.live--
    if (head >= COMPACT_FROM && head * 2 >= items.length) this.compact()
    return first
  }

  /** {@link shift} when the front is withdrawn (or the queue is empty): skip, then shift. */
  private shiftPastWithdrawn(): T | undefined {
    this.skipWithdrawn()
    return this.head < this.items.length ? this.shift() : undefined
  }

  /** The waiting entries in order (a copy). */
  toArray(): T[] {
    const out: T[] = []
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]
      if (item !== undefined && (item._flags & WITHDRAWN) === 0) out.push(item)
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
      if (item === undefined || (item._flags & WITHDRAWN) !== 0 || !accept(item)) continue
      this.items.splice(i, 1)
      this.live--
      return item
    }
    return undefined
  }

  /**
   * Visits the waiting entries in order and removes each one for which `visit` returns true, in
   * one pass; used by a FilterStore, whose gets are all tried in order.
   */
  removeEach(visit: (item: T) => boolean): void {
    const items = this.items
    let kept = this.head
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]
      if (item === undefined || (item._flags & WITHDRAWN) !== 0) continue
      if (visit(item)) this.live--
      else items[kept++] = item
    }
    items.length = kept
  }

  private skipWithdrawn(): void {
    const items = this.items
    let head = this.head
    while (head < items.length && (items[head] === undefined || (items[head]!._flags & WITHDRAWN) !== 0))
      items[head++] = undefined
    this.head = head
    if (head >= COMPACT_FROM && head * 2 >= items.length) this.compact()
  }

  /**
   * Drops the consumed prefix (called once it is at least half the array, so each entry is copied
   * O(1) times on average) by copying the rest into a fresh array (see
   * docs/kernel-performance.md#young-arrays).
   */
  private compact(): void {
    this.items = this.items.slice(this.head)
    this.head = 0
  }
}
