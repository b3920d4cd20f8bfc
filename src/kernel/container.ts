/**
 * A container: a continuous level between 0 and a capacity, like fuel in a tank or tokens in a
 * bucket. `put(amount)` waits until the amount fits; `get(amount)` waits until the level holds it.
 *
 * Waiting puts and gets are each served strictly in order (SimPy's container): a large get at the
 * head of the line blocks smaller gets behind it, so no request starves.
 *
 * Same-instant order, as SimPy's: a new put (get) is served at once if it is at the head of its
 * line and fits. Waiting gets are served when a put event is processed, waiting puts when a get
 * event is processed (or when a later request of the same kind is made), each time from the head
 * of the line for as long as the head fits. Withdrawing a request serves nobody.
 *
 * Invariant: 0 <= level <= capacity at all times.
 */
import * as constants from "./constants.ts"
import { Event, type Waiter } from "./event.ts"
import type { Simulation } from "./simulation.ts"
import { LineEvent, WaitQueue } from "./wait-queue.ts"

const DISPOSE: typeof Symbol.dispose = constants.DISPOSE // a local copy (see constants.ts), typed: destructuring loses its `unique symbol` type

/** Options of a {@link Container}. */
export interface ContainerOptions {
  /** Maximum level, > 0 (may be Infinity). Default Infinity. */
  readonly capacity?: number
  /** Initial level, between 0 and capacity. Default 0. */
  readonly init?: number
  /** Name used in error messages. Default "container". */
  readonly name?: string
}

/** A pending put or get of an amount. */
export class ContainerRequest extends LineEvent<void> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "ContainerRequest"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly onWithdraw: () => void
  /** The amount to put or get. */
  declare readonly amount: number
  constructor(sim: Simulation, onWithdraw: () => void, amount: number, trigger: Waiter | null = null) {
    super(sim, trigger ?? NO_TRIGGER)
    this.onWithdraw = onWithdraw
    this.amount = amount
  }
  /** Withdraws the request if it is still waiting. */
  cancel(): void {
    if (this._withdraw()) this.onWithdraw()
  }

  /** Ends a `using` scope as SimPy's `with` block: withdraws the request if it still waits. */
  [DISPOSE](): void {
    this.cancel()
  }
}

/**
 * Runs a container's grant attempts when one of its puts or gets is processed (SimPy's
 * `_trigger_get` and `_trigger_put` callbacks); the first waiter of every put and get.
 */
class Trigger implements Waiter {
  constructor(
    private readonly container: Container,
    private readonly gets: boolean,
  ) {}
  _resume(event: Event<any>): void {
    if (this.gets) this.container._triggerGet()
    else this.container._triggerPut()
    ;(event as LineEvent<unknown>)._resumeAfter()
  }
}

/** The trigger of a request built without a container: only resumes its waiters. */
const NO_TRIGGER: Waiter = {
  _resume(event: Event<any>): void {
    ;(event as LineEvent<unknown>)._resumeAfter()
  },
}

/** A continuous level with blocking put and get. */
export class Container {
  // `declare`d so the field starts as a number, not undefined (see Simulation.now).
  /** Maximum level. */
  declare readonly capacity: number
  /** Name for messages. */
  readonly name: string
  declare private current: number
  private readonly putters = new WaitQueue<ContainerRequest>()
  private readonly getters = new WaitQueue<ContainerRequest>()
  private readonly afterPut: Trigger = new Trigger(this, true)
  private readonly afterGet: Trigger = new Trigger(this, false)

  constructor(
    /** The simulation the container lives in. */
    readonly sim: Simulation,
    options: ContainerOptions = {},
  ) {
    const capacity = options.capacity ?? Infinity
    const init = options.init ?? 0
    if (!(capacity > 0)) throw new RangeError(`capacity must be > 0, got ${capacity}`)
    if (!(init >= 0 && init <= capacity)) {
      throw new RangeError(`init must be between 0 and capacity ${capacity}, got ${init}`)
    }
    this.capacity = capacity
    this.current = init
    this.name = options.name ?? "container"
  }

  /** The current level. */
  get level(): number {
    return this.current
  }

  /** Puts waiting for room. */
  get waitingPuts(): number {
    return this.putters.length
  }

  /** Gets waiting for the level to rise. */
  get waitingGets(): number {
    return this.getters.length
  }

  /** The waiting puts, in order (SimPy's `put_queue`; a read-only copy). */
  get putQueue(): readonly ContainerRequest[] {
    return this.putters.toArray()
  }

  /** The waiting gets, in order (SimPy's `get_queue`; a read-only copy). */
  get getQueue(): readonly ContainerRequest[] {
    return this.getters.toArray()
  }

  /** Adds `amount` (> 0, <= capacity); waits while it does not fit. */
  put(amount: number): ContainerRequest {
    const request = this.enqueue("put", amount, this.putters, this.afterPut)
    this._triggerPut()
    return request
  }

  /** Removes `amount` (> 0, <= capacity); waits while the level is lower. */
  get(amount: number): ContainerRequest {
    const request = this.enqueue("get", amount, this.getters, this.afterGet)
    this._triggerGet()
    return request
  }

  private enqueue(
    operation: string,
    amount: number,
    line: WaitQueue<ContainerRequest>,
    trigger: Trigger,
  ): ContainerRequest {
    checkAmount(operation, amount, this.capacity)
    const request = new ContainerRequest(this.sim, () => line.noteWithdrawn(), amount, trigger)
    line.push(request)
    return request
  }

  /** @internal Serves waiting puts from the head while they fit (SimPy's `_trigger_put`). */
  _triggerPut(): void {
    for (;;) {
      const put = this.putters.peek()
      if (put === undefined || this.capacity - this.current < put.amount) return
      this.putters.shift()
      this.current += put.amount
      put.succeed(undefined)
    }
  }

  /** @internal Serves waiting gets from the head while the level holds them (SimPy's `_trigger_get`). */
  _triggerGet(): void {
    for (;;) {
      const get = this.getters.peek()
      if (get === undefined || this.current < get.amount) return
      this.getters.shift()
      this.current -= get.amount
      get.succeed(undefined)
    }
  }
}

function checkAmount(operation: string, amount: number, capacity: number): void {
  if (!(amount > 0) || amount > capacity) {
    throw new RangeError(`${operation} amount must be > 0 and <= capacity ${capacity}, got ${amount}`)
  }
}
