/**
 * Events: the one thing a process can wait for.
 *
 * An event is a promise on simulated time. It is *pending* until someone calls `succeed` or `fail`;
 * then it is *triggered* (its outcome is fixed and it sits in the event queue); when the kernel pops
 * it, it is *processed*: every waiter is resumed, in the order they started waiting. SimPy's
 * lifecycle, kept exactly, because the order of resumptions is part of the determinism contract.
 *
 * A process waits with `yield*`, which hands back the event's value with its static type:
 *
 * ```ts
 * const message = yield* inbox.get()   // Message
 * ```
 *
 * A failed event throws its error at the `yield*` of every process waiting for it. A failure that
 * nobody waits for stops the run (see {@link Simulation.run}): failures are never dropped silently.
 */
import * as constants from "./constants.ts"
import type { Process } from "./process.ts"
import type { Simulation } from "./simulation.ts"

const { CANCELLED, DEFUSED, FAILED, LAZY_END, NORMAL, PENDING, PROCESSED, STATE, TRIGGERED, WITHDRAWN } = constants // local copies: see constants.ts

/** Anything the kernel can resume when an event is processed: a process, a condition, a callback. */
export interface Waiter {
  /** Called once when the awaited event is processed. */
  _resume(event: Event<any>): void
}

/** Wraps a plain function as a {@link Waiter}. */
class CallbackWaiter implements Waiter {
  constructor(private readonly fn: (event: Event<any>) => void) {}
  _resume(event: Event<any>): void {
    this.fn(event)
  }
}

/**
 * A value that becomes available at some point in simulated time.
 *
 * @typeParam T - the value the event succeeds with; `yield* event` evaluates to it.
 */
export class Event<T = void> implements Iterable<Event<any>, T, any> {
  // Fields are declared, not initialised, and assigned in the constructor: see
  // docs/kernel-performance.md#declared-fields.
  /**
   * @internal The lifecycle state (PENDING, TRIGGERED or PROCESSED, in the STATE bits) and the
   * FAILED, DEFUSED, CANCELLED, WITHDRAWN, RELEASED, PAUSED and LAZY_END bits (one field: see
   * docs/kernel-performance.md#flags-field).
   */
  declare _flags: number
  /** @internal The value, or the error when the event failed. */
  declare _value: any
  /** @internal The first waiter, kept out of the array because most events have exactly one. */
  declare _w0: Waiter | null
  /** @internal The other waiters, in the order they started waiting. */
  declare _ws: Waiter[] | null
  /** The simulation this event belongs to. */
  declare readonly sim: Simulation

  constructor(sim: Simulation) {
    this.sim = sim
    this._flags = 0 // PENDING, no flag
    this._value = undefined
    this._w0 = null
    this._ws = null
  }

  /** True once the outcome is fixed (`succeed` or `fail` was called). */
  get triggered(): boolean {
    return (this._flags & STATE) !== PENDING
  }

  /** True once the kernel has resumed the event's waiters. */
  get processed(): boolean {
    const flags = this._flags
    if ((flags & LAZY_END) !== 0) return this.sim._endIsPast(this as unknown as Process<any>)
    return (flags & STATE) === PROCESSED
  }

  /** True if the event succeeded; only meaningful once triggered. */
  get ok(): boolean {
    return (this._flags & FAILED) === 0
  }

  /** The value the event succeeded with. Throws if the event is not triggered or failed. */
  get value(): T {
    if ((this._flags & STATE) === PENDING)
      throw new Error("the event's value is not available yet: it has not been triggered")
    if ((this._flags & FAILED) !== 0) throw this._value
    return this._value as T
  }

  /** The error the event failed with, or `undefined` if it succeeded or is pending. */
  get error(): unknown {
    return (this._flags & STATE) !== PENDING && (this._flags & FAILED) !== 0 ? this._value : undefined
  }

  /**
   * Fixes the outcome as a success with `value` and schedules the event `delay` time units from
   * now (default 0), after every event already scheduled for that time.
   */
  succeed(value: T, delay = 0): this {
    if ((this._flags & STATE) !== PENDING) throw new Error("the event has already been triggered")
    this._value = value
    this._flags |= TRIGGERED // from PENDING
    if (delay === 0) this.sim._scheduleNow(this)
    else this.sim._schedule(this, NORMAL, delay)
    return this
  }

  /** Fixes the outcome as a failure with `error` and schedules the event now. */
  fail(error: unknown, delay = 0): this {
    if ((this._flags & STATE) !== PENDING) throw new Error("the event has already been triggered")
    this._flags |= FAILED
    this._value = error
    this._flags |= TRIGGERED // from PENDING
    this.sim._schedule(this, NORMAL, delay)
    return this
  }

  /**
   * Marks a failure as handled so it does not stop the run. Use it when an event may fail and
   * you deliberately do not wait for it.
   */
  defuse(): this {
    this._flags |= DEFUSED
    return this
  }

  /**
   * Calls `fn` when the event is processed (after the waiters registered before it). If the event
   * has already been processed, `fn` is not called: check `processed` first.
   */
  onProcessed(fn: (event: Event<T>) => void): this {
    this._addWaiter(new CallbackWaiter(fn))
    return this
  }

  /**
   * @internal Marks a request, put or get withdrawn from the line it waits in. Returns false,
   * changing nothing, if it is no longer pending or was withdrawn already.
   */
  _withdraw(): boolean {
    if ((this._flags & STATE) !== PENDING || (this._flags & WITHDRAWN) !== 0) return false
    this._flags |= WITHDRAWN
    return true
  }

  /** @internal Registers a waiter; it is resumed when the event is processed. */
  _addWaiter(waiter: Waiter): void {
    if ((this._flags & LAZY_END) !== 0) this.sim._settleEnd(this as unknown as Process<any>)
    if (this._w0 === null && this._ws === null) this._w0 = waiter
    else if (this._ws === null) this._ws = [waiter]
    else this._ws.push(waiter)
  }

  /** @internal Removes a waiter (an interrupted process, a settled condition). */
  _removeWaiter(waiter: Waiter): void {
    if (this._w0 === waiter) {
      this._w0 = null
      return
    }
    const ws = this._ws
    if (ws === null) return
    const i = ws.indexOf(waiter)
    if (i >= 0) ws.splice(i, 1)
  }

  /** @internal True when no one waits for the event. */
  _hasNoWaiters(): boolean {
    return this._w0 === null && (this._ws === null || this._ws.length === 0)
  }

  // The iterator protocol, so that `yield* event` waits for the event and evaluates to its value.
  // The iterator is the simulation's `Running` holder, shared by every wait: a wait allocates
  // nothing (see Running).

  /** @internal */
  [Symbol.iterator](): Iterator<Event<any>, T, any> {
    const running = this.sim._running
    // Outside a process (code iterating an event by hand, a deep-equality check), or when a
    // hand-over is still pending (two iterations begun before either called `next`), the
    // iteration gets an iterator of its own.
    if (running.process === null || running._event !== null) return new EventIterator(this)
    running._event = this
    return running
  }
}

/**
 * @internal The iterator of `yield* event`: yields the event once, then ends with the value the
 * wait is resumed with (the kernel resumes it with the processed event, `next(event)`), or
 * throws the failure at the waiting `yield*` (`throw`). It is also its own iterator result:
 * `yield*` reads `done` and `value` at once and never keeps a result.
 *
 * The event to yield is handed over in `_event` by the event's `[Symbol.iterator]()` and taken
 * by the first `next()`; nothing else is kept from one call to the next. So one iterator can
 * serve every wait of a simulation: see {@link Running}.
 */
export class EventIterator implements Iterator<Event<any>, any, any> {
  // Declared and assigned in the constructor (no per-object initialiser call).
  /** The event handed over by `[Symbol.iterator]()`, until the `next()` that yields it. */
  declare _event: Event<any> | null
  /** Iterator-result field. */
  declare done: boolean
  /** Iterator-result field: the event yielded, then the value the wait ends with. */
  declare value: any

  constructor(event: Event<any> | null) {
    this._event = event
    this.done = false
    this.value = undefined
  }

  next(resumedWith?: Event<any>): IteratorResult<Event<any>, any> {
    if (resumedWith !== undefined) {
      // The kernel resumes the wait with the processed event: the `yield*` ends with its value.
      this.done = true
      this.value = resumedWith._value
    } else {
      // The first call yields the event handed over; a later one ends the iteration.
      const event = this._event
      this._event = null
      this.done = event === null
      this.value = event ?? undefined
    }
    return this as IteratorResult<Event<any>, any>
  }

  /** A failure is thrown at the waiting `yield*`. */
  throw(error: unknown): IteratorResult<Event<any>, any> {
    throw error
  }

  return(value?: any): IteratorResult<Event<any>, any> {
    return { done: true, value }
  }
}

/**
 * @internal What `Simulation._running` holds: the running process, and the {@link EventIterator}
 * of every `yield*` on an event made by a process. One iterator serves all those waits (see
 * docs/kernel-performance.md#shared-wait-iterator): `yield*` calls `next()` right after asking for
 * the iterator, so the hand-over in `_event` is taken at once, and waits suspended in many
 * processes share the iterator safely.
 *
 * Code that iterates an event by hand inside a process must take each result before asking any
 * event for another iterator: the shared iterator is also the shared result. (Outside processes,
 * every iteration gets an iterator of its own.)
 *
 * The holder is replaced every YOUNG_EVERY resumptions (see
 * docs/kernel-performance.md#young-arrays). It is not iterable itself, so a deep-equality check that walks into a simulation does not iterate it.
 */
export class Running extends EventIterator {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Running"
  }

  /** The running process, or null between resumptions. */
  declare process: Process<any> | null

  constructor(process: Process<any> | null) {
    super(null)
    this.process = process
  }
}

/**
 * An event that succeeds after a delay: `sim.timeout(d)` and `sim.sleep(d)`. It can be cancelled
 * before it fires, in which case the kernel drops it without advancing time to it.
 */
export class Timeout<T = void> extends Event<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Timeout"
  }

  /** Simulated time at which the timeout fires. */
  declare readonly at: number

  constructor(sim: Simulation, delay: number, value: T) {
    super(sim)
    this._value = value
    this._flags |= TRIGGERED // from PENDING
    this.at = sim.now + delay
    sim._schedule(this, NORMAL, delay)
  }

  /** Withdraws the timeout: it will not fire and its waiters are never resumed. */
  cancel(): void {
    if ((this._flags & STATE) === TRIGGERED) this._flags |= CANCELLED
  }
}
