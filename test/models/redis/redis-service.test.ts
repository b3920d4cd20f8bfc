/**
 * The Redis service on a simulated node: a command the network delivers twice (its duplication
 * fault) runs once, as on a TCP connection, and the copy is answered with the first reply.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  type CommandExecuted,
  type CommandOutcome,
  RedisClient,
  redisRpc,
  RedisService,
} from "../../../src/models/redis/index.ts"
import { applyFaultPlan, jitteredLatency, Network } from "../../../src/net/index.ts"

/** Three commands over a link that duplicates every message: the outcomes and the commands Redis ran. */
function duplicatedRun(duplicateWindow?: number) {
  const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: jitteredLatency(2) } })
  network.addNode("redis")
  network.addNode("app")
  const rpc = redisRpc(network)
  new RedisService(network, "redis", rpc, {
    trace: sim.trace,
    ...(duplicateWindow === undefined ? {} : { duplicateWindow }),
  })
  applyFaultPlan(sim, network, { faults: [{ kind: "link", at: 0, duplicateProbability: 1 }] })
  const client = new RedisClient(rpc, "app", "redis")
  const outcomes: CommandOutcome[] = []
  const app = network.node("app")
  app.spawn(
    (function* () {
      yield* app.sleepLocal(1) // after the link fault has begun at t=0
      for (const argv of [
        ["INCR", "k"],
        ["INCR", "k"],
        ["GET", "k"],
      ])
        outcomes.push(yield* client.call(argv))
    })(),
  )
  sim.run({ until: 100 })
  const records = sim.trace.records()
  const executed = records.filter((r) => r.type === "CommandExecuted") as unknown as Traced<CommandExecuted>[]
  return { outcomes, records, ran: executed.map((record) => record.argv.join(" ")) }
}

describe("RedisService", () => {
  it("runs a duplicated request once and answers the copy with the first reply", () => {
    const { outcomes, records, ran } = duplicatedRun()

    expect(outcomes).toEqual([
      { ok: true, reply: { integer: 1 } },
      { ok: true, reply: { integer: 2 } },
      { ok: true, reply: { bulk: "2" } },
    ])
    expect(records.filter((record) => record.type === "MessageDuplicated").length).toBeGreaterThanOrEqual(3)
    expect(ran).toEqual(["INCR k", "INCR k", "GET k"])
  })

  it("runs a copy again once its call has left the window of kept replies (duplicateWindow 0)", () => {
    const { ran } = duplicatedRun(0)

    expect(ran).toEqual(["INCR k", "INCR k", "INCR k", "INCR k", "GET k", "GET k"])
  })

  it("rejects a window that is not an integer >= 0", () => {
    expect(() => duplicatedRun(-1)).toThrow("redis on redis: duplicateWindow must be an integer >= 0, got -1")
  })
})
