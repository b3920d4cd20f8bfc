import { describe, expect, it } from "vitest"
import processRun from "../../sims/process-run.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("process-run", {
  jsonArgs: ["--process-list", "5:50,5:50"],
  badInputs: [
    { args: ["--programs", "c7,x"], stderr: 'process 0: "x" is not an instruction' },
    { args: ["--programs", "c0"], stderr: '"c0" is not an instruction' },
    {
      args: ["--switch", "SWITCH_ON_IO"],
      stderr: 'bad value for --switch: "SWITCH_ON_IO"; allowed: one of on-io, on-end',
    },
    { args: ["--process-list", "5:150"], stderr: 'process 0 "5:150" is not X:Y' },
    { args: ["--io-length", "-1"], stderr: "bad value for --io-length: -1" },
  ],
})

interface Report {
  metrics: { totalTime: number; cpuBusy: number; ioBusy: number; idleWhileAllBlocked: number; idleWhileReady: number }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(processRun, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim process-run agrees with OSTEP's process-run.py", () => {
  it("gives totalTime 22, cpuBusy 15, ioBusy 10 for the bare run (-P c7,i,c1,i:c3)", async () => {
    const result = await report([])

    expect([result.metrics.totalTime, result.metrics.cpuBusy, result.metrics.ioBusy]).toEqual([22, 15, 10])
  })

  it("gives 31/21/15 with IO_RUN_LATER and 21/21/15 with IO_RUN_IMMEDIATE for -l 3:0,5:100,5:100,5:100", async () => {
    const later = await report(["--process-list", "3:0,5:100,5:100,5:100"])
    const immediate = await report(["--process-list", "3:0,5:100,5:100,5:100", "--io-done", "immediate"])

    expect([later.metrics.totalTime, later.metrics.cpuBusy, later.metrics.ioBusy]).toEqual([31, 21, 15])
    expect([immediate.metrics.totalTime, immediate.metrics.cpuBusy, immediate.metrics.ioBusy]).toEqual([21, 21, 15])
  })

  it("prints process-run.py's stats lines, Python's rounding included", async () => {
    const run = await runCapturedOnce(processRun, [])

    expect(run.stdout).toContain("Stats: Total Time 22\n  Stats: CPU Busy 15 (68.18%)\n  Stats: IO Busy  10 (45.45%)")
  })
})

describe("sim process-run lessons", () => {
  it("says when the CPU idles while every process waits for I/O", async () => {
    const run = await runCapturedOnce(processRun, [])
    const result = await report([])

    expect(run.stdout).toContain("CPU idle: every process waits for I/O")
    expect(run.stdout).toContain(
      "For 7 of 22 ticks (t=12–13, 17–21) the CPU sat idle while every unfinished process waited for I/O.",
    )
    expect(result.metrics.idleWhileAllBlocked).toBe(7)
  })

  it("fails the work-conserving check with --switch on-end, where the CPU idles beside a READY process", async () => {
    const result = await report(["--switch", "on-end"])

    expect(result.metrics.totalTime).toBe(25)
    expect(result.metrics.idleWhileReady).toBe(10)
    expect(result.checks.find((check) => check.name === "cpu-never-idle-while-ready")?.held).toBe(false)
  })

  it("shows each process's state per tick with the RUN:cpu, RUN:io, READY, BLOCKED and DONE vocabulary", async () => {
    const run = await runCapturedOnce(processRun, [])

    expect(run.stdout).toMatch(/^\s+8\s+RUN:io\s+READY\s+1\s*$/m)
    expect(run.stdout).toMatch(/^\s+14\*\s+RUN:io_done\s+DONE\s+1\s*$/m)
    expect(run.stdout).toMatch(/^\s+12\s+BLOCKED\s+DONE\s+1\s+CPU idle: every process waits for I\/O$/m)
  })
})
