/**
 * CPU scheduling: who runs next, and what does it cost the others?
 * Covers: FIFO, SJF, STCF, RR, priority with aging, multilevel queue; response, turnaround, wait;
 *   convoy effect; Gantt charts
 * Scenario: three jobs arrive at time 0 needing 24, 3 and 3 units of CPU and run first come first
 *   served (Silberschatz's convoy). --seed draws the jobs only with --random-jobs N (as
 *   scheduler.py -s); the default and --bursts jobs do not depend on it
 * Try: --policy sjf; --policy rr --quantum 4; --policy rr --quantum 1 --context-switch 0.1;
 *   --policy stcf --bursts 8,4,9,5 --arrivals 0,1,2,3; --policy priority --bursts 10,1,2,1,5
 *   --priorities 3,1,4,5,2; --random-jobs 5 --seed 7 --quiz
 */
import {
  type Constraint,
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
import {
  comparedPolicies,
  comparedRuns,
  comparisonSection,
  CPU_SCHED_METRICS,
  CPU_SCHED_TIME_DECIMALS,
  CPU_SCHED_TIMELINE_MAX,
  cpuSchedLesson,
  cpuSchedQuiz,
  cpuSchedTimeline,
  describeJobs,
  ganttSection,
  type JobSpec,
  ostepSection,
  parseBursts,
  parsePerJob,
  randomSchedulerBursts,
  ScheduleScenario,
  scheduleChecks,
  ScheduleTimelineSample,
  SCHEDULING_POLICIES,
  type SchedulingPolicy,
  statsSection,
} from "../src/models/sched/index.ts"
import { scheduleGantt } from "../src/view/index.ts"

/** Most time slices a compared round-robin run may take in the text report (each is kept for the Gantt chart and the checks). */
const MAX_SLICES = 2_000_000

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
  time: { decimals: CPU_SCHED_TIME_DECIMALS, unitName: "time units" },
  metrics: CPU_SCHED_METRICS,
  flags,
  estimate,
  constraints: [new PerJobCountConstraint("arrivals"), new PerJobCountConstraint("priorities")],
  quiz: (params, seed?: number) => cpuSchedQuiz(params, quizJobs(params, seed)),
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
    const sample =
      context.output === "text" ? new ScheduleTimelineSample(sim.trace, CPU_SCHED_TIMELINE_MAX + 1) : undefined
    const result = new ScheduleScenario(sim, { jobs, ...options }).run(context.advance)
    const sections: TextSection[] = []
    let entries: TimelineEntry[] = []
    if (sample !== undefined) {
      // Round robin is compared only when its slices fit the budget (a long FIFO run may not).
      const affordable = (policy: SchedulingPolicy): boolean =>
        policy === params.policy || !sliced(policy) || estimatedSlices(params) <= MAX_SLICES
      const results = comparedRuns(jobs, options, result, affordable)
      entries = cpuSchedTimeline(sample, params.cores, result.makespan)
      const showPriority = jobs.some((job) => (job.priority ?? 0) !== 0)
      const ostep = ostepSection(result, params)
      sections.push(ganttSection(result), statsSection(result, showPriority, renderTable))
      if (ostep !== undefined) sections.push(ostep)
      sections.push(comparisonSection(jobs, params, results, MAX_SLICES, renderTable))
      sections.push(cpuSchedLesson(params, jobs, results))
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
