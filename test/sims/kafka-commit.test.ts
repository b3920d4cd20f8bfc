import { describe, expect, it } from "vitest"
import kafkaCommit from "../../sims/kafka-commit.ts"
import { runCaptured, runCapturedOnce } from "../cli/run-captured.ts"
import { describeSim } from "./sim-suite.ts"

describeSim("kafka-commit", {
  badInputs: [
    {
      args: ["--commit", "x"],
      stderr: 'bad value for --commit: "x"; allowed: one of auto, sync, async, max, contiguous',
    },
    { args: ["--workers", "0"], stderr: "bad value for --workers: 0; allowed: an integer >= 1" },
    {
      args: ["--commit", "max", "--workers", "1"],
      stderr: "--commit max and contiguous are commit rules of a worker pool",
    },
    { args: ["--commit", "contiguous"], stderr: "allowed: --workers 2 or more" },
    { args: ["--crash-at", "-5"], stderr: "bad value for --crash-at -5: a time in ms >= 0, or none" },
    { args: ["--crash-at", "70000"], stderr: "allowed: a time below --duration-ms, or none" },
    { args: ["--processing-ms", "-1"], stderr: "bad value for --processing-ms: -1" },
    { args: ["--auto-commit-interval-ms", "0"], stderr: "bad value for --auto-commit-interval-ms: 0" },
    { args: ["--seek", "-3"], stderr: "bad value for --seek -3: a whole number >= 0, or none" },
    { args: ["--seek", "5000"], stderr: "allowed: 0 up to --records, or none" },
    { args: ["--duration-ms", "-1"], stderr: "bad value for --duration-ms: -1" },
    { args: ["--retry-async"], stderr: "allowed: --retry-async with --commit async" },
    { args: ["--request-timeout-ms", "0"], stderr: "bad value for --request-timeout-ms: 0" },
    { args: ["--faults", '{"faults":[{"kind":"crash","node":"zz","at":1}]}'], stderr: 'node is "zz", an unknown node' },
  ],
})

interface Report {
  metrics: {
    processed: number
    lost: number
    duplicates: number
    committedOffset: number
    lostOffsets: Record<string, string>
    duplicateOffsets: Record<string, string>
    acknowledged: number
    pending: number
    commits: number
    resumedAtOffset: number
  }
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCapturedOnce(kafkaCommit, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim kafka-commit lessons", () => {
  it("bare run (auto-commit, one worker): the replacement repeats what came after the last auto-commit, nothing lost", async () => {
    const r = await report([])
    expect(r.metrics).toEqual({
      processed: 3000,
      lost: 0,
      duplicates: 141,
      committedOffset: 3000,
      lostOffsets: {},
      duplicateOffsets: { t0p0: "500-640" },
      acknowledged: 3000,
      pending: 0,
      commits: 7,
      resumedAtOffset: 500,
    })
    expect(r.checks.map((c) => [c.name, c.held])).toEqual([["no-message-lost", true]])
  })

  it("--commit max --workers 4 loses a slow record on the default seed; the check names it", async () => {
    const r = await report(["--commit", "max", "--workers", "4"])
    expect([r.metrics.lost, r.metrics.lostOffsets, r.metrics.resumedAtOffset]).toEqual([1, { t0p0: "1184" }, 1198])
    expect(r.checks[0]!.held).toBe(false)
    expect(r.checks[0]!.detail).toContain("lost t0p0: 1184")
    expect(r.checks[0]!.detail).toContain(
      "the highest finished offset 1185 + 1 while 1184 was unfinished (the max rule)",
    )
  })

  it("--commit contiguous --workers 4 never loses, on seeds 1..5: what was in flight is processed again", async () => {
    for (const seed of ["1", "2", "3", "4", "5"]) {
      const r = await report(["--commit", "contiguous", "--workers", "4", "--seed", seed])
      expect(r.metrics.lost, `seed ${seed}`).toBe(0)
      expect(r.metrics.processed, `seed ${seed}`).toBe(3000)
      expect(r.checks[0]!.held, `seed ${seed}`).toBe(true)
    }
  })

  it("--commit max --workers 4 loses records on most seeds (the crash must catch a slow record below the commit)", async () => {
    const lost: number[] = []
    for (const seed of ["1", "2", "3", "4", "5"])
      lost.push((await report(["--commit", "max", "--workers", "4", "--seed", seed])).metrics.lost)
    expect(lost).toEqual([1, 1, 1, 2, 3])
  })

  it("--commit async --retry-async --request-timeout-ms 5000 --crash-at 17000: the retried first commit moves the committed offset back from 1186 to 500 and the crash repeats 500-1376", async () => {
    const args = ["--commit", "async", "--retry-async", "--request-timeout-ms", "5000", "--crash-at", "17000"]
    const r = await report(args)
    expect(r.metrics).toEqual({
      processed: 3000,
      lost: 0,
      duplicates: 877,
      committedOffset: 3000,
      lostOffsets: {},
      duplicateOffsets: { t0p0: "500-1376" },
      acknowledged: 3000,
      pending: 0,
      commits: 10,
      resumedAtOffset: 500,
    })
    const text = await runCaptured(kafkaCommit, args)
    expect(text.stdout).toContain("[t=11026.5ms] LINK FAULT b1->c0: drop 100%")
    expect(text.stdout.replace(/\s+/g, " ")).toContain(
      "the retry landed at 16129.2ms, after the commit of 1186 at 15893.1ms: the committed offset went back from 1186 to 500. " +
        "c0 crashed at 17000.0ms before committing again, so c1 resumed at 500: offsets 500-1185, committed once already, were processed again too.",
    )
    // The same run without the retry: the lost answer costs nothing, c1 resumes from 1186.
    const plain = await report(["--commit", "async", "--request-timeout-ms", "5000", "--crash-at", "17000"])
    expect([plain.metrics.resumedAtOffset, plain.metrics.duplicateOffsets]).toEqual([1186, { t0p0: "1186-1376" }])
  })

  it("--seek skips the records below it: they are not the group's, and nothing is lost", async () => {
    const r = await report(["--seek", "1000", "--crash-at", "none"])
    expect(r.metrics).toMatchObject({
      acknowledged: 2000,
      processed: 2000,
      lost: 0,
      duplicates: 0,
      resumedAtOffset: -1,
    })
  })
})
