import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../src/kernel/index.ts"
import { type Envelope, Network, type NetworkOptions, uniformLatency } from "../../src/net/index.ts"

function setup(options: NetworkOptions = { link: { latency: 10 } }, seed = 1): { sim: Simulation; network: Network } {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  return { sim, network: new Network(sim, options) }
}

/** Records every message the node receives on its main port as [time, payload]. */
function collect(sim: Simulation, network: Network, name: string): [number, unknown][] {
  const node = network.hasNode(name) ? network.node(name) : network.addNode(name)
  const received: [number, unknown][] = []
  node.spawn(
    (function* () {
      for (;;) {
        const envelope: Envelope = yield* node.receive()
        received.push([sim.now, envelope.message])
      }
    })(),
    "collector",
  )
  return received
}

function ofType(sim: Simulation, type: string): TraceRecord[] {
  return sim.trace.records().filter((record) => record.type === type)
}

describe("Network delivery", () => {
  it("delivers after the link's constant latency, in send order", () => {
    const { sim, network } = setup()
    network.addNode("a")
    const received = collect(sim, network, "b")
    network.send("a", "b", 1)
    network.send("a", "b", 2)
    sim.timeout(5).onProcessed(() => network.send("a", "b", 3))

    sim.run()

    expect(received).toEqual([
      [10, 1],
      [10, 2],
      [15, 3],
    ])
    expect(network.stats).toEqual({ sent: 3, delivered: 3, dropped: 0, duplicated: 0, held: 0 })
    expect(sim.metrics.counter("net_messages_delivered_total", "Message deliveries, duplicates included.").value).toBe(
      3,
    )
  })

  it("uses per-link latency overrides in one direction only", () => {
    const { sim, network } = setup()
    const a = collect(sim, network, "a")
    const b = collect(sim, network, "b")
    network.setLink("a", "b", { latency: 50 })

    network.send("a", "b", "slow")
    network.send("b", "a", "fast")
    sim.run()

    expect(b).toEqual([[50, "slow"]])
    expect(a).toEqual([[10, "fast"]])
  })

  it("keeps FIFO order on a link with random latency unless reorder is on", () => {
    const sendMany = (reorder: boolean): unknown[] => {
      const { sim, network } = setup({ link: { latency: uniformLatency(1, 100), reorder } }, 7)
      network.addNode("a")
      const received = collect(sim, network, "b")
      for (let i = 0; i < 50; i++) sim.timeout(i).onProcessed(() => network.send("a", "b", i))
      sim.run()
      return received.map(([, message]) => message)
    }

    const fifo = sendMany(false)
    const reordered = sendMany(true)

    const inOrder = Array.from({ length: 50 }, (_, i) => i)
    expect(fifo).toEqual(inOrder)
    expect(reordered).not.toEqual(inOrder)
    expect([...reordered].sort((x, y) => (x as number) - (y as number))).toEqual(inOrder)
  })

  it("drops a message with the link's drop probability and duplicates one with its duplicate probability", () => {
    const { sim, network } = setup({ link: { latency: 10, dropProbability: 0.3, duplicateProbability: 0.2 } }, 3)
    network.addNode("a")
    const received = collect(sim, network, "b")
    for (let i = 0; i < 1000; i++) network.send("a", "b", i)

    sim.run()

    const { sent, delivered, dropped, duplicated } = network.stats
    expect(sent).toBe(1000)
    expect(dropped).toBeGreaterThan(250)
    expect(dropped).toBeLessThan(350)
    expect(duplicated).toBeGreaterThan(100)
    expect(duplicated).toBeLessThan(180)
    expect(delivered).toBe(sent - dropped + duplicated)
    expect(received.length).toBe(delivered)
    expect(network.droppedFor("loss")).toBe(dropped)
  })

  it("draws each link from its own stream, so adding a node does not change another link's draws", () => {
    const latencies = (extraNode: boolean): number[] => {
      const { sim, network } = setup({ link: { latency: uniformLatency(1, 100), reorder: true } }, 11)
      network.addNode("a")
      const received = collect(sim, network, "b")
      if (extraNode) {
        network.addNode("c")
        for (let i = 0; i < 10; i++) network.send("a", "c", i)
      }
      for (let i = 0; i < 10; i++) network.send("a", "b", i)
      sim.run()
      return received.map(([t]) => t)
    }

    expect(latencies(true)).toEqual(latencies(false))
  })

  it("loses a message sent by a down node", () => {
    const { sim, network } = setup()
    network.addNode("a").crash()
    const received = collect(sim, network, "b")

    network.send("a", "b", "from the grave")
    sim.run()

    expect(received).toEqual([])
    expect(ofType(sim, "MessageDropped")).toMatchObject([{ t: 0, reason: "sender-down" }])
  })

  it("refuses unknown nodes, bad names and bad link options with a message naming them", () => {
    const { network } = setup()
    network.addNode("a")

    expect(() => network.send("a", "zz", 1)).toThrow(/unknown node "zz"; nodes: a/)
    expect(() => network.addNode("a")).toThrow(/already a node named a/)
    expect(() => network.addNode("a b")).toThrow(/node name/)
    expect(() => network.setLink("a", "a", { dropProbability: 2 })).toThrow(
      /link a->a: dropProbability must be a probability/,
    )
    expect(() => network.setLink("a", "a", { latency: -1 })).toThrow(/latency ms must be a finite number >= 0, got -1/)
  })
})

describe("Network partitions", () => {
  it("loses a message sent into a symmetric partition, in both directions, until it heals", () => {
    const { sim, network } = setup()
    const a = collect(sim, network, "a")
    const b = collect(sim, network, "b")
    network.partition([["a"], ["b"]], { at: 100, healAt: 200 })
    for (const t of [50, 150, 250]) {
      sim.timeout(t).onProcessed(() => {
        network.send("a", "b", `a${t}`)
        network.send("b", "a", `b${t}`)
      })
    }

    sim.run()

    expect(b).toEqual([
      [60, "a50"],
      [260, "a250"],
    ])
    expect(a).toEqual([
      [60, "b50"],
      [260, "b250"],
    ])
    expect(ofType(sim, "MessageDropped")).toMatchObject([
      { t: 150, from: "a", to: "b", reason: "partition" },
      { t: 150, from: "b", to: "a", reason: "partition" },
    ])
    expect(ofType(sim, "PartitionStarted")).toMatchObject([{ t: 100, groups: [["a"], ["b"]], oneWay: false }])
    expect(ofType(sim, "PartitionHealed")).toMatchObject([{ t: 200 }])
  })

  it("loses a message in flight when a partition starts before it arrives", () => {
    const { sim, network } = setup()
    network.addNode("a")
    const b = collect(sim, network, "b")
    network.send("a", "b", "in flight")
    network.partition([["a"], ["b"]], { at: 5, healAt: 50 })

    sim.run()

    expect(b).toEqual([])
    expect(ofType(sim, "MessageDropped")).toMatchObject([{ t: 10, reason: "partition" }])
  })

  it("cuts only a->b in a one-way partition while b->a still flows", () => {
    const { sim, network } = setup()
    const a = collect(sim, network, "a")
    const b = collect(sim, network, "b")
    network.partition([["a"], ["b"]], { oneWay: true })

    network.send("a", "b", "blocked")
    network.send("b", "a", "flows")
    sim.run()

    expect(b).toEqual([])
    expect(a).toEqual([[10, "flows"]])
    expect(network.isCut("a", "b")).toBe(true)
    expect(network.isCut("b", "a")).toBe(false)
  })

  it("lets nodes of the same group talk and puts nodes in no group together", () => {
    const { network } = setup()
    for (const name of ["a", "b", "c", "d", "e"]) network.addNode(name)

    network.partition([["a", "b"], ["c"]])

    expect(network.isCut("a", "b")).toBe(false)
    expect(network.isCut("a", "c")).toBe(true)
    expect(network.isCut("c", "d")).toBe(true)
    expect(network.isCut("a", "d")).toBe(true)
    expect(network.isCut("d", "e")).toBe(false)
    expect(network.isCut("c", "c")).toBe(false)
  })

  it("holds messages for a partition and delivers them at heal in hold mode", () => {
    const { sim, network } = setup({ link: { latency: 10 }, partitionMode: "hold" })
    network.addNode("a")
    const b = collect(sim, network, "b")
    const partition = network.partition([["a"], ["b"]], { at: 100 })
    sim.timeout(120).onProcessed(() => network.send("a", "b", "first"))
    sim.timeout(130).onProcessed(() => network.send("a", "b", "second"))
    sim.timeout(300).onProcessed(() => partition.heal())

    sim.run()

    expect(b).toEqual([
      [300, "first"],
      [300, "second"],
    ])
    expect(ofType(sim, "MessageHeld").map((r) => r.t)).toEqual([130, 140])
    expect(network.stats.held).toBe(0)
  })

  it("refuses a node in two groups and a heal time before the start", () => {
    const { network } = setup()
    network.addNode("a")
    network.addNode("b")

    expect(() => network.partition([["a"], ["a", "b"]])).toThrow(/node a is in two groups/)
    expect(() => network.partition([["a"]], { at: 10, healAt: 10 })).toThrow(/healAt 10 must be after its start 10/)
  })
})

describe("Network link faults", () => {
  it("adds extra delay, drops and duplicates on matching links only while active", () => {
    const { sim, network } = setup()
    network.addNode("a")
    const b = collect(sim, network, "b")
    const c = collect(sim, network, "c")
    network.addLinkFault({ from: "a", to: "b", extraDelayMs: 40, duplicateProbability: 1, at: 100, until: 200 })
    for (const t of [50, 150, 250]) {
      sim.timeout(t).onProcessed(() => {
        network.send("a", "b", `b${t}`)
        network.send("a", "c", `c${t}`)
      })
    }

    sim.run()

    expect(b).toEqual([
      [60, "b50"],
      [200, "b150"],
      [200, "b150"],
      [260, "b250"],
    ])
    expect(c).toEqual([
      [60, "c50"],
      [160, "c150"],
      [260, "c250"],
    ])
    expect(ofType(sim, "LinkFaultStarted")).toMatchObject([{ t: 100, from: "a", to: "b", extraDelayMs: 40 }])
    expect(ofType(sim, "LinkFaultStopped")).toMatchObject([{ t: 200 }])
  })

  it("drops every message of a link fault with drop probability 1 and none after it stops", () => {
    const { sim, network } = setup()
    network.addNode("a")
    const b = collect(sim, network, "b")
    const fault = network.addLinkFault({ to: "b", dropProbability: 1 })
    network.send("a", "b", "lost")
    sim.timeout(20).onProcessed(() => fault.stop())
    sim.timeout(30).onProcessed(() => network.send("a", "b", "kept"))

    sim.run()

    expect(b).toEqual([[40, "kept"]])
    expect(network.droppedFor("loss")).toBe(1)
  })
})
