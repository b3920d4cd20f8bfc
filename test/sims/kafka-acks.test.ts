import { describe, expect, it } from "vitest"
import kafkaAcks from "../../sims/kafka-acks.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("kafka-acks", {
  badInputs: [
    { args: ["--acks", "2"], stderr: 'bad value for --acks: "2"' },
    { args: ["--replication-factor", "4"], stderr: "the replication factor cannot exceed the number of brokers" },
    {
      args: ["--min-insync", "4"],
      stderr: "contradictory flags --acks all, --min-insync 4, --replication-factor 3: with acks=all a write needs",
    },
    {
      args: ["--acks", "-1", "--replication-factor", "2", "--min-insync", "3"],
      stderr: "allowed: --min-insync from 1 to --replication-factor",
    },
    { args: ["--faults", "nope"], stderr: "the fault plan is not valid JSON" },
    { args: ["--faults", '{"faults":[{"kind":"crash","node":"zz","at":1}]}'], stderr: 'node is "zz", an unknown node' },
  ],
})

interface Report {
  metrics: {
    errors: Record<string, number>
    visibleLost: number
    acknowledged: number
    lost: number
    duplicates: number
    rejected: number
    leaderChanges: number
    unavailableMs: number
    lostRecords: { why: string }[]
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(kafkaAcks, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

function held(result: Report, name: string): boolean {
  return result.checks.find((check) => check.name === name)!.held
}

describe("sim kafka-acks lessons", () => {
  it("fails over on a bare run without losing an acknowledged record", async () => {
    const result = await report([])

    expect(result.metrics.acknowledged).toBe(1000)
    expect(result.metrics.lost).toBe(0)
    expect(result.metrics.leaderChanges).toBe(1)
    expect(result.metrics.unavailableMs).toBeGreaterThan(8000)
    expect(held(result, "no-acked-write-lost")).toBe(true)
    expect(held(result, "no-duplicates")).toBe(true)
  })

  it("loses acknowledged records with --acks 1 on the same seed, and says why", async () => {
    const result = await report(["--acks", "1"])

    expect(result.metrics.lost).toBeGreaterThan(0)
    expect(held(result, "no-acked-write-lost")).toBe(false)
    expect(result.metrics.lostRecords[0]!.why).toContain("b1 truncated offsets")
    expect(result.metrics.lostRecords[0]!.why).toContain("acks=1")
    expect(result.metrics.visibleLost).toBe(0)
  })

  it("refuses writes instead of losing them when the ISR shrinks below min.insync.replicas", async () => {
    const result = await report([
      "--crash-leader-at",
      "-1",
      "--replica-lag-ms",
      "2000",
      "--messages",
      "3000",
      "--faults",
      '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":8000}]}',
    ])

    expect(result.metrics.lost).toBe(0)
    expect(result.metrics.errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND).toBeGreaterThan(0)
  })

  it("loses acknowledged acks=all writes with min.insync.replicas=1 and unclean election after the ISR shrank", async () => {
    const result = await report([
      "--min-insync",
      "1",
      "--unclean-election",
      "--replica-lag-ms",
      "300",
      "--crash-leader-at",
      "-1",
      "--faults",
      '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":700},{"kind":"crash","node":"b1","at":900,"restart":false}]}',
    ])

    expect(result.metrics.lost).toBeGreaterThan(0)
    expect(result.metrics.lostRecords[0]!.why).toContain("unclean")
  })
})
