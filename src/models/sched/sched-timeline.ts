/**
 * The scheduling models' stories in words, read from their typed trace records (`sched-events.ts`):
 *
 * - {@link scheduleTimeline}: a CPU scheduler run as OSTEP's scheduler.py tells it — arrivals, I/O,
 *   context switches and every slice as it really ran ("run job 0 for 24.00 ( DONE at 24.00 )"),
 *   bounded by {@link ScheduleTimelineSample} to what the first entries need;
 * - {@link formatMlfqTraceLine}: one line of mlfq.py's `-c` trace, character for character, and
 *   {@link mlfqSummaryTimeline}: the same run told in stretches ("job 0 runs at Q2 (top) for 10
 *   ticks ...");
 * - {@link processRunTimeline}: a process-run run in stretches of instructions, I/Os and idle ticks.
 *
 * Each switch covers its whole union (a `never` default), so a new event type does not compile
 * until its line is decided here. The models have no network, so there are no fault records.
 */
import { formatNumber, type Trace, type Traced, type TraceRecord, TraceSample } from "../../kernel/index.ts"
import type { MlfqResult } from "./mlfq.ts"
import type { JobDemoted, MlfqEvent, ProcessRunEvent, ScheduleEvent, SliceStarted, TickRan } from "./sched-events.ts"

/** One line of a timeline: what happened at time `t`. */
export interface TimelineLine {
  /** Simulated time, in the model's unit. */
  readonly t: number
  readonly text: string
}

function unhandled(record: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(record)}`)
}

// ---- The CPU scheduler (cpu-sched)

/** Times as scheduler.py prints them: two decimals. */
const time = (value: number): string => formatNumber(value, 2)

const SCHEDULE_TYPES: ReadonlySet<string> = new Set<ScheduleEvent["type"]>([
  "JobArrived",
  "BurstQueued",
  "ContextSwitchStarted",
  "SliceStarted",
  "QuantumExpired",
  "JobPreempted",
  "BurstFinished",
  "IoRequested",
  "IoStarted",
  "IoCompleted",
  "JobCompleted",
])

/** True for a record of a CPU scheduler run. */
export function isScheduleRecord(record: Traced | TraceRecord): record is Traced<ScheduleEvent> {
  return SCHEDULE_TYPES.has(record.type)
}

/** True for a record that starts a line of {@link scheduleTimeline}. */
export function startsScheduleLine(record: Traced<ScheduleEvent>): boolean {
  switch (record.type) {
    case "JobArrived":
    case "IoRequested":
    case "ContextSwitchStarted":
    case "SliceStarted":
      return true
    case "BurstQueued":
      return record.burstIndex > 0
    case "QuantumExpired":
    case "JobPreempted":
    case "BurstFinished":
    case "IoStarted":
    case "IoCompleted":
    case "JobCompleted":
      return false
    default:
      return unhandled(record)
  }
}

/**
 * The records the first `maxLines` lines of {@link scheduleTimeline} need, and how many lines the
 * whole run has: every record up to the instant of line `maxLines` (lines of one instant are
 * sorted, so that instant is kept whole), then only the ends of the slices already kept.
 */
export class ScheduleTimelineSample {
  private readonly sample: TraceSample<ScheduleEvent>
  private readonly lines: TraceSample<ScheduleEvent>
  private started = 0
  private cutoff = Infinity
  /** Kept slices still running, by core: their job. */
  private readonly open = new Map<number, number>()
  /** When each job's last kept slice ended. */
  private readonly ended = new Map<number, number>()

  /** @throws RangeError when `maxLines` is not an integer >= 1 */
  constructor(trace: Trace, maxLines: number) {
    if (!Number.isInteger(maxLines) || maxLines < 1)
      throw new RangeError(`maxLines must be an integer >= 1, got ${maxLines}`)
    this.sample = new TraceSample(trace, (record) => isScheduleRecord(record) && this.keeps(record, maxLines), Infinity)
    this.lines = new TraceSample(trace, (record) => isScheduleRecord(record) && startsScheduleLine(record), 0)
  }

  /** The records kept, in trace order. */
  get records(): readonly Traced<ScheduleEvent>[] {
    return this.sample.records
  }

  /** Lines of the whole run's timeline. */
  get totalLines(): number {
    return this.lines.total
  }

  private keeps(record: Traced<ScheduleEvent>, maxLines: number): boolean {
    switch (record.type) {
      case "QuantumExpired":
      case "JobPreempted":
      case "BurstFinished":
        if (this.open.get(record.core) !== record.job) return false
        this.open.delete(record.core)
        this.ended.set(record.job, record.t)
        return true
      case "JobCompleted":
        return this.ended.get(record.job) === record.t
      default:
        break
    }
    if (!(this.started < maxLines || record.t <= this.cutoff)) return false
    if (startsScheduleLine(record) && ++this.started === maxLines) this.cutoff = record.t
    if (record.type === "SliceStarted") this.open.set(record.core, record.job)
    return true
  }
}

/** A timeline line with its place among the lines of one instant. */
interface SortedLine extends TimelineLine {
  /** I/O first, then arrivals and returns from I/O, then switches, then runs. */
  readonly order: number
  /** Within an order: arrivals before returns from I/O; runs by core. */
  readonly within: number
  readonly seq: number
}

/** A slice being told: its line is written when the slice ends. */
interface OpenSlice {
  readonly record: Traced<SliceStarted>
  end: number
  tail: string
  done: boolean
}

/**
 * The lines of a CPU scheduler run, in time order; at one instant: I/O, then arrivals, then
 * returns from I/O, then context switches, then runs by core (a run's line sits at its start and
 * tells how it ended). A slice still running when the records end is told as far as it is known.
 * @param cores - with more than one, every line names its core
 */
export function scheduleTimeline(records: readonly Traced<ScheduleEvent>[], cores: number): TimelineLine[] {
  const on = (core: number): string => (cores > 1 ? ` on CPU ${core}` : "")
  const lines: SortedLine[] = []
  const open = new Map<number, OpenSlice>()
  const closed: OpenSlice[] = []
  const line = (record: Traced<ScheduleEvent>, order: number, within: number, text: string): void => {
    lines.push({ t: record.t, text, order, within, seq: record.seq })
  }
  const close = (core: number, t: number, tail: string, done: boolean): void => {
    const slice = open.get(core)
    if (slice === undefined) return
    open.delete(core)
    slice.end = t
    slice.tail = tail
    slice.done = done
    closed.push(slice)
  }
  for (const record of records) {
    switch (record.type) {
      case "JobArrived":
        line(record, 1, 4, `job ${record.job} arrives (${describeBursts(record.bursts)})`)
        break
      case "BurstQueued":
        if (record.burstIndex > 0)
          line(record, 1, 5, `job ${record.job} is back from I/O, ready for ${time(record.length)} more CPU`)
        break
      case "IoRequested":
        line(record, 0, 3, `job ${record.job} starts an I/O of ${time(record.length)}`)
        break
      case "ContextSwitchStarted":
        line(record, 2, 6, `context switch${on(record.core)} to job ${record.job} (costs ${time(record.cost)})`)
        break
      case "SliceStarted":
        open.set(record.core, { record, end: record.t + record.length, tail: "", done: false })
        break
      case "QuantumExpired":
        close(record.core, record.t, "", false)
        break
      case "JobPreempted":
        close(record.core, record.t, `, then PREEMPTED by job ${record.by} with ${time(record.remaining)} left`, false)
        break
      case "BurstFinished":
        close(record.core, record.t, ` ( burst done at ${time(record.t)} )`, true)
        break
      case "JobCompleted": {
        const last = closed.findLast((slice) => slice.record.job === record.job)
        if (last !== undefined && last.done && last.end === record.t) last.tail = ` ( DONE at ${time(record.t)} )`
        break
      }
      case "IoStarted":
      case "IoCompleted":
        break
      default:
        unhandled(record)
    }
  }
  for (const { record, end, tail } of [...closed, ...open.values()]) {
    line(record, 3, record.core, `run job ${record.job}${on(record.core)} for ${time(end - record.t)}${tail}`)
  }
  return inOrder(lines)
}

/** The lines by time, then within an instant by order, rank and trace order. */
function inOrder(lines: SortedLine[]): TimelineLine[] {
  lines.sort((a, b) => a.t - b.t || a.order - b.order || a.within - b.within || a.seq - b.seq)
  return lines.map(({ t, text }) => ({ t, text }))
}

/** A job's bursts in words: `needs 24.00`, or `needs CPU 5.00, I/O 3.00, CPU 5.00`. */
export function describeBursts(bursts: readonly number[]): string {
  if (bursts.length === 1) return `needs ${time(bursts[0]!)}`
  return `needs ${bursts.map((b, i) => `${i % 2 === 0 ? "CPU" : "I/O"} ${time(b)}`).join(", ")}`
}

// ---- OSTEP's MLFQ (mlfq)

const MLFQ_TYPES: ReadonlySet<string> = new Set<MlfqEvent["type"]>([
  "PriorityBoosted",
  "JobArrived",
  "IoCompleted",
  "TickIdled",
  "TickRan",
  "JobFinished",
  "IoStarted",
  "JobDemoted",
])

/** True for a record of an MLFQ run. */
export function isMlfqRecord(record: Traced | TraceRecord): record is Traced<MlfqEvent> {
  return MLFQ_TYPES.has(record.type)
}

/** The line mlfq.py's `-c` prints for a record, or undefined for a demotion (it prints none). */
export function describeMlfqRecord(record: { readonly t: number } & MlfqEvent): string | undefined {
  switch (record.type) {
    case "PriorityBoosted":
      return `[ time ${record.t} ] BOOST ( every ${record.period} )`
    case "JobArrived":
      return `[ time ${record.t} ] JOB BEGINS by JOB ${record.job}`
    case "IoCompleted":
      return `[ time ${record.t} ] IO_DONE by JOB ${record.job}`
    case "TickIdled":
      return `[ time ${record.t} ] IDLE`
    case "TickRan": {
      const { ticksLeft, allotLeft, timeLeft, runTime } = record
      return `[ time ${record.t} ] Run JOB ${record.job} at PRIORITY ${record.priority} [ TICKS ${ticksLeft} ALLOT ${allotLeft} TIME ${timeLeft} (of ${runTime}) ]`
    }
    case "JobFinished":
      return `[ time ${record.at} ] FINISHED JOB ${record.job}`
    case "IoStarted":
      return `[ time ${record.at} ] IO_START by JOB ${record.job}\nIO DONE`
    case "JobDemoted":
      return undefined
    default:
      return unhandled(record)
  }
}

/** One trace line exactly as mlfq.py prints it (`-c`); an I/O start is two lines. */
export function formatMlfqTraceLine(line: { readonly t: number } & Exclude<MlfqEvent, JobDemoted>): string {
  return describeMlfqRecord(line)!
}

/** How {@link mlfqSummaryTimeline} names things. */
export interface MlfqSummaryOptions {
  /** Number of queues; `queues − 1` is the top. */
  readonly queues: number
  /** A job whose I/O completes goes to the front of its queue (said when it happens). */
  readonly ioBump: boolean
}

/** A queue's name: `Q2 (top)`, `Q1`, `Q0 (bottom)`. */
export function levelName(level: number, queues: number): string {
  return level === queues - 1 ? `Q${level} (top)` : level === 0 ? `Q${level} (bottom)` : `Q${level}`
}

/** A stretch of ticks one job ran at one priority. */
interface Stretch {
  readonly job: number
  readonly priority: number
  readonly from: number
  to: number
  ticksLeft: number
  quanta: number
}

/** An MLFQ event stamped with its tick: a trace record, or a line of {@link MlfqResult.trace}. */
export type MlfqLine = { readonly t: number } & MlfqEvent

/**
 * The summary of an MLFQ run: stretches of one job at one priority (with why each ended),
 * arrivals, I/O, boosts and idle spans, in time order.
 * @param lines - the run's events in trace order (mlfq.py's lines: `MlfqResult.trace` or records)
 * @param demotions - its `JobDemoted` records, which tell why a stretch ended
 */
export function mlfqSummaryTimeline(
  lines: readonly MlfqLine[],
  demotions: readonly JobDemoted[],
  options: MlfqSummaryOptions,
): TimelineLine[] {
  const summary = new MlfqSummary(demotions, options)
  for (const line of lines) summary.add(line)
  return summary.finish()
}

/** The state of {@link mlfqSummaryTimeline} as it reads the records. */
class MlfqSummary {
  private readonly lines: TimelineLine[] = []
  /** Demotions by `at/job`: the queue the job moved to at the end of the tick before `at`. */
  private readonly demotedAt: Map<string, number>
  private stretch: Stretch | null = null
  private idleFrom = -1
  private idleTo = -1

  constructor(
    demotions: readonly JobDemoted[],
    private readonly options: MlfqSummaryOptions,
  ) {
    this.demotedAt = new Map(demotions.map((d) => [`${d.at}/${d.job}`, d.priority]))
  }

  add(record: MlfqLine): void {
    const queues = this.options.queues
    switch (record.type) {
      case "TickRan":
        this.flushIdle()
        this.ran(record)
        break
      case "JobFinished":
        this.flush("; FINISHED")
        break
      case "IoStarted":
        this.flush(`; starts an I/O until t=${record.doneAt}`)
        break
      case "TickIdled":
        this.flush("")
        if (this.idleFrom < 0) this.idleFrom = record.t
        this.idleTo = record.t
        break
      case "PriorityBoosted":
        this.flush("")
        this.flushIdle()
        this.say(
          record.t,
          `BOOST: every job moves back to ${levelName(queues - 1, queues)} with a fresh quantum and allotment`,
        )
        break
      case "JobArrived": {
        this.flushIdle()
        const io = record.ioFreq > 0 ? `an I/O after every ${record.ioFreq} ticks of CPU` : "no I/O"
        this.say(
          record.t,
          `job ${record.job} arrives (runs ${record.runTime} ticks, ${io}) and joins ${levelName(queues - 1, queues)}`,
        )
        break
      }
      case "IoCompleted":
        this.flushIdle()
        this.say(
          record.t,
          `job ${record.job}'s I/O is done: it rejoins its queue${this.options.ioBump ? " at the front (--io-bump)" : ""}`,
        )
        break
      case "JobDemoted":
        break
      default:
        unhandled(record)
    }
  }

  /** The lines, in time order (a stretch is written when it ends, after what happened during it). */
  finish(): TimelineLine[] {
    this.flush("")
    this.flushIdle()
    return this.lines.sort((a, b) => a.t - b.t)
  }

  private say(t: number, text: string): void {
    this.lines.push({ t, text })
  }

  private ran(record: { readonly t: number } & TickRan): void {
    const stretch = this.stretch
    if (
      stretch !== null &&
      (stretch.job !== record.job || stretch.priority !== record.priority || stretch.to !== record.t - 1)
    )
      this.flush("")
    if (this.stretch === null) {
      this.stretch = {
        job: record.job,
        priority: record.priority,
        from: record.t,
        to: record.t,
        ticksLeft: record.ticksLeft,
        quanta: 1,
      }
      return
    }
    if (this.stretch.ticksLeft === 0) this.stretch.quanta++
    this.stretch.to = record.t
    this.stretch.ticksLeft = record.ticksLeft
  }

  private flushIdle(): void {
    if (this.idleFrom < 0) return
    const n = this.idleTo - this.idleFrom + 1
    this.say(this.idleFrom, `CPU idle for ${n} tick${n === 1 ? "" : "s"}: no job is ready`)
    this.idleFrom = -1
  }

  private flush(ending: string): void {
    const stretch = this.stretch
    if (stretch === null) return
    const queues = this.options.queues
    const { job, priority, from, to, quanta } = stretch
    const n = to - from + 1
    const span = n === 1 ? `t=${from}` : `t=${from}–${to}`
    const restarts = quanta > 1 ? `; ${quanta} quanta in a row, no one else at this level or above` : ""
    const down = this.demotedAt.get(`${to + 1}/${job}`)
    let why = ending
    if (why === "" && down !== undefined) why = `; allotment used up: down to ${levelName(down, queues)}`
    else if (why === "" && stretch.ticksLeft === 0) why = "; quantum used up: to the back of its queue"
    else if (why !== "" && down !== undefined) why += `, and moves down to ${levelName(down, queues)}`
    this.say(
      from,
      `job ${job} runs at ${levelName(priority, queues)} for ${n} tick${n === 1 ? "" : "s"} (${span}${restarts})${why}`,
    )
    this.stretch = null
  }
}

// ---- OSTEP's process-run (process-run)

const PROCESS_RUN_TYPES: ReadonlySet<string> = new Set<ProcessRunEvent["type"]>([
  "InstructionRan",
  "CpuIdled",
  "IoStarted",
  "IoCompleted",
  "ProcessDone",
])

/** True for a record of a process-run run. */
export function isProcessRunRecord(record: Traced | TraceRecord): record is Traced<ProcessRunEvent> {
  return PROCESS_RUN_TYPES.has(record.type)
}

/** A run of ticks told as one line: one process's CPU instructions, or the CPU idling. */
interface TickRun {
  readonly from: number
  to: number
  /** The process computing, or -1 (blocked) / -2 (idle with a READY process). */
  readonly who: number
}

/**
 * The lines of a process-run run, in time order: stretches of CPU instructions of one process,
 * I/O issues and completions, completions of processes, and stretches of idle ticks.
 */
export function processRunTimeline(records: readonly Traced<ProcessRunEvent>[]): TimelineLine[] {
  const lines: TimelineLine[] = []
  let run: TickRun | null = null
  const flush = (): void => {
    if (run === null) return
    const n = run.to - run.from + 1
    const span = n === 1 ? `t=${run.from}` : `t=${run.from}–${run.to}`
    const ticks = `${n} tick${n === 1 ? "" : "s"}`
    if (run.who >= 0)
      lines.push({ t: run.from, text: `process ${run.who} runs ${n} CPU instruction${n === 1 ? "" : "s"} (${span})` })
    else
      lines.push({
        t: run.from,
        text: `CPU idle for ${ticks} (${span}): ${run.who === -1 ? "every process waits for I/O" : "although a process is READY"}`,
      })
    run = null
  }
  const extend = (t: number, who: number): void => {
    if (run !== null && run.who === who && run.to === t - 1) run.to = t
    else {
      flush()
      run = { from: t, to: t, who }
    }
  }
  for (const record of records) {
    switch (record.type) {
      case "InstructionRan":
        if (record.instruction === "cpu") extend(record.t, record.pid)
        else flush()
        if (record.instruction === "io_done")
          lines.push({ t: record.t, text: `process ${record.pid} handles its I/O's completion (io_done)` })
        break
      case "CpuIdled":
        extend(record.t, record.allBlocked ? -1 : -2)
        break
      case "IoStarted":
        lines.push({ t: record.t, text: `process ${record.pid} issues an I/O: BLOCKED until t=${record.doneAt}` })
        break
      case "IoCompleted":
        flush()
        lines.push({ t: record.t, text: `process ${record.pid}'s I/O completes: it is READY` })
        break
      case "ProcessDone":
        flush()
        lines.push({ t: record.t, text: `process ${record.pid} is DONE` })
        break
      default:
        unhandled(record)
    }
  }
  flush()
  return lines.sort((a, b) => a.t - b.t)
}
