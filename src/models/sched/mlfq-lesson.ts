/**
 * What the mlfq sim tells a learner about a run, as pure functions of the run's result and
 * parameters: the summary timeline, the queue chart, the statistics and mlfq.py's own lines, the
 * tick trace, the lesson and the quiz. Tables are laid out by the runner's `renderTable`, passed in
 * as `table` (docs/adding-a-model.md).
 */
import { formatCount, type Traced } from "../../kernel/index.ts"
import type { LessonSection, RenderTable } from "../../check/core/index.ts"
import { mlfqChart } from "./gantt-chart.ts"
import type { MlfqJobSpec } from "./job-list.ts"
import type { MlfqResult } from "./mlfq.ts"
import { pythonFixed } from "./ostep-format.ts"
import type { JobDemoted } from "./sched-events.ts"
import { describeMlfqRecord, type MlfqLine, mlfqSummaryTimeline, type TimelineLine } from "./sched-timeline.ts"

/** Summary timeline entries shown before the rest is summarised. */
export const MLFQ_TIMELINE_MAX = 80
/** Widest queue chart, in columns: with its labels (up to `Q99  `) and indent it fits a 100-column report. */
const CHART_MAX_COLUMNS = 90

/** The parameters of a run that its report speaks of (the sim's flags of the same names). */
export interface MlfqLessonParams {
  /** Ticks between priority boosts; 0: never. */
  readonly boost: number
  /** Ticks every I/O takes. */
  readonly ioTime: number
  /** The old, gameable rule: an I/O resets the job's allotment. */
  readonly stay: boolean
  /** A job whose I/O completes goes to the front of its queue. */
  readonly ioBump: boolean
}

/** What each field of the result's `summary()` means, and its unit: the sim's metric docs. */
export const MLFQ_METRICS = {
  jobs: { description: "per job: id, response, turnaround", unit: "ticks" },
  avgResponse: { description: "mean of first run − start", unit: "ticks" },
  avgTurnaround: { description: "mean of end − start", unit: "ticks" },
  totalTime: { description: "time until the last job finished", unit: "ticks" },
  longestWait: { description: "most ticks in a row a job was ready but not running", unit: "ticks" },
} as const

/** A job's demand in words: its run time and how often it does I/O. */
export function describeMlfqJob(job: MlfqJobSpec): string {
  const io = job.ioFreq > 0 ? `an I/O after every ${job.ioFreq} ticks of CPU` : "no I/O"
  return `runs ${job.runTime} ticks, ${io}`
}

/**
 * The summary timeline: stretches of one job at one priority, arrivals, I/O, boosts, idle spans —
 * the first {@link MLFQ_TIMELINE_MAX} lines, then how many more there are.
 */
export function mlfqTimelineEntries(
  result: MlfqResult,
  demotions: readonly JobDemoted[],
  params: MlfqLessonParams,
): TimelineLine[] {
  const entries = mlfqSummaryTimeline(result.trace, demotions, { queues: result.queues, ioBump: params.ioBump })
  if (entries.length <= MLFQ_TIMELINE_MAX) return entries
  const shown = entries.slice(0, MLFQ_TIMELINE_MAX)
  const rest = entries.length - MLFQ_TIMELINE_MAX
  const text = `... ${rest} more entries until t=${result.totalTime} (--tick-trace shows every tick)`
  shown.push({ t: entries[MLFQ_TIMELINE_MAX]!.t, text })
  return shown
}

/** True for a `JobDemoted` record. */
export function isDemotion(record: Traced): record is Traced<JobDemoted> {
  return record.type === "JobDemoted"
}

/** The summary timeline's title, with the run's length. */
export function mlfqSummaryTitle(totalTime: number): string {
  return `Timeline (execution trace summary: ${formatCount(totalTime)} ticks; --tick-trace for every tick)`
}

/** Who ran at which priority: a row per queue, top first. */
export function mlfqChartSection(result: MlfqResult): LessonSection {
  const chart = mlfqChart(result, CHART_MAX_COLUMNS)
  const scale = chart.scale === 1 ? "one column per tick" : `one column per ${chart.scale} ticks`
  return {
    title: `Who ran at which priority (${scale})`,
    lines: [
      ...chart.lines,
      "",
      "Each row is a queue, the top one first; a digit is the job that ran at that priority then, · another queue's turn or idle.",
    ],
  }
}

/** Each job's times, and the averages as mlfq.py rounds them. */
export function mlfqStatsSection(result: MlfqResult, table: RenderTable): LessonSection {
  const rows = result.jobs.map((job) => [
    String(job.id),
    String(job.start),
    String(job.runTime),
    String(job.ioFreq),
    String(job.firstRun),
    String(job.end),
    String(job.response),
    String(job.turnaround),
    String(job.longestWait),
  ])
  rows.push([
    "average",
    "",
    "",
    "",
    "",
    "",
    pythonFixed(result.avgResponse, 2),
    pythonFixed(result.avgTurnaround, 2),
    "",
  ])
  const right = (header: string) => ({ header, align: "right" as const })
  return {
    title: "Final statistics",
    lines: [
      ...table(
        [
          { header: "job" },
          right("start"),
          right("run time"),
          right("I/O every"),
          right("first run"),
          right("end"),
          right("response"),
          right("turnaround"),
          right("longest wait"),
        ],
        rows,
      ),
      "response = first run − start; turnaround = end − start; longest wait = most ticks in a row ready but not running.",
    ],
  }
}

/** mlfq.py's own statistics lines. */
export function mlfqOstepSection(result: MlfqResult): LessonSection {
  const lines = result.jobs.map(
    (job) =>
      `Job ${String(job.id).padStart(2)}: startTime ${String(job.start).padStart(3)} - response ${String(job.response).padStart(3)} - turnaround ${String(job.turnaround).padStart(3)}`,
  )
  const last = String(result.jobs.length - 1).padStart(2)
  lines.push(
    "",
    `Avg ${last}: startTime n/a - response ${pythonFixed(result.avgResponse, 2)} - turnaround ${pythonFixed(result.avgTurnaround, 2)}`,
  )
  return { title: "As OSTEP's mlfq.py prints them", lines }
}

/** mlfq.py's -c trace, line for line. */
export function mlfqTickTraceSection(trace: readonly MlfqLine[]): LessonSection {
  const lines = trace.flatMap((line) => describeMlfqRecord(line)?.split("\n") ?? [])
  return { title: "Timeline (execution trace: mlfq.py -c, line for line)", lines }
}

/** The lesson: how jobs sink, who ran straight through, --stay's gaming, and starvation or the boost. */
export function mlfqLesson(result: MlfqResult, params: MlfqLessonParams): LessonSection {
  const lines: string[] = []
  const top = result.queues - 1
  const worst = result.jobs.reduce((a, b) => (b.longestWait > a.longestWait ? b : a))
  const quick = result.jobs.filter((job) => job.start > 0 && job.turnaround === job.runTime)
  lines.push(
    "Every job starts at the top; one that uses up its allotment at a level moves down, so long CPU-bound jobs sink",
    "and short or interactive ones stay high. MLFQ learns how a job behaves instead of being told its length.",
  )
  for (const job of quick) {
    lines.push(
      `Job ${job.id} arrived at t=${job.start} and ran straight through (turnaround ${job.turnaround} = its run time): treated as the short job it was, as SJF would.`,
    )
  }
  if (params.stay) {
    lines.push(
      "With --stay (the old rules 4a/4b) an I/O resets a job's allotment: in general a job that does an I/O just before its quantum ends stays at the top forever and can hog the CPU. Compare without --stay.",
    )
  }
  if (params.boost === 0) {
    lines.push(
      `No boost: job ${worst.id} waited ${worst.longestWait} ticks in a row. A steady stream of high-priority work can starve the bottom queue forever; try --boost ${Math.max(10, 5 * result.quantum[top]!)}.`,
    )
  } else {
    lines.push(
      `Boost every ${params.boost} ticks: the longest wait was ${worst.longestWait} ticks (job ${worst.id}); no job waits much longer than one boost period.`,
    )
  }
  return { title: "Lesson", lines }
}

/** The quiz: the jobs (`jobLines`), the queues' quanta and allotments, boost and I/O, then what to trace. */
export function mlfqQuiz(
  params: MlfqLessonParams,
  levels: { readonly quantum: readonly number[]; readonly allotment: readonly number[] },
  jobLines: readonly string[],
): string {
  const queues = levels.quantum.length
  const perLevel = [...levels.quantum.keys()]
    .reverse()
    .map((level) => `Q${level}: quantum ${levels.quantum[level]}, allotment ${levels.allotment[level]}`)
  return [
    "The jobs:",
    ...jobLines,
    `${queues} queue(s), top first — ${perLevel.join("; ")}.`,
    `Boost ${params.boost > 0 ? `every ${params.boost} ticks` : "never"}; every I/O takes ${params.ioTime} ticks${params.stay ? "; --stay (I/O resets the allotment)" : ""}${params.ioBump ? "; --io-bump" : ""}.`,
    "1. Trace the run: which job runs when, and at which priority?",
    "2. What are each job's response and turnaround times?",
  ].join("\n")
}
