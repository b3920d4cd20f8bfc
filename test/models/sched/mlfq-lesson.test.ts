import { describe, expect, it } from "vitest"
import { Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  describeMlfqJob,
  isDemotion,
  MLFQ_TIMELINE_MAX,
  type MlfqJobSpec,
  mlfqLesson,
  mlfqLevels,
  mlfqOstepSection,
  mlfqQuiz,
  mlfqStatsSection,
  mlfqSummaryTimeline,
  mlfqSummaryTitle,
  mlfqTimelineEntries,
  runMlfq,
} from "../../../src/models/sched/index.ts"

/** OSTEP figure 8.3: a long CPU-bound job, and a short one arriving at t=100. */
const FIGURE_8_3: MlfqJobSpec[] = [
  { start: 0, runTime: 180, ioFreq: 0 },
  { start: 100, runTime: 20, ioFreq: 0 },
]
const OPTIONS = { queues: 3, quantum: 10, allotment: 1, boost: 0, ioTime: 5, stay: false, ioBump: false }
const SINK = [
  "Every job starts at the top; one that uses up its allotment at a level moves down, so long CPU-bound jobs sink",
  "and short or interactive ones stay high. MLFQ learns how a job behaves instead of being told its length.",
]
const table = (columns: readonly { header: string }[], rows: readonly (readonly string[])[]): string[] => [
  columns.map((column) => column.header).join("|"),
  ...rows.map((row) => row.join("|")),
]

function run(jobs: readonly MlfqJobSpec[], options = OPTIONS) {
  const sim = new Simulation({ seed: 1 })
  const demotions = new TraceSample(sim.trace, isDemotion, Infinity)
  const result = runMlfq(sim, jobs, options)
  return { result, demotions: demotions.records }
}

describe("mlfq lesson", () => {
  it("says the short job ran straight through and the long one waited with no boost", () => {
    const { result } = run(FIGURE_8_3)

    expect(mlfqLesson(result, OPTIONS)).toEqual({
      title: "Lesson",
      lines: [
        ...SINK,
        "Job 1 arrived at t=100 and ran straight through (turnaround 20 = its run time): treated as the short job it was, as SJF would.",
        "No boost: job 0 waited 20 ticks in a row. A steady stream of high-priority work can starve the bottom queue forever; try --boost 50.",
      ],
    })
  })

  it("warns about gaming with --stay and bounds the wait by the boost period", () => {
    const options = { ...OPTIONS, boost: 50, stay: true }
    const { result } = run(FIGURE_8_3, options)

    expect(mlfqLesson(result, options).lines.slice(2)).toEqual([
      "With --stay (the old rules 4a/4b) an I/O resets a job's allotment: in general a job that does an I/O just before its quantum ends stays at the top forever and can hog the CPU. Compare without --stay.",
      "Boost every 50 ticks: the longest wait was 10 ticks (job 0); no job waits much longer than one boost period.",
    ])
  })
})

describe("mlfq report pieces", () => {
  it("prints each job's times and mlfq.py's own lines", () => {
    const { result } = run(FIGURE_8_3)

    expect(mlfqStatsSection(result, table).lines.slice(0, 4)).toEqual([
      "job|start|run time|I/O every|first run|end|response|turnaround|longest wait",
      "0|0|180|0|0|200|0|200|20",
      "1|100|20|0|100|120|0|20|0",
      "average||||||0.00|110.00|",
    ])
    expect(mlfqOstepSection(result).lines).toEqual([
      "Job  0: startTime   0 - response   0 - turnaround 200",
      "Job  1: startTime 100 - response   0 - turnaround  20",
      "",
      "Avg  1: startTime n/a - response 0.00 - turnaround 110.00",
    ])
  })

  it("cuts the summary timeline after its first entries and says how many more there are", () => {
    const jobs = [
      { start: 0, runTime: 2000, ioFreq: 0 },
      { start: 10, runTime: 3000, ioFreq: 3 },
    ]
    const { result, demotions } = run(jobs, { ...OPTIONS, ioTime: 2 })
    const all = mlfqSummaryTimeline(result.trace, demotions, { queues: result.queues, ioBump: false })
    const shown = mlfqTimelineEntries(result, demotions, OPTIONS)

    expect(all.length).toBeGreaterThan(MLFQ_TIMELINE_MAX)
    expect(shown.slice(0, MLFQ_TIMELINE_MAX)).toEqual(all.slice(0, MLFQ_TIMELINE_MAX))
    expect(shown[MLFQ_TIMELINE_MAX]).toEqual({
      t: all[MLFQ_TIMELINE_MAX]!.t,
      text: `... ${all.length - MLFQ_TIMELINE_MAX} more entries until t=${result.totalTime} (--tick-trace shows every tick)`,
    })
    expect(mlfqTimelineEntries(run(FIGURE_8_3).result, [], OPTIONS).length).toBeLessThanOrEqual(MLFQ_TIMELINE_MAX)
    expect(mlfqSummaryTitle(1234)).toBe("Timeline (execution trace summary: 1,234 ticks; --tick-trace for every tick)")
  })

  it("asks the quiz about the jobs, the levels, the boost and I/O", () => {
    const jobLines = FIGURE_8_3.map((job, id) => `  job ${id}: starts at t=${job.start}, ${describeMlfqJob(job)}`)

    expect(mlfqQuiz({ ...OPTIONS, ioBump: true }, mlfqLevels(OPTIONS), jobLines)).toBe(
      [
        "The jobs:",
        "  job 0: starts at t=0, runs 180 ticks, no I/O",
        "  job 1: starts at t=100, runs 20 ticks, no I/O",
        "3 queue(s), top first — Q2: quantum 10, allotment 1; Q1: quantum 10, allotment 1; Q0: quantum 10, allotment 1.",
        "Boost never; every I/O takes 5 ticks; --io-bump.",
        "1. Trace the run: which job runs when, and at which priority?",
        "2. What are each job's response and turnaround times?",
      ].join("\n"),
    )
    expect(describeMlfqJob({ start: 0, runTime: 50, ioFreq: 5 })).toBe(
      "runs 50 ticks, an I/O after every 5 ticks of CPU",
    )
  })
})
