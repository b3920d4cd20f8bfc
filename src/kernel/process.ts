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
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Interrupt"
  }

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

/** The error a killed process ends with (joiners receive it); see {@link Process.kill}. */
export class Killed extends Error {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Killed"
  }

  constructor(
    /** Why the process was killed, e.g. its node crashed. */
    override readonly cause: unknown,
  ) {
    super(`killed${cause === undefined ? "" : `: ${describe(cause)}`}`)
    this.name = "Killed"
  }
}

/** Resumes an interrupted process, detaching it from what it was waiting for first. */
class Interruption implements Waiter {
  constructor(private readonly process: Process<any>) {}
  _resume(event: Event<any>): void {
    const process = this.process
    if (process._state !== PENDING) return // it ended before the interrupt was delivered
    if (process._paused) {
      ;(process._held ??= []).push(this, event) // delivered when the process is unpaused
      return
    }
    process._target?._removeWaiter(process)
    process._target = null
    process._resume(event)
  }
}

/** Delivers a wake-up that was held while its process was paused. */
class HeldWakeUp implements Waiter {
  constructor(
    private readonly process: Process<any>,
    private readonly waiter: Waiter,
    private readonly event: Event<any>,
  ) {}
  _resume(): void {
    const process = this.process
    if (process._state !== PENDING) return // killed or ended meanwhile
    // A wake-up for the process's own wait is stale if an interrupt delivered before it moved the
    // process on to another wait.
    if (this.waiter === process && process._target !== this.event) return
    this.waiter._resume(this.event)
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
  /** @internal True while paused: wake-ups are held, not delivered. */
  _paused = false
  /** @internal Held wake-ups while paused, as (waiter, event) pairs flattened; null when none. */
  _held: (Waiter | Event<any>)[] | null = null

  /** @internal The name given at spawn, or null until a default one is needed. */
  private _name: string | null
  /** @internal Spawn number, for the default name. */
  private readonly _number: number

  constructor(
    sim: Simulation,
    /** @internal */
    readonly _generator: ProcessGenerator<T>,
    name: string | null,
    number: number,
  ) {
    super(sim)
    this._name = name
    this._number = number
    // Start at the current time, before normal events already scheduled for it (SimPy's Initialize).
    const start = new Event<void>(sim)
    start._state = TRIGGERED
    start._w0 = this
    sim._schedule(start, URGENT, 0)
    this._target = start
  }

  /** The process's name, used in traces and error messages (default `process-N`). */
  get name(): string {
    return (this._name ??= `process-${this._number}`)
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

  /**
   * Ends the process at once without running any more of its code — not even `finally` blocks —
   * as a machine crash would. It stops waiting for its current event; joiners receive a
   * {@link Killed} error. Nobody has to handle that failure: it never stops the run by itself.
   * Killing an ended process does nothing.
   */
  kill(cause?: unknown): void {
    if (this._state !== PENDING) return
    if (this.sim.activeProcess === this) throw new Error(`process "${this.name}" cannot kill itself; return instead`)
    this._target?._removeWaiter(this)
    this._target = null
    this._held = null
    this._paused = false
    this._end(false, new Killed(cause))
    this._defused = true
  }

  /** True while paused (see {@link pause}). */
  get isPaused(): boolean {
    return this._paused
  }

  /**
   * Freezes the process, like a GC or VM stall: the events it waits for still happen, but it does
   * not wake up until {@link unpause}; then every held wake-up is delivered, in the order it came,
   * at the time of the unpause. The process cannot tell it was paused except by reading the clock.
   */
  pause(): void {
    if (this._state === PENDING) this._paused = true
  }

  /** Ends a pause and delivers the held wake-ups now, after events already scheduled for now. */
  unpause(): void {
    if (!this._paused) return
    this._paused = false
    const held = this._held
    this._held = null
    if (held === null) return
    for (let i = 0; i < held.length; i += 2) {
      const delivery = new Event<void>(this.sim)
      delivery._state = TRIGGERED
      delivery._w0 = new HeldWakeUp(this, held[i] as Waiter, held[i + 1] as Event<any>)
      this.sim._schedule(delivery, NORMAL, 0)
    }
  }

  /** @internal Runs the generator until it waits for an event that is not yet processed, or ends. */
  _resume(event: Event<any>): void {
    if (this._paused) {
      ;(this._held ??= []).push(this, event)
      return
    }
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
    if (ok && this._w0 === null && this._ws === null) {
      // Nobody waits for this process and it succeeded: processing its end would change nothing,
      // so skip the trip through the queue. A later join at the same instant continues at once,
      // exactly as if the end had been processed first.
      this._state = PROCESSED
      return
    }
    this._state = TRIGGERED
    this.sim._schedule(this, NORMAL, 0)
  }
}
