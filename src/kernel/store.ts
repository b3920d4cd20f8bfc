/**
 * Stores: a buffer of items that producers put into and consumers take from.
 *
 * A mailbox, a bounded channel, a message queue. `put` waits while the store is full; `get` waits
 * while no item is available. Waiting puts are admitted in order; waiting gets are served in order.
 *
 * - {@link Store}: items leave in the order they arrived (FIFO).
 * - {@link FilterStore}: a get may pass a predicate and receives the oldest matching item; a
 *   waiting get that matches nothing does not block later gets that do (every waiting get is
 *   tried, in order, whenever a get is made or a put processed).
 * - {@link PriorityStore}: items leave by a priority function (smaller first); ties as in SimPy's heap.
 *
 * Invariant (asserted in property tests): items are conserved — every item put is either still in
 * the store or was received by exactly one get.
 */
import * as constants from "./constants.ts"
import type { Event, Waiter } from "./event.ts"
import type { Simulation } from "./simulation.ts"
import { LineEvent, WaitQueue } from "./wait-queue.ts"

const { COMPACT_FROM } = constants // local copies: see constants.ts
const DISPOSE: typeof Symbol.dispose = constants.DISPOSE // typed: destructuring loses its `unique symbol` type

/** Options of a store. */
export interface StoreOptions {
  /** Maximum number of items held, an integer >= 1 or Infinity. Default Infinity. */
  readonly capacity?: number
  /** Name used in error messages. Default "store". */
  readonly name?: string
}

/** A pending put; succeeds when the item is in the store. */
export class StorePut<T> extends LineEvent<void> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "StorePut"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly store: Store<T>
  /** The item to put. */
  declare readonly item: T
  constructor(sim: Simulation, store: Store<T>, item: T) {
    super(sim, store._afterPut)
    this.store = store
    this.item = item
  }
  /** Withdraws the put if it is still waiting for room. */
  cancel(): void {
    if (this._withdraw()) this.store._withdrawPut()
  }

  /** Ends a `using` scope as SimPy's `with` block: withdraws the put if it still waits. */
  [DISPOSE](): void {
    this.cancel()
  }
}

/** A pending get; succeeds with the item taken. */
export class StoreGet<T> extends LineEvent<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "StoreGet"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly store: Store<T>
  /** The predicate the item must satisfy, if any. */
  declare readonly filter: ((item: T) => boolean) | undefined
  constructor(sim: Simulation, store: Store<T>, filter: ((item: T) => boolean) | undefined) {
    super(sim, store._afterGet)
    this.store = store
    this.filter = filter
  }
  /** Withdraws the get if it is still waiting for an item. */
  cancel(): void {
    if (this._withdraw()) this.store._withdrawGet()
  }

  /** Ends a `using` scope as SimPy's `with` block: withdraws the get if it still waits. */
  [DISPOSE](): void {
    this.cancel()
  }
}

/**
 * Runs a store's grant attempts when one of its put or get events is processed: a processed put
 * may let gets proceed, a processed get may let puts proceed (SimPy's `_trigger_get` and
 * `_trigger_put` callbacks). It is the first waiter of every put and get, so it runs before the
 * processes waiting for the event.
 */
class Trigger implements Waiter {
  constructor(
    private readonly store: Store<any>,
    private readonly gets: boolean,
  ) {}
  _resume(event: Event<any>): void {
    if (this.gets) this.store._triggerGet()
    else this.store._triggerPut()
    ;(event as LineEvent<unknown>)._resumeAfter()
  }
}

/**
 * A FIFO store of items.
 *
 * Same-instant order, as SimPy's: `put` takes the item in at once if there is room and no earlier
 * put waits, and `get` takes an item at once if one is there and no earlier get waits. A waiting
 * get is served when a put event is processed (or a later get is made), a waiting put when a get
 * event is processed (or a later put is made) — each time looking at the head of its line only.
 */
export class Store<T> {
  // `declare`d so the field starts as a number, not undefined (see Simulation.now).
  /** Maximum number of items. */
  declare readonly capacity: number
  /** Name for messages. */
  readonly name: string
  /** @internal */
  protected readonly putters = new WaitQueue<StorePut<T>>()
  /** @internal */
  protected readonly getters = new WaitQueue<StoreGet<T>>()
  /** @internal The first waiter of every put (see Trigger). */
  readonly _afterPut: Trigger = new Trigger(this, true)
  /** @internal The first waiter of every get (see Trigger). */
  readonly _afterGet: Trigger = new Trigger(this, false)

  constructor(
    /** The simulation the store lives in. */
    readonly sim: Simulation,
    options: StoreOptions = {},
  ) {
    const capacity = options.capacity ?? Infinity
    if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 1))) {
      throw new RangeError(`capacity must be an integer >= 1 or Infinity, got ${capacity}`)
    }
    this.capacity = capacity
    this.name = options.name ?? "store"
    this.buffer = [] // a second write, on purpose: see WaitQueue.compact
  }

  /** Number of items held. */
  get size(): number {
    return this.itemCount()
  }

  /** Puts waiting for room. */
  get waitingPuts(): number {
    return this.putters.length
  }

  /** Gets waiting for an item. */
  get waitingGets(): number {
    return this.getters.length
  }

  /** The items held, as SimPy's `items` (a read-only copy; a PriorityStore's in heap order). */
  get items(): readonly T[] {
    return this.itemsInOrder
  }

  /** The waiting puts, in order (SimPy's `put_queue`; a read-only copy). */
  get putQueue(): readonly StorePut<T>[] {
    return this.putters.toArray()
  }

  /** The waiting gets, in order (SimPy's `get_queue`; a read-only copy). */
  get getQueue(): readonly StoreGet<T>[] {
    return this.getters.toArray()
  }

  /** Puts `item` in the store; the event succeeds when it is in. */
  put(item: T): StorePut<T> {
    const put = new StorePut<T>(this.sim, this, item)
    if (this.putters.length === 0 && this.itemCount() < this.capacity) {
      // The head of an empty line: in now (SimPy's _trigger_put on a new put).
      this.addItem(item)
      put.succeed(undefined)
    } else {
      this.putters.push(put)
      this._triggerPut()
    }
    return put
  }

  /** Takes the next item; the event succeeds with it. */
  get(): StoreGet<T> {
    return this.enqueueGet(undefined)
  }

  /** @internal */
  protected enqueueGet(filter: ((item: T) => boolean) | undefined): StoreGet<T> {
    const get = new StoreGet<T>(this.sim, this, filter)
    if (this.getters.length === 0 && filter === undefined) {
      // The head of an empty line: served now if an item is there (SimPy's _trigger_get).
      const item = this.takeItem(undefined)
      if (item !== NONE) {
        get.succeed(item as T)
        return get
      }
    }
    this.getters.push(get)
    this._triggerGet()
    return get
  }

  /** @internal */
  _withdrawPut(): void {
    this.putters.noteWithdrawn()
  }

  /** @internal */
  _withdrawGet(): void {
    this.getters.noteWithdrawn()
  }

  /** @internal Admits the head of the put line if there is room (SimPy's `_trigger_put`). */
  _triggerPut(): void {
    if (this.itemCount() >= this.capacity) return
    const put = this.putters.shift()
    if (put === undefined) return
    this.addItem(put.item)
    put.succeed(undefined)
  }

  /** @internal Serves the head of the get line if an item is there (SimPy's `_trigger_get`). */
  _triggerGet(): void {
    const get = this.getters.peek()
    if (get === undefined) return
    const item = this.takeItem(get.filter)
    if (item === NONE) return
    this.getters.shift()
    get.succeed(item as T)
  }

  // Item storage; overridden by PriorityStore.
  private buffer: T[] = []
  private head = 0

  /** The items held, in the order they will leave (a copy). */
  get itemsInOrder(): T[] {
    return this.buffer.slice(this.head)
  }

  /** @internal */
  protected itemCount(): number {
    return this.buffer.length - this.head
  }

  /** @internal */
  protected addItem(item: T): void {
    this.buffer.push(item)
  }

  /** @internal Removes and returns the first item satisfying `filter` (any item if none), or NONE. */
  protected takeItem(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    const items = this.buffer
    if (this.head >= items.length) return NONE
    if (filter === undefined) {
      const item = items[this.head]!
      items[this.head++] = undefined as T
      // Compact only now and then, into a fresh array (see docs/kernel-performance.md#young-arrays).
      if (this.head >= COMPACT_FROM && this.head * 2 >= items.length) {
        this.buffer = items.slice(this.head)
        this.head = 0
      }
      return item
    }
    for (let i = this.head; i < items.length; i++) {
      if (filter(items[i]!)) return items.splice(i, 1)[0]!
    }
    return NONE
  }
}

/** Marks "no item" (items themselves may be undefined or null). */
const NONE: unique symbol = Symbol("none")

/** A store whose gets may ask for the oldest item matching a predicate. */
export class FilterStore<T> extends Store<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "FilterStore"
  }

  /** Takes the oldest item for which `filter` is true (any item when omitted). */
  override get(filter?: (item: T) => boolean): StoreGet<T> {
    return this.enqueueGet(filter ?? ANY)
  }

  /**
   * @internal Serves every waiting get, in order, that some item satisfies (SimPy's FilterStore
   * goes on past a get that matches nothing).
   */
  override _triggerGet(): void {
    this.getters.removeEach((get) => {
      const item = this.takeItem(get.filter)
      if (item === NONE) return false
      get.succeed(item as T)
      return true
    })
  }
}

/** The filter of an unfiltered FilterStore get (SimPy's default `lambda item: True`). */
function ANY(): boolean {
  return true
}

/** Options of a {@link PriorityStore}. */
export interface PriorityStoreOptions<T> extends StoreOptions {
  /**
   * The priority of an item; smaller leaves first. Items of equal priority leave in the order of
   * SimPy's heap (Python's `heapq`, as with `PriorityItem`), which is not always arrival order.
   */
  readonly priority: (item: T) => number
}

/**
 * A store whose items leave by priority, smaller first (SimPy's PriorityStore): the items are kept
 * in a binary heap operated exactly as Python's `heapq` (`heappush`, `heappop`), comparing
 * priorities only, so ties leave in the same order as in SimPy.
 */
export class PriorityStore<T> extends Store<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "PriorityStore"
  }

  /** The heap's items and, at the same index, their priorities. */
  private readonly heapItems: T[] = []
  private readonly heapKeys: number[] = []
  private readonly priorityOf: (item: T) => number

  constructor(sim: Simulation, options: PriorityStoreOptions<T>) {
    super(sim, options)
    this.priorityOf = options.priority
  }

  /** The items held, in the order they will leave (a copy). */
  override get itemsInOrder(): T[] {
    const items = this.heapItems.slice()
    const keys = this.heapKeys.slice()
    const out: T[] = []
    while (items.length > 0) out.push(heapPop(items, keys))
    return out
  }

  /** The items in SimPy's heap order (`store.items` in SimPy; a read-only copy). */
  override get items(): readonly T[] {
    return this.heapItems.slice()
  }

  protected override itemCount(): number {
    return this.heapItems.length
  }

  protected override addItem(item: T): void {
    const key = this.priorityOf(item)
    if (Number.isNaN(key)) throw new RangeError(`priority of an item in ${this.name} is NaN`)
    this.heapItems.push(item)
    this.heapKeys.push(key)
    siftDown(this.heapItems, this.heapKeys, 0, this.heapItems.length - 1)
  }

  protected override takeItem(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    if (this.heapItems.length === 0) return NONE
    if (filter !== undefined) throw new Error("a PriorityStore does not take filters")
    return heapPop(this.heapItems, this.heapKeys)
  }
}

/** Python's `heapq.heappop` over parallel arrays of items and priorities (not empty). */
function heapPop<T>(items: T[], keys: number[]): T {
  const lastItem = items.pop()!
  const lastKey = keys.pop()!
  if (items.length === 0) return lastItem
  const first = items[0]!
  items[0] = lastItem
  keys[0] = lastKey
  siftUp(items, keys, 0)
  return first
}

/** Python's `heapq._siftdown`: moves the entry at `pos` up towards `start` while it is smaller than its parent. */
function siftDown<T>(items: T[], keys: number[], start: number, pos: number): void {
  const newItem = items[pos]!
  const newKey = keys[pos]!
  while (pos > start) {
    const parent = (pos - 1) >> 1
    if (newKey < keys[parent]!) {
      items[pos] = items[parent]!
      keys[pos] = keys[parent]!
      pos = parent
      continue
    }
    break
  }
  items[pos] = newItem
  keys[pos] = newKey
}

/**
 * Python's `heapq._siftup`: moves the smaller child up until a leaf is reached, puts the entry
 * from `pos` there, then sifts it down (Floyd's variant, as CPython, so ties land where they do
 * in CPython).
 */
function siftUp<T>(items: T[], keys: number[], pos: number): void {
  const end = items.length
  const start = pos
  const newItem = items[pos]!
  const newKey = keys[pos]!
  let child = 2 * pos + 1
  while (child < end) {
    const right = child + 1
    if (right < end && !(keys[child]! < keys[right]!)) child = right
    items[pos] = items[child]!
    keys[pos] = keys[child]!
    pos = child
    child = 2 * pos + 1
  }
  items[pos] = newItem
  keys[pos] = newKey
  siftDown(items, keys, start, pos)
}
