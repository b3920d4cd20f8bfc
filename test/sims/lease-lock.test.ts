import { describe, expect, it } from "vitest"
import leaseLock from "../../sims/lease-lock.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("lease-lock", {
  badInputs: [
    { args: ["--ttl-ms", "0"], stderr: "bad value for --ttl-ms: 0; allowed: an integer >= 10" },
    { args: ["--fencing", "maybe"], stderr: 'unexpected argument "maybe" after --fencing, which takes true or false' },
    {
      args: ["--service", "zookeeper"],
      stderr: 'bad value for --service: "zookeeper"; allowed: one of redis, redlock, etcd',
    },
    { args: ["--redis-nodes", "4"], stderr: "--redis-nodes 4: Redlock needs an odd number of servers" },
    {
      args: ["--pause-at", "6000"],
      stderr: "--pause-at 6000, --pause-ms 1500, --duration-ms 5000: the pause must start",
    },
    { args: ["--clock-jump-ms", "100"], stderr: "use it with --service redlock" },
    {
      args: ["--faults", '{"faults":[{"kind":"crash","node":"client-3","at":1}]}'],
      stderr: 'node is "client-3", an unknown node',
    },
  ],
})

interface Report {
  metrics: {
    overlapMs: number
    staleWritesAccepted: number
    staleWritesRejected: number
    acquisitions: number
    finalValue: string | null
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(leaseLock, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

function verdicts(result: Report): Record<string, boolean> {
  return Object.fromEntries(result.checks.map((check) => [check.name, check.held]))
}

describe("sim lease-lock lessons", () => {
  it("bare: client-0's 1.5 s pause gives two holders for 513 ms and a stale write accepted", async () => {
    const result = await report([])
    expect(result.metrics).toEqual({
      overlapMs: 513.297,
      staleWritesAccepted: 1,
      staleWritesRejected: 0,
      acquisitions: 8,
      finalValue: "client-1#3.3",
    })
    expect(verdicts(result)).toEqual({ "mutual-exclusion": false, "no-stale-write-accepted": false })
  })

  it("--fencing true on the same seed: the same overlap, the stale write rejected", async () => {
    const result = await report(["--fencing", "true"])
    expect(result.metrics).toMatchObject({ overlapMs: 513.297, staleWritesAccepted: 0, staleWritesRejected: 1 })
    expect(verdicts(result)).toEqual({ "mutual-exclusion": false, "no-stale-write-accepted": true })
  })

  it("a pause shorter than TTL/3 with renewals: no overlap", async () => {
    const result = await report(["--pause-ms", "300"])
    expect(result.metrics).toMatchObject({ overlapMs: 0, staleWritesAccepted: 0, staleWritesRejected: 0 })
    expect(verdicts(result)).toEqual({ "mutual-exclusion": true, "no-stale-write-accepted": true })
  })

  it("etcd: a pause past its 2 s minimum lease gives two holders and a stale write; fencing rejects it (revision tokens)", async () => {
    const bare = await report(["--service", "etcd", "--pause-ms", "3000"])
    expect(bare.metrics).toMatchObject({ overlapMs: 595.577, staleWritesAccepted: 1, staleWritesRejected: 0 })
    const fenced = await report(["--service", "etcd", "--pause-ms", "3000", "--fencing", "true"])
    expect(fenced.metrics).toMatchObject({ overlapMs: 595.577, staleWritesAccepted: 0, staleWritesRejected: 1 })
    expect(verdicts(fenced)).toEqual({ "mutual-exclusion": false, "no-stale-write-accepted": true })
  })

  it("etcd with the bare 1.5 s pause: the 2 s lease covers it, no overlap", async () => {
    const result = await report(["--service", "etcd"])
    expect(result.metrics).toMatchObject({ overlapMs: 0, staleWritesAccepted: 0 })
  })

  it("redlock with a clock jump on one server of client-0's majority: two holders without any pause", async () => {
    const result = await report([
      "--service",
      "redlock",
      "--clock-jump-ms",
      "1000",
      "--renew",
      "false",
      "--pause-ms",
      "0",
    ])
    expect(result.metrics.overlapMs).toBeGreaterThan(0)
    expect(verdicts(result)["mutual-exclusion"]).toBe(false)
  })
})
