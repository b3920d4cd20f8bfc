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
import type { Simulation } from "./simulation.ts"

/** Priority of interrupts and process starts: they run before normal events at the same time. */
export const URGENT = 0
/** Priority of every ordinary event. */
export const NORMAL = 1
/**
 * Priority of deadlines: after every normal event at the same time, so an operation that completes
 * at the very instant of its deadline meets it, whatever the order the two were scheduled in.
 */
export const LATE = 2

/** @internal Bits of `Event._flags`: the event failed. */
export const FAILED = 1
/** @internal Bits of `Event._flags`: some waiter received the failure, so it does not stop the run. */
export const DEFUSED = 2
/** @internal Bits of `Event._flags`: a scheduled event was withdrawn; the kernel drops it unprocessed. */
export const CANCELLED = 4

/** Lifecycle states of an {@link Event}. */
export const PENDING = 0
export const TRIGGERED = 1
export const PROCESSED = 2

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
  // Fields are declared, not initialised, and assigned in the constructor: with class-field
  // initialisers V8 defines each one through an inline cache that sees every subclass's shape and
  // goes megamorphic, which made event creation several times slower (measured).
  /** @internal Lifecycle state: PENDING, TRIGGERED or PROCESSED. */
  declare _state: number
  /**
   * @internal FAILED, DEFUSED and CANCELLED bits (one small integer instead of three booleans:
   * 16 bytes less per event and per process).
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
    this._state = PENDING
    this._flags = 0
    this._value = undefined
    this._w0 = null
    this._ws = null
  }

  /** True once the outcome is fixed (`succeed` or `fail` was called). */
  get triggered(): boolean {
    return this._state !== PENDING
  }

  /** True once the kernel has resumed the event's waiters. */
  get processed(): boolean {
    return this._state === PROCESSED
  }

  /** True if the event succeeded; only meaningful once triggered. */
  get ok(): boolean {
    return (this._flags & FAILED) === 0
  }

  /** The value the event succeeded with. Throws if the event is not triggered or failed. */
  get value(): T {
    if (this._state === PENDING) throw new Error("the event's value is not available yet: it has not been triggered")
    if ((this._flags & FAILED) !== 0) throw this._value
    return this._value as T
  }

  /** The error the event failed with, or `undefined` if it succeeded or is pending. */
  get error(): unknown {
    return this._state !== PENDING && (this._flags & FAILED) !== 0 ? this._value : undefined
  }

  /**
   * Fixes the outcome as a success with `value` and schedules the event `delay` time units from
   * now (default 0), after every event already scheduled for that time.
   */
  succeed(value: T, delay = 0): this {
    if (this._state !== PENDING) throw new Error("the event has already been triggered")
    this._value = value
    this._state = TRIGGERED
    if (delay === 0) this.sim._scheduleNow(this)
    else this.sim._schedule(this, NORMAL, delay)
    return this
  }

  /** Fixes the outcome as a failure with `error` and schedules the event now. */
  fail(error: unknown, delay = 0): this {
    if (this._state !== PENDING) throw new Error("the event has already been triggered")
    this._flags |= FAILED
    this._value = error
    this._state = TRIGGERED
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

  /** @internal Registers a waiter; it is resumed when the event is processed. */
  _addWaiter(waiter: Waiter): void {
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
  // Each wait gets its own small iterator: it yields the event once, then returns the value the
  // kernel resumes it with. (A stateless protocol on the event itself would never end when code
  // other than a process iterates an event — `[...event]`, a deep-equality check — and hang.)

  /** @internal */
  [Symbol.iterator](): Iterator<Event<any>, T, any> {
    return new Wait<T>(this)
  }
}

/**
 * One `yield*` on an event: yields the event once, then returns the value it was resumed with.
 * It is also its own iterator result (`done` and `value` are updated in place): `yield*` reads a
 * result at once and never keeps it, so a wait allocates one object instead of three.
 */
class Wait<T> implements Iterator<Event<any>, T, any> {
  // Declared and assigned in the constructor: a class-field initialiser costs a call per wait.
  /**
   * `null` until the first `next` (which yields the event and sets it to false), then true. Both
   * null and false read as "not done"; the three states spare a separate "started" field.
   */
  declare done: boolean | null
  /** The event until the first `next`, then the value the wait was resumed with. */
  declare value: any

  constructor(event: Event<T>) {
    this.done = null
    this.value = event
  }

  next(resumedWith?: Event<any>): IteratorResult<Event<any>, T> {
    if (this.done === null) {
      this.done = false
    } else {
      this.done = true
      this.value = resumedWith === undefined ? undefined : resumedWith._value
    }
    return this as IteratorResult<Event<any>, T>
  }

  /** A failure is thrown at the waiting `yield*`. */
  throw(error: unknown): IteratorResult<Event<any>, T> {
    throw error
  }

  return(value?: any): IteratorResult<Event<any>, T> {
    return { done: true, value }
  }

  [Symbol.iterator](): Iterator<Event<any>, T, any> {
    return this
  }
}

/**
 * An event that succeeds after a delay: `sim.timeout(d)` and `sim.sleep(d)`. It can be cancelled
 * before it fires, in which case the kernel drops it without advancing time to it.
 */
export class Timeout<T = void> extends Event<T> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Timeout"
  }

  /** Simulated time at which the timeout fires. */
  declare readonly at: number

  constructor(sim: Simulation, delay: number, value: T) {
    super(sim)
    this._value = value
    this._state = TRIGGERED
    this.at = sim.now + delay
    sim._schedule(this, NORMAL, delay)
  }

  /** Withdraws the timeout: it will not fire and its waiters are never resumed. */
  cancel(): void {
    if (this._state === TRIGGERED) this._flags |= CANCELLED
  }
}
