import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { afterAll, describe, expect, it } from "vitest"
import goroutineLeak from "../../sims/goroutine-leak.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { binaryOnPath } from "../real-tools.ts"
import { describeSim } from "./sim-suite.ts"

const work = mkdtempSync(join(tmpdir(), "goroutine-leak-"))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describeSim("goroutine-leak", {
  badInputs: [
    { args: ["--rps", "0"], stderr: "bad value for --rps: 0; allowed: a number > 0 and <= 10000" },
    { args: ["--fix", "chan"], stderr: 'bad value for --fix: "chan"; allowed: one of none, buffered, context' },
    { args: ["--timeout-ms", "-5"], stderr: "bad value for --timeout-ms: -5" },
    { args: ["--duration-s", "0"], stderr: "bad value for --duration-s: 0" },
    {
      args: ["--profile", join(work, "no-such-dir", "heap.pb.gz")],
      stderr: `cannot write --profile ${join(work, "no-such-dir", "heap.pb.gz")}`,
    },
  ],
  jsonArgs: ["--duration-s", "10"],
})

interface Report {
  metrics: Record<string, number>
  checks: { name: string; held: boolean; detail: string }[]
}

async function report(args: string[]): Promise<Report> {
  const run = await runCaptured(goroutineLeak, [...args, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Report
}

describe("sim goroutine-leak", () => {
  it("leaks 827 workers in the bare run and none with either fix, on the same 6,019 requests", async () => {
    const none = await report([])
    const buffered = await report(["--fix", "buffered"])
    const context = await report(["--fix", "context"])

    expect([none.metrics.blockedGoroutines, none.metrics.goroutinesAtEnd, none.metrics.heapInUseBytes]).toEqual([
      827, 837, 18_802_688,
    ])
    expect(none.checks).toEqual([expect.objectContaining({ name: "goroutines-bounded", held: false })])
    for (const fixed of [buffered, context]) {
      expect([fixed.metrics.requests, fixed.metrics.timedOut, fixed.metrics.blockedGoroutines]).toEqual([6019, 827, 0])
      expect(fixed.metrics.goroutinesAtEnd).toBe(10)
      expect(fixed.checks[0]!.held).toBe(true)
    }
    // Allocation looks the same: within 0.2% of the leaking run's.
    expect(Math.abs(buffered.metrics.heapAllocBytes! / none.metrics.heapAllocBytes! - 1)).toBeLessThan(0.002)
  })

  it("--profile writes the same gzipped profile on every run of the same seed, and only when asked", async () => {
    const [a, b] = [join(work, "a.pb.gz"), join(work, "b.pb.gz")]

    const first = await runCaptured(goroutineLeak, ["--duration-s", "5", "--profile", a, "--json"])
    await runCaptured(goroutineLeak, ["--duration-s", "5", "--profile", b, "--json"])

    expect(first.code).toBe(0)
    expect(readFileSync(a)).toEqual(readFileSync(b))
    expect([...readFileSync(a).subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]) // gzip, deflate
    expect(readFileSync(a)[9]).toBe(255) // OS unknown, as Go's gzip writer
    expect(gunzipSync(readFileSync(a)).length).toBeGreaterThan(100)
    expect(existsSync(join(work, "c.pb.gz"))).toBe(false)
  })

  const go = binaryOnPath("go")
  it.skipIf(go === undefined)(
    `go tool pprof -top reads the --profile file and shows the report's rows (${go ?? "go not on PATH: skipped"})`,
    async () => {
      const file = join(work, "heap.pb.gz")

      const text = await runCaptured(goroutineLeak, ["--duration-s", "20", "--profile", file])
      const env = { ...process.env, HOME: work, GOCACHE: join(work, "cache"), GOFLAGS: "", PPROF_TMPDIR: work }
      const real = spawnSync(go!, ["tool", "pprof", "-top", "-sample_index=inuse_space", file], {
        encoding: "utf8",
        env,
      })

      expect(real.status, real.stderr).toBe(0)
      const rows = (out: string) =>
        out.split("\n").filter((line) => /^\s+\S+\s+[\d.]+%\s+[\d.]+%\s+\S+\s+[\d.]+%\s+\S/.test(line))
      const ours = rows(text.stdout).map((line) => line.trim())
      const theirs = rows(real.stdout).map((line) => line.trim())
      expect(theirs.length).toBe(6)
      expect(ours.slice(0, theirs.length)).toEqual(theirs)
      expect(theirs[0]).toMatch(/ main\.worker$/)
    },
  )
})
