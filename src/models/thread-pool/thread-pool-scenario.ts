/**
 * The thread-pool lesson's scenario: one `ThreadPoolExecutor`, one submitting thread, N tasks of
 * the same length submitted in a burst, at a fixed interval, or as Poisson arrivals, and the
 * measurements a learner (or a cross-check against a real JDK) compares.
 *
 * Time is in milliseconds. Task i is submitted at t=0 when i=1, then after the gap that follows
 * task i-1: `intervalMs`, or with `arrivalRate` an exponential gap of mean 1000/arrivalRate ms
 * drawn from the stream "arrivals". Under caller-runs the submitter's own run of a task delays the
 * later submissions (see `task-submitter.ts`). The run ends when nothing is left to happen: every
 * task ended and every thread beyond core has exited after its keep-alive.
 *
 * Left out on purpose: tasks of different lengths (the model takes them; the lesson keeps one
 * length so the decisions stand out), shutdown.
 */
import type { Simulation, TimePoint } from "../../kernel/index.ts"
import { submitTasks } from "./task-submitter.ts"
import { type ExecuteResult, type InvariantViolation, ThreadPoolExecutor, type ThreadPoolOptions } from "./thread-pool-executor.ts"

/** Options of a {@link ThreadPoolScenario}: the pool's, plus the workload's. */
export interface ThreadPoolScenarioOptions extends ThreadPoolOptions {
  /** Tasks submitted, numbered 1..tasks; an integer >= 1. Default 7. */
  readonly tasks?: number
  /** How long each task runs, in ms; finite and >= 0. Default 1000. */
  readonly taskMs?: number
  /** Gap between two submissions, in ms; 0 submits all at t=0, one after another. Default 0. */
  readonly intervalMs?: number
  /**
   * Poisson submissions: mean tasks per second (exponential gaps from the stream "arrivals"); 0
   * uses `intervalMs` instead. Both > 0 is an error. Default 0.
   */
  readonly arrivalRate?: number
}

/** What a finished run measured. */
export interface ThreadPoolResult {
  /** Tasks submitted. */
  readonly submitted: number
  /** Tasks that ran to the end (on the submitter too, under caller-runs). */
  readonly completed: number
  /** Tasks that ran to the end on a pool thread (the JDK's `getCompletedTaskCount`). */
  readonly completedByPool: number
  /** Tasks refused or dropped (discard-oldest's evictions included). */
  readonly rejected: number
  /** Their ids, in the order they were refused or dropped. */
  readonly rejectedTasks: readonly number[]
  /** Ids the submitter ran itself under caller-runs, in order. */
  readonly callerRunTasks: readonly number[]
  /** Ids in the order they started running. */
  readonly startOrder: readonly number[]
  /** Pool size right after each submission, in submission order. */
  readonly poolSizeAfterSubmit: readonly number[]
  /** Largest pool size (`getLargestPoolSize`). */
  readonly maxPoolSize: number
  /** Longest the queue ever was. */
  readonly maxQueueLength: number
  /** 99th percentile (nearest rank) of submission-to-completion over completed tasks, in ms. */
  readonly latencyP99Ms: number
  /** Mean submission-to-completion over completed tasks, in ms. */
  readonly latencyMeanMs: number
  /** Every `execute` outcome, in submission order. */
  readonly submissions: readonly ExecuteResult[]
  /** When each task was submitted, in ms, in submission order. */
  readonly submitTimesMs: readonly number[]
  /** Times at which tasks were refused or dropped, in ms. */
  readonly rejectionTimesMs: readonly number[]
  /** Threads started over the run. */
  readonly threadsStarted: number
  /** Threads that exited after their keep-alive ran out. */
  readonly threadsExited: number
  /** Threads alive at the end. */
  readonly finalPoolSize: number
  /** When the last task ended, in ms. */
  readonly lastCompletionMs: number
  /** When the first time the queue refused an offer, in ms, or null. */
  readonly firstRefusalMs: number | null
  /** When the pool first had more threads than core, in ms, or null. */
  readonly firstAboveCoreMs: number | null
  /** The first broken invariant (a model bug), or null. */
  readonly violation: InvariantViolation | null
}

/** A pool and its submitter on a simulation; run it, then read {@link result}. */
export class ThreadPoolScenario {
  /** The pool. */
  readonly pool: ThreadPoolExecutor
  private readonly submissions: ExecuteResult[] = []
  private readonly submitTimesMs: number[] = []

  /** @throws RangeError on invalid pool or workload settings */
  constructor(
    /** The simulation the scenario runs on. */
    readonly sim: Simulation,
    options: ThreadPoolScenarioOptions = {},
  ) {
    const taskMs = options.taskMs ?? 1000
    const intervalMs = options.intervalMs ?? 0
    const arrivalRate = options.arrivalRate ?? 0
    if (!(taskMs >= 0 && Number.isFinite(taskMs))) throw new RangeError(`taskMs must be finite and >= 0, got ${taskMs}`)
    if (!(intervalMs >= 0 && Number.isFinite(intervalMs))) throw new RangeError(`intervalMs must be finite and >= 0, got ${intervalMs}`)
    if (!(arrivalRate >= 0 && Number.isFinite(arrivalRate))) throw new RangeError(`arrivalRate must be finite and >= 0, got ${arrivalRate}`)
    if (arrivalRate > 0 && intervalMs > 0) throw new RangeError("give either intervalMs or arrivalRate, not both")
    this.pool = new ThreadPoolExecutor(sim, options)
    const arrivals = sim.random("arrivals")
    const gapMs = arrivalRate > 0 ? () => arrivals.exponential(arrivalRate / 1000) : () => intervalMs
    const submitter = submitTasks(sim, this.pool, {
      tasks: options.tasks ?? 7,
      durationMs: () => taskMs,
      gapMs,
      onSubmitted: (result) => {
        this.submissions.push(result)
        this.submitTimesMs.push(sim.now)
      },
    })
    sim.spawn(submitter, "submitter")
  }

  /** Runs the simulation to the end (or with `runner`), then returns the {@link result}. */
  run(runner: (sim: Simulation) => void = (sim) => void sim.run()): ThreadPoolResult {
    runner(this.sim)
    return this.result()
  }

  /** The measurements so far (complete once the simulation ran out of events). */
  result(): ThreadPoolResult {
    const pool = this.pool
    const latency = pool.latencyMs
    return {
      submitted: pool.submitted,
      completed: pool.completed,
      completedByPool: pool.completed - pool.completedByCaller,
      rejected: pool.rejected,
      rejectedTasks: [...pool.rejectedTasks],
      callerRunTasks: [...pool.callerRunTasks],
      startOrder: [...pool.startOrder],
      poolSizeAfterSubmit: this.submissions.map((submission) => submission.poolSize),
      maxPoolSize: pool.largestPoolSize,
      maxQueueLength: pool.largestQueueLength,
      latencyP99Ms: latency.count === 0 ? 0 : latency.p99,
      latencyMeanMs: latency.count === 0 ? 0 : latency.mean,
      submissions: [...this.submissions],
      submitTimesMs: [...this.submitTimesMs],
      rejectionTimesMs: [...pool.rejectionTimesMs],
      threadsStarted: pool.threadsStarted,
      threadsExited: pool.threadsExited,
      finalPoolSize: pool.poolSize,
      lastCompletionMs: pool.lastCompletionMs,
      firstRefusalMs: pool.firstRefusalMs,
      firstAboveCoreMs: pool.firstAboveCoreMs,
      violation: pool.violation,
    }
  }

  /** Pool size and queue length change points (with the pool's `series` option). */
  changes(): { poolSize: TimePoint[]; queueLength: TimePoint[] } {
    return this.pool.changes()
  }
}
