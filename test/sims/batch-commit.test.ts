import { describe, expect, it } from "vitest"
import batchCommit from "../../sims/batch-commit.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("batch-commit", {
  badInputs: [
    { args: ["--rows", "0"], stderr: "bad value for --rows: 0" },
    { args: ["--batch-size", "0"], stderr: "bad value for --batch-size: 0" },
    { args: ["--fsync-jitter", "2"], stderr: "bad value for --fsync-jitter: 2" },
  ],
})

interface Report {
  metrics: { perRowCommitMs: number; batchedMs: number; speedup: number; commits: { perRow: number; batched: number } }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(batchCommit, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim batch-commit lessons", () => {
  it("is exactly the cost model without jitter: 205ms per row vs 15ms in batches of 20", async () => {
    const result = await report(["--fsync-jitter", "0"])

    expect(result.metrics.perRowCommitMs).toBeCloseTo(100 * 2.05, 9)
    expect(result.metrics.batchedMs).toBeCloseTo(100 * 0.05 + 5 * 2, 9)
    expect(result.metrics.speedup).toBeCloseTo(205 / 15, 9)
    expect(result.metrics.commits).toEqual({ perRow: 100, batched: 5 })
    expect(result.checks).toEqual([expect.objectContaining({ name: "matches-cost-model", held: true })])
  })

  it("gains little from batching when the flush is cheap", async () => {
    const cheap = await report(["--fsync-ms", "0.01", "--fsync-jitter", "0"])

    expect(cheap.metrics.speedup).toBeLessThan(1.2)
  })

  it("lists every batch size up to --rows in the text report", async () => {
    const run = await runCaptured(batchCommit, [])

    expect(run.stdout).toContain("20 (--batch-size)")
    expect(run.stdout).toMatch(/\n {2}100 {20,}1 /)
  })
})
