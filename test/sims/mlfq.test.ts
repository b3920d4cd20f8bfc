import { describe, expect, it } from "vitest"
import mlfq from "../../sims/mlfq.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("mlfq", {
  jsonArgs: ["--random-jobs", "3"],
  badInputs: [
    { args: ["--jobs", "0,180"], stderr: "is not start,runTime,ioFreq" },
    { args: ["--jobs", "0,0,0"], stderr: "runTime >= 1" },
    { args: ["--quantum-list", "10,x"], stderr: '"x" is not a valid quantum' },
    { args: ["--allotment-list", "1,1"], stderr: "2 allotments for 3 queues" },
    {
      args: ["--quantum-list", "10,20", "--allotment-list", "0,1"],
      stderr: "only the lowest queue's allotment may be 0",
    },
    { args: ["--quantum", "0"], stderr: "bad value for --quantum: 0" },
  ],
})

interface Report {
  metrics: { jobs: { id: number; response: number; turnaround: number }[]; avgResponse: number; avgTurnaround: number }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(mlfq, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim mlfq agrees with OSTEP's mlfq.py", () => {
  it("reports { id, response, turnaround } per job: figure 8.3 gives J0 (0, 200), J1 (0, 20), averages 0 and 110", async () => {
    const result = await report([])

    expect(result.metrics.jobs).toEqual([
      { id: 0, response: 0, turnaround: 200 },
      { id: 1, response: 0, turnaround: 20 },
    ])
    expect([result.metrics.avgResponse, result.metrics.avgTurnaround]).toEqual([0, 110])
  })

  it("gives J1 (10, 165) and J2 (15, 170) with --boost 50 and --io-time 1", async () => {
    const result = await report(["--jobs", "0,200,0:100,50,5:100,50,5", "--io-time", "1", "--boost", "50"])

    expect(result.metrics.jobs.map((job) => [job.response, job.turnaround])).toEqual([
      [0, 300],
      [10, 165],
      [15, 170],
    ])
    expect(result.checks.find((check) => check.name === "bounded-wait")?.held).toBe(true)
  })

  it("prints mlfq.py's -c trace for -j 3 -s 0 with --random-jobs 3 --seed 0 --tick-trace", async () => {
    const run = await runCaptured(mlfq, ["--random-jobs", "3", "--seed", "0", "--tick-trace"])

    expect(run.stdout).toContain(
      "  [ time 0 ] JOB BEGINS by JOB 0\n  [ time 0 ] JOB BEGINS by JOB 1\n  [ time 0 ] JOB BEGINS by JOB 2\n  [ time 0 ] Run JOB 0 at PRIORITY 2 [ TICKS 9 ALLOT 1 TIME 83 (of 84) ]",
    )
    expect(run.stdout).toContain("  Job  1: startTime   0 - response   7 - turnaround 161")
    expect(run.stdout).toContain("  Avg  2: startTime n/a - response 5.67 - turnaround 170.67")
  })
})

describe("sim mlfq lessons", () => {
  it("summarises figure 8.3: the long job sinks, the short one runs straight through", async () => {
    const run = await runCaptured(mlfq, [])

    expect(run.stdout).toContain("job 0 runs at Q2 (top) for 10 ticks (t=0–9); allotment used up: down to Q1")
    expect(run.stdout).toContain("job 1 runs at Q1 for 10 ticks (t=110–119); FINISHED")
    expect(run.stdout).toContain("Job 1 arrived at t=100 and ran straight through")
  })

  it("lets an I/O-gaming job keep the top queue with --stay, and not without", async () => {
    const gamed = await report(["--jobs", "0,200,0:50,100,9", "--io-time", "1", "--stay"])
    const fair = await report(["--jobs", "0,200,0:50,100,9", "--io-time", "1"])

    expect(gamed.metrics.jobs[1]!.turnaround).toBe(111)
    expect(fair.metrics.jobs[1]!.turnaround).toBe(251)
  })
})
