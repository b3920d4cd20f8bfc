/**
 * The single-instance Redis lock client against the simulated Redis over the network: exclusion
 * between contenders, fencing tokens in grant order, renewal, expiry by the client's own clock, a
 * pause longer than the TTL, release, and giving up at a deadline.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../../src/kernel/index.ts"
import { constantLatency, Network } from "../../../src/net/index.ts"
import { RedisClient, redisRpc, RedisService } from "../../../src/models/redis/index.ts"
import { type LockLease, RedisLockClient, type RedisLockClientOptions } from "../../../src/models/lock/index.ts"

interface Rig {
  sim: Simulation
  network: Network
  service: RedisService
  clients: RedisLockClient[]
  records: () => TraceRecord[]
}

/** A Redis node and `n` client nodes `c0..`, 1 ms apart. */
function rig(n: number, options: Omit<RedisLockClientOptions, "trace"> = {}): Rig {
  const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: constantLatency(1) } })
  network.addNode("redis")
  const rpc = redisRpc(network)
  const service = new RedisService(network, "redis", rpc, { trace: sim.trace })
  const clients = Array.from({ length: n }, (_, i) => {
    const node = network.addNode(`c${i}`)
    return new RedisLockClient(node, new RedisClient(rpc, node.name, "redis"), { trace: sim.trace, ...options })
  })
  const records = () => sim.trace.records().filter((r) => r.type.startsWith("Lock"))
  return { sim, network, service, clients, records }
}

function brief(records: TraceRecord[]): string[] {
  return records.map((r) => [r.t, r.type, r.client, r.token, r.reason].filter((x) => x !== undefined).join(" "))
}

describe("RedisLockClient", () => {
  it("grants the lock to one client, the other retries with backoff and gets the next token after release", () => {
    const { sim, network, clients, records } = rig(2, { ttlMs: 1000, renew: false })
    const leases: (LockLease | null)[] = []
    network.node("c0").spawn(
      (function* () {
        leases[0] = yield* clients[0]!.acquire()
        yield* network.node("c0").sleepLocal(100)
        yield* clients[0]!.release()
      })(),
    )
    network.node("c1").spawn(
      (function* () {
        leases[1] = yield* clients[1]!.acquire()
      })(),
    )
    sim.run({ until: 500 })
    // c0: SET at 0 (OK at 2), INCR (4), extend sent at 4 (back at 6): valid until 4 + 1000.
    expect(leases[0]).toEqual({ token: 1, validUntilMs: 1004 })
    // c1's SET at 0 reaches the server after c0's and is refused; it retries after 50 (refused: c0
    // releases at 107), then after 100: SET at 154 (OK), INCR, extend sent at 158: valid until 1158.
    expect(leases[1]).toEqual({ token: 2, validUntilMs: 1158 })
    expect(brief(records())).toEqual([
      "2 LockAttemptFailed c1 held by another client",
      "6 LockAcquired c0 1",
      "54 LockAttemptFailed c1 held by another client",
      "106 LockReleased c0 1",
      "160 LockAcquired c1 2",
    ])
  })

  it("renews every TTL/3 and keeps the lock across many TTLs; the contender never gets it", () => {
    const { sim, network, clients, records } = rig(2, { ttlMs: 300 })
    network.node("c0").spawn(clients[0]!.acquire())
    network.node("c1").spawn(
      (function* () {
        yield* network.node("c1").sleepLocal(10)
        return yield* clients[1]!.acquire(2000)
      })(),
    )
    sim.run({ until: 3000 })
    const types = records().map((r) => `${r.type} ${r.client}`)
    // Renewals sent at 104, 204, ..., 2904 (100 ms after the verifying extend sent at 4, then after each other).
    expect(types.filter((t) => t === "LockRenewed c0")).toHaveLength(29)
    expect(types).not.toContain("LockAcquired c1")
    expect(types).toContain("LockAcquireGaveUp c1")
    expect(clients[0]!.current()).toEqual({ token: 1, validUntilMs: 2904 + 300 })
  })

  it("without renewal the client stops believing exactly when its own clock passes the lease's end", () => {
    const { sim, network, clients, records } = rig(1, { ttlMs: 500, renew: false })
    network.node("c0").spawn(clients[0]!.acquire())
    sim.run({ until: 2000 })
    expect(brief(records())).toEqual(["6 LockAcquired c0 1", "504 LockBelievedLost c0 1 expired"])
    expect(clients[0]!.current()).toBeNull()
  })

  it("a client paused longer than the TTL believes it holds until it wakes; the other took the lock as soon as the key expired", () => {
    const { sim, network, clients, records } = rig(2, { ttlMs: 1000, retryDelayMs: 1, retryMaxDelayMs: 1 })
    network.node("c0").spawn(clients[0]!.acquire())
    network.node("c1").spawn(
      (function* () {
        yield* network.node("c1").sleepLocal(10)
        return yield* clients[1]!.acquire()
      })(),
    )
    sim.run({ until: 7 })
    network.node("c0").pause(2000)
    sim.run({ until: 3000 })
    const lines = brief(records()).filter((line) => !line.includes("AttemptFailed") && !line.includes("Renewed c1"))
    // c0's key was last extended at 5 (the verifying extend; the renewal due at 104 is frozen): gone
    // from 1006. c1 sends a SET every 3 ms from 10: the one arriving at 1007 wins; INCR, extend: 1012.
    expect(lines).toEqual(["6 LockAcquired c0 1", "1012 LockAcquired c1 2", "2007 LockBelievedLost c0 1 expired"])
  })

  it("a renewal refused by the server ends the belief at once", () => {
    const { sim, network, service, clients, records } = rig(1, { ttlMs: 600 })
    network.node("c0").spawn(clients[0]!.acquire())
    sim.run({ until: 100 })
    service.server.execute(["DEL", "lock"])
    sim.run({ until: 1000 })
    // TTL/3 = 200: the first renewal, sent at 204, finds the key gone and is answered 0 at 206.
    expect(brief(records())).toEqual(["6 LockAcquired c0 1", "206 LockBelievedLost c0 1 refused"])
  })

  it("gives up at its deadline and returns null", () => {
    const { sim, network, clients, records } = rig(2, { ttlMs: 10_000, retryDelayMs: 100, retryMaxDelayMs: 100 })
    network.node("c0").spawn(clients[0]!.acquire())
    let result: LockLease | null | undefined
    network.node("c1").spawn(
      (function* () {
        result = yield* clients[1]!.acquire(350)
      })(),
    )
    sim.run({ until: 1000 })
    expect(result).toBeNull()
    expect(
      records()
        .filter((r) => r.client === "c1")
        .map((r) => `${r.t} ${r.type}`),
    ).toEqual(["2 LockAttemptFailed", "104 LockAttemptFailed", "206 LockAttemptFailed", "308 LockAcquireGaveUp"])
  })
  it("a client delayed past the TTL between its SET and its INCR does not keep the later token: the verify refuses it", () => {
    const { sim, network, clients, records } = rig(2, {
      ttlMs: 1000,
      renew: false,
      retryDelayMs: 1,
      retryMaxDelayMs: 1,
    })
    network.node("c0").spawn(clients[0]!.acquire())
    network.node("c1").spawn(
      (function* () {
        yield* network.node("c1").sleepLocal(10)
        return yield* clients[1]!.acquire()
      })(),
    )
    sim.run({ until: 1 })
    network.node("c0").pause(2000) // c0's SET ran at 1 (key until 1001); its reply waits for the resume at 2001
    sim.run({ until: 2100 })
    const lines = brief(records()).filter((line) => !line.includes("c1 held by another"))
    // The key is gone from 1002; c1's SET arriving at 1004 wins, token 1, verified at 1009. c0 wakes
    // at 2001, INCRs (token 2) and its lock_extend finds c1's value: the attempt fails at 2005, and
    // its retry (at the server at 2007) is refused while c1's key lives (extended at 1008: until 2008).
    expect(lines.slice(0, 4)).toEqual([
      "1009 LockAcquired c1 1",
      "2005 LockAttemptFailed c0 the key expired before the token was verified",
      "2007 LockBelievedLost c1 1 expired",
      "2008 LockAttemptFailed c0 held by another client",
    ])
    // Once c1's key is gone, c0 acquires with token 3: token 2 was taken and discarded, tokens follow grant order.
    expect(lines.filter((line) => line.includes("LockAcquired c0"))).toEqual(["2015 LockAcquired c0 3"])
  })
})
