/**
 * The concurrency Mutex on a simulated etcd: contenders queue by create revision and each waits on
 * its predecessor only; a holder paused past its lease loses its key and the next waiter holds
 * with a higher token; the lock client matches the shared lock-client shape.
 */
import { describe, expect, it } from "vitest"
import { type Event, Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  type ClientPlan,
  type EtcdEvent,
  EtcdLockClient,
  EtcdLockScenario,
  type EtcdLockScenarioOptions,
} from "../../../src/models/etcd/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"

/** The lock-client shape of docs/etcd.md, copied here so the test checks the class against it structurally. */
interface LockLease {
  readonly token: number
  readonly validUntilMs: number
}
interface LockClient {
  readonly node: string
  acquire(deadlineMs?: number): Generator<Event<any>, LockLease | null, any>
  release(): Generator<Event<any>, void, any>
  current(): LockLease | null
}

/** Builds the scenario (its trace keeps every record); `run` returns each acquisition as [client, token, t]. */
function lockCluster(clients: readonly ClientPlan[], options: Partial<EtcdLockScenarioOptions> = {}) {
  const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
  const scenario = new EtcdLockScenario(sim, { durationMs: 0, ...options, clients })
  const acquisitions = () =>
    sim.trace
      .records()
      .map((record) => record as unknown as Traced<EtcdEvent>)
      .flatMap((r) => (r.type === "MutexAcquired" ? [[r.node, r.token, r.t, r.validUntilMs]] : []))
  return { sim, service: scenario.service, locks: scenario.locks, acquisitions }
}

function mutexSteps(records: readonly Traced[]): string[] {
  return records
    .map((record) => record as Traced<EtcdEvent>)
    .flatMap((r) => {
      if (r.type === "MutexWaiting") return [`t=${r.t} ${r.node} waits on ${r.predecessor}`]
      if (r.type === "MutexAcquired") return [`t=${r.t} ${r.node} holds ${r.key} token ${r.token}`]
      if (r.type === "KeyDeleted") return [`t=${r.t} ${r.key} deleted at revision ${r.revision} (${r.cause})`]
      if (r.type === "SessionExpired") return [`t=${r.t} ${r.node} session over (${r.reason})`]
      return []
    })
}

describe("EtcdMutex", () => {
  it("hands the lock to 3 contenders in create-revision order, each waiting on its own predecessor", () => {
    const { sim, acquisitions } = lockCluster([
      { startMs: 0, holdMs: 100 },
      { startMs: 10, holdMs: 100 },
      { startMs: 20, holdMs: 100 },
    ])

    sim.run({ until: 1000 })

    expect(acquisitions().map((a) => a.slice(0, 3))).toEqual([
      ["c0", 2, 4],
      ["c1", 3, 110],
      ["c2", 4, 216],
    ])
    expect(mutexSteps(sim.trace.records())).toEqual([
      "t=4 c0 holds lock/694d0001 token 2",
      "t=16 c1 waits on lock/694d0001",
      "t=26 c2 waits on lock/694d0002",
      "t=105 lock/694d0001 deleted at revision 5 (delete)",
      "t=110 c1 holds lock/694d0002 token 3",
      "t=211 lock/694d0002 deleted at revision 6 (delete)",
      "t=216 c2 holds lock/694d0003 token 4",
      "t=317 lock/694d0003 deleted at revision 7 (delete)",
    ])
  })

  it("lets the next waiter hold with a higher token when the holder is paused past its lease (TTL 2 s, pause 5 s)", () => {
    const { sim, acquisitions, locks } = lockCluster(
      [
        { startMs: 0, holdMs: 6000 },
        { startMs: 10, holdMs: 100 },
      ],
      { plan: { faults: [{ kind: "pause", node: "c0", at: 100, durationMs: 5000 }] } },
    )

    sim.run({ until: 4000 })
    const duringPause = locks[0]!.current()
    sim.run({ until: 5200 })

    expect(acquisitions()).toEqual([
      ["c0", 2, 4, 2002],
      ["c1", 3, 2505, 4018],
    ])
    expect(duringPause).toBeNull()
    expect(mutexSteps(sim.trace.records())).toEqual([
      "t=4 c0 holds lock/694d0001 token 2",
      "t=16 c1 waits on lock/694d0001",
      "t=2500 lock/694d0001 deleted at revision 4 (lease-expired)",
      "t=2505 c1 holds lock/694d0002 token 3",
      "t=2606 lock/694d0002 deleted at revision 5 (delete)",
      "t=5100 c0 session over (deadline-passed)",
    ])
  })

  it("keeps a holder's lease alive at TTL/3 for as long as it holds (TTL 3 s, held 10 s)", () => {
    const { sim, acquisitions } = lockCluster(
      [
        { startMs: 0, holdMs: 10_000 },
        { startMs: 10, holdMs: 100 },
      ],
      { minLeaseTtlMs: 1000, client: { ttlMs: 3000 } },
    )

    sim.run({ until: 12_000 })

    expect(acquisitions().map((a) => a.slice(0, 3))).toEqual([
      ["c0", 2, 4],
      ["c1", 3, 10_010],
    ])
    // Grant answered at t=2; each keep-alive is sent TTL/3 after the previous answer and takes 1 ms each way.
    const keptAlive = sim.trace.records().filter((r) => r.type === "LeaseKeptAlive" && r["client"] === "c0")
    expect(keptAlive.map((r) => Math.round(r.t))).toEqual([1003, 2005, 3007, 4009, 5011, 6013, 7015, 8017, 9019])
  })

  it("gives up at the deadline and revokes its lease, so its key leaves the queue", () => {
    const { sim, acquisitions, service } = lockCluster(
      [
        { startMs: 0, holdMs: 5000 },
        { startMs: 10, holdMs: 100 },
      ],
      { acquireWithinMs: 1000 },
    )

    sim.run({ until: 2000 })

    expect(acquisitions().map((a) => a[0])).toEqual(["c0"])
    expect(service.store.range({ key: "lock/", prefix: true }).kvs.map((kv) => kv.key)).toEqual(["lock/694d0001"])
    const abandoned = sim.trace.records().filter((r) => r.type === "MutexAbandoned")
    expect(abandoned.map((r) => [r["node"], r["reason"]])).toEqual([["c1", "deadline"]])
  })

  it("ends a holder's belief when it cannot renew across a partition, before the waiter gets the lock", () => {
    const sim = new Simulation({ seed: 1 })
    const plan: FaultPlan = { faults: [{ kind: "partition", groups: [["c0"], ["etcd", "c1"]], at: 100, healAt: 4000 }] }
    const clients = [
      { startMs: 0, holdMs: 5000 },
      { startMs: 10, holdMs: 100 },
    ]

    const result = new EtcdLockScenario(sim, { clients, durationMs: 8000, plan }).run()

    // Keep-alives unanswered from t=668.7, resent every 500 ms; at t=2168.7 the clock is past the 2002 deadline.
    expect(result.holdings).toEqual([
      { holder: "c0", from: 4, to: 2168 + 2 / 3, token: 2 },
      { holder: "c1", from: 2505, to: 2605, token: 3 },
    ])
  })

  it("keeps keys and leases across an etcd crash (data on disk): the holder renews after the restart", () => {
    const sim = new Simulation({ seed: 1 })
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "etcd", at: 100, restartAt: 1500 }] }
    const clients = [
      { startMs: 0, holdMs: 5000 },
      { startMs: 10, holdMs: 100 },
    ]

    const result = new EtcdLockScenario(sim, { clients, durationMs: 8000, plan }).run()

    // c1's watch died in the crash; it reads again after its watch wait and sees c0's key go at t=5005.
    expect(result.holdings).toEqual([
      { holder: "c0", from: 4, to: 5004, token: 2 },
      { holder: "c1", from: 5010, to: 5110, token: 3 },
    ])
  })

  it("matches the shared lock-client shape", () => {
    const { locks } = lockCluster([{ startMs: 0, holdMs: 1 }])

    const client: LockClient = locks[0]!

    expect(client).toBeInstanceOf(EtcdLockClient)
    expect([client.node, client.current()]).toEqual(["c0", null])
  })
})
