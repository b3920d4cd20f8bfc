import { describe, expect, it } from "vitest"
import kafkaOrdering from "../../sims/kafka-ordering.ts"
import { partitionFor } from "../../src/models/kafka/index.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("kafka-ordering", {
  badInputs: [
    { args: ["--partitions", "0"], stderr: "bad value for --partitions: 0" },
    { args: ["--keys", "a,,b"], stderr: "comma-separated non-empty keys" },
    { args: ["--max-in-flight", "6"], stderr: "idempotence needs max.in.flight.requests.per.connection <= 5" },
  ],
})

interface Report {
  metrics: { keyPartitions: Record<string, number>; reorderedKeys: number; duplicates: number; partitionsUsed: number }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(kafkaOrdering, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim kafka-ordering lessons", () => {
  it("keeps every key in order with idempotence despite retries, and maps keys with Kafka's murmur2", async () => {
    const result = await report([])

    expect(result.metrics.reorderedKeys).toBe(0)
    expect(result.metrics.duplicates).toBe(0)
    expect(result.metrics.keyPartitions).toEqual({
      "user-1": partitionFor("user-1", 3),
      "user-2": partitionFor("user-2", 3),
      "user-3": partitionFor("user-3", 3),
      orders: partitionFor("orders", 3),
      payments: partitionFor("payments", 3),
    })
    expect(result.checks.find((check) => check.name === "per-key-order")!.held).toBe(true)
  })

  it("reorders and duplicates a key's records without idempotence and with five requests in flight", async () => {
    const result = await report(["--idempotent", "false", "--loss", "0.1"])

    expect(result.metrics.reorderedKeys).toBeGreaterThan(0)
    expect(result.metrics.duplicates).toBeGreaterThan(0)
    expect(result.checks.find((check) => check.name === "per-key-order")!.detail).toContain("sent later")
  })

  it("puts every key on one partition with --partitions 1", async () => {
    const result = await report(["--partitions", "1"])

    expect(result.metrics.partitionsUsed).toBe(1)
    expect(result.metrics.reorderedKeys).toBe(0)
  })
})
