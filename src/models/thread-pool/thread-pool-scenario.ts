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
 * The scenario is the observer: it attaches a {@link ThreadPoolAudit} to the trace (the checks read
 * the typed events), and `run(advance)` returns a {@link ThreadPoolResult} whose `summary()` is the
 * sim's JSON metrics.
 *
 * Left out on purpose: tasks of different lengths (the model takes them; the lesson keeps one
 * length so the decisions stand out), shutdown.
 */
import {
  type Advance,
  type InvariantViolation,
  type JsonValue,
  runUntil,
  type Scenario,
  type ScenarioResult,
} from "../../check/core/index.ts"
import { Simulation, type TimePoint, TimeWeightedBuckets } from "../../kernel/index.ts"
import { submitTasks } from "./task-submitter.ts"
import { ThreadPoolAudit } from "./thread-pool-checks.ts"
import {
  type ExecuteResult,
  type PoolProfile,
  ThreadPoolExecutor,
  type ThreadPoolOptions,
} from "./thread-pool-executor.ts"

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

/** What a finished run measured; `summary()` gives the sim's JSON metrics (the first 16 fields). */
export interface ThreadPoolResult extends ScenarioResult {
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
  /** When the queue first refused an offer, in ms, or null (from the events). */
  readonly firstRefusalMs: number | null
  /** When the pool first had more threads than core, in ms, or null (from the events). */
  readonly firstAboveCoreMs: number | null
  /** True when a thread beyond core started before the queue had refused any task (from the events). */
  readonly aboveCoreBeforeRefusal: boolean
  /** The first broken invariant (a model bug), or null (from the events). */
  readonly violation: InvariantViolation | null
  /** Threads that exited after their keep-alive, with when, in order. */
  readonly retirements: readonly { readonly thread: number; readonly t: number }[]
  /** Keep-alives that ran out while the pool was down to core, so the thread stayed. */
  readonly keepAlivesOutlasted: number
  /** The JSON metrics: the fields from `submitted` to `lastCompletionMs` above, in that order. */
  summary(): { readonly [metric: string]: JsonValue }
}

/** The metrics of `result`, in the order the sim reports them. */
function summaryOf(result: ThreadPoolResult): { readonly [metric: string]: JsonValue } {
  return {
    submitted: result.submitted,
    completed: result.completed,
    completedByPool: result.completedByPool,
    rejected: result.rejected,
    rejectedTasks: [...result.rejectedTasks],
    callerRunTasks: [...result.callerRunTasks],
    startOrder: [...result.startOrder],
    poolSizeAfterSubmit: [...result.poolSizeAfterSubmit],
    maxPoolSize: result.maxPoolSize,
    maxQueueLength: result.maxQueueLength,
    latencyP99Ms: result.latencyP99Ms,
    latencyMeanMs: result.latencyMeanMs,
    threadsStarted: result.threadsStarted,
    threadsExited: result.threadsExited,
    finalPoolSize: result.finalPoolSize,
    lastCompletionMs: result.lastCompletionMs,
  }
}

/** A pool and its submitter on a simulation; run it, then read {@link result}. */
export class ThreadPoolScenario implements Scenario<ThreadPoolResult> {
  /** The pool. */
  readonly pool: ThreadPoolExecutor
  /** The checks' view of the run, rebuilt from the pool's events. */
  readonly audit: ThreadPoolAudit
  private readonly submissions: ExecuteResult[] = []
  private readonly submitTimesMs: number[] = []

  /** @throws RangeError on invalid pool or workload settings */
  constructor(
    /** The simulation the scenario runs on. */
    readonly sim: Simulation,
    private readonly options: ThreadPoolScenarioOptions = {},
  ) {
    const taskMs = options.taskMs ?? 1000
    const intervalMs = options.intervalMs ?? 0
    const arrivalRate = options.arrivalRate ?? 0
    if (!(taskMs >= 0 && Number.isFinite(taskMs))) throw new RangeError(`taskMs must be finite and >= 0, got ${taskMs}`)
    if (!(intervalMs >= 0 && Number.isFinite(intervalMs)))
      throw new RangeError(`intervalMs must be finite and >= 0, got ${intervalMs}`)
    if (!(arrivalRate >= 0 && Number.isFinite(arrivalRate)))
      throw new RangeError(`arrivalRate must be finite and >= 0, got ${arrivalRate}`)
    if (arrivalRate > 0 && intervalMs > 0) throw new RangeError("give either intervalMs or arrivalRate, not both")
    this.pool = new ThreadPoolExecutor(sim, options)
    this.audit = new ThreadPoolAudit(sim, this.pool)
    const arrivals = sim.random("arrivals")
    const gapMs = arrivalRate > 0 ? () => arrivals.exponential(arrivalRate / 1000) : () => intervalMs
    const submitter = submitTasks(sim, this.pool, {
      tasks: options.tasks ?? 7,
      durationMs: () => taskMs,
      gapMs,
      onSubmitted: (result) => {
        if (options.history === false) return
        this.submissions.push(result)
        this.submitTimesMs.push(sim.now)
      },
    })
    sim.spawn(submitter, "submitter")
  }

  /** Runs the simulation until nothing is left to happen (with `advance`), then returns the {@link result}. */
  run(advance: Advance = runUntil): ThreadPoolResult {
    advance(this.sim, Infinity)
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
      firstRefusalMs: this.audit.firstRefusalMs,
      firstAboveCoreMs: this.audit.firstAboveCoreMs,
      aboveCoreBeforeRefusal: this.audit.aboveCoreBeforeRefusal,
      violation: this.audit.violation,
      retirements: [...this.audit.retirements],
      keepAlivesOutlasted: this.audit.keepAlivesOutlasted,
      summary() {
        return summaryOf(this)
      },
    }
  }

  /** Pool size and queue length change points (with the pool's `series` option). */
  changes(): { poolSize: TimePoint[]; queueLength: TimePoint[] } {
    return this.pool.changes()
  }

  /**
   * The time-weighted mean pool size and queue length over `slices` equal slices of `[0, endMs]`,
   * after the run: the numbers `timeWeightedBuckets` gives over the change points. From the change
   * points when the pool kept them (the `series` option, not dropped); else from a replay: the same
   * scenario on `fresh()`, a simulation with this run's seed, profiling `[0, endMs]` as it runs, so
   * a long run needs the slices' memory, not the series', for twice the run time.
   * @throws Error when the replay ended at another time than this run (a bug: a run must be
   *   determined by its seed and options)
   */
  profile(
    endMs: number,
    slices: number,
    fresh: () => Simulation = () => new Simulation({ seed: this.sim.seed, trace: { hash: false } }),
  ): PoolProfile {
    if (this.options.series === true && !this.pool.seriesDropped) {
      const { poolSize, queueLength } = this.changes()
      return { poolSize: bucketMeans(poolSize, endMs, slices), queueLength: bucketMeans(queueLength, endMs, slices) }
    }
    const replay = new ThreadPoolScenario(fresh(), {
      ...this.options,
      series: false,
      profile: { endMs, slices },
      history: false,
    })
    runUntil(replay.sim, Infinity) // not run(): its result would read the quantiles it did not keep
    const [ran, replayed] = [this.pool, replay.pool]
    if (replay.sim.now !== this.sim.now || replayed.lastCompletionMs !== ran.lastCompletionMs) {
      throw new Error(
        `the replay ended at ${replay.sim.now} (last task at ${replayed.lastCompletionMs}), the run at ${this.sim.now} (${ran.lastCompletionMs})`,
      )
    }
    return replayed.profile()
  }

  /**
   * The pool size, queue length and rejections so far at the end of each instant at which one of
   * them changed, in time order (with the pool's `series` option); undefined when there are more
   * than `max` such instants (a dropped series had more instants than `seriesMax`, which must
   * exceed `max`).
   */
  byInstant(max = Infinity): InstantState[] | undefined {
    if (this.pool.seriesDropped) {
      if (!((this.options.seriesMax ?? Infinity) > max)) throw new Error(`seriesMax must exceed ${max}`)
      return undefined
    }
    const { poolSize, queueLength } = this.changes()
    const pool = endOfInstant(poolSize)
    const queue = endOfInstant(queueLength)
    const rejections = this.pool.rejectionTimesMs
    const instants = [...new Set([...pool.keys(), ...queue.keys(), ...rejections])].sort((a, b) => a - b)
    if (instants.length > max) return undefined
    let poolNow = 0
    let queueNow = 0
    let next = 0
    return instants.map((t) => {
      poolNow = pool.get(t) ?? poolNow
      queueNow = queue.get(t) ?? queueNow
      while (next < rejections.length && rejections[next]! <= t) next++
      return { t, poolSize: poolNow, queueLength: queueNow, rejectedSoFar: next }
    })
  }
}

/** The pool's state at the end of one instant (see {@link ThreadPoolScenario.byInstant}). */
export interface InstantState {
  /** The instant, in ms. */
  readonly t: number
  readonly poolSize: number
  readonly queueLength: number
  /** Tasks refused or dropped up to and including this instant. */
  readonly rejectedSoFar: number
}

/** {@link TimeWeightedBuckets} over a series' change points (as `timeWeightedBuckets` in src/cli). */
function bucketMeans(points: readonly TimePoint[], endMs: number, slices: number): number[] {
  const buckets = new TimeWeightedBuckets(0, endMs, slices, points[0]?.value ?? 0)
  for (const point of points) buckets.record(point.t, point.value)
  return buckets.finish()
}

/** The value in force at the end of each instant at which a series changed. */
function endOfInstant(points: readonly TimePoint[]): Map<number, number> {
  const values = new Map<number, number>()
  for (const point of points) values.set(point.t, point.value)
  return values
}

/**
 * Tasks that started before an earlier-submitted task (`early`), and those earlier tasks (`late`),
 * from the start order (ids are in submission order): x is early when a smaller id starts after
 * it, y is late when a larger id started before it. Both sorted.
 */
export function startedOutOfOrder(startOrder: readonly number[]): { early: number[]; late: number[] } {
  const laterMin = new Array<number>(startOrder.length + 1).fill(Infinity)
  for (let i = startOrder.length - 1; i >= 0; i--) laterMin[i] = Math.min(startOrder[i]!, laterMin[i + 1]!)
  const early: number[] = []
  const late: number[] = []
  let earlierMax = -Infinity
  startOrder.forEach((id, i) => {
    if (laterMin[i + 1]! < id) early.push(id)
    if (earlierMax > id) late.push(id)
    earlierMax = Math.max(earlierMax, id)
  })
  return { early: early.sort((a, b) => a - b), late: late.sort((a, b) => a - b) }
}
