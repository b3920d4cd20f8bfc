import { describe, expect, it } from "vitest"
import diningPhilosophers from "../../sims/dining-philosophers.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("dining-philosophers", {
  badInputs: [
    { args: ["--philosophers", "1"], stderr: "bad value for --philosophers: 1" },
    {
      args: ["--explore"],
      stderr:
        "5 philosophers eating 1 meal(s) with --fix none already run 271,980 schedules; at most 100,000 can be enumerated",
    },
    {
      args: ["--explore", "--philosophers", "6", "--fix", "arbiter"],
      stderr: "at most 5 philosophers can be explored (6 eating one meal need 356,400 schedules with --fix arbiter",
    },
    {
      args: ["--explore", "--philosophers", "3", "--fix", "timeout"],
      stderr: "the timeout fix is explored with 2 philosophers eating 1 or 2 meals",
    },
    { args: ["--fix", "waiter"], stderr: 'bad value for --fix: "waiter"' },
  ],
})

interface Report {
  metrics: {
    schedules: number
    deadlocks: number
    firstDeadlock: { schedule: string; cycle: string[]; goroutines: string } | null
    meals: number[]
    timeouts: number
    unfinished: number
    livelocked: number
    complete: boolean
    horizonMs: number | null
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(diningPhilosophers, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim dining-philosophers", () => {
  it("the bare run deadlocks before anyone eats: the detector's report and the wait-for cycle", async () => {
    const { metrics, checks } = await report([])
    expect([metrics.schedules, metrics.deadlocks, metrics.meals, metrics.complete]).toEqual([
      1,
      1,
      [0, 0, 0, 0, 0],
      false,
    ])
    expect(metrics.firstDeadlock!.schedule).toBe("--seed 1")
    expect(metrics.firstDeadlock!.cycle).toEqual([
      "P0 holds fork 0 and waits for fork 1, held by P1",
      "P1 holds fork 1 and waits for fork 2, held by P2",
      "P2 holds fork 2 and waits for fork 3, held by P3",
      "P3 holds fork 3 and waits for fork 4, held by P4",
      "P4 holds fork 4 and waits for fork 0, held by P0",
    ])
    expect(metrics.firstDeadlock!.goroutines).toContain("fatal error: all goroutines are asleep - deadlock!")
    expect(checks).toEqual([expect.objectContaining({ name: "no-deadlock", held: false })])
  })

  it("3 philosophers explored: 642 of 1,047 schedules deadlock, the smallest after 5 choices", async () => {
    const { metrics } = await report(["--philosophers", "3", "--explore"])
    expect([metrics.schedules, metrics.deadlocks, metrics.complete]).toEqual([1047, 642, true])
    expect(metrics.firstDeadlock!.schedule).toBe("event 1/3, event 1/3, event 1/3, event 1/3, event 1/2")
    expect(metrics.firstDeadlock!.goroutines.split("\n").filter((line) => line.includes("sync.Mutex.Lock"))).toEqual([
      "goroutine 2 [sync.Mutex.Lock]:",
      "goroutine 3 [sync.Mutex.Lock]:",
      "goroutine 4 [sync.Mutex.Lock]:",
    ])
  })

  it("ordering and the arbiter never deadlock in any schedule of 3 philosophers (662 and 96)", async () => {
    const ordering = await report(["--philosophers", "3", "--explore", "--fix", "ordering"])
    const arbiter = await report(["--philosophers", "3", "--explore", "--fix", "arbiter"])
    expect([ordering.metrics.schedules, ordering.metrics.deadlocks, ordering.metrics.firstDeadlock]).toEqual([
      662,
      0,
      null,
    ])
    expect([arbiter.metrics.schedules, arbiter.metrics.deadlocks]).toEqual([96, 0])
    expect(ordering.checks[0]!.held && arbiter.checks[0]!.held).toBe(true)
  })

  it("the timeout fix up to 7 ms: no deadlock, most schedules still retrying, some livelocked", async () => {
    const { metrics, checks } = await report(["--philosophers", "2", "--meals", "1", "--explore", "--fix", "timeout"])
    expect([metrics.schedules, metrics.deadlocks, metrics.unfinished, metrics.horizonMs, metrics.complete]).toEqual([
      7730,
      0,
      6720,
      7,
      true,
    ])
    expect(metrics.livelocked).toBeGreaterThan(0)
    expect(checks[0]!.held).toBe(true)
  })

  it("the timeout fix's count for 2 meals is the one the sim's estimate and refusal use (28,738)", async () => {
    const { metrics } = await report(["--philosophers", "2", "--explore", "--fix", "timeout"])
    expect([metrics.schedules, metrics.deadlocks, metrics.unfinished, metrics.complete]).toEqual([
      28_738,
      0,
      25_568,
      true,
    ])
  }, 60_000)
})
