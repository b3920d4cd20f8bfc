/**
 * Go's `sync` package on the kernel: `Mutex`, `RWMutex`, `WaitGroup`, `Once`, `Cond`, and
 * `sync/atomic`'s load, store, swap and compare-and-swap on a cell.
 *
 * Blocking calls return an event to `yield*` at once (a {@link Parked} wait, so a goroutine
 * blocked here counts for the deadlock detector with Go's wait reason). Misuse fails as Go's does:
 * unlocking an unlocked `Mutex` is the fatal error `sync: unlock of unlocked mutex`, a negative
 * `WaitGroup` counter panics with `sync: negative WaitGroup counter`.
 *
 * Where Go leaves the order to its scheduler, these hand over in FIFO order: an `Unlock` with
 * goroutines waiting hands the lock to the first of them directly (Go's starvation mode), so a
 * newcomer cannot barge in. `RWMutex` prefers writers as Go's does: a writer waiting for the
 * readers to leave blocks new readers, and the readers blocked by a writer all enter when it
 * unlocks, before the next writer. Semantics and examples: docs/go-concurrency.md.
 */
import * as constants from "./constants.ts"
import { Event } from "./event.ts"
import {
  GoFatal,
  type GoObject,
  GoPanic,
  type GoRuntime,
  goRuntime,
  isAbandoned,
  Parked,
  shiftLive,
  type WaitReason,
} from "./go-runtime.ts"
import type { ProcessGenerator } from "./process.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

const { PROCESSED, WITHDRAWN } = constants // local copies: see constants.ts

/** A processed event: what a call that does not block returns. */
function doneEvent(sim: Simulation): Event<void> {
  const event = new Event<void>(sim)
  event._flags = PROCESSED
  return event
}

/** What a Go primitive keeps to park goroutines: its runtime, a line, and a processed event. */
abstract class Parking implements GoObject {
  abstract readonly kind: string
  /** @internal */
  readonly _rt: GoRuntime
  /** @internal A processed event, returned by calls that do not block. */
  readonly _done: Event<void>

  constructor(
    /** The simulation it lives in. */
    readonly sim: Simulation,
    /** Name for deadlock reports. */
    readonly name: string,
  ) {
    this._rt = goRuntime(sim)
    this._done = doneEvent(sim)
  }

  /** @internal Parks the running goroutine in `line` with Go's wait `reason`. */
  _park(line: WaitQueue<Parked<any>>, reason: WaitReason): Parked<void> {
    const wait = new Parked<void>(this.sim, reason, this, line)
    line.push(wait)
    this._rt._park(wait)
    return wait
  }
}

/** What a {@link Cond} locks: a {@link Mutex}, or an {@link RWMutex}'s writer or reader side. */
export interface Locker {
  lock(): Event<void>
  unlock(): void
}

/**
 * Go's `sync.Mutex`: not reentrant (locking it twice from one goroutine blocks forever), not tied
 * to a goroutine (any goroutine may unlock it). Waiters get it in FIFO order.
 */
export class Mutex extends Parking implements Locker {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Mutex"
  }

  readonly kind = "mutex"
  private held = false
  private readonly waiters = new WaitQueue<Parked<any>>()

  constructor(sim: Simulation, name = "mutex") {
    super(sim, name)
  }

  /** True while locked. */
  get isLocked(): boolean {
    return this.held
  }

  /** Locks it (`m.Lock()`); the event succeeds once this goroutine holds it. */
  lock(): Event<void> {
    if (!this.held) {
      this.held = true
      return this._done
    }
    return this._park(this.waiters, "sync.Mutex.Lock")
  }

  /** Locks it if it is free (`m.TryLock()`), and says whether it did. */
  tryLock(): boolean {
    if (this.held) return false
    this.held = true
    return true
  }

  /** Unlocks it (`m.Unlock()`), handing it to the first waiter. Fatal if it is not locked. */
  unlock(): void {
    if (!this.held) throw new GoFatal("sync: unlock of unlocked mutex")
    const next = shiftLive(this.waiters)
    if (next === undefined) this.held = false
    else next._wake(undefined) // stays locked: handed over
  }
}

/**
 * Go's `sync.RWMutex`: many readers or one writer, writers preferred (see the module comment).
 * `rLocker()` gives the reader side as a {@link Locker}.
 */
export class RWMutex extends Parking implements Locker {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "RWMutex"
  }

  readonly kind = "RWMutex"
  /** Readers inside (or admitted). */
  private readers = 0
  /** A writer holds the writers' lock: it is inside, or waits for the readers to leave. */
  private writerClaimed = false
  private writerInside = false
  /** The writer waiting for the readers to leave, if any. */
  private pendingWriter: Parked<void> | null = null
  private readonly readerWaiters = new WaitQueue<Parked<any>>()
  private readonly writerWaiters = new WaitQueue<Parked<any>>()

  constructor(sim: Simulation, name = "rwmutex") {
    super(sim, name)
  }

  /** Readers holding it now. */
  get readerCount(): number {
    return this.readers
  }

  /** True while a writer holds it. */
  get isWriteLocked(): boolean {
    return this.writerInside
  }

  /** Locks for reading (`rw.RLock()`): waits while a writer holds it or waits for it. */
  rLock(): Event<void> {
    if (this.writerClaimed) return this._park(this.readerWaiters, "sync.RWMutex.RLock")
    this.readers++
    return this._done
  }

  /** Unlocks for reading (`rw.RUnlock()`). Fatal if no reader holds it. */
  rUnlock(): void {
    if (this.readers === 0) throw new GoFatal("sync: RUnlock of unlocked RWMutex")
    this.readers--
    const writer = this.pendingWriter
    if (this.readers > 0 || writer === null) return
    this.pendingWriter = null
    if ((writer._flags & WITHDRAWN) !== 0 || isAbandoned(writer))
      this.handOver() // it gave up
    else {
      this.writerInside = true
      writer._wake(undefined)
    }
  }

  /**
   * Locks for writing (`rw.Lock()`): first the writers' lock (a writer waiting for another parks as
   * Go's does, on a `sync.Mutex`), then it waits for the readers inside to leave, blocking new ones.
   */
  lock(): Event<void> {
    if (this.writerClaimed) return this._park(this.writerWaiters, "sync.Mutex.Lock")
    this.writerClaimed = true
    return this.enter(null)
  }

  /** The writer that claimed the writers' lock enters, or waits for the readers (`wait` if it parked). */
  private enter(wait: Parked<void> | null): Event<void> {
    if (this.readers > 0) {
      let pending = wait
      if (pending === null) {
        pending = new Parked<void>(this.sim, "sync.RWMutex.Lock", this, null)
        this._rt._park(pending)
      }
      pending._reason = "sync.RWMutex.Lock"
      this.pendingWriter = pending
      return pending
    }
    this.writerInside = true
    if (wait !== null) wait._wake(undefined)
    return this._done
  }

  /**
   * Unlocks for writing (`rw.Unlock()`): every reader that waited enters, then the next writer
   * claims the writers' lock. Fatal if no writer holds it.
   */
  unlock(): void {
    if (!this.writerInside) throw new GoFatal("sync: Unlock of unlocked RWMutex")
    this.writerInside = false
    this.handOver()
  }

  /** Lets every waiting reader in, then gives the writers' lock to the next writer, if any. */
  private handOver(): void {
    for (let r = shiftLive(this.readerWaiters); r !== undefined; r = shiftLive(this.readerWaiters)) {
      this.readers++
      r._wake(undefined)
    }
    const next = shiftLive(this.writerWaiters)
    if (next === undefined) this.writerClaimed = false
    else this.enter(next)
  }

  /** The reader side as a {@link Locker} (`rw.RLocker()`). */
  rLocker(): Locker {
    return { lock: () => this.rLock(), unlock: () => this.rUnlock() }
  }
}

/** Go's `sync.WaitGroup`: `wait()` blocks until the counter is zero. */
export class WaitGroup extends Parking {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "WaitGroup"
  }

  readonly kind = "WaitGroup"
  private counter = 0
  private readonly waiters = new WaitQueue<Parked<any>>()

  constructor(sim: Simulation, name = "waitgroup") {
    super(sim, name)
  }

  /** The counter. */
  get count(): number {
    return this.counter
  }

  /** Adds `delta` (`wg.Add(delta)`); at zero, every waiter is released. Panics below zero. */
  add(delta: number): void {
    this.counter += delta
    if (this.counter < 0) throw new GoPanic("sync: negative WaitGroup counter")
    if (this.counter > 0) return
    for (let w = shiftLive(this.waiters); w !== undefined; w = shiftLive(this.waiters)) w._wake(undefined)
  }

  /** `wg.Done()`: `add(-1)`. */
  done(): void {
    this.add(-1)
  }

  /** `wg.Wait()`: succeeds once the counter is zero. */
  wait(): Event<void> {
    if (this.counter === 0) return this._done
    return this._park(this.waiters, "sync.WaitGroup.Wait")
  }
}

/**
 * Go's `sync.Once`: `do(f)` runs `f` the first time only; a caller arriving while `f` runs waits
 * for it to finish. If `f` throws, it still counts as done (as Go's).
 */
export class Once extends Parking {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Once"
  }

  readonly kind = "Once"
  private state: "idle" | "running" | "done" = "idle"
  private readonly waiters = new WaitQueue<Parked<any>>()

  constructor(sim: Simulation, name = "once") {
    super(sim, name)
  }

  /** True once `f` has run (or thrown). */
  get isDone(): boolean {
    return this.state === "done"
  }

  /** `once.Do(f)`: `yield* once.do(f)`; `f` may be a generator function (run with `yield*`). */
  *do(f: () => ProcessGenerator<unknown> | unknown): ProcessGenerator<void> {
    if (this.state === "done") return
    if (this.state === "running") {
      yield* this._park(this.waiters, "sync.Mutex.Lock") // Go's Once waits on its mutex
      return
    }
    this.state = "running"
    try {
      const out = f()
      if (typeof out === "object" && out !== null && typeof (out as Generator).next === "function")
        yield* out as ProcessGenerator<unknown>
    } finally {
      this.state = "done"
      for (let w = shiftLive(this.waiters); w !== undefined; w = shiftLive(this.waiters)) w._wake(undefined)
    }
  }
}

/**
 * Go's `sync.Cond` over a {@link Locker}: `wait()` unlocks it and parks until signalled, then
 * locks it again before returning (so check the condition in a loop, as in Go).
 */
export class Cond extends Parking {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Cond"
  }

  readonly kind = "Cond"
  private readonly waiters = new WaitQueue<Parked<any>>()

  constructor(
    sim: Simulation,
    /** The lock held around `wait` (Go's `c.L`). */
    readonly locker: Locker,
    name = "cond",
  ) {
    super(sim, name)
  }

  /** Goroutines waiting to be signalled. */
  get waiting(): number {
    return this.waiters.length
  }

  /** `c.Wait()`: `yield* cond.wait()` with the lock held; returns with it held again. */
  *wait(): ProcessGenerator<void> {
    const wait = this._park(this.waiters, "sync.Cond.Wait")
    this.locker.unlock()
    yield* wait
    yield* this.locker.lock()
  }

  /** `c.Signal()`: wakes the goroutine that has waited longest, if any. */
  signal(): void {
    shiftLive(this.waiters)?._wake(undefined)
  }

  /** `c.Broadcast()`: wakes every waiting goroutine. */
  broadcast(): void {
    for (let w = shiftLive(this.waiters); w !== undefined; w = shiftLive(this.waiters)) w._wake(undefined)
  }
}

/**
 * An atomic cell (`atomic.Value`, `atomic.Int64`, `atomic.Pointer`): load, store, swap and
 * compare-and-swap. A process runs without interruption between its waits, so each call is atomic
 * by construction; what matters for a model is that a read-modify-write done as a load and a
 * later store (with a wait between) is not.
 */
export class AtomicCell<T> {
  constructor(private value: T) {}

  /** `Load()`. */
  load(): T {
    return this.value
  }

  /** `Store(v)`. */
  store(value: T): void {
    this.value = value
  }

  /** `Swap(v)`: stores `value` and returns the old one. */
  swap(value: T): T {
    const old = this.value
    this.value = value
    return old
  }

  /** `CompareAndSwap(old, new)`: stores `next` only if the cell holds `expected` (`===`). */
  compareAndSwap(expected: T, next: T): boolean {
    if (this.value !== expected) return false
    this.value = next
    return true
  }

  /** `Add(delta)` for a numeric cell: returns the new value. */
  add(this: AtomicCell<number>, delta: number): number {
    this.value += delta
    return this.value
  }
}
