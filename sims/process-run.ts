/**
 * Processes and I/O: why can the CPU sit idle while there is still work to do?
 * Covers: process states, CPU/I-O overlap, switch on I/O or at the end, I/O completion handling;
 *   low utilisation with slow answers
 * Scenario: process 0 computes 7 ticks, does an I/O, computes 1 tick, does another I/O; process 1
 *   computes 3 ticks; each I/O takes 5 ticks. --seed draws the programs only with --process-list
 *   (as process-run.py -s); the default and --programs do not depend on it
 * Try: --switch on-end; --programs i,i,i:c10 --io-done immediate; --programs c3,i:c3,i:c3,i
 *   --io-length 10; --process-list 5:50,5:50 --seed 3
 */
import {
  defineSim,
  flag,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type TimelineEntry,
  type EstimateContext,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  type Instruction,
  isProcessRunRecord,
  parseProcessList,
  parsePrograms,
  type ProcessRunEvent,
  ProcessRunScenario,
  type ProcessRunResult,
  processRunChecks,
  processRunTimeline,
  pythonFixed,
  randomPrograms,
  tickRanges,
} from "../src/models/sched/index.ts"
import { type RunView, tickGantt } from "../src/view/index.ts"

/** Trace records the timeline tells before it stops (the per-tick table shows every tick). */
const TIMELINE_MAX_RECORDS = 200

/** The value of --process-list when it is not given. */
const NONE = "none"

/** The reader's sentence when a value does not parse, for a string flag's `check`. */
function problemOf(parsed: { ok: true } | { ok: false; error: string }): string | undefined {
  return parsed.ok ? undefined : parsed.error
}

const flags = {
  programs: flag.string({
    description: "one program per process, separated by ':'; cN = N CPU instructions, i = an I/O (process-run.py -P)",
    unit: "instructions, one tick each",
    default: "c7,i,c1,i:c3",
    allowed: "programs like c7,i,c1,i:c3 (cN with N >= 1, or i)",
    check: (text) => problemOf(parsePrograms(text)),
  }),
  ioLength: flag.integer({
    description: "how long an I/O keeps its process blocked",
    unit: "ticks",
    default: 5,
    min: 0,
    max: 100_000,
  }),
  switch: flag.choice({
    description: "when the CPU moves to another process: when the running one issues an I/O, or only when it ends",
    choices: ["on-io", "on-end"],
    default: "on-io",
  }),
  ioDone: flag.choice({
    description: "when a process whose I/O completed runs again: later (in turn) or immediately",
    choices: ["later", "immediate"],
    default: "later",
  }),
  processList: flag.string({
    description:
      "random programs X:Y,... (X instructions, each a CPU one with Y% chance) drawn from the seed as process-run.py -s SEED -l does; overrides --programs",
    unit: "instructions : percent",
    default: NONE,
    allowed: "none, or X:Y,... with X >= 1 and Y from 0 to 100",
    check: (text) => (text === NONE ? undefined : problemOf(parseProcessList(text))),
  }),
}

type RunParams = Params<typeof flags>

/** The programs the params describe, or which flag is wrong and why. */
function programsOf(
  params: RunParams,
  seed: number,
): { ok: true; programs: Instruction[][] } | { ok: false; flag: "programs" | "processList"; error: string } {
  if (params.processList !== NONE) {
    const parsed = parseProcessList(params.processList)
    return parsed.ok
      ? { ok: true, programs: randomPrograms(seed, parsed.value) }
      : { ok: false, flag: "processList", error: parsed.error }
  }
  const parsed = parsePrograms(params.programs)
  return parsed.ok ? { ok: true, programs: parsed.value } : { ok: false, flag: "programs", error: parsed.error }
}

/** A program in words: `cpu ×7, io, io_done, cpu, io, io_done`. */
function describeProgram(code: readonly Instruction[]): string {
  const parts: string[] = []
  for (let i = 0; i < code.length;) {
    let j = i
    while (j < code.length && code[j] === code[i]) j++
    parts.push(j - i > 1 ? `${code[i]} ×${j - i}` : code[i]!)
    i = j
  }
  return parts.join(", ")
}

/** The timeline: the first {@link TIMELINE_MAX_RECORDS} records, told in stretches. */
function timeline(sample: TraceSample<ProcessRunEvent> | undefined): { title: string; entries: TimelineEntry[] } {
  const entries = processRunTimeline(sample?.records ?? [])
  const total = sample?.total ?? 0
  const title =
    total > TIMELINE_MAX_RECORDS ? `Timeline (the first ${TIMELINE_MAX_RECORDS} of ${total} events)` : "Timeline"
  return { title, entries }
}

function programsSection(programs: readonly Instruction[][]): TextSection {
  return { title: "Programs", lines: programs.map((code, pid) => `process ${pid}: ${describeProgram(code)}`) }
}

function traceSection(result: ProcessRunResult, processes: number): TextSection {
  const rows = result.ticks.map((tick) => {
    const note = tick.idleAllBlocked
      ? "CPU idle: every process waits for I/O"
      : tick.idleWithReady
        ? "CPU idle although a process is READY"
        : ""
    return [
      `${tick.clock}${tick.ioDone ? "*" : ""}`,
      ...tick.cells,
      tick.ran >= 0 ? "1" : "",
      tick.ios > 0 ? String(tick.ios) : "",
      note,
    ]
  })
  const columns = [
    { header: "Time", align: "right" as const },
    ...Array.from({ length: processes }, (_, pid) => ({ header: `PID: ${pid}`, align: "right" as const })),
    { header: "CPU", align: "right" as const },
    { header: "IOs", align: "right" as const },
    { header: "" },
  ]
  return {
    title:
      "Trace (one row per tick; * = an I/O completed at this tick; CPU 1 = an instruction ran; IOs = I/Os in flight)",
    lines: renderTable(columns, rows),
  }
}

function statsSection(result: ProcessRunResult): TextSection {
  const percent = (count: number): string => pythonFixed((100 * count) / result.totalTime, 2)
  return {
    title: "Stats (as process-run.py -p prints them)",
    lines: [
      `Stats: Total Time ${result.totalTime}`,
      `Stats: CPU Busy ${result.cpuBusy} (${percent(result.cpuBusy)}%)`,
      `Stats: IO Busy  ${result.ioBusy} (${percent(result.ioBusy)}%)`,
    ],
  }
}

function lessonSection(result: ProcessRunResult, params: RunParams): TextSection {
  const lines: string[] = []
  const blocked = result.ticks.filter((tick) => tick.idleAllBlocked).map((tick) => tick.clock)
  const waste = result.ticks.filter((tick) => tick.idleWithReady).map((tick) => tick.clock)
  const utilisation = pythonFixed((100 * result.cpuBusy) / result.totalTime, 0)
  if (blocked.length > 0) {
    lines.push(
      `For ${blocked.length} of ${result.totalTime} ticks (t=${tickRanges(blocked)}) the CPU sat idle while every unfinished process waited for I/O.`,
      `CPU utilisation is only ${utilisation}%, yet the work took ${result.totalTime} ticks: the bottleneck is the I/O, not the CPU.`,
      "A server in this state shows a low CPU utilisation while its requests time out; a faster CPU would not help,",
      "overlapping more I/O would (more processes or threads, asynchronous I/O).",
    )
  } else {
    lines.push(`The CPU never idled while every process waited for I/O: utilisation ${utilisation}%.`)
  }
  if (waste.length > 0) {
    lines.push(
      `With --switch ${params.switch} the CPU also idled ${waste.length} tick(s) (t=${tickRanges(waste)}) although a process was READY:`,
      "switching to another process when one issues an I/O (--switch on-io) overlaps the I/O with useful work.",
    )
  }
  const waitedAfterIo = result.ticks.some(
    (tick, k) =>
      tick.ioDone &&
      k > 0 &&
      tick.cells.some((cell, pid) => cell === "READY" && result.ticks[k - 1]!.cells[pid] === "BLOCKED"),
  )
  if (params.ioDone === "later" && waitedAfterIo) {
    lines.push(
      "With --io-done later a process whose I/O completed waits for its turn; --io-done immediate runs it at once, so it can issue its next I/O sooner.",
    )
  }
  return { title: "Lesson", lines }
}

/**
 * Ticks per second of a process-run run (one tick at a time, busy or idle), measured: 200,000
 * ticks in 1.6 s of CPU (about 1.1 s of it start-up), but 4,700,001 ticks (47 programs c100000)
 * took 27.3 s with --json (2026-12-07), about 180,000/s; 150,000/s for JSON. The text report lays out
 * a row per tick: 700,001 ticks (7 programs c100000) took 10.1 s of CPU (2026-12-07, loaded
 * machine), about 80,000 ticks/s; 70,000/s leaves room.
 */
const TICKS_PER_SECOND = { json: 150_000, text: 70_000 } as const
/**
 * Bytes kept per tick (the tick's row of the trace table), measured 2026-12-07: JSON 4,700,001
 * ticks peaked at 2,869 MB (~580 B per tick; 250 was assumed, so that run was admitted); the text
 * report lays out every row: 700,001 ticks peaked at 914 MB, ~1,090 B per tick.
 */
const BYTES_PER_TICK = { json: 650, text: 1_300 } as const

/**
 * Ticks, at most: every instruction one after another, each I/O blocking its process for
 * `--io-length` ticks plus its issue and completion. The programs are the very ones the run uses
 * (drawn from the seed under --process-list).
 */
function estimate(params: RunParams, { seed, output }: EstimateContext): WorkEstimate {
  const built = programsOf(params, seed)
  const programs = built.ok ? built.programs : []
  const ticks = programs.reduce(
    (sum, code) =>
      sum + code.reduce((total, instruction) => total + (instruction === "io" ? params.ioLength + 2 : 1), 0),
    1,
  )
  return workEstimate({
    events: ticks,
    eventsPerSecond: TICKS_PER_SECOND[output],
    keptBytes: BYTES_PER_TICK[output] * ticks,
    simTime: ticks,
    advice: "shorten the programs (--programs, --process-list) or --io-length",
  })
}

/** The `--html` report's chart: each process's state at every tick (RUN:cpu, RUN:io, READY, BLOCKED). */
function statesChart(result: ProcessRunResult, processes: number): RunView {
  const chart = tickGantt({
    title: "Process states, tick by tick",
    lanes: Array.from({ length: processes }, (_, pid) => `PID ${pid}`),
    ticks: result.ticks.length,
    labelAt: (tick, lane) => {
      const cell = result.ticks[tick]!.cells[lane]
      return cell === undefined || cell === "DONE" || cell === "" ? undefined : cell
    },
  })
  return { gantt: [chart] }
}

const processRun = defineSim({
  name: "process-run",
  title: "Processes and I/O: why can the CPU sit idle while there is still work to do?",
  header: {
    covers:
      "process states, CPU/I-O overlap, switch on I/O or at the end, I/O completion handling; low utilisation with slow answers",
    scenario:
      "process 0 computes 7 ticks, does an I/O, computes 1 tick, does another I/O; process 1 computes 3 ticks; each I/O takes 5 ticks. --seed draws the programs only with --process-list (as process-run.py -s); the default and --programs do not depend on it",
    try: [
      "--switch on-end",
      "--programs i,i,i:c10 --io-done immediate",
      "--programs c3,i:c3,i:c3,i --io-length 10",
      "--process-list 5:50,5:50 --seed 3",
    ],
  },
  time: { decimals: 0, unitName: "ticks" },
  metrics: {
    totalTime: { description: "ticks until every process finished", unit: "ticks" },
    cpuBusy: { description: "ticks the CPU ran an instruction", unit: "ticks" },
    ioBusy: { description: "ticks with at least one I/O in flight", unit: "ticks" },
    cpuUtilisation: { description: "cpuBusy / totalTime", unit: "fraction" },
    ioUtilisation: { description: "ioBusy / totalTime", unit: "fraction" },
    idleWhileAllBlocked: {
      description: "ticks the CPU idled while every unfinished process waited for I/O",
      unit: "ticks",
    },
    idleWhileReady: {
      description: "ticks the CPU idled while a process was ready (0 for a work-conserving switch)",
      unit: "ticks",
    },
  },
  flags,
  estimate,
  quiz(params, seed?: number) {
    const random = params.processList !== NONE
    const built = random && seed === undefined ? undefined : programsOf(params, seed ?? 0)
    const list =
      built === undefined
        ? ["  (random programs drawn from the seed; run without --quiz to see them)"]
        : built.ok
          ? built.programs.map((code, pid) => `  process ${pid}: ${describeProgram(code)}`)
          : [built.error]
    return [
      "The processes (cpu: one tick of CPU; io: issue an I/O, one tick; io_done: handle its completion, one tick):",
      ...list,
      `Each I/O takes ${params.ioLength} ticks. The CPU switches ${params.switch === "on-io" ? "when the running process issues an I/O or finishes" : "only when the running process finishes"};`,
      `a process whose I/O completed runs ${params.ioDone === "later" ? "later, when its turn comes" : "immediately"}.`,
      "1. Write down the state of each process (RUN:cpu, RUN:io, READY, BLOCKED, DONE) at every tick.",
      "2. How many ticks does the whole run take? For how many is the CPU busy, and the I/O?",
    ].join("\n")
  },
  run(params, context) {
    const built = programsOf(params, context.seed)
    if (!built.ok) throw new Error(`the constraints let invalid programs through: ${built.error}`)
    const sim = context.simulation()
    const { ioLength, switch: switchBehaviour, ioDone } = params
    const scenario = new ProcessRunScenario(sim, {
      programs: built.programs,
      ioLength,
      switch: switchBehaviour,
      ioDone,
    })
    const sample =
      context.output === "text" ? new TraceSample(sim.trace, isProcessRunRecord, TIMELINE_MAX_RECORDS) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] =
      context.output === "text"
        ? [
            programsSection(built.programs),
            traceSection(result, built.programs.length),
            statsSection(result),
            lessonSection(result, params),
          ]
        : []
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: processRunChecks(result, built.programs),
      timeline: timeline(sample),
      sections,
      ...(context.view === true ? { view: statesChart(result, built.programs.length) } : {}),
    }
  },
})

export default processRun

await runMain(processRun, import.meta.url)
