/**
 * What the cpu-sched sim tells a learner about a run, as pure functions of the run's results and
 * parameters: the timeline's lines, the Gantt chart, the statistics table, scheduler.py's own
 * lines, the same jobs under the other policies, the lesson (whose every sentence about the run is
 * computed from the compared runs) and the quiz. Tables are laid out by the runner's `renderTable`,
 * passed in as `table`, so this file stays below the runner (docs/adding-a-model.md).
 */
import type { LessonSection, RenderTable } from "../../check/core/index.ts"
import { formatCount, formatNumber, formatPercent } from "../../kernel/index.ts"
import { type SchedulingPolicy, SCHEDULING_POLICIES } from "./cpu-scheduler.ts"
import { SCHEDULE_LEGEND, scheduleChart } from "./gantt-chart.ts"
import { pythonFixed } from "./ostep-format.ts"
import { type JobSpec, runSchedule, type ScheduleOptions, type ScheduleResult } from "./schedule-run.ts"
import { describeBursts, type ScheduleTimelineSample, scheduleTimeline, type TimelineLine } from "./sched-timeline.ts"

/** Decimals of times in the report (OSTEP prints two): the sim's time format uses the same. */
export const CPU_SCHED_TIME_DECIMALS = 2
/** Timeline entries shown before the rest is summarised (the trace file has everything). */
export const CPU_SCHED_TIMELINE_MAX = 60
/** Widest Gantt chart, in columns: with its labels (up to `job 999  `) and indent it fits a 100-column report. */
const CHART_MAX_COLUMNS = 88

/** The parameters of a run that its report speaks of (the sim's flags of the same names). */
export interface CpuSchedLessonParams {
  readonly policy: SchedulingPolicy
  readonly quantum: number
  readonly contextSwitch: number
  readonly cores: number
  readonly aging: number
}

const t = (value: number): string => formatNumber(value, CPU_SCHED_TIME_DECIMALS)

/** What each field of the schedule's `summary()` means, and its unit: the sim's metric docs. */
export const CPU_SCHED_METRICS = {
  jobs: {
    description: "per job: id, arrival, burst, response, turnaround, wait, completion (times in time units)",
    unit: "time units",
  },
  avgResponse: { description: "mean of first run − arrival", unit: "time units" },
  avgTurnaround: { description: "mean of completion − arrival", unit: "time units" },
  avgWait: { description: "mean time spent ready but not running", unit: "time units" },
  makespan: { description: "time from the first arrival to the last completion", unit: "time units" },
  cpuUtilisation: { description: "share of core time spent running jobs", unit: "fraction" },
  ioUtilisation: { description: "share of time the disk was busy", unit: "fraction" },
  throughput: { description: "jobs completed per time unit", unit: "jobs per time unit" },
  contextSwitches: { description: "switches from one job to another", unit: "switches" },
  preemptions: {
    description: "times a running job was taken off the CPU before its burst ended",
    unit: "preemptions",
  },
} as const

/**
 * The timeline: arrivals, I/O, context switches, and every slice as it really ran — OSTEP's
 * "Run job 0 for 24.00 ( DONE at 24.00 )", or cut short by a preemption — the first
 * {@link CPU_SCHED_TIMELINE_MAX} lines, then how many more there are.
 */
export function cpuSchedTimeline(sample: ScheduleTimelineSample, cores: number, makespan: number): TimelineLine[] {
  const entries = scheduleTimeline(sample.records, cores)
  if (sample.totalLines <= CPU_SCHED_TIMELINE_MAX) return entries
  const shown = entries.slice(0, CPU_SCHED_TIMELINE_MAX)
  const rest = sample.totalLines - CPU_SCHED_TIMELINE_MAX
  const text = `... ${rest} more events until t=${t(makespan)} (--trace FILE has them all)`
  shown.push({ t: entries[CPU_SCHED_TIMELINE_MAX]!.t, text })
  return shown
}

/** The Gantt chart of `result`, at most 88 columns wide, with its scale and legend. */
export function ganttSection(result: ScheduleResult): LessonSection {
  const chart = scheduleChart(result, CHART_MAX_COLUMNS)
  const scale = chart.scale === 1 ? "one column per time unit" : `one column per ${chart.scale} time units`
  return { title: `Gantt chart (${scale})`, lines: [...chart.lines, "", SCHEDULE_LEGEND] }
}

/** Each job's times and their averages, then makespan, utilisation, throughput and switches. */
export function statsSection(result: ScheduleResult, showPriority: boolean, table: RenderTable): LessonSection {
  const rows = result.jobs.map((job) => [
    String(job.id),
    t(job.arrival),
    t(job.burst),
    ...(showPriority ? [String(job.priority)] : []),
    t(job.firstRun),
    t(job.completion),
    t(job.response),
    t(job.turnaround),
    t(job.wait),
  ])
  rows.push([
    "average",
    "",
    "",
    ...(showPriority ? [""] : []),
    "",
    "",
    t(result.avgResponse),
    t(result.avgTurnaround),
    t(result.avgWait),
  ])
  const right = (header: string) => ({ header, align: "right" as const })
  const columns = [
    { header: "job" },
    right("arrival"),
    right("burst"),
    ...(showPriority ? [right("priority")] : []),
    right("first run"),
    right("completion"),
    right("response"),
    right("turnaround"),
    right("wait"),
  ]
  return {
    title: "Final statistics",
    lines: [
      ...table(columns, rows),
      "response = first run − arrival; turnaround = completion − arrival; wait = time spent ready but not running.",
      `makespan ${t(result.makespan)}, CPU utilisation ${formatPercent(result.cpuUtilisation, 1)}, throughput ${formatNumber(result.throughput, 3)} jobs per time unit` +
        (result.contextSwitches > 0 ? `, ${result.contextSwitches} context switches` : "") +
        (result.ioBusy > 0 ? `, disk utilisation ${formatPercent(result.ioUtilisation, 1)}` : ""),
    ],
  }
}

/** scheduler.py's own statistics lines, when the run is one scheduler.py can describe. */
export function ostepSection(result: ScheduleResult, params: CpuSchedLessonParams): LessonSection | undefined {
  const compatible =
    (params.policy === "fifo" || params.policy === "sjf" || params.policy === "rr") &&
    params.contextSwitch === 0 &&
    params.cores === 1 &&
    result.jobs.every((job) => job.arrival === 0 && job.io === 0)
  if (!compatible) return undefined
  const order =
    params.policy === "rr" ? result.jobs : [...result.jobs].sort((a, b) => a.firstRun - b.firstRun || a.id - b.id)
  const f = (value: number): string => pythonFixed(value, 2)
  const line = (label: string, r: number, ta: number, w: number): string =>
    `${label} -- Response: ${f(r)}  Turnaround ${f(ta)}  Wait ${f(w)}`
  const lines = order.map((job) => line(`Job ${String(job.id).padStart(3)}`, job.response, job.turnaround, job.wait))
  lines.push("", line("Average", result.avgResponse, result.avgTurnaround, result.avgWait))
  const flagsUsed = `-p ${params.policy.toUpperCase()}${params.policy === "rr" ? ` -q ${params.quantum}` : ""} -l ${result.jobs.map((job) => job.burst).join(",")}`
  const command = Number.isInteger(params.quantum) ? ` (scheduler.py ${flagsUsed} -c)` : ""
  return { title: `As OSTEP's scheduler.py prints them${command}`, lines }
}

/** The policies worth comparing on these jobs: the classic four, and the priority ones when priorities differ. */
export function comparedPolicies(jobs: readonly JobSpec[]): SchedulingPolicy[] {
  const distinct = new Set(jobs.map((job) => job.priority ?? 0)).size > 1
  return SCHEDULING_POLICIES.filter((policy) => distinct || (!policy.startsWith("priority") && policy !== "mlq"))
}

/**
 * The results the comparison and the lesson read: `result` for the run's own policy, and each
 * compared policy (plus FIFO, SJF, STCF and RR, which the lesson quotes) run on the same jobs, when
 * `affordable` says its run fits the budget.
 */
export function comparedRuns(
  jobs: readonly JobSpec[],
  options: ScheduleOptions,
  result: ScheduleResult,
  affordable: (policy: SchedulingPolicy) => boolean,
): Map<SchedulingPolicy, ScheduleResult> {
  const results = new Map<SchedulingPolicy, ScheduleResult>()
  for (const policy of comparedPolicies(jobs)) {
    if (affordable(policy))
      results.set(policy, policy === options.policy ? result : runSchedule(jobs, { ...options, policy }))
  }
  if (!results.has(options.policy)) results.set(options.policy, result)
  for (const needed of ["fifo", "sjf", "stcf", "rr"] as const) {
    if (!results.has(needed) && affordable(needed))
      results.set(needed, runSchedule(jobs, { ...options, policy: needed }))
  }
  return results
}

/** The compared policies' averages and makespan; `maxSlices` is the budget that left any out. */
export function comparisonSection(
  jobs: readonly JobSpec[],
  params: CpuSchedLessonParams,
  results: ReadonlyMap<SchedulingPolicy, ScheduleResult>,
  maxSlices: number,
  table: RenderTable,
): LessonSection {
  const missing = comparedPolicies(jobs).filter((policy) => !results.has(policy))
  const rows = [...results].map(([policy, r]) => [
    policy === params.policy ? `${policy} (this run)` : policy,
    t(r.avgResponse),
    t(r.avgTurnaround),
    t(r.avgWait),
    t(r.makespan),
  ])
  const right = (header: string) => ({ header, align: "right" as const })
  return {
    title: "The same jobs under other policies",
    lines: [
      ...table(
        [{ header: "policy" }, right("avg response"), right("avg turnaround"), right("avg wait"), right("makespan")],
        rows,
      ),
      `(same quantum ${params.quantum}, context switch ${params.contextSwitch}, ${params.cores} core${params.cores === 1 ? "" : "s"}${params.aging > 0 ? `, aging ${params.aging}` : ""}; ${jobs.length} jobs)`,
      ...(missing.length > 0
        ? [`(${missing.join(" and ")} left out: more than ${formatCount(maxSlices)} time slices at this quantum)`]
        : []),
    ],
  }
}

export type Metric = "avgResponse" | "avgTurnaround" | "avgWait"

const METRIC_WORDS: Record<Metric, string> = {
  avgResponse: "average response",
  avgTurnaround: "average turnaround",
  avgWait: "average wait",
}

/**
 * Where `policy` ranks among the compared policies on `metric` (smaller is better), in words
 * derived from the numbers: "the best", "the worst", "tied for the best", or "k-th best of n".
 */
export function rankWords(
  results: ReadonlyMap<SchedulingPolicy, ScheduleResult>,
  policy: SchedulingPolicy,
  metric: Metric,
): string {
  const value = results.get(policy)![metric]
  const all = [...results.values()].map((r) => r[metric])
  const eps = 1e-9
  const better = all.filter((v) => v < value - eps).length
  const worse = all.filter((v) => v > value + eps).length
  const tied = all.length - better - worse > 1
  const best = [...results].filter(([, r]) => Math.abs(r[metric] - Math.min(...all)) <= eps).map(([p]) => p)
  const worst = [...results].filter(([, r]) => Math.abs(r[metric] - Math.max(...all)) <= eps).map(([p]) => p)
  const list = (policies: SchedulingPolicy[]): string => policies.join(", ")
  if (better === 0 && worse === 0) return `the same as every other policy compared (${t(value)})`
  if (better === 0) return `${tied ? "tied for " : ""}the best of the ${all.length} policies compared (${t(value)})`
  if (worse === 0)
    return `${tied ? "tied for " : ""}the worst of the ${all.length} policies compared (${t(value)}; best: ${list(best)} with ${t(results.get(best[0]!)![metric])})`
  return `${better + 1}${ordinal(better + 1)} best of the ${all.length} policies compared (${t(value)}; best: ${list(best)} with ${t(results.get(best[0]!)![metric])}, worst: ${list(worst)} with ${t(results.get(worst[0]!)![metric])})`
}

function ordinal(n: number): string {
  return n % 10 === 1 && n % 100 !== 11
    ? "st"
    : n % 10 === 2 && n % 100 !== 12
      ? "nd"
      : n % 10 === 3 && n % 100 !== 13
        ? "rd"
        : "th"
}

/** FIFO's average wait against SJF's on the same jobs: the convoy effect when there is a gap. */
function fifoAgainstSjf(fifo: ScheduleResult, sjf: ScheduleResult | undefined): string[] {
  if (sjf === undefined) return []
  if (fifo.avgWait > sjf.avgWait + 1e-9) {
    return [
      `SJF on the same jobs waits ${t(sjf.avgWait)} on average: the gap is the convoy effect, short jobs stuck behind a long one (shoppers with one item behind a full trolley).`,
    ]
  }
  return [
    `SJF on the same jobs waits ${t(sjf.avgWait)} on average, no less: here no short job queued behind a longer one. Try --bursts 24,3,3 and --bursts 3,3,24.`,
  ]
}

/** The lesson: every sentence about this run is computed from the compared runs; general rules say "in general". */
export function cpuSchedLesson(
  params: CpuSchedLessonParams,
  jobs: readonly JobSpec[],
  results: ReadonlyMap<SchedulingPolicy, ScheduleResult>,
): LessonSection {
  const me = results.get(params.policy)!
  const fifo = results.get("fifo")
  const sjf = results.get("sjf")
  const rr = results.get("rr")
  const rank = (metric: Metric): string =>
    `In this run its ${METRIC_WORDS[metric]} is ${rankWords(results, params.policy, metric)}.`
  const atOnce = jobs.every((job) => job.arrival === jobs[0]!.arrival)
  const lines: string[] = []
  switch (params.policy) {
    case "fifo":
      lines.push(`FIFO runs jobs in arrival order. ${rank("avgWait")}`, ...fifoAgainstSjf(me, sjf))
      break
    case "sjf":
      lines.push(`SJF runs the shortest ready job first and never preempts. ${rank("avgWait")}`)
      lines.push(
        atOnce
          ? "In general, with every job present at once, no order of the jobs gives a smaller average wait than SJF."
          : "Here jobs arrive at different times, so SJF can only choose among the jobs already ready: in general a short job that arrives while a long one runs must wait (STCF preempts instead).",
      )
      lines.push("In general SJF needs each job's length in advance, which a real OS does not know.")
      break
    case "stcf":
      lines.push(
        `STCF (SRTF) always runs the job with the least time left, preempting when a shorter one arrives. ${rank("avgTurnaround")}`,
      )
      lines.push(
        `Its average response is ${t(me.avgResponse)}${rr === undefined ? "" : ` (RR's: ${t(rr.avgResponse)})`}: in general a long job may wait long for its first turn, and can starve while shorter jobs keep coming.`,
      )
      break
    case "rr":
      lines.push(`RR gives every ready job a slice of ${params.quantum} in turn. ${rank("avgResponse")}`)
      lines.push(
        rank("avgTurnaround").replace("In this run its", "Its") +
          " In general fair sharing stretches every job out, so RR trades turnaround for response.",
      )
      lines.push(
        params.contextSwitch > 0
          ? `Each switch cost ${params.contextSwitch}: ${me.contextSwitches} switches in this run, CPU doing real work ${formatPercent(me.cpuUtilisation, 1)} of the time. In general a smaller quantum means more switches.`
          : "In general a smaller quantum improves response but multiplies context switches; try --context-switch 0.1 with --quantum 1 and 4.",
      )
      break
    case "priority":
    case "priority-preemptive":
      lines.push(
        `The ready job with the smallest priority number runs first${params.policy === "priority" ? " (once it has the CPU it keeps it)" : "; a more important arrival preempts"}. ${rank("avgWait")}`,
      )
      lines.push(
        params.aging > 0
          ? `Aging: a ready job gains one step every ${params.aging} time units it waits, so a low-priority job cannot wait forever.`
          : "In general, without aging a low-priority job can starve while more important work keeps arriving; try --aging.",
      )
      break
    case "mlq":
      lines.push(
        `A multilevel queue: class 0 (foreground) runs round robin with quantum ${params.quantum}; classes 1, 2, ... (background) run first come first served,`,
        `and a lower class runs only when every higher class is empty (a foreground arrival preempts background work). Jobs never change class. ${rank("avgResponse")}`,
      )
      break
  }
  if (fifo === undefined && params.policy !== "fifo") lines.push("(FIFO was not compared in this run.)")
  return { title: "Lesson", lines }
}

/** One line per job: arrival, bursts, and its priority when any job has one. */
export function describeJobs(jobs: readonly JobSpec[]): string[] {
  return jobs.map((job, id) => {
    const arrival = `arrives at ${t(job.arrival)}`
    const priority =
      (job.priority ?? 0) !== 0 || jobs.some((other) => (other.priority ?? 0) !== 0)
        ? `, priority ${job.priority ?? 0}`
        : ""
    return `  job ${id}: ${arrival}, ${describeBursts(job.bursts)}${priority}`
  })
}

/** The quiz: the jobs (`jobLines`), the policy and its settings, then what to work out. */
export function cpuSchedQuiz(params: CpuSchedLessonParams, jobLines: readonly string[]): string {
  return [
    "The jobs, in job order:",
    ...jobLines,
    `Policy ${params.policy}${params.policy === "rr" || params.policy === "mlq" ? `, quantum ${params.quantum}` : ""}${params.contextSwitch > 0 ? `, context switch ${params.contextSwitch}` : ""}${params.cores > 1 ? `, ${params.cores} cores` : ""}.`,
    "1. Draw the Gantt chart: which job runs when?",
    "2. Compute each job's response, turnaround and wait time, and their averages.",
    "Then rerun without --quiz and compare.",
  ].join("\n")
}
