/**
 * The Go runtime's part of the kernel: goroutine numbers, Go's panics and fatal errors, the record
 * of every goroutine parked on a channel or a lock (and why), and the global-deadlock detector.
 *
 * A process that blocks on a Go primitive (a channel operation, a `select`, a `sync` lock) waits
 * for a {@link Parked} event, which the runtime links into its list of parked goroutines until it
 * completes or is withdrawn. When a run finds no event left to process while a live goroutine is
 * parked, nothing can ever wake it: the run stops with {@link GoDeadlock}, whose message is the
 * Go runtime's (`fatal error: all goroutines are asleep - deadlock!`) followed by one line per
 * parked goroutine with Go's wait reason (`goroutine 2 [chan send]:`). A program started with
 * {@link GoRuntime.main} ends when its main goroutine returns, as a Go program does: goroutines
 * still parked then are leaked, not deadlocked.
 *
 * Semantics and examples: docs/go-concurrency.md.
 */
import * as constants from "./constants.ts"
import { Event } from "./event.ts"
import type { Process, ProcessGenerator } from "./process.ts"
import { type Simulation, SimulationError } from "./simulation.ts"
import type { WaitQueue } from "./wait-queue.ts"

const { PENDING, STATE } = constants // local copies: see constants.ts

/** Why a goroutine is parked: the Go runtime's wait reasons, as `goroutine N [reason]:` shows them. */
export type WaitReason =
  | "chan send"
  | "chan receive"
  | "chan send (nil chan)"
  | "chan receive (nil chan)"
  | "select"
  | "select (no cases)"
  | "sync.Mutex.Lock"
  | "sync.RWMutex.RLock"
  | "sync.RWMutex.Lock"
  | "sync.WaitGroup.Wait"
  | "sync.Cond.Wait"

/**
 * A Go panic (`panic: send on closed channel`): thrown at the statement that panics, so it fails
 * the goroutine's process unless caught (catching it is Go's `recover`). Its `name` is "panic", so
 * an unhandled one reads as Go prints it.
 */
export class GoPanic extends Error {
  constructor(message: string) {
    super(message)
    this.name = "panic"
  }
}

/**
 * A fatal error of the Go runtime (`fatal error: sync: unlock of unlocked mutex`), which Go
 * cannot recover from. Thrown at the offending call; its `name` is "fatal error".
 */
export class GoFatal extends Error {
  constructor(message: string) {
    super(message)
    this.name = "fatal error"
  }
}

/** One parked goroutine in a {@link GoDeadlock} report. */
export interface ParkedGoroutine {
  /** The goroutine's number (see {@link GoRuntime.goroutineId}). */
  readonly id: number
  /** The process's name. */
  readonly name: string
  /** Go's wait reason. */
  readonly reason: WaitReason
  /** What it waits on, e.g. `channel "results"`. */
  readonly waitsOn: string
}

/** The run's end when every goroutine is asleep: Go's `all goroutines are asleep - deadlock!`. */
export class GoDeadlock extends SimulationError {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "GoDeadlock"
  }

  constructor(
    time: number,
    /** The parked goroutines, by goroutine number. */
    readonly goroutines: readonly ParkedGoroutine[],
  ) {
    super(deadlockMessage(goroutines), time, undefined)
    this.name = "GoDeadlock"
  }
}

/** Go's deadlock text, one `goroutine N [reason]:` entry per parked goroutine. */
function deadlockMessage(goroutines: readonly ParkedGoroutine[]): string {
  const lines = ["fatal error: all goroutines are asleep - deadlock!", ""]
  for (const g of goroutines) lines.push(`goroutine ${g.id} [${g.reason}]:`, `\t${g.name} waits on ${g.waitsOn}`)
  return lines.join("\n")
}

/** Something a goroutine can park on, named in deadlock reports: `channel "results"`. */
export interface GoObject {
  /** What it is: "channel", "mutex", "RWMutex", "WaitGroup", "Once", "Cond". */
  readonly kind: string
  /** Its name. */
  readonly name: string
}

/**
 * A wait on a Go primitive: an event the parked process waits for, linked into its runtime's list
 * of parked goroutines while it is pending and not withdrawn. `cancel()` withdraws it (what
 * `withDeadline` calls when the deadline wins).
 */
export class Parked<T> extends Event<T> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Parked"
  }

  /** @internal The process that made the wait (the running one then), or null outside processes. */
  declare _g: Process<any> | null
  /** @internal Go's wait reason. */
  declare _reason: WaitReason
  /** @internal What it waits on. */
  declare _on: GoObject | null
  /** @internal The line it waits in, if any (withdrawing it is noted there). */
  declare _queue: WaitQueue<Parked<any>> | null
  /** @internal The runtime's list of parked waits: links, and whether this one is in it. */
  declare _prev: Parked<any> | null
  declare _next: Parked<any> | null
  declare _linked: boolean

  constructor(sim: Simulation, reason: WaitReason, on: GoObject | null, queue: WaitQueue<Parked<any>> | null) {
    super(sim)
    this._g = sim._running.process
    this._reason = reason
    this._on = on
    this._queue = queue
    this._prev = null
    this._next = null
    this._linked = false
  }

  /** @internal What the deadlock report says it waits on. */
  _describe(): string {
    const on = this._on
    return on === null ? "nothing (it can never be woken)" : `${on.kind} "${on.name}"`
  }

  /** Withdraws the wait if it is still pending: it will never complete, and no longer counts as parked. */
  cancel(): void {
    if (!this._withdraw()) return
    this._queue?.noteWithdrawn()
    this.sim._go!._unpark(this)
  }

  /** @internal Completes the wait with `value` (now, as any event): unlinks it, then succeeds. */
  _wake(value: T): void {
    this.sim._go!._unpark(this)
    this.succeed(value)
  }
}

/** True when the wait's goroutine has ended (killed, or returned without waiting): skip it. */
export function isAbandoned(wait: Parked<any>): boolean {
  const g = wait._g
  return g !== null && (g._flags & STATE) !== PENDING
}

/**
 * @internal The first wait of `queue` whose goroutine is still alive, removed from it; waits of
 * ended goroutines are dropped on the way.
 */
export function shiftLive<W extends Parked<any>>(queue: WaitQueue<W>): W | undefined {
  for (;;) {
    const wait = queue.shift()
    if (wait === undefined || !isAbandoned(wait)) return wait
    wait.sim._go!._unpark(wait)
  }
}

/** The Go runtime of `sim`, made on first use (which installs the deadlock detector). */
export function goRuntime(sim: Simulation): GoRuntime {
  return sim._go ?? (sim._go = new GoRuntime(sim))
}

/**
 * The Go runtime of one simulation (get it with {@link goRuntime}): starts goroutines, numbers
 * them as Go does (main is 1), and detects global deadlocks.
 */
export class GoRuntime {
  /** The first parked wait, or null. */
  private head: Parked<any> | null = null
  private nextId = 1
  private readonly ids = new Map<Process<any>, number>()
  private mainEnded = false

  constructor(
    /** The simulation it runs in. */
    readonly sim: Simulation,
  ) {
    sim._idle = () => this.detectDeadlock()
  }

  /** Starts a goroutine (`go f()`): a process with the next goroutine number. */
  go<T>(generator: ProcessGenerator<T>, name?: string): Process<T> {
    const process = this.sim.spawn(generator, name)
    this.ids.set(process, this.nextId++)
    return process
  }

  /**
   * Starts the program's main goroutine, named "main". When it returns the program is over, as in
   * Go: the run stops (`reason: "stopped"`) and goroutines still parked are leaked, not
   * deadlocked. If it fails, the failure stops the run as any unhandled failure does.
   */
  main<T>(generator: ProcessGenerator<T>): Process<T> {
    const process = this.go(generator, "main")
    process.onProcessed(() => {
      this.mainEnded = true
      this.sim.stop()
    })
    return process
  }

  /** True once the main goroutine (see {@link main}) has returned or failed. */
  get exited(): boolean {
    return this.mainEnded
  }

  /**
   * The goroutine number of `process`: given by {@link go} and {@link main} in the order they were
   * called; a process spawned otherwise gets the next number when first asked.
   */
  goroutineId(process: Process<any>): number {
    let id = this.ids.get(process)
    if (id === undefined) {
      id = this.nextId++
      this.ids.set(process, id)
    }
    return id
  }

  /** @internal Records that `wait` parked its goroutine. */
  _park(wait: Parked<any>): void {
    const head = this.head
    wait._next = head
    if (head !== null) head._prev = wait
    this.head = wait
    wait._linked = true
  }

  /** @internal Records that `wait` no longer parks its goroutine (completed or withdrawn). */
  _unpark(wait: Parked<any>): void {
    if (!wait._linked) return
    const prev = wait._prev
    const next = wait._next
    if (prev !== null) prev._next = next
    else this.head = next
    if (next !== null) next._prev = prev
    wait._prev = null
    wait._next = null
    wait._linked = false
  }

  /**
   * The goroutines parked now, by goroutine number: one entry per live process (its current wait
   * when it has several), each with Go's wait reason.
   */
  parked(): ParkedGoroutine[] {
    const byProcess = new Map<Process<any>, Parked<any>>()
    for (let wait = this.head; wait !== null; wait = wait._next) {
      const g = wait._g
      if (g === null || !g.isAlive) continue
      if (!byProcess.has(g) || g.target === wait) byProcess.set(g, wait)
    }
    const out: ParkedGoroutine[] = []
    for (const [g, wait] of byProcess) {
      out.push({ id: this.goroutineId(g), name: g.name, reason: wait._reason, waitsOn: wait._describe() })
    }
    return out.sort((a, b) => a.id - b.id)
  }

  /** Throws {@link GoDeadlock} if a live goroutine is parked (called when no event is left). */
  private detectDeadlock(): void {
    if (this.mainEnded) return
    const parked = this.parked()
    if (parked.length > 0) throw new GoDeadlock(this.sim.now, parked)
  }
}
