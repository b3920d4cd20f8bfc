/** The consumer-group scenario's wiring and metrics, on the one-broker stand-in. */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import { ConsumerGroupScenario, type ConsumerGroupScenarioOptions } from "../../../../src/models/kafka/group/index.ts"
import { FakeCluster } from "./fake-cluster.ts"

function run(options: ConsumerGroupScenarioOptions, seed = 1) {
  const sim = new Simulation({ seed, trace: { hash: false } })
  return new ConsumerGroupScenario(sim, { ...options, cluster: (s, topics) => new FakeCluster(s, topics) }).run()
}

const total = (s: { unownedPartitionMs: Readonly<Record<string, number>> }) =>
  Object.values(s.unownedPartitionMs).reduce((a, b) => a + b, 0)

const CHURN = { joins: [{ consumer: "c3", at: 30_000 }], crashes: [{ consumer: "c1", at: 60_000 }] }

describe("ConsumerGroupScenario", () => {
  it("a join and a crash under eager range: every consumer in the final assignment, both checks hold", () => {
    const result = run(CHURN)
    const summary = result.summary()
    expect(summary.assignment).toEqual({ c0: ["t0p0", "t0p1"], c1: [], c2: ["t0p2", "t0p3"], c3: ["t0p4", "t0p5"] })
    expect(summary.rebalances).toBe(3)
    expect(summary.assignmentHistory.map((h) => h.generation)).toEqual([1, 2, 3])
    expect(summary.assignmentHistory[0]!.assignment).toEqual({
      c0: ["t0p0", "t0p1"],
      c1: ["t0p2", "t0p3"],
      c2: ["t0p4", "t0p5"],
    })
    expect(Object.keys(summary.unownedPartitionMs)).toEqual(["t0p0", "t0p1", "t0p2", "t0p3", "t0p4", "t0p5"])
    expect(summary.stopTheWorldMs).toBeGreaterThan(0)
    expect(result.checks.map((c) => [c.name, c.held])).toEqual([
      ["one-owner-per-partition", true],
      ["no-concurrent-processing", true],
    ])
  })

  it("after a crash, cooperative + cooperative-sticky on the same seed leaves partitions unowned for less time", () => {
    const crash = { crashes: [{ consumer: "c1", at: 60_000 }] }
    const eager = run(crash).summary()
    const cooperative = run({ ...crash, assignor: "cooperative-sticky", protocol: "cooperative" }).summary()
    expect(total(cooperative)).toBeLessThan(total(eager))
    expect(eager.stopTheWorldMs).toBeGreaterThan(0)
    expect(cooperative.stopTheWorldMs).toBe(0)
  })

  it("a join under cooperative moves one partition in two rebalances: it waits about one heartbeat interval", () => {
    const join = { joins: [{ consumer: "c3", at: 30_000 }] }
    const cooperative = run({ ...join, assignor: "cooperative-sticky", protocol: "cooperative" }).summary()
    expect(cooperative.rebalances).toBe(3)
    const moved = Object.entries(cooperative.unownedPartitionMs).filter(([, ms]) => ms > 100)
    expect(moved.length).toBe(1)
    // Revoked right after generation 2's sync; the others learn of generation 3 at their next
    // heartbeat, a full interval after that sync, and rejoin at their next poll (a fetch waits up to 500 ms).
    expect(moved[0]![1]).toBeGreaterThan(2900)
    expect(moved[0]![1]).toBeLessThan(3600)
    expect(cooperative.stopTheWorldMs).toBe(0)
  })

  it("a pause longer than the session timeout breaks no-concurrent-processing, a shorter one does not", () => {
    const long = run({ pauses: [{ consumer: "c1", at: 20_000, durationMs: 50_000 }], durationMs: 90_000 })
    expect(long.checks.map((c) => c.held)).toEqual([true, false])
    const short = run({ pauses: [{ consumer: "c1", at: 20_000, durationMs: 30_000 }], durationMs: 90_000 })
    expect(short.checks.map((c) => c.held)).toEqual([true, true])
  })

  it("a static member restarting within the session timeout causes no rebalance", () => {
    const result = run({
      static: true,
      crashes: [{ consumer: "c1", at: 20_000 }],
      joins: [{ consumer: "c1", at: 30_000 }],
      durationMs: 60_000,
    })
    expect(result.summary().rebalances).toBe(1)
    expect(result.summary().assignment.c1).toEqual(["t0p2", "t0p3"])
    expect(result.checks.map((c) => c.held)).toEqual([true, true])
  })

  it("a clean leave: LeaveGroup, an immediate rebalance, and a comeback", () => {
    const result = run({
      leaves: [{ consumer: "c2", at: 20_000 }],
      joins: [{ consumer: "c2", at: 40_000 }],
      durationMs: 60_000,
    })
    expect(result.summary().rebalances).toBe(3)
    expect(result.summary().assignment).toEqual({ c0: ["t0p0", "t0p1"], c1: ["t0p2", "t0p3"], c2: ["t0p4", "t0p5"] })
  })
})
