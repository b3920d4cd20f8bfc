/**
 * Thread pool: which tasks run at once, which wait, and which are rejected?
 * Covers: Java ThreadPoolExecutor: core/max pool size, bounded, unbounded and hand-off queues,
 *   keep-alive, rejection policies
 * Scenario: ThreadPoolExecutor(core 2, max 4, ArrayBlockingQueue(2), keep-alive 60s, AbortPolicy)
 *   gets 7 tasks of 1s each at t=0. --seed draws the submission times only with --arrival-rate R >
 *   0 (Poisson); otherwise the run does not depend on it
 * Try: --queue unbounded; --queue unbounded --core 0; --queue 0 --core 0 --max 10; --rejection
 *   caller-runs; --rejection discard-oldest; --interval-ms 100 --keep-alive-ms 500 --tasks 10;
 *   --arrival-rate 3 --tasks 200
 */
import {
  type Constraint,
  defineSim,
  type EstimateContext,
  flag,
  formatCount,
  formatMs,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  sparkline,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { type Trace, TraceSample, type Traced } from "../src/kernel/index.ts"
import { GanttRecorder, type RunView, SeriesRecorder } from "../src/view/index.ts"
import {
  inThreadPoolTimeline,
  REJECTION_POLICIES,
  chartEndMs,
  plural,
  tasksSection,
  THREAD_POOL_METRICS,
  threadPoolChecks,
  threadPoolLesson,
  threadPoolQuiz,
  type ThreadPoolEvent,
  type ThreadPoolResult,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
  type ThreadPoolRun,
  threadPoolTimeline,
} from "../src/models/thread-pool/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 40
/** Columns of the sparklines. */
const SPARKLINE_COLUMNS = 64
/** The per-instant table is shown when the run has at most this many distinct instants. */
const INSTANTS_MAX = 16
/**
 * Change points the text report keeps per series (pool size, queue length): a longer run drops
 * them and draws its sparklines from a replay of the run (ThreadPoolScenario.profile), so its
 * memory does not grow with its length.
 */
const SERIES_MAX = 4096
/** The largest bounded queue (Integer.MAX_VALUE, a LinkedBlockingQueue's default capacity). */
const QUEUE_MAX = 2_147_483_647
const UNBOUNDED = "unbounded"

const flags = {
  core: flag.integer({
    description: "corePoolSize: threads started before any task is queued",
    unit: "threads",
    default: 2,
    min: 0,
    max: 10_000,
  }),
  max: flag.integer({
    description: "maximumPoolSize: the most threads ever alive",
    unit: "threads",
    default: 4,
    min: 1,
    max: 10_000,
  }),
  queue: flag.string({
    description: "work queue capacity; 0 is a hand-off (SynchronousQueue), unbounded a LinkedBlockingQueue",
    unit: "tasks",
    default: "2",
    allowed: `an integer from 0 to ${QUEUE_MAX}, or ${UNBOUNDED}`,
    check: (queue) =>
      validQueue(queue)
        ? undefined
        : `allowed: an integer from 0 to ${QUEUE_MAX} (0: hand-off, like SynchronousQueue) or ${UNBOUNDED}`,
  }),
  keepAliveMs: flag.number({
    description: "keepAliveTime: how long a thread beyond core may idle",
    unit: "ms",
    default: 60_000,
    min: 0,
    max: 1e9,
  }),
  rejection: flag.choice({
    description: "rejection policy when the queue is full and the pool at max",
    choices: REJECTION_POLICIES,
    default: "abort",
  }),
  tasks: flag.integer({
    description: "tasks submitted, numbered 1..N in submission order",
    unit: "tasks",
    default: 7,
    min: 1,
    max: 1_000_000,
  }),
  taskMs: flag.number({ description: "how long each task runs", unit: "ms", default: 1000, min: 0, max: 1e9 }),
  intervalMs: flag.number({
    description: "gap between submissions; 0: a burst at t=0",
    unit: "ms",
    default: 0,
    min: 0,
    max: 1e9,
  }),
  arrivalRate: flag.number({
    description: "Poisson submissions instead of --interval-ms; 0: off",
    unit: "tasks per second",
    default: 0,
    min: 0,
    max: 1e6,
  }),
}

type ThreadPoolParams = Params<typeof flags>

/** The queue capacity a valid `--queue` means: `Infinity` for unbounded. */
function queueCapacity(queue: string): number {
  return queue === UNBOUNDED ? Infinity : Number(queue)
}

function validQueue(queue: string): boolean {
  return queue === UNBOUNDED || (/^(0|[1-9][0-9]*)$/.test(queue) && Number(queue) <= QUEUE_MAX)
}

const constraints: Constraint<ThreadPoolParams>[] = [
  {
    params: ["core", "max"],
    holds: (params) => params.max >= params.core,
    message: "the maximum pool size must be at least the core pool size (the JDK throws IllegalArgumentException)",
  },
  {
    params: ["intervalMs", "arrivalRate"],
    holds: (params) => params.intervalMs === 0 || params.arrivalRate === 0,
    message: "give either a fixed --interval-ms or Poisson --arrival-rate, not both",
  },
]

/** The scenario the flags describe (a pool's settings and its workload). */
function scenarioOptions(params: ThreadPoolParams): ThreadPoolRun & ThreadPoolScenarioOptions {
  return {
    corePoolSize: params.core,
    maximumPoolSize: params.max,
    queueCapacity: queueCapacity(params.queue),
    keepAliveMs: params.keepAliveMs,
    rejection: params.rejection,
    tasks: params.tasks,
    taskMs: params.taskMs,
    intervalMs: params.intervalMs,
    arrivalRate: params.arrivalRate,
  }
}

// --- over time ----------------------------------------------------------------------------------

function overTime(
  scenario: ThreadPoolScenario,
  result: ThreadPoolResult,
  params: ThreadPoolParams,
  endMs: number,
): TextSection {
  const instants = scenario.byInstant(INSTANTS_MAX)
  const lines: string[] = []
  if (instants !== undefined) {
    const rows = instants.map((at) => [
      formatMs(at.t),
      formatCount(at.poolSize),
      formatCount(at.queueLength),
      formatCount(at.rejectedSoFar),
    ])
    lines.push(
      ...renderTable(
        [
          { header: "at the end of t", align: "right" },
          { header: "pool size", align: "right" },
          { header: "queue length", align: "right" },
          { header: "rejected so far", align: "right" },
        ],
        rows,
      ),
      "",
    )
  }
  if (endMs > 0) {
    const { poolSize: poolBuckets, queueLength: queueBuckets } = scenario.profile(endMs, SPARKLINE_COLUMNS)
    const rejections = new Array<number>(SPARKLINE_COLUMNS).fill(0)
    for (const t of result.rejectionTimesMs)
      rejections[Math.min(SPARKLINE_COLUMNS - 1, Math.floor((t / endMs) * SPARKLINE_COLUMNS))]! += 1
    const queueTop = Math.max(1, result.maxQueueLength)
    lines.push(
      `pool size   ${sparkline(poolBuckets, { min: 0, max: params.max })}  0 to max ${params.max} threads`,
      `queue       ${sparkline(queueBuckets, { min: 0, max: queueTop })}  0 to ${plural(queueTop, "task")}`,
      `rejections  ${sparkline(rejections, { min: 0, max: Math.max(1, ...rejections) })}  ${plural(result.rejected, "task")} refused or dropped`,
      `each column: ${formatMs(endMs / SPARKLINE_COLUMNS)} of t=0 to ${formatMs(endMs)}: ` +
        "mean pool size and queue length, rejections counted",
    )
  }
  return { title: "Pool size, queue length and rejections over time", lines }
}

/**
 * Events per second of a thread-pool run, measured: see the calibration in the commit that added
 * it (about 4 events per task: submission, start, end, a thread's idle wait).
 */
const EVENTS_PER_SECOND = 300_000
/** Events per task, at most (submission, start, end, keep-alive wake-up, a little slack). */
const EVENTS_PER_TASK = 6
/**
 * Bytes per task a run keeps at its peak: the per-task lists the report reads (start order, pool
 * size after each submission, execute() outcomes, latencies) and the queue's tasks while they
 * wait. Measured 2026-12-07 at --tasks 1000000 --interval-ms 1 --queue unbounded (load 7-14): text
 * 757 MB peak (1,200 MB while the report kept every pool-size and queue-length change, 857 MB
 * while each outcome had its own empty eviction list), JSON 623 MB (661); at --tasks 1000000
 * --arrival-rate 3.9, text 540 MB (869 MB before the series cap). Kept with a margin for GC timing.
 */
const BYTES_PER_TASK = { text: 600, json: 400 } as const

/**
 * A series has at most 1 + 2 points per task (a task is queued and taken once; a thread starts
 * with a task and exits once), so a run with fewer tasks never outgrows SERIES_MAX; a longer text
 * run may, and then replays itself (ThreadPoolScenario.profile): twice the events.
 */
function replays(params: ThreadPoolParams, output: "text" | "json"): boolean {
  return output === "text" && 1 + 2 * params.tasks > SERIES_MAX
}

function estimate(params: ThreadPoolParams, { output }: EstimateContext): WorkEstimate {
  const submitEndMs =
    params.arrivalRate > 0 ? (params.tasks / params.arrivalRate) * 1000 : params.tasks * params.intervalMs
  const threads = Math.max(1, params.max)
  const workEndMs = (Math.ceil(params.tasks / threads) + 1) * params.taskMs
  const events = EVENTS_PER_TASK * params.tasks + 2 * threads
  return workEstimate({
    events: replays(params, output) ? 2 * events : events,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: BYTES_PER_TASK[output] * params.tasks,
    simTime: Math.max(submitEndMs, workEndMs) + params.taskMs + params.keepAliveMs,
    advice: Number.isFinite(submitEndMs) ? "lower --tasks" : "raise --arrival-rate",
  })
}

/** The `--html` report's charts: which thread ran which task when, and the pool and queue over time. */
function poolCharts(trace: Trace): () => RunView {
  const gantt = new GanttRecorder(trace, {
    title: "Tasks on threads",
    start: (record) => {
      const r = record as Traced<ThreadPoolEvent>
      return r.type === "TaskStarted" ? { key: r.task, lane: `thread ${r.thread}`, label: `task ${r.task}` } : undefined
    },
    end: (record) => {
      const r = record as Traced<ThreadPoolEvent>
      return r.type === "TaskCompleted" ? r.task : undefined
    },
  })
  const field = (name: "poolSize" | "queueLength") => (record: Traced) => {
    const value = (record as Partial<Record<typeof name, unknown>>)[name]
    return typeof value === "number" ? value : undefined
  }
  const pool = new SeriesRecorder(trace, "pool size", field("poolSize"))
  const queue = new SeriesRecorder(trace, "queue length", field("queueLength"))
  return () => ({
    gantt: [gantt.chart()],
    series: [{ title: "Pool size and queue length", yName: "threads / tasks", lines: [pool.line(), queue.line()] }],
  })
}

const threadPool = defineSim({
  name: "thread-pool",
  title: "Thread pool: which tasks run at once, which wait, and which are rejected?",
  header: {
    covers:
      "Java ThreadPoolExecutor: core/max pool size, bounded, unbounded and hand-off queues, keep-alive, rejection policies",
    scenario:
      "ThreadPoolExecutor(core 2, max 4, ArrayBlockingQueue(2), keep-alive 60s, AbortPolicy) gets 7 tasks of 1s each at t=0. --seed draws the submission times only with --arrival-rate R > 0 (Poisson); otherwise the run does not depend on it",
    try: [
      "--queue unbounded",
      "--queue unbounded --core 0",
      "--queue 0 --core 0 --max 10",
      "--rejection caller-runs",
      "--rejection discard-oldest",
      "--interval-ms 100 --keep-alive-ms 500 --tasks 10",
      "--arrival-rate 3 --tasks 200",
    ],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: THREAD_POOL_METRICS,
  flags,
  estimate,
  constraints,
  quiz: (params) => threadPoolQuiz(scenarioOptions(params)),
  run(params, context) {
    const text = context.output === "text"
    const sim = context.simulation()
    const options = scenarioOptions(params)
    const scenario = new ThreadPoolScenario(sim, { ...options, series: text, seriesMax: SERIES_MAX })
    const shown = text ? new TraceSample(sim.trace, inThreadPoolTimeline, TIMELINE_MAX) : undefined
    const view = context.view === true ? poolCharts(sim.trace) : undefined
    const result = scenario.run(context.advance)
    const report = {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: threadPoolChecks(result, options),
      ...(view === undefined ? {} : { view: view() }),
    }
    if (shown === undefined) return report
    const charts = overTime(scenario, result, params, chartEndMs(result, sim.now))
    const sections = [charts, tasksSection(result), threadPoolLesson(result, options)]
    return { ...report, timeline: threadPoolTimeline(shown, options), sections }
  },
})

export default threadPool

await runMain(threadPool, import.meta.url)
