/**
 * Processes: generator functions that the kernel drives through simulated time.
 *
 * A process yields events (with `yield*`) and sleeps until each is processed; the kernel then
 * resumes it with the event's value, or throws the event's error at that `yield*`. A process is
 * itself an event that succeeds with the generator's return value (or fails with what it threw),
 * so another process can join it with `yield* proc`.
 *
 * An interrupt throws an {@link Interrupt} at the process's current `yield*`, with the cause the
 * interrupter gave; the process stops waiting for what it was waiting for.
 */
import { Event, NORMAL, PENDING, PROCESSED, TRIGGERED, URGENT, type Waiter } from "./event.ts"
import type { Simulation } from "./simulation.ts"

/** The generator type of a process that returns `T`. */
export type ProcessGenerator<T = void> = Generator<Event<any>, T, any>

/** The error a process receives at its current `yield*` when it is interrupted. */
export class Interrupt extends Error {
  constructor(
    /** Why the process was interrupted, as given by the interrupter. */
    override readonly cause: unknown,
  ) {
    super(`interrupted${cause === undefined ? "" : `: ${describe(cause)}`}`)
    this.name = "Interrupt"
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value)
    } catch {
      return String(value)
    }
  }
  return String(value)
}

/** Resumes an interrupted process, detaching it from what it was waiting for first. */
class Interruption implements Waiter {
  constructor(private readonly process: Process<any>) {}
  _resume(event: Event<any>): void {
    const process = this.process
    if (process._state !== PENDING) return // it ended before the interrupt was delivered
    process._target?._removeWaiter(process)
    process._target = null
    process._resume(event)
  }
}

/** A running generator; also an event that succeeds with its return value. */
export class Process<T = void> extends Event<T> implements Waiter {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Process"
  }

  /** @internal The event the process is waiting for, if any. */
  _target: Event<any> | null

  constructor(
    sim: Simulation,
    /** @internal */
    readonly _generator: ProcessGenerator<T>,
    /** The process's name, used in traces and error messages. */
    readonly name: string,
  ) {
    super(sim)
    // Start at the current time, before normal events already scheduled for it (SimPy's Initialize).
    const start = new Event<void>(sim)
    start._state = TRIGGERED
    start._w0 = this
    sim._schedule(start, URGENT, 0)
    this._target = start
  }

  /** True while the generator has not returned or thrown. */
  get isAlive(): boolean {
    return this._state === PENDING
  }

  /** The event the process is currently waiting for, or `null` while it runs or after it ended. */
  get target(): Event<any> | null {
    return this._target
  }

  /**
   * Throws an {@link Interrupt} carrying `cause` into the process at its current `yield*`, before
   * any normal event at the current time. The process stops waiting for its current event (a
   * resource request it was queued on stays queued: cancel it in a `catch` or `finally`).
   */
  interrupt(cause?: unknown): void {
    if (this._state !== PENDING) {
      throw new Error(`process "${this.name}" has ended and cannot be interrupted`)
    }
    if (this.sim.activeProcess === this) {
      throw new Error(`process "${this.name}" cannot interrupt itself`)
    }
    const delivery = new Event<void>(this.sim)
    delivery._state = TRIGGERED
    delivery._ok = false
    delivery._value = new Interrupt(cause)
    delivery._defused = true
    delivery._w0 = new Interruption(this)
    this.sim._schedule(delivery, URGENT, 0)
  }

  /** @internal Runs the generator until it waits for an event that is not yet processed, or ends. */
  _resume(event: Event<any>): void {
    const sim = this.sim
    const generator = this._generator
    const previous = sim.activeProcess
    sim.activeProcess = this
    this._target = null
    for (;;) {
      let step: IteratorResult<Event<any>, T>
      try {
        if (event._ok) {
          step = generator.next(event)
        } else {
          event._defused = true
          step = generator.throw(event._value)
        }
      } catch (error) {
        this._end(false, error)
        break
      }
      if (step.done === true) {
        this._end(true, step.value)
        break
      }
      const next = step.value
      if (!(next instanceof Event)) {
        this._end(false, new TypeError(
          `process "${this.name}" yielded ${typeof next === "object" ? String(next) : typeof next}; ` +
            "a process may only yield events (write `yield* event`)",
        ))
        break
      }
      if (next.sim !== sim) {
        this._end(false, new Error(`process "${this.name}" yielded an event of another simulation`))
        break
      }
      if (next._state === PROCESSED) {
        event = next // already happened: continue at once, as SimPy does
        continue
      }
      next._addWaiter(this)
      this._target = next
      break
    }
    sim.activeProcess = previous
  }

  private _end(ok: boolean, value: unknown): void {
    this._ok = ok
    this._value = value
    this._state = TRIGGERED
    this.sim._schedule(this, NORMAL, 0)
  }
}
