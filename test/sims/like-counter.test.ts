import { describe, expect, it } from "vitest"
import likeCounter from "../../sims/like-counter.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("like-counter", {
  jsonArgs: ["--clients", "4", "--likes", "20"],
  badInputs: [
    { args: ["--strategy", "nope"], stderr: 'bad value for --strategy: "nope"' },
    { args: ["--clients", "0"], stderr: "bad value for --clients: 0" },
    { args: ["--unlike-ratio", "2"], stderr: "bad value for --unlike-ratio: 2" },
    { args: ["--faults", "nope"], stderr: "the fault plan is not valid JSON" },
    {
      args: ["--clients", "2", "--faults", '{"faults":[{"kind":"crash","node":"c3","at":1}]}'],
      stderr: 'node is "c3", an unknown node; allowed: db, cache, c1, c2',
    },
  ],
})

interface Report {
  metrics: {
    expected: number
    final: number
    lost: number
    dbRoundTrips: number
    cacheRoundTrips: number
    unacknowledged: number
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(likeCounter, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim like-counter lessons", () => {
  it("loses likes on a bare run (naive) and says so in the timeline", async () => {
    const text = await runCaptured(likeCounter, [])
    const result = await report([])

    expect(result.metrics.expected).toBe(1760)
    expect(result.metrics.lost).toBeGreaterThan(500)
    expect(result.checks).toEqual([expect.objectContaining({ name: "no-lost-counts", held: false })])
    expect(text.stdout).toContain("Timeline: the first lost update, step by step")
    expect(text.stdout).toMatch(/LOST: c\d computed 1 from a stale read of 0/)
  })

  it("loses nothing with each safe strategy", async () => {
    for (const strategy of ["atomic-update", "upsert", "cache-hincrby", "cache-script"]) {
      const result = await report(["--strategy", strategy, "--clients", "4", "--likes", "20"])

      expect(result.metrics.lost, strategy).toBe(0)
      expect(result.checks[0]!.held, strategy).toBe(true)
    }
  })

  it("loses counts with the client-side check, and names the expiry in the timeline", async () => {
    const text = await runCaptured(likeCounter, ["--strategy", "cache-check-then-incr"])

    expect(text.stdout).toContain("cache: key article:1 found expired on access, removed")
    expect(text.stdout).toMatch(/c\d+> HINCRBY article:1 read 1 {2}→ {2}\(integer\) 1\n/)
    expect(text.stdout).toMatch(
      /LOST: article:1 expired between c\d+'s EXISTS and its HINCRBY: the key is back holding/,
    )
    expect(text.stdout).toContain("NOT HELD  no-lost-counts")
  })

  it("counts only acknowledged deltas when the database pauses", async () => {
    const result = await report([
      "--strategy",
      "upsert",
      "--faults",
      '{"faults":[{"kind":"pause","node":"db","at":200,"durationMs":1500}]}',
    ])

    expect(result.metrics.unacknowledged).toBeGreaterThan(0)
    expect(result.checks[0]!.held).toBe(true)
  })
})
