/**
 * An etcd client on a simulated node: one request at a time with a timeout on the client's own
 * clock (a timed-out request may still have run on the server, as with a real client whose
 * connection stalls), and watches whose events the server pushes to the node.
 *
 * Watches here end by themselves after a wait: a real client's watch stream survives a broken
 * connection by reconnecting and resuming from the next revision it has not seen; the Mutex gets
 * the same effect by watching again from the revision it last read (see docs/etcd.md).
 */
import type { Event } from "../../kernel/index.ts"
import { Event as KernelEvent } from "../../kernel/index.ts"
import type { NetworkContext, NodeContext, Rpc } from "../../net/index.ts"
import type {
  DeleteResponse,
  EtcdRequest,
  EtcdResponse,
  PutResponse,
  RangeOp,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchEvent,
  WatchNotice,
} from "./etcd-protocol.ts"
import { WATCH_PORT } from "./etcd-service.ts"

/** How a request ended for the client: the server's answer, an error from it, or nothing in time. */
export type EtcdOutcome<R> =
  | { readonly ok: true; readonly response: R }
  | { readonly ok: false; readonly reason: "timeout" | "error"; readonly error?: string }

/** Options of an {@link EtcdClient}. */
export interface EtcdClientOptions {
  /** How long to wait for each answer, in ms of the client's clock. Default 1000. */
  readonly timeoutMs?: number
}

type WatchHandler = (events: readonly WatchEvent[]) => void

/** Per node: the watch handlers by watch id (one listener on the node's watch port). */
const routers = new WeakMap<Rpc, Map<string, { handlers: Map<number, WatchHandler>; nextId: number }>>()

/** A connection from node `from` to the etcd server on node `to`. */
export class EtcdClient {
  /** How long each request waits for its answer, in ms of the client's clock. */
  readonly timeoutMs: number
  /** The client's node. */
  readonly node: NodeContext

  constructor(
    /** The network the client is on. */
    network: NetworkContext,
    /** The RPC helper the server uses (`etcdRpc`). */
    private readonly rpc: Rpc,
    /** The client's node. */
    readonly from: string,
    /** The server's node. */
    readonly to: string,
    options: EtcdClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000
    if (!(this.timeoutMs > 0 && this.timeoutMs < Infinity))
      throw new RangeError(`etcd client on ${from}: timeoutMs must be finite and > 0, got ${this.timeoutMs}`)
    this.node = network.node(from)
  }

  /** Sends `request` and returns the answer within `timeoutMs` (default the client's). Run it on node `from`. */
  *call<R extends EtcdResponse>(
    request: EtcdRequest,
    timeoutMs = this.timeoutMs,
  ): Generator<Event<any>, EtcdOutcome<R>, any> {
    const outcome = yield* this.rpc.call<EtcdResponse, EtcdRequest>(this.from, this.to, request, { timeoutMs })
    if (!outcome.ok) return { ok: false, reason: "timeout" }
    if (outcome.response.op === "error") return { ok: false, reason: "error", error: outcome.response.error }
    return { ok: true, response: outcome.response as R }
  }

  /** Reads a key or prefix. */
  range(op: Omit<RangeOp, "op">): Generator<Event<any>, EtcdOutcome<RangeResponse>, any> {
    return this.call<RangeResponse>({ op: "range", ...op })
  }

  /** Writes a key, attached to `lease` (0: none). */
  put(key: string, value: string, lease = 0): Generator<Event<any>, EtcdOutcome<PutResponse>, any> {
    return this.call<PutResponse>({ op: "put", key, value, lease })
  }

  /** Deletes a key or prefix. */
  delete(key: string, prefix = false): Generator<Event<any>, EtcdOutcome<DeleteResponse>, any> {
    return this.call<DeleteResponse>({ op: "delete", key, prefix })
  }

  /** Runs a transaction. */
  txn(request: TxnRequest): Generator<Event<any>, EtcdOutcome<{ op: "txn" } & TxnResponse>, any> {
    return this.call<{ op: "txn" } & TxnResponse>({ op: "txn", ...request })
  }

  /**
   * Watches `key` from `startRevision` until a change satisfies `until`, or `waitMs` passes on the
   * client's clock; true if it saw one. The watch is cancelled on the server afterwards, in the
   * background.
   */
  *watchUntil(
    key: string,
    startRevision: number,
    waitMs: number,
    until: (event: WatchEvent) => boolean,
  ): Generator<Event<any>, boolean, any> {
    const router = this.router()
    const watchId = router.nextId++
    const seen = new KernelEvent<void>(this.node.sim)
    router.handlers.set(watchId, (events) => {
      if (!seen.triggered && events.some(until)) seen.succeed(undefined)
    })
    const opened = yield* this.call({ op: "watch", watchId, key, startRevision })
    if (opened.ok && !seen.triggered) {
      const timer = this.node.sleepLocal(waitMs)
      yield* this.node.sim.anyOf([seen, timer])
      timer.cancel()
    }
    router.handlers.delete(watchId)
    const cancel = this.call({ op: "watchCancel", watchId })
    this.node.spawn(cancel, "etcd-watch-cancel")
    return seen.triggered
  }

  private router(): { handlers: Map<number, WatchHandler>; nextId: number } {
    let byNode = routers.get(this.rpc)
    if (byNode === undefined) routers.set(this.rpc, (byNode = new Map()))
    let router = byNode.get(this.from)
    if (router === undefined) {
      const created = { handlers: new Map<number, WatchHandler>(), nextId: 1 }
      byNode.set(this.from, (router = created))
      this.node.listen(WATCH_PORT, (envelope) => {
        const notice = envelope.message as WatchNotice
        created.handlers.get(notice.watchId)?.(notice.events)
      })
    }
    return router
  }
}
