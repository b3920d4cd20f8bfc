/**
 * What the thread-pool sim tells a learner about a run, as pure functions of the run's result and
 * the pool it ran: the tasks' fates, execute()'s decisions task by task, what the rejection
 * policy, the queue and keep-alive did (each sentence from this run's numbers), the quiz and what
 * each JSON metric means. The sim keeps the charts, which the runner draws (docs/adding-a-model.md).
 */
import type { LessonSection } from "../../check/core/index.ts"
import { formatCount, formatMs } from "../../kernel/index.ts"
import { startedOutOfOrder, type ThreadPoolResult } from "./thread-pool-scenario.ts"
import { describePool, POLICY_CLASS, type ThreadPoolSettings } from "./thread-pool-timeline.ts"

/** Task ids listed in full at most; longer lists are cut with "…". */
const IDS_MAX = 30

/** The pool and the workload of a run (the sim's flags, resolved): its settings and the tasks' timing. */
export interface ThreadPoolRun extends ThreadPoolSettings {
  /** Tasks submitted, numbered 1..N in submission order. */
  readonly tasks: number
  /** How long each task runs, in ms. */
  readonly taskMs: number
  /** Gap between submissions, in ms; 0: a burst at t=0. */
  readonly intervalMs: number
  /** Poisson submissions per second instead of `intervalMs`; 0: off. */
  readonly arrivalRate: number
}

/** What each field of the result's `summary()` means, and its unit: the sim's metric docs. */
export const THREAD_POOL_METRICS = {
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
} as const

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}

export function idList(ids: readonly number[]): string {
  const shown = ids.slice(0, IDS_MAX).join(", ")
  return ids.length > IDS_MAX ? `${shown}, … (${formatCount(ids.length)} in all)` : shown
}

/** The workload in words: how many tasks of how long, submitted when. */
export function workload(pool: ThreadPoolRun): string {
  const tasks = `${plural(pool.tasks, "task")} of ${formatMs(pool.taskMs)} each`
  if (pool.arrivalRate > 0) return `${tasks}, submitted as Poisson arrivals at ${pool.arrivalRate} per second from t=0`
  if (pool.intervalMs > 0) return `${tasks}, one every ${formatMs(pool.intervalMs)} from t=0`
  return `${tasks}, submitted one after another at t=0`
}

/**
 * Where the charts end: the end of the run, unless the keep-alive tail after the last task would
 * take more than half of the chart; then the last task's end (the table and lesson tell the rest).
 */
export function chartEndMs(result: ThreadPoolResult, endMs: number): number {
  return endMs - result.lastCompletionMs <= result.lastCompletionMs ? endMs : result.lastCompletionMs
}

/** What became of the tasks: completed, rejected, start order, pool sizes and latency. */
export function tasksSection(result: ThreadPoolResult): LessonSection {
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

function idsWith(result: ThreadPoolResult, fates: readonly string[]): number[] {
  return result.submissions.filter((submission) => fates.includes(submission.fate)).map((submission) => submission.task)
}

function decisions(result: ThreadPoolResult, pool: ThreadPoolRun): string[] {
  const capacity = pool.queueCapacity
  const parts: string[] = []
  const add = (ids: readonly number[], one: string, many: string): void => {
    if (ids.length > 0) parts.push(ids.length === 1 ? `task ${ids[0]} ${one}` : `tasks ${idList(ids)} ${many}`)
  }
  const core = `fewer than core (${pool.corePoolSize}) threads were alive`
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
  const extra = `and fewer than max (${pool.maximumPoolSize}) threads were alive`
  add(
    idsWith(result, ["extra-thread"]),
    `got a thread beyond core: ${full}, ${extra}`,
    `got a thread beyond core each: ${full}, ${extra}`,
  )
  const saturated = `${capacity === 0 ? "no idle thread" : "the queue was full"} and the pool at max (${pool.maximumPoolSize})`
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

function policyLesson(result: ThreadPoolResult, pool: ThreadPoolRun): string[] {
  const saturated = result.submissions.filter((submission) => submission.saturated).length
  if (saturated === 0) return [`The pool was never saturated, so ${POLICY_CLASS[pool.rejection]} never had to act.`]
  switch (pool.rejection) {
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
        `finished (${formatMs(pool.taskMs)} later); ` +
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

function queueLesson(result: ThreadPoolResult, pool: ThreadPoolRun): string[] {
  const capacity = pool.queueCapacity
  if (capacity === Infinity) {
    const largest = Math.max(pool.corePoolSize, Math.min(1, pool.maximumPoolSize))
    const lines = [
      pool.corePoolSize === 0
        ? `The queue is unbounded, so it never refuses a task; with core 0, execute() starts one thread when none is alive, so the pool never grows past ${largest} (largest here: ${result.maxPoolSize}):`
        : `The queue is unbounded, so it never refuses a task and the pool never grows past core (${pool.corePoolSize}; largest here: ${result.maxPoolSize}):`,
      `--max ${pool.maximumPoolSize} never mattered, and nothing was rejected. The tasks waited instead (longest queue ${formatCount(result.maxQueueLength)}).`,
    ]
    if (pool.corePoolSize === 0)
      lines.push("With core 0 that means a single thread runs every task, one after another.")
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
  const floor = Math.max(pool.corePoolSize, 1)
  const lone = pool.corePoolSize === 0 ? " (apart from the lone thread execute() starts when none is alive)" : ""
  if (result.maxPoolSize > floor) {
    return [
      `Threads beyond core${lone} start only when the queue is full. Try --queue unbounded: the pool stays at ${floor}`,
      `${floor === 1 ? "thread" : "threads"} whatever --max says, nothing is rejected, and the queue grows instead.`,
    ]
  }
  return [
    `The queue never filled, so the pool never grew past ${pool.corePoolSize === 0 ? "the lone thread execute() starts when none is alive" : `core (${pool.corePoolSize})`}: --max only matters once the queue is full.`,
  ]
}

function keepAliveLesson(result: ThreadPoolResult, pool: ThreadPoolRun): string[] {
  if (result.threadsExited === 0) return []
  const first = result.retirements.slice(0, 4).map((exit) => `thread ${exit.thread} at t=${formatMs(exit.t)}`)
  const more = result.threadsExited > first.length ? `, … (${formatCount(result.threadsExited)} in all)` : ""
  const lines = [
    `Keep-alive: a thread that idles for ${formatMs(pool.keepAliveMs)} ` +
      `while more than core (${pool.corePoolSize}) threads are alive exits`,
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

/** The lesson: execute()'s order of decisions, what each decided here, the policy, the queue and keep-alive. */
export function threadPoolLesson(result: ThreadPoolResult, pool: ThreadPoolRun): LessonSection {
  const lines = [
    "execute() decides in a fixed order: (1) fewer than core threads alive → a new thread, even if others are",
    "idle; (2) else offer the task to the queue; (3) if the queue refuses → a new thread beyond core, up to max;",
    "(4) else the rejection policy.",
    ...decisions(result, pool),
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
  lines.push(...policyLesson(result, pool), ...queueLesson(result, pool), ...keepAliveLesson(result, pool))
  return { title: "Lesson", lines }
}

/** The quiz: the pool and its workload, then what to predict. */
export function threadPoolQuiz(pool: ThreadPoolRun): string {
  return [
    `A ${describePool(pool)}`,
    `receives ${workload(pool)}.`,
    "1. What is the pool size right after each submission?",
    "2. Which tasks are rejected or dropped, and why?",
    "3. In what order do the tasks start running?",
    "4. How many threads are left at the end, and when does the pool shrink?",
  ].join("\n")
}
