import { describe, expect, it } from "vitest"
import lostUpdateExplorer from "../../sims/lost-update-explorer.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("lost-update-explorer", {
  badInputs: [
    { args: ["--clients", "4"], stderr: "bad value for --clients: 4" },
    { args: ["--strategy", "nope"], stderr: 'bad value for --strategy: "nope"' },
    { args: ["--samples", "0"], stderr: "bad value for --samples: 0" },
  ],
})

interface Report {
  metrics: {
    interleavings: Record<string, number>
    losing: Record<string, number>
    shortestLosingSteps: Record<string, number | null>
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(lostUpdateExplorer, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim lost-update-explorer lessons", () => {
  it("counts 4 losing of 6 interleavings for two naive clients and none for the safe strategies", async () => {
    const result = await report([])

    expect(result.metrics.interleavings).toEqual({
      naive: 6,
      "atomic-update": 6,
      upsert: 2,
      "cache-hincrby": 2,
      "cache-script": 30,
      "cache-check-then-incr": 96,
    })
    expect(result.metrics.losing).toEqual({
      naive: 4,
      "atomic-update": 0,
      upsert: 0,
      "cache-hincrby": 0,
      "cache-script": 0,
      "cache-check-then-incr": 28,
    })
    expect(result.metrics.shortestLosingSteps["naive"]).toBe(4)
    expect(result.checks.filter((check) => !check.held).map((check) => check.name)).toEqual([
      "no-lost-like/naive",
      "no-lost-like/cache-check-then-incr",
    ])
  })

  it("prints the exact share and draws the shortest losing interleaving in lanes", async () => {
    const run = await runCaptured(lostUpdateExplorer, ["--strategy", "naive"])

    expect(run.stdout).toContain("2/3 (66.7%)")
    expect(run.stdout).toMatch(/ {5}1 {2}SELECT like → 0\s*\n {5}2 {23}SELECT like → 0/)
  })

  it("counts 84 losing of 90 interleavings with three naive clients", async () => {
    const result = await report(["--clients", "3", "--strategy", "naive"])

    expect(result.metrics.interleavings).toEqual({ naive: 90 })
    expect(result.metrics.losing).toEqual({ naive: 84 })
  })
})
