/**
 * Stores: a buffer of items that producers put into and consumers take from.
 *
 * A mailbox, a bounded channel, a message queue. `put` waits while the store is full; `get` waits
 * while no item is available. Waiting puts are admitted in order; waiting gets are served in order.
 *
 * - {@link Store}: items leave in the order they arrived (FIFO).
 * - {@link FilterStore}: a get may pass a predicate and receives the oldest matching item; a
 *   waiting get that matches nothing does not block later gets that do.
 * - {@link PriorityStore}: items leave by a priority function (smaller first), FIFO among equals.
 *
 * Invariant (asserted in property tests): items are conserved — every item put is either still in
 * the store or was received by exactly one get.
 */
import * as constants from "./constants.ts"
import { Event } from "./event.ts"
import { EventQueue } from "./event-queue.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

const { COMPACT_FROM } = constants // local copies: see constants.ts

/** Options of a store. */
export interface StoreOptions {
  /** Maximum number of items held, an integer >= 1 or Infinity. Default Infinity. */
  readonly capacity?: number
  /** Name used in error messages. Default "store". */
  readonly name?: string
}

/** A pending put; succeeds when the item is in the store. */
export class StorePut<T> extends Event<void> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "StorePut"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly store: Store<T>
  /** The item to put. */
  declare readonly item: T
  constructor(sim: Simulation, store: Store<T>, item: T) {
    super(sim)
    this.store = store
    this.item = item
  }
  /** Withdraws the put if it is still waiting for room. */
  cancel(): void {
    if (this._withdraw()) this.store._withdrawPut()
  }
}

/** A pending get; succeeds with the item taken. */
export class StoreGet<T> extends Event<T> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "StoreGet"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly store: Store<T>
  /** The predicate the item must satisfy, if any. */
  declare readonly filter: ((item: T) => boolean) | undefined
  constructor(sim: Simulation, store: Store<T>, filter: ((item: T) => boolean) | undefined) {
    super(sim)
    this.store = store
    this.filter = filter
  }
  /** Withdraws the get if it is still waiting for an item. */
  cancel(): void {
    if (this._withdraw()) this.store._withdrawGet()
  }
}

/** A FIFO store of items. */
export class Store<T> {
  // `declare`d so the field starts as a number, not undefined (see Simulation.now).
  /** Maximum number of items. */
  declare readonly capacity: number
  /** Name for messages. */
  readonly name: string
  private readonly putters = new WaitQueue<StorePut<T>>()
  /** @internal */
  protected readonly getters = new WaitQueue<StoreGet<T>>()

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
    this.items = [] // a second write, on purpose: see WaitQueue.compact
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

  /** Puts `item` in the store; the event succeeds when it is in. */
  put(item: T): StorePut<T> {
    const put = new StorePut<T>(this.sim, this, item)
    if (this.itemCount() < this.capacity && this.putters.length === 0) {
      this.addItem(item)
      put.succeed(undefined)
      this.serveGetters()
    } else {
      this.putters.push(put)
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
    if (this.getters.length === 0) {
      const item = this.takeItem(filter)
      if (item !== NONE) {
        get.succeed(item as T)
        this.admitPutters()
        return get
      }
    }
    this.getters.push(get)
    // An earlier filtered getter may wait for an item this one would take (any item, if unfiltered).
    if (filter !== undefined || this.itemCount() > 0) this.serveGetters()
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

  /** Serves waiting gets in order while items are available. */
  private serveGetters(): void {
    if (this.getters.length === 0) return
    let served = false
    for (;;) {
      const get = this.getters.peek()
      if (get === undefined) break
      if (get.filter === undefined) {
        const item = this.takeItem(undefined)
        if (item === NONE) break
        this.getters.shift()
        get.succeed(item as T)
        served = true
        continue
      }
      // A filtering getter that finds nothing must not block later getters.
      const matched = this.serveFilteredGetter()
      if (!matched) break
      served = true
    }
    if (served) this.admitPutters()
  }

  /** Serves the first waiting getter that some item satisfies; false when none can be served. */
  private serveFilteredGetter(): boolean {
    let taken: unknown = NONE
    const get = this.getters.removeFirst((candidate) => {
      taken = this.takeItem(candidate.filter)
      return taken !== NONE
    })
    if (get === undefined) return false
    get.succeed(taken as T)
    return true
  }

  /** Admits waiting puts in order while there is room. */
  private admitPutters(): void {
    if (this.putters.length === 0) return
    let added = false
    while (this.itemCount() < this.capacity) {
      const put = this.putters.shift()
      if (put === undefined) break
      this.addItem(put.item)
      put.succeed(undefined)
      added = true
    }
    if (added) this.serveGetters()
  }

  // Item storage; overridden by PriorityStore.
  private items: T[] = []
  private head = 0

  /** The items held, in the order they will leave (a copy). */
  get itemsInOrder(): T[] {
    return this.items.slice(this.head)
  }

  /** @internal */
  protected itemCount(): number {
    return this.items.length - this.head
  }

  /** @internal */
  protected addItem(item: T): void {
    this.items.push(item)
  }

  /** @internal Removes and returns the first item satisfying `filter` (any item if none), or NONE. */
  protected takeItem(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    const items = this.items
    if (this.head >= items.length) return NONE
    if (filter === undefined) {
      const item = items[this.head]!
      items[this.head++] = undefined as T
      // Compact only now and then: emptying the array each time the store drains (every item,
      // at capacity 1) would free and regrow its backing store per item (measured: 5% of a run).
      // From early on, into a fresh array (see COMPACT_FROM and WaitQueue.compact).
      if (this.head >= COMPACT_FROM && this.head * 2 >= items.length) {
        this.items = items.slice(this.head)
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
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "FilterStore"
  }

  /** Takes the oldest item for which `filter` is true (any item when omitted). */
  override get(filter?: (item: T) => boolean): StoreGet<T> {
    return this.enqueueGet(filter)
  }
}

/** Options of a {@link PriorityStore}. */
export interface PriorityStoreOptions<T> extends StoreOptions {
  /** The priority of an item; smaller leaves first. Ties leave in arrival order. */
  readonly priority: (item: T) => number
}

/** A store whose items leave by priority (smaller first), in arrival order among equals. */
export class PriorityStore<T> extends Store<T> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "PriorityStore"
  }

  private readonly heap = new EventQueue<T>()
  private arrivals = 0
  private readonly priorityOf: (item: T) => number

  constructor(sim: Simulation, options: PriorityStoreOptions<T>) {
    super(sim, options)
    this.priorityOf = options.priority
  }

  override get itemsInOrder(): T[] {
    const entries: { priority: number; key: number; item: T }[] = []
    while (this.heap.size > 0) {
      const priority = this.heap.peekTime()
      const key = this.heap.peekKey()
      entries.push({ priority, key, item: this.heap.pop() as T })
    }
    for (const entry of entries) this.heap.push(entry.priority, entry.key, entry.item)
    return entries.map((entry) => entry.item)
  }

  protected override itemCount(): number {
    return this.heap.size
  }

  protected override addItem(item: T): void {
    const priority = this.priorityOf(item)
    if (Number.isNaN(priority)) throw new RangeError(`priority of an item in ${this.name} is NaN`)
    this.heap.push(priority, this.arrivals++, item)
  }

  protected override takeItem(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    if (this.heap.size === 0) return NONE
    if (filter !== undefined) throw new Error("a PriorityStore does not take filters")
    return this.heap.pop() as T
  }
}
