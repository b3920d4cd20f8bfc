import { describe, expect, it } from "vitest"
import cpuSched from "../../sims/cpu-sched.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("cpu-sched", {
  jsonArgs: ["--random-jobs", "5"],
  badInputs: [
    {
      args: ["--policy", "lottery"],
      stderr:
        'bad value for --policy: "lottery"; allowed: one of fifo, sjf, stcf, rr, priority, priority-preemptive, mlq',
    },
    { args: ["--bursts", "3,x"], stderr: 'job 1\'s entry "x" is not a burst list' },
    { args: ["--bursts", "5/3"], stderr: "ends with an I/O burst" },
    { args: ["--bursts", "3,4", "--arrivals", "0,1,2"], stderr: "3 arrival values for 2 jobs" },
    { args: ["--priorities", "1.5"], stderr: '"1.5" is not a valid priority' },
    { args: ["--quantum", "0"], stderr: "bad value for --quantum: 0; allowed: a number > 0" },
    { args: ["--cores", "0"], stderr: "bad value for --cores: 0" },
  ],
})

interface Report {
  metrics: {
    jobs: {
      id: number
      arrival: number
      burst: number
      response: number
      turnaround: number
      wait: number
      completion: number
    }[]
    avgResponse: number
    avgTurnaround: number
    avgWait: number
    makespan: number
    cpuUtilisation: number
    contextSwitches: number
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(cpuSched, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim cpu-sched agrees with OSTEP's scheduler.py", () => {
  it("reports every job's { id, arrival, burst, response, turnaround, wait, completion } in job order", async () => {
    const result = await report(["--policy", "rr", "--quantum", "1", "--bursts", "100,200,300"])

    expect(result.metrics.jobs).toEqual([
      { id: 0, arrival: 0, burst: 100, response: 0, turnaround: 298, wait: 198, completion: 298 },
      { id: 1, arrival: 0, burst: 200, response: 1, turnaround: 499, wait: 299, completion: 499 },
      { id: 2, arrival: 0, burst: 300, response: 2, turnaround: 600, wait: 300, completion: 600 },
    ])
    expect(result.metrics.avgTurnaround).toBeCloseTo(465.67, 2)
    expect(result.metrics.makespan).toBe(600)
    expect(result.metrics.cpuUtilisation).toBe(1)
  })

  it("draws scheduler.py's jobs for the same seed: --seed 100 --random-jobs 3 is -s 100 -j 3 (lengths 2, 5, 8)", async () => {
    const result = await report(["--seed", "100", "--random-jobs", "3"])

    expect(result.metrics.jobs.map((job) => job.burst)).toEqual([2, 5, 8])
    expect([result.metrics.avgResponse, result.metrics.avgTurnaround, result.metrics.avgWait]).toEqual([3, 8, 3])
  })

  it("prints scheduler.py's statistics lines, SJF jobs in the order they ran", async () => {
    const run = await runCaptured(cpuSched, ["--policy", "sjf", "--bursts", "100,10,10"])

    expect(run.stdout).toContain("scheduler.py -p SJF -l 100,10,10 -c")
    expect(run.stdout).toContain(
      "  Job   1 -- Response: 0.00  Turnaround 10.00  Wait 0.00\n  Job   2 -- Response: 10.00  Turnaround 20.00  Wait 10.00\n  Job   0 -- Response: 20.00  Turnaround 120.00  Wait 20.00",
    )
    expect(run.stdout).toContain("  Average -- Response: 10.00  Turnaround 50.00  Wait 10.00")
  })
})

describe("sim cpu-sched lessons", () => {
  it("shows the convoy on a bare run: FIFO waits 17 on average, SJF 3", async () => {
    const run = await runCaptured(cpuSched, [])

    expect(run.stdout).toContain("convoy effect")
    expect(run.stdout).toMatch(/fifo \(this run\)\s+17\.00\s+27\.00\s+17\.00/)
    expect(run.stdout).toMatch(/sjf\s+3\.00\s+13\.00\s+3\.00/)
  })

  it("gives Silberschatz's SRTF example an average wait of 6.5 and preempts job 0 at t=1", async () => {
    const result = await report(["--policy", "stcf", "--bursts", "8,4,9,5", "--arrivals", "0,1,2,3"])
    const text = await runCaptured(cpuSched, ["--policy", "stcf", "--bursts", "8,4,9,5", "--arrivals", "0,1,2,3"])

    expect(result.metrics.avgWait).toBe(6.5)
    expect(text.stdout).toContain("run job 0 for 1.00, then PREEMPTED by job 1 with 7.00 left")
  })

  it("pays for context switches: RR q=1 with a 0.1 switch on 24,3,3 makes 9 switches (none once job 0 runs alone) and 97.1% utilisation", async () => {
    const result = await report(["--policy", "rr", "--quantum", "1", "--context-switch", "0.1"])

    expect(result.metrics.contextSwitches).toBe(9)
    expect(result.metrics.cpuUtilisation).toBeCloseTo(30 / 30.9, 9)
    expect(result.checks.every((check) => check.held)).toBe(true)
  })

  it("holds RR's response bound and says so", async () => {
    const result = await report(["--policy", "rr", "--quantum", "2", "--bursts", "5,5,5,5"])

    expect(result.checks.find((check) => check.name === "rr-response-bound")?.held).toBe(true)
    expect(result.metrics.jobs.map((job) => job.response)).toEqual([0, 2, 4, 6])
  })

  it("draws a Gantt chart with I/O and asks the quiz without answering", async () => {
    const run = await runCaptured(cpuSched, ["--bursts", "2/3/1,4", "--policy", "rr", "--quantum", "2"])
    const quiz = await runCaptured(cpuSched, ["--bursts", "2/3/1,4", "--quiz"])

    expect(run.stdout).toContain("job 0  ██▒▒▒░█")
    expect(run.stdout).toContain("disk utilisation")
    expect(quiz.stdout).toContain("job 0: arrives at 0.00, needs CPU 2.00, I/O 3.00, CPU 1.00")
    expect(quiz.stdout).not.toContain("Gantt chart (")
  })
})
