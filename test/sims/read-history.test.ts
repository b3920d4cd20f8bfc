import { describe, expect, it } from "vitest"
import readHistory from "../../sims/read-history.ts"
import { runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("read-history", {
  badInputs: [
    { args: ["--reset", "none"], stderr: 'bad value for --reset: "none"; allowed: one of earliest, latest' },
    { args: ["--partitions", "0"], stderr: "bad value for --partitions: 0" },
    { args: ["--consumers", "9"], stderr: "bad value for --consumers: 9" },
    { args: ["--rate", "0"], stderr: "bad value for --rate: 0" },
    { args: ["--processing-ms", "-1"], stderr: "bad value for --processing-ms: -1" },
    { args: ["--join-at-ms", "-5"], stderr: "bad value for --join-at-ms: -5" },
    { args: ["--join-at-ms", "50000"], stderr: "allowed: a time below --duration-ms minus 10000" },
    { args: ["--duration-ms", "0"], stderr: "bad value for --duration-ms: 0" },
  ],
})

interface Reading {
  processed: number
  toRead: number
  duplicates: number
  lost: number
  committedOffsets: Record<string, number>
  lagAtEnd: number
  startedAtMs: number
  startOffsets: Record<string, number>
  caughtUpAtMs: number
  commits: number
}

interface Report {
  metrics: { orders: Reading; history: Reading }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(readHistory, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim read-history lessons", () => {
  it("bare run: history replays t0 from offset 0 and catches up at 29.0 s; orders' commits are those of a run without it", async () => {
    const r = await report([])
    const committed = { t0p0: 1556, t0p1: 1804, t0p2: 1640 }
    expect(r.metrics.orders).toEqual({
      processed: 5000,
      toRead: 5000,
      duplicates: 0,
      lost: 0,
      committedOffsets: committed,
      lagAtEnd: 0,
      startedAtMs: 0,
      startOffsets: { t0p0: 0, t0p1: 0, t0p2: 0 },
      caughtUpAtMs: 0,
      commits: 20,
    })
    expect(r.metrics.history).toEqual({
      processed: 5000,
      toRead: 5000,
      duplicates: 0,
      lost: 0,
      committedOffsets: committed,
      lagAtEnd: 0,
      startedAtMs: 20_000,
      startOffsets: { t0p0: 0, t0p1: 0, t0p2: 0 },
      caughtUpAtMs: 29_014.915,
      commits: 12,
    })
    expect(r.checks.map((c) => [c.name, c.held])).toEqual([
      ["every-record-seen (orders)", true],
      ["every-record-seen (history)", true],
      ["first-group-untouched", true],
    ])
  })

  it("--reset latest: history starts at the log end and never sees the 2,600 records written before; orders is the same", async () => {
    const [latest, earliest] = [await report(["--reset", "latest"]), await report([])]
    expect(latest.metrics.history).toMatchObject({
      startOffsets: { t0p0: 820, t0p1: 960, t0p2: 820 },
      toRead: 2400,
      processed: 2400,
      caughtUpAtMs: 0,
    })
    expect(latest.metrics.orders).toEqual(earliest.metrics.orders)
    expect(latest.checks.every((c) => c.held)).toBe(true)
  })
})
