/**
 * Request/response over the simulated network: calls with correlation ids, per-attempt timeouts,
 * retries with backoff, and a server helper — so models never rewrite them.
 *
 * A call is a letter with a tracking number. The caller sends the request, then waits for a reply
 * carrying the same number, at most `timeoutMs` on its own clock; if none comes it waits
 * `backoffMs` and sends the same request again (same call id, next attempt number), up to
 * `retries` more times. The first reply for the call ends it, whichever attempt it answers; every
 * later reply (a duplicate, or the answer to an earlier attempt) is ignored and recorded
 * `RpcReplyIgnored`. A reply that comes during a backoff ends the call too.
 *
 * Timing, exactly (for a call started at t0 that never gets a reply, with timeout T, backoff B and
 * R retries): attempt k (k = 1..R+1) is sent at t0 + (k-1)(T+B); the call returns
 * `{ ok: false, attempts: R+1 }` at t0 + (R+1)T + R·B, measured on the caller's clock (drift
 * stretches it; see `Node.sleepLocal`).
 *
 * The server side is at-least-once: a retried request runs the handler again (the handler sees
 * the attempt number and can deduplicate by call id if the model wants exactly-once effects).
 *
 * Invariants: a call returns exactly once; a call's reply event is settled at most once. Left out:
 * cancellation by the caller (it is killed with its node, or use `sim.withDeadline` around a
 * process), streaming replies, and server-side deduplication.
 */
import type { NetEvent } from "./net-events.ts"
import { Event, type ProcessGenerator, type Simulation } from "../kernel/index.ts"
import type { NodeContext } from "./context.ts"
import type { Envelope } from "./node.ts"
import type { NetworkContext } from "./context.ts"

/** What travels from caller to server. */
export interface RpcRequest<Req = unknown> {
  /** Correlation id, unique per {@link Rpc} instance; the same for every attempt of a call. */
  readonly callId: number
  /** Attempt number, from 1. */
  readonly attempt: number
  /** The model's request. */
  readonly request: Req
}

/** What travels from server to caller. */
export interface RpcReply<Res = unknown> {
  /** The call answered. */
  readonly callId: number
  /** The attempt answered. */
  readonly attempt: number
  /** The model's response. */
  readonly response: Res
}

/** How a call ended. */
export type RpcOutcome<Res> =
  | { readonly ok: true; readonly response: Res; readonly attempts: number }
  | { readonly ok: false; readonly reason: "timeout"; readonly attempts: number }

/** Options of {@link Rpc.call}. */
export interface CallOptions {
  /** How long to wait for a reply to each attempt, in ms of the caller's clock. Default 1000. */
  readonly timeoutMs?: number
  /** Attempts after the first. Default 0. */
  readonly retries?: number
  /** Wait between a timed-out attempt and the next, in ms of the caller's clock. Default 0. */
  readonly backoffMs?: number
  /** Each backoff is this many times the previous one (2: exponential backoff). Default 1. */
  readonly backoffMultiplier?: number
}

/** What a handler knows about the request it answers. */
export interface RpcContext {
  /** The calling node. */
  readonly from: string
  /** The serving node. */
  readonly node: NodeContext
  /** The call's correlation id. */
  readonly callId: number
  /** The attempt being answered, from 1. */
  readonly attempt: number
}

/**
 * A request handler: returns the response, or a generator (run inside the server process, so it
 * may sleep, wait and call others) that returns it.
 */
export type RpcHandler<Req, Res> = (request: Req, context: RpcContext) => Res | ProcessGenerator<Res>

/** Options of {@link Rpc.serve}. */
export interface ServeOptions {
  /** Handle each request in its own process (true) or one at a time in arrival order (false). Default false. */
  readonly parallel?: boolean
}

/** Options of an {@link Rpc}. */
export interface RpcOptions {
  /** Service name: requests go to this port, replies to `<service>/reply`. Default "rpc". */
  readonly service?: string
}

/** The request/response helper of one service on a network. */
export class Rpc {
  /** The service name, also the request port. */
  readonly service: string
  private readonly replyPort: string
  private readonly sim: Simulation
  private nextCallId = 0
  /** Calls waiting for a reply, per calling node, by call id. */
  private readonly pending = new Map<string, Map<number, Event<unknown>>>()
  private readonly served = new Set<string>()

  constructor(
    /** The network the calls travel on. */
    readonly network: NetworkContext,
    options: RpcOptions = {},
  ) {
    this.service = options.service ?? "rpc"
    this.replyPort = `${this.service}/reply`
    this.sim = network.sim
  }

  /**
   * Calls `to` with `request` from `from` and returns how it ended: `yield* rpc.call<Res>(...)`.
   * Run it in a process of node `from` (that node's clock measures the timeouts).
   * @throws RangeError on bad options or an unknown node
   */
  *call<Res = unknown, Req = unknown>(
    from: string,
    to: string,
    request: Req,
    options: CallOptions = {},
  ): Generator<Event<any>, RpcOutcome<Res>, any> {
    const { timeoutMs, retries, backoffMs, backoffMultiplier } = checkCallOptions(options)
    const node = this.network.node(from)
    this.network.node(to)
    const calls = this.callsOf(node)
    const callId = ++this.nextCallId
    const reply = new Event<Res>(this.sim)
    calls.set(callId, reply as Event<unknown>)
    this.sim.trace.record<NetEvent>({ type: "RpcCalled", callId, from, to, service: this.service })
    let backoff = backoffMs
    let attempts = 0
    for (;;) {
      attempts++
      const message: RpcRequest<Req> = { callId, attempt: attempts, request }
      this.network.send(from, to, message, { port: this.service })
      if (yield* this.replyWithin(reply, node, timeoutMs)) return this.returned(callId, reply, attempts)
      if (attempts > retries) break
      if (backoff > 0) {
        if (yield* this.replyWithin(reply, node, backoff)) return this.returned(callId, reply, attempts)
        backoff *= backoffMultiplier
      }
    }
    calls.delete(callId)
    this.sim.trace.record<NetEvent>({ type: "RpcReturned", callId, ok: false, attempts })
    return { ok: false, reason: "timeout", attempts }
  }

  /** Waits for `reply` at most `durationMs` on `node`'s clock; true if it came. */
  private *replyWithin(
    reply: Event<unknown>,
    node: NodeContext,
    durationMs: number,
  ): Generator<Event<any>, boolean, any> {
    if (reply.triggered) return true
    const timer = node.sleepLocal(durationMs)
    yield* this.sim.anyOf([reply, timer])
    // A reply that arrived at the very instant the timer fired still counts.
    if (reply.triggered) {
      timer.cancel()
      return true
    }
    return false
  }

  private returned<Res>(callId: number, reply: Event<Res>, attempts: number): RpcOutcome<Res> {
    this.sim.trace.record<NetEvent>({ type: "RpcReturned", callId, ok: true, attempts })
    return { ok: true, response: reply.value, attempts }
  }

  /** The pending calls of `node`, installing the reply listener and crash cleanup on first use. */
  private callsOf(node: NodeContext): Map<number, Event<unknown>> {
    let calls = this.pending.get(node.name)
    if (calls === undefined) {
      const created = new Map<number, Event<unknown>>()
      calls = created
      this.pending.set(node.name, created)
      node.listen(this.replyPort, (envelope) => this.onReply(created, envelope as Envelope<RpcReply>))
      node.onCrash(() => created.clear())
    }
    return calls
  }

  private onReply(calls: Map<number, Event<unknown>>, envelope: Envelope<RpcReply>): void {
    const { callId, attempt, response } = envelope.message
    const reply = calls.get(callId)
    if (reply === undefined) {
      this.sim.trace.record<NetEvent>({ type: "RpcReplyIgnored", callId, attempt, node: envelope.to })
      return
    }
    calls.delete(callId)
    reply.succeed(response)
  }

  /**
   * Serves requests on node `nodeName` with `handler`, now and after every restart (the server is
   * code: it survives crashes; its volatile state is the model's business). Each response is sent
   * back to the caller's reply port. Serve a node once per service.
   * @throws Error when the node already serves this service
   */
  serve<Req = unknown, Res = unknown>(
    nodeName: string,
    handler: RpcHandler<Req, Res>,
    options: ServeOptions = {},
  ): void {
    const node = this.network.node(nodeName)
    if (this.served.has(nodeName)) throw new Error(`node ${nodeName} already serves ${this.service}`)
    this.served.add(nodeName)
    const parallel = options.parallel ?? false
    const start = (): void => void node.spawn(this.serverLoop(node, handler, parallel), `${this.service}-server`)
    node.onRestart(start)
    // A node of a Network says whether it is down now (then the restart starts the server); a bare context is up.
    if (!isDown(node)) start()
  }

  private *serverLoop<Req, Res>(
    node: NodeContext,
    handler: RpcHandler<Req, Res>,
    parallel: boolean,
  ): ProcessGenerator<void> {
    for (;;) {
      const envelope = yield* node.receive<RpcRequest<Req>>(this.service)
      if (parallel) node.spawn(this.answer(node, handler, envelope), `${this.service}-handler`)
      else yield* this.answer(node, handler, envelope)
    }
  }

  private *answer<Req, Res>(
    node: NodeContext,
    handler: RpcHandler<Req, Res>,
    envelope: Envelope<RpcRequest<Req>>,
  ): ProcessGenerator<void> {
    const { callId, attempt, request } = envelope.message
    const result = handler(request, { from: envelope.from, node, callId, attempt })
    const response = isGenerator<Res>(result) ? yield* result : result
    const reply: RpcReply<Res> = { callId, attempt, response }
    this.network.send(node.name, envelope.from, reply, { port: this.replyPort })
  }
}

function isGenerator<T>(value: unknown): value is ProcessGenerator<T> {
  return Object.prototype.toString.call(value) === "[object Generator]"
}

function checkCallOptions(options: CallOptions): Required<CallOptions> {
  const timeoutMs = options.timeoutMs ?? 1000
  const retries = options.retries ?? 0
  const backoffMs = options.backoffMs ?? 0
  const backoffMultiplier = options.backoffMultiplier ?? 1
  if (!(timeoutMs > 0 && timeoutMs < Infinity))
    throw new RangeError(`rpc call: timeoutMs must be finite and > 0, got ${timeoutMs}`)
  if (!(Number.isInteger(retries) && retries >= 0))
    throw new RangeError(`rpc call: retries must be an integer >= 0, got ${retries}`)
  if (!(backoffMs >= 0 && backoffMs < Infinity))
    throw new RangeError(`rpc call: backoffMs must be finite and >= 0, got ${backoffMs}`)
  if (!(backoffMultiplier >= 1 && backoffMultiplier < Infinity)) {
    throw new RangeError(`rpc call: backoffMultiplier must be finite and >= 1, got ${backoffMultiplier}`)
  }
  return { timeoutMs, retries, backoffMs, backoffMultiplier }
}

/** True for a down {@link Node} (the network's own node objects carry `isUp`). */
function isDown(node: NodeContext): boolean {
  return "isUp" in node && (node as { readonly isUp: boolean }).isUp === false
}
