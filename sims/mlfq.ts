/**
 * MLFQ: how does a scheduler that knows nothing about job lengths still favour short jobs?
 * Covers: multi-level feedback queue (OSTEP rules 1-5), quanta and allotments per level, priority
 *   boost, starvation, gaming with I/O
 * Scenario: OSTEP figure 8.3: a long CPU-bound job sinks to the bottom queue; at t=100 a short job
 *   arrives, gets the top queue and finishes in 20 ticks. --seed draws the jobs only with
 *   --random-jobs N (as mlfq.py -s); the default and --jobs do not depend on it
 * Try: --jobs 0,200,0:100,50,5:100,50,5 --io-time 1; --jobs 0,200,0:100,50,5:100,50,5 --io-time 1
 *   --boost 50; --jobs 0,200,0:50,100,9 --io-time 1 --stay; --quantum-list 10,20,40
 *   --allotment-list 1,1,1 --jobs 0,200,0:0,30,3; --random-jobs 3 --seed 0 --tick-trace
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
  type EstimateContext,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  describeMlfqJob,
  isDemotion,
  MLFQ_METRICS,
  type MlfqJobSpec,
  mlfqChartSection,
  mlfqChecks,
  mlfqLesson,
  mlfqLevels,
  type MlfqOptions,
  mlfqOstepSection,
  mlfqQuiz,
  type MlfqResult,
  MlfqScenario,
  mlfqStatsSection,
  mlfqSummaryTitle,
  mlfqTickTraceSection,
  mlfqTimelineEntries,
  parseMlfqJobs,
  parseQueueList,
  randomMlfqJobs,
} from "../src/models/sched/index.ts"
import { type RunView, tickGantt } from "../src/view/index.ts"

/** The value of a list flag that is not given. */
const NONE = "none"

/** The reader's sentence when a value does not parse, for a string flag's `check`. */
function problemOf(parsed: { ok: true } | { ok: false; error: string }): string | undefined {
  return parsed.ok ? undefined : parsed.error
}

const flags = {
  jobs: flag.string({
    description: "jobs as start,runTime,ioFreq separated by ':' (mlfq.py -l); ioFreq 0 = no I/O",
    unit: "ticks",
    default: "0,180,0:100,20,0",
    allowed: "start,runTime,ioFreq:... (integers; runTime >= 1)",
    check: (text) => problemOf(parseMlfqJobs(text)),
  }),
  queues: flag.integer({
    description: "number of queues (unless --quantum-list is given)",
    unit: "queues",
    default: 3,
    min: 1,
    max: 100,
  }),
  quantum: flag.integer({
    description: "time slice of every queue (unless --quantum-list)",
    unit: "ticks",
    default: 10,
    min: 1,
    max: 1_000_000,
  }),
  quantumList: flag.string({
    description: "time slice per queue, highest priority first; sets the number of queues (mlfq.py -Q)",
    unit: "ticks",
    default: NONE,
    allowed: "none, or comma-separated integers >= 1",
    check: (text) => (text === NONE ? undefined : problemOf(parseQueueList(text, "quantum", 1))),
  }),
  allotment: flag.integer({
    description: "quanta a job may use at a level before it moves down (unless --allotment-list)",
    unit: "quanta",
    default: 1,
    min: 1,
    max: 1_000_000,
  }),
  allotmentList: flag.string({
    description: "allotment per queue, highest first, one per queue (mlfq.py -A)",
    unit: "quanta",
    default: NONE,
    allowed: "none, or comma-separated integers >= 1 (the lowest may be 0)",
    check: (text) => (text === NONE ? undefined : problemOf(parseQueueList(text, "allotment", 0))),
  }),
  boost: flag.integer({
    description: "move every job back to the top queue every this many ticks; 0 = never",
    unit: "ticks",
    default: 0,
    min: 0,
    max: 1_000_000,
  }),
  ioTime: flag.integer({ description: "length of every I/O", unit: "ticks", default: 5, min: 0, max: 1_000_000 }),
  stay: flag.boolean({
    description: "the old, gameable rule: an I/O resets the job's quantum and allotment (mlfq.py -S)",
    default: false,
  }),
  ioBump: flag.boolean({
    description: "a job whose I/O completes goes to the front of its queue (mlfq.py -I)",
    default: false,
  }),
  randomJobs: flag.integer({
    description:
      "draw this many jobs from the seed instead of --jobs, the very jobs of mlfq.py -s SEED -j N; 0 = use --jobs",
    unit: "jobs",
    default: 0,
    min: 0,
    max: 1000,
  }),
  maxLen: flag.integer({
    description: "longest random job (as mlfq.py -m)",
    unit: "ticks",
    default: 100,
    min: 1,
    max: 1_000_000,
  }),
  maxIo: flag.integer({
    description: "largest random I/O frequency (as mlfq.py -M)",
    unit: "ticks",
    default: 10,
    min: 1,
    max: 1_000_000,
  }),
  tickTrace: flag.boolean({
    description: "print mlfq.py's own trace, one line per tick, instead of the summary",
    default: false,
  }),
}

type MlfqParams = Params<typeof flags>

type Built =
  | { ok: true; jobs: MlfqJobSpec[]; options: MlfqOptions }
  | { ok: false; flag: "jobs" | "quantumList" | "allotmentList"; error: string }

/** --allotment-list read against the number of queues (from --quantum-list or --queues). */
function readAllotmentList(
  params: MlfqParams,
): { ok: true; value: number[] | undefined } | { ok: false; error: string } {
  if (params.allotmentList === NONE) return { ok: true, value: undefined }
  const quantumList = params.quantumList === NONE ? undefined : parseQueueList(params.quantumList, "quantum", 1)
  const queues = quantumList?.ok === true ? quantumList.value.length : params.queues
  const parsed = parseQueueList(params.allotmentList, "allotment", 0)
  if (!parsed.ok) return parsed
  if (parsed.value.length !== queues)
    return { ok: false, error: `${parsed.value.length} allotments for ${queues} queues; give one per queue` }
  if (parsed.value.slice(0, -1).some((a) => a < 1))
    return { ok: false, error: "only the lowest queue's allotment may be 0" }
  return { ok: true, value: parsed.value }
}

/** The jobs and MLFQ options the params describe, or which flag is wrong and why. */
function build(params: MlfqParams, seed: number): Built {
  let jobs: MlfqJobSpec[]
  if (params.randomJobs > 0) {
    jobs = randomMlfqJobs(seed, params.randomJobs, params.maxLen, params.maxIo)
  } else {
    const parsed = parseMlfqJobs(params.jobs)
    if (!parsed.ok) return { ok: false, flag: "jobs", error: parsed.error }
    jobs = parsed.value
  }
  let quantumList: number[] | undefined
  if (params.quantumList !== NONE) {
    const parsed = parseQueueList(params.quantumList, "quantum", 1)
    if (!parsed.ok) return { ok: false, flag: "quantumList", error: parsed.error }
    quantumList = parsed.value
  }
  const allotments = readAllotmentList(params)
  if (!allotments.ok) return { ok: false, flag: "allotmentList", error: allotments.error }
  const allotmentList = allotments.value
  const options: MlfqOptions = {
    queues: params.queues,
    quantum: params.quantum,
    allotment: params.allotment,
    boost: params.boost,
    ioTime: params.ioTime,
    stay: params.stay,
    ioBump: params.ioBump,
    ...(quantumList === undefined ? {} : { quantumList }),
    ...(allotmentList === undefined ? {} : { allotmentList }),
  }
  return { ok: true, jobs, options }
}

/** --allotment-list needs one entry per queue, and only the lowest may be 0 (its format is its `check`'s job). */
class AllotmentListConstraint implements Constraint<MlfqParams> {
  readonly params = ["allotmentList", "quantumList", "queues"] as const
  private error = ""

  holds = (params: MlfqParams): boolean => {
    const read = readAllotmentList(params)
    this.error = read.ok ? "" : read.error
    return this.error === ""
  }

  get message(): string {
    return this.error
  }
}

function quizJobs(params: MlfqParams, seed: number | undefined): string[] {
  if (params.randomJobs > 0 && seed === undefined)
    return [`  ${params.randomJobs} jobs drawn from the seed; run without --quiz to see them`]
  const built = build(params, seed ?? 0)
  return built.ok
    ? built.jobs.map((job, id) => `  job ${id}: starts at t=${job.start}, ${describeMlfqJob(job)}`)
    : [built.error]
}

/**
 * Ticks per second of an MLFQ run (the machine advances one tick at a time, busy or idle),
 * measured: 500,000 busy ticks in 2.1 s of CPU and 300,700 mostly idle ticks in 1.4 s (about
 * 1.1 s of each start-up), so 500,000-1,000,000/s. Measured again on 2026-12-07 after the typed
 * trace and the timeline sample (`--jobs 0,1000000,0`, user + system CPU, start-up included):
 * text 5.1 and 6.2 s, JSON 4.8 and 6.0 s, so 250,000-360,000/s after start-up; 200,000/s leaves room.
 */
const TICKS_PER_SECOND = 200_000
/** Bytes kept per tick (what ran, at which priority, and the tick's trace line), measured: ~150 B (JSON), ~350 B (text). */
const BYTES_PER_TICK = { json: 200, text: 450 } as const

/**
 * Ticks, at most: the last arrival plus every job's CPU time and every one of its I/Os done one
 * after another (an I/O after every `ioFreq` ticks of CPU, each `--io-time` ticks long). The
 * jobs are the very ones the run uses (drawn from the seed under --random-jobs).
 */
function estimate(params: MlfqParams, { seed, output }: EstimateContext): WorkEstimate {
  const built = build(params, seed)
  const jobs = built.ok ? built.jobs : []
  const lastStart = jobs.reduce((latest, job) => Math.max(latest, job.start), 0)
  const ticks = jobs.reduce(
    (sum, job) => sum + job.runTime + (job.ioFreq > 0 ? Math.floor(job.runTime / job.ioFreq) * (params.ioTime + 1) : 0),
    lastStart,
  )
  return workEstimate({
    events: ticks,
    eventsPerSecond: TICKS_PER_SECOND,
    keptBytes: BYTES_PER_TICK[output] * ticks,
    simTime: ticks,
    advice: "shorten the jobs or their I/O (--jobs, --random-jobs, --max-len, --io-time)",
  })
}

/** The `--html` report's chart: which job ran at which priority, a lane per queue, highest first. */
function queuesChart(result: MlfqResult): RunView {
  const priorities = Array.from({ length: result.queues }, (_, i) => result.queues - 1 - i)
  const chart = tickGantt({
    title: "Jobs on the priority queues (one lane per queue, highest first)",
    lanes: priorities.map((priority) => `Q${priority}`),
    ticks: result.ran.length,
    labelAt: (tick, lane) => (result.ranPriority[tick] === priorities[lane] ? `job ${result.ran[tick]}` : undefined),
  })
  return { gantt: [chart] }
}

const mlfq = defineSim({
  name: "mlfq",
  title: "MLFQ: how does a scheduler that knows nothing about job lengths still favour short jobs?",
  header: {
    covers:
      "multi-level feedback queue (OSTEP rules 1-5), quanta and allotments per level, priority boost, starvation, gaming with I/O",
    scenario:
      "OSTEP figure 8.3: a long CPU-bound job sinks to the bottom queue; at t=100 a short job arrives, gets the top queue and finishes in 20 ticks. --seed draws the jobs only with --random-jobs N (as mlfq.py -s); the default and --jobs do not depend on it",
    try: [
      "--jobs 0,200,0:100,50,5:100,50,5 --io-time 1",
      "--jobs 0,200,0:100,50,5:100,50,5 --io-time 1 --boost 50",
      "--jobs 0,200,0:50,100,9 --io-time 1 --stay",
      "--quantum-list 10,20,40 --allotment-list 1,1,1 --jobs 0,200,0:0,30,3",
      "--random-jobs 3 --seed 0 --tick-trace",
    ],
  },
  time: { decimals: 0, unitName: "ticks" },
  metrics: MLFQ_METRICS,
  flags,
  estimate,
  constraints: [new AllotmentListConstraint()],
  quiz(params, seed?: number) {
    const built = build(params, seed ?? 0)
    const levels = built.ok ? mlfqLevels(built.options) : { quantum: [params.quantum], allotment: [params.allotment] }
    return mlfqQuiz(params, levels, quizJobs(params, seed))
  },
  run(params, context) {
    const built = build(params, context.seed)
    if (!built.ok) throw new Error(`the constraints let invalid input through: ${built.error}`)
    const sim = context.simulation()
    const scenario = new MlfqScenario(sim, { jobs: built.jobs, ...built.options })
    // mlfq.py's lines are the result's (result.trace); the summary also needs why a stretch ended.
    const demotions = context.output === "text" ? new TraceSample(sim.trace, isDemotion, Infinity) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    if (context.output === "text") {
      if (params.tickTrace) sections.push(mlfqTickTraceSection(result.trace))
      sections.push(mlfqChartSection(result), mlfqStatsSection(result, renderTable), mlfqOstepSection(result))
      sections.push(mlfqLesson(result, params))
    }
    const timeline =
      context.output === "text" && !params.tickTrace
        ? mlfqTimelineEntries(result, demotions?.records ?? [], params)
        : []
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: mlfqChecks(result, params),
      ...(params.tickTrace ? {} : { timeline: { title: mlfqSummaryTitle(result.totalTime), entries: timeline } }),
      sections,
      ...(context.view === true ? { view: queuesChart(result) } : {}),
    }
  },
})

export default mlfq

await runMain(mlfq, import.meta.url)
