import { describe, expect, it } from "vitest"
import hotRanking from "../../sims/hot-ranking.ts"
import { hackerNewsScore, redditHot } from "../../src/models/ranking/index.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("hot-ranking", {
  jsonArgs: ["--duration-ms", "6000", "--articles", "300"],
  badInputs: [
    { args: ["--formula", "digg"], stderr: "bad value for --formula" },
    { args: ["--nodes", "0"], stderr: "bad value for --nodes: 0" },
    { args: ["--votes-per-sec", "0"], stderr: "bad value for --votes-per-sec: 0" },
    { args: ["--pause-at", "20000"], stderr: "the pause must start before the run ends" },
    { args: ["--redis-down-at", "13000", "--redis-down-ms", "100"], stderr: "the Redis outage must start before" },
    { args: ["--period-ms", "5000", "--duration-ms", "1000"], stderr: "the run must last at least one period" },
  ],
})

interface Row {
  id: string
  points: number
  ageHours?: number
  createdSeconds?: number
  score: number
}

interface Report {
  params: { gravity: number }
  metrics: { topK: Row[]; jobRuns: number; doubleRuns: number; staleReads: number; maxStalenessMs: number }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(hotRanking, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

function held(result: Report): Record<string, boolean> {
  return Object.fromEntries(result.checks.map((check) => [check.name, check.held]))
}

describe("sim hot-ranking lessons", () => {
  it("bare: the paused holder's stale list is accepted after the new holder's, in one period", async () => {
    const result = await report([])

    expect(result.metrics.doubleRuns).toBe(1)
    expect(held(result)).toEqual({
      "one-job-per-period": false,
      "no-stale-write-accepted": false,
      "top-k-matches-full-sort": true,
    })
    expect(result.checks[1]!.detail).toContain("n1's list with token 1 accepted after token 2")
  })

  it("--fencing true on the same seed: the stale list is rejected and every check holds", async () => {
    const text = await runCaptured(hotRanking, ["--fencing", "true"])
    const result = await report(["--fencing", "true"])

    expect(result.metrics.doubleRuns).toBe(0)
    expect(Object.values(held(result))).toEqual([true, true, true])
    expect(text.stdout).toContain("storage REJECTS n1's list of period 5: token 1 < 2 already accepted")
  })

  it("reports HN rows whose score is (P - 1) / (T + 2)^G of the points and age shown", async () => {
    const result = await report(["--gravity", "1.5"])

    expect(result.metrics.topK).toHaveLength(10)
    for (const row of result.metrics.topK) {
      expect(Object.keys(row)).toEqual(["id", "points", "ageHours", "score"])
      expect(row.score).toBe(hackerNewsScore(row.points, row.ageHours!, 1.5))
    }
  })

  it("reports Reddit rows whose score is the hot score of the points and creation time shown", async () => {
    const result = await report(["--formula", "reddit", "--top-k", "5"])

    expect(result.metrics.topK).toHaveLength(5)
    for (const row of result.metrics.topK) {
      expect(Object.keys(row)).toEqual(["id", "points", "createdSeconds", "score"])
      expect(row.score).toBe(redditHot(row.points, 0, row.createdSeconds!))
    }
    const scores = result.metrics.topK.map((row) => row.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it("keeps serving the last good list while Redis is down, however stale", async () => {
    const result = await report(["--redis-down-at", "4000", "--redis-down-ms", "3000", "--pause-ms", "0"])

    expect(result.metrics.staleReads).toBeGreaterThan(0)
    expect(result.metrics.maxStalenessMs).toBeGreaterThanOrEqual(3000)
    expect(Object.values(held(result))).toEqual([true, true, true])
  })
})
