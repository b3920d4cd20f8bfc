import { describe, expect, it } from "vitest"
import {
  comparedRuns,
  comparisonSection,
  cpuSchedLesson,
  cpuSchedQuiz,
  describeJobs,
  ostepSection,
  rankWords,
  runSchedule,
  type SchedulingPolicy,
  statsSection,
} from "../../../src/models/sched/index.ts"

/** Silberschatz's convoy: 24, 3 and 3 units of CPU, all at time 0. */
const CONVOY = [24, 3, 3].map((burst) => ({ arrival: 0, bursts: [burst], priority: 0 }))
const FIFO = { policy: "fifo" as const, quantum: 1, contextSwitch: 0, cores: 1, aging: 0 }
/** A table as `header | cells`, one line per row: enough to check what goes in. */
const table = (columns: readonly { header: string }[], rows: readonly (readonly string[])[]): string[] => [
  columns.map((column) => column.header).join("|"),
  ...rows.map((row) => row.join("|")),
]

function convoy(policy: SchedulingPolicy = "fifo") {
  const params = { ...FIFO, policy }
  const result = runSchedule(CONVOY, params)
  return { params, result, results: comparedRuns(CONVOY, params, result, () => true) }
}

describe("cpu-sched lesson", () => {
  it("compares the classic four policies on the run's jobs, reusing the run's own result", () => {
    const { result, results } = convoy()

    expect([...results.keys()]).toEqual(["fifo", "sjf", "stcf", "rr"])
    expect(results.get("fifo")).toBe(result)
    expect([...results.values()].map((r) => r.avgWait.toFixed(2))).toEqual(["17.00", "3.00", "3.00", "5.67"])
  })

  it("leaves out a policy its budget cannot afford", () => {
    const { params, result } = convoy()

    expect([...comparedRuns(CONVOY, params, result, (policy) => policy !== "rr").keys()]).toEqual([
      "fifo",
      "sjf",
      "stcf",
    ])
  })

  it("ranks a policy in words derived from the numbers", () => {
    const { results } = convoy()

    expect(rankWords(results, "rr", "avgResponse")).toBe("the best of the 4 policies compared (1.00)")
    expect(rankWords(results, "sjf", "avgTurnaround")).toBe("tied for the best of the 4 policies compared (13.00)")
    expect(rankWords(results, "rr", "avgTurnaround")).toBe(
      "3rd best of the 4 policies compared (15.67; best: sjf, stcf with 13.00, worst: fifo with 27.00)",
    )
    expect(rankWords(results, "fifo", "avgWait")).toBe(
      "the worst of the 4 policies compared (17.00; best: sjf, stcf with 3.00)",
    )
  })

  it("names the convoy effect when FIFO waits longer than SJF", () => {
    const { params, results } = convoy()

    expect(cpuSchedLesson(params, CONVOY, results)).toEqual({
      title: "Lesson",
      lines: [
        "FIFO runs jobs in arrival order. In this run its average wait is the worst of the 4 policies compared (17.00; best: sjf, stcf with 3.00).",
        "SJF on the same jobs waits 3.00 on average: the gap is the convoy effect, short jobs stuck behind a long one (shoppers with one item behind a full trolley).",
      ],
    })
  })

  it("says when FIFO was not compared", () => {
    const { params, result } = convoy("rr")
    const results = comparedRuns(CONVOY, params, result, (policy) => policy !== "fifo")

    expect(cpuSchedLesson(params, CONVOY, results).lines.at(-1)).toBe("(FIFO was not compared in this run.)")
  })
})

describe("cpu-sched report sections", () => {
  it("prints scheduler.py's lines for a run it can describe, and none with a context switch", () => {
    const { params, result } = convoy()

    expect(ostepSection(result, params)).toEqual({
      title: "As OSTEP's scheduler.py prints them (scheduler.py -p FIFO -l 24,3,3 -c)",
      lines: [
        "Job   0 -- Response: 0.00  Turnaround 24.00  Wait 0.00",
        "Job   1 -- Response: 24.00  Turnaround 27.00  Wait 24.00",
        "Job   2 -- Response: 27.00  Turnaround 30.00  Wait 27.00",
        "",
        "Average -- Response: 17.00  Turnaround 27.00  Wait 17.00",
      ],
    })
    expect(ostepSection(result, { ...params, contextSwitch: 0.1 })).toBeUndefined()
  })

  it("tables each job's times with the averages, and the compared policies with the budget's note", () => {
    const { params, result, results } = convoy()

    expect(statsSection(result, false, table).lines.slice(0, 5)).toEqual([
      "job|arrival|burst|first run|completion|response|turnaround|wait",
      "0|0.00|24.00|0.00|24.00|0.00|24.00|0.00",
      "1|0.00|3.00|24.00|27.00|24.00|27.00|24.00",
      "2|0.00|3.00|27.00|30.00|27.00|30.00|27.00",
      "average|||||17.00|27.00|17.00",
    ])
    expect(statsSection(result, false, table).lines.at(-1)).toBe(
      "makespan 30.00, CPU utilisation 100.0%, throughput 0.100 jobs per time unit",
    )
    const fewer = new Map([...results].filter(([policy]) => policy !== "rr"))
    expect(comparisonSection(CONVOY, params, fewer, 1000, table).lines).toEqual([
      "policy|avg response|avg turnaround|avg wait|makespan",
      "fifo (this run)|17.00|27.00|17.00|30.00",
      "sjf|3.00|13.00|3.00|30.00",
      "stcf|3.00|13.00|3.00|30.00",
      "(same quantum 1, context switch 0, 1 core; 3 jobs)",
      "(rr left out: more than 1,000 time slices at this quantum)",
    ])
  })

  it("asks the quiz about the jobs and the policy", () => {
    expect(cpuSchedQuiz({ ...FIFO, policy: "rr", quantum: 4 }, describeJobs(CONVOY))).toBe(
      [
        "The jobs, in job order:",
        "  job 0: arrives at 0.00, needs 24.00",
        "  job 1: arrives at 0.00, needs 3.00",
        "  job 2: arrives at 0.00, needs 3.00",
        "Policy rr, quantum 4.",
        "1. Draw the Gantt chart: which job runs when?",
        "2. Compute each job's response, turnaround and wait time, and their averages.",
        "Then rerun without --quiz and compare.",
      ].join("\n"),
    )
  })
})
