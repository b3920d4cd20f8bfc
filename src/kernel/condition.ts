/**
 * Waiting for several events at once: all of them, any of them, or one against a deadline.
 *
 * `allOf` and `anyOf` follow SimPy's conditions: a condition is triggered by the sub-event whose
 * processing makes it true, and its value is collected when the condition itself is processed, so
 * `anyOf` over events that happen at the same instant sees every one of them that was processed
 * before it. If a sub-event fails first, the condition fails with the same error.
 *
 * `withDeadline` is the "timeout with context cancel" of Go services: whichever of the operation
 * and the deadline comes first wins, and the loser is cancelled (a timer is withdrawn, a queued
 * request is withdrawn, a process is interrupted with {@link DeadlineExceeded}).
 */
import * as constants from "./constants.ts"
import { Event, type Waiter } from "./event.ts"
import { Interrupt, Process } from "./process.ts"
import type { Simulation } from "./simulation.ts"

const { CANCELLED, DEFUSED, FAILED, LATE, LAZY_END, PENDING, PROCESSED, STATE, TRIGGERED } = constants // local copies: see constants.ts

/** The value type of an event. */
export type ValueOf<E> = E extends Event<infer T> ? T : never

/**
 * The value of a condition (`allOf` and `anyOf` alike), SimPy's `ConditionValue`: which events had
 * been processed when the condition was processed, with their values.
 *
 * - `events` lists the processed events in the order given, with nested conditions flattened
 *   into their own events (a nested condition is never listed itself, as in SimPy): the value of
 *   `allOf([anyOf([e1, e2]), e3])` lists `e2` too if it was processed before the outer condition.
 *   `has(event)` and `get(event)` read that list (SimPy's `event in value`, `value[event]`);
 *   `toMap()` is SimPy's `todict()`.
 * - It is also an array of the given events' values, in the order given (`undefined` for one not
 *   processed): `const [a, b] = yield* sim.allOf([x, y])` and `JSON.stringify(value)` work as
 *   when `allOf` returned a plain array. (So, unlike SimPy's, iterating it yields values, not
 *   events: iterate `events` for those.) Array methods such as `map` return plain arrays.
 */
export class ConditionValue extends Array<unknown> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "ConditionValue"
  }

  /** Array methods (`map`, `filter`, `slice`) build plain arrays. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array
  }

  // Private fields are not keys of the array, so deep equality and JSON see only the values.
  readonly #events: readonly Event<any>[]
  #order: readonly Event<any>[]

  /**
   * @param events - the processed events, nested conditions flattened, in the order given
   * @param order - the events the condition was built from (default `events`); the array holds
   *   their values, `undefined` for one not processed
   */
  constructor(events: readonly Event<any>[], order: readonly Event<any>[] = events) {
    super()
    this.#events = events
    this.#order = order
    for (const event of order) this.push(event.processed ? event._value : undefined)
  }

  /** The processed events, in the order given, nested conditions flattened into their events. */
  get events(): readonly Event<any>[] {
    return this.#events
  }

  /** @internal The full list of sub-events the condition was built from. */
  get order(): readonly Event<any>[] {
    return this.#order
  }

  /** True if `event` had happened (a direct or nested sub-event listed in `events`). */
  has(event: Event<any>): boolean {
    return this.#events.includes(event)
  }

  /** The value of `event`; throws if it had not happened. */
  get<T>(event: Event<T>): T {
    if (!this.has(event)) throw new Error("that event had not happened when the condition was met")
    return event._value as T
  }

  /** Each event of `events` with its value, in the same order (SimPy's `todict()`). */
  toMap(): Map<Event<any>, unknown> {
    return new Map(this.#events.map((event) => [event, event._value]))
  }

  /**
   * Index (in the given list) of the first given event that had been processed, or of the nested
   * condition holding it; -1 if none.
   */
  get firstIndex(): number {
    const first = this.#events[0]
    if (first === undefined) return -1
    return this.#order.findIndex((event) => event === first || (event instanceof Condition && event._contains(first)))
  }
}

/** Shared machinery of `allOf` and `anyOf` (SimPy's `Condition`). */
abstract class Condition<T> extends Event<T> implements Waiter {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Condition"
  }

  private count = 0

  constructor(
    sim: Simulation,
    protected readonly events: readonly Event<any>[],
  ) {
    super(sim)
    for (const event of events) {
      if (event.sim !== sim) throw new Error("a condition cannot mix events of different simulations")
    }
    // The condition resumes itself first when processed, to collect its value (SimPy's _build_value).
    this._w0 = this
    if (events.length === 0) {
      this.succeed(new ConditionValue([]) as T)
      return
    }
    for (const event of events) {
      if ((event._flags & LAZY_END) !== 0) sim._settleEnd(event as Process<any>)
      if ((event._flags & STATE) === PROCESSED) this.check(event)
      else event._addWaiter(this)
    }
  }

  /** True once enough sub-events succeeded; `count` is how many were processed. */
  protected abstract isMet(count: number): boolean

  /** @internal */
  _resume(event: Event<any>): void {
    if (event === this) {
      this._stopChecking()
      if ((this._flags & FAILED) === 0) {
        const processed: Event<any>[] = []
        this._collect(processed)
        this._value = new ConditionValue(processed, this.events)
      }
      return
    }
    this.check(event)
  }

  /**
   * @internal Stops counting the sub-events not yet processed, and so do nested conditions
   * (SimPy's `_remove_check_callbacks`: a nested condition stops counting too once its outer
   * condition was processed).
   */
  _stopChecking(): void {
    for (const sub of this.events) {
      if ((sub._flags & STATE) !== PROCESSED) sub._removeWaiter(this)
      if (sub instanceof Condition) sub._stopChecking()
    }
  }

  /** @internal Appends the processed sub-events, nested conditions flattened (SimPy's `_populate_value`). */
  _collect(into: Event<any>[]): void {
    for (const sub of this.events) {
      if (sub instanceof Condition) sub._collect(into)
      else if (sub.processed) into.push(sub) // (the getter: a process end may not be queued, see Process._end)
    }
  }

  /** @internal True if `event` is a sub-event of this condition or of a nested one. */
  _contains(event: Event<any>): boolean {
    return this.events.some((sub) => sub === event || (sub instanceof Condition && sub._contains(event)))
  }

  private check(event: Event<any>): void {
    if ((this._flags & STATE) !== PENDING) return
    this.count++
    if ((event._flags & FAILED) !== 0) {
      event._flags |= DEFUSED
      this.fail(event._value)
    } else if (this.isMet(this.count)) {
      this.succeed(undefined as T)
    }
  }
}

/**
 * The value of `allOf(events)`: a {@link ConditionValue} that is also the tuple of the events'
 * values, typed position by position.
 */
export type AllOfValue<E extends readonly Event<any>[]> = ConditionValue & { -readonly [K in keyof E]: ValueOf<E[K]> }

/**
 * Succeeds when every event succeeded, fails on the first failure. Its value is a
 * {@link ConditionValue}, which is also the array of the values in order.
 */
export class AllOf<T> extends Condition<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "AllOf"
  }

  protected isMet(count: number): boolean {
    return count === this.events.length
  }
}

/**
 * Succeeds when any event succeeded, fails on a failure. Its value is a {@link ConditionValue}
 * listing every sub-event processed by then.
 */
export class AnyOf extends Condition<ConditionValue> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "AnyOf"
  }

  protected isMet(count: number): boolean {
    return count > 0
  }
}

/** The cause carried by the interrupt that cancels a process which lost a race with a deadline. */
export class DeadlineExceeded extends Error {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "DeadlineExceeded"
  }

  constructor(readonly deadline: number) {
    super(`deadline of ${deadline} time units exceeded`)
    this.name = "DeadlineExceeded"
  }
}

/** The outcome of {@link withDeadline}. */
export type DeadlineOutcome<T> = { readonly timedOut: false; readonly value: T } | { readonly timedOut: true }

/** An event that can be withdrawn, such as a queued resource request or store get. */
export interface Cancellable {
  cancel(): void
}

function isCancellable(event: Event<any>): event is Event<any> & Cancellable {
  return typeof (event as Partial<Cancellable>).cancel === "function"
}

/** Settles a deadline race: resumed by the operation or by the timer, whichever is processed first. */
class DeadlineRace<T> implements Waiter {
  constructor(
    private readonly outcome: Event<DeadlineOutcome<T>>,
    private readonly operation: Event<T>,
    private readonly timer: Event<void>,
    private readonly delay: number,
  ) {}

  _resume(event: Event<any>): void {
    if ((this.outcome._flags & STATE) !== PENDING) return
    const operation = this.operation
    if (event === operation) {
      this.timer._flags |= CANCELLED // withdrawn: the kernel drops it unprocessed
      if ((operation._flags & FAILED) === 0) this.outcome.succeed({ timedOut: false, value: operation._value as T })
      else {
        operation._flags |= DEFUSED
        this.outcome.fail(operation._value)
      }
      return
    }
    operation._removeWaiter(this)
    this.outcome.succeed({ timedOut: true })
    this.cancelOperation()
  }

  private cancelOperation(): void {
    const operation = this.operation
    if (operation instanceof Process) {
      if (!operation.isAlive) return
      const cause = new DeadlineExceeded(this.delay)
      // The cancelled process may end by rethrowing our interrupt; nobody waits for it any more,
      // so that failure is the expected end of a cancellation, not an unhandled error.
      operation.onProcessed((ended) => {
        if ((ended._flags & FAILED) !== 0 && ended._value instanceof Interrupt && ended._value.cause === cause)
          ended._flags |= DEFUSED
      })
      operation.interrupt(cause)
    } else if ((operation._flags & STATE) === PENDING && isCancellable(operation)) {
      operation.cancel()
    } else if ((operation._flags & STATE) === TRIGGERED && (operation._flags & FAILED) !== 0) {
      operation._flags |= DEFUSED
    }
  }
}

/** @internal Implements `Simulation.withDeadline`. */
export function raceDeadline<T>(sim: Simulation, operation: Event<T>, delay: number): Event<DeadlineOutcome<T>> {
  const outcome = new Event<DeadlineOutcome<T>>(sim)
  if ((operation._flags & LAZY_END) !== 0) sim._settleEnd(operation as Process<any>)
  if ((operation._flags & STATE) === PROCESSED) {
    if ((operation._flags & FAILED) === 0) return outcome.succeed({ timedOut: false, value: operation._value as T })
    operation._flags |= DEFUSED
    return outcome.fail(operation._value)
  }
  if (!(delay >= 0) || delay === Infinity)
    throw new RangeError(`deadline delay must be a finite number >= 0, got ${delay}`)
  // The deadline fires after every normal event of its instant (LATE): an operation completing
  // at that instant wins, so a granted slot or a taken item is never dropped by a timed-out caller.
  const timer = new Event<void>(sim)
  timer._flags |= TRIGGERED // from PENDING
  sim._schedule(timer, LATE, delay)
  const race = new DeadlineRace(outcome, operation, timer, delay)
  operation._addWaiter(race)
  timer._addWaiter(race)
  return outcome
}
