/**
 * Processes: generator functions that the kernel drives through simulated time.
 *
 * A process yields events (with `yield*`) and sleeps until each is processed; the kernel then
 * resumes it with the event's value, or throws the event's error at that `yield*`. A process is
 * itself an event that succeeds with the generator's return value (or fails with what it threw),
 * so another process can join it with `yield* proc`.
 *
 * An interrupt throws an {@link Interrupt} at the process's current `yield*`, with the cause the
 * interrupter gave; the process stops waiting for what it was waiting for. For fault injection a
 * process can also be killed (it ends at once, running no more code) and paused (its wake-ups are
 * held and delivered, late, when it is unpaused).
 *
 * Starts and sleeps put the process itself on the agenda as a *wake-up* entry, with no event
 * object: the cheapest path for the commonest waits (see agenda.ts). A start is current while the process has not started; the end of a sleep is
 * current while the process still sleeps on the sleep that was scheduled under that key (the
 * sleep keeps it). A start made stale by a kill is dropped; the end of a sleep the process no
 * longer waits for (interrupted, killed) still happens at its time and wakes nobody, as an
 * interrupted SimPy timeout does (see {@link Process._expects}).
 */
import { wakeUpKey } from "./agenda.ts"
import * as constants from "./constants.ts"
import { Event, Running, type Waiter } from "./event.ts"
import type { Simulation } from "./simulation.ts"

const { DEFUSED, FAILED, LAZY_END, NORMAL, PAUSED, PENDING, PROCESSED, STATE, TRIGGERED, URGENT, YOUNG_EVERY } =
  constants // local copies: see constants.ts

/**
 * Order key of the first NORMAL wake-up entry (the end of a sleep, see
 * Simulation._scheduleSleep). Starts are URGENT wake-ups (Simulation._scheduleStart), so their keys
 * are smaller than this.
 */
const FIRST_SLEEP_KEY = wakeUpKey(NORMAL, 0)

/** The generator type of a process that returns `T`. */
export type ProcessGenerator<T = void> = Generator<Event<any> | Sleep, T, any>

/**
 * Marks sleeps (a property of `Sleep.prototype`); `Process._resume` tests it instead of
 * `instanceof Sleep` (see docs/kernel-performance.md#sleep-marker).
 */
const IS_SLEEP: unique symbol = Symbol("sleep")

/**
 * What `sim.sleep(delay)` returns: a wait of `delay` time units for `yield*` inside a process.
 *
 * Not an event, on purpose: the kernel schedules the sleeping process itself, so a sleep costs no
 * event object and no waiter bookkeeping — the most common wait in any model is also the cheapest.
 * To race a delay against something else (`anyOf`, `withDeadline`), use `sim.timeout(delay)`,
 * which is an event.
 *
 * Every `sim.sleep` returns a new object, and a sleep never changes after it was made: its `delay`
 * stays what was asked, and a sleep kept after its wait (or seen through `process.target`) keeps
 * meaning that wait. A sleep is one-shot: like any iterator it is consumed by iterating it, so a
 * second `yield*` of the same sleep returns at once, and it must not be passed to code that
 * iterates its arguments.
 *
 * An interrupted sleep behaves as an interrupted `timeout` does in SimPy: the process stops
 * waiting at once, but the end of the sleep still happens at its time — it wakes nobody, yet it
 * counts as a processed event and moves the clock to its time, so a model written with `sleep`
 * ends at the same time as the same model written with `timeout`.
 */
export class Sleep implements Iterator<Sleep, void, any> {
  /** @internal See IS_SLEEP. */
  declare readonly [IS_SLEEP]: true
  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  /**
   * @internal Read by the process when it wakes, as an event's (a sleep never fails): 0. On the
   * prototype, as `_value`: two fields less per sleep.
   */
  declare readonly _flags: 0
  /** @internal On the prototype: undefined. */
  declare readonly _value: undefined
  /** @internal Iterator-result field: the sleep is its own result object (see `next`). */
  declare done: boolean
  /** @internal Iterator-result field. */
  declare value: Sleep | undefined
  /**
   * @internal Sequence number of the agenda entry that ends this sleep, whose order key is
   * `wakeUpKey(NORMAL, _seq)` (see {@link Process._expects}). Kept here, not in the process: one
   * field less per process; an integer, not the key, so it needs no number box.
   */
  declare _seq: number
  /** The delay, in the model's time unit (see docs/kernel-performance.md#declared-fields). */
  declare readonly delay: number

  constructor(delay: number) {
    this.done = false
    this.value = undefined
    this.delay = delay
    this._seq = -1
  }

  /**
   * @internal Part of the `yield*` protocol: yields the sleep once, then returns. The sleep is its
   * own iterator result (`yield*` reads a result at once and never keeps it): no allocation.
   */
  next(): IteratorResult<Sleep, void> {
    if (this.value === undefined && !this.done) this.value = this
    else {
      this.done = true
      this.value = undefined
    }
    return this as IteratorResult<Sleep, void>
  }

  /** @internal Part of the `yield*` protocol: an interrupt is thrown at the sleeping `yield*`. */
  throw(error: unknown): IteratorResult<Sleep, void> {
    throw error
  }

  /** @internal */
  return(): IteratorResult<Sleep, void> {
    return { done: true, value: undefined }
  }

  /** @internal */
  [Symbol.iterator](): Iterator<Sleep, void, any> {
    return this
  }
}

;(Sleep.prototype as { [IS_SLEEP]: true })[IS_SLEEP] = true
;(Sleep.prototype as { _flags: 0 })._flags = 0
;(Sleep.prototype as { _value: undefined })._value = undefined

/** What a process waits for: an event, or a sleep (see {@link Sleep}). */
type Wait = Event<any> | Sleep

/**
 * What a process is resumed with when it starts: a successful resumption with no value. A plain
 * object (not an Event) so that it belongs to no simulation.
 */
const START = { _flags: 0, _value: undefined }

/** The error a process receives at its current `yield*` when it is interrupted. */
export class Interrupt extends Error {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
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
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
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
    if ((process._flags & STATE) !== PENDING) return // it ended before the interrupt was delivered
    if ((process._flags & PAUSED) !== 0) {
      process._hold(this, event) // delivered when the process is unpaused
      return
    }
    process._detach()
    process._resume(event)
  }
}

/** The error of a process that yielded something it cannot wait for (built out of the hot path). */
function notAWait(name: string, yielded: unknown): TypeError {
  let what: string = typeof yielded
  if (typeof yielded === "object") {
    try {
      what = String(yielded)
    } catch {
      what = "an object that cannot be printed" // its toString threw: the process still fails cleanly
    }
  }
  return new TypeError(`process "${name}" yielded ${what}; a process may only yield events (write \`yield* event\`)`)
}

/** The error of a process that yielded an event of another simulation. */
function foreignEvent(name: string): Error {
  return new Error(`process "${name}" yielded an event of another simulation`)
}

/** Delivers a wake-up that was held while its process was paused. */
class HeldWakeUp implements Waiter {
  constructor(
    private readonly process: Process<any>,
    private readonly waiter: Waiter,
    private readonly event: Wait,
  ) {}
  _resume(): void {
    const process = this.process
    if ((process._flags & STATE) !== PENDING) return // killed or ended meanwhile
    // A wake-up for the process's own wait is stale if an interrupt delivered before it moved the
    // process on to another wait.
    if (this.waiter === process && process._target !== this.event) return
    this.waiter._resume(this.event as Event<any>)
  }
}

/** A running generator; also an event that succeeds with its return value. */
export class Process<T = void> extends Event<T> implements Waiter {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Process"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  /** @internal What the process is waiting for (an event or a sleep), if anything. */
  declare _target: Wait | null
  /** @internal The generator the process runs. */
  declare readonly _generator: ProcessGenerator<T>
  /** @internal The name given at spawn, or the spawn number until a default name is needed. */
  declare private _name: string | number
  /** @internal The sequence number of the end's entry when the end was not queued (LAZY_END). */
  declare _endSeq: number

  constructor(sim: Simulation, generator: ProcessGenerator<T>, name: string | null, number: number) {
    super(sim)
    this._generator = generator
    this._name = name ?? number
    this._endSeq = -1
    // Start at the current time, before normal events already scheduled for it (SimPy's Initialize):
    // the process itself is queued as an URGENT wake-up, with no start event to allocate.
    this._target = null
    sim._scheduleStart(this)
  }

  /** The process's name, used in traces and error messages (default `process-N`). */
  get name(): string {
    const name = this._name
    return typeof name === "string" ? name : (this._name = `process-${name}`)
  }

  /** True while the generator has not returned or thrown. */
  get isAlive(): boolean {
    return (this._flags & STATE) === PENDING
  }

  /**
   * What the process is waiting for (an event or a sleep), or `null` while it runs, before it
   * starts, or after it ended. Each wait has its own object: comparing targets over time tells
   * whether the process moved on.
   */
  get target(): Event<any> | Sleep | null {
    return this._target
  }

  /** @internal Stops waiting for the current event or sleep (interrupt, kill). */
  _detach(): void {
    const target = this._target
    if (target instanceof Event) target._removeWaiter(this)
    this._target = null // a queued wake-up for it is stale from now on (see _expects)
  }

  /**
   * @internal True if the wake-up entry with order `key` is current: for a start (an URGENT key),
   * the process has not started and is alive; for the end of a sleep, the process still sleeps
   * on the sleep scheduled under that key. (No key is stored in the process: one field and one
   * number box less per process.)
   */
  _expects(key: number): boolean {
    const target = this._target
    if (key < FIRST_SLEEP_KEY) return target === null && (this._flags & STATE) === PENDING
    // (Only sleeps have a `_seq`: for an event or the start marker the load gives undefined.)
    return target !== null && (target as Sleep)._seq === key - FIRST_SLEEP_KEY
  }

  /**
   * @internal Processes the process's wake-up entry with order `key`: resumes the process if the
   * entry is current, else (the end of a sleep it no longer waits for) only counts the event.
   */
  _wake(key: number): void {
    if (this._expects(key)) this._resume(null)
    else this.sim.eventsProcessed++
  }

  /**
   * Throws an {@link Interrupt} carrying `cause` into the process at its current `yield*`, before
   * any normal event at the current time. The process stops waiting for its current event (a
   * resource request it was queued on stays queued: cancel it in a `catch` or `finally`).
   */
  interrupt(cause?: unknown): void {
    if ((this._flags & STATE) !== PENDING) {
      throw new Error(`process "${this.name}" has ended and cannot be interrupted`)
    }
    if (this.sim.activeProcess === this) {
      throw new Error(`process "${this.name}" cannot interrupt itself`)
    }
    const delivery = new Event<void>(this.sim)
    delivery._flags = TRIGGERED | FAILED | DEFUSED
    delivery._value = new Interrupt(cause)
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
    if ((this._flags & STATE) !== PENDING) return
    if (this.sim.activeProcess === this) throw new Error(`process "${this.name}" cannot kill itself; return instead`)
    this._detach()
    if ((this._flags & PAUSED) !== 0) {
      this._flags &= ~PAUSED
      this.sim._held.delete(this) // the held wake-ups are dropped with it
    }
    this._end(false, new Killed(cause))
    this._flags |= DEFUSED
  }

  /** True while paused (see {@link pause}). */
  get isPaused(): boolean {
    return (this._flags & PAUSED) !== 0
  }

  /**
   * Freezes the process, like a GC or VM stall: the events it waits for still happen, but it does
   * not wake up until {@link unpause}; then every held wake-up is delivered, in the order it came,
   * at the time of the unpause. The process cannot tell it was paused except by reading the clock.
   */
  pause(): void {
    if ((this._flags & STATE) === PENDING && (this._flags & PAUSED) === 0) {
      this._flags |= PAUSED
      this.sim._held.set(this, [])
    }
  }

  /** @internal Keeps a wake-up (waiter and event) of a paused process for {@link unpause}. */
  _hold(waiter: Waiter, event: Wait): void {
    this.sim._held.get(this)!.push(waiter, event)
  }

  /** Ends a pause and delivers the held wake-ups now, after events already scheduled for now. */
  unpause(): void {
    if ((this._flags & PAUSED) === 0) return
    this._flags &= ~PAUSED
    const held = this.sim._held.get(this)!
    this.sim._held.delete(this)
    for (let i = 0; i < held.length; i += 2) {
      const delivery = new Event<void>(this.sim)
      delivery._flags |= TRIGGERED // from PENDING
      delivery._w0 = new HeldWakeUp(this, held[i] as Waiter, held[i + 1] as Event<any>)
      this.sim._schedule(delivery, NORMAL, 0)
    }
  }

  /**
   * @internal Runs the generator until it waits for an event that is not yet processed, or ends.
   * `event` is what the process waited for; `null` when the kernel processes the process's own
   * wake-up entry (its start, or the end of its sleep), which counts as one event. (One method
   * for both, so the JIT compiles the resumption once instead of once more in a wrapper.)
   */
  _resume(event: Event<any> | null): void {
    if (event === null) {
      this.sim.eventsProcessed++
      // The start, or the end of the sleep that is the target. Kept as the target until the
      // generator runs, so a wake-up held by a pause is recognised as current when delivered.
      event = (this._target ?? START) as Event<any>
      this._target = event
    }
    if ((this._flags & PAUSED) !== 0) {
      this._hold(this, event) // paused: delivered when unpaused
      return
    }
    // (event may be a Sleep: it has the _flags/_value fields read below)
    const sim = this.sim
    const generator = this._generator
    // sim.activeProcess, in a holder renewed now and then to stay young: no write barrier (Simulation._running)
    let running = sim._running
    if (++sim._resumes === YOUNG_EVERY) {
      sim._resumes = 0
      sim._running = running = new Running(running.process)
    }
    const previous = running.process
    running.process = this
    this._target = null
    for (;;) {
      let step: IteratorResult<Wait, T>
      try {
        if ((event._flags & FAILED) === 0) {
          step = generator.next(event)
        } else {
          event._flags |= DEFUSED
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
      // A sleep is its own iterator result (`yield* sim.sleep(d)`), so `next === step` sends it
      // straight to the sleep test below, without the prototype walk of `instanceof`.
      if (next !== step && next instanceof Event) {
        if (next.sim !== sim) {
          this._end(false, foreignEvent(this.name))
          break
        }
        if ((next._flags & LAZY_END) !== 0) sim._settleEnd(next as Process<any>)
        if ((next._flags & STATE) === PROCESSED) {
          event = next // already happened: continue at once, as SimPy does
          continue
        }
      } else if (next !== null && typeof next === "object" && (next as Sleep)[IS_SLEEP] === true) {
        this._target = next
        sim._scheduleSleep(this, next as Sleep)
        break
      } else {
        this._end(false, notAWait(this.name, next))
        break
      }
      if (next._w0 === null && next._ws === null)
        next._w0 = this // the usual first waiter, inline
      else next._addWaiter(this)
      this._target = next
      break
    }
    sim._running.process = previous
  }

  /**
   * Fixes the process's outcome and schedules its end as an event now, after everything already
   * scheduled for now (SimPy's order): a process joining it in the meantime, even one that
   * joins after the generator returned, is resumed when the end is processed, not at once.
   */
  private _end(ok: boolean, value: unknown): void {
    this._flags = ok ? this._flags & ~FAILED : this._flags | FAILED
    this._value = value
    if (ok && this._w0 === null && this._ws === null && this.sim._defersEnds) {
      this.sim._deferEnd(this) // nobody waits yet: see Simulation._settleEnd
      return
    }
    this._flags |= TRIGGERED // from PENDING
    this.sim._scheduleNow(this)
  }
}
