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

const { CANCELLED, DEFUSED, FAILED, LATE, PENDING, PROCESSED, STATE, TRIGGERED } = constants // local copies: see constants.ts

/** The value type of an event. */
export type ValueOf<E> = E extends Event<infer T> ? T : never

/** The events of an `anyOf` that had been processed when it was, with their values. */
export class ConditionValue {
  constructor(
    /** The processed sub-events, in the order they were given. */
    readonly events: readonly Event<any>[],
  ) {}

  /** True if `event` had happened. */
  has(event: Event<any>): boolean {
    return this.events.includes(event)
  }

  /** The value of `event`; throws if it had not happened. */
  get<T>(event: Event<T>): T {
    if (!this.has(event)) throw new Error("that event had not happened when the condition was met")
    return event._value as T
  }

  /** Index (in the given list) of the first processed sub-event. */
  get firstIndex(): number {
    return this.events.length === 0 ? -1 : this.order.indexOf(this.events[0]!)
  }

  /** @internal The full list of sub-events the condition was built from. */
  order: readonly Event<any>[] = []
}

/** Shared machinery of `allOf` and `anyOf`. */
abstract class Condition<T> extends Event<T> implements Waiter {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Condition"
  }

  private count = 0

  constructor(sim: Simulation, protected readonly events: readonly Event<any>[]) {
    super(sim)
    for (const event of events) {
      if (event.sim !== sim) throw new Error("a condition cannot mix events of different simulations")
    }
    // The condition resumes itself first when processed, to collect its value (SimPy's _build_value).
    this._w0 = this
    if (events.length === 0) {
      this.succeed(this.buildValue())
      return
    }
    for (const event of events) {
      if ((event._flags & STATE) === PROCESSED) this.check(event)
      else event._addWaiter(this)
    }
  }

  /** True once enough sub-events succeeded; `count` is how many were processed. */
  protected abstract isMet(count: number): boolean

  /** The condition's value, built when it is processed. */
  protected abstract buildValue(): T

  /** @internal */
  _resume(event: Event<any>): void {
    if (event === this) {
      for (const sub of this.events) if ((sub._flags & STATE) !== PROCESSED) sub._removeWaiter(this)
      if ((this._flags & FAILED) === 0) this._value = this.buildValue()
      return
    }
    this.check(event)
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

/** Succeeds when every event succeeded, with their values in order; fails on the first failure. */
export class AllOf<T> extends Condition<T> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "AllOf"
  }

  protected isMet(count: number): boolean {
    return count === this.events.length
  }
  protected buildValue(): T {
    return this.events.map((event) => event._value) as T
  }
}

/** Succeeds when any event succeeded, with every sub-event processed by then; fails on a failure. */
export class AnyOf extends Condition<ConditionValue> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "AnyOf"
  }

  protected isMet(count: number): boolean {
    return count > 0
  }
  protected buildValue(): ConditionValue {
    const value = new ConditionValue(this.events.filter((event) => (event._flags & STATE) === PROCESSED))
    value.order = this.events
    return value
  }
}

/** The cause carried by the interrupt that cancels a process which lost a race with a deadline. */
export class DeadlineExceeded extends Error {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
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
        if ((ended._flags & FAILED) !== 0 && ended._value instanceof Interrupt && ended._value.cause === cause) ended._flags |= DEFUSED
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
export function raceDeadline<T>(
  sim: Simulation,
  operation: Event<T>,
  delay: number,
): Event<DeadlineOutcome<T>> {
  const outcome = new Event<DeadlineOutcome<T>>(sim)
  if ((operation._flags & STATE) === PROCESSED) {
    if ((operation._flags & FAILED) === 0) return outcome.succeed({ timedOut: false, value: operation._value as T })
    operation._flags |= DEFUSED
    return outcome.fail(operation._value)
  }
  if (!(delay >= 0) || delay === Infinity) throw new RangeError(`deadline delay must be a finite number >= 0, got ${delay}`)
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
