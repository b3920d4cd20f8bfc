import { describe, expect, it } from "vitest"
import concurrentMap from "../../sims/concurrent-map.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("concurrent-map", {
  badInputs: [
    { args: ["--read-fraction", "1.5"], stderr: "bad value for --read-fraction: 1.5" },
    {
      args: ["--strategy", "mutex,spinlock"],
      stderr:
        'unknown strategy "spinlock"; give all or a comma list of racy, check-then-act, mutex, rwmutex, cow-mutex, cow-cas, sharded, syncmap',
    },
    { args: ["--strategy", "mutex,mutex"], stderr: "a strategy is listed twice" },
    {
      args: ["--explore", "--writers", "4"],
      stderr:
        "--explore with --writers 4 and --explore-increments 2 has about 11,732,745,024 interleavings per strategy",
    },
    {
      args: ["--explore", "--explore-increments", "4"],
      stderr: "has about 48,620 interleavings per strategy (",
    },
    { args: ["--explore", "--writers", "3", "--explore-increments", "2"], stderr: "at most 5,000 can be enumerated" },
    { args: ["--explore", "--writers", "64", "--explore-increments", "10"], stderr: "more than 10^308 interleavings" },
  ],
})

interface Report {
  metrics: Record<string, any>
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(concurrentMap, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim concurrent-map", () => {
  it("one strategy keeps flat metrics; racy alone on 4 hot keys loses increments", async () => {
    const { metrics, checks } = await report(["--strategy", "racy", "--keys", "4"])

    expect(Object.keys(metrics)).toEqual([
      "throughput",
      "readP99Us",
      "writeP99Us",
      "casRetries",
      "bytesCopied",
      "lostWrites",
    ])
    expect(metrics.lostWrites).toBeGreaterThan(0)
    expect(checks).toEqual([expect.objectContaining({ name: "no-lost-writes", held: false })])
  })

  it("several strategies: metrics keyed by strategy; mutex and cow-cas lose nothing", async () => {
    const { metrics, checks } = await report(["--strategy", "mutex,cow-cas", "--keys", "4"])

    expect(Object.keys(metrics)).toEqual(["mutex", "cow-cas"])
    expect([metrics.mutex.lostWrites, metrics["cow-cas"].lostWrites]).toEqual([0, 0])
    expect(metrics["cow-cas"].casRetries).toBeGreaterThan(0)
    expect(metrics.mutex.bytesCopied).toBe(0)
    expect(checks[0]!.held).toBe(true)
  })

  it("--explore counts every interleaving of 2 writers incrementing twice: racy loses in 224 of 252", async () => {
    const { metrics, checks } = await report(["--explore", "--strategy", "racy,mutex,cow-cas"])

    expect(metrics.explored).toEqual({
      racy: { schedules: 252, losing: 224, complete: true },
      mutex: { schedules: 10, losing: 0, complete: true },
      "cow-cas": { schedules: 1104, losing: 0, complete: true },
    })
    expect(metrics.smallestLosingSchedule).toEqual({
      strategy: "racy",
      steps: [
        "w1 reads k0 = 0",
        "w2 reads k0 = 0",
        "w1 writes k0 = 1",
        "w2 writes k0 = 1",
        "w1 increment returns",
        "w1 reads k0 = 1",
        "w2 increment returns",
        "w2 reads k0 = 1",
        "w1 writes k0 = 2",
        "w2 writes k0 = 2",
        "w1 increment returns",
        "w2 increment returns",
      ],
    })
    expect(checks[0]!.detail).toContain("racy loses increments in 224 of 252 explored schedules")
  })
})
