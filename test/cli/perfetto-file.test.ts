/**
 * `--perfetto FILE`: the trace as Chrome trace-event JSON (the format Perfetto UI and
 * chrome://tracing open). The conversion on fixed lines, then the runner: every sim's bare run
 * writes a file that parses, with every message slice closed or in flight and time never going
 * backwards in a run; and bad paths are bad input with no file left.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { microsecondsPerUnit, PerfettoFile } from "../../src/cli/perfetto-file.ts"
import dummySim from "./dummy-sim.ts"
import { runCaptured } from "./run-captured.ts"

const scratch = mkdtempSync(join(tmpdir(), "perfetto-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface ChromeEvent {
  readonly name: string
  readonly ph: string
  readonly ts?: number
  readonly pid: number
  readonly tid: number
  readonly id?: string
  readonly s?: string
  readonly cat?: string
  readonly args?: Record<string, unknown>
}

interface ChromeTrace {
  readonly displayTimeUnit: string
  readonly otherData: Record<string, unknown>
  readonly traceEvents: readonly ChromeEvent[]
}

function read(path: string): ChromeTrace {
  return JSON.parse(readFileSync(path, "utf8")) as ChromeTrace
}

describe("PerfettoFile", () => {
  it("turns records into instants on their subject's track, messages into async slices, runs into processes", () => {
    const path = join(scratch, "fixed.json")
    const file = new PerfettoFile(path, { sim: "demo", timeUnit: "ms", unitSuffix: "ms" })
    const lines = [
      { t: 0, seq: 0, type: "MessageSent", id: 1, from: "a", to: "b", port: "main" },
      { t: 1.5, seq: 1, type: "MessageDelivered", id: 1, from: "a", to: "b", port: "main" },
      { t: 2, seq: 2, type: "LeaseGranted", client: "a", lease: 7 },
      { t: 2, seq: 3, type: "JobRan", job: 3 },
      { t: 3, seq: 4, type: "Tick" },
      { t: 0.25, seq: 0, type: "LeaseGranted", client: "a", lease: 1 }, // a second simulation
    ]
    for (const line of lines) file.write(JSON.stringify(line))
    file.close()
    file.close() // a second close does nothing

    const trace = read(path)
    expect(trace.displayTimeUnit).toBe("ms")
    expect(trace.otherData).toEqual({ sim: "demo", timeUnit: "ms", microsecondsPerUnit: 1000 })
    expect(trace.traceEvents).toEqual([
      { name: "process_name", ph: "M", pid: 1, tid: 0, args: { name: "run 1" } },
      { name: "a→b", cat: "message", ph: "b", ts: 0, pid: 1, tid: 0, id: "1:1", args: omitStamp(lines[0]!) },
      { name: "a→b", cat: "message", ph: "e", ts: 1500, pid: 1, tid: 0, id: "1:1", args: omitStamp(lines[1]!) },
      {
        name: "MessageDelivered",
        cat: "record",
        ph: "i",
        s: "t",
        ts: 1500,
        pid: 1,
        tid: 1,
        args: omitStamp(lines[1]!),
      },
      { name: "LeaseGranted", cat: "record", ph: "i", s: "t", ts: 2000, pid: 1, tid: 2, args: omitStamp(lines[2]!) },
      { name: "JobRan", cat: "record", ph: "i", s: "t", ts: 2000, pid: 1, tid: 3, args: omitStamp(lines[3]!) },
      { name: "Tick", cat: "record", ph: "i", s: "t", ts: 3000, pid: 1, tid: 4, args: {} },
      { name: "process_name", ph: "M", pid: 2, tid: 0, args: { name: "run 2" } },
      { name: "LeaseGranted", cat: "record", ph: "i", s: "t", ts: 250, pid: 2, tid: 5, args: omitStamp(lines[5]!) },
      { name: "thread_name", ph: "M", pid: 1, tid: 1, args: { name: "b" } },
      { name: "thread_name", ph: "M", pid: 1, tid: 2, args: { name: "a" } },
      { name: "thread_name", ph: "M", pid: 1, tid: 3, args: { name: "job 3" } },
      { name: "thread_name", ph: "M", pid: 1, tid: 4, args: { name: "events" } },
      { name: "thread_name", ph: "M", pid: 2, tid: 5, args: { name: "a" } },
    ])
  })

  it("draws seconds, milliseconds and bare units on a microsecond axis", () => {
    expect([microsecondsPerUnit("s"), microsecondsPerUnit("ms"), microsecondsPerUnit("")]).toEqual([1e6, 1e3, 1e3])
  })
})

function omitStamp(record: Record<string, unknown>): Record<string, unknown> {
  const { t: _t, seq: _seq, type: _type, ...rest } = record
  return rest
}

describe("runSim --perfetto", () => {
  it("writes the run's records next to --trace, in time order, with the sim's time unit", async () => {
    const perfetto = join(scratch, "dummy.json")
    const jsonl = join(scratch, "dummy.jsonl")

    const run = await runCaptured(dummySim, ["--perfetto", perfetto, "--trace", jsonl, "--ticks", "3"])

    expect(run.code).toBe(EXIT_CODE.ok)
    const trace = read(perfetto)
    const instants = trace.traceEvents.filter((event) => event.ph === "i")
    const records = readFileSync(jsonl, "utf8").trimEnd().split("\n")
    expect(instants.map((event) => [event.name, event.ts])).toEqual([
      ["Ticked", 2500],
      ["Ticked", 5000],
      ["Ticked", 7500],
    ])
    expect(records).toHaveLength(3)
    expect(trace.otherData.sim).toBe("dummy")
  })

  it("exits 2 before the run, leaving no file, when the path cannot be written or is --trace's", async () => {
    const missing = join(scratch, "no-such-dir", "run.json")
    const jsonl = join(scratch, "kept-out.jsonl")

    const unwritable = await runCaptured(dummySim, ["--trace", jsonl, "--perfetto", missing])
    const same = await runCaptured(dummySim, ["--trace", jsonl, "--perfetto", jsonl])
    const empty = await runCaptured(dummySim, ["--perfetto", ""])
    const quiz = await runCaptured(dummySim, ["--quiz", "--perfetto", join(scratch, "quiz.json")])

    expect(unwritable.code).toBe(EXIT_CODE.badInput)
    expect(unwritable.stdout).toBe("")
    expect(unwritable.stderr).toContain(`cannot write --perfetto ${missing}`)
    expect(existsSync(jsonl)).toBe(false)
    expect(same.code).toBe(EXIT_CODE.badInput)
    expect(same.stderr).toContain("contradictory flags --trace, --perfetto")
    expect(empty.code).toBe(EXIT_CODE.badInput)
    expect(empty.stderr).toContain("--perfetto needs a file path")
    expect(quiz.code).toBe(EXIT_CODE.badInput)
    expect(quiz.stderr).toContain("contradictory flags --quiz, --perfetto")
    expect(existsSync(join(scratch, "quiz.json"))).toBe(false)
  })
})
