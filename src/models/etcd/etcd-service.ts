/**
 * An etcd member on a simulated node: clients send requests over the network and get answers, so
 * latency, pauses, partitions and crashes apply; leases expire by the node's own clock.
 *
 * One request at a time, in arrival order (etcd applies its Raft log in order). Watches are
 * streams: the server pushes each matching write's events to the client's {@link WATCH_PORT}.
 * Every half second of the node's clock the lessor revokes leases whose TTL has passed (etcd's
 * lessor checks every 500 ms), deleting their keys at one revision. The store is durable (etcd
 * keeps its data on disk): a crash loses the watch streams only, and a restart gives every lease a
 * full TTL again, as etcd's lessor does when a member becomes leader. See docs/etcd.md.
 */
import type { TraceOf } from "../../kernel/index.ts"
import type { NetworkContext } from "../../net/index.ts"
import { Rpc } from "../../net/index.ts"
import type { EtcdEvent } from "./etcd-events.ts"
import type { EtcdRequest, EtcdResponse, WatchNotice } from "./etcd-protocol.ts"
import { EtcdError, EtcdStore, type LeaseEnded } from "./etcd-store.ts"

/** The port (RPC service) etcd requests travel on. */
export const ETCD_SERVICE = "etcd"
/** The client port watch events are pushed to. */
export const WATCH_PORT = "etcd/watch"

/** Options of an {@link EtcdService}. */
export interface EtcdServiceOptions {
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<EtcdEvent>
  /** How often the lessor looks for expired leases, in ms of the node's clock. Default 500 (etcd's). */
  readonly leaseCheckIntervalMs?: number
  /** The shortest lease TTL granted, in ms. Default 2000 (etcd's with its default election timeout). */
  readonly minLeaseTtlMs?: number
}

/** The etcd server process on one node, reachable over the network. */
export class EtcdService {
  /** The key space, leases and watches (its clock is the node's). */
  readonly store: EtcdStore
  private readonly trace: TraceOf<EtcdEvent>
  /** The watch ids each client's watches have on the store, by the client's own watch id. */
  private readonly watches = new Map<string, number>()

  constructor(
    /** The network the clients reach it on. */
    readonly network: NetworkContext,
    /** The node it runs on. */
    readonly nodeName: string,
    /** The RPC helper shared with the clients (service {@link ETCD_SERVICE}). */
    readonly rpc: Rpc,
    options: EtcdServiceOptions,
  ) {
    const node = network.node(nodeName)
    this.trace = options.trace
    const checkMs = options.leaseCheckIntervalMs ?? 500
    if (!(checkMs > 0 && checkMs < Infinity))
      throw new RangeError(`etcd on ${nodeName}: leaseCheckIntervalMs must be finite and > 0, got ${checkMs}`)
    this.store = new EtcdStore({
      clock: () => node.clock(),
      ...(options.minLeaseTtlMs === undefined ? {} : { minLeaseTtlMs: options.minLeaseTtlMs }),
    })
    rpc.serve<EtcdRequest, EtcdResponse>(nodeName, (request, context) => this.answer(request, context.from))
    const lessor = this.lessor(checkMs)
    node.spawn(lessor(), "etcd-lessor")
    node.onRestart(() => {
      this.store.refreshLeases()
      node.spawn(lessor(), "etcd-lessor")
    })
    node.onCrash(() => {
      this.store.cancelAllWatches()
      this.watches.clear()
    })
  }

  private lessor(checkMs: number): () => Generator<any, void, any> {
    const node = this.network.node(this.nodeName)
    const service = this
    return function* () {
      for (;;) {
        yield* node.sleepLocal(checkMs)
        for (const ended of service.store.expireLeases()) service.recordEnded(ended, "LeaseExpired")
      }
    }
  }

  /** Answers one request, recording every write it made. */
  private answer(request: EtcdRequest, client: string): EtcdResponse {
    const before = this.store.events.length
    let response: EtcdResponse
    try {
      response = this.execute(request, client)
    } catch (error) {
      if (!(error instanceof EtcdError)) throw error
      response = { op: "error", error: error.message }
    }
    if (request.op !== "leaseRevoke" && request.op !== "leaseKeepAlive") this.recordWrites(before, client)
    return response
  }

  private execute(request: EtcdRequest, client: string): EtcdResponse {
    const store = this.store
    switch (request.op) {
      case "range":
        return store.range(request)
      case "put":
        return store.put(request.key, request.value, request.lease ?? 0)
      case "delete":
        return store.delete(request.key, request.prefix ?? false)
      case "txn": {
        const response = store.txn(request)
        const { node, trace } = { node: this.nodeName, trace: this.trace }
        trace.record({ type: "TxnCommitted", node, client, succeeded: response.succeeded, revision: response.revision })
        return { op: "txn", ...response }
      }
      case "leaseGrant": {
        const lease = store.grant(request.ttlMs)
        const event = {
          type: "LeaseGranted",
          node: this.nodeName,
          client,
          lease: lease.id,
          ttlMs: lease.ttlMs,
        } as const
        this.trace.record(event)
        return { op: "leaseGrant", revision: store.revision, lease: lease.id, ttlMs: lease.ttlMs }
      }
      case "leaseRevoke":
        this.recordEnded(store.revoke(request.lease), "LeaseRevoked")
        return { op: "leaseRevoke", revision: store.revision }
      case "leaseKeepAlive":
        return this.keepAlive(request.lease, client)
      case "watch":
        return this.openWatch(request, client)
      case "watchCancel": {
        const id = this.watches.get(`${client}#${request.watchId}`)
        if (id !== undefined) store.cancelWatch(id)
        this.watches.delete(`${client}#${request.watchId}`)
        return { op: "watchCancel", revision: store.revision, watchId: request.watchId }
      }
    }
  }

  private keepAlive(lease: number, client: string): EtcdResponse {
    const { ttlMs, ended } = this.store.keepAlive(lease)
    if (ended !== null) this.recordEnded(ended, "LeaseExpired")
    this.trace.record({ type: "LeaseKeptAlive", node: this.nodeName, client, lease, ttlMs })
    return { op: "leaseKeepAlive", revision: this.store.revision, lease, ttlMs }
  }

  private openWatch(request: Extract<EtcdRequest, { op: "watch" }>, client: string): EtcdResponse {
    const { watchId } = request
    const id = this.store.watch(request.key, request.prefix ?? false, request.startRevision ?? 0, (events) => {
      const notice: WatchNotice = { watchId, events }
      this.network.send(this.nodeName, client, notice, { port: WATCH_PORT })
    })
    this.watches.set(`${client}#${watchId}`, id)
    return { op: "watch", revision: this.store.revision, watchId }
  }

  private recordWrites(before: number, client: string): void {
    const events = this.store.events
    for (let i = before; i < events.length; i++) {
      const { type, kv } = events[i]!
      const node = this.nodeName
      if (type === "PUT") {
        const { key, modRevision: revision, createRevision, lease } = kv
        this.trace.record({ type: "KeyPut", node, client, key, revision, createRevision, lease })
      } else {
        this.trace.record({ type: "KeyDeleted", node, key: kv.key, revision: kv.modRevision, cause: "delete", client })
      }
    }
  }

  private recordEnded(ended: LeaseEnded, type: "LeaseExpired" | "LeaseRevoked"): void {
    const node = this.nodeName
    const cause = type === "LeaseExpired" ? "lease-expired" : "lease-revoked"
    for (const key of ended.keys) {
      this.trace.record({ type: "KeyDeleted", node, key, revision: ended.revision, cause, client: "" })
    }
    this.trace.record({ type, node, lease: ended.lease, keys: ended.keys, revision: ended.revision })
  }
}

/** Creates the RPC helper etcd clients and servers on `network` share. */
export function etcdRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: ETCD_SERVICE })
}
