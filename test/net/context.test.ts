/**
 * The model's view of a node and a network (NodeContext, NetworkContext) against the injector's
 * and observer's view (Node, Network): sending from a node, and the members the context leaves out
 * (checked by the type checker through `@ts-expect-error`, which fails `npm test`'s tsc when a
 * control leaks into the context).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/index.ts"
import { type Envelope, Network, Node, type NetworkContext, type NodeContext } from "../../src/net/index.ts"

describe("NodeContext and NetworkContext", () => {
  it("a node sends over its network: node.send(to, message) is network.send(node.name, to, message)", () => {
    const sim = new Simulation({ seed: 1 })
    const network = new Network(sim, { link: { latency: 2 } })
    const a: NodeContext = network.addNode("a")
    const b: NodeContext = network.addNode("b")
    const got: [number, Envelope][] = []
    b.spawn(
      (function* () {
        const envelope = yield* b.receive("jobs")
        got.push([sim.now, envelope])
      })(),
    )
    const id = a.send("b", { job: 1 }, { port: "jobs" })
    sim.run()
    expect(got).toEqual([[2, { id, from: "a", to: "b", port: "jobs", sentAt: 0, message: { job: 1 } }]])
  })

  it("a node made outside a network cannot send, and says why", () => {
    const node = new Node(new Simulation(), "lonely")
    expect(() => node.send("b", "hi")).toThrow("node lonely is not on a network: create it with network.addNode")
  })

  it("the contexts leave out the faults and the observer's view", () => {
    const sim = new Simulation()
    const network = new Network(sim)
    network.addNode("a")
    const context: NetworkContext = network
    const node = context.node("a")
    // @ts-expect-error a model cannot crash a node
    expect(typeof node.crash).toBe("function")
    // @ts-expect-error nor see whether a node is up
    expect(node.isUp).toBe(true)
    // @ts-expect-error nor pause one
    void node.pause
    // @ts-expect-error nor skew a clock
    void node.skewClock
    // @ts-expect-error nor learn that it was paused
    void node.lastResumedAt
    // @ts-expect-error nor see where the network is cut
    void context.isCut
    // @ts-expect-error nor cut it
    void context.partition
    // @ts-expect-error nor change a link
    void context.setLink
  })
})
