/**
 * Test wiring: one etcd node and N lock clients (`c0`, `c1`, ...) on a network with 1 ms links,
 * each client acquiring at its start time, holding for a while, and releasing; what each
 * acquisition got is collected in order.
 */
import { Simulation } from "../../../src/kernel/index.ts"
import { EtcdLockClient, type EtcdLockClientOptions, etcdRpc, EtcdService } from "../../../src/models/etcd/index.ts"
import { applyFaultPlan, type FaultPlan, Network, NO_FAULTS } from "../../../src/net/index.ts"

/** One client's plan: when it starts trying, and how long it holds once it has the lock. */
export interface ClientPlan {
  readonly startMs: number
  readonly holdMs: number
  /** Acquire, hold, release this many times. Default 1. */
  readonly rounds?: number
}

/** An acquisition as the client saw it. */
export interface Acquisition {
  readonly node: string
  readonly token: number
  /** Simulated time of the acquisition, in ms. */
  readonly t: number
  readonly validUntilMs: number
}

/** Options of {@link lockCluster}. */
export interface LockClusterOptions {
  readonly seed?: number
  readonly minLeaseTtlMs?: number
  readonly plan?: FaultPlan
  readonly client?: Partial<Omit<EtcdLockClientOptions, "server" | "trace">>
  /** Each client gives up an attempt this long after starting it, on its clock. Default: never. */
  readonly acquireWithinMs?: number
}

/** Builds the cluster and the client processes; run `sim` afterwards. */
export function lockCluster(plans: readonly ClientPlan[], options: LockClusterOptions = {}) {
  const sim = new Simulation({ seed: options.seed ?? 1, trace: { keep: Infinity } })
  const network = new Network(sim)
  network.addNode("etcd")
  const names = plans.map((_, index) => `c${index}`)
  for (const name of names) network.addNode(name)
  const rpc = etcdRpc(network)
  const service = new EtcdService(network, "etcd", rpc, {
    trace: sim.trace,
    ...(options.minLeaseTtlMs === undefined ? {} : { minLeaseTtlMs: options.minLeaseTtlMs }),
  })
  const acquisitions: Acquisition[] = []
  const locks = names.map(
    (name) => new EtcdLockClient(network, rpc, name, { server: "etcd", trace: sim.trace, ...options.client }),
  )
  plans.forEach((plan, index) => {
    const lock = locks[index]!
    const node = network.node(lock.node)
    node.spawn(
      (function* () {
        yield* node.sleepLocal(plan.startMs)
        for (let round = 0; round < (plan.rounds ?? 1); round++) {
          const within = options.acquireWithinMs
          const lease = yield* lock.acquire(within === undefined ? Infinity : node.monotonicClock() + within)
          if (lease !== null) {
            acquisitions.push({ node: lock.node, token: lease.token, t: sim.now, validUntilMs: lease.validUntilMs })
            yield* node.sleepLocal(plan.holdMs)
            yield* lock.release()
          }
        }
      })(),
      "lock-user",
    )
  })
  applyFaultPlan(sim, network, options.plan ?? NO_FAULTS)
  return { sim, network, service, locks, acquisitions }
}
