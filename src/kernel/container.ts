/**
 * A container: a continuous level between 0 and a capacity, like fuel in a tank or tokens in a
 * bucket. `put(amount)` waits until the amount fits; `get(amount)` waits until the level holds it.
 *
 * Waiting puts and gets are each served strictly in order (SimPy's container): a large get at the
 * head of the line blocks smaller gets behind it, so no request starves.
 *
 * Invariant: 0 <= level <= capacity at all times.
 */
import { Event } from "./event.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

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
export class ContainerRequest extends Event<void> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "ContainerRequest"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  declare private readonly onWithdraw: () => void
  /** The amount to put or get. */
  declare readonly amount: number
  constructor(sim: Simulation, onWithdraw: () => void, amount: number) {
    super(sim)
    this.onWithdraw = onWithdraw
    this.amount = amount
  }
  /** Withdraws the request if it is still waiting. */
  cancel(): void {
    if (this._withdraw()) this.onWithdraw()
  }
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

  /** Adds `amount` (> 0, <= capacity); waits while it does not fit. */
  put(amount: number): ContainerRequest {
    return this.enqueue("put", amount, this.putters)
  }

  /** Removes `amount` (> 0, <= capacity); waits while the level is lower. */
  get(amount: number): ContainerRequest {
    return this.enqueue("get", amount, this.getters)
  }

  private enqueue(operation: string, amount: number, line: WaitQueue<ContainerRequest>): ContainerRequest {
    checkAmount(operation, amount, this.capacity)
    const request = new ContainerRequest(this.sim, () => {
      line.noteWithdrawn()
      this.settle() // the requests behind a withdrawn head may fit now
    }, amount)
    line.push(request)
    this.settle()
    return request
  }

  /** Serves the heads of both lines until neither can proceed. */
  private settle(): void {
    for (let progressed = true; progressed; ) {
      progressed = false
      const put = this.putters.peek()
      if (put !== undefined && this.capacity - this.current >= put.amount) {
        this.putters.shift()
        this.current += put.amount
        put.succeed(undefined)
        progressed = true
      }
      const get = this.getters.peek()
      if (get !== undefined && this.current >= get.amount) {
        this.getters.shift()
        this.current -= get.amount
        get.succeed(undefined)
        progressed = true
      }
    }
  }
}

function checkAmount(operation: string, amount: number, capacity: number): void {
  if (!(amount > 0) || amount > capacity) {
    throw new RangeError(`${operation} amount must be > 0 and <= capacity ${capacity}, got ${amount}`)
  }
}
