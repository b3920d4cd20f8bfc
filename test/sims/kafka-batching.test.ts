import { describe, expect, it } from "vitest"
import kafkaBatching from "../../sims/kafka-batching.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("kafka-batching", {
  badInputs: [
    { args: ["--linger-ms", "-1"], stderr: "bad value for --linger-ms: -1" },
    { args: ["--rate", "0"], stderr: "bad value for --rate: 0" },
  ],
  jsonArgs: ["--messages", "5000"],
})

interface Report {
  metrics: {
    throughput: number
    latencyP50Ms: number
    latencyP99Ms: number
    requests: number
    sweep: { lingerMs: number; requests: number; latencyP99Ms: number }[]
  }
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(kafkaBatching, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim kafka-batching lessons", () => {
  it("sends fewer requests and waits longer as linger.ms grows", async () => {
    const result = await report([])
    const byLinger = new Map(result.metrics.sweep.map((point) => [point.lingerMs, point]))

    expect(byLinger.get(0)!.requests).toBeGreaterThan(byLinger.get(5)!.requests)
    expect(byLinger.get(5)!.requests).toBeGreaterThan(byLinger.get(100)!.requests)
    expect(byLinger.get(100)!.latencyP99Ms).toBeGreaterThan(byLinger.get(0)!.latencyP99Ms)
    expect(result.metrics.throughput).toBeGreaterThan(19_000)
  })

  it("sends a request per few records with a tiny batch.size", async () => {
    const small = await report(["--batch-size", "1024", "--sweep=false"])
    const large = await report(["--sweep=false"])

    expect(small.metrics.requests).toBeGreaterThan(large.metrics.requests * 4)
  })
})
