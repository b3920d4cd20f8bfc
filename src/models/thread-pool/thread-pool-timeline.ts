/**
 * A thread-pool run in words, one line per event a learner should see: each `execute` decision with
 * its reason and the pool's state after it, tasks ending, threads taking queued tasks, going idle
 * (with or without a time-out) and exiting. The decision's parts (`TaskSubmitted`, `TaskQueued`,
 * `OfferRefused`, `WorkerStarted`, the handed-over `TaskStarted`, `TaskRejected`) are told once,
 * by the `ExecuteReturned` line, and get none of their own.
 *
 * Also the pool's names a report uses: the JDK class of each rejection policy, the queue's class,
 * the constructor call.
 */
import { formatMs, type Traced, type TraceSample } from "../../kernel/index.ts"
import {
  CALLER_THREAD,
  type ExecuteReturned,
  isThreadPoolEvent,
  type ThreadPoolEvent,
  type WorkerIdled,
} from "./thread-pool-events.ts"
import type { RejectionPolicy } from "./thread-pool-executor.ts"

/** The settings the timeline names (a `ThreadPoolExecutor` has them all). */
export interface ThreadPoolSettings {
  readonly corePoolSize: number
  readonly maximumPoolSize: number
  /** 0 for a hand-off queue, `Infinity` for an unbounded one. */
  readonly queueCapacity: number
  readonly keepAliveMs: number
  readonly rejection: RejectionPolicy
}

/** The JDK's `RejectedExecutionHandler` class of each policy. */
export const POLICY_CLASS: Readonly<Record<RejectionPolicy, string>> = {
  abort: "AbortPolicy",
  "caller-runs": "CallerRunsPolicy",
  discard: "DiscardPolicy",
  "discard-oldest": "DiscardOldestPolicy",
}

/** The work queue a capacity means: `an ArrayBlockingQueue(2)`, a hand-off or an unbounded queue. */
export function describeQueue(capacity: number): string {
  if (capacity === 0) return "a hand-off SynchronousQueue"
  if (capacity === Infinity) return "an unbounded LinkedBlockingQueue"
  return `an ArrayBlockingQueue(${capacity})`
}

/** The pool as its constructor call: `ThreadPoolExecutor(core 2, max 4, an ArrayBlockingQueue(2), ...)`. */
export function describePool(pool: ThreadPoolSettings): string {
  const queue = describeQueue(pool.queueCapacity)
  const keepAlive = `keep-alive ${formatMs(pool.keepAliveMs)}`
  const sizes = `core ${pool.corePoolSize}, max ${pool.maximumPoolSize}`
  return `ThreadPoolExecutor(${sizes}, ${queue}, ${keepAlive}, ${POLICY_CLASS[pool.rejection]})`
}

/** One line of the timeline. */
export interface ThreadPoolTimelineLine {
  /** Simulated time, in ms. */
  readonly t: number
  readonly text: string
}

/**
 * The records a timeline keeps: thread-pool records it tells. Sample them during the run with
 * `new TraceSample(sim.trace, inThreadPoolTimeline, max)`, then pass the sample to
 * {@link threadPoolTimeline}.
 */
export function inThreadPoolTimeline(record: Traced): record is Traced<ThreadPoolEvent> {
  return isThreadPoolEvent(record) && showsInTimeline(record)
}

/** The timeline of a sampled run: "Timeline", or "Timeline (the first N of M events)" when cut. */
export function threadPoolTimeline(
  sample: TraceSample<ThreadPoolEvent>,
  pool: ThreadPoolSettings,
): { readonly title: string; readonly entries: ThreadPoolTimelineLine[] } {
  const entries: ThreadPoolTimelineLine[] = []
  for (const record of sample.records) {
    const text = describeThreadPoolEvent(record, pool)
    if (text !== undefined) entries.push({ t: record.t, text })
  }
  const cut = sample.total > sample.records.length
  return {
    title: cut ? `Timeline (the first ${sample.records.length} of ${sample.total} events)` : "Timeline",
    entries,
  }
}

/** True for the records {@link describeThreadPoolEvent} tells (cheap: builds no text). */
export function showsInTimeline(record: Traced<ThreadPoolEvent>): boolean {
  switch (record.type) {
    case "ExecuteReturned":
    case "TaskCompleted":
    case "WorkerIdled":
    case "KeepAliveExpired":
    case "WorkerRetired":
      return true
    case "TaskStarted":
      return record.fromQueue && !record.newThread
    case "TaskSubmitted":
    case "TaskQueued":
    case "OfferRefused":
    case "WorkerStarted":
    case "TaskRejected":
      return false
    default:
      return unreachable(record)
  }
}

/** The timeline line of a thread-pool record, or undefined when the timeline leaves it out. */
export function describeThreadPoolEvent(record: Traced<ThreadPoolEvent>, pool: ThreadPoolSettings): string | undefined {
  switch (record.type) {
    case "ExecuteReturned":
      return describeSubmission(record, pool)
    case "TaskCompleted": {
      const who = record.thread === CALLER_THREAD ? "the submitter" : `thread ${record.thread}`
      const after = record.thread === CALLER_THREAD ? " and goes back to submitting" : ""
      return `${who} finished task ${record.task} (latency ${formatMs(record.latencyMs)})${after}`
    }
    case "TaskStarted":
      if (!record.fromQueue || record.newThread) return undefined
      return `thread ${record.thread} took task ${record.task} from the queue${queueState(record)}`
    case "WorkerIdled":
      return `thread ${record.thread}: queue empty, so ${describeIdle(record, pool)}`
    case "KeepAliveExpired":
      return (
        `thread ${record.thread}'s keep-alive ran out, ` +
        `but the pool is down to core (${record.poolSize}): it stays, now with no time-out`
      )
    case "WorkerRetired":
      return `thread ${record.thread} exited after ${formatMs(record.idleMs)} idle  [pool ${record.poolSize}]`
    case "TaskSubmitted":
    case "TaskQueued":
    case "OfferRefused":
    case "WorkerStarted":
    case "TaskRejected":
      return undefined
    default:
      return unreachable(record)
  }
}

function unreachable(record: never): never {
  throw new Error(`no timeline line for ${JSON.stringify(record)}`)
}

/** The queue, head first: `3 4`, `—` when empty, the first ids and `… (48 in all)` when long. */
/** `  [queue 3 4]`: the queue after a record. */
function queueState(record: { readonly queued: readonly number[]; readonly queueLength: number }): string {
  return `  [queue ${queueView(record.queued, record.queueLength)}]`
}

function queueView(queued: readonly number[], length: number): string {
  if (length === 0) return "—"
  return length > queued.length ? `${queued.join(" ")} … (${length} in all)` : queued.join(" ")
}

/** Why the queue refused the task, before the thread or policy decision. */
function refusal(capacity: number, queueLength: number): string {
  return capacity === 0 ? "no idle thread to hand it to" : `queue full (${queueLength}/${capacity})`
}

function describeIdle(record: WorkerIdled, pool: ThreadPoolSettings): string {
  return record.timed
    ? `idle: exits after ${formatMs(pool.keepAliveMs)} without work ` +
        `(pool ${record.poolSize} > core ${pool.corePoolSize})`
    : `idle: waits for work with no time-out (pool ${record.poolSize} <= core ${pool.corePoolSize})`
}

function describeSubmission(result: ExecuteReturned, pool: ThreadPoolSettings): string {
  const state = `  [pool ${result.poolSize}, queue ${queueView(result.queued, result.queueLength)}]`
  const head = `task ${result.task} submitted → `
  const policy = POLICY_CLASS[pool.rejection]
  if (result.evicted.length > 0) {
    const dropped = `${policy} dropped task ${result.evicted.join(", ")} (the queue head)`
    return `${head}saturated: ${dropped} and retried execute: ${result.fate}${state}`
  }
  const core = pool.corePoolSize
  const max = pool.maximumPoolSize
  const refused = refusal(pool.queueCapacity, result.queueLength)
  switch (result.fate) {
    case "core-thread":
      return `${head}new thread ${result.thread} runs it: ${result.poolSize - 1} < core ${core} threads${state}`
    case "handed-off":
      return `${head}idle thread ${result.thread} took it at once${state}`
    case "queued":
      return `${head}queued: pool ${result.poolSize} >= core ${core}, queue had room${state}`
    case "queued-new-thread":
      return `${head}queued; no thread was alive, so new thread ${result.thread} started and took it${state}`
    case "extra-thread":
      return (
        `${head}${refused}, ${result.poolSize - 1} < max ${max} threads: ` +
        `new thread ${result.thread} runs it${state}`
      )
    case "caller-runs":
      return `${head}${refused}, pool at max ${max}: ${policy}, the submitter runs it itself${state}`
    case "rejected": {
      const why = `${refused}, pool at max ${max}`
      if (pool.rejection === "abort")
        return `${head}REJECTED: ${why}; RejectedExecutionException, the submitter caught it${state}`
      if (pool.rejection === "discard") return `${head}DROPPED: ${why}; DiscardPolicy dropped it silently${state}`
      return `${head}LOST: ${why}; DiscardOldestPolicy has nothing to drop (its retry recurses)${state}`
    }
  }
}
