import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  type Instruction,
  parseProcessList,
  parsePrograms,
  ProcessRun,
  type ProcessRunOptions,
  type ProcessRunResult,
  pythonFixed,
  randomPrograms,
  runProcesses,
} from "../../../src/models/sched/index.ts"
import { lawSameSeedSameTrace, tracedRunOf } from "../../laws/index.ts"

interface ProcessRunFixture {
  readonly command: string
  readonly options: ProcessRunOptions & {
    readonly programs?: string
    readonly seed?: number
    readonly processList?: string
  }
  readonly totalTime: number
  readonly cpuBusy: number
  readonly ioBusy: number
  readonly percentages: readonly [string, string]
  readonly traceLines: number
  readonly traceSha256: string
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "ostep-fixtures.json"), "utf8")) as {
  processRun: ProcessRunFixture[]
}

function programs(text: string): Instruction[][] {
  const parsed = parsePrograms(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

/** process-run.py -l X:Y,... with seed `seed`. */
function randomList(seed: number, list: string): Instruction[][] {
  const parsed = parseProcessList(list)
  if (!parsed.ok) throw new Error(parsed.error)
  return randomPrograms(seed, parsed.value)
}

function run(code: Instruction[][], options: ProcessRunOptions = {}): ProcessRunResult {
  return runProcesses(new Simulation(), code, options)
}

function totals(result: ProcessRunResult): [number, number, number] {
  return [result.totalTime, result.cpuBusy, result.ioBusy]
}

/** The trace table exactly as process-run.py -c prints it (its header, then one line per tick). */
function ostepTable(result: ProcessRunResult, processes: number): string[] {
  const pad = (text: string, width: number): string => text.padStart(width)
  const header = `Time${Array.from({ length: processes }, (_, pid) => pad(`PID:${pad(String(pid), 2)}`, 14)).join("")}${pad("CPU", 14)}${pad("IOs", 14)}`
  return [
    header,
    ...result.ticks.map(
      (tick) =>
        `${pad(String(tick.clock), 3)}${tick.ioDone ? "*" : " "}${tick.cells.map((cell) => pad(cell, 14)).join("")}${pad(tick.ran >= 0 ? "1" : " ", 14)}${tick.ios > 0 ? pad(String(tick.ios), 14) : pad(" ", 10)}`,
    ),
  ]
}

describe("ProcessRun against OSTEP's process-run.py (docs/scheduling.md)", () => {
  const table: [string, Instruction[][], ProcessRunOptions, [number, number, number]][] = [
    ["-l 5:100,5:100", [Array(5).fill("cpu"), Array(5).fill("cpu")], {}, [10, 10, 0]],
    ["-l 3:0 -L 5 (the README example)", randomList(0, "3:0"), { ioLength: 5 }, [21, 6, 15]],
    ["-l 4:100,1:0", randomList(0, "4:100,1:0"), {}, [11, 6, 5]],
    ["-l 1:0,4:100", randomList(0, "1:0,4:100"), {}, [7, 6, 5]],
    ["-l 1:0,4:100 -S SWITCH_ON_END", randomList(0, "1:0,4:100"), { switch: "on-end" }, [11, 6, 5]],
    [
      "-l 3:0,5:100,5:100,5:100 -I IO_RUN_LATER",
      randomList(0, "3:0,5:100,5:100,5:100"),
      { switch: "on-io", ioDone: "later" },
      [31, 21, 15],
    ],
    [
      "-l 3:0,5:100,5:100,5:100 -I IO_RUN_IMMEDIATE",
      randomList(0, "3:0,5:100,5:100,5:100"),
      { switch: "on-io", ioDone: "immediate" },
      [21, 21, 15],
    ],
  ]
  for (const [command, code, options, expected] of table) {
    it(`gives total time, CPU busy and IO busy ${expected.join(", ")} for ${command}`, () => {
      expect(totals(run(code, options))).toEqual(expected)
    })
  }

  it("traces c7,i,c1,i:c3 as process-run.py -P prints it: 22 ticks, CPU idle at 12-13 and 17-21", () => {
    const result = run(programs("c7,i,c1,i:c3"))

    expect(totals(result)).toEqual([22, 15, 10])
    expect(result.ticks[7]!.cells).toEqual(["RUN:io", "READY"])
    expect(result.ticks[8]!.cells).toEqual(["BLOCKED", "RUN:cpu"])
    expect(result.ticks[11]!.cells).toEqual(["BLOCKED", "DONE"])
    expect(result.ticks[13]!.ioDone).toBe(true)
    expect(result.ticks[13]!.cells).toEqual(["RUN:io_done", "DONE"])
    expect(result.ticks.filter((tick) => tick.idleAllBlocked).map((tick) => tick.clock)).toEqual([
      12, 13, 17, 18, 19, 20, 21,
    ])
    expect(result.idleWithReady).toBe(0)
  })

  it("wastes the CPU with SWITCH_ON_END: it idles while another process is READY", () => {
    const result = run(programs("c7,i,c1,i:c3"), { switch: "on-end" })

    expect(totals(result)).toEqual([25, 15, 10])
    expect(result.ticks.filter((tick) => tick.idleWithReady).map((tick) => tick.clock)).toEqual([
      9, 10, 11, 12, 13, 17, 18, 19, 20, 21,
    ])
    expect(result.idleAllBlocked).toBe(0)
  })

  it(`reproduces every recorded process-run.py trace line for line (${fixtures.processRun.length} runs, random -l programs included)`, () => {
    const mismatches: string[] = []
    for (const recorded of fixtures.processRun) {
      const { programs: text, seed, processList, ...options } = recorded.options
      const code = text !== undefined ? programs(text) : randomList(seed!, processList!)
      const result = run(code, options)
      const lines = ostepTable(result, code.length)
      const digest = createHash("sha256").update(lines.join("\n")).digest("hex")
      const percentages = [
        pythonFixed((100 * result.cpuBusy) / result.totalTime, 2),
        pythonFixed((100 * result.ioBusy) / result.totalTime, 2),
      ]
      const same =
        digest === recorded.traceSha256 &&
        JSON.stringify(totals(result)) === JSON.stringify([recorded.totalTime, recorded.cpuBusy, recorded.ioBusy]) &&
        JSON.stringify(percentages) === JSON.stringify(recorded.percentages)
      if (!same) mismatches.push(`${recorded.command}: ${lines.length} lines (recorded ${recorded.traceLines})`)
    }

    expect(mismatches).toEqual([])
  })
})

describe("ProcessRun rules", () => {
  it("runs a process at once when its I/O completes with IO_RUN_IMMEDIATE, taking the CPU from the running one", () => {
    const result = run(programs("i:c10"), { ioDone: "immediate", ioLength: 2 })

    expect(result.ticks.map((tick) => tick.cells.join(" "))).toEqual([
      "RUN:io READY",
      "BLOCKED RUN:cpu",
      "BLOCKED RUN:cpu",
      "RUN:io_done READY",
      ...Array(8).fill("DONE RUN:cpu"),
    ])
    expect(result.totalTime).toBe(12)
  })

  it("keeps a blocked current process current when nothing else is READY, and the CPU idles", () => {
    const result = run(programs("i"), { ioLength: 3 })

    expect(result.ticks.map((tick) => [tick.clock, tick.cells[0], tick.ran])).toEqual([
      [1, "RUN:io", 0],
      [2, "BLOCKED", -1],
      [3, "BLOCKED", -1],
      [4, "BLOCKED", -1],
      [5, "RUN:io_done", 0],
    ])
    expect(result.idleAllBlocked).toBe(3)
  })

  it("counts a tick as I/O busy while any I/O is in flight, and two I/Os in flight at once as one busy tick", () => {
    const result = run(programs("i:i"), { ioLength: 2 })

    expect(result.ticks.map((tick) => tick.ios)).toEqual([0, 1, 2, 1, 0])
    expect(result.ioBusy).toBe(3)
  })

  it("gives the same trace twice for the same programs", () => {
    const build = (seed: number) => {
      const sim = new Simulation({ seed, trace: { keep: Infinity } })
      new ProcessRun(sim, randomList(seed, "6:50,6:50,4:80"), { ioLength: 3 })
      return tracedRunOf(sim)
    }

    expect(lawSameSeedSameTrace(build, 3, { label: "process-run", minRecords: 10 }).records).toBeGreaterThan(10)
  })
})
