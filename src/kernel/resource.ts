/**
 * Resources: a limited number of identical slots that processes request, hold and release.
 *
 * Think of a petrol station with `capacity` pumps: a car requests a pump, waits in line if all are
 * taken, fills up, and releases the pump to the next car. Three variants:
 *
 * - {@link Resource}: waiting requests are served first come, first served.
 * - {@link PriorityResource}: waiting requests are served by SimPy's key `(priority, request
 *   time, not preempt)`, smaller first; equal keys in request order.
 * - {@link PreemptiveResource}: as `PriorityResource`, and the head of the line may evict the user
 *   with the largest key if that key is strictly larger than its own; the evicted process is
 *   interrupted with a {@link Preempted} cause.
 *
 * Invariants (asserted in tests): never more than `capacity` users; within a priority, grants
 * happen in request order.
 *
 * Usage: `using req = pump.request(); yield* req; ...` releases the slot when the scope ends (as
 * SimPy's `with`), or by hand: `const req = pump.request(); yield* req; ...; pump.release(req)`.
 * Releasing a request that is still waiting withdraws it, so `try { yield* req; ... } finally {
 * pump.release(req) }` is always safe, including when the process is interrupted while it waits.
 *
 * Same-instant order, as SimPy's: a request is granted inside `request()` only if it is at the
 * head of the line and a slot is free. `release()` frees the slot at once (`count` drops) and
 * returns a {@link Release} event scheduled now; the next waiting request is granted only when
 * that event is processed, after the events already queued for this instant. Each grant attempt
 * looks at the head of the line only, so one release (or one new request) grants at most one.
 *
 * Difference from SimPy, on purpose: `release` of a request still waiting withdraws it (SimPy's
 * leaves it in the line; its `with` block cancels the request before releasing it, as `using`
 * does here).
 */
import * as constants from "./constants.ts"
import { Event, type Waiter } from "./event.ts"
import type { Process } from "./process.ts"
import type { Simulation } from "./simulation.ts"
import { WaitQueue } from "./wait-queue.ts"

const { FAILED, PENDING, RELEASED, STATE, TRIGGERED, WITHDRAWN } = constants // local copies: see constants.ts
const DISPOSE: typeof Symbol.dispose = constants.DISPOSE // typed: destructuring loses its `unique symbol` type

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
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
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

  /**
   * Withdraws the request if it waits (SimPy's `cancel`, no release event), or releases the slot
   * if it was granted (as {@link Resource.release}).
   */
  cancel(): void {
    if ((this._flags & STATE) === PENDING) this.resource._withdraw(this)
    else this.resource.release(this)
  }

  /**
   * Ends a `using` scope, as SimPy's `with` block: releases the slot, or withdraws the request if
   * it was never granted; either way a {@link Release} event is scheduled, as SimPy's `__exit__`
   * calls `cancel()` then `release()`.
   */
  [DISPOSE](): void {
    this.resource.release(this)
  }
}

/**
 * A request to a {@link PriorityResource} or {@link PreemptiveResource}. Waiting requests are
 * served by {@link key}: priority, then request time, then preempting requests first; requests
 * with equal keys in request order (SimPy's `PriorityRequest.key` and `SortedQueue`).
 */
export class PriorityRequest extends Request {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "PriorityRequest"
  }

  /** Simulated time of the request. */
  declare readonly time: number
  /** Whether the request may evict a user of a {@link PreemptiveResource}. */
  declare readonly preempt: boolean

  constructor(
    sim: Simulation,
    resource: Resource,
    process: Process<any> | null,
    priority: number,
    order: number,
    preempt: boolean,
  ) {
    super(sim, resource, process, priority, order)
    this.time = sim.now
    this.preempt = preempt
  }

  /** SimPy's sort key `(priority, time, not preempt)`: smaller is served first. */
  get key(): readonly [number, number, boolean] {
    return [this.priority, this.time, !this.preempt]
  }
}

/** Compares two priority requests by their {@link PriorityRequest.key} (negative: `a` first). */
function compareKeys(a: PriorityRequest, b: PriorityRequest): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1
  if (a.time !== b.time) return a.time < b.time ? -1 : 1
  return (a.preempt ? 0 : 1) - (b.preempt ? 0 : 1)
}

/**
 * The event of a release: scheduled now by {@link Resource.release}; when it is processed, the
 * resource first tries to grant the head of its line, then resumes the processes waiting for it
 * (SimPy's `Release`). `yield* pump.release(req)` is allowed and needed by nobody.
 */
export class Release extends Event<void> {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "Release"
  }

  /** The request released. */
  declare readonly request: Request

  constructor(sim: Simulation, resource: Resource, request: Request) {
    super(sim)
    this.request = request
    this._w0 = resource // first waiter: the resource's grant attempt, before any process
    this._flags = TRIGGERED // from PENDING, no flag
    sim._scheduleNow(this)
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
export class Resource implements Waiter {
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
  protected _users: Request[] = []
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
    this._users = [] // a second write, on purpose: see YOUNG_EVERY in constants.ts
  }

  /** Slots in use (SimPy's `count`): it drops as soon as `release` is called. */
  get count(): number {
    return this.inUse
  }

  /** Requests waiting for a slot. */
  get queueLength(): number {
    return this.waitingTotal
  }

  /** The granted requests, in grant order (a copy). */
  get holders(): Request[] {
    return this._users.filter(isHeld)
  }

  /** The requests holding a slot, in grant order (SimPy's `users`; a read-only copy). */
  get users(): readonly Request[] {
    return this._users.filter(isHeld)
  }

  /** The waiting requests, in the order they will be served (SimPy's `queue`; a read-only copy). */
  get queue(): readonly Request[] {
    return this.waiting.toArray()
  }

  /** Asks for a slot. `yield*` the request to wait for the grant; `using` releases it at scope end. */
  request(options?: RequestOptions): Request {
    const sim = this.sim
    const request = new Request(
      sim,
      this,
      sim.activeProcess,
      options === undefined ? 0 : (options.priority ?? 0),
      this.requestCount++,
    )
    // The head of an empty line with a free slot: granted now, as by _trigger_put in SimPy.
    if (this.inUse < this.capacity && this.waitingTotal === 0) this.grant(request)
    else this.wait(request)
    return request
  }

  /**
   * Puts a request in the line, then tries to grant the head (out of line: see
   * docs/kernel-performance.md#small-release-path).
   */
  private wait(request: Request): void {
    this.waitingTotal++
    this.enqueue(request)
    this.triggerPut()
  }

  /**
   * Gives the slot back (or withdraws the request if it is still waiting); `count` drops at once.
   * Returns the release event, scheduled now: when it is processed, the head of the line is
   * granted if a slot is free (SimPy's order). Releasing twice frees nothing more.
   */
  release(request: Request): Release {
    const flags = request._flags
    // The usual case inline, the others out of line (see docs/kernel-performance.md#small-release-path).
    if ((flags & (RELEASED | WITHDRAWN | FAILED)) === 0 && (flags & STATE) !== PENDING && request.resource === this) {
      request._flags = flags | RELEASED // it stays in `_users` until the next compaction
      this.inUse--
    } else this.releaseUnusual(request)
    return new Release(this.sim, this, request)
  }

  /**
   * {@link release} of a request that is not a held request of this resource: throws for another
   * resource's request, withdraws a waiting one, and frees nothing for a released, withdrawn or
   * failed one.
   */
  private releaseUnusual(request: Request): void {
    if (request.resource !== this) throw foreignRequest(request.resource, this)
    const flags = request._flags
    if ((flags & (RELEASED | WITHDRAWN | FAILED)) === 0 && (flags & STATE) === PENDING) this._withdraw(request)
  }

  /** @internal Withdraws a waiting request from the line (no release event). */
  _withdraw(request: Request): void {
    if (!request._withdraw()) return
    this.waitingTotal--
    this.withdraw(request)
  }

  /** @internal A processed {@link Release}: tries to grant the head of the line (SimPy's `_trigger_put`). */
  _resume(_event: Event<any>): void {
    if (this.waitingTotal > 0) this.triggerPut()
  }

  /** @internal Grants the head of the line if a slot is free; looks at the head only, as SimPy. */
  protected triggerPut(): void {
    if (this.inUse < this.capacity) {
      const next = this.dequeue()
      if (next === undefined) return
      this.waitingTotal--
      this.grant(next)
    }
  }

  /** @internal */
  protected grant(request: Request): void {
    const sim = this.sim
    this.inUse++
    const users = this._users
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
   * Drops the released requests from `_users`, into a fresh array (see {@link grant}). A plain
   * loop, not `filter` (see docs/kernel-performance.md#compact-users).
   */
  private compactUsers(): void {
    const users = this._users
    const held: Request[] = []
    for (let i = 0; i < users.length; i++) if (isHeld(users[i]!)) held.push(users[i]!)
    this._users = held
  }

  /** @internal */
  protected enqueue(request: Request): void {
    this.waiting.push(request)
  }

  /** @internal Removes and returns the head of the line. */
  protected dequeue(): Request | undefined {
    return this.waiting.shift()
  }

  /** @internal */
  protected withdraw(_request: Request): void {
    this.waiting.noteWithdrawn()
  }
}

/**
 * A resource whose waiting requests are served by {@link PriorityRequest.key}: smaller priority
 * first, then earlier request time, then preempting requests first; equal keys in request order.
 */
export class PriorityResource extends Resource {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "PriorityResource"
  }

  /** @internal The waiting requests, sorted by key (SimPy's SortedQueue). */
  protected readonly sorted: PriorityRequest[] = []

  /** The waiting requests in service order (a copy). */
  get waitingRequests(): PriorityRequest[] {
    return this.sorted.slice()
  }

  override get queue(): readonly PriorityRequest[] {
    return this.sorted.slice()
  }

  override get users(): readonly PriorityRequest[] {
    return super.users as readonly PriorityRequest[]
  }

  /** Asks for a slot with a priority (smaller first) and, on a preemptive resource, `preempt`. */
  override request(options?: RequestOptions): PriorityRequest {
    const priority = options?.priority ?? 0
    if (!Number.isFinite(priority)) throw new RangeError(`priority must be a finite number, got ${priority}`)
    const sim = this.sim
    const request = new PriorityRequest(
      sim,
      this,
      sim.activeProcess,
      priority,
      this.requestCount++,
      options?.preempt ?? true,
    )
    this.waitingTotal++
    this.enqueue(request)
    this.triggerPut()
    return request
  }

  protected override enqueue(request: Request): void {
    // After every request with a key not greater (a stable insertion, as SimPy's append + sort).
    const sorted = this.sorted
    const item = request as PriorityRequest
    let low = 0
    let high = sorted.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (compareKeys(sorted[middle]!, item) <= 0) low = middle + 1
      else high = middle
    }
    sorted.splice(low, 0, item)
  }

  protected override dequeue(): Request | undefined {
    return this.sorted.shift()
  }

  protected override withdraw(request: Request): void {
    const i = this.sorted.indexOf(request as PriorityRequest)
    if (i >= 0) this.sorted.splice(i, 1)
  }
}

/**
 * A priority resource where the head of the line may evict a user (SimPy's PreemptiveResource).
 * When a slot is sought for the head and all are taken, and the head's `preempt` is true, the
 * victim is the user with the largest {@link PriorityRequest.key} (the first such in grant order);
 * it is evicted only if its key is strictly larger than the head's. The victim's process is
 * interrupted with a {@link Preempted} cause, and the head takes the slot. Only the head may
 * preempt: a request never jumps over a better one already waiting.
 */
export class PreemptiveResource extends PriorityResource {
  /** Keeps tsx from redefining the class's name (see docs/kernel-performance.md#class-name-getter). */
  static override get name(): string {
    return "PreemptiveResource"
  }

  protected override triggerPut(): void {
    const head = this.sorted[0]
    if (head === undefined) return
    if (this.inUse >= this.capacity && head.preempt) this.preemptFor(head)
    super.triggerPut()
  }

  /** Evicts the worst user for `head` if its key is strictly larger (SimPy's `_do_put`). */
  private preemptFor(head: PriorityRequest): void {
    let victim: PriorityRequest | undefined
    for (const user of this._users as PriorityRequest[]) {
      if (!isHeld(user)) continue // released, not yet dropped from `_users`
      if (victim === undefined || compareKeys(user, victim) > 0) victim = user
    }
    if (victim === undefined || compareKeys(victim, head) <= 0) return
    victim._flags |= RELEASED // dropped from `_users` at the next compaction
    this.inUse--
    // As in SimPy, a victim whose process ended without releasing cannot be interrupted: the
    // interrupt throws, out of the request() or release() that caused the preemption.
    victim.process?.interrupt(new Preempted(head.process, victim.usageSince, this))
  }
}
