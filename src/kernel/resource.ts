/**
 * Resources: a limited number of identical slots that processes request, hold and release.
 *
 * Think of a petrol station with `capacity` pumps: a car requests a pump, waits in line if all are
 * taken, fills up, and releases the pump to the next car. Three variants:
 *
 * - {@link Resource}: waiting requests are served first come, first served.
 * - {@link PriorityResource}: the waiting request with the smallest `priority` number goes first;
 *   equal priorities are served in request order.
 * - {@link PreemptiveResource}: as `PriorityResource`, and a request may evict the user with the
 *   worst `(priority, request time)` if its own priority is strictly better; the evicted process
 *   is interrupted with a {@link Preempted} cause.
 *
 * Invariants (asserted in tests): never more than `capacity` users; within a priority, grants
 * happen in request order.
 *
 * Usage: `const req = pump.request(); yield* req; ...; pump.release(req)`. Releasing a request that
 * is still waiting withdraws it, so `try { yield* req; ... } finally { pump.release(req) }` is
 * always safe, including when the process is interrupted while it waits.
 *
 * Difference from SimPy, on purpose: a release grants the next request at once (the grant is an
 * event scheduled now), instead of through an intermediate release event. Grants happen at the same
 * simulated time and in the same order; only the number of kernel steps differs.
 */
import * as constants from "./constants.ts"
import { Event } from "./event.ts"
import { EventQueue } from "./event-queue.ts"
import type { Process } from "./process.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

const { FAILED, PENDING, RELEASED, STATE, TRIGGERED, WITHDRAWN } = constants // local copies: see constants.ts

/** Options of a {@link Resource}. */
export interface ResourceOptions {
  /** Number of slots, an integer >= 1. Default 1. */
  readonly capacity?: number
  /** Name used in error messages and traces. Default "resource". */
  readonly name?: string
}

/** Options of a request to a {@link PriorityResource} or {@link PreemptiveResource}. */
export interface RequestOptions {
  /** Smaller numbers are served first. Default 0. */
  readonly priority?: number
  /** For a preemptive resource: whether this request may evict a worse user. Default true. */
  readonly preempt?: boolean
}

/** A request for one slot; succeeds when the slot is granted. */
export class Request extends Event<void> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "Request"
  }

  // Fields are declared and assigned in the constructor (no per-object initialiser call).
  /** Simulated time of the grant, or NaN while waiting. */
  declare usageSince: number
  /** The resource asked. */
  declare readonly resource: Resource
  /** The process that made the request (`sim.activeProcess` at the time), if any. */
  declare readonly process: Process<any> | null
  /** Priority; smaller is served first. */
  declare readonly priority: number
  /** @internal Request order, for ties. */
  declare readonly order: number

  constructor(sim: Simulation, resource: Resource, process: Process<any> | null, priority: number, order: number) {
    super(sim)
    this.usageSince = NaN
    this.resource = resource
    this.process = process
    this.priority = priority
    this.order = order
  }

  /** True while the slot is held. */
  get granted(): boolean {
    return (this._flags & STATE) !== PENDING && (this._flags & (FAILED | RELEASED)) === 0
  }

  /** Withdraws the request if it waits, or releases the slot if it was granted. */
  cancel(): void {
    this.resource.release(this)
  }
}

/** The cause of the interrupt a preempted user receives. */
export class Preempted {
  constructor(
    /** The process whose request evicted this user. */
    readonly by: Process<any> | null,
    /** When the evicted user got the slot. */
    readonly usageSince: number,
    /** The resource. */
    readonly resource: Resource,
  ) {}

  toString(): string {
    return `preempted from ${this.resource.name} by ${this.by?.name ?? "a request"}`
  }
}

/**
 * How many released requests `Resource.users` may hold beyond the live ones before it is
 * compacted. Small, so that a busy resource compacts while its code still runs unoptimised (the
 * optimising JIT then knows the path; see COMPACT_FROM in constants.ts).
 */
const COMPACT_SLACK = 32

/** True for a granted request not yet released (a holder). */
function isHeld(request: Request): boolean {
  return (request._flags & RELEASED) === 0
}

/** The error of releasing a request at the wrong resource (built out of the hot path). */
function foreignRequest(owner: Resource, asked: Resource): Error {
  return new Error(`that request belongs to ${owner.name}, not ${asked.name}`)
}

/** A resource with `capacity` slots served first come, first served. */
export class Resource {
  // `declare`d so the field starts as a number, not undefined (see Simulation.now).
  /** Number of slots. */
  declare readonly capacity: number
  /** Name for messages. */
  readonly name: string
  /**
   * @internal The granted requests in grant order, released ones included until the next
   * compaction (see {@link grant}): a release only flags its request, so it neither scans nor
   * shifts this list.
   */
  protected users: Request[] = []
  /** @internal Slots in use: granted requests not yet released. */
  protected inUse = 0
  private readonly waiting = new WaitQueue<Request>()
  /** @internal */
  protected requestCount = 0
  /** @internal Requests waiting (withdrawn ones excluded), kept here for every variant. */
  protected waitingTotal = 0

  constructor(
    /** The simulation the resource lives in. */
    readonly sim: Simulation,
    options: ResourceOptions = {},
  ) {
    const capacity = options.capacity ?? 1
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`)
    }
    this.capacity = capacity
    this.name = options.name ?? "resource"
    this.users = [] // a second write, on purpose: see YOUNG_EVERY in constants.ts
  }

  /** Slots in use. */
  get count(): number {
    return this.inUse
  }

  /** Requests waiting for a slot. */
  get queueLength(): number {
    return this.waitingTotal
  }

  /** The granted requests, in grant order (a copy). */
  get holders(): Request[] {
    return this.users.filter(isHeld)
  }

  /** Asks for a slot. `yield*` the request to wait for the grant. */
  request(options?: RequestOptions): Request {
    const sim = this.sim
    const request = new Request(sim, this, sim.activeProcess, options === undefined ? 0 : (options.priority ?? 0), this.requestCount++)
    if (this.inUse < this.capacity && this.waitingTotal === 0) this.grant(request)
    else {
      this.waitingTotal++
      this.enqueue(request)
    }
    return request
  }

  /**
   * Gives the slot back (or withdraws the request if it is still waiting) and grants waiting
   * requests. Releasing twice is a no-op.
   */
  release(request: Request): void {
    if (request.resource !== this || (request._flags & (RELEASED | WITHDRAWN)) !== 0 || (request._flags & STATE) === PENDING) {
      this.releaseOther(request)
      return
    }
    request._flags |= RELEASED // it stays in `users` until the next compaction
    this.inUse--
    if (this.waitingTotal > 0) this.grantWaiting()
  }

  /**
   * The rare cases of {@link release}, kept out of it so that it stays small enough for the JIT to
   * inline: a foreign request, a second release, or the withdrawal of a request still waiting.
   */
  private releaseOther(request: Request): void {
    if (request.resource !== this) throw foreignRequest(request.resource, this)
    if ((request._flags & (RELEASED | WITHDRAWN)) !== 0) return
    request._flags |= WITHDRAWN // still waiting: withdrawn from the line
    this.waitingTotal--
    this.withdraw(request)
  }

  /** @internal */
  protected grant(request: Request): void {
    const sim = this.sim
    this.inUse++
    const users = this.users
    users.push(request)
    // Released requests are dropped once they are as many as the live ones plus 32 (amortised
    // O(1) per grant), into a fresh array: a young array takes new requests without a write
    // barrier (see YOUNG_EVERY in constants.ts).
    if (users.length >= 2 * this.inUse + COMPACT_SLACK) this.compactUsers()
    request.usageSince = sim.now
    // request.succeed(undefined), inline: the request is pending (a grant happens once).
    request._flags |= TRIGGERED // from PENDING
    sim._scheduleNow(request)
  }

  /**
   * Drops the released requests from `users`, into a fresh array (see {@link grant}). A plain loop
   * rather than `users.filter(isHeld)` as in {@link holders}: a one-line method is always inlined
   * into `grant`, and V8 then inlines the filter builtin too, which made `grant`'s optimised
   * compile twice as long (measured: mm1 0.8% slower).
   */
  private compactUsers(): void {
    const users = this.users
    const held: Request[] = []
    for (let i = 0; i < users.length; i++) if (isHeld(users[i]!)) held.push(users[i]!)
    this.users = held
  }

  /** @internal Grants waiting requests while slots are free. */
  protected grantWaiting(): void {
    while (this.inUse < this.capacity && this.waitingTotal > 0) {
      const next = this.dequeue()
      if (next === undefined) return
      this.waitingTotal--
      this.grant(next)
    }
  }

  /** @internal */
  protected enqueue(request: Request): void {
    this.waiting.push(request)
  }

  /** @internal */
  protected dequeue(): Request | undefined {
    return this.waiting.shift()
  }

  /** @internal */
  protected withdraw(_request: Request): void {
    this.waiting.noteWithdrawn()
  }
}

/** A resource whose waiting requests are served by priority (smaller first), then request order. */
export class PriorityResource extends Resource {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "PriorityResource"
  }

  private readonly queue = new EventQueue<Request>()

  protected override enqueue(request: Request): void {
    this.queue.push(request.priority, request.order, request)
  }

  protected override dequeue(): Request | undefined {
    for (;;) {
      const next = this.queue.pop()
      if (next === undefined) return undefined
      if ((next._flags & WITHDRAWN) !== 0) continue
      return next
    }
  }

  protected override withdraw(_request: Request): void {
    // Left in the heap and skipped when it reaches the top (see dequeue).
  }

  /** The waiting requests in service order (a copy). */
  get waitingRequests(): Request[] {
    const out: Request[] = []
    for (;;) {
      const next = this.queue.pop()
      if (next === undefined) break
      if ((next._flags & WITHDRAWN) === 0) out.push(next)
    }
    for (const request of out) this.queue.push(request.priority, request.order, request)
    return out
  }

  override request(options?: RequestOptions): Request {
    const priority = options?.priority ?? 0
    if (!Number.isFinite(priority)) throw new RangeError(`priority must be a finite number, got ${priority}`)
    return super.request(options)
  }
}

/**
 * A priority resource where a request can evict a user. The victim is the user with the largest
 * `(priority, request time, request order)`; it is evicted only if the new request's priority is
 * strictly smaller. The victim's process is interrupted with a {@link Preempted} cause and its
 * slot goes to the new request (SimPy's PreemptiveResource).
 */
export class PreemptiveResource extends PriorityResource {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "PreemptiveResource"
  }

  override request(options?: RequestOptions): Request {
    const priority = options?.priority ?? 0
    const preempt = options?.preempt ?? true
    if (preempt && this.inUse >= this.capacity) {
      let victim: Request | undefined
      for (const user of this.users) {
        if (!isHeld(user)) continue // released, not yet dropped from `users`
        if (
          victim === undefined ||
          user.priority > victim.priority ||
          (user.priority === victim.priority && user.order > victim.order)
        ) {
          victim = user
        }
      }
      if (victim !== undefined && victim.priority > priority) {
        victim._flags |= RELEASED // dropped from `users` at the next compaction
        this.inUse--
        const process = victim.process
        if (process !== null && process.isAlive) {
          process.interrupt(new Preempted(this.sim.activeProcess, victim.usageSince, this))
        }
      }
    }
    const request = super.request(options)
    this.grantWaiting() // an eviction freed a slot: it goes to the best waiting request
    return request
  }
}
