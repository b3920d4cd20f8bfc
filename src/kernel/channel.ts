/**
 * Go channels on the kernel, with Go's semantics (the runtime's chan.go and select.go):
 *
 * - **Unbuffered** (capacity 0): a send completes only together with a receive. **Buffered**: a
 *   send completes at once while the buffer has room. Waiting senders and receivers each form a
 *   FIFO line.
 * - A send to a channel with a waiting receiver hands the value **directly** to the first receiver
 *   and continues; a receive from a channel with a waiting sender takes the sender's value directly
 *   (unbuffered) or takes the head of the buffer and moves the first sender's value into the
 *   buffer (buffered, full), waking that sender. Either way the hand-off costs one kernel event:
 *   the parked side's wake-up; the side that finds a partner never blocks.
 * - `close`: waiting receivers get the zero value with `ok = false`; waiting senders panic; later
 *   receives drain the buffer, then get the zero value with `ok = false`. Sending on or closing a
 *   closed channel panics (`send on closed channel`, `close of closed channel`), as does closing
 *   a nil channel (`close of nil channel`). Panics are thrown at the call (see {@link GoPanic}).
 * - A **nil** channel ({@link Channel.nil}) blocks every send and receive forever; in a `select`
 *   its cases are never ready (a `null` case channel is the same).
 * - {@link select}: when several cases are ready, one is picked uniformly from the named random
 *   stream (default "go/select"), or, under the exhaustive explorer's chooser, by the chooser, so
 *   every choice is explored; with none ready, the default case if there is one, else the
 *   goroutine parks on every case until the first completes.
 *
 * Operations take effect when they are called, like a store's put and get: `yield*` the event
 * they return at once. A parked operation can be withdrawn with `cancel()` (what `withDeadline`
 * does when its deadline wins); an operation of a goroutine that ended (killed) is skipped.
 */
import * as constants from "./constants.ts"
import { Event } from "./event.ts"
import { GoPanic, type GoObject, type GoRuntime, goRuntime, Parked, shiftLive, type WaitReason } from "./go-runtime.ts"
import type { ProcessGenerator } from "./process.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

const { PENDING, PROCESSED, STATE } = constants // local copies: see constants.ts

/** What `receiveOk` gives: Go's `v, ok := <-ch`. */
export interface Received<T> {
  /** The value received, or the channel's zero value when `ok` is false. */
  readonly value: T
  /** False when the channel was closed and drained. */
  readonly ok: boolean
}

/** Options of a {@link Channel}. */
export interface ChannelOptions<T> {
  /** Buffer size, an integer >= 0. Default 0 (unbuffered). */
  readonly capacity?: number
  /** Name used in deadlock reports. Default "chan". */
  readonly name?: string
  /** The zero value receivers get from a closed channel. Default undefined (required when T excludes it). */
  readonly zero?: T
}

/** The constructor's options argument: `zero` is required unless `undefined` is a T. */
export type ChannelArgs<T> = undefined extends T
  ? [options?: ChannelOptions<T>]
  : [options: ChannelOptions<T> & { readonly zero: T }]

/**
 * @internal A parked channel operation (Go's sudog): a send with its value, or a receive, of a
 * goroutine or of one case of a select.
 */
export class ChanOp<T> extends Parked<any> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "ChanOp"
  }

  /** @internal A send's value. */
  declare _elem: T | undefined
  /** @internal A receive that succeeds with `{ value, ok }` rather than the value. */
  declare _withOk: boolean
  /** @internal The select this is a case of, or null. */
  declare _select: SelectOp | null
  /** @internal The case's index in its select. */
  declare _case: number

  constructor(
    sim: Simulation,
    reason: WaitReason,
    chan: Channel<T>,
    queue: WaitQueue<ChanOp<T>>,
    elem: T | undefined,
    withOk: boolean,
  ) {
    super(sim, reason, chan, queue as WaitQueue<Parked<any>>)
    this._elem = elem
    this._withOk = withOk
    this._select = null
    this._case = -1
  }
}

/** A Go channel of `T` values: see the module comment for the exact semantics. */
export class Channel<T> implements GoObject {
  /** Buffer size (0: unbuffered). */
  declare readonly capacity: number
  /** Name for deadlock reports. */
  readonly name: string
  /** @internal */
  readonly kind = "channel"
  /** The zero value a receive from a closed, drained channel gets. */
  readonly zero: T
  /** True for the nil channel, on which every operation blocks forever. */
  readonly isNil: boolean
  /** @internal */
  readonly _rt: GoRuntime
  /** @internal Parked receivers and senders (Go's recvq and sendq). */
  readonly _recvq = new WaitQueue<ChanOp<T>>()
  readonly _sendq = new WaitQueue<ChanOp<T>>()
  /** The buffer, a ring of `capacity` slots. */
  private readonly buf: (T | undefined)[]
  private recvx = 0
  private count = 0
  private closedFlag = false
  /** A processed event: what a send that completes at once returns. */
  private readonly sent: Event<void>

  constructor(
    /** The simulation the channel lives in. */
    readonly sim: Simulation,
    ...args: ChannelArgs<T>
  ) {
    const options = (args[0] ?? {}) as ChannelOptions<T> & { readonly nil?: boolean }
    const capacity = options.capacity ?? 0
    if (!(Number.isInteger(capacity) && capacity >= 0))
      throw new RangeError(`channel capacity must be an integer >= 0, got ${capacity}`)
    this.capacity = capacity
    this.name = options.name ?? "chan"
    this.zero = options.zero as T
    this.isNil = options.nil === true
    this._rt = goRuntime(sim)
    this.buf = new Array<T | undefined>(capacity)
    this.sent = processedEvent(sim, undefined)
  }

  /** A nil channel of `T`: sends and receives block forever; closing it panics. */
  static nil<T>(sim: Simulation, name = "nil"): Channel<T> {
    return new Channel<T | undefined>(sim, { name, nil: true } as ChannelOptions<T>) as Channel<T>
  }

  /** Number of values in the buffer (Go's `len(ch)`). */
  get length(): number {
    return this.count
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.closedFlag
  }

  /** Receivers parked on the channel. */
  get waitingReceivers(): number {
    return this._recvq.length
  }

  /** Senders parked on the channel. */
  get waitingSenders(): number {
    return this._sendq.length
  }

  /**
   * Sends `value` (Go's `ch <- value`): the event succeeds when a receiver took it or it is in
   * the buffer. Panics (throws {@link GoPanic}) on a closed channel; the parked send fails with
   * that panic if the channel is closed while it waits.
   */
  send(value: T): Event<void> {
    if (this.isNil) return this.parkForever("chan send (nil chan)")
    if (this.closedFlag) throw new GoPanic("send on closed channel")
    const receiver = shiftLive(this._recvq)
    if (receiver !== undefined) {
      complete(receiver, value, true)
      return this.sent
    }
    if (this.count < this.capacity) {
      this.bufferPut(value)
      return this.sent
    }
    const op = new ChanOp<T>(this.sim, "chan send", this, this._sendq, value, false)
    this._sendq.push(op)
    this._rt._park(op)
    return op
  }

  /** Receives a value (Go's `<-ch`): the zero value once the channel is closed and drained. */
  receive(): Event<T> {
    return this.receiveAny(false)
  }

  /** Receives with Go's `ok` flag (`v, ok := <-ch`): `ok` is false once closed and drained. */
  receiveOk(): Event<Received<T>> {
    return this.receiveAny(true)
  }

  private receiveAny(withOk: boolean): Event<any> {
    if (this.isNil) return this.parkForever("chan receive (nil chan)")
    if (this.closedFlag && this.count === 0) return processedEvent(this.sim, result(this.zero, false, withOk))
    if (this._readyToReceive()) return processedEvent(this.sim, result(this._takeReady(), true, withOk))
    const op = new ChanOp<T>(this.sim, "chan receive", this, this._recvq, undefined, withOk)
    this._recvq.push(op)
    this._rt._park(op)
    return op
  }

  /**
   * Closes the channel (Go's `close(ch)`): parked receivers get the zero value with `ok = false`,
   * then parked senders panic. Panics if the channel is nil or already closed.
   */
  close(): void {
    if (this.isNil) throw new GoPanic("close of nil channel")
    if (this.closedFlag) throw new GoPanic("close of closed channel")
    this.closedFlag = true
    for (let r = shiftLive(this._recvq); r !== undefined; r = shiftLive(this._recvq)) complete(r, this.zero, false)
    for (let s = shiftLive(this._sendq); s !== undefined; s = shiftLive(this._sendq)) panicSender(s)
  }

  /**
   * Go's `for v := range ch`: receives until the channel is closed and drained, calling `body`
   * with each value; `body` may be a generator function (it is run with `yield*`). Returning
   * `false` from `body` stops the loop (Go's `break`).
   */
  *range(body: (value: T) => ProcessGenerator<unknown> | unknown): ProcessGenerator<void> {
    for (;;) {
      const { value, ok } = yield* this.receiveOk()
      if (!ok) return
      let out = body(value)
      if (isGenerator(out)) out = yield* out
      if (out === false) return
    }
  }

  /** @internal True if a receive would complete now with a value (a parked sender or a buffered value). */
  _readyToReceive(): boolean {
    return this.count > 0 || peekLive(this._sendq) !== undefined
  }

  /** @internal True if a send would complete now (a parked receiver or buffer room). */
  _readyToSend(): boolean {
    return this.count < this.capacity || peekLive(this._recvq) !== undefined
  }

  /**
   * @internal Takes the value a receive gets now (call only when {@link _readyToReceive}): from the
   * first parked sender (unbuffered), or the head of the buffer, moving the first parked sender's
   * value in behind (Go's recv).
   */
  _takeReady(): T {
    const sender = shiftLive(this._sendq)
    if (sender === undefined) return this.bufferTake()
    let value: T
    if (this.capacity === 0) value = sender._elem as T
    else {
      value = this.bufferTake()
      this.bufferPut(sender._elem as T)
    }
    complete(sender, undefined, true)
    return value
  }

  /** @internal Puts a value a send makes now (call only when {@link _readyToSend}). */
  _putReady(value: T): void {
    const receiver = shiftLive(this._recvq)
    if (receiver !== undefined) complete(receiver, value, true)
    else this.bufferPut(value)
  }

  private bufferPut(value: T): void {
    let at = this.recvx + this.count
    if (at >= this.capacity) at -= this.capacity
    this.buf[at] = value
    this.count++
  }

  private bufferTake(): T {
    const at = this.recvx
    const value = this.buf[at] as T
    this.buf[at] = undefined
    this.recvx = at + 1 === this.capacity ? 0 : at + 1
    this.count--
    return value
  }

  private parkForever(reason: WaitReason): Event<any> {
    const op = new Parked<never>(this.sim, reason, this, null)
    this._rt._park(op)
    return op
  }
}

/** The first parked operation of `queue` whose goroutine is alive (dropping ended ones), left in place. */
function peekLive<T>(queue: WaitQueue<ChanOp<T>>): ChanOp<T> | undefined {
  for (;;) {
    const op = queue.peek()
    if (op === undefined) return undefined
    const g = op._g
    if (g === null || (g._flags & STATE) === PENDING) return op
    shiftLive(queue) // drops it (and any ended ones behind it) before the live one
  }
}

/** A processed event with `value`: what an operation that completes at once returns. */
function processedEvent<V>(sim: Simulation, value: V): Event<V> {
  const event = new Event<V>(sim)
  event._flags = PROCESSED
  event._value = value
  return event
}

function result<T>(value: T, ok: boolean, withOk: boolean): T | Received<T> {
  return withOk ? { value, ok } : value
}

/** Completes a parked operation taken off its line: a received `value` (or a send that was taken). */
function complete<T>(op: ChanOp<T>, value: T | undefined, ok: boolean): void {
  const select = op._select
  if (select !== null) select._complete(op, value, ok)
  else op._wake(op._reason === "chan send" ? undefined : result(value, ok, op._withOk))
}

/** A parked sender on a channel being closed: it panics. */
function panicSender<T>(op: ChanOp<T>): void {
  const select = op._select
  if (select !== null) select._panic(op)
  else {
    op.sim._go!._unpark(op)
    op.fail(new GoPanic("send on closed channel"))
  }
}

function isGenerator(value: unknown): value is ProcessGenerator<unknown> {
  return typeof value === "object" && value !== null && typeof (value as Generator).next === "function"
}

/** One case of a {@link select}: a receive from or a send to a channel (null: a nil channel). */
export type SelectCase =
  | { readonly kind: "receive"; readonly chan: Channel<any> | null }
  | { readonly kind: "send"; readonly chan: Channel<any> | null; readonly value: unknown }

/** A receive case of a {@link select}. */
export function recvCase<T>(chan: Channel<T> | null): SelectCase {
  return { kind: "receive", chan }
}

/** A send case of a {@link select}. */
export function sendCase<T>(chan: Channel<T> | null, value: T): SelectCase {
  return { kind: "send", chan, value }
}

/** What a {@link select} chose. */
export interface Selected {
  /** The index of the case that ran, or -1 for the default case. */
  readonly index: number
  /** A receive case's value (the zero value when `ok` is false); undefined for a send or default. */
  readonly value: unknown
  /** A receive case's `ok`; true for a send; false for the default case. */
  readonly ok: boolean
}

/** Options of {@link select}. */
export interface SelectOptions {
  /** True if the select has a default case (taken when no case is ready). Default false. */
  readonly default?: boolean
  /** The random stream that picks among ready cases. Default "go/select". */
  readonly stream?: string
}

/**
 * Go's `select`: runs one ready case, picked uniformly at random when several are ready (or by the
 * explorer's chooser, label "select"); with none ready, the default case if `options.default`,
 * else parks on every case and runs the first that becomes ready. A send case chosen on a closed
 * channel panics. No cases and no default: parks forever (`select {}`).
 */
export function select(sim: Simulation, cases: readonly SelectCase[], options: SelectOptions = {}): Event<Selected> {
  const ready: number[] = []
  for (let i = 0; i < cases.length; i++) if (isReady(cases[i]!)) ready.push(i)
  if (ready.length > 0) {
    const index = ready.length === 1 ? ready[0]! : ready[pickOne(sim, ready.length, options.stream)]!
    return processedEvent(sim, runReady(cases[index]!, index))
  }
  if (options.default === true) return processedEvent(sim, { index: -1, value: undefined, ok: false })
  const op = new SelectOp(sim, cases)
  goRuntime(sim)._park(op)
  return op
}

function isReady(c: SelectCase): boolean {
  const chan = c.chan
  if (chan === null || chan.isNil) return false
  if (c.kind === "send") return chan.isClosed || chan._readyToSend()
  return chan.isClosed || chan._readyToReceive()
}

function pickOne(sim: Simulation, count: number, stream = "go/select"): number {
  return sim.hasChooser ? sim.choose(count, "select") : sim.random(stream).integer(0, count - 1)
}

/** Runs a ready case now (see {@link isReady}). */
function runReady(c: SelectCase, index: number): Selected {
  const chan = c.chan!
  if (c.kind === "send") {
    if (chan.isClosed) throw new GoPanic("send on closed channel")
    chan._putReady(c.value)
    return { index, value: undefined, ok: true }
  }
  if (chan._readyToReceive()) return { index, value: chan._takeReady(), ok: true }
  return { index, value: chan.zero, ok: false } // closed and drained
}

/** @internal A parked select: one parked operation per case with a non-nil channel. */
export class SelectOp extends Parked<Selected> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "SelectOp"
  }

  declare private readonly ops: ChanOp<any>[]
  declare private readonly channels: Channel<any>[]

  constructor(sim: Simulation, cases: readonly SelectCase[]) {
    super(sim, cases.length === 0 ? "select (no cases)" : "select", null, null)
    this.ops = []
    this.channels = []
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!
      const chan = c.chan
      if (chan === null || chan.isNil) continue
      const send = c.kind === "send"
      const queue = send ? chan._sendq : chan._recvq
      const op = new ChanOp<any>(
        sim,
        send ? "chan send" : "chan receive",
        chan,
        queue,
        send ? c.value : undefined,
        false,
      )
      op._select = this
      op._case = i
      queue.push(op)
      this.ops.push(op)
      this.channels.push(chan)
    }
  }

  override _describe(): string {
    if (this.channels.length === 0) return "nothing (it can never be woken)"
    return this.channels.map((chan) => `channel "${chan.name}"`).join(", ")
  }

  /** Withdraws the select if it still waits: every case leaves its channel's line. */
  override cancel(): void {
    if ((this._flags & STATE) !== PENDING) return
    this.withdrawCases(null)
    super.cancel()
  }

  /** @internal Case `chosen` (taken off its line) completed: a value received, or a send taken. */
  _complete(chosen: ChanOp<any>, value: unknown, ok: boolean): void {
    this.withdrawCases(chosen)
    const sent = chosen._reason === "chan send"
    this._wake({ index: chosen._case, value: sent ? undefined : value, ok: sent ? true : ok })
  }

  /** @internal Send case `chosen` (taken off its line): its channel was closed while the select waited. */
  _panic(chosen: ChanOp<any>): void {
    this.withdrawCases(chosen)
    this.sim._go!._unpark(this)
    this.fail(new GoPanic("send on closed channel"))
  }

  /** Takes every case but `chosen` (already off its line) out of its channel's line. */
  private withdrawCases(chosen: ChanOp<any> | null): void {
    for (const op of this.ops) if (op !== chosen && op._withdraw()) op._queue!.noteWithdrawn()
  }
}
