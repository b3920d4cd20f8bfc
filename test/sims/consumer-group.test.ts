import { describe, expect, it } from "vitest"
import consumerGroup from "../../sims/consumer-group.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("consumer-group", {
  // Half the bare run's rate keeps its story (a join, a crash, three generations) at half the
  // records: each consumer reacts to every new batch (Kafka's fetching), so the full rate's trace
  // runs take most of a minute on a loaded machine.
  jsonArgs: ["--rate", "100"],
  badInputs: [
    { args: ["--crash-at", "c9@100"], stderr: "--crash-at c9@100" },
    { args: ["--crash-at", "c9@100"], stderr: "may name c0..c<n-1> (n = --consumers)" },
    {
      args: ["--protocol", "cooperative", "--assignor", "range"],
      stderr: "the cooperative protocol requires a cooperative assignor; allowed: --assignor cooperative-sticky",
    },
    {
      args: ["--crash-at", "c1@-5"],
      stderr: "bad value for --crash-at c1@-5: a comma list of c<i>@<ms> with times >= 0",
    },
    { args: ["--pause-at", "c1@100+0"], stderr: "a pause lasts > 0 ms" },
    { args: ["--join-at", "c0@100"], stderr: "--join-at names a new consumer or one that left or crashed before" },
    { args: ["--topics", "t0:x"], stderr: "bad value for --topics t0:x" },
    { args: ["--heartbeat-ms", "50000"], stderr: "allowed: --heartbeat-ms below --session-timeout-ms" },
    { args: ["--faults", '{"faults":[{"kind":"crash","node":"zz","at":1}]}'], stderr: 'node is "zz", an unknown node' },
  ],
})

interface Report {
  metrics: {
    assignment: Record<string, string[]>
    rebalances: number
    assignmentHistory: { t: number; generation: number; assignment: Record<string, string[]> }[]
    unownedPartitionMs: Record<string, number>
    stopTheWorldMs: number
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(consumerGroup, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

const total = (r: Report) => Object.values(r.metrics.unownedPartitionMs).reduce((a, b) => a + b, 0)
const interrupted = (r: Report) => Object.values(r.metrics.unownedPartitionMs).filter((ms) => ms > 0).length

describe("sim consumer-group lessons", () => {
  it("a bare run shows a join and a crash: three generations, every consumer in the final assignment", async () => {
    const r = await report([])
    expect(r.metrics.assignment).toEqual({ c0: ["t0p0", "t0p1"], c1: [], c2: ["t0p2", "t0p3"], c3: ["t0p4", "t0p5"] })
    expect(r.metrics.rebalances).toBe(3)
    expect(r.metrics.assignmentHistory.map((h) => Object.keys(h.assignment).sort())).toEqual([
      ["c0", "c1", "c2"],
      ["c0", "c1", "c2", "c3"],
      ["c0", "c2", "c3"],
    ])
    expect(r.metrics.stopTheWorldMs).toBeGreaterThan(0)
    expect(r.checks.map((c) => c.held)).toEqual([true, true])
  })

  it("cooperative + cooperative-sticky on the same seed: no stop-the-world, and fewer partitions ever interrupted", async () => {
    const eager = await report([])
    const cooperative = await report(["--protocol", "cooperative", "--assignor", "cooperative-sticky"])
    expect(cooperative.metrics.stopTheWorldMs).toBe(0)
    expect(interrupted(cooperative)).toBeLessThan(interrupted(eager))
    // Measured, not wished: the moved partitions wait a heartbeat interval for the second
    // rebalance, so the summed unowned time is not lower than eager's on this seed.
    expect(total(eager)).toBeLessThan(total(cooperative))
    expect(cooperative.metrics.rebalances).toBe(4)
  })

  it("a pause longer than the session timeout makes a zombie: no-concurrent-processing fails", async () => {
    const r = await report([
      "--pause-at",
      "c1@20000+50000",
      "--join-at",
      "none",
      "--crash-at",
      "none",
      "--processing-ms",
      "10",
    ])
    expect(r.checks.map((c) => [c.name, c.held])).toEqual([
      ["one-owner-per-partition", true],
      ["no-concurrent-processing", false],
    ])
  })

  it("a static member back within the session timeout keeps its partitions without a rebalance", async () => {
    const r = await report(["--static", "--crash-at", "c1@60000", "--join-at", "c1@70000"])
    expect(r.metrics.rebalances).toBe(1)
    expect(r.metrics.assignment).toEqual({ c0: ["t0p0", "t0p1"], c1: ["t0p2", "t0p3"], c2: ["t0p4", "t0p5"] })
  })
})
