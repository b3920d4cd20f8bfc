/**
 * Differential check against OSTEP's homework simulators, from recorded facts.
 *
 * `ostep-differential-fixtures.json` holds inputs and the numbers that the real `scheduler.py`,
 * `mlfq.py` (current upstream) and `process-run.py` print with `-c` for them, recorded by running
 * those scripts (not by reading our code): per-job statistics, averages, and for MLFQ and
 * process-run the tick-by-tick schedule. Each case runs our sim in-process with the mapped flags
 * and must print the same numbers: a class switching to our sims keeps its answer keys.
 *
 * Printed averages are compared the way OSTEP prints them (Python's `%.2f`, which rounds the exact
 * binary value half to even), with a formatter written here rather than the one under test.
 * No OSTEP source is kept here, only its outputs.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import cpuSched from "../../../sims/cpu-sched.ts"
import mlfq from "../../../sims/mlfq.ts"
import processRun from "../../../sims/process-run.ts"
import type { FlagSpecs, SimDefinition } from "../../../src/cli/index.ts"
import { runCaptured } from "../../cli/run-captured.ts"

interface SchedulerCase {
  readonly ostep: string
  readonly argv: readonly string[]
  /** Per job, in job order: response, turnaround, wait as OSTEP prints them. */
  readonly jobs: readonly (readonly [string, string, string])[]
  readonly average: readonly [string, string, string]
}

interface MlfqCase {
  readonly ostep: string
  readonly argv: readonly string[]
  /** Per job, in job order: response, turnaround. */
  readonly jobs: readonly (readonly [number, number])[]
  readonly average: readonly [string, string]
  /** One token per tick from time 0: `job@priority`, or `-` for an idle tick. */
  readonly ticks: string
}

interface ProcessRunCase {
  readonly ostep: string
  readonly argv: readonly string[]
  readonly totalTime: number
  readonly cpuBusy: number
  readonly ioBusy: number
  /** One row per tick: `time[*] state-of-each-pid cpu ios`, `.` for a blank column. */
  readonly ticks: readonly string[]
}

interface Fixtures {
  readonly scheduler: readonly SchedulerCase[]
  readonly mlfq: readonly MlfqCase[]
  readonly processRun: readonly ProcessRunCase[]
}

const fixtures = JSON.parse(
  readFileSync(join(import.meta.dirname, "ostep-differential-fixtures.json"), "utf8"),
) as Fixtures

/** Python's `'%.2f' % x`: the exact binary value rounded to 2 decimals, exact ties to even. */
function pythonFixed2(x: number): string {
  const exact = Math.abs(x).toFixed(100)
  const [whole, fraction] = exact.split(".") as [string, string]
  const sign = x < 0 ? "-" : ""
  if (/^50*$/.test(fraction.slice(2))) {
    const lastKept = Number(fraction[1])
    return lastKept % 2 === 0 ? `${sign}${whole}.${fraction.slice(0, 2)}` : sign + (Math.abs(x) + 0.005).toFixed(2)
  }
  return x.toFixed(2)
}

async function jsonMetrics<F extends FlagSpecs>(sim: SimDefinition<F>, argv: readonly string[]) {
  const run = await runCaptured(sim, [...argv, "--json"])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout).metrics
}

/** The tick schedule of `mlfq --tick-trace`, in the fixture's token form. */
function mlfqTicks(stdout: string): string {
  const tokens: string[] = []
  for (const line of stdout.split("\n")) {
    const run = /^\s*\[ time (\d+) \] Run JOB (\d+) at PRIORITY (\d+) /.exec(line)
    const idle = /^\s*\[ time (\d+) \] IDLE\s*$/.exec(line)
    const match = run ?? idle
    if (match === null) continue
    expect(Number(match[1]), `tick numbering in: ${line}`).toBe(tokens.length)
    tokens.push(run === null ? "-" : `${run[2]}@${run[3]}`)
  }
  return tokens.join(" ")
}

/** The per-tick table of process-run's text report, in the fixture's row form. */
function processRunTicks(stdout: string): string[] {
  const lines = stdout.split("\n")
  const header = lines.findIndex((line) => /^\s*Time\s+PID/.test(line))
  expect(header, "the report has a per-tick table").toBeGreaterThanOrEqual(0)
  const spans = [...lines[header + 1]!.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const)
  const pids = (lines[header]!.match(/PID:/g) ?? []).length
  const rows: string[] = []
  for (const line of lines.slice(header + 2)) {
    if (line.trim() === "") break
    const cell = (i: number) => line.slice(spans[i]![0], spans[i]![1] + (i === 0 ? 1 : 0)).trim()
    const states = Array.from({ length: pids }, (_, pid) => cell(1 + pid).replace(/^BLOCKED$/, "WAITING"))
    rows.push([cell(0), ...states, cell(1 + pids) || ".", cell(2 + pids) || "."].join(" "))
  }
  return rows
}

describe("pythonFixed2, the reference formatter of this file", () => {
  it("rounds exact binary ties half to even and everything else to nearest, as Python's %.2f", () => {
    expect([0.125, 0.375, 1.125, 2.675, 0.575, 0.5750000000000001, 3, 17.62].map(pythonFixed2)).toEqual([
      "0.12",
      "0.38",
      "1.12",
      "2.67",
      "0.57",
      "0.58",
      "3.00",
      "17.62",
    ])
  })
})

describe("cpu-sched agrees with OSTEP's scheduler.py", () => {
  it.each(fixtures.scheduler.map((c) => [c.ostep, c] as const))(
    "%s gives OSTEP's per-job statistics and averages",
    async (_, c) => {
      const m = await jsonMetrics(cpuSched, c.argv)

      const jobs = m.jobs.map((job: { response: number; turnaround: number; wait: number }) =>
        [job.response, job.turnaround, job.wait].map(pythonFixed2),
      )
      const average = [m.avgResponse, m.avgTurnaround, m.avgWait].map(pythonFixed2)

      expect(jobs).toEqual(c.jobs)
      expect(average).toEqual(c.average)
    },
  )
})

describe("mlfq agrees with OSTEP's mlfq.py", () => {
  it.each(fixtures.mlfq.map((c) => [c.ostep, c] as const))(
    "%s gives OSTEP's responses, turnarounds and schedule tick for tick",
    async (_, c) => {
      const m = await jsonMetrics(mlfq, c.argv)
      const trace = await runCaptured(mlfq, [...c.argv, "--tick-trace"])

      expect(m.jobs.map((job: { response: number; turnaround: number }) => [job.response, job.turnaround])).toEqual(
        c.jobs,
      )
      expect([m.avgResponse, m.avgTurnaround].map(pythonFixed2)).toEqual(c.average)
      expect(trace.code).toBe(0)
      expect(mlfqTicks(trace.stdout)).toBe(c.ticks)
    },
  )
})

describe("process-run agrees with OSTEP's process-run.py", () => {
  it.each(fixtures.processRun.map((c) => [c.ostep, c] as const))(
    "%s gives OSTEP's totals and per-tick states",
    async (_, c) => {
      const m = await jsonMetrics(processRun, c.argv)
      const text = await runCaptured(processRun, [...c.argv, "--width", "10000"]) // one line per tick, whatever the table's width

      expect({ totalTime: m.totalTime, cpuBusy: m.cpuBusy, ioBusy: m.ioBusy }).toEqual({
        totalTime: c.totalTime,
        cpuBusy: c.cpuBusy,
        ioBusy: c.ioBusy,
      })
      expect(text.code).toBe(0)
      expect(processRunTicks(text.stdout)).toEqual(c.ticks)
    },
  )
})
