import { describe, expect, it } from "vitest"
import gc from "../../sims/gc.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("gc", {
  jsonArgs: ["--duration-ms", "1000"],
  badInputs: [
    { args: ["--collector", "generational"], stderr: "bad value for --collector" },
    { args: ["--gogc", "0"], stderr: "bad value for --gogc: 0" },
    { args: ["--alloc-rate-mb-s", "0"], stderr: "bad value for --alloc-rate-mb-s: 0" },
    { args: ["--cycle-percent", "101"], stderr: "bad value for --cycle-percent: 101" },
  ],
})

interface Report {
  metrics: { collections: number; maxPauseMs: number; p99LatencyMs: number; peakHeapBytes: number; leakedBytes: number }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(gc, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim gc", () => {
  it("pauses stop-the-world for live / marking speed, which reaches the p99 latency", async () => {
    const { metrics } = await report([])

    expect(metrics.collections).toBe(7)
    expect(metrics.maxPauseMs).toBeGreaterThan(24)
    expect(metrics.p99LatencyMs).toBeGreaterThan(20)
    expect(metrics.leakedBytes).toBe(0)
  })

  it("trades the pauses for heap with concurrent marking, and for a leak with reference counting", async () => {
    const stw = await report([])
    const concurrent = await report(["--collector", "concurrent"])
    const refcount = await report(["--collector", "refcount"])

    expect(concurrent.metrics.maxPauseMs).toBeCloseTo(0.05, 9)
    expect(concurrent.metrics.peakHeapBytes).toBeGreaterThan(stw.metrics.peakHeapBytes)
    expect(refcount.metrics.collections).toBe(0)
    expect(refcount.metrics.leakedBytes).toBeGreaterThan(0)
    expect(refcount.checks.find((check) => check.name === "no-leak")?.held).toBe(false)
  })

  it("collects less often with a higher GOGC, on a bigger heap", async () => {
    const low = await report(["--gogc", "25"])
    const high = await report(["--gogc", "400"])

    expect(high.metrics.collections).toBeLessThan(low.metrics.collections)
    expect(high.metrics.peakHeapBytes).toBeGreaterThan(low.metrics.peakHeapBytes)
  })
})
