import { describe, expect, it } from "vitest"
import failureDetector from "../../sims/failure-detector.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("failure-detector", {
  badInputs: [
    { args: ["--timeout-ms", "0"], stderr: "bad value for --timeout-ms: 0; allowed: a number > 0" },
    { args: ["--loss", "1.5"], stderr: "bad value for --loss: 1.5" },
    { args: ["--faults", "nope"], stderr: "the fault plan is not valid JSON" },
    {
      args: ["--faults", '{"faults":[{"kind":"crash","node":"zz","at":1}]}'],
      stderr: 'node is "zz", an unknown node; allowed: monitor, n1, n2, n3',
    },
    { args: ["--faults", '{"faults":[],"healAt":1000}'], stderr: "at is 1550; allowed: before the plan's healAt 1000" },
  ],
})

interface Report {
  metrics: {
    falseSuspicions: number
    detectionTimesMs: number[]
    meanDetectionMs: number | null
    nodes: Record<string, { falseSuspicions: number }>
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(failureDetector, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

function held(result: Report, name: string): boolean {
  return result.checks.find((check) => check.name === name)!.held
}

describe("sim failure-detector lessons", () => {
  it("tolerates the bare run's 150ms pause and detects n3's crash within the timeout", async () => {
    const result = await report([])

    expect(result.metrics.falseSuspicions).toBe(0)
    expect(result.metrics.detectionTimesMs).toHaveLength(1)
    expect(result.metrics.detectionTimesMs[0]).toBeGreaterThan(200)
    expect(result.metrics.detectionTimesMs[0]).toBeLessThanOrEqual(307.5)
    expect(held(result, "no-false-suspicion")).toBe(true)
    expect(held(result, "crash-detected-within-timeout")).toBe(true)
  })

  it("suspects the paused n1 although it is alive with --pause-ms 500", async () => {
    const result = await report(["--pause-ms", "500"])

    expect(result.metrics.nodes.n1!.falseSuspicions).toBe(1)
    expect(held(result, "no-false-suspicion")).toBe(false)
    expect(result.checks[0]!.detail).toContain(
      "n1 suspected at t=706.2ms after 300ms of silence although it was alive (paused)",
    )
  })

  it("trades detection time for false suspicions: a shorter timeout detects sooner and suspects more", async () => {
    const short = await report(["--timeout-ms", "150", "--loss", "0.2"])
    const long = await report(["--timeout-ms", "600", "--loss", "0.2"])

    expect(short.metrics.meanDetectionMs!).toBeLessThan(long.metrics.meanDetectionMs!)
    expect(short.metrics.falseSuspicions).toBeGreaterThan(long.metrics.falseSuspicions)
    expect(long.metrics.falseSuspicions).toBe(0)
  })

  it("suspects a partitioned node, and blames the partition", async () => {
    const result = await report(["--partition-ms", "600"])

    expect(result.metrics.nodes.n2!.falseSuspicions).toBe(1)
    expect(result.checks[0]!.detail).toContain("(partitioned)")
  })

  it("misses the crash deadline when the monitor itself stalls", async () => {
    const result = await report([
      "--faults",
      '{"faults":[{"kind":"pause","node":"monitor","at":1600,"durationMs":400}]}',
    ])

    expect(held(result, "crash-detected-within-timeout")).toBe(false)
    expect(result.checks[1]!.detail).toContain("n3 crashed at t=1550ms and was suspected only at t=2000ms")
  })

  it("draws a different fault plan for each seed with --swarm, and shows it", async () => {
    const run = await runCaptured(failureDetector, ["--swarm", "--seed", "13", "--width", "10000"])

    expect(run.stdout).toContain("swarm seed=13 (4 nodes, 2000ms)")
    expect(run.stdout).toContain("t=2000ms  heal:")
    expect(run.stdout).toContain("FALSE: it is alive (a link fault drops its heartbeats)")
  })
})
