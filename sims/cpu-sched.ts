/**
 * CPU scheduling: who runs next, and what does it cost the others?
 * Covers: FIFO, SJF, STCF, RR, priority (with aging), multilevel queue; response, turnaround and
 *   wait; the convoy effect; context-switch cost; Gantt charts.
 * Scenario: three jobs arrive at time 0 needing 24, 3 and 3 units of CPU (Silberschatz's example)
 *   and run first come first served: the short jobs wait behind the long one.
 * Try: --policy sjf; --policy rr --quantum 4; --policy rr --quantum 1 --context-switch 0.1;
 *   --policy stcf --bursts 8,4,9,5 --arrivals 0,1,2,3; --random-jobs 5 --seed 7 --quiz.
 * Agrees with OSTEP's scheduler.py (all arrivals 0, no switch cost): `--seed S --random-jobs N
 *   --max-len M` draws the jobs of `scheduler.py -s S -j N -m M`. The seed affects nothing else: the
 *   default jobs and --bursts are fixed, so a fresh problem needs --random-jobs N with another seed.
 */
import {
  type Constraint,
  defineSim,
  flag,
  formatCount,
  formatNumber,
  formatPercent,
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
import {
  type JobSpec,
  parseBursts,
  parsePerJob,
  pythonFixed,
  randomSchedulerBursts,
  runSchedule,
  SCHEDULE_LEGEND,
  describeBursts,
  type ScheduleResult,
  ScheduleScenario,
  scheduleChart,
  scheduleChecks,
  scheduleTimeline,
  ScheduleTimelineSample,
  SCHEDULING_POLICIES,
  type SchedulingPolicy,
} from "../src/models/sched/index.ts"
import { scheduleGantt } from "../src/view/index.ts"

/** Timeline entries shown before the rest is summarised (the trace file has everything). */
const TIMELINE_MAX_ENTRIES = 60
/** Widest Gantt chart, in columns: with its labels (up to `job 999  `) and indent it fits a 100-column report. */
const CHART_MAX_COLUMNS = 88
/** Most time slices a compared round-robin run may take in the text report (each is kept for the Gantt chart and the checks). */
const MAX_SLICES = 2_000_000
/** Decimals of times in tables (OSTEP prints two). */
const TIME_DECIMALS = 2

/** The reader's sentence when a value does not parse, for a string flag's `check`. */
function problemOf(parsed: { ok: true } | { ok: false; error: string }): string | undefined {
  return parsed.ok ? undefined : parsed.error
}

const flags = {
  policy: flag.choice({ description: "scheduling policy", choices: SCHEDULING_POLICIES, default: "fifo" }),
  bursts: flag.string({
    description: "CPU burst of each job, in job order; 5/3/5 = CPU 5, I/O 3, CPU 5",
    unit: "time units",
    default: "24,3,3",
    allowed: "comma-separated numbers > 0, each optionally CPU/I-O/CPU/... with /",
    check: (text) => problemOf(parseBursts(text)),
  }),
  arrivals: flag.string({
    description: "arrival time of each job, or one value for all",
    unit: "time units",
    default: "0",
    allowed: "comma-separated numbers >= 0",
    check: (text) => problemOf(parsePerJob(text, text.split(",").length, { what: "arrival" })),
  }),
  priorities: flag.string({
    description: "priority of each job (smaller = more important; the class under mlq), or one for all",
    default: "0",
    allowed: "comma-separated integers >= 0",
    check: (text) => problemOf(parsePerJob(text, text.split(",").length, { what: "priority", integer: true })),
  }),
  quantum: flag.number({
    description: "time slice of rr and of mlq's class 0",
    unit: "time units",
    default: 1,
    greaterThan: 0,
    max: 1e6,
  }),
  contextSwitch: flag.number({
    description: "time a core spends switching between jobs",
    unit: "time units",
    default: 0,
    min: 0,
    max: 1e6,
  }),
  aging: flag.number({
    description: "wait that earns a ready job one priority step (priority policies); 0 = no aging",
    unit: "time units",
    default: 0,
    min: 0,
    max: 1e9,
  }),
  cores: flag.integer({ description: "number of CPU cores", unit: "cores", default: 1, min: 1, max: 64 }),
  randomJobs: flag.integer({
    description:
      "draw this many jobs from the seed instead of --bursts, the very jobs of scheduler.py -s SEED -j N; 0 = use --bursts",
    unit: "jobs",
    default: 0,
    min: 0,
    max: 1000,
  }),
  maxLen: flag.integer({
    description: "longest random job (as scheduler.py -m)",
    unit: "time units",
    default: 10,
    min: 1,
    max: 1_000_000,
  }),
}

type CpuParams = Params<typeof flags>

/** The jobs the params describe, or the sentence that says why they are not valid. */
function jobsOf(params: CpuParams, seed: number): { ok: true; jobs: JobSpec[] } | { ok: false; error: string } {
  let bursts: number[][]
  if (params.randomJobs > 0) {
    bursts = randomSchedulerBursts(seed, params.randomJobs, params.maxLen).map((length) => [length])
  } else {
    const parsed = parseBursts(params.bursts)
    if (!parsed.ok) return { ok: false, error: `--bursts: ${parsed.error}` }
    bursts = parsed.value
  }
  const arrivals = parsePerJob(params.arrivals, bursts.length, { what: "arrival" })
  if (!arrivals.ok) return { ok: false, error: `--arrivals: ${arrivals.error}` }
  const priorities = parsePerJob(params.priorities, bursts.length, { what: "priority", integer: true })
  if (!priorities.ok) return { ok: false, error: `--priorities: ${priorities.error}` }
  return {
    ok: true,
    jobs: bursts.map((b, i) => ({ arrival: arrivals.value[i]!, bursts: b, priority: priorities.value[i]! })),
  }
}

/** Slices a round-robin run of the params' jobs needs at least: Σ ceil(CPU burst / quantum). */
function estimatedSlices(params: CpuParams): number {
  const parsed = parseBursts(params.bursts)
  const bursts =
    params.randomJobs > 0
      ? Array.from({ length: params.randomJobs }, () => [params.maxLen])
      : parsed.ok
        ? parsed.value
        : []
  return bursts.reduce(
    (sum, job) => job.reduce((total, b, i) => total + (i % 2 === 0 ? Math.ceil(b / params.quantum) : 0), sum),
    0,
  )
}

/**
 * --arrivals and --priorities need one value per job (or a single one): the job count comes from
 * --bursts or --random-jobs. Each flag's own format is its `check`'s job.
 */
class PerJobCountConstraint implements Constraint<CpuParams> {
  readonly params: readonly ("bursts" | "randomJobs" | "arrivals" | "priorities")[]
  private error = ""

  constructor(private readonly flagKey: "arrivals" | "priorities") {
    this.params = ["bursts", "randomJobs", flagKey]
  }

  holds = (params: CpuParams): boolean => {
    const bursts = parseBursts(params.bursts)
    const count = params.randomJobs > 0 ? params.randomJobs : bursts.ok ? bursts.value.length : 0
    const what = this.flagKey === "arrivals" ? "arrival" : "priority"
    const parsed =
      count === 0
        ? undefined
        : parsePerJob(params[this.flagKey], count, { what, integer: this.flagKey === "priorities" })
    this.error = parsed === undefined || parsed.ok ? "" : parsed.error
    return this.error === ""
  }

  get message(): string {
    return this.error
  }
}

const t = (value: number): string => formatNumber(value, TIME_DECIMALS)

/**
 * The timeline: arrivals, I/O, context switches, and every slice as it really ran — OSTEP's
 * "Run job 0 for 24.00 ( DONE at 24.00 )", or cut short by a preemption — the first
 * {@link TIMELINE_MAX_ENTRIES} lines, then how many more there are.
 */
function timeline(sample: ScheduleTimelineSample, cores: number, makespan: number): TimelineEntry[] {
  const entries = scheduleTimeline(sample.records, cores)
  if (sample.totalLines <= TIMELINE_MAX_ENTRIES) return entries
  const shown = entries.slice(0, TIMELINE_MAX_ENTRIES)
  const rest = sample.totalLines - TIMELINE_MAX_ENTRIES
  const text = `... ${rest} more events until t=${t(makespan)} (--trace FILE has them all)`
  shown.push({ t: entries[TIMELINE_MAX_ENTRIES]!.t, text })
  return shown
}

function ganttSection(result: ScheduleResult): TextSection {
  const chart = scheduleChart(result, CHART_MAX_COLUMNS)
  const scale = chart.scale === 1 ? "one column per time unit" : `one column per ${chart.scale} time units`
  return { title: `Gantt chart (${scale})`, lines: [...chart.lines, "", SCHEDULE_LEGEND] }
}

function statsTable(result: ScheduleResult, showPriority: boolean): TextSection {
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
      ...renderTable(columns, rows),
      "response = first run − arrival; turnaround = completion − arrival; wait = time spent ready but not running.",
      `makespan ${t(result.makespan)}, CPU utilisation ${formatPercent(result.cpuUtilisation, 1)}, throughput ${formatNumber(result.throughput, 3)} jobs per time unit` +
        (result.contextSwitches > 0 ? `, ${result.contextSwitches} context switches` : "") +
        (result.ioBusy > 0 ? `, disk utilisation ${formatPercent(result.ioUtilisation, 1)}` : ""),
    ],
  }
}

/** scheduler.py's own statistics lines, when the run is one scheduler.py can describe. */
function ostepSection(result: ScheduleResult, params: CpuParams): TextSection | undefined {
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
function comparedPolicies(jobs: readonly JobSpec[]): SchedulingPolicy[] {
  const distinct = new Set(jobs.map((job) => job.priority ?? 0)).size > 1
  return SCHEDULING_POLICIES.filter((policy) => distinct || (!policy.startsWith("priority") && policy !== "mlq"))
}

function comparisonSection(
  jobs: readonly JobSpec[],
  params: CpuParams,
  results: ReadonlyMap<SchedulingPolicy, ScheduleResult>,
): TextSection {
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
      ...renderTable(
        [{ header: "policy" }, right("avg response"), right("avg turnaround"), right("avg wait"), right("makespan")],
        rows,
      ),
      `(same quantum ${params.quantum}, context switch ${params.contextSwitch}, ${params.cores} core${params.cores === 1 ? "" : "s"}${params.aging > 0 ? `, aging ${params.aging}` : ""}; ${jobs.length} jobs)`,
      ...(missing.length > 0
        ? [`(${missing.join(" and ")} left out: more than ${formatCount(MAX_SLICES)} time slices at this quantum)`]
        : []),
    ],
  }
}

type Metric = "avgResponse" | "avgTurnaround" | "avgWait"

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
function lessonSection(
  params: CpuParams,
  jobs: readonly JobSpec[],
  results: ReadonlyMap<SchedulingPolicy, ScheduleResult>,
): TextSection {
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

function describeJobs(jobs: readonly JobSpec[]): string[] {
  return jobs.map((job, id) => {
    const arrival = `arrives at ${t(job.arrival)}`
    const priority =
      (job.priority ?? 0) !== 0 || jobs.some((other) => (other.priority ?? 0) !== 0)
        ? `, priority ${job.priority ?? 0}`
        : ""
    return `  job ${id}: ${arrival}, ${describeBursts(job.bursts)}${priority}`
  })
}

/**
 * Events per second of a schedule run, measured: 4,000,008 events (two per slice) for two jobs of
 * 1,000,000 at quantum 1 in 9.6 s of CPU (about 1.1 s of it start-up), so 470,000/s; the text
 * report (Gantt chart, compared policies) took 23.5 s for the same run: 150,000/s. Smaller JSON
 * runs are slower per event: two jobs of 187,497 (750,000 events) took 5.2 s of CPU (2026-12-07,
 * loaded machine), about 230,000/s after start-up; 200,000/s for JSON.
 */
const EVENTS_PER_SECOND = { json: 200_000, text: 150_000 } as const
/** Events per slice: its start and its end. */
const EVENTS_PER_SLICE = 2
/**
 * Bytes kept per slice of a run (the checks read every slice; the text report also lays out the
 * Gantt chart), measured: ~320 B (JSON), and in text 2.42 GB peak for 2,000,000 slices and
 * 2.67 GB for 1,885,712 and 1.68 GB for 942,854: up to ~1,600 B.
 */
const BYTES_PER_SLICE = { json: 400, text: 1_800 } as const
/** Events per CPU burst of a policy that does not slice (arrival, dispatch, completion, slack). */
const EVENTS_PER_BURST = 6

function sliced(policy: SchedulingPolicy): boolean {
  return policy === "rr" || policy === "mlq"
}

/**
 * Events: a sliced policy's slices (Σ ceil(burst / quantum)) plus a few per burst; the text report
 * also runs the compared policies (round robin only while its slices fit {@link MAX_SLICES}).
 */
function estimate(params: CpuParams, { seed, output }: EstimateContext): WorkEstimate {
  const built = jobsOf(params, seed)
  const jobs = built.ok ? built.jobs : []
  const bursts = jobs.reduce((sum, job) => sum + job.bursts.length, 0)
  const slices = estimatedSlices(params)
  const eventsOf = (policy: SchedulingPolicy): number =>
    EVENTS_PER_BURST * bursts + (sliced(policy) ? EVENTS_PER_SLICE * slices : 0)
  const compared =
    output === "text"
      ? comparedPolicies(jobs).filter((policy) => policy !== params.policy && (!sliced(policy) || slices <= MAX_SLICES))
      : []
  const events = [params.policy, ...compared].reduce((sum, policy) => sum + eventsOf(policy), 0)
  const keptSlices = (sliced(params.policy) ? slices : 0) + (output === "text" && compared.some(sliced) ? slices : 0)
  const work = jobs.reduce((sum, job) => sum + job.bursts.reduce((total, b) => total + b, 0), 0)
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND[output],
    keptBytes: BYTES_PER_SLICE[output] * (keptSlices + bursts),
    simTime: Math.max(0, ...jobs.map((job) => job.arrival)) + work / params.cores,
    advice: "raise --quantum, or shorten or remove jobs (--bursts, --random-jobs, --max-len)",
  })
}

const cpuSched = defineSim({
  name: "cpu-sched",
  title: "CPU scheduling: who runs next, and what does it cost the others?",
  header: {
    covers:
      "FIFO, SJF, STCF, RR, priority with aging, multilevel queue; response, turnaround, wait; convoy effect; Gantt charts",
    scenario:
      "three jobs arrive at time 0 needing 24, 3 and 3 units of CPU and run first come first served (Silberschatz's convoy). --seed draws the jobs only with --random-jobs N (as scheduler.py -s); the default and --bursts jobs do not depend on it",
    try: [
      "--policy sjf",
      "--policy rr --quantum 4",
      "--policy rr --quantum 1 --context-switch 0.1",
      "--policy stcf --bursts 8,4,9,5 --arrivals 0,1,2,3",
      "--policy priority --bursts 10,1,2,1,5 --priorities 3,1,4,5,2",
      "--random-jobs 5 --seed 7 --quiz",
    ],
  },
  time: { decimals: TIME_DECIMALS, unitName: "time units" },
  metrics: {
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
  },
  flags,
  estimate,
  constraints: [new PerJobCountConstraint("arrivals"), new PerJobCountConstraint("priorities")],
  quiz(params, seed?: number) {
    return [
      "The jobs, in job order:",
      ...quizJobs(params, seed),
      `Policy ${params.policy}${params.policy === "rr" || params.policy === "mlq" ? `, quantum ${params.quantum}` : ""}${params.contextSwitch > 0 ? `, context switch ${params.contextSwitch}` : ""}${params.cores > 1 ? `, ${params.cores} cores` : ""}.`,
      "1. Draw the Gantt chart: which job runs when?",
      "2. Compute each job's response, turnaround and wait time, and their averages.",
      "Then rerun without --quiz and compare.",
    ].join("\n")
  },
  run(params, context) {
    const built = jobsOf(params, context.seed)
    if (!built.ok) throw new Error(`the constraints let invalid jobs through: ${built.error}`)
    const jobs = built.jobs
    const options = {
      policy: params.policy,
      cores: params.cores,
      quantum: params.quantum,
      contextSwitch: params.contextSwitch,
      aging: params.aging,
    }
    const sim = context.simulation()
    const scenario = new ScheduleScenario(sim, { jobs, ...options })
    const sample =
      context.output === "text" ? new ScheduleTimelineSample(sim.trace, TIMELINE_MAX_ENTRIES + 1) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    let entries: TimelineEntry[] = []
    if (context.output === "text") {
      // Round robin is compared only when its slices fit the budget (a long FIFO run may not).
      const affordable = (policy: SchedulingPolicy): boolean =>
        policy === params.policy || !sliced(policy) || estimatedSlices(params) <= MAX_SLICES
      const results = new Map<SchedulingPolicy, ScheduleResult>()
      for (const policy of comparedPolicies(jobs)) {
        if (affordable(policy))
          results.set(policy, policy === params.policy ? result : runSchedule(jobs, { ...options, policy }))
      }
      if (!results.has(params.policy)) results.set(params.policy, result)
      for (const needed of ["fifo", "sjf", "stcf", "rr"] as const) {
        if (!results.has(needed) && affordable(needed))
          results.set(needed, runSchedule(jobs, { ...options, policy: needed }))
      }
      entries = timeline(sample!, params.cores, result.makespan)
      const showPriority = jobs.some((job) => (job.priority ?? 0) !== 0)
      sections.push(ganttSection(result), statsTable(result, showPriority))
      const ostep = ostepSection(result, params)
      if (ostep !== undefined) sections.push(ostep)
      sections.push(comparisonSection(jobs, params, results), lessonSection(params, jobs, results))
    }
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: scheduleChecks(result, options),
      timeline: { title: "Timeline (execution trace)", entries },
      sections,
      ...(context.view === true ? { view: { gantt: [scheduleGantt(result, `Schedule (${params.policy})`)] } } : {}),
    }
  },
})

/**
 * The quiz's job list. Random jobs depend on the seed, which a runner that calls `quiz(params)`
 * alone does not pass; the list then says so instead of showing another seed's jobs.
 */
function quizJobs(params: CpuParams, seed: number | undefined): string[] {
  if (params.randomJobs > 0 && seed === undefined)
    return [
      `  ${params.randomJobs} jobs drawn from the seed (lengths 1 to ${params.maxLen}); run without --quiz to see them`,
    ]
  const built = jobsOf(params, seed ?? 0)
  return built.ok ? describeJobs(built.jobs) : [built.error]
}

export default cpuSched

await runMain(cpuSched, import.meta.url)
