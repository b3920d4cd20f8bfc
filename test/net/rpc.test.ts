import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../src/kernel/index.ts"
import { Network, type NodeOptions, Rpc, type RpcOutcome } from "../../src/net/index.ts"

interface Fixture {
  sim: Simulation
  network: Network
  rpc: Rpc
}

function setup(callerOptions: NodeOptions = {}): Fixture {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: 10 } })
  network.addNode("a", callerOptions)
  network.addNode("b")
  return { sim, network, rpc: new Rpc(network) }
}

/** Calls b from a at `startMs`; the result lands in the returned array with its time. */
function callFromA(
  { sim, network, rpc }: Fixture,
  request: unknown,
  options: Parameters<Rpc["call"]>[3],
  startMs = 0,
): [number, RpcOutcome<unknown>][] {
  const results: [number, RpcOutcome<unknown>][] = []
  const a = network.node("a")
  a.spawn(
    (function* () {
      yield* sim.sleep(startMs)
      const outcome = yield* rpc.call("a", "b", request, options)
      results.push([sim.now, outcome])
    })(),
    "caller",
  )
  return results
}

function ofType(sim: Simulation, type: string): TraceRecord[] {
  return sim.trace.records().filter((record) => record.type === type)
}

describe("Rpc", () => {
  it("returns the server's response after one round trip", () => {
    const fixture = setup()
    fixture.rpc.serve<number, number>("b", (n) => n * 2)

    const results = callFromA(fixture, 21, { timeoutMs: 100 })
    fixture.sim.run()

    expect(results).toEqual([[20, { ok: true, response: 42, attempts: 1 }]])
  })

  it("retries after each timeout plus backoff and gives up at t0 + (R+1)T + R·B", () => {
    const fixture = setup()
    fixture.rpc.serve("b", () => "never seen")
    fixture.network.node("b").crash()

    const results = callFromA(fixture, "ping", { timeoutMs: 100, retries: 2, backoffMs: 50 }, 5)
    fixture.sim.run()

    expect(results).toEqual([[405, { ok: false, reason: "timeout", attempts: 3 }]])
    expect(ofType(fixture.sim, "MessageSent").map((r) => r.t)).toEqual([5, 155, 305])
  })

  it("doubles the backoff with a multiplier of 2", () => {
    const fixture = setup()
    fixture.network.node("b").crash()

    const results = callFromA(fixture, "ping", { timeoutMs: 10, retries: 3, backoffMs: 5, backoffMultiplier: 2 })
    fixture.sim.run()

    // sends at 0, 10+5=15, 25+10=35, 45+20=65; gives up at 75
    expect(ofType(fixture.sim, "MessageSent").map((r) => r.t)).toEqual([0, 15, 35, 65])
    expect(results.map(([t]) => t)).toEqual([75])
  })

  it("succeeds on the retry when the first request was lost", () => {
    const fixture = setup()
    fixture.rpc.serve("b", (request: string) => `re: ${request}`)
    fixture.network.addLinkFault({ from: "a", to: "b", dropProbability: 1, until: 50 })

    const results = callFromA(fixture, "hello", { timeoutMs: 100, retries: 1 })
    fixture.sim.run()

    expect(results).toEqual([[120, { ok: true, response: "re: hello", attempts: 2 }]])
  })

  it("accepts a late reply to an earlier attempt and ignores the reply to the later one", () => {
    const fixture = setup()
    const { sim } = fixture
    let handled = 0
    fixture.rpc.serve("b", (_request: unknown, context) =>
      (function* () {
        handled++
        if (context.attempt === 1) yield* sim.sleep(150)
        return `answer to attempt ${context.attempt}`
      })(),
    )

    const results = callFromA(fixture, "slow", { timeoutMs: 100, retries: 1 })
    sim.run()

    expect(results).toEqual([[170, { ok: true, response: "answer to attempt 1", attempts: 2 }]])
    expect(handled).toBe(2)
    expect(ofType(sim, "RpcReplyIgnored")).toMatchObject([{ t: 170, attempt: 2, node: "a" }])
  })

  it("ignores a duplicated reply", () => {
    const fixture = setup()
    fixture.rpc.serve("b", () => "once")
    fixture.network.setLink("b", "a", { duplicateProbability: 1 })

    const results = callFromA(fixture, "x", { timeoutMs: 100 })
    fixture.sim.run()

    expect(results).toEqual([[20, { ok: true, response: "once", attempts: 1 }]])
    expect(ofType(fixture.sim, "RpcReplyIgnored")).toHaveLength(1)
    expect(ofType(fixture.sim, "RpcReturned")).toHaveLength(1)
  })

  it("serves again after the server node restarts", () => {
    const fixture = setup()
    const { sim, network } = fixture
    fixture.rpc.serve("b", () => "up")
    sim.timeout(1).onProcessed(() => network.node("b").crash())
    sim.timeout(200).onProcessed(() => network.node("b").restart())

    const during = callFromA(fixture, "x", { timeoutMs: 100 }, 50)
    const after = callFromA(fixture, "y", { timeoutMs: 100 }, 300)
    sim.run()

    expect(during).toEqual([[150, { ok: false, reason: "timeout", attempts: 1 }]])
    expect(after).toEqual([[320, { ok: true, response: "up", attempts: 1 }]])
  })

  it("measures the timeout on the caller's clock", () => {
    const fixture = setup({ driftRate: 1 })
    fixture.network.node("b").crash()

    const results = callFromA(fixture, "x", { timeoutMs: 100 })
    fixture.sim.run()

    expect(results.map(([t]) => t)).toEqual([50])
  })

  it("forgets a caller's pending calls when the caller crashes, so a reply after its restart is ignored", () => {
    const fixture = setup()
    const { sim, network } = fixture
    fixture.rpc.serve("b", () =>
      (function* () {
        yield* sim.sleep(30)
        return "late"
      })(),
    )

    const results = callFromA(fixture, "x", { timeoutMs: 100 })
    sim.timeout(20).onProcessed(() => network.node("a").crash())
    sim.timeout(25).onProcessed(() => network.node("a").restart())
    sim.run()

    expect(results).toEqual([])
    expect(ofType(sim, "RpcReplyIgnored")).toMatchObject([{ t: 50, node: "a" }])
  })

  it("handles requests in parallel when asked to", () => {
    const fixture = setup()
    const { sim, network } = fixture
    fixture.rpc.serve(
      "b",
      () =>
        (function* () {
          yield* sim.sleep(100)
          return "done"
        })(),
      { parallel: true },
    )
    const first = callFromA(fixture, 1, { timeoutMs: 500 })
    network.addNode("c")
    const second: number[] = []
    network.node("c").spawn(
      (function* () {
        yield* fixture.rpc.call("c", "b", 2, { timeoutMs: 500 })
        second.push(sim.now)
      })(),
      "caller",
    )

    sim.run()

    expect(first.map(([t]) => t)).toEqual([120])
    expect(second).toEqual([120])
  })

  it("refuses bad call options", () => {
    const fixture = setup()
    const results: unknown[] = []
    fixture.network.node("a").spawn(
      (function* () {
        try {
          yield* fixture.rpc.call("a", "b", 1, { retries: -1 })
        } catch (error) {
          results.push((error as Error).message)
        }
      })(),
      "caller",
    )

    fixture.sim.run()

    expect(results).toEqual(["rpc call: retries must be an integer >= 0, got -1"])
  })
})
