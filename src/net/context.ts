/**
 * Two views of the same node and network: what a model's actors may use, and what the fault
 * injector and the observer may use besides.
 *
 * A real process knows its host's name, its own mailboxes, its local clock and disk, and it can
 * send messages. It does not know that a remote host is down, that its own host was paused, or
 * where the network is cut; it cannot crash a machine or skew a clock. A model's actors take a
 * {@link NodeContext} (and, to reach other nodes by name, a {@link NetworkContext}); the fault plan,
 * scenarios and checkers hold the {@link Node} and {@link Network} themselves, which implement both
 * views. `test/model-boundary.test.ts` keeps `src/models` off the control side.
 */
import type { Process, ProcessGenerator, Simulation, StoreGet } from "../kernel/index.ts"
import type { SendOptions } from "./network.ts"
import type { Envelope, LocalTimer } from "./node.ts"

/** A model's view of the node it runs on. */
export interface NodeContext {
  /** The simulation the node lives in. */
  readonly sim: Simulation
  /** The node's name, unique in its network. */
  readonly name: string
  /** Durable state: what survives a crash (the model decides what to keep here). */
  readonly disk: Map<string, unknown>
  /** How many times the node has restarted (a process can read its boot count); 0 until the first restart. */
  readonly incarnation: number
  /** Starts a process on this node (killed at a crash, frozen while the node is paused). */
  spawn<T>(generator: ProcessGenerator<T>, name?: string): Process<T>
  /** Runs `fn` at every crash, after the processes were killed: where a model drops volatile state. */
  onCrash(fn: () => void): void
  /** Runs `fn` at every restart: where a model rebuilds state from `disk` and spawns its processes. */
  onRestart(fn: () => void): void
  /** Takes the oldest message on `port` (matching `filter`), waiting for one. */
  receive<M = unknown>(port?: string, filter?: (envelope: Envelope<M>) => boolean): StoreGet<Envelope<M>>
  /** Messages waiting on `port`, oldest first (a copy). */
  pending(port?: string): Envelope[]
  /** Calls `fn` for each message arriving on `port` instead of queueing it. */
  listen(port: string, fn: (envelope: Envelope) => void): void
  /** Sends `message` from this node to `to`; returns the message id. */
  send(to: string, message: unknown, options?: SendOptions): number
  /** The node's clock reading, in ms (skew and drift included). */
  clock(): number
  /** A clock that drifts but never jumps, in ms: for measuring elapsed time. */
  monotonicClock(): number
  /** A timer of `durationMs` on this node's clock (drift stretches it). */
  sleepLocal(durationMs: number): LocalTimer
}

/** A model's view of the network: send between named nodes, and reach a node's {@link NodeContext}. */
export interface NetworkContext {
  /** The simulation the network lives in. */
  readonly sim: Simulation
  /** Sends `message` from `from` to `to`; returns the message id. */
  send(from: string, to: string, message: unknown, options?: SendOptions): number
  /** The node named `name` (throws naming the known nodes when there is none). */
  node(name: string): NodeContext
  /** True if a node named `name` exists. */
  hasNode(name: string): boolean
  /** Every node's name, in the order added. */
  readonly nodeNames: readonly string[]
}
