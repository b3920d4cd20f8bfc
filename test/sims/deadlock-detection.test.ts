import { describe, expect, it } from "vitest"
import deadlockDetection from "../../sims/deadlock-detection.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

const DEADLOCK = ["--request", "0,0,0:2,0,2:0,0,1:1,0,0:0,0,2"]
const RING = ["--available", "0,0,0", "--allocation", "1,0,0:0,1,0:0,0,1", "--request", "0,1,0:0,0,1:1,0,0"]

describeSim("deadlock-detection", {
  jsonArgs: ["--random-processes", "5"],
  badInputs: [
    { args: ["--available=-1,0,0"], stderr: "Available: counts must not be negative, got -1" },
    { args: ["--request", "0,0,0:2,0"], stderr: "Request: rows of different lengths: row P1 has 2 counts" },
    { args: ["--request", "0,0,0:2,0,2"], stderr: "--request has 2 rows, --allocation has 5" },
    {
      args: ["--request", "0,0,0:9,0,2:0,0,0:1,0,0:0,0,2"],
      stderr: "row P1: Allocation + Request (11,0,2) exceeds the Total (7,2,6) in A: 11 > 7",
    },
    { args: ["--recovery", "kill-all"], stderr: "bad value for --recovery" },
  ],
})

interface Report {
  metrics: {
    deadlocked: string[]
    order: string[]
    victims: string[]
    waitForGraph: { edges: string[]; cycle: string[] } | null
    recoveredOrder: string[]
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(deadlockDetection, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim deadlock-detection on Silberschatz's example", () => {
  it("finds no deadlock: order <P0, P2, P3, P4, P1>, no victims", async () => {
    const { metrics } = await report([])

    expect([metrics.deadlocked, metrics.order, metrics.victims, metrics.waitForGraph]).toEqual([
      [],
      ["P0", "P2", "P3", "P4", "P1"],
      [],
      null,
    ])
  })

  it("finds P1..P4 deadlocked once P2 asks for one more C; abort-one aborts P1, abort-all all four", async () => {
    const one = await report(DEADLOCK)
    const all = await report([...DEADLOCK, "--recovery", "abort-all"])
    const preempt = await report([...DEADLOCK, "--recovery", "preempt"])

    expect([one.metrics.deadlocked, one.metrics.order, one.metrics.victims]).toEqual([
      ["P1", "P2", "P3", "P4"],
      ["P0"],
      ["P1"],
    ])
    expect(one.metrics.recoveredOrder).toEqual(["P0", "P3", "P2", "P4"])
    expect(all.metrics.victims).toEqual(["P1", "P2", "P3", "P4"])
    expect(preempt.metrics.victims).toEqual(["P1"])
    expect(preempt.metrics.recoveredOrder).toEqual(["P1", "P0", "P3", "P2", "P4"])
  })

  it("draws the single-instance ring's wait-for graph and its cycle", async () => {
    const result = await report(RING)
    const run = await runCaptured(deadlockDetection, RING)

    expect(result.metrics.waitForGraph).toEqual({ edges: ["P0→P1", "P1→P2", "P2→P0"], cycle: ["P0", "P1", "P2"] })
    expect(result.checks.find((check) => check.name === "wait-for-cycle-iff-deadlock")?.held).toBe(true)
    expect(run.stdout).toContain("  ┌→ P0 → P1 → P2 ─┐\n  └────────────────┘\n")
  })
})
