import { describe, expect, it } from "vitest"
import tcpCongestion, { parseFlows } from "../../sims/tcp-congestion.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("tcp-congestion", {
  badInputs: [
    { args: ["--mss", "0"], stderr: "bad value for --mss: 0; allowed: an integer >= 1" },
    {
      args: ["--algorithm", "bbr"],
      stderr: 'bad value for --algorithm: "bbr"; allowed: one of tahoe, reno, newreno, cubic',
    },
    { args: ["--loss", "1"], stderr: "bad value for --loss: 1; allowed: a number >= 0 and < 1" },
    { args: ["--loss", "-0.1"], stderr: "bad value for --loss: -0.1" },
    { args: ["--flows", "reno,bbr"], stderr: "bad value for --flows" },
    { args: ["--flows", "9"], stderr: "a count from 1 to 8" },
  ],
  jsonArgs: ["--duration-s", "2"],
})

interface Report {
  simTime: number
  metrics: {
    cwndSeries: { t: number; cwnd: number; ssthresh: number | null }[][]
    throughputMbps: number[]
    retransmits: number[]
    timeouts: number[]
    fastRetransmits: number[]
    utilisation: number
    jainFairness: number
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(tcpCongestion, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim tcp-congestion", () => {
  it("reads --flows as a count of --algorithm flows or as a list", () => {
    expect(parseFlows("2", "cubic")).toEqual(["cubic", "cubic"])
    expect(parseFlows("reno,cubic", "tahoe")).toEqual(["reno", "cubic"])
    expect(parseFlows("0", "reno")).toBeUndefined()
    expect(parseFlows("reno,", "reno")).toBeUndefined()
  })

  it("bare: one Reno flow gets 8.637 Mbit/s of 10 with 14 fast retransmits and 1 timeout; every check holds", async () => {
    const result = await report([])

    expect(result.metrics.throughputMbps).toEqual([8.637])
    expect(result.metrics.fastRetransmits).toEqual([14])
    expect(result.metrics.timeouts).toEqual([1])
    expect(result.metrics.retransmits).toEqual([87])
    expect(result.metrics.utilisation).toBe(0.8909)
    expect(result.metrics.jainFairness).toBe(1)
    expect(result.checks.map((check) => [check.name, check.held])).toEqual([
      ["cwnd-at-least-one-mss", true],
      ["in-flight-within-window", true],
      ["ssthresh-after-loss", true],
    ])
  })

  it("reports the window history in segments and seconds: IW 3 at t=0, one more per ACK in slow start", async () => {
    const result = await report(["--duration-s", "1"])

    expect(result.metrics.cwndSeries[0]!.slice(0, 3)).toEqual([
      { t: 0, cwnd: 3, ssthresh: null },
      { t: 0.081264, cwnd: 4, ssthresh: null },
      { t: 0.082464, cwnd: 5, ssthresh: null },
    ])
  })

  it("gives every flow its own series and throughput with --flows reno,cubic", async () => {
    const result = await report(["--flows", "reno,cubic", "--duration-s", "5"])

    expect(result.metrics.cwndSeries).toHaveLength(2)
    expect(result.metrics.throughputMbps).toHaveLength(2)
    expect(result.metrics.jainFairness).toBeLessThan(1)
  })
})
