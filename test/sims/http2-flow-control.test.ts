import { describe, expect, it } from "vitest"
import http2FlowControl from "../../sims/http2-flow-control.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("http2-flow-control", {
  jsonArgs: ["--jitter-ms", "2"],
  badInputs: [
    { args: ["--update-threshold", "0"], stderr: "bad value for --update-threshold: 0" },
    { args: ["--update-threshold", "1.5"], stderr: "bad value for --update-threshold: 1.5" },
    { args: ["--bad-update", "negative"], stderr: "--bad-update" },
    { args: ["--max-frame-size", "16383"], stderr: "bad value for --max-frame-size: 16383" },
    { args: ["--max-frame-size", "16777216"], stderr: "bad value for --max-frame-size: 16777216" },
    { args: ["--new-initial-window", "2147483649"], stderr: "bad value for --new-initial-window: 2147483649" },
    { args: ["--connection-window", "1000"], stderr: "bad value for --connection-window: 1000" },
    { args: ["--padding", "256"], stderr: "bad value for --padding: 256" },
    { args: ["--streams", "0"], stderr: "bad value for --streams: 0" },
    // Slower than a segment per retransmission timeout: the run never ended (see the flag's comment).
    { args: ["--bandwidth-mbps", "0.0001"], stderr: "bad value for --bandwidth-mbps: 0.0001" },
  ],
})

interface Report {
  metrics: {
    windowSeries: { t: number; stream: number; window: number }[]
    bytesSent: Record<string, number>
    blockedMs: Record<string, number>
    errors: { by: string; scope: string; stream: number; error: string }[]
    windowUpdates: number
    completedStreams: number[]
    transferMs: number | null
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(http2FlowControl, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim http2-flow-control", () => {
  it("bare (over TCP): both uploads complete, the SETTINGS decrease at 150 ms takes streams 1 and 3 to -16,384 and -16,383, both checks hold", async () => {
    const { metrics, checks } = await report([])
    expect(metrics.bytesSent).toEqual({ "1": 200_000, "3": 200_000 })
    expect(metrics.completedStreams).toEqual([1, 3])
    expect(metrics.errors).toEqual([])
    expect([metrics.transferMs, metrics.windowUpdates]).toEqual([690.18304, 34])
    const least = (stream: number) =>
      Math.min(...metrics.windowSeries.filter((p) => p.stream === stream).map((p) => p.window))
    expect([least(0), least(1), least(3)]).toEqual([0, -16_384, -16_383])
    expect(Math.max(...metrics.windowSeries.map((p) => p.window))).toBe(65_535)
    expect(checks.map((c) => [c.name, c.held])).toEqual([
      ["stream-window-respected", true],
      ["connection-window-respected", true],
    ])
  })

  it("--bandwidth-mbps 0.001, the slowest link allowed: both uploads complete", async () => {
    const run = await runCaptured(http2FlowControl, ["--bandwidth-mbps", "0.001", "--json"])
    const report = JSON.parse(run.stdout) as Report

    expect(run.code).toBe(0)
    expect(report.metrics.completedStreams).toEqual([1, 3])
    expect(report.metrics.transferMs).toBeGreaterThan((400_000 * 8) / 1)
  })

  it("--new-initial-window 1: the chart of 1,003,420 window changes is drawn (Math.min(...values) overflowed the stack)", async () => {
    const run = await runCaptured(http2FlowControl, ["--new-initial-window", "1"])

    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("The client's send windows over time")
  }, 60_000)

  it("--bad-update zero: stream 1 is reset with PROTOCOL_ERROR; on stream 0 the connection ends", async () => {
    const onStream = await report(["--bad-update", "zero"])
    expect(onStream.metrics.errors).toMatchObject([
      { by: "client", scope: "stream", stream: 1, error: "PROTOCOL_ERROR" },
    ])
    expect(onStream.metrics.completedStreams).toEqual([3])
    const onConnection = await report(["--bad-update", "zero", "--bad-update-stream", "0"])
    expect(onConnection.metrics.errors).toMatchObject([
      { by: "client", scope: "connection", stream: 0, error: "PROTOCOL_ERROR" },
    ])
    expect(onConnection.metrics.transferMs).toBeNull()
  })

  it("--new-initial-window 2147483648: a connection FLOW_CONTROL_ERROR", async () => {
    const { metrics } = await report(["--new-initial-window", "2147483648"])
    expect(metrics.errors).toMatchObject([{ by: "client", scope: "connection", error: "FLOW_CONTROL_ERROR" }])
  })

  it("a larger connection window makes one 1 MB stream with a 1 MB stream window three times faster (TCP's slow start caps the rest)", async () => {
    const args = ["--new-initial-window", "1048576", "--streams", "1", "--bytes-per-stream", "1000000"]
    const small = await report(args)
    const large = await report([...args, "--connection-window", "1048576"])
    expect([small.metrics.transferMs, large.metrics.transferMs].map((ms) => Math.round(ms!))).toEqual([1204, 393])
  })
})
