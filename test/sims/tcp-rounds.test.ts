import { describe, expect, it } from "vitest"
import tcpRounds from "../../sims/tcp-rounds.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("tcp-rounds", {
  seedless: true,
  badInputs: [
    { args: ["--events", "8:drop"], stderr: 'unknown kind "drop" (allowed: dup, timeout)' },
    { args: ["--events", "8:dup,8:timeout"], stderr: "round 8 has more than one event" },
    { args: ["--events", "0:dup"], stderr: "rounds count from 1" },
    {
      args: ["--events", "16:dup"],
      stderr: "contradictory flags --events 16:dup, --rounds 15: every event's round must be at most --rounds",
    },
    { args: ["--initial-cwnd", "0"], stderr: "bad value for --initial-cwnd: 0" },
    { args: ["--ssthresh", "0"], stderr: "bad value for --ssthresh: 0" },
    { args: ["--rounds", "1001"], stderr: "bad value for --rounds: 1001" },
    { args: ["--algorithm", "cubic"], stderr: "--algorithm" },
  ],
})

interface Metrics {
  cwnd: number[]
  ssthresh: number[]
  phases: string[]
  segmentsSent: number[]
}

async function metrics(args: string[]): Promise<Metrics> {
  const run = await runCaptured(tcpRounds, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return (JSON.parse(run.stdout) as { metrics: Metrics }).metrics
}

const P40 = ["--ssthresh", "32", "--events", "16:dup,22:timeout", "--rounds", "26"]
const repeat = <T>(value: T, times: number): T[] => Array<T>(times).fill(value)

describe("sim tcp-rounds reproduces Kurose & Ross", () => {
  it("bare: Figure 3.52's Reno curve, with ssthresh and phases per round", async () => {
    expect(await metrics([])).toEqual({
      cwnd: [1, 2, 4, 8, 9, 10, 11, 12, 9, 10, 11, 12, 13, 14, 15],
      ssthresh: [...repeat(8, 8), ...repeat(6, 7)],
      phases: [
        ...repeat("slow-start", 4),
        ...repeat("congestion-avoidance", 4),
        "fast-recovery",
        ...repeat("congestion-avoidance", 6),
      ],
      segmentsSent: [1, 3, 7, 15, 24, 34, 45, 57, 66, 76, 87, 99, 112, 126, 141],
    })
  })

  it("--algorithm tahoe: Figure 3.52's Tahoe curve", async () => {
    const { cwnd, ssthresh, phases } = await metrics(["--algorithm", "tahoe"])
    expect(cwnd).toEqual([1, 2, 4, 8, 9, 10, 11, 12, 1, 2, 4, 6, 7, 8, 9])
    expect(ssthresh).toEqual([...repeat(8, 8), ...repeat(6, 7)])
    expect(phases).toEqual([
      ...repeat("slow-start", 4),
      ...repeat("congestion-avoidance", 4),
      ...repeat("slow-start", 4),
      ...repeat("congestion-avoidance", 3),
    ])
  })

  it("P40: ssthresh 21 at round 18 and 14 at round 24; rounds 1-6 send 63, so the 70th segment goes in round 7", async () => {
    const { cwnd, ssthresh, segmentsSent } = await metrics(P40)
    expect(cwnd).toEqual([
      1, 2, 4, 8, 16, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 24, 25, 26, 27, 28, 29, 1, 2, 4, 8,
    ])
    expect([ssthresh[17], ssthresh[23]]).toEqual([21, 14])
    expect([segmentsSent[5], segmentsSent[6]]).toEqual([63, 96])
  })

  it("P40 with a third loss after round 26: ssthresh 4, cwnd 7; under Tahoe rounds 17-22 send 52", async () => {
    const more = await metrics(["--ssthresh", "32", "--events", "16:dup,22:timeout,26:dup", "--rounds", "27"])
    expect([more.cwnd[26], more.ssthresh[26]]).toEqual([7, 4])
    const tahoe = await metrics(["--algorithm", "tahoe", ...P40])
    expect([tahoe.ssthresh[18], tahoe.cwnd[18]]).toEqual([21, 4])
    expect(tahoe.segmentsSent[21]! - tahoe.segmentsSent[15]!).toBe(52)
  })

  it("says in the text that the answer keys count a fast-recovery round as congestion avoidance, only when one appears", async () => {
    const reno = (await runCaptured(tcpRounds, [])).stdout.replace(/\s+/g, " ")
    const tahoe = (await runCaptured(tcpRounds, ["--algorithm", "tahoe"])).stdout.replace(/\s+/g, " ")
    expect(reno).toContain("Kurose & Ross's answer keys count fast-recovery rounds as congestion avoidance")
    expect(reno).toContain("by that count, congestion avoidance runs in rounds 5-15.")
    expect(tahoe).not.toContain("answer keys")
  })

  it("--events none: slow start to ssthresh, then +1 per round; the loss check is vacuous", async () => {
    const run = await runCaptured(tcpRounds, ["--events", "none", "--rounds", "6", "--json"])
    const report = JSON.parse(run.stdout) as { metrics: Metrics; checks: { name: string; detail: string }[] }
    expect(report.metrics.cwnd).toEqual([1, 2, 4, 8, 9, 10])
    expect(report.checks.find((c) => c.name === "ssthresh-after-loss")!.detail).toContain("vacuous")
  })
})
