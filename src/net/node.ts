/**
 * A simulated machine: it runs processes, receives messages, reads its own clock, keeps a disk,
 * and suffers faults — crash, restart, disk loss, pause, clock skew and drift.
 *
 * Think of a server in a rack. Its processes are the programs it runs; its mailboxes are socket
 * buffers, one per port; its disk survives a power cut, its memory does not. A crash is the power
 * cut: every process stops mid-instruction (not even `finally` runs), every buffered message is
 * lost, messages sent to it meanwhile vanish. A restart boots it again: the model's restart hooks
 * rebuild volatile state from `disk` and spawn its processes afresh. A pause is a long GC or VM
 * stall: nothing runs, but the world goes on — messages pile up in the buffers and timers expire —
 * and when it resumes every held wake-up is delivered at once, in order. The node cannot tell it
 * was paused except by reading its clock.
 *
 * Clocks. Each node has its own clock: `clock()` reads the simulated time plus a skew (a jump set
 * by {@link Node.skewClock}) and a drift (the clock runs `1 + driftRate` times as fast as real
 * time). Durations — `sleepLocal(ms)` — are measured like a monotonic clock: drift stretches or
 * shrinks them (a drift change while sleeping re-times the rest of the sleep), a skew jump does not.
 * So code comparing clock readings (a lease expiry written as a timestamp) suffers from skew, and
 * code measuring durations suffers from drift — as on real machines. `monotonicClock()` reads a
 * clock that drifts but never jumps, for measuring elapsed time.
 *
 * Invariants: a down node runs no process and holds no message; every process the node spawned
 * is killed at a crash; a paused node's processes run no code until the node resumes; the clock
 * reading is continuous except at a skew.
 *
 * Left out on purpose: CPU speed and scheduling inside a node (use a `Resource` in the model),
 * partial disk corruption (`loseDisk` wipes it all), and a node crashing itself from one of its own
 * processes (schedule the crash from outside instead).
 */
import type { NetEvent } from "./net-events.ts"
import {
  Event,
  FilterStore,
  type Process,
  type ProcessGenerator,
  type Simulation,
  type StoreGet,
  type Timeout,
} from "../kernel/index.ts"
import type { NodeContext } from "./context.ts"
import type { SendOptions } from "./network.ts"

/** The port of ordinary messages (see {@link Node.receive}). */
export const MAIN_PORT = "main"

/** A message as the network delivers it: the payload and where it came from. */
export interface Envelope<M = unknown> {
  /** The network's message id; a duplicate carries the id of its original. */
  readonly id: number
  /** Sending node. */
  readonly from: string
  /** Receiving node. */
  readonly to: string
  /** The receiving port: {@link MAIN_PORT} unless the sender chose another (the RPC helper does). */
  readonly port: string
  /** Simulated time at which it was sent. */
  readonly sentAt: number
  /** The payload. */
  readonly message: M
}

/** Options of a {@link Node}. */
export interface NodeOptions {
  /** Initial clock skew: the clock reads this much ahead (negative: behind), in ms. Default 0. */
  readonly clockSkewMs?: number
  /** Initial drift: the clock runs `1 + driftRate` times real speed; must be > -1. Default 0. */
  readonly driftRate?: number
}

/** Whether a node is running. */
export type NodeStatus = "up" | "down"

/**
 * A timer measured on a node's local clock (see {@link Node.sleepLocal}). It succeeds when the
 * local duration has passed; {@link cancel} withdraws it.
 */
export class LocalTimer extends Event<void> {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it, which makes V8 construct derived classes ~100x slower. */
  static override get name(): string {
    return "LocalTimer"
  }

  /** @internal Local milliseconds still to wait as of `_fromSimMs`. */
  _remainingLocalMs: number
  /** @internal Simulated time from which `_remainingLocalMs` counts. */
  _fromSimMs: number
  /** @internal The kernel timeout that fires it at the current drift. */
  _timeout: Timeout<void> | null = null

  constructor(
    private readonly node: Node,
    durationMs: number,
  ) {
    super(node.sim)
    this._remainingLocalMs = durationMs
    this._fromSimMs = node.sim.now
  }

  /** Withdraws the timer if it has not fired: it never succeeds and its waiters are not resumed. */
  cancel(): void {
    if (this.triggered) return
    this._timeout?.cancel()
    this._timeout = null
    this.node._forgetTimer(this)
  }
}

/** The cause given to processes killed by a crash; joiners receive it inside a `Killed` error. */
export class NodeCrashed extends Error {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it (see `Timeout` in src/kernel/event.ts). */
  static override get name(): string {
    return "NodeCrashed"
  }

  constructor(readonly node: string) {
    super(`node ${node} crashed`)
    this.name = "NodeCrashed"
  }
}

/**
 * A simulated node. Create it with `network.addNode(name)` so that messages can reach it.
 *
 * The whole class is the fault injector's and the observer's view; a model's actors take it as a
 * {@link NodeContext} (`context.ts`), which leaves out the faults and what only an observer knows.
 */
export class Node implements NodeContext {
  /** Durable state: what survives a crash. The model decides what to keep here; `loseDisk` wipes it. */
  readonly disk = new Map<string, unknown>()

  private status: NodeStatus = "up"
  private incarnationCount = 0
  private pausedFlag = false
  private pausedUntilMs = -Infinity
  private lastResumedAtMs = -Infinity
  private readonly processes = new Set<Process<any>>()
  private readonly mailboxes = new Map<string, FilterStore<Envelope>>()
  private readonly listeners = new Map<string, (envelope: Envelope) => void>()
  private readonly crashHooks: (() => void)[] = []
  private readonly restartHooks: (() => void)[] = []
  private readonly timers = new Set<LocalTimer>()
  private clockAnchorSimMs: number
  private clockAnchorLocalMs: number
  private monotonicAnchorSimMs: number
  private monotonicAnchorMs: number
  private drift: number

  constructor(
    /** The simulation the node lives in. */
    readonly sim: Simulation,
    /** The node's name, unique in its network. */
    readonly name: string,
    options: NodeOptions = {},
    /** How the node's `send` reaches the network (set by `Network.addNode`). */
    private readonly sender?: (to: string, message: unknown, options: SendOptions) => number,
  ) {
    const driftRate = options.driftRate ?? 0
    checkDrift(name, driftRate)
    const skewMs = options.clockSkewMs ?? 0
    if (!Number.isFinite(skewMs)) throw new RangeError(`node ${name}: clockSkewMs must be finite, got ${skewMs}`)
    this.clockAnchorSimMs = sim.now
    this.clockAnchorLocalMs = sim.now + skewMs
    this.monotonicAnchorSimMs = sim.now
    this.monotonicAnchorMs = sim.now
    this.drift = driftRate
  }

  // --- state -----------------------------------------------------------------------------------

  /** True while the node runs (not crashed). A paused node is up. */
  get isUp(): boolean {
    return this.status === "up"
  }

  /** True while the node is paused. */
  get isPaused(): boolean {
    return this.pausedFlag
  }

  /**
   * Simulated time at which the node last resumed from a pause (-Infinity if never). For observers
   * and checkers that grade a run; a model reading it would know it was paused, which a real node
   * cannot.
   */
  get lastResumedAt(): number {
    return this.lastResumedAtMs
  }

  /** How many times the node has restarted; 0 until its first restart. */
  get incarnation(): number {
    return this.incarnationCount
  }

  /** The node's live processes, in the order they were spawned. */
  get liveProcesses(): readonly Process<any>[] {
    return [...this.processes]
  }

  // --- processes and hooks ---------------------------------------------------------------------

  /**
   * Starts a process on this node: it is killed if the node crashes and frozen while it is
   * paused (a process spawned on a paused node starts when the node resumes).
   * @throws Error when the node is down (spawn from a restart hook instead)
   */
  spawn<T>(generator: ProcessGenerator<T>, name?: string): Process<T> {
    if (this.status === "down") throw new Error(`node ${this.name} is down: it cannot spawn ${name ?? "a process"}`)
    const process = this.sim.spawn(generator, `${this.name}/${name ?? "process"}`)
    this.processes.add(process)
    process.onProcessed(() => this.processes.delete(process))
    if (this.pausedFlag) process.pause()
    return process
  }

  /** Registers `fn` to run at every crash, after the node's processes were killed (clear volatile state here). */
  onCrash(fn: () => void): void {
    this.crashHooks.push(fn)
  }

  /** Registers `fn` to run at every restart, in registration order (rebuild state, spawn processes). */
  onRestart(fn: () => void): void {
    this.restartHooks.push(fn)
  }

  // --- messages --------------------------------------------------------------------------------

  /**
   * Takes the oldest message on `port` (matching `filter`, if given), waiting for one. The type
   * parameter is the model's promise about what that port carries; the network does not check it.
   */
  receive<M = unknown>(port: string = MAIN_PORT, filter?: (envelope: Envelope<M>) => boolean): StoreGet<Envelope<M>> {
    const mailbox = this.mailbox(port) as unknown as FilterStore<Envelope<M>>
    return mailbox.get(filter)
  }

  /**
   * Sends `message` from this node to `to` over its network.
   * @throws Error when the node was not created by `Network.addNode`
   */
  send(to: string, message: unknown, options: SendOptions = {}): number {
    if (this.sender === undefined)
      throw new Error(`node ${this.name} is not on a network: create it with network.addNode`)
    return this.sender(to, message, options)
  }

  /** Messages waiting on `port`, oldest first (a copy). */
  pending(port: string = MAIN_PORT): Envelope[] {
    return this.mailboxes.get(port)?.itemsInOrder ?? []
  }

  /**
   * Hands every message arriving on `port` to `fn` at arrival, instead of queuing it (used by the
   * RPC helper for replies). Listeners are code, not state: they survive crashes, but are not
   * called while the node is down. One listener per port.
   */
  listen(port: string, fn: (envelope: Envelope) => void): void {
    if (this.listeners.has(port)) throw new Error(`node ${this.name}: port "${port}" already has a listener`)
    this.listeners.set(port, fn)
  }

  /** @internal Called by the network when a message arrives; the node must be up. */
  _deliver(envelope: Envelope): void {
    const listener = this.listeners.get(envelope.port)
    if (listener !== undefined) listener(envelope)
    else void this.mailbox(envelope.port).put(envelope)
  }

  private mailbox(port: string): FilterStore<Envelope> {
    let mailbox = this.mailboxes.get(port)
    if (mailbox === undefined) {
      mailbox = new FilterStore<Envelope>(this.sim, { name: `${this.name}:${port}` })
      this.mailboxes.set(port, mailbox)
    }
    return mailbox
  }

  // --- clock -----------------------------------------------------------------------------------

  /** The node's clock reading, in ms: simulated time with this node's skew and drift. */
  clock(): number {
    const elapsed = this.sim.now - this.clockAnchorSimMs
    return this.clockAnchorLocalMs + (this.drift === 0 ? elapsed : elapsed * (1 + this.drift))
  }

  /**
   * The node's monotonic clock, in ms: it runs at the drifted rate like {@link clock} but ignores
   * skew jumps (as `CLOCK_MONOTONIC` ignores NTP steps). Only differences of its readings mean
   * something; measure timeouts and silences with it, and durations with {@link sleepLocal}.
   */
  monotonicClock(): number {
    const elapsed = this.sim.now - this.monotonicAnchorSimMs
    return this.monotonicAnchorMs + (this.drift === 0 ? elapsed : elapsed * (1 + this.drift))
  }

  /** The current drift rate (0.01: the clock runs 1% fast). */
  get driftRate(): number {
    return this.drift
  }

  /**
   * Waits `durationMs` as measured by this node's clock: `durationMs / (1 + driftRate)` of
   * simulated time at a constant drift. A skew jump does not shorten or lengthen it.
   * @param durationMs - local milliseconds, finite and >= 0
   */
  sleepLocal(durationMs: number): LocalTimer {
    if (!(durationMs >= 0 && durationMs < Infinity)) {
      throw new RangeError(`node ${this.name}: sleepLocal duration must be finite and >= 0, got ${durationMs}`)
    }
    const timer = new LocalTimer(this, durationMs)
    this.timers.add(timer)
    this.arm(timer)
    return timer
  }

  /** Makes the clock jump by `skewMs` (negative: back). Works on a down node too (it is hardware). */
  skewClock(skewMs: number): void {
    if (!Number.isFinite(skewMs)) throw new RangeError(`node ${this.name}: skewMs must be finite, got ${skewMs}`)
    const reading = this.clock()
    this.clockAnchorSimMs = this.sim.now
    this.clockAnchorLocalMs = reading + skewMs
    this.sim.trace.record<NetEvent>({ type: "ClockSkewed", node: this.name, skewMs, clockMs: this.clockAnchorLocalMs })
  }

  /** Sets the drift: from now the clock runs `1 + driftRate` times real speed. Running local timers are re-timed. */
  setDrift(driftRate: number): void {
    checkDrift(this.name, driftRate)
    this.clockAnchorLocalMs = this.clock()
    this.clockAnchorSimMs = this.sim.now
    this.monotonicAnchorMs = this.monotonicClock()
    this.monotonicAnchorSimMs = this.sim.now
    for (const timer of this.timers) {
      timer._timeout?.cancel()
      timer._remainingLocalMs = Math.max(0, timer._remainingLocalMs - this.localElapsed(timer))
      timer._fromSimMs = this.sim.now
    }
    this.drift = driftRate
    for (const timer of this.timers) this.arm(timer)
    this.sim.trace.record<NetEvent>({ type: "ClockDriftSet", node: this.name, driftRate })
  }

  /** Local ms that passed for `timer` since it was last armed, at the current drift. */
  private localElapsed(timer: LocalTimer): number {
    return (this.sim.now - timer._fromSimMs) * (1 + this.drift)
  }

  private arm(timer: LocalTimer): void {
    const delay = this.drift === 0 ? timer._remainingLocalMs : timer._remainingLocalMs / (1 + this.drift)
    const timeout = this.sim.timeout(delay)
    timer._timeout = timeout
    timeout.onProcessed(() => {
      timer._timeout = null
      this.timers.delete(timer)
      timer.succeed(undefined)
    })
  }

  /** @internal */
  _forgetTimer(timer: LocalTimer): void {
    this.timers.delete(timer)
  }

  // --- faults ----------------------------------------------------------------------------------

  /**
   * Crashes the node: kills its processes (no `finally` runs), drops every queued message and
   * local timer, ends any pause, runs the crash hooks and marks it down; messages to it are lost
   * until it restarts. Returns false (and does nothing) if it was already down.
   * @throws Error when called from one of the node's own processes
   */
  crash(): boolean {
    if (this.status === "down") return false
    const active = this.sim.activeProcess
    if (active !== null && this.processes.has(active)) {
      throw new Error(
        `node ${this.name} cannot crash from its own process ${active.name}; schedule the crash from outside`,
      )
    }
    const cause = new NodeCrashed(this.name)
    const killed = this.processes.size
    for (const process of this.processes) process.kill(cause)
    this.processes.clear()
    let messagesLost = 0
    for (const mailbox of this.mailboxes.values()) messagesLost += mailbox.size
    this.mailboxes.clear()
    for (const timer of this.timers) timer._timeout?.cancel()
    this.timers.clear()
    this.pausedFlag = false
    this.pausedUntilMs = -Infinity
    this.status = "down"
    this.sim.trace.record<NetEvent>({ type: "NodeCrashed", node: this.name, processesKilled: killed, messagesLost })
    for (const hook of this.crashHooks) hook()
    return true
  }

  /** Boots a down node: marks it up and runs the restart hooks. Returns false (no-op) if it was up. */
  restart(): boolean {
    if (this.status === "up") return false
    this.status = "up"
    this.incarnationCount++
    this.sim.trace.record<NetEvent>({ type: "NodeRestarted", node: this.name, incarnation: this.incarnationCount })
    for (const hook of this.restartHooks) hook()
    return true
  }

  /** Wipes the disk (durable state), as a replaced or corrupted drive. */
  loseDisk(): void {
    const entries = this.disk.size
    this.disk.clear()
    this.sim.trace.record<NetEvent>({ type: "DiskLost", node: this.name, entries })
  }

  /**
   * Freezes every process of the node for `durationMs` (omitted: until {@link resume}). Messages
   * still arrive and queue; timers still expire; all of it is handled when the node resumes. A
   * pause overlapping another extends it to the later end. Returns false (no-op) on a down node.
   */
  pause(durationMs: number = Infinity): boolean {
    if (!(durationMs > 0)) throw new RangeError(`node ${this.name}: pause duration must be > 0, got ${durationMs}`)
    if (this.status === "down") return false
    const untilMs = this.sim.now + durationMs
    if (untilMs <= this.pausedUntilMs) return true
    this.pausedUntilMs = untilMs
    if (!this.pausedFlag) {
      this.pausedFlag = true
      for (const process of this.processes) process.pause()
    }
    this.sim.trace.record<NetEvent>({
      type: "NodePaused",
      node: this.name,
      untilMs: untilMs === Infinity ? null : untilMs,
    })
    if (durationMs !== Infinity) {
      this.sim.timeout(durationMs).onProcessed(() => {
        if (this.pausedFlag && this.sim.now >= this.pausedUntilMs) this.resume()
      })
    }
    return true
  }

  /** Ends a pause now: held wake-ups are delivered, in order. Returns false (no-op) if not paused. */
  resume(): boolean {
    if (!this.pausedFlag) return false
    this.pausedFlag = false
    this.pausedUntilMs = -Infinity
    this.lastResumedAtMs = this.sim.now
    for (const process of this.processes) process.unpause()
    this.sim.trace.record<NetEvent>({ type: "NodeResumed", node: this.name })
    return true
  }
}

function checkDrift(node: string, driftRate: number): void {
  if (!(driftRate > -1 && driftRate < Infinity)) {
    throw new RangeError(`node ${node}: driftRate must be finite and > -1, got ${driftRate}`)
  }
}
