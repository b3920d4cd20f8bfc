/**
 * The simulation: virtual time, the event queue, and the loop that processes events in order.
 *
 * Event order is the determinism contract: the kernel always processes the pending event with the
 * smallest `(time, priority, sequence)`, where `sequence` counts every schedule. Events scheduled
 * for the same time and priority run in the order they were scheduled, exactly as in SimPy.
 * Interrupts and process starts use {@link URGENT} priority, everything else {@link NORMAL}.
 *
 * `run({ until: t })` processes every event strictly before `t`, then sets the clock to `t`;
 * events at exactly `t` stay queued for a later run (SimPy's rule).
 *
 * Time is a plain number in whatever unit the model states (Kafka and locks use milliseconds).
 * Nothing here reads a wall clock: simulated time moves only when an event is processed.
 */
import { AllOf, type AllOfValue, AnyOf, type ConditionValue, type DeadlineOutcome, raceDeadline } from "./condition.ts"
import * as constants from "./constants.ts"
import { Event, Running, Timeout, type Waiter } from "./event.ts"
import { Agenda, isWakeUp } from "./agenda.ts"
import type { GoRuntime } from "./go-runtime.ts"
import { Process, type ProcessGenerator, Sleep } from "./process.ts"
import { Metrics } from "./metrics.ts"
import { checkSeed, type RandomSource, type RandomStream, RandomStreams } from "./random.ts"
import { Trace, type TraceOptions } from "./trace.ts"

const { CANCELLED, DEFUSED, FAILED, LAZY_END, NORMAL, NORMAL_KEY, PROCESSED, STATE, TRIGGERED, URGENT, YOUNG_FIRST } =
  constants // local copies: see constants.ts

/** Why {@link Simulation.run} returned. */
export type StopReason = "until" | "empty" | "maxEvents" | "stopped"

/** Options of {@link Simulation.run}. */
export interface RunOptions {
  /** Stop before processing any event at or after this time, and set the clock to it. Default: no limit. */
  readonly until?: number
  /** Stop after processing this many events in this call. Default: no limit. */
  readonly maxEvents?: number
  /**
   * Set the clock to `until` when nothing is left before it, as SimPy's `run(until=t)` does.
   * `false` leaves the clock at the last event processed: a run sliced into several calls (each
   * with its own `until`, the last one with this option left out) then ends exactly where one call
   * would, which is how `--realtime` paces a run (src/cli/realtime.ts). Default true.
   */
  readonly clockToUntil?: boolean
}

/** Options of {@link Simulation.run} when it runs until an event: SimPy's `env.run(until=event)`. */
export interface RunUntilEventOptions<T> {
  /**
   * Run until this event has been processed (every waiter registered before the run resumed), and
   * return its value; if it failed, throw its error.
   */
  readonly until: Event<T>
}

/** What {@link Simulation.run} reports. */
export interface RunResult {
  /** Why the run stopped. */
  readonly reason: StopReason
  /** The simulated time when it stopped. */
  readonly now: number
  /** Events processed by this call. */
  readonly events: number
  /** A sentence explaining the stop, e.g. a suspected zero-delay livelock when `maxEvents` hit. */
  readonly message: string
}

/** Raised by `run` or `step` when a failure was not handled by any process. */
export class SimulationError extends Error {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "SimulationError"
  }

  constructor(
    message: string,
    /** Simulated time of the failure. */
    readonly time: number,
    /** The name of the process that failed, if a process failed. */
    readonly processName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = "SimulationError"
  }
}

/**
 * Removes and returns `items[index]`, keeping the order of the rest: `splice(index, 1)[0]` without
 * the array `splice` returns (the explorer removes one ready event per step).
 */
function removeAt<T>(items: T[], index: number): T {
  const item = items[index]!
  for (let i = index + 1; i < items.length; i++) items[i - 1] = items[i]!
  items.length--
  return item
}

/** Builds the error for a bad delay (out of line: see docs/kernel-performance.md#cold-error-builders). */
function invalidDelay(what: string, delay: number): RangeError {
  return new RangeError(`${what} must be a finite number >= 0, got ${delay}`)
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

/** Options of a {@link Simulation}. */
export interface SimulationOptions {
  /** Start time. Default 0. */
  readonly startTime?: number
  /** What the trace keeps and where it streams. Default: enabled, hashing, keeping nothing. */
  readonly trace?: TraceOptions
  /** The run's seed; every named random stream derives from it. Default 1. */
  readonly seed?: number | string
  /**
   * Builds the generator behind each named stream (e.g. a CPython-compatible Mersenne Twister to
   * cross-check against SimPy). Default: alea keyed by `${seed}/${name}`.
   */
  readonly randomSource?: (name: string) => RandomSource
  /**
   * Decides the order of events that are ready at the same instant, and answers the model's
   * `sim.choose` calls. Without one, the kernel follows the `(time, priority, sequence)` contract
   * and `choose` answers 0. The exhaustive explorer (`src/check/`) passes a chooser that replays
   * and enumerates every order.
   */
  readonly chooser?: Chooser
}

/** An external decider of nondeterministic choices (see {@link SimulationOptions.chooser}). */
export interface Chooser {
  /**
   * Picks one of `count` (>= 2) options, returning an integer in [0, count). `label` says what is
   * chosen: "event" for the next of several simultaneous events (option 0 is the contract order),
   * or the label a model passed to `sim.choose`.
   */
  choose(count: number, label: string): number
}

/** A simultaneous event waiting for the chooser, with its order key. */
interface ReadyEvent {
  readonly key: number
  readonly event: Event<any>
}

/** A discrete-event simulation: a clock, an event queue and the processes that run on them. */
export class Simulation {
  /** The current simulated time (see docs/kernel-performance.md#declared-fields). */
  declare now: number
  /**
   * @internal Holds the running process, and is the iterator of every `yield* event` (see
   * {@link Running}). Replaced every YOUNG_EVERY resumptions (see
   * docs/kernel-performance.md#young-arrays).
   */
  _running = new Running(null)
  /** @internal Resumptions since `_running` was last replaced. */
  _resumes = YOUNG_FIRST
  /** Events processed since the simulation was created. */
  eventsProcessed = 0
  /** The run's trace: typed records, sinks and the trace hash. */
  readonly trace: Trace
  /** The run's seed. */
  readonly seed: number | string
  /** Made on first use, as the metrics: a short run (the explorer's) may need neither. */
  private _streams: RandomStreams | null = null
  private _metrics: Metrics | null = null
  private readonly randomSource: ((name: string) => RandomSource) | undefined
  private readonly chooser: Chooser | null
  /** Events at the current time handed to the chooser, in contract order (chooser mode only). */
  private readonly ready: ReadyEvent[] = []

  /** @internal The order key of the entry being processed, or the last one (see _settleEnd). */
  _key = 0.5
  /** @internal The first sequence number taken after the clock last moved (see _settleEnd). */
  _advanceSeq = 0
  /** The current `run`'s {@link RunOptions.clockToUntil}. */
  private clockToUntil = true
  /** @internal True unless a chooser orders events: ends nobody waits for are not queued. */
  readonly _defersEnds: boolean
  /**
   * @internal The wake-ups held for each paused process, as (waiter, event) pairs flattened,
   * delivered when it is unpaused (kept here, not in every process: pauses are rare).
   */
  readonly _held = new Map<Process<any>, (Waiter | Event<any> | Sleep)[]>()
  private processCount = 0
  private stopRequested = false
  /**
   * @internal Called when a run finds no event left to process (the queue is empty): the Go
   * runtime's deadlock detector (go-runtime.ts) throws from here. Null unless one is installed.
   */
  _idle: (() => void) | null = null
  /** @internal The Go runtime of this simulation, once made (see go-runtime.ts `goRuntime`). */
  _go: GoRuntime | null = null
  /** Every pending entry, in contract order (see agenda.ts). */
  private readonly agenda = new Agenda<Event<any>>()

  constructor(options: SimulationOptions = {}) {
    this.now = options.startTime ?? 0
    this.trace = new Trace(() => this.now, options.trace)
    this.seed = options.seed ?? 1
    checkSeed(this.seed)
    this.randomSource = options.randomSource
    this.chooser = options.chooser ?? null
    this._defersEnds = this.chooser === null
  }

  /** The run's counters, gauges, histograms and time series, on simulated time. */
  get metrics(): Metrics {
    return (this._metrics ??= new Metrics(() => this.now))
  }

  private streams(): RandomStreams {
    return (this._streams ??= new RandomStreams(this.seed, this.randomSource))
  }

  /** True when a chooser decides this run's nondeterministic choices (the exhaustive explorer). */
  get hasChooser(): boolean {
    return this.chooser !== null
  }

  /** The process whose generator is running right now, or `null` between events. */
  get activeProcess(): Process<any> | null {
    return this._running.process
  }

  /**
   * A nondeterministic choice among `count` options, for models that want the exhaustive explorer
   * to try each (e.g. which of two replicas answers first). Returns an integer in [0, count): the
   * chooser's pick, or 0 without a chooser. Use `sim.random(...)` for random choices instead.
   */
  choose(count: number, label: string): number {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`choose: count must be an integer >= 1, got ${count}`)
    if (count === 1 || this.chooser === null) return 0
    return this.pick(count, label)
  }

  private pick(count: number, label: string): number {
    const choice = this.chooser!.choose(count, label)
    if (!Number.isInteger(choice) || choice < 0 || choice >= count) {
      throw new RangeError(`the chooser answered ${choice} for ${count} options of "${label}"`)
    }
    return choice
  }

  /**
   * The named random stream `name`, derived from the seed: the same object on every call. Each
   * component should draw from its own stream, so adding a component or a draw never changes
   * another component's draws. `random("a/b")` is `random("a").fork("b")`.
   */
  random(name: string): RandomStream {
    return this.streams().get(name)
  }

  /**
   * A fresh copy of the named stream `name` that repeats its draws from the first, leaving
   * `random(name)` untouched: a model looks ahead with it (when will the last customer arrive?)
   * without changing the run.
   */
  randomReplay(name: string): RandomStream {
    return this.streams().replay(name)
  }

  // --- scheduling --------------------------------------------------------------------------

  /**
   * @internal Puts a triggered event in the queue, `delay` units from now, after every event
   * already scheduled for the same time and priority.
   */
  _schedule(event: Event<any>, priority: number, delay: number): void {
    if (!(delay >= 0) || delay === Infinity) throw invalidDelay("delay", delay)
    this.agenda.push(this.now, delay, priority, event)
  }

  /** A new pending event; trigger it with `succeed` or `fail`. */
  event<T = void>(): Event<T> {
    return new Event<T>(this)
  }

  /**
   * An event that succeeds with `value` after `delay` time units.
   * @param delay - time units from now, finite and >= 0
   */
  timeout<T = void>(delay: number, value?: T): Timeout<T> {
    if (!(delay >= 0) || delay === Infinity) throw invalidDelay("timeout delay", delay)
    return new Timeout<T>(this, delay, value as T)
  }

  /**
   * Waits `delay` time units: `yield* sim.sleep(5)`. The cheapest wait there is (see {@link Sleep});
   * use `timeout(delay)` when you need an event (to race it with `anyOf` or `withDeadline`). Each
   * call returns a new Sleep. An interrupted sleep still ends at its time, waking nobody, exactly
   * as an interrupted `timeout` does: the clock moves to it.
   * @param delay - time units from now, finite and >= 0
   */
  sleep(delay: number): Sleep {
    if (!(delay >= 0) || delay === Infinity) throw invalidDelay("sleep delay", delay)
    return new Sleep(delay)
  }

  /**
   * @internal `_schedule(event, NORMAL, 0)`, the commonest schedule (grants, puts, gets, process
   * ends), kept tiny so the JIT inlines it into every caller.
   */
  _scheduleNow(event: Event<any>): void {
    this.agenda.pushNow(event)
  }

  /**
   * @internal Queues `process` to start now, before normal events already scheduled for now: an
   * URGENT wake-up entry (see agenda.ts).
   */
  _scheduleStart(process: Process<any>): void {
    this.agenda.pushWakeUp(this.now, 0, URGENT, process)
  }

  /**
   * @internal Queues `process` to wake at the end of `sleep`, `sleep.delay` from now: a NORMAL
   * wake-up entry (see agenda.ts) whose sequence number the sleep keeps.
   */
  _scheduleSleep(process: Process<any>, sleep: Sleep): void {
    sleep._seq = this.agenda.pushWakeUp(this.now, sleep.delay, NORMAL, process)
  }

  /**
   * @internal Ends `process`, which succeeded with nobody waiting for it, without queueing its
   * end: the end takes its sequence number, as a queued end would, and counts as processed in its
   * turn, since processing it then would resume nobody. If someone waits for it later,
   * {@link _settleEnd} decides what SimPy's queued end would have been by then. (Why: see
   * docs/kernel-performance.md#lazy-process-ends.)
   */
  _deferEnd(process: Process<any>): void {
    process._endSeq = this.agenda.sequence++
    process._flags |= TRIGGERED | LAZY_END
    this.eventsProcessed++
  }

  /**
   * @internal True if the end of `process`, not queued (see {@link _deferEnd}), would have been
   * processed by now: its instant is over (the clock moved after its sequence number was taken),
   * or the entry being processed comes after it.
   */
  _endIsPast(process: Process<any>): boolean {
    return process._endSeq < this._advanceSeq || this._key > NORMAL_KEY + process._endSeq
  }

  /**
   * @internal Someone is about to wait for the end of `process` that was not queued: marks it
   * processed if it would have been by now (the wait then continues at once, as SimPy's does),
   * else queues it under the order key it would have had, at the current time.
   */
  _settleEnd(process: Process<any>): void {
    process._flags &= ~LAZY_END
    if (this._endIsPast(process)) {
      process._flags = (process._flags & ~STATE) | PROCESSED
    } else {
      this.eventsProcessed-- // counted when processed from the queue instead
      this.agenda.pushKeyed(this.now, NORMAL_KEY + process._endSeq, process)
    }
  }

  /**
   * Starts a process now (before normal events already scheduled for now). The process is an
   * event that succeeds with the generator's return value: `yield* proc` joins it.
   * @param name - used in traces and error messages; default `process-N`
   */
  spawn<T>(generator: ProcessGenerator<T>, name?: string): Process<T> {
    return new Process<T>(this, generator, name ?? null, ++this.processCount)
  }

  /**
   * Succeeds when all events succeeded; fails on the first failure. Its value is a
   * {@link ConditionValue} (as `anyOf`'s) that is also the array of the events' values, in order:
   * `const [a, b] = yield* sim.allOf([x, y])`.
   */
  allOf<const E extends readonly Event<any>[]>(events: E): Event<AllOfValue<E>> {
    return new AllOf<AllOfValue<E>>(this, events)
  }

  /**
   * Succeeds when any event succeeded; fails on a failure. Its value is a {@link ConditionValue}
   * listing every sub-event processed by then.
   */
  anyOf(events: readonly Event<any>[]): Event<ConditionValue> {
    return new AnyOf(this, events)
  }

  /**
   * Races `operation` against a deadline `delay` units from now. If the operation finishes first,
   * the timer is withdrawn and the outcome carries its value (or fails with its error); if the
   * deadline comes first, the outcome is `{ timedOut: true }` and the operation is cancelled: a
   * process is interrupted with a `DeadlineExceeded` cause, a queued request or get is withdrawn.
   * The deadline fires after every normal event of its instant, so an operation completing then
   * wins — except under the explorer's chooser, which tries every order of an instant's events:
   * there the deadline can come first while the operation has already succeeded (a mutex handed
   * over, waiting to be delivered), which cannot be undone. After a timeout, a model run by the
   * explorer checks `operation.triggered` (true: it completed after all).
   */
  withDeadline<T>(operation: Event<T>, delay: number): Event<DeadlineOutcome<T>> {
    return raceDeadline(this, operation, delay)
  }

  /** Asks the current `run` to return after the event being processed. */
  stop(): void {
    this.stopRequested = true
  }

  // --- the loop ----------------------------------------------------------------------------

  /** Time of the next event to process, or `Infinity` if none is queued. */
  peek(): number {
    if (this.ready.length > 0) return this.now
    const agenda = this.agenda
    for (;;) {
      const event = agenda.frontItem(this.now)
      if (event === undefined) return Infinity
      if (isLive(event, agenda.frontKey(this.now))) return agenda.frontTime(this.now)
      agenda.shift(this.now) // a withdrawn event or a stale start: dropped
    }
  }

  /** Processes the next event. Returns false if there was none. */
  step(): boolean {
    if (this.chooser !== null) {
      for (;;) {
        const next = this.popChosen(Infinity)
        if (next === undefined) return false
        if (this.dispatch(next.event, next.key, this.now)) return true
      }
    }
    const agenda = this.agenda
    for (;;) {
      const event = agenda.shift(this.now)
      if (event === undefined) return false
      if (this.dispatch(event, agenda.key, agenda.time)) return true
    }
  }

  /**
   * Processes events in order until `until` (an event) has been processed, and returns its value,
   * as SimPy's `env.run(until=event)`: at once if it was processed already. The clock stays at
   * the event's time; the events after it stay queued.
   * @throws the event's error if it failed (rethrown as is, not as a SimulationError)
   * @throws Error when no events are left and the event was not processed (it was never
   *   triggered, or was withdrawn), or when a process called `stop()` before it was processed
   * @throws SimulationError when another event fails and nobody handles the failure
   */
  run<T>(options: RunUntilEventOptions<T>): T
  /**
   * Processes events in order until the queue is empty, the next event is at or after `until`,
   * `maxEvents` events were processed, or a process called `stop()`.
   * @throws SimulationError when an event fails and nobody handles the failure
   */
  run(options?: RunOptions): RunResult
  run(options: RunOptions | RunUntilEventOptions<unknown> = {}): unknown {
    if (options.until instanceof Event) return this.runUntilEvent(options.until)
    return this.runUntilTime(options as RunOptions)
  }

  private runUntilTime(options: RunOptions): RunResult {
    const until = options.until ?? Infinity
    const maxEvents = options.maxEvents ?? Infinity
    if (Number.isNaN(until) || until < this.now) {
      throw new RangeError(`until must be >= the current time ${this.now}, got ${until}`)
    }
    if (!(maxEvents >= 0)) throw new RangeError(`maxEvents must be >= 0, got ${maxEvents}`)
    this.stopRequested = false
    if (until === this.now) return { reason: "until", now: this.now, events: 0, message: `reached t=${until}` }
    this.clockToUntil = options.clockToUntil ?? true
    if (this.chooser !== null) return this.runChoosing(until, maxEvents)
    return this.loop(until, maxEvents)
  }

  /** `run({ until: event })`: steps until the event is processed (see the overload). */
  private runUntilEvent<T>(event: Event<T>): T {
    if (event.sim !== this) throw new Error("run: the until event belongs to another simulation")
    if ((event._flags & LAZY_END) !== 0) this._settleEnd(event as Process<any>)
    if ((event._flags & STATE) !== PROCESSED) {
      // Last waiter, as SimPy's stop callback: a failure is the run's to report, so it is defused
      // here and rethrown below instead of stopping the run as an unhandled failure.
      event._addWaiter(UNTIL_WAITER)
      this.stopRequested = false
      while ((event._flags & STATE) !== PROCESSED) {
        if (this.stopRequested) {
          this.stopRequested = false
          throw new Error(`run: stop() was called at t=${this.now} before the until event was processed`)
        }
        if (!this.step()) {
          event._removeWaiter(UNTIL_WAITER)
          this._idle?.()
          throw new Error(
            `run: no events left at t=${this.now} but the until event was not processed (never triggered, or withdrawn)`,
          )
        }
      }
    }
    if ((event._flags & FAILED) !== 0) {
      event._flags |= DEFUSED
      throw event._value
    }
    return event._value as T
  }

  /**
   * The event loop of {@link run} (without a chooser): takes the agenda's entries in order and
   * dispatches them, as {@link step} does (see docs/kernel-performance.md#run-loop).
   */
  private loop(until: number, maxEvents: number): RunResult {
    const agenda = this.agenda
    let events = 0
    let eventsAtLastAdvance = 0
    for (;;) {
      if (events >= maxEvents) return this.maxEventsResult(events, eventsAtLastAdvance)
      const event = agenda.shift(this.now, until)
      if (event === undefined) return this.endResult(agenda.frontTime(this.now), until, events)
      const next = agenda.time
      const key = agenda.key
      // A withdrawn event or a stale start is dropped without advancing time or counting.
      const wakeUp = isWakeUp(key)
      if (!isLive(event, key, wakeUp)) continue
      // dispatchLive(event, key, next), written out: see docs/kernel-performance.md#run-loop
      if (next !== this.now) {
        this.now = next
        this._advanceSeq = agenda.sequence
        eventsAtLastAdvance = events
      }
      this._key = key
      if (wakeUp) (event as Process<any>)._wake(key)
      else this.process(event)
      events++
      if (this.stopRequested) return this.stoppedResult(events)
    }
  }

  /** The result of a run that found nothing left before `until` (the next event is at `time`). */
  private endResult(time: number, until: number, events: number): RunResult {
    if (time === Infinity && this._idle !== null) this._idle()
    if (until !== Infinity && until !== this.now && this.clockToUntil) {
      this.now = until
      this._advanceSeq = this.agenda.sequence
    }
    return time === Infinity
      ? { reason: "empty", now: this.now, events, message: `no events left at t=${this.now}` }
      : { reason: "until", now: this.now, events, message: `reached t=${until}` }
  }

  /** The result of a run stopped by `stop()`. */
  private stoppedResult(events: number): RunResult {
    this.stopRequested = false
    return { reason: "stopped", now: this.now, events, message: `stop() called at t=${this.now}` }
  }

  /**
   * Processes an entry taken from the agenda at `time`: a live one moves the clock to `time` and is
   * dispatched (see {@link dispatchLive}); a withdrawn event or a stale start counts as nothing, and
   * false is returned.
   */
  private dispatch(event: Event<any>, key: number, time: number): boolean {
    if (!isLive(event, key)) return false
    this.dispatchLive(event, key, time)
    return true
  }

  /**
   * Processes a live entry at `time`, moving the clock there: a wake-up entry wakes its process
   * (see {@link Process._wake}); an event entry resumes the event's waiters.
   */
  private dispatchLive(event: Event<any>, key: number, time: number): void {
    if (time !== this.now) {
      this.now = time
      this._advanceSeq = this.agenda.sequence
    }
    this._key = key
    if (isWakeUp(key)) (event as Process<any>)._wake(key)
    else this.process(event)
  }

  private maxEventsResult(events: number, eventsAtLastAdvance: number): RunResult {
    const stuck = events - eventsAtLastAdvance
    const message =
      stuck === events && events > 0
        ? `stopped after ${events} events, all at t=${this.now}: time did not advance (a zero-delay livelock?)`
        : `stopped after ${events} events at t=${this.now} (the last ${stuck} at the same time)`
    return { reason: "maxEvents", now: this.now, events, message }
  }

  /** The run loop when a chooser orders simultaneous events (slower; exploration only). */
  private runChoosing(until: number, maxEvents: number): RunResult {
    let events = 0
    let eventsAtLastAdvance = 0
    for (;;) {
      if (events >= maxEvents) return this.maxEventsResult(events, eventsAtLastAdvance)
      const before = this.now
      const chosen = this.popChosen(until)
      if (chosen === undefined) {
        const next = this.ready.length > 0 ? this.now : this.agenda.frontTime(this.now)
        return this.endResult(next, until, events)
      }
      if (this.now !== before) eventsAtLastAdvance = events
      if (!this.dispatch(chosen.event, chosen.key, this.now)) continue
      events++
      if (this.stopRequested) return this.stoppedResult(events)
    }
  }

  /**
   * Chooser mode: gathers every live entry at the earliest pending time (advancing the clock to
   * it unless that is at or after `until`), lets the chooser pick one, and returns it. Every order
   * of simultaneous events is reachable: URGENT ones are not forced first, since two interrupts or
   * two process starts at the same instant are as unordered in a real system as anything else.
   */
  private popChosen(until: number): ReadyEvent | undefined {
    const ready = this.ready
    for (let i = ready.length - 1; i >= 0; i--) if (!isLive(ready[i]!.event, ready[i]!.key)) removeAt(ready, i)
    if (ready.length === 0) {
      const time = this.peek()
      if (time === Infinity || time >= until) return undefined
      if (time !== this.now) {
        this.now = time
        this._advanceSeq = this.agenda.sequence
      }
    }
    this.gatherReady()
    if (ready.length === 0) return undefined
    // An event nobody waits for changes nothing when processed, so its place in the order cannot
    // matter: process it without asking (this prunes e.g. the ends of processes nobody joins, and
    // the ends of interrupted sleeps). Current wake-ups are never pruned: a process always runs
    // when it wakes.
    for (let i = 0; i < ready.length; i++) {
      const { event, key } = ready[i]!
      const wakesNobody = isWakeUp(key) ? !(event as Process<any>)._expects(key) : event._hasNoWaiters()
      if (wakesNobody) return removeAt(ready, i)
    }
    return removeAt(ready, ready.length === 1 ? 0 : this.pick(ready.length, "event"))
  }

  /**
   * Moves every live entry of the current time from the agenda into `ready`, keeping `ready` in
   * contract order (entries left from an earlier choice may come after new ones, e.g. after an
   * interrupt, so the two runs are sorted together).
   */
  private gatherReady(): void {
    const ready = this.ready
    const agenda = this.agenda
    const before = ready.length
    while (agenda.frontTime(this.now) === this.now) {
      const event = agenda.shift(this.now)!
      if (isLive(event, agenda.key)) ready.push({ key: agenda.key, event })
    }
    if (before > 0 && ready.length > before) ready.sort((a, b) => a.key - b.key)
  }

  /** Resumes the waiters of `event`; stops the run if it failed and nobody handled it. */
  private process(event: Event<any>): void {
    this.eventsProcessed++
    event._flags = (event._flags & ~STATE) | PROCESSED
    const first = event._w0
    const rest = event._ws
    event._w0 = null
    event._ws = null
    if (first !== null) first._resume(event)
    if (rest !== null) for (let i = 0; i < rest.length; i++) rest[i]!._resume(event)
    if ((event._flags & (FAILED | DEFUSED)) === FAILED) this.unhandled(event)
  }

  private unhandled(event: Event<any>): never {
    const error = event._value
    if (event instanceof Process) {
      throw new SimulationError(
        `process "${event.name}" failed at t=${this.now} and nobody handled it: ${errorText(error)}`,
        this.now,
        event.name,
        { cause: error },
      )
    }
    throw new SimulationError(
      `an event failed at t=${this.now} and nobody handled it: ${errorText(error)}`,
      this.now,
      undefined,
      { cause: error },
    )
  }
}

/** The waiter `run({ until: event })` adds to its event: defuses a failure, which `run` rethrows. */
const UNTIL_WAITER: Waiter = {
  _resume(event: Event<any>): void {
    if ((event._flags & FAILED) !== 0) event._flags |= DEFUSED
  },
}

/**
 * True unless an agenda entry is a withdrawn event or a stale start (an URGENT wake-up entry of a
 * process that no longer waits to start). The end of a sleep (a NORMAL wake-up entry) is always
 * live: when its process no longer sleeps on it (interrupted, killed) it wakes nobody but still
 * happens, as a SimPy timeout does. `wakeUp` is `isWakeUp(key)`, passed by a caller that needs it too.
 */
function isLive(event: Event<any>, key: number, wakeUp = isWakeUp(key)): boolean {
  if (wakeUp) return key > NORMAL_KEY || (event as Process<any>)._expects(key)
  return (event._flags & CANCELLED) === 0
}
