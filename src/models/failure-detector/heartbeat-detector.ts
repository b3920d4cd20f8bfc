/**
 * A heartbeat failure detector: suspect a node when nothing was heard from it for `timeoutMs`.
 *
 * A lighthouse keeper who expects a ship's lamp to blink every few seconds: when the lamp has
 * been dark for longer than the agreed timeout, the keeper reports the ship lost. The keeper
 * cannot tell a sunk ship from one behind a fog bank (a partition), one whose crew fell asleep (a
 * paused process) or one whose lamp signals were swallowed by the waves (lost messages). This is
 * the heart of every failure detector: it only sees silence, and silence is ambiguous.
 *
 * Every node sends a heartbeat to the monitor every `heartbeatMs` of its own clock
 * ({@link startHeartbeats}). The detector runs on the monitor: a receiver notes when it last heard
 * each node (on the monitor's monotonic clock, so a clock jump cannot fake a silence), and one
 * watcher per node sleeps until that node's deadline (last heard + `timeoutMs`), suspects it if
 * nothing came meanwhile, and waits for its next heartbeat, which clears the suspicion.
 *
 * Trace records: the events of `failure-detector-events.ts` — `NodeSuspected`, `NodeTrusted` (heard
 * again after a suspicion) and `SilenceEnded` (heard again after a silence longer than 1.5
 * heartbeats, without a suspicion).
 *
 * Both actors take a {@link NodeContext}: they send, receive, sleep on their node's clock and
 * learn of their own node's crash and restart through its hooks; they never read whether a node is
 * up, paused or cut off (that is the observer's view, see the scenario).
 *
 * Invariants: a node is suspected only after at least `timeoutMs` of silence on the monitor's clock;
 * a suspicion ends at the next heartbeat. The detector's state is volatile: a crash of the monitor
 * forgets it, and a restart starts afresh, giving every node a full timeout of grace.
 *
 * Left out on purpose: adaptive timeouts (phi accrual), gossip between detectors, and indirect
 * probes (SWIM) — the lesson is the plain fixed timeout they all improve on.
 */
import { Event, type ProcessGenerator, type TraceOf } from "../../kernel/index.ts"
import type { Envelope, NodeContext } from "../../net/index.ts"
import type { FailureDetectorEvent } from "./failure-detector-events.ts"

/** What a heartbeat carries. */
export interface Heartbeat {
  readonly kind: "heartbeat"
  /** Counts the sender's heartbeats since its last (re)start, from 1. */
  readonly seq: number
}

/** Options of a {@link HeartbeatDetector}. */
export interface HeartbeatDetectorOptions {
  /** Silence after which a node is suspected, in ms of the monitor's (monotonic) clock. Required, > 0. */
  readonly timeoutMs: number
  /** The heartbeat period, in ms; a silence over 1.5 periods is reported when it ends. Required, > 0. */
  readonly heartbeatMs: number
}

/** A suspicion as the detector saw it. */
export interface Suspicion {
  /** Simulated time of the suspicion. */
  readonly t: number
  /** The suspected node. */
  readonly node: string
  /** How long the monitor had heard nothing, on its monotonic clock, in ms. */
  readonly silenceMs: number
  /** Simulated send time of the last heartbeat heard from the node, or null if none since the detector started. */
  readonly lastHeardSentAt: number | null
}

/** Per watched node: what the monitor heard. */
export interface HeardStats {
  /** Heartbeats received. */
  heartbeats: number
  /** The longest silence between two heartbeats (or since the detector started), in ms of the monitor's clock. */
  longestSilenceMs: number
}

/** Tolerance for float rounding when comparing clock readings with a deadline, in ms. */
const EPSILON_MS = 1e-9

/** Volatile state of the detector: lost when the monitor crashes. */
class DetectorState {
  readonly lastHeardMs = new Map<string, number>()
  readonly lastHeardSentAt = new Map<string, number>()
  readonly suspected = new Set<string>()
  readonly heard = new Map<string, Event<void>>()
}

/** The detector on the monitor node. */
export class HeartbeatDetector {
  /** Every suspicion, in order (kept across monitor crashes: this is the observer's record). */
  readonly suspicions: Suspicion[] = []
  /** What the monitor heard from each watched node (kept across monitor crashes). */
  readonly heard = new Map<string, HeardStats>()
  private state = new DetectorState()
  private readonly trace: TraceOf<FailureDetectorEvent>
  private readonly suspectListeners: ((suspicion: Suspicion) => void)[] = []

  constructor(
    /** The monitor node the detector runs on. */
    readonly monitor: NodeContext,
    /** The nodes it watches. */
    readonly watched: readonly string[],
    private readonly options: HeartbeatDetectorOptions,
  ) {
    if (!(options.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${options.timeoutMs}`)
    if (!(options.heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be > 0, got ${options.heartbeatMs}`)
    this.trace = monitor.sim.trace
    for (const node of watched) this.heard.set(node, { heartbeats: 0, longestSilenceMs: 0 })
    monitor.onCrash(() => {
      this.state = new DetectorState()
    })
    monitor.onRestart(() => this.start())
  }

  /** Calls `fn` at every suspicion. */
  onSuspect(fn: (suspicion: Suspicion) => void): void {
    this.suspectListeners.push(fn)
  }

  /** True while `node` is suspected. */
  isSuspected(node: string): boolean {
    return this.state.suspected.has(node)
  }

  /** Starts the receiver and the watchers on the monitor (called again by the monitor's restart hook). */
  start(): void {
    const state = this.state
    for (const node of this.watched) state.lastHeardMs.set(node, this.monitor.monotonicClock())
    this.monitor.spawn(this.receive(state), "detector")
    for (const node of this.watched) this.monitor.spawn(this.watch(state, node), `watch-${node}`)
  }

  /**
   * The silence of `node` now, on the monitor's clock (for reports at the end of a run); undefined
   * while the monitor is down (its crash wiped the state, and a restart fills it again).
   */
  currentSilenceMs(node: string): number | undefined {
    const last = this.state.lastHeardMs.get(node)
    return last === undefined ? undefined : this.monitor.monotonicClock() - last
  }

  private *receive(state: DetectorState): ProcessGenerator<void> {
    const monitor = this.monitor
    for (;;) {
      const envelope: Envelope<Heartbeat> = yield* monitor.receive<Heartbeat>()
      const from = envelope.from
      const stats = this.heard.get(from)
      if (stats === undefined || envelope.message.kind !== "heartbeat") continue
      const now = monitor.monotonicClock()
      const silenceMs = now - state.lastHeardMs.get(from)!
      state.lastHeardMs.set(from, now)
      state.lastHeardSentAt.set(from, envelope.sentAt)
      stats.heartbeats++
      stats.longestSilenceMs = Math.max(stats.longestSilenceMs, silenceMs)
      if (state.suspected.delete(from)) {
        this.trace.record({ type: "NodeTrusted", node: from, by: monitor.name, silenceMs })
      } else if (silenceMs > 1.5 * this.options.heartbeatMs) {
        this.trace.record({ type: "SilenceEnded", node: from, by: monitor.name, silenceMs })
      }
      const heard = state.heard.get(from)
      if (heard !== undefined) {
        state.heard.delete(from)
        heard.succeed()
      }
    }
  }

  private *watch(state: DetectorState, node: string): ProcessGenerator<void> {
    const monitor = this.monitor
    const timeoutMs = this.options.timeoutMs
    for (;;) {
      const remainingMs = state.lastHeardMs.get(node)! + timeoutMs - monitor.monotonicClock()
      if (remainingMs > EPSILON_MS) {
        yield* monitor.sleepLocal(remainingMs)
        continue
      }
      const silenceMs = monitor.monotonicClock() - state.lastHeardMs.get(node)!
      state.suspected.add(node)
      const suspicion: Suspicion = {
        t: monitor.sim.now,
        node,
        silenceMs,
        lastHeardSentAt: state.lastHeardSentAt.get(node) ?? null,
      }
      this.suspicions.push(suspicion)
      this.trace.record({ type: "NodeSuspected", node, by: monitor.name, silenceMs })
      for (const listener of this.suspectListeners) listener(suspicion)
      const heard = new Event<void>(monitor.sim)
      state.heard.set(node, heard)
      yield* heard
    }
  }
}

/** Counts of one sender. */
export interface HeartbeatSender {
  /** Heartbeats sent so far, over every incarnation. */
  sent: number
}

/**
 * Starts sending heartbeats from `node` to `monitor` every `heartbeatMs` of the node's clock, the
 * first at once, now and after every restart of the node. Call it while the node is up (when the
 * scenario is wired, before any fault strikes).
 */
export function startHeartbeats(node: NodeContext, monitor: string, heartbeatMs: number): HeartbeatSender {
  if (!(heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be > 0, got ${heartbeatMs}`)
  const sender: HeartbeatSender = { sent: 0 }
  const beat = function* (): ProcessGenerator<void> {
    for (let seq = 1; ; seq++) {
      const heartbeat: Heartbeat = { kind: "heartbeat", seq }
      node.send(monitor, heartbeat)
      sender.sent++
      yield* node.sleepLocal(heartbeatMs)
    }
  }
  node.onRestart(() => void node.spawn(beat(), "heartbeat"))
  node.spawn(beat(), "heartbeat")
  return sender
}
