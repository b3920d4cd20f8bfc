/**
 * Thread pool: which tasks run at once, which wait, and which are rejected?
 * Covers: Java's ThreadPoolExecutor — core and maximum pool size, bounded, unbounded and hand-off
 *   queues, keep-alive, the four rejection policies, and execute()'s order of decisions.
 * Scenario: ThreadPoolExecutor(core 2, max 4, ArrayBlockingQueue(2), keep-alive 60s, AbortPolicy)
 *   receives 7 tasks of 1s each, one after another at t=0; the 7th is rejected (docs/thread-pool.md,
 *   "The burst of seven tasks"; checked on a real JDK 17). The seed affects only --arrival-rate R > 0
 *   (Poisson submission times); every other run is fixed by its flags.
 * Try: --queue unbounded (--max never matters); --queue unbounded --core 0 (one thread does it all);
 *   --queue 0 --core 0 --max 10 (a cached pool's hand-off); --rejection caller-runs;
 *   --rejection discard-oldest; --interval-ms 100 --keep-alive-ms 500 --tasks 10 (keep-alive).
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
  timeWeightedBuckets,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { type Trace, TraceSample, type Traced } from "../src/kernel/index.ts"
import { GanttRecorder, type RunView, SeriesRecorder } from "../src/view/index.ts"
import {
  describePool,
  inThreadPoolTimeline,
  POLICY_CLASS,
  REJECTION_POLICIES,
  startedOutOfOrder,
  threadPoolChecks,
  type ThreadPoolEvent,
  type ThreadPoolResult,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
  type ThreadPoolSettings,
  threadPoolTimeline,
} from "../src/models/thread-pool/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 40
/** Columns of the sparklines. */
const SPARKLINE_COLUMNS = 64
/** The per-instant table is shown when the run has at most this many distinct instants. */
const INSTANTS_MAX = 16
/** Task ids listed in full at most; longer lists are cut with "…". */
const IDS_MAX = 30
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

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}

function idList(ids: readonly number[]): string {
  const shown = ids.slice(0, IDS_MAX).join(", ")
  return ids.length > IDS_MAX ? `${shown}, … (${formatCount(ids.length)} in all)` : shown
}

function workload(params: ThreadPoolParams): string {
  const tasks = `${plural(params.tasks, "task")} of ${formatMs(params.taskMs)} each`
  if (params.arrivalRate > 0)
    return `${tasks}, submitted as Poisson arrivals at ${params.arrivalRate} per second from t=0`
  if (params.intervalMs > 0) return `${tasks}, one every ${formatMs(params.intervalMs)} from t=0`
  return `${tasks}, submitted one after another at t=0`
}

/** The scenario the flags describe (a pool's settings and its workload). */
function scenarioOptions(params: ThreadPoolParams): ThreadPoolScenarioOptions & ThreadPoolSettings {
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
  const { poolSize, queueLength } = scenario.changes()
  const instants = scenario.byInstant()
  const lines: string[] = []
  if (instants.length <= INSTANTS_MAX) {
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
    const poolBuckets = timeWeightedBuckets(poolSize, 0, endMs, SPARKLINE_COLUMNS)
    const queueBuckets = timeWeightedBuckets(queueLength, 0, endMs, SPARKLINE_COLUMNS)
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
 * Where the charts end: the end of the run, unless the keep-alive tail after the last task would
 * take more than half of the chart; then the last task's end (the table and lesson tell the rest).
 */
function chartEndMs(result: ThreadPoolResult, endMs: number): number {
  return endMs - result.lastCompletionMs <= result.lastCompletionMs ? endMs : result.lastCompletionMs
}

function tasksSection(result: ThreadPoolResult): TextSection {
  const byCaller = result.callerRunTasks.length
  const lines = [
    `completed    ${formatCount(result.completed)}${byCaller > 0 ? ` (${formatCount(result.completedByPool)} on pool threads, ${formatCount(byCaller)} by the submitter: ${idList(result.callerRunTasks)})` : ""}`,
    `rejected     ${formatCount(result.rejected)}${result.rejected > 0 ? `: ${idList(result.rejectedTasks)}` : ""}`,
    `start order  ${idList(result.startOrder)}`,
    `pool size after each submission  ${idList(result.poolSizeAfterSubmit)}`,
    `largest pool ${formatCount(result.maxPoolSize)}, longest queue ${formatCount(result.maxQueueLength)}, threads started ${formatCount(result.threadsStarted)}, exited ${formatCount(result.threadsExited)}, left ${formatCount(result.finalPoolSize)}`,
    `latency (submission to completion)  mean ${formatMs(result.latencyMeanMs)}, p99 ${formatMs(result.latencyP99Ms)}`,
  ]
  return { title: "Tasks", lines }
}

// --- the lesson ---------------------------------------------------------------------------------

function idsWith(result: ThreadPoolResult, fates: readonly string[]): number[] {
  return result.submissions.filter((submission) => fates.includes(submission.fate)).map((submission) => submission.task)
}

function decisions(result: ThreadPoolResult, params: ThreadPoolParams): string[] {
  const capacity = queueCapacity(params.queue)
  const parts: string[] = []
  const add = (ids: readonly number[], one: string, many: string): void => {
    if (ids.length > 0) parts.push(ids.length === 1 ? `task ${ids[0]} ${one}` : `tasks ${idList(ids)} ${many}`)
  }
  const core = `fewer than core (${params.core}) threads were alive`
  add(idsWith(result, ["core-thread"]), `got a new thread: ${core}`, `got a new thread each: ${core}`)
  add(
    idsWith(result, ["handed-off"]),
    "went straight to an idle thread waiting on the queue",
    "went straight to idle threads waiting on the queue",
  )
  add(
    idsWith(result, ["queued", "queued-new-thread"]),
    "waited in the queue: core was full and the queue had room",
    "waited in the queue: core was full and the queue had room",
  )
  const full = capacity === 0 ? "no idle thread could take it" : "the queue was full"
  const extra = `and fewer than max (${params.max}) threads were alive`
  add(
    idsWith(result, ["extra-thread"]),
    `got a thread beyond core: ${full}, ${extra}`,
    `got a thread beyond core each: ${full}, ${extra}`,
  )
  const saturated = `${capacity === 0 ? "no idle thread" : "the queue was full"} and the pool at max (${params.max})`
  add(
    result.callerRunTasks,
    `was run by the submitter itself: ${saturated}`,
    `were run by the submitter itself: ${saturated}`,
  )
  const refused = result.submissions
    .filter((submission) => submission.fate === "rejected")
    .map((submission) => submission.task)
  add(refused, `was rejected: ${saturated}`, `were rejected: ${saturated}`)
  const evicted = result.submissions.flatMap((submission) => submission.evicted)
  if (evicted.length > 0)
    parts.push(
      `DiscardOldestPolicy dropped queued ${evicted.length === 1 ? "task" : "tasks"} ${idList(evicted)} to make room`,
    )
  return parts.map((part, i) => `${i === 0 ? "Here: " : "      "}${part}${i === parts.length - 1 ? "." : ";"}`)
}

function policyLesson(result: ThreadPoolResult, params: ThreadPoolParams): string[] {
  const saturated = result.submissions.filter((submission) => submission.saturated).length
  if (saturated === 0) return [`The pool was never saturated, so ${POLICY_CLASS[params.rejection]} never had to act.`]
  switch (params.rejection) {
    case "abort":
      return [
        "AbortPolicy (the default): execute() threw RejectedExecutionException at the submitter, which caught",
        "it and went on; the task is gone.",
      ]
    case "discard":
      return ["DiscardPolicy dropped the task without a word: the submitter never learns it was lost."]
    case "caller-runs": {
      const first = result.callerRunTasks[0]!
      return [
        `CallerRunsPolicy is back-pressure: the submitter ran task ${first} itself and could submit nothing until it`,
        `finished (${formatMs(params.taskMs)} later); ` +
          "every later submission moved later by that much. Nothing is lost.",
      ]
    }
    case "discard-oldest":
      return [
        "DiscardOldestPolicy dropped the queue head — a task the pool had already accepted, waiting longest — then",
        "retried execute() for the new one. With a hand-off queue there is nothing to drop and the retry recurses.",
      ]
  }
}

function queueLesson(result: ThreadPoolResult, params: ThreadPoolParams): string[] {
  const capacity = queueCapacity(params.queue)
  if (capacity === Infinity) {
    const largest = Math.max(params.core, Math.min(1, params.max))
    const lines = [
      params.core === 0
        ? `The queue is unbounded, so it never refuses a task; with core 0, execute() starts one thread when none is alive, so the pool never grows past ${largest} (largest here: ${result.maxPoolSize}):`
        : `The queue is unbounded, so it never refuses a task and the pool never grows past core (${params.core}; largest here: ${result.maxPoolSize}):`,
      `--max ${params.max} never mattered, and nothing was rejected. The tasks waited instead (longest queue ${formatCount(result.maxQueueLength)}).`,
    ]
    if (params.core === 0) lines.push("With core 0 that means a single thread runs every task, one after another.")
    return lines
  }
  if (capacity === 0) {
    return [
      "A hand-off queue (SynchronousQueue) holds nothing: a task is accepted only by an idle thread already waiting",
      "for one; otherwise execute() starts a thread, up to max, then rejects. newCachedThreadPool() is this with",
      "core 0 and max Integer.MAX_VALUE: a thread per concurrent task, however many that is.",
    ]
  }
  // With core 0, execute() starts one thread when none is alive, queue full or not.
  const floor = Math.max(params.core, 1)
  const lone = params.core === 0 ? " (apart from the lone thread execute() starts when none is alive)" : ""
  if (result.maxPoolSize > floor) {
    return [
      `Threads beyond core${lone} start only when the queue is full. Try --queue ${UNBOUNDED}: the pool stays at ${floor}`,
      `${floor === 1 ? "thread" : "threads"} whatever --max says, nothing is rejected, and the queue grows instead.`,
    ]
  }
  return [
    `The queue never filled, so the pool never grew past ${params.core === 0 ? "the lone thread execute() starts when none is alive" : `core (${params.core})`}: --max only matters once the queue is full.`,
  ]
}

function keepAliveLesson(result: ThreadPoolResult, params: ThreadPoolParams): string[] {
  if (result.threadsExited === 0) return []
  const first = result.retirements.slice(0, 4).map((exit) => `thread ${exit.thread} at t=${formatMs(exit.t)}`)
  const more = result.threadsExited > first.length ? `, … (${formatCount(result.threadsExited)} in all)` : ""
  const lines = [
    `Keep-alive: a thread that idles for ${formatMs(params.keepAliveMs)} ` +
      `while more than core (${params.core}) threads are alive exits`,
    `(${first.length > 0 ? first.join(", ") + more : plural(result.threadsExited, "thread")}); the pool ended with ${plural(result.finalPoolSize, "thread")}.`,
  ]
  if (result.keepAlivesOutlasted > 0) {
    lines.push(
      'No thread is "the core thread": any thread that goes idle while the pool is above core waits with a',
      "time-out; if the pool is back at core when it runs out, the thread stays and waits without one.",
    )
  }
  lines.push("Core threads never time out unless allowCoreThreadTimeOut(true).")
  return lines
}

function lesson(result: ThreadPoolResult, params: ThreadPoolParams): TextSection {
  const lines = [
    "execute() decides in a fixed order: (1) fewer than core threads alive → a new thread, even if others are",
    "idle; (2) else offer the task to the queue; (3) if the queue refuses → a new thread beyond core, up to max;",
    "(4) else the rejection policy.",
    ...decisions(result, params),
  ]
  const { early, late } = startedOutOfOrder(result.startOrder)
  if (early.length > 0) {
    const who =
      result.callerRunTasks.length > 0
        ? "a task given a new thread (or run by the submitter)"
        : "a task given a new thread"
    lines.push(
      `${early.length === 1 ? "Task" : "Tasks"} ${idList(early)} started before ${idList(late)}, submitted earlier:`,
      `${who} starts at once, while queued tasks wait for a thread to free up.`,
    )
  }
  lines.push(...policyLesson(result, params), ...queueLesson(result, params), ...keepAliveLesson(result, params))
  return { title: "Lesson", lines }
}

function quiz(params: ThreadPoolParams): string {
  return [
    `A ${describePool(scenarioOptions(params))}`,
    `receives ${workload(params)}.`,
    "1. What is the pool size right after each submission?",
    "2. Which tasks are rejected or dropped, and why?",
    "3. In what order do the tasks start running?",
    "4. How many threads are left at the end, and when does the pool shrink?",
  ].join("\n")
}

/**
 * Events per second of a thread-pool run, measured: see the calibration in the commit that added
 * it (about 4 events per task: submission, start, end, a thread's idle wait).
 */
const EVENTS_PER_SECOND = 300_000
/** Events per task, at most (submission, start, end, keep-alive wake-up, a little slack). */
const EVENTS_PER_TASK = 6
/**
 * Bytes per task a run keeps at its peak (the text report's pool-size and queue series; garbage
 * in either mode), measured 2026-12-07 at --tasks 1000000 --interval-ms 1 --queue unbounded: text
 * 825 MB peak, JSON 585 MB, against 620 and 320 MB estimated with 300 and 0 B per task.
 */
const BYTES_PER_TASK = { text: 550, json: 300 } as const

function estimate(params: ThreadPoolParams, { output }: EstimateContext): WorkEstimate {
  const submitEndMs =
    params.arrivalRate > 0 ? (params.tasks / params.arrivalRate) * 1000 : params.tasks * params.intervalMs
  const threads = Math.max(1, params.max)
  const workEndMs = (Math.ceil(params.tasks / threads) + 1) * params.taskMs
  return workEstimate({
    events: EVENTS_PER_TASK * params.tasks + 2 * threads,
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
  metrics: {
    submitted: { description: "tasks submitted", unit: "tasks" },
    completed: { description: "tasks completed (by the pool or by the caller)", unit: "tasks" },
    completedByPool: { description: "tasks completed by pool threads", unit: "tasks" },
    rejected: { description: "tasks refused or dropped by the rejection policy", unit: "tasks" },
    rejectedTasks: { description: "numbers of the rejected tasks", unit: "task numbers" },
    callerRunTasks: {
      description: "numbers of the tasks the submitter ran itself (CallerRunsPolicy)",
      unit: "task numbers",
    },
    startOrder: { description: "task numbers in the order they started", unit: "task numbers" },
    poolSizeAfterSubmit: { description: "pool size right after each submission", unit: "threads" },
    maxPoolSize: { description: "most threads alive at once", unit: "threads" },
    maxQueueLength: { description: "most tasks queued at once", unit: "tasks" },
    latencyP99Ms: { description: "99th percentile of submission-to-completion time", unit: "ms" },
    latencyMeanMs: { description: "mean submission-to-completion time", unit: "ms" },
    threadsStarted: { description: "threads created", unit: "threads" },
    threadsExited: { description: "threads that ended after their keep-alive", unit: "threads" },
    finalPoolSize: { description: "threads alive at the end", unit: "threads" },
    lastCompletionMs: { description: "time of the last completion", unit: "ms" },
  },
  flags,
  estimate,
  constraints,
  quiz,
  run(params, context) {
    const text = context.output === "text"
    const sim = context.simulation()
    const options = scenarioOptions(params)
    const scenario = new ThreadPoolScenario(sim, { ...options, series: text })
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
    const sections = [charts, tasksSection(result), lesson(result, params)]
    return { ...report, timeline: threadPoolTimeline(shown, options), sections }
  },
})

export default threadPool

await runMain(threadPool, import.meta.url)
