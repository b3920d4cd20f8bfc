import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/index.ts"
import { type Envelope, isConnectionNotice, meanLatency, Network, uniformLatency } from "../../src/net/index.ts"

/** A client and a server on a network whose links take 2-6 ms (mean 4); the client logs what it hears. */
function setup(): { sim: Simulation; network: Network; heard: [number, string, unknown][] } {
  const sim = new Simulation({ seed: 1, trace: { hash: false } })
  const network = new Network(sim, { link: { latency: uniformLatency(2, 6) } })
  const client = network.addNode("client")
  const server = network.addNode("server")
  const heard: [number, string, unknown][] = []
  client.listen("p", (envelope: Envelope) => {
    const message = envelope.message
    heard.push([
      sim.now,
      isConnectionNotice(message) ? message.type : "message",
      isConnectionNotice(message) ? message.messageId : message,
    ])
  })
  server.listen("p", (envelope: Envelope) => void server.send(envelope.from, "pong", { port: "p" }))
  return { sim, network, heard }
}

describe("connection notices", () => {
  it("refuses an attempt to a down node after the mean latency back, drops the message, and draws nothing from the link", () => {
    const { sim, network, heard } = setup()
    network.node("server").crash()

    const id = network.send("client", "server", "ping", { port: "p", connection: true })
    sim.run({ until: 100 })

    expect(heard).toEqual([[4, "ConnectionRefused", id]])
    expect(network.droppedFor("node-down")).toBe(1)
    expect(network.stats.delivered).toBe(0)
  })

  it("opens a connection once (one ConnectionEstablished), then resets it when the server crashes", () => {
    const { sim, network, heard } = setup()
    const first = network.send("client", "server", "ping", { port: "p", connection: true })
    network.send("client", "server", "ping", { port: "p", connection: true })
    sim.run({ until: 50 })
    sim.timeout(0).onProcessed(() => network.node("server").crash())
    sim.run({ until: 100 })

    expect(heard.map(([, what]) => what)).toEqual(["ConnectionEstablished", "message", "message", "ConnectionReset"])
    expect(heard[0]).toEqual([4, "ConnectionEstablished", first])
    expect(heard[3]).toEqual([54, "ConnectionReset", -1])
  })

  it("reopens after a restart, and tells nothing through a partition or without { connection: true }", () => {
    const { sim, network, heard } = setup()
    network.send("client", "server", "ping", { port: "p" })
    network.node("server").crash()
    network.send("client", "server", "ping", { port: "p" })
    network.partition([["client"]])
    network.send("client", "server", "ping", { port: "p", connection: true })
    sim.run({ until: 50 })
    network.heal()
    network.node("server").restart()
    network.send("client", "server", "ping", { port: "p", connection: true })
    sim.run({ until: 100 })

    expect(heard.map(([, what]) => what)).toEqual(["ConnectionEstablished", "message"])
  })

  it("loses a notice to a client that is down", () => {
    const { sim, network, heard } = setup()
    network.node("server").crash()
    network.send("client", "server", "ping", { port: "p", connection: true })
    network.node("client").crash()
    sim.run({ until: 100 })

    expect(heard).toEqual([])
  })

  it("takes the mean of every plain latency, and 0 for a function", () => {
    expect([
      meanLatency({ kind: "constant", ms: 3 }),
      meanLatency(uniformLatency(2, 6)),
      meanLatency({ kind: "exponential", meanMs: 7 }),
    ]).toEqual([3, 4, 7])
    expect(meanLatency(() => 5)).toBe(0)
  })
})
