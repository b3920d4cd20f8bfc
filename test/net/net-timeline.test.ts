/** The shared timeline words for fault events, and which network events count as faults. */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../src/kernel/index.ts"
import {
  applyFaultPlan,
  describeFaultEvent,
  isFaultEvent,
  isNetEvent,
  type NetEvent,
  Network,
} from "../../src/net/index.ts"

describe("describeFaultEvent", () => {
  it("tells every fault of a plan in one voice, in trace order", () => {
    const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
    const network = new Network(sim)
    for (const name of ["a", "b", "c"]) network.addNode(name)
    applyFaultPlan(sim, network, {
      faults: [
        { kind: "pause", node: "a", at: 10, durationMs: 5 },
        { kind: "partition", groups: [["b"]], at: 20, healAt: 30 },
        { kind: "crash", node: "c", at: 40, restartAt: 50 },
        { kind: "clock", node: "a", at: 60, skewMs: -250 },
        { kind: "clock", node: "b", at: 70, driftRate: -0.05 },
        { kind: "link", from: "a", at: 80, until: 90, dropProbability: 0.25, extraDelayMs: 3 },
      ],
    })
    sim.run()
    const lines = (sim.trace.records() as Traced<NetEvent>[])
      .filter(isFaultEvent)
      .map((r) => `${r.t} ${describeFaultEvent(r)}`)
    expect(lines).toEqual([
      "10 a PAUSED until t=15ms (a GC or VM stall: it does not know)",
      "15 a resumed, carrying on as if nothing happened",
      "20 PARTITION {b} | rest",
      "30 partition 1 healed",
      "40 c CRASHED",
      "50 c restarted",
      "60 a's clock jumps -250ms",
      "70 b's clock now runs 5% slow",
      "80 LINK FAULT a->*: drop 25%, +3ms delay",
      "90 link fault 1 stopped",
    ])
  })

  it("message and RPC events are network events but not faults", () => {
    const sent: NetEvent = { type: "MessageSent", id: 1, from: "a", to: "b", port: "main" }
    expect(isNetEvent(sent)).toBe(true)
    expect(isFaultEvent(sent)).toBe(false)
    expect(isNetEvent({ type: "LeaseGranted" })).toBe(false)
    expect(isFaultEvent({ type: "HealingStarted" })).toBe(true)
  })
})
