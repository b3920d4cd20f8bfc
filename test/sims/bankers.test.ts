import { describe, expect, it } from "vitest"
import bankers from "../../sims/bankers.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("bankers", {
  jsonArgs: ["--random-processes", "5"],
  badInputs: [
    {
      args: ["--available=3,-3,2"],
      stderr: "bad value for --available 3,-3,2: Available: counts must not be negative, got -3",
    },
    { args: ["--max", "7,5,3:3,2"], stderr: "Max: rows of different lengths: row P1 has 2 counts, row P0 has 3" },
    {
      args: ["--allocation", "0,1,0:2,0,0:3,0,3:2,1,1:0,0,2"],
      stderr: "Allocation > Max in row P2: --allocation 3,0,3 exceeds --max 9,0,2 (C: 3 > 2)",
    },
    {
      args: ["--requests", "P7=1,0,0"],
      stderr: "unknown process P7 in --requests (the snapshot has P0 to P4)",
    },
    { args: ["--requests", "X1=1,0,0"], stderr: '"X1=1,0,0" is not a request' },
    { args: ["--available", "3,3"], stderr: "row P0 of --allocation has 3 counts, --available has 2" },
    { args: ["--max", "7,5,3:3,2,2"], stderr: "--max has 2 rows, --allocation has 5" },
    { args: ["--random-processes", "13"], stderr: "bad value for --random-processes: 13" },
  ],
})

interface Report {
  metrics: {
    safe: boolean
    safeSequence: string[] | null
    safeSequenceCount: number
    requests: { process: string; request: number[]; verdict: string; safeSequence: string[] | null }[]
    finalState: { available: number[]; allocation: number[][]; safe: boolean; safeSequenceCount: number }
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(bankers, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim bankers on Silberschatz's example", () => {
  it("finds T0 safe: <P1, P3, P4, P0, P2>, 16 safe sequences", async () => {
    const { metrics } = await report([])

    expect([metrics.safe, metrics.safeSequence, metrics.safeSequenceCount]).toEqual([
      true,
      ["P1", "P3", "P4", "P0", "P2"],
      16,
    ])
  })

  it("grants P1's (1,0,2), makes P4's (3,3,0) wait (unavailable) and P0's (0,2,0) wait (unsafe), in order", async () => {
    const { metrics } = await report([])

    expect(metrics.requests).toEqual([
      { process: "P1", request: [1, 0, 2], verdict: "granted", safeSequence: ["P1", "P3", "P4", "P0", "P2"] },
      { process: "P4", request: [3, 3, 0], verdict: "wait-unavailable", safeSequence: null },
      { process: "P0", request: [0, 2, 0], verdict: "wait-unsafe", safeSequence: null },
    ])
    expect(metrics.finalState.available).toEqual([2, 3, 0])
    expect(metrics.finalState.allocation[1]).toEqual([3, 0, 2])
    expect(metrics.finalState.safeSequenceCount).toBe(8)
  })

  it("decides P4's (3,3,0) unsafe and P0's (0,2,0) granted when each is asked at T0 alone", async () => {
    const p4 = await report(["--requests", "P4=3,3,0"])
    const p0 = await report(["--requests", "P0=0,2,0"])

    expect(p4.metrics.requests.map((r) => r.verdict)).toEqual(["wait-unsafe"])
    expect(p0.metrics.requests.map((r) => r.verdict)).toEqual(["granted"])
  })

  it("gives a request above the process's Need the verdict error-exceeds-claim (not a bad input)", async () => {
    const result = await report(["--requests", "P3=1,0,0"])

    expect(result.metrics.requests[0]!.verdict).toBe("error-exceeds-claim")
    expect(result.checks.every((check) => check.held)).toBe(true)
  })

  it("prints Need, the safety steps with Work and each verdict with its reason", async () => {
    const run = await runCapturedOnce(bankers, [])

    expect(run.stdout).toMatch(/^ {2}P0 +0 1 0 +7 5 3 +7 4 3$/m)
    expect(run.stdout).toMatch(/^ +4 +2 +P0 +\(7,4,3\) +\(7,4,5\) +\(7,5,5\)$/m)
    expect(run.stdout).toContain("not enough free: A: 3 > 2 in Available")
    expect(run.stdout).toContain(
      "Evaluated against T0 alone, request 2 would be wait-unsafe, not wait-unavailable; request 3 would",
    )
  })
})
