/**
 * Eight ways to share a Go map between goroutines, each with the same two operations: `get(key)`
 * and `increment(key)` (`m[key]++`, a read-modify-write). Think of a shared whiteboard of tallies:
 * anyone may read it, and adding one means reading a tally, then writing the next number.
 *
 * - `racy`: a plain map, no synchronisation. The increment reads, yields (the read's cost), then
 *   writes: two goroutines that read the same tally both write the same next number, and one
 *   increment is lost. (Go's runtime would often crash with `concurrent map writes`; this model
 *   shows the quieter failure the race detector exists for.)
 * - `check-then-act`: every `Get` and `Put` under one mutex, each atomic, and the increment a
 *   `Get` then a `Put` of the next value: the lock is let go between the two, so the same lost
 *   update happens, only less often ("every call is thread-safe" is not enough).
 * - `mutex`: one `sync.Mutex` around every operation.
 * - `rwmutex`: a `sync.RWMutex`: reads share it, increments take it alone; a waiting writer stops
 *   new readers (Go's writer preference).
 * - `cow-mutex`: copy-on-write: readers `Load` the current map from an `atomic.Value` without a
 *   lock; writers take a mutex, copy the map, change the copy and `Store` it.
 * - `cow-cas`: copy-on-write without a lock: load, copy, change, then compare-and-swap the pointer;
 *   when another writer swapped first, count a retry and start over.
 * - `sharded`: `shards` maps, each behind its own mutex; a key lives in shard `key % shards`.
 * - `syncmap`: a read-mostly map as Go's `sync.Map`: a read-only map loaded atomically, whose
 *   entries are updated in place by compare-and-swap, and a dirty map under a mutex for new keys.
 *   A new key copies the read map into a fresh dirty map (when there is none); lookups that miss
 *   the read map and find the key in the dirty map count misses, and when the misses reach the
 *   dirty map's size the dirty map becomes the read map (no copy: a pointer swap).
 *
 * Costs (ns; simulated time is in nanoseconds) are sleeps, so every cost is also a point where another goroutine may run: a race
 * needs a wait between the read and the write, and the sleep of the read's cost is that wait.
 * Waiting for a lock and having it handed over costs `lockHandoffNs` more (the parked goroutine's
 * wake-up). Left out: deletes, `Range`, the `expunged` state of sync.Map, memory bandwidth and
 * cache-line contention (every goroutine has its own core).
 */
import { AtomicCell, type Event, Mutex, RWMutex, type Simulation, type TraceOf } from "../../kernel/index.ts"
import type { ConcurrentMapEvent } from "./concurrent-map-events.ts"

/** The strategies, in the order tables list them. */
export const MAP_STRATEGIES = [
  "racy",
  "check-then-act",
  "mutex",
  "rwmutex",
  "cow-mutex",
  "cow-cas",
  "sharded",
  "syncmap",
] as const
/** The strategies whose increment is not atomic: they lose writes by design. */
export const UNSAFE_MAP_STRATEGIES: readonly MapStrategyName[] = ["racy", "check-then-act"]

/** One strategy. */
export type MapStrategyName = (typeof MAP_STRATEGIES)[number]

/** The cost model, in ns (bytes for the entry size). Every field has a default. */
export interface MapCosts {
  /** One map lookup, ns. Default 100. */
  readonly readCostNs?: number
  /** One map assignment, ns. Default 200. */
  readonly writeCostNs?: number
  /** Copying one entry of a map, ns. Default 10 (a 1,000-entry map takes 10 µs to copy). */
  readonly copyCostNsPerEntry?: number
  /** Waking a goroutine parked on a lock and handing the lock over, ns. Default 1,000. */
  readonly lockHandoffNs?: number
  /** Bytes of one entry (an int key and an int value), for `bytesCopied`. Default 16. */
  readonly bytesPerEntry?: number
}

/** {@link MapCosts} with every default filled in. */
export type ResolvedMapCosts = Required<MapCosts>

/** The cost model's defaults. */
export const DEFAULT_MAP_COSTS: ResolvedMapCosts = {
  readCostNs: 100,
  writeCostNs: 200,
  copyCostNsPerEntry: 10,
  lockHandoffNs: 1_000,
  bytesPerEntry: 16,
}

/** Counters a strategy keeps while it runs. */
export interface MapStats {
  casRetries: number
  bytesCopied: number
}

/** What every strategy works with. */
export interface MapContext {
  readonly sim: Simulation
  readonly strategy: MapStrategyName
  readonly costs: ResolvedMapCosts
  readonly trace: TraceOf<ConcurrentMapEvent>
  readonly stats: MapStats
}

/** A shared map of counters: `get` and `increment`, as generator operations of goroutine `g`. */
export interface ConcurrentMap {
  /** The value of `key`, or null when absent. */
  get(g: string, key: number): Generator<any, number | null, any>
  /** Adds one to `key` (absent counts as 0). */
  increment(g: string, key: number): Generator<any, void, any>
  /** The map's contents once every goroutine has finished. */
  entries(): ReadonlyMap<number, number>
}

/** Builds the map of `context.strategy` (`shards` is used by `sharded` only). */
export function makeConcurrentMap(context: MapContext, shards: number): ConcurrentMap {
  switch (context.strategy) {
    case "racy":
      return new LockedMap(context, () => null)
    case "check-then-act": {
      const mu = new Mutex(context.sim, "mu")
      return new LockedMap(context, () => ({ name: "mu", readName: "mu", read: mu, write: mu }), true)
    }
    case "mutex": {
      const mu = new Mutex(context.sim, "mu")
      return new LockedMap(context, () => ({ name: "mu", readName: "mu", read: mu, write: mu }))
    }
    case "rwmutex": {
      const rw = new RWMutex(context.sim, "rw")
      return new LockedMap(context, () => ({ name: "rw", readName: "rw (read)", read: rw.rLocker(), write: rw }))
    }
    case "sharded":
      return new ShardedMap(context, shards)
    case "cow-mutex":
      return new CopyOnWriteMap(context, new Mutex(context.sim, "writers"))
    case "cow-cas":
      return new CopyOnWriteMap(context, null)
    case "syncmap":
      return new SyncMapLike(context)
  }
}

interface Lock {
  lock(): Event<void>
  unlock(): void
}

/** Takes `lock`; when it had to wait, records the hand-off and pays its cost. */
function* acquire(context: MapContext, g: string, lock: Lock, name: string): Generator<any, void, any> {
  const granted = lock.lock()
  const waited = !granted.triggered
  yield* granted
  if (!waited) return
  context.trace.record({ type: "LockHandedOver", strategy: context.strategy, goroutine: g, lock: name })
  yield* context.sim.sleep(context.costs.lockHandoffNs)
}

/** Read-modify-write of `key` in `map`, paying the read then the write (the race window between). */
function* readModifyWrite(context: MapContext, g: string, map: Map<number, number>, key: number) {
  const { sim, strategy, trace, costs } = context
  const value = map.get(key) ?? 0
  trace.record({ type: "IncrementLoaded", strategy, goroutine: g, key, value })
  yield* sim.sleep(costs.readCostNs)
  map.set(key, value + 1)
  trace.record({ type: "IncrementStored", strategy, goroutine: g, key, value: value + 1 })
  yield* sim.sleep(costs.writeCostNs)
}

/** The locks of a {@link LockedMap}: one for reads, one for writes, with their names. */
interface LockPair {
  readonly name: string
  readonly readName: string
  readonly read: Lock
  readonly write: Lock
}

/** A plain map behind the locks `locks()` gives (none for racy): mutex, rwmutex, racy. */
class LockedMap implements ConcurrentMap {
  private readonly map = new Map<number, number>()
  private readonly locks: LockPair | null

  constructor(
    private readonly context: MapContext,
    locks: () => LockPair | null,
    /** Increment as a locked get, then a locked put (check-then-act), letting go in between. */
    private readonly getThenPut = false,
  ) {
    this.locks = locks()
  }

  *get(g: string, key: number): Generator<any, number | null, any> {
    const locks = this.locks
    if (locks !== null) yield* acquire(this.context, g, locks.read, locks.readName)
    const value = this.map.get(key) ?? null
    yield* this.context.sim.sleep(this.context.costs.readCostNs)
    locks?.read.unlock()
    return value
  }

  *increment(g: string, key: number): Generator<any, void, any> {
    const locks = this.locks
    if (this.getThenPut && locks !== null) return yield* this.getThenPutIncrement(g, key, locks.write)
    if (locks !== null) yield* acquire(this.context, g, locks.write, locks.name)
    yield* readModifyWrite(this.context, g, this.map, key)
    locks?.write.unlock()
  }

  /** `v := m.Get(k); m.Put(k, v+1)`: each call holds the lock, the pair does not. */
  private *getThenPutIncrement(g: string, key: number, lock: Lock): Generator<any, void, any> {
    const { sim, strategy, trace, costs } = this.context
    yield* acquire(this.context, g, lock, "mu")
    const value = this.map.get(key) ?? 0
    trace.record({ type: "IncrementLoaded", strategy, goroutine: g, key, value })
    yield* sim.sleep(costs.readCostNs)
    lock.unlock()
    yield* sim.sleep(0) // Get has returned: another goroutine may run before Put is called
    yield* acquire(this.context, g, lock, "mu")
    this.map.set(key, value + 1)
    trace.record({ type: "IncrementStored", strategy, goroutine: g, key, value: value + 1 })
    yield* sim.sleep(costs.writeCostNs)
    lock.unlock()
  }

  entries(): ReadonlyMap<number, number> {
    return this.map
  }
}

/** `shards` maps, each with its own mutex; key k lives in shard k % shards. */
class ShardedMap implements ConcurrentMap {
  private readonly shards: { mu: Mutex; map: Map<number, number> }[] = []

  constructor(
    private readonly context: MapContext,
    count: number,
  ) {
    for (let i = 0; i < count; i++) this.shards.push({ mu: new Mutex(context.sim, `shard ${i}`), map: new Map() })
  }

  *get(g: string, key: number): Generator<any, number | null, any> {
    const shard = this.shards[key % this.shards.length]!
    yield* acquire(this.context, g, shard.mu, shard.mu.name)
    const value = shard.map.get(key) ?? null
    yield* this.context.sim.sleep(this.context.costs.readCostNs)
    shard.mu.unlock()
    return value
  }

  *increment(g: string, key: number): Generator<any, void, any> {
    const shard = this.shards[key % this.shards.length]!
    yield* acquire(this.context, g, shard.mu, shard.mu.name)
    yield* readModifyWrite(this.context, g, shard.map, key)
    shard.mu.unlock()
  }

  entries(): ReadonlyMap<number, number> {
    const all = new Map<number, number>()
    for (const shard of this.shards) for (const [key, value] of shard.map) all.set(key, value)
    return all
  }
}

/** Copy-on-write behind an atomic pointer; writers serialised by `writers`, or by CAS when null. */
class CopyOnWriteMap implements ConcurrentMap {
  private readonly current = new AtomicCell<ReadonlyMap<number, number>>(new Map())

  constructor(
    private readonly context: MapContext,
    private readonly writers: Mutex | null,
  ) {}

  *get(_g: string, key: number): Generator<any, number | null, any> {
    const value = this.current.load().get(key) ?? null
    yield* this.context.sim.sleep(this.context.costs.readCostNs)
    return value
  }

  *increment(g: string, key: number): Generator<any, void, any> {
    const { sim, strategy, trace, costs, stats } = this.context
    if (this.writers !== null) yield* acquire(this.context, g, this.writers, "writers")
    for (;;) {
      const old = this.current.load()
      const value = old.get(key) ?? 0
      trace.record({ type: "IncrementLoaded", strategy, goroutine: g, key, value })
      const next = new Map(old)
      const bytes = old.size * costs.bytesPerEntry
      stats.bytesCopied += bytes
      trace.record({ type: "MapCopied", strategy, goroutine: g, entries: old.size, bytes })
      yield* sim.sleep(costs.readCostNs + old.size * costs.copyCostNsPerEntry)
      next.set(key, value + 1)
      yield* sim.sleep(costs.writeCostNs)
      if (this.current.compareAndSwap(old, next)) {
        trace.record({ type: "IncrementStored", strategy, goroutine: g, key, value: value + 1 })
        break
      }
      stats.casRetries++
      trace.record({ type: "CasFailed", strategy, goroutine: g, key, target: "map" })
    }
    this.writers?.unlock()
  }

  entries(): ReadonlyMap<number, number> {
    return this.current.load()
  }
}

/** sync.Map's read-only half: the map and whether the dirty map holds keys it lacks. */
interface ReadOnly {
  readonly m: ReadonlyMap<number, AtomicCell<number>>
  readonly amended: boolean
}

/** A read-mostly map as Go's sync.Map (see the module comment). */
class SyncMapLike implements ConcurrentMap {
  private readonly read = new AtomicCell<ReadOnly>({ m: new Map(), amended: false })
  private dirty: Map<number, AtomicCell<number>> | null = null
  private misses = 0
  private readonly mu: Mutex

  constructor(private readonly context: MapContext) {
    this.mu = new Mutex(context.sim, "mu")
  }

  *get(g: string, key: number): Generator<any, number | null, any> {
    const { sim, costs } = this.context
    const read = this.read.load()
    let entry = read.m.get(key)
    if (entry === undefined && read.amended) {
      yield* acquire(this.context, g, this.mu, "mu")
      entry = this.lookupLocked(g, key)
      const value = entry?.load() ?? null
      yield* sim.sleep(costs.readCostNs)
      this.mu.unlock()
      return value
    }
    const value = entry?.load() ?? null
    yield* sim.sleep(costs.readCostNs)
    return value
  }

  *increment(g: string, key: number): Generator<any, void, any> {
    const entry = this.read.load().m.get(key) ?? (yield* this.entryOrInsert(g, key))
    if (entry !== undefined) yield* this.addOne(g, key, entry)
  }

  /** The key's entry found under the lock, or undefined after inserting it with the value 1. */
  private *entryOrInsert(g: string, key: number): Generator<any, AtomicCell<number> | undefined, any> {
    const { sim, strategy, trace, costs } = this.context
    yield* acquire(this.context, g, this.mu, "mu")
    const found = this.lookupLocked(g, key)
    if (found !== undefined) {
      this.mu.unlock()
      return found
    }
    if (this.dirty === null) yield* this.copyReadIntoDirty(g)
    trace.record({ type: "IncrementLoaded", strategy, goroutine: g, key, value: 0 })
    yield* sim.sleep(costs.readCostNs)
    this.dirty!.set(key, new AtomicCell(1))
    trace.record({ type: "IncrementStored", strategy, goroutine: g, key, value: 1 })
    yield* sim.sleep(costs.writeCostNs)
    this.mu.unlock()
    return undefined
  }

  /** The key's entry, looked up again under the lock: the read map, else the dirty map (a miss). */
  private lookupLocked(g: string, key: number): AtomicCell<number> | undefined {
    const read = this.read.load()
    const entry = read.m.get(key)
    if (entry !== undefined || !read.amended) return entry
    const dirtyEntry = this.dirty!.get(key)
    this.missLocked(g)
    return dirtyEntry
  }

  /** Counts a miss; enough misses make the dirty map the read map. */
  private missLocked(g: string): void {
    this.misses++
    const dirty = this.dirty!
    if (this.misses < dirty.size) return
    this.read.store({ m: dirty, amended: false })
    this.context.trace.record({
      type: "DirtyPromoted",
      strategy: this.context.strategy,
      goroutine: g,
      entries: dirty.size,
    })
    this.dirty = null
    this.misses = 0
  }

  /** A new dirty map: a copy of the read map (sync.Map's dirtyLocked), marked as amending it. */
  private *copyReadIntoDirty(g: string): Generator<any, void, any> {
    const { sim, strategy, trace, costs, stats } = this.context
    const read = this.read.load()
    this.dirty = new Map(read.m)
    const bytes = read.m.size * costs.bytesPerEntry
    stats.bytesCopied += bytes
    trace.record({ type: "MapCopied", strategy, goroutine: g, entries: read.m.size, bytes })
    this.read.store({ m: read.m, amended: true })
    yield* sim.sleep(read.m.size * costs.copyCostNsPerEntry)
  }

  /** Adds one to an existing entry with a compare-and-swap loop (no lock). */
  private *addOne(g: string, key: number, entry: AtomicCell<number>): Generator<any, void, any> {
    const { sim, strategy, trace, costs, stats } = this.context
    for (;;) {
      const value = entry.load()
      trace.record({ type: "IncrementLoaded", strategy, goroutine: g, key, value })
      yield* sim.sleep(costs.readCostNs)
      if (entry.compareAndSwap(value, value + 1)) {
        trace.record({ type: "IncrementStored", strategy, goroutine: g, key, value: value + 1 })
        yield* sim.sleep(costs.writeCostNs)
        return
      }
      stats.casRetries++
      trace.record({ type: "CasFailed", strategy, goroutine: g, key, target: "entry" })
    }
  }

  entries(): ReadonlyMap<number, number> {
    const all = new Map<number, number>()
    for (const [key, entry] of this.read.load().m) all.set(key, entry.load())
    for (const [key, entry] of this.dirty ?? []) all.set(key, entry.load())
    return all
  }
}
