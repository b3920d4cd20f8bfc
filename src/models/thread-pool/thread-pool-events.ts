/**
 * The events of a thread-pool run: what the executor records in the trace, in the JDK's words
 * (`execute`, `offer`, `addWorker`, `getTask`, keep-alive). Each is a past-tense fact at the
 * simulated time of its record; together they tell the whole run, so the timeline and the checks
 * read them and nothing else (docs/thread-pool.md).
 *
 * Threads are numbered from 1 in the order they start; thread {@link CALLER_THREAD} (0) is the
 * submitting thread, which runs tasks itself under caller-runs. Tasks are numbered from 1 in
 * submission order.
 *
 * The order of one `execute(task)`: `TaskSubmitted`, then what the decision did (`TaskQueued`,
 * `OfferRefused`, `WorkerStarted`, `TaskStarted`, `TaskRejected`), then `ExecuteReturned` with the
 * outcome. A worker's step: `TaskCompleted`, then `TaskStarted` (the next task from the queue) or
 * `WorkerIdled`; a timed idle wait ends in `WorkerRetired` or `KeepAliveExpired`, or in a
 * `TaskStarted` when a submission hands it a task.
 */
import type { Traced } from "../../kernel/index.ts"
import type { ExecuteFate, RejectionPolicy } from "./thread-pool-executor.ts"

/** The thread number of the submitting thread, which runs tasks under `caller-runs`. */
export const CALLER_THREAD = 0

/** Task ids listed at most in an event's view of the queue (`queued`); the length is always exact. */
export const QUEUE_PREVIEW = 8

/** `execute(task)` was called. */
export interface TaskSubmitted {
  readonly type: "TaskSubmitted"
  readonly task: number
  /** How long the task runs once started, in ms. */
  readonly durationMs: number
}

/** `workQueue.offer(task)` accepted the task: it waits in the queue. */
export interface TaskQueued {
  readonly type: "TaskQueued"
  readonly task: number
  /** Tasks in the queue after it, this one included. */
  readonly queueLength: number
}

/** `workQueue.offer(task)` refused the task: the queue was full (or, hand-off, no thread was idle). */
export interface OfferRefused {
  readonly type: "OfferRefused"
  readonly task: number
  /** Tasks in the queue when it refused. */
  readonly queueLength: number
}

/** `addWorker`: a new thread started, with `firstTask` or (null) to take the queue head. */
export interface WorkerStarted {
  readonly type: "WorkerStarted"
  readonly thread: number
  readonly firstTask: number | null
  /** Threads alive after it started. */
  readonly poolSize: number
}

/** A task started running on `thread` (a pool thread, or the submitter under caller-runs). */
export interface TaskStarted {
  readonly type: "TaskStarted"
  readonly task: number
  readonly thread: number
  /** True when the thread took it from the queue; false when it was handed the task directly. */
  readonly fromQueue: boolean
  /** True when it is the first task of a thread just started (by `execute`). */
  readonly newThread: boolean
  /** Tasks in the queue after it started. */
  readonly queueLength: number
  /** The first ids of the queue after it started, head first (at most {@link QUEUE_PREVIEW}). */
  readonly queued: readonly number[]
}

/**
 * The task was refused or dropped by the rejection policy: the new task (abort, discard, or
 * discard-oldest with nothing to drop), or the queue head that discard-oldest dropped.
 */
export interface TaskRejected {
  readonly type: "TaskRejected"
  readonly task: number
  readonly policy: RejectionPolicy
  /** True when discard-oldest dropped it from the queue head to make room for a newer task. */
  readonly queueHead: boolean
}

/**
 * `execute(task)` returned to the submitter (under abort: threw RejectedExecutionException, which
 * the submitter caught), with its outcome.
 */
export interface ExecuteReturned {
  readonly type: "ExecuteReturned"
  readonly task: number
  readonly fate: ExecuteFate
  /** The thread that runs it (new, idle taker, or the submitter); null when it waits or was rejected. */
  readonly thread: number | null
  /** True when the queue refused it and the pool was at its maximum, so the policy was invoked. */
  readonly saturated: boolean
  /** Tasks dropped from the queue head by discard-oldest to make room, oldest first. */
  readonly evicted: readonly number[]
  /** Threads alive after the call. */
  readonly poolSize: number
  /** Tasks in the queue after the call. */
  readonly queueLength: number
  /** The first ids of the queue after the call, head first (at most {@link QUEUE_PREVIEW}). */
  readonly queued: readonly number[]
}

/** A task ran to its end on `thread`. */
export interface TaskCompleted {
  readonly type: "TaskCompleted"
  readonly task: number
  readonly thread: number
  /** Submission to completion, in ms. */
  readonly latencyMs: number
}

/**
 * `getTask` found the queue empty: the thread waits, `timed` (`poll(keepAlive)`: more than core
 * threads alive, or core time-out allowed) or not (`take()`).
 */
export interface WorkerIdled {
  readonly type: "WorkerIdled"
  readonly thread: number
  readonly timed: boolean
  /** Threads alive when it started waiting. */
  readonly poolSize: number
}

/** A timed wait ran out, but the pool was down to core: the thread stays and waits untimed. */
export interface KeepAliveExpired {
  readonly type: "KeepAliveExpired"
  readonly thread: number
  /** Threads alive (unchanged). */
  readonly poolSize: number
}

/** A timed wait ran out while the pool was above core: the thread exited. */
export interface WorkerRetired {
  readonly type: "WorkerRetired"
  readonly thread: number
  /** How long it had been idle, in ms (the keep-alive). */
  readonly idleMs: number
  /** Threads alive after it exited. */
  readonly poolSize: number
}

/** Every event of a thread-pool run. */
export type ThreadPoolEvent =
  | TaskSubmitted
  | TaskQueued
  | OfferRefused
  | WorkerStarted
  | TaskStarted
  | TaskRejected
  | ExecuteReturned
  | TaskCompleted
  | WorkerIdled
  | KeepAliveExpired
  | WorkerRetired

/** The record types of {@link ThreadPoolEvent}, for selecting them among a trace's records. */
export const THREAD_POOL_EVENT_TYPES: ReadonlySet<string> = new Set<ThreadPoolEvent["type"]>([
  "TaskSubmitted",
  "TaskQueued",
  "OfferRefused",
  "WorkerStarted",
  "TaskStarted",
  "TaskRejected",
  "ExecuteReturned",
  "TaskCompleted",
  "WorkerIdled",
  "KeepAliveExpired",
  "WorkerRetired",
])

/** True for the records of a {@link ThreadPoolEvent} among a trace's records. */
export function isThreadPoolEvent(record: Traced): record is Traced<ThreadPoolEvent> {
  return THREAD_POOL_EVENT_TYPES.has(record.type)
}
