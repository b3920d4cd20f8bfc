import { describe, expect, it } from "vitest"
import alternatePrinters from "../../sims/alternate-printers.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("alternate-printers", {
  badInputs: [
    {
      args: ["--items", "16"],
      stderr: "--explore runs about 3 × 2^items schedules and at most 100,000 can be enumerated",
    },
    { args: ["--version", "sleep"], stderr: 'bad value for --version: "sleep"' },
    { args: ["--items", "0"], stderr: "bad value for --items: 0" },
  ],
})

interface Report {
  metrics: {
    schedules: number
    correct: number
    outOfOrder: number
    deadlocked: number
    leakedGoroutines: number
    firstFailure: { schedule: string; verdict: string; lines: string[] } | null
    complete: boolean
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(alternatePrinters, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim alternate-printers: every schedule of each answer", () => {
  it("sleep-kick fails in all 93 schedules of 5 items: 45 cut short by main, 48 leaking the last printer", async () => {
    const { metrics, checks } = await report([])
    expect([
      metrics.schedules,
      metrics.correct,
      metrics.outOfOrder,
      metrics.leakedGoroutines,
      metrics.deadlocked,
    ]).toEqual([93, 0, 45, 48, 0])
    expect(metrics.complete).toBe(true)
    expect(metrics.firstFailure).toEqual({
      schedule: "event 1/2, print cost 1/2, print cost 1/2, print cost 1/2, print cost 1/2, print cost 1/2",
      verdict: "leaked",
      lines: [
        "1.0 ms g2 prints 0",
        "2.0 ms g1 prints 1",
        "3.0 ms g2 prints 2",
        "4.0 ms g1 prints 3",
        "5.0 ms g2 prints 4",
        "7.5 ms main returns",
        "left blocked: g2 [chan send]",
      ],
    })
    expect(checks).toEqual([expect.objectContaining({ name: "prints-in-order", held: false })])
  })

  it("token and cond are right in every schedule (96 and 64 for 5 items)", async () => {
    const token = await report(["--version", "token"])
    const cond = await report(["--version", "cond"])
    expect([token.metrics.schedules, token.metrics.correct, token.metrics.firstFailure]).toEqual([96, 96, null])
    expect([cond.metrics.schedules, cond.metrics.correct, cond.metrics.firstFailure]).toEqual([64, 64, null])
    expect(token.checks[0]!.held && cond.checks[0]!.held).toBe(true)
  })

  it("--explore false runs the seed's one schedule", async () => {
    const { metrics } = await report(["--explore", "false", "--seed", "4"])
    expect([metrics.schedules, metrics.complete, metrics.leakedGoroutines]).toEqual([1, false, 1])
    expect(metrics.firstFailure?.schedule).toBe("--seed 4")
  })
})
