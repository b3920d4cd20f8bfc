import { describe, expect, it } from "vitest"
import mmQueue from "../../sims/mm-queue.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("mm-queue", {
  jsonArgs: ["--customers", "2000"],
  badInputs: [
    { args: ["--arrival-rate", "0"], stderr: "bad value for --arrival-rate: 0; allowed: a number > 0" },
    { args: ["--service-rate", "-1"], stderr: "bad value for --service-rate: -1" },
    { args: ["--servers", "1.5"], stderr: 'bad value for --servers: "1.5"; allowed: an integer >= 1' },
    { args: ["--servers", "0"], stderr: "bad value for --servers: 0" },
    { args: ["--customers", "0"], stderr: "bad value for --customers: 0" },
  ],
})

describe("sim mm-queue lessons", () => {
  it("treats overload as a lesson, not an error: exit 0, null predictions, a growing queue", async () => {
    const run = await runCaptured(mmQueue, ["--arrival-rate", "1.2", "--customers", "3000", "--json"])

    expect(run.code).toBe(0)
    const { metrics, checks } = JSON.parse(run.stdout)
    expect(metrics.stable).toBe(false)
    expect(metrics.predictedWait).toBeNull()
    expect(metrics.predictedQueueLength).toBeNull()
    expect(metrics.maxQueueLength).toBeGreaterThan(300)
    expect(checks.find((check: { name: string }) => check.name === "wait-matches-erlang-c").held).toBe(false)
    expect(checks.find((check: { name: string }) => check.name === "littles-law").held).toBe(true)
  })

  it("says in text that the queue grows without bound when λ >= cμ", async () => {
    const run = await runCaptured(mmQueue, ["--arrival-rate", "2", "--servers", "2", "--customers", "500"])

    expect(run.stdout).toContain("No steady state")
    expect(run.stdout).toContain("grows without bound")
  })

  it("exits 3 with --strict in overload, where the Erlang C check cannot hold", async () => {
    const run = await runCaptured(mmQueue, ["--arrival-rate", "1.5", "--customers", "500", "--strict"])

    expect(run.code).toBe(3)
  })

  it("matches Erlang C within 5% with 2 servers and 200,000 customers at λ = 1.8/s", async () => {
    const run = await runCaptured(mmQueue, [
      "--servers",
      "2",
      "--arrival-rate",
      "1.8",
      "--customers",
      "200000",
      "--json",
    ])

    const { metrics, checks } = JSON.parse(run.stdout)
    expect(Math.abs(metrics.meanWait / metrics.predictedWait - 1)).toBeLessThan(0.05)
    expect(checks.every((check: { held: boolean }) => check.held)).toBe(true)
  })

  it("judges 10 servers at λ = 9/s on regeneration cycles that occur (arrivals finding 9 customers): 754 cycles, held", async () => {
    const run = await runCaptured(mmQueue, ["--servers", "10", "--arrival-rate", "9", "--json"])

    const { metrics, checks } = JSON.parse(run.stdout)
    expect(metrics.regenerationCycles).toBe(754)
    expect(checks.find((check: { name: string }) => check.name === "wait-matches-erlang-c")).toMatchObject({
      held: true,
    })
  })

  it("names a --customers value to rerun with when the run is too short, and says so when --customers is at its maximum", async () => {
    const short = await runCaptured(mmQueue, ["--servers", "10", "--arrival-rate", "9", "--seed", "3", "--json"])
    const few = await runCaptured(mmQueue, ["--arrival-rate", "0.99", "--customers", "20", "--json"])
    const erlang = (run: { stdout: string }) =>
      JSON.parse(run.stdout).checks.find((check: { name: string }) => check.name === "wait-matches-erlang-c")

    expect(erlang(short).held).toBe(false)
    expect(erlang(short).detail).toContain("rerun with --customers 100000 (10 times as many customers)")
    expect(erlang(few).detail).toMatch(
      /^only \d+ regeneration cycles \(need 30\) to put an error bar on the mean wait; rerun with --customers 200 /,
    )
  })
})
