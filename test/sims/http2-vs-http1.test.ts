import { describe, expect, it } from "vitest"
import http2VsHttp1 from "../../sims/http2-vs-http1.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("http2-vs-http1", {
  jsonArgs: ["--loss", "0.02"],
  badInputs: [
    { args: ["--protocol", "h3"], stderr: "--protocol" },
    { args: ["--loss", "1"], stderr: "bad value for --loss: 1" },
    { args: ["--loss", "-0.1"], stderr: "bad value for --loss: -0.1" },
    { args: ["--resources", "0"], stderr: "bad value for --resources: 0" },
    { args: ["--rtt-ms", "-1"], stderr: "bad value for --rtt-ms: -1" },
    { args: ["--bandwidth-mbps", "0"], stderr: "bad value for --bandwidth-mbps: 0" },
    { args: ["--h2-window", "65534.5"], stderr: 'bad value for --h2-window: "65534.5"; allowed: an integer' },
    { args: ["--h2-window", "100"], stderr: "bad value for --h2-window: 100" },
  ],
})

interface Report {
  metrics: {
    protocol: string
    pageLoadMs: number
    resourceMs: { path: string; connection: number; stallMs: number; loadedMs: number }[]
    connections: number
    bytesOnWire: number
    headerBytes: { hpack: number; text: number }
    retransmits: number
    windowUpdates: number
    flowBlockedMs: number
    stallMs: number
  }
  checks: { name: string; held: boolean }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(http2VsHttp1, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim http2-vs-http1", () => {
  it("bare (h2): one connection, 1,331 ms, HPACK 1,820 of 14,981 header bytes, no stall, no flow-control wait", async () => {
    const { metrics, checks } = await report([])
    expect([metrics.protocol, metrics.connections, Math.round(metrics.pageLoadMs)]).toEqual(["h2", 1, 1331])
    expect(metrics.bytesOnWire).toBe(845_554)
    expect(metrics.headerBytes).toEqual({ hpack: 1820, text: 14_981 })
    expect([metrics.retransmits, metrics.stallMs]).toEqual([0, 0])
    expect([metrics.windowUpdates, metrics.flowBlockedMs]).toEqual([1, 0])
    expect(checks.map((c) => [c.name, c.held])).toEqual([["every-resource-loaded", true]])
  })

  it("--protocol h1 and h1-pipelined: six connections, responses in order, slower pages", async () => {
    for (const [protocol, ms] of [
      ["h1", 1628],
      ["h1-pipelined", 1311],
    ] as const) {
      const { metrics, checks } = await report(["--protocol", protocol])
      expect([metrics.connections, Math.round(metrics.pageLoadMs)]).toEqual([6, ms])
      expect(checks.every((c) => c.held)).toBe(true)
      expect(checks.map((c) => c.name)).toEqual(["every-resource-loaded", "responses-in-order"])
    }
  })

  it("--loss 0.02: h2's single connection stalls many streams at once", async () => {
    const { metrics } = await report(["--loss", "0.02"])
    expect(metrics.retransmits).toBe(10)
    expect(metrics.resourceMs.filter((r) => r.stallMs > 0).length).toBe(38)
    expect(Math.round(metrics.stallMs)).toBe(67_143)
  })

  it("the text run shows the waterfall and a lesson from the run's numbers", async () => {
    const run = await runCaptured(http2VsHttp1, ["--protocol", "h1", "--loss", "0.02"])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain("Waterfall")
    expect(run.stdout).toMatch(/ {3}0 \/ +16,975 c0 \|=##/)
    expect(run.stdout).toContain("HTTP/1.1 head-of-line blocking: 38 of 39 subresources waited for a connection")
    expect(run.stdout).toContain("TCP head-of-line blocking: 8 hole(s)")
  })

  it("--h2-window 65535: the RFC's stream window makes large responses wait for credit", async () => {
    const { metrics } = await report(["--h2-window", "65535"])
    expect([Math.round(metrics.pageLoadMs), metrics.windowUpdates, Math.round(metrics.flowBlockedMs)]).toEqual([
      1651, 13, 668,
    ])
  })

  it("--loss 0.9 --resources 2: the page never finishes within the simulated hour, and the lesson and the check say so", async () => {
    const run = await runCaptured(http2VsHttp1, ["--loss", "0.9", "--resources", "2"])
    expect(run.stdout).toContain("The page did not finish within the simulated hour: 0 of 2 resources arrived")
    expect(run.stdout).toMatch(/1 \/style\.css +1,164 c- \| +\| never requested/)
    const { metrics, checks } = await report(["--loss", "0.9", "--resources", "2"])
    expect(metrics.pageLoadMs).toBe(-1)
    expect(checks.map((c) => [c.name, c.held])).toEqual([["every-resource-loaded", false]])
  })
})
