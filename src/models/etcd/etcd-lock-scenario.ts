/**
 * Clients taking turns on one etcd lock: an etcd node and N client nodes (`c0`, `c1`, ...) on a
 * network, each client trying to acquire at its start time, holding for a while by its own clock,
 * and releasing; a fault plan may pause, partition or crash any of them. The observer collects
 * each holding as the client believed it, with its token: from the acquisition to the release, or
 * to the instant its session found the lease over (on a keep-alive answer, or by its clock when its
 * process next ran; a paused client finds out only when it wakes).
 */
import type { Advance, JsonValue, ScenarioResult } from "../../check/core/index.ts"
import { type HoldInterval, runUntil } from "../../check/core/index.ts"
import type { Simulation, Traced } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, Network, NO_FAULTS } from "../../net/index.ts"
import type { SessionExpired } from "./etcd-events.ts"
import { EtcdLockClient, type EtcdLockClientOptions } from "./etcd-lock-client.ts"
import { etcdRpc, EtcdService } from "./etcd-service.ts"

/** The etcd node's name. */
export const ETCD_NODE = "etcd"

/** One client's turn(s): when it starts trying, and how long it holds once it has the lock. */
export interface ClientPlan {
  /** When it starts trying, in ms of its clock. Required. */
  readonly startMs: number
  /** How long it holds each time, in ms of its clock. Required. */
  readonly holdMs: number
  /** Acquire, hold, release this many times. Default 1. */
  readonly rounds?: number
}

/** Options of an {@link EtcdLockScenario}. */
export interface EtcdLockScenarioOptions {
  /** One plan per client. Required. */
  readonly clients: readonly ClientPlan[]
  /** How long the run lasts, in ms. Required. */
  readonly durationMs: number
  /** Faults on any node. Default: none. */
  readonly plan?: FaultPlan
  /** The server's shortest lease TTL, in ms. Default 2000 (etcd's). */
  readonly minLeaseTtlMs?: number
  /** The lock clients' options (TTL, renewals, timeouts). Default: the client's defaults. */
  readonly client?: Partial<Omit<EtcdLockClientOptions, "server" | "trace">>
  /** Each attempt gives up this long after it starts, on the client's clock. Default: never. */
  readonly acquireWithinMs?: number
}

/** What a run measured: every holding, as the client believed it. */
export class EtcdLockResult implements ScenarioResult {
  constructor(
    /** Each acquisition, from the instant it acquired to its release (open: still held at the end). */
    readonly holdings: readonly HoldInterval[],
    /** The server's revision at the end. */
    readonly finalRevision: number,
  ) {}

  /** `acquisitions`, `tokens` (in acquisition order) and `finalRevision`. */
  summary(): { readonly [metric: string]: JsonValue } {
    return {
      acquisitions: this.holdings.length,
      tokens: this.holdings.map((holding) => holding.token ?? null),
      finalRevision: this.finalRevision,
    }
  }
}

/** The clients and the etcd node, wired. */
export class EtcdLockScenario {
  readonly network: Network
  readonly service: EtcdService
  readonly locks: readonly EtcdLockClient[]
  private readonly holdings: { holder: string; from: number; to?: number; token: number }[] = []

  constructor(
    readonly sim: Simulation,
    private readonly options: EtcdLockScenarioOptions,
  ) {
    this.network = new Network(sim)
    this.network.addNode(ETCD_NODE)
    const names = options.clients.map((_, index) => `c${index}`)
    for (const name of names) this.network.addNode(name)
    const rpc = etcdRpc(this.network)
    const minLeaseTtlMs = options.minLeaseTtlMs
    this.service = new EtcdService(this.network, ETCD_NODE, rpc, {
      trace: sim.trace,
      ...(minLeaseTtlMs === undefined ? {} : { minLeaseTtlMs }),
    })
    const clientOptions = { server: ETCD_NODE, trace: sim.trace, ...options.client }
    this.locks = names.map((name) => new EtcdLockClient(this.network, rpc, name, clientOptions))
    options.clients.forEach((plan, index) => this.spawnUser(this.locks[index]!, plan))
    // A holder stops believing it holds when its session learns (or its clock says) the lease is over.
    sim.trace.listen((record) => {
      if (record.type !== "SessionExpired") return
      const node = (record as Traced<SessionExpired>).node
      const holding = this.holdings.findLast((h) => h.holder === node)
      if (holding !== undefined && holding.to === undefined) holding.to = record.t
    })
    applyFaultPlan(sim, this.network, options.plan ?? NO_FAULTS)
  }

  /** Runs to `durationMs` and returns the holdings. */
  run(advance: Advance = runUntil): EtcdLockResult {
    advance(this.sim, this.options.durationMs)
    return new EtcdLockResult(
      this.holdings.map((holding) => ({ ...holding })),
      this.service.store.revision,
    )
  }

  private spawnUser(lock: EtcdLockClient, plan: ClientPlan): void {
    const node = this.network.node(lock.node)
    const { sim, holdings } = this
    const within = this.options.acquireWithinMs
    node.spawn(
      (function* () {
        yield* node.sleepLocal(plan.startMs)
        for (let round = 0; round < (plan.rounds ?? 1); round++) {
          const lease = yield* lock.acquire(within === undefined ? Infinity : node.monotonicClock() + within)
          if (lease === null) continue
          const holding: { holder: string; from: number; to?: number; token: number } = {
            holder: lock.node,
            from: sim.now,
            token: lease.token,
          }
          holdings.push(holding)
          yield* node.sleepLocal(plan.holdMs)
          holding.to ??= sim.now
          yield* lock.release()
        }
      })(),
      "lock-user",
    )
  }
}
