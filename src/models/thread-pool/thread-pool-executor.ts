/**
 * Java's `ThreadPoolExecutor` on the kernel: core and maximum pool size, a bounded, unbounded or
 * hand-off work queue, keep-alive, and the four rejection policies, decided exactly as JDK 17's
 * `execute()` and `getTask()` decide.
 *
 * A kitchen with a few permanent cooks (core threads), an order rail with room for a few tickets
 * (the queue) and temps who are called in only when the rail is full (threads beyond core) and
 * sent home after standing idle for a while (keep-alive). When the rail is full and every station
 * is staffed, the manager's policy decides what happens to a new order.
 *
 * `execute(task)`, in order (JDK 17 `ThreadPoolExecutor.execute`):
 * 1. fewer than `corePoolSize` threads → start a new thread with this task as its first task, even
 *    if other threads are idle;
 * 2. else offer the task to the queue; if it is accepted and no thread is alive (only possible with
 *    `corePoolSize` 0 or core time-outs), start a thread without a first task, which takes it;
 * 3. else (queue full, or a hand-off queue with no idle taker) start a thread beyond core with this
 *    task as its first task if fewer than `maximumPoolSize` threads run;
 * 4. else reject through the policy: `abort` (execute throws RejectedExecutionException; the
 *    submitter catches it and carries on), `caller-runs` (the submitter runs the task itself),
 *    `discard` (silently dropped), `discard-oldest` (drop the queue head, then call `execute`
 *    again for the new task).
 *
 * A worker runs its first task, then takes tasks from the queue (`getTask`): a worker starts each
 * wait *timed* (keep-alive) when more than `corePoolSize` threads are alive (or core time-out is
 * allowed), untimed otherwise, and keeps that choice for the whole wait, as `poll(keepAlive)` and
 * `take()` do. When a timed wait expires the worker exits if the wait would still be timed
 * (`allowCoreThreadTimeOut || workerCount > corePoolSize`); else it waits again, untimed.
 *
 * Who takes a task from the queue: an idle worker takes it at once. With a bounded or unbounded
 * queue (`ArrayBlockingQueue`, `LinkedBlockingQueue`) the longest-waiting idle worker gets it (the
 * queue's `notEmpty` condition wakes waiters in FIFO order); with a hand-off queue (a non-fair
 * `SynchronousQueue`, a LIFO stack of waiting takers) the most recently idle worker gets it, which
 * is why a cached pool lets its least recently used threads time out.
 *
 * Simultaneous events (the JDK races here; this model decides): intervals are half-open. A task
 * runs during [start, end) and an idle timed worker lives during [idle, idle + keepAlive). At any
 * instant, the pool first settles its workers — tasks ending then end, and their workers take the
 * next queued task or go idle; keep-alives ending then expire — and only then does the submitter
 * (see `task-submitter.ts`) call `execute` for the tasks due then, one at a time, each settled
 * before the next. Within one `execute`, a new thread and an idle taker start the task at once, so
 * a burst at t=0 gives exactly the table of docs/thread-pool.md ("The burst of seven tasks").
 *
 * Every decision is recorded as a typed event (`thread-pool-events.ts`); the pool does not grade
 * itself: the invariants of docs/thread-pool.md are checked from those events by
 * `thread-pool-checks.ts`.
 *
 * Left out on purpose: `shutdown`/`shutdownNow` and the lifecycle states, thread factories,
 * `prestartCoreThread`, changing the sizes while running, tasks that throw, priority queues, the
 * lock-level races of the real queues (this model decides them as described above).
 */
import {
  type Event,
  type Gauge,
  Histogram,
  type ProcessGenerator,
  type Simulation,
  type Timeout,
  type TimePoint,
  TimeWeightedBuckets,
  type TraceOf,
} from "../../kernel/index.ts"
import { CALLER_THREAD, QUEUE_PREVIEW, type ThreadPoolEvent } from "./thread-pool-events.ts"

/** The range a pool's profile covers: `slices` equal slices of `[0, endMs]`. */
export interface PoolProfileRange {
  /** The profile's end, in ms; finite and >= 0. */
  readonly endMs: number
  /** The number of slices; an integer >= 1. */
  readonly slices: number
}

/** The time-weighted mean pool size and queue length per slice of a {@link PoolProfileRange}. */
export interface PoolProfile {
  readonly poolSize: number[]
  readonly queueLength: number[]
}

/** What the pool does with a task when the queue is full and the pool is at its maximum. */
export type RejectionPolicy = "abort" | "caller-runs" | "discard" | "discard-oldest"

/** The four policies, in the order the JDK documents them. */
export const REJECTION_POLICIES: readonly RejectionPolicy[] = ["abort", "caller-runs", "discard", "discard-oldest"]

/** One task submitted to the pool. */
export interface PoolTask {
  /** Task number, from 1 in submission order. */
  readonly id: number
  /** How long the task runs once started, in ms; finite and >= 0. */
  readonly durationMs: number
}

/** Options of a {@link ThreadPoolExecutor}; the defaults are the lesson's (docs/thread-pool.md, the burst of seven). */
export interface ThreadPoolOptions {
  /** `corePoolSize`: threads started before any task is queued; an integer >= 0. Default 2. */
  readonly corePoolSize?: number
  /** `maximumPoolSize`: the most threads ever alive; an integer >= 1 and >= core. Default 4. */
  readonly maximumPoolSize?: number
  /**
   * Work queue capacity: an integer >= 1 is an `ArrayBlockingQueue(n)`, 0 a hand-off
   * `SynchronousQueue`, `Infinity` an unbounded `LinkedBlockingQueue`. Default 2.
   */
  readonly queueCapacity?: number
  /** `keepAliveTime` in ms: how long a thread beyond core may stay idle; finite and >= 0. Default 60000. */
  readonly keepAliveMs?: number
  /** The `RejectedExecutionHandler`. Default `abort` (the JDK's default). */
  readonly rejection?: RejectionPolicy
  /** `allowCoreThreadTimeOut(true)`: core threads time out too (needs keepAliveMs > 0). Default false. */
  readonly allowCoreThreadTimeOut?: boolean
  /** Record the pool size and queue length change points, for charts. Default false. */
  readonly series?: boolean
  /**
   * With `series`: the most change points kept per series; a run with more drops them (see
   * {@link ThreadPoolExecutor.seriesDropped}), so its memory does not grow with its length.
   * Default Infinity.
   */
  readonly seriesMax?: number
  /**
   * Profile the pool size and queue length over `slices` equal slices of `[0, endMs]` (from the
   * pool's creation at t=0), in memory of the slices: read it with {@link ThreadPoolExecutor.profile}.
   * The numbers are those of `timeWeightedBuckets` over the series. Default none.
   */
  readonly profile?: PoolProfileRange
  /**
   * Keep the per-task lists (start order, rejected and caller-run ids, rejection times) and every
   * latency, for the measurements. False keeps counts only: a replay that wants only the
   * `profile`, in memory that does not grow with the tasks done. Default true.
   */
  readonly history?: boolean
  /** The `pool` label of the pool's metrics; give each pool on one simulation its own. Default "pool". */
  readonly name?: string
}

/**
 * What `execute` did with a task:
 * - `core-thread`: fewer than core threads ran, so a new thread runs it;
 * - `handed-off`: an idle thread waiting on the queue took it at once;
 * - `queued`: it waits in the queue;
 * - `queued-new-thread`: queued while no thread was alive, so a new thread was started and took it;
 * - `extra-thread`: the queue refused it, so a new thread beyond core runs it;
 * - `caller-runs`: the pool was saturated and the submitter runs it itself;
 * - `rejected`: the pool was saturated and the policy refused it (`abort`) or dropped it
 *   (`discard`, or `discard-oldest` with nothing in the queue to drop).
 */
export type ExecuteFate =
  "core-thread" | "handed-off" | "queued" | "queued-new-thread" | "extra-thread" | "caller-runs" | "rejected"

/** The outcome of one {@link ThreadPoolExecutor.execute} call. */
export interface ExecuteResult {
  /** The task submitted. */
  readonly task: number
  /** What happened to it (after discard-oldest's retry, if any). */
  readonly fate: ExecuteFate
  /** The thread that runs it: new, idle taker, or {@link CALLER_THREAD}; null when it waits or was rejected. */
  readonly thread: number | null
  /** True when the queue refused it and the pool was at its maximum, so the policy was invoked. */
  readonly saturated: boolean
  /** Tasks dropped from the queue head by discard-oldest to make room, oldest first. */
  readonly evicted: readonly number[]
  /** Threads alive right after the call (for caller-runs: when the submitter starts the task). */
  readonly poolSize: number
  /** Tasks in the queue right after the call. */
  readonly queueLength: number
}

/** The `evicted` of every outcome that evicted nothing: one shared array, not one per submission. */
const NO_EVICTIONS: readonly number[] = Object.freeze([])

/** A pool thread. */
interface Worker {
  readonly id: number
  /** The task it runs, or null while idle. */
  task: PoolTask | null
  /** While idle: the event its process waits on (a task, or null to exit). */
  wake: Event<PoolTask | null> | null
  /** While in a timed wait: the keep-alive timer. */
  keepAlive: Timeout | null
  /** When it last went idle, in ms. */
  idleSince: number
}

/** A FIFO of tasks that can also drop its head (discard-oldest). */
class TaskQueue {
  private items: PoolTask[] = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(task: PoolTask): void {
    this.items.push(task)
  }

  shift(): PoolTask | undefined {
    if (this.head >= this.items.length) return undefined
    const task = this.items[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return task
  }

  ids(): number[] {
    return this.items.slice(this.head).map((task) => task.id)
  }

  /** The first `limit` ids, head first. */
  firstIds(limit: number): number[] {
    return this.items.slice(this.head, this.head + limit).map((task) => task.id)
  }
}

function requireInteger(value: number, min: number, what: string): void {
  if (!(Number.isSafeInteger(value) && value >= min))
    throw new RangeError(`${what} must be an integer >= ${min}, got ${value}`)
}

/**
 * A `ThreadPoolExecutor` whose threads are kernel processes. Submit with {@link execute} (or let a
 * `task-submitter.ts` process do it); read the counts at any time and the measurements at the end.
 */
export class ThreadPoolExecutor {
  /** `corePoolSize`. */
  readonly corePoolSize: number
  /** `maximumPoolSize`. */
  readonly maximumPoolSize: number
  /** Queue capacity: 0 hand-off, `Infinity` unbounded. */
  readonly queueCapacity: number
  /** `keepAliveTime`, in ms. */
  readonly keepAliveMs: number
  /** The rejection policy. */
  readonly rejection: RejectionPolicy
  /** `allowCoreThreadTimeOut`. */
  readonly allowCoreThreadTimeOut: boolean

  /** Tasks passed to `execute`. */
  get submitted(): number {
    return this.counts.submitted
  }

  /** Tasks that ran to the end, on a pool thread or (caller-runs) on the submitter. */
  get completed(): number {
    return this.counts.completed
  }

  /** Tasks that ran to the end on the submitter's thread (caller-runs). */
  get completedByCaller(): number {
    return this.counts.completedByCaller
  }

  /** Tasks refused or dropped (discard-oldest's evictions included). */
  get rejected(): number {
    return this.counts.rejected
  }

  /** Tasks running now, on pool threads or on the submitter. */
  get running(): number {
    return this.counts.running
  }

  /** Threads ever started. */
  get threadsStarted(): number {
    return this.counts.threadsStarted
  }

  /** Threads that exited after a keep-alive ran out. */
  get threadsExited(): number {
    return this.counts.threadsExited
  }

  /** When the last task ended, in ms (0 before any did). */
  get lastCompletionMs(): number {
    return this.counts.lastCompletionMs
  }

  /** The first time the queue refused an offer, in ms, or null. */
  get firstRefusalMs(): number | null {
    return this.counts.firstRefusalMs
  }

  /** Task ids refused or dropped, in that order. */
  get rejectedTasks(): readonly number[] {
    return this.rejectedIds
  }

  /** Task ids the submitter ran itself (caller-runs), in order. */
  get callerRunTasks(): readonly number[] {
    return this.callerRunIds
  }

  /** Task ids in the order they started running. */
  get startOrder(): readonly number[] {
    return this.startedIds
  }

  /** Times at which a task was refused or dropped, in ms (one per rejected task). */
  get rejectionTimesMs(): readonly number[] {
    return this.rejectionTimes
  }

  /** Submission to completion, per completed task, in ms. */
  readonly latencyMs: Histogram
  /** The same in seconds, in `sim.metrics` as `thread_pool_task_latency_seconds`. */
  private readonly latencySeconds: Histogram
  /** Threads alive over time. */
  readonly poolSizeGauge: Gauge
  /** Tasks waiting in the queue over time. */
  readonly queueLengthGauge: Gauge

  private readonly sim: Simulation
  private readonly trace: TraceOf<ThreadPoolEvent>
  private readonly counts = {
    submitted: 0,
    completed: 0,
    completedByCaller: 0,
    rejected: 0,
    running: 0,
    threadsStarted: 0,
    threadsExited: 0,
    lastCompletionMs: 0,
    firstRefusalMs: null as number | null,
  }
  /** False when the per-task lists are not kept (option `history`). */
  private readonly history: boolean
  private readonly rejectedIds: number[] = []
  private readonly callerRunIds: number[] = []
  private readonly startedIds: number[] = []
  private readonly rejectionTimes: number[] = []
  private readonly queue = new TaskQueue()
  /** Idle workers in the order they started waiting. */
  private readonly idle: Worker[] = []
  private workerCount = 0
  /** Submission time of each task still in the pool (queued or running), in ms. */
  private readonly submittedAt = new Map<number, number>()

  /** @throws RangeError on settings the JDK constructor refuses (IllegalArgumentException). */
  constructor(sim: Simulation, options: ThreadPoolOptions = {}) {
    this.sim = sim
    this.trace = sim.trace
    this.corePoolSize = options.corePoolSize ?? 2
    this.maximumPoolSize = options.maximumPoolSize ?? 4
    this.queueCapacity = options.queueCapacity ?? 2
    this.keepAliveMs = options.keepAliveMs ?? 60_000
    this.rejection = options.rejection ?? "abort"
    this.allowCoreThreadTimeOut = options.allowCoreThreadTimeOut ?? false
    requireInteger(this.corePoolSize, 0, "corePoolSize")
    requireInteger(this.maximumPoolSize, 1, "maximumPoolSize")
    if (this.maximumPoolSize < this.corePoolSize) {
      throw new RangeError(`maximumPoolSize (${this.maximumPoolSize}) must be >= corePoolSize (${this.corePoolSize})`)
    }
    if (this.queueCapacity !== Infinity) requireInteger(this.queueCapacity, 0, "queueCapacity")
    if (!(this.keepAliveMs >= 0 && Number.isFinite(this.keepAliveMs)))
      throw new RangeError(`keepAliveMs must be finite and >= 0, got ${this.keepAliveMs}`)
    if (this.allowCoreThreadTimeOut && this.keepAliveMs === 0)
      throw new RangeError("core threads must have a keep-alive > 0 to time out")
    if (!REJECTION_POLICIES.includes(this.rejection))
      throw new RangeError(`unknown rejection policy ${String(this.rejection)}`)
    const series = options.series ?? false
    const seriesMax = options.seriesMax ?? Infinity
    const profile = options.profile
    const buckets = () =>
      profile === undefined ? {} : { buckets: new TimeWeightedBuckets(0, profile.endMs, profile.slices, 0) }
    const labels = { pool: options.name ?? "pool" }
    this.history = options.history ?? true
    this.latencyMs = new Histogram({ buckets: [10, 50, 100, 500, 1000, 5000, 10_000, 60_000], quantiles: this.history })
    // The scrapeable copy in the base unit Prometheus's naming rules want: seconds, not ms. A
    // scrape reads its buckets, count and sum, so it keeps no observation (latencyMs has them).
    this.latencySeconds = sim.metrics.histogram(
      "thread_pool_task_latency_seconds",
      "Submission to completion of each task.",
      { labels, buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60], quantiles: false },
    )
    this.poolSizeGauge = sim.metrics.gauge("thread_pool_size", "threads alive", {
      labels,
      series,
      seriesMax,
      ...buckets(),
    })
    this.queueLengthGauge = sim.metrics.gauge("thread_pool_queue_length", "tasks waiting in the work queue", {
      labels,
      series,
      seriesMax,
      ...buckets(),
    })
  }

  /** Threads alive now (`getPoolSize`, the JDK's worker count). */
  get poolSize(): number {
    return this.workerCount
  }

  /** Tasks waiting in the queue now. */
  get queueLength(): number {
    return this.queue.length
  }

  /** Task ids waiting in the queue now, head first. */
  get queuedTasks(): number[] {
    return this.queue.ids()
  }

  /** Threads alive and idle now. */
  get idleThreads(): number {
    return this.idle.length
  }

  /** Largest pool size so far (`getLargestPoolSize`). */
  get largestPoolSize(): number {
    return this.poolSizeGauge.max
  }

  /** Longest queue so far. */
  get largestQueueLength(): number {
    return this.queueLengthGauge.max
  }

  /**
   * The pool size and queue length change points (with the `series` option).
   * @throws Error when they were dropped (see {@link seriesDropped})
   */
  changes(): { poolSize: TimePoint[]; queueLength: TimePoint[] } {
    return { poolSize: this.poolSizeGauge.changes(), queueLength: this.queueLengthGauge.changes() }
  }

  /** True when a series outgrew the `seriesMax` option and was dropped: {@link changes} then throws. */
  get seriesDropped(): boolean {
    return this.poolSizeGauge.seriesDropped || this.queueLengthGauge.seriesDropped
  }

  /** Change points kept now, over both series (0 without `series` or once they were dropped). */
  get seriesLength(): number {
    return this.poolSizeGauge.seriesLength + this.queueLengthGauge.seriesLength
  }

  /**
   * The profile of the `profile` option: read it once, after the run.
   * @throws Error when the pool was built without `profile`
   */
  profile(): PoolProfile {
    return { poolSize: this.poolSizeGauge.bucketMeans(), queueLength: this.queueLengthGauge.bucketMeans() }
  }

  /**
   * Submits `task` and decides its fate at once, as JDK 17's `execute` does (see the file header).
   * Under `caller-runs` a saturated pool returns fate `caller-runs`: the caller must then run the
   * task for its duration and call {@link callerFinished}.
   */
  execute(task: PoolTask): ExecuteResult {
    if (!(task.durationMs >= 0 && Number.isFinite(task.durationMs)))
      throw new RangeError(`task ${task.id}: durationMs must be finite and >= 0`)
    if (this.submittedAt.has(task.id)) throw new Error(`task ${task.id} is already in the pool`)
    this.counts.submitted++
    this.submittedAt.set(task.id, this.sim.now)
    this.trace.record({ type: "TaskSubmitted", task: task.id, durationMs: task.durationMs })
    const evicted: number[] = []
    const { fate, thread, saturated } = this.dispatch(task, evicted)
    const result: ExecuteResult = {
      task: task.id,
      fate,
      thread,
      saturated,
      evicted: evicted.length === 0 ? NO_EVICTIONS : evicted,
      poolSize: this.workerCount,
      queueLength: this.queue.length,
    }
    this.trace.record({ type: "ExecuteReturned", ...result, queued: this.queue.firstIds(QUEUE_PREVIEW) })
    return result
  }

  /** The caller finished a task it ran under `caller-runs`. */
  callerFinished(task: PoolTask): void {
    this.counts.completedByCaller++
    this.finishTask(task, CALLER_THREAD)
  }

  private dispatch(
    task: PoolTask,
    evicted: number[],
  ): { fate: ExecuteFate; thread: number | null; saturated: boolean } {
    if (this.workerCount < this.corePoolSize) {
      return { fate: "core-thread", thread: this.addWorker(task).id, saturated: false }
    }
    const offered = this.offer(task)
    if (offered === "queued") {
      if (this.workerCount === 0)
        return { fate: "queued-new-thread", thread: this.addWorker(null).id, saturated: false }
      return { fate: "queued", thread: null, saturated: false }
    }
    if (offered !== "refused") return { fate: "handed-off", thread: offered.id, saturated: false }
    this.counts.firstRefusalMs ??= this.sim.now
    this.trace.record({ type: "OfferRefused", task: task.id, queueLength: this.queue.length })
    if (this.workerCount < this.maximumPoolSize) {
      return { fate: "extra-thread", thread: this.addWorker(task).id, saturated: false }
    }
    return this.reject(task, evicted)
  }

  /**
   * `workQueue.offer(task)`: an idle taker gets it at once (FIFO for a real queue, LIFO for the
   * hand-off); else it is queued if there is room, else refused. Returns the taker, if any.
   */
  private offer(task: PoolTask): Worker | "queued" | "refused" {
    if (this.idle.length > 0) {
      const taker = this.queueCapacity === 0 ? this.idle.pop()! : this.idle.shift()!
      this.handTo(taker, task)
      return taker
    }
    if (this.queue.length >= this.queueCapacity) return "refused"
    this.queue.push(task)
    this.queueLengthGauge.set(this.queue.length)
    this.trace.record({ type: "TaskQueued", task: task.id, queueLength: this.queue.length })
    return "queued"
  }

  private reject(task: PoolTask, evicted: number[]): { fate: ExecuteFate; thread: number | null; saturated: boolean } {
    switch (this.rejection) {
      case "caller-runs":
        this.startTask(task, CALLER_THREAD, false, false)
        if (this.history) this.callerRunIds.push(task.id)
        return { fate: "caller-runs", thread: CALLER_THREAD, saturated: true }
      case "discard-oldest": {
        // The JDK's handler: workQueue.poll(), then execute(task) again. A hand-off queue holds
        // nothing to poll, and the retry recurses until a thread frees up or the stack overflows
        // (StackOverflowError in the submitter): the task is lost, so it counts as rejected.
        const oldest = this.queue.shift()
        if (oldest === undefined) break
        this.queueLengthGauge.set(this.queue.length)
        evicted.push(oldest.id)
        this.drop(oldest, true)
        const retry = this.dispatch(task, evicted)
        return { ...retry, saturated: true }
      }
      case "abort":
      case "discard":
        break
    }
    this.drop(task, false)
    return { fate: "rejected", thread: null, saturated: true }
  }

  private drop(task: PoolTask, queueHead: boolean): void {
    this.submittedAt.delete(task.id)
    this.counts.rejected++
    if (this.history) {
      this.rejectedIds.push(task.id)
      this.rejectionTimes.push(this.sim.now)
    }
    this.trace.record({ type: "TaskRejected", task: task.id, policy: this.rejection, queueHead })
  }

  /** `addWorker`: a new thread that starts `first`, or (null) takes the queue head at once. */
  private addWorker(first: PoolTask | null): Worker {
    const worker: Worker = {
      id: ++this.counts.threadsStarted,
      task: null,
      wake: null,
      keepAlive: null,
      idleSince: this.sim.now,
    }
    this.workerCount++
    this.poolSizeGauge.set(this.workerCount)
    const firstTask = first?.id ?? null
    this.trace.record({ type: "WorkerStarted", thread: worker.id, firstTask, poolSize: this.workerCount })
    const task = first ?? this.takeHead()
    if (task === undefined) throw new Error("a thread without a first task was started while the queue was empty")
    this.assign(worker, task, first === null, true)
    this.sim.spawn(this.workerLoop(worker), `thread-${worker.id}`)
    return worker
  }

  private takeHead(): PoolTask | undefined {
    const task = this.queue.shift()
    if (task !== undefined) this.queueLengthGauge.set(this.queue.length)
    return task
  }

  private *workerLoop(worker: Worker): ProcessGenerator<void> {
    for (;;) {
      const task = worker.task!
      yield* this.sim.sleep(task.durationMs)
      if (this.taskCompleted(worker, task)) continue
      const next = yield* worker.wake!
      if (next === null) return
    }
  }

  /** The worker ended `task`; true when it took another from the queue, false when it went idle. */
  private taskCompleted(worker: Worker, task: PoolTask): boolean {
    worker.task = null
    this.finishTask(task, worker.id)
    const next = this.takeHead()
    if (next !== undefined) {
      this.assign(worker, next, true, false)
    } else {
      worker.wake = this.sim.event<PoolTask | null>()
      this.await(worker)
    }
    return next !== undefined
  }

  /** Starts an idle wait: timed (keep-alive) when the pool is above core, else untimed. */
  private await(worker: Worker): void {
    const timed = this.allowCoreThreadTimeOut || this.workerCount > this.corePoolSize
    this.idle.push(worker)
    worker.idleSince = this.sim.now
    this.trace.record({ type: "WorkerIdled", thread: worker.id, timed, poolSize: this.workerCount })
    if (!timed) return
    const timer = this.sim.timeout(this.keepAliveMs)
    worker.keepAlive = timer
    timer.onProcessed(() => this.keepAliveExpired(worker, timer))
  }

  /** A timed wait ran out: exit if the wait would still be timed, else wait again, untimed. */
  private keepAliveExpired(worker: Worker, timer: Timeout): void {
    if (worker.keepAlive !== timer) return
    worker.keepAlive = null
    this.idle.splice(this.idle.indexOf(worker), 1)
    const timed = this.allowCoreThreadTimeOut || this.workerCount > this.corePoolSize
    if (timed && (this.workerCount > 1 || this.queue.length === 0)) {
      this.workerCount--
      this.counts.threadsExited++
      this.poolSizeGauge.set(this.workerCount)
      const idleMs = this.sim.now - worker.idleSince
      this.trace.record({ type: "WorkerRetired", thread: worker.id, idleMs, poolSize: this.workerCount })
      const wake = worker.wake!
      worker.wake = null
      wake.succeed(null)
    } else {
      this.trace.record({ type: "KeepAliveExpired", thread: worker.id, poolSize: this.workerCount })
      this.idle.push(worker)
    }
  }

  /** Gives `task` to an idle worker: it stops waiting and starts the task now. */
  private handTo(worker: Worker, task: PoolTask): void {
    worker.keepAlive?.cancel()
    worker.keepAlive = null
    const wake = worker.wake!
    worker.wake = null
    this.assign(worker, task, false, false)
    wake.succeed(task)
  }

  private assign(worker: Worker, task: PoolTask, fromQueue: boolean, newThread: boolean): void {
    worker.task = task
    this.startTask(task, worker.id, fromQueue, newThread)
  }

  private startTask(task: PoolTask, thread: number, fromQueue: boolean, newThread: boolean): void {
    this.counts.running++
    if (this.history) this.startedIds.push(task.id)
    const queueLength = this.queue.length
    const queued = this.queue.firstIds(QUEUE_PREVIEW)
    this.trace.record({ type: "TaskStarted", task: task.id, thread, fromQueue, newThread, queueLength, queued })
  }

  private finishTask(task: PoolTask, thread: number): void {
    this.counts.running--
    this.counts.completed++
    const latencyMs = this.sim.now - this.submittedAt.get(task.id)!
    this.submittedAt.delete(task.id)
    this.counts.lastCompletionMs = this.sim.now
    this.latencyMs.observe(latencyMs)
    this.latencySeconds.observe(latencyMs / 1000)
    this.trace.record({ type: "TaskCompleted", task: task.id, thread, latencyMs })
  }
}
