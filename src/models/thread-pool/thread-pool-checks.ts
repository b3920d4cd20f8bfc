/**
 * The checks of a thread-pool run (docs/thread-pool.md, "Invariants"), read from the pool's typed
 * events (`thread-pool-events.ts`) and its public final state; the executor does not grade itself.
 *
 * A {@link ThreadPoolAudit} replays the events as they are recorded, keeping its own counts, and
 * checks the pool's state after each one with the checks core's online `Invariants`:
 *
 * - `pool-size-at-most-max`: the pool never had more than `maximumPoolSize` threads;
 * - `tasks-conserved`: after every event, submitted = completed + rejected + queued + running (+ the
 *   one task `execute` is deciding), the queue held at most its capacity, no task started twice and
 *   no thread was idle while a task waited;
 * - `above-core-only-after-queue-refused`: threads beyond core were started only after the queue
 *   refused a task (so with an unbounded queue the pool never exceeds core). With core 0, the lone
 *   thread `execute` starts when no thread is alive is not counted.
 *
 * They hold on every run of a correct model: a failure is a bug, shown rather than hidden.
 */
import { type CheckResult, fails, holds, Invariants, type InvariantViolation } from "../../check/core/index.ts"
import { formatMs, type Simulation, type Traced } from "../../kernel/index.ts"
import { isThreadPoolEvent, type ThreadPoolEvent } from "./thread-pool-events.ts"
import type { ThreadPoolResult } from "./thread-pool-scenario.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type ThreadPoolVerdict = CheckResult

/** The pool settings the checks compare against (a `ThreadPoolExecutor` has them all). */
export interface ThreadPoolLimits {
  readonly corePoolSize: number
  readonly maximumPoolSize: number
  /** 0 for a hand-off queue, `Infinity` for an unbounded one. */
  readonly queueCapacity: number
}

/**
 * What the checks read of a run: the pool's public final state and what the audit rebuilt from the
 * events (a {@link ThreadPoolResult} has it all; {@link ThreadPoolAudit.auditedRun} gives it for any audited pool).
 */
export type AuditedRun = Pick<
  ThreadPoolResult,
  | "submitted"
  | "completed"
  | "rejected"
  | "maxPoolSize"
  | "firstRefusalMs"
  | "firstAboveCoreMs"
  | "aboveCoreBeforeRefusal"
  | "violation"
>

/** The name of the audit's state invariant (the `name` of its violation). */
export const POOL_STATE_INVARIANT = "pool-state"

/**
 * The pool's state, rebuilt from its events as they are recorded (`sim.trace.listen`), with the
 * invariants of the file header checked after each event. Create it before the run.
 */
export class ThreadPoolAudit {
  /** Tasks submitted, completed, rejected (evictions included), waiting, running. */
  submitted = 0
  completed = 0
  rejected = 0
  queued = 0
  running = 0
  /** Threads alive. */
  poolSize = 0
  /** Most threads alive at once. */
  largestPoolSize = 0
  /** The first time the queue refused an offer, in ms, or null. */
  firstRefusalMs: number | null = null
  /** The first time the pool had more threads than core (core 0: more than one), in ms, or null. */
  firstAboveCoreMs: number | null = null
  /** True when that happened before the queue had refused any task (in event order, not only time). */
  aboveCoreBeforeRefusal = false
  /** Threads that exited after their keep-alive, with when, in order. */
  readonly retirements: { readonly thread: number; readonly t: number }[] = []
  /** Keep-alives that ran out while the pool was down to core, so the thread stayed. */
  keepAlivesOutlasted = 0
  /** Tasks submitted but not yet queued, started or rejected (the one `execute` is deciding). */
  private deciding = 0
  private readonly idle = new Set<number>()
  private readonly started = new Set<number>()
  private startedTwice: number | null = null
  private readonly invariants: Invariants

  /** @throws RangeError when the trace records nothing (the audit reads the events) */
  constructor(
    sim: Simulation,
    private readonly limits: ThreadPoolLimits,
  ) {
    if (!sim.trace.enabled)
      throw new RangeError("the thread-pool checks read the trace's events: keep the trace enabled")
    this.invariants = new Invariants(sim, { traceViolations: false }).watch(
      POOL_STATE_INVARIANT,
      () => this.broken() ?? true,
    )
    sim.trace.listen((record) => {
      if (isThreadPoolEvent(record)) this.observe(record)
    })
  }

  /** The first broken invariant, or null. */
  get violation(): InvariantViolation | null {
    return this.invariants.firstViolation ?? null
  }

  /** What the checks read, from the events alone (the counts and largest pool as the audit saw them). */
  auditedRun(): AuditedRun {
    const {
      submitted,
      completed,
      rejected,
      largestPoolSize,
      firstRefusalMs,
      firstAboveCoreMs,
      aboveCoreBeforeRefusal,
      violation,
    } = this
    return {
      submitted,
      completed,
      rejected,
      maxPoolSize: largestPoolSize,
      firstRefusalMs,
      firstAboveCoreMs,
      aboveCoreBeforeRefusal,
      violation,
    }
  }

  private observe(record: Traced<ThreadPoolEvent>): void {
    this.apply(record)
    if (!this.invariants.violated) this.invariants.check()
  }

  private apply(event: Traced<ThreadPoolEvent>): void {
    switch (event.type) {
      case "TaskSubmitted":
        this.submitted++
        this.deciding++
        return
      case "TaskQueued":
        this.deciding--
        this.queued++
        return
      case "OfferRefused":
        this.firstRefusalMs ??= event.t
        return
      case "WorkerStarted":
        this.poolSize++
        this.largestPoolSize = Math.max(this.largestPoolSize, this.poolSize)
        if (this.poolSize > Math.max(this.limits.corePoolSize, 1) && this.firstAboveCoreMs === null) {
          this.firstAboveCoreMs = event.t
          this.aboveCoreBeforeRefusal = this.firstRefusalMs === null
        }
        return
      case "TaskStarted":
        if (event.fromQueue) this.queued--
        else this.deciding--
        this.running++
        this.idle.delete(event.thread)
        if (this.started.has(event.task)) this.startedTwice ??= event.task
        this.started.add(event.task)
        return
      case "TaskRejected":
        if (event.queueHead) this.queued--
        else this.deciding--
        this.rejected++
        return
      case "TaskCompleted":
        this.running--
        this.completed++
        return
      case "WorkerIdled":
        this.idle.add(event.thread)
        return
      case "WorkerRetired":
        this.poolSize--
        this.idle.delete(event.thread)
        this.retirements.push({ thread: event.thread, t: event.t })
        return
      case "KeepAliveExpired":
        this.keepAlivesOutlasted++
        return
      case "ExecuteReturned":
        return
      default:
        return unreachable(event)
    }
  }

  /** What is wrong with the state now, or null. */
  private broken(): string | null {
    const { maximumPoolSize, queueCapacity, corePoolSize } = this.limits
    if (this.poolSize > maximumPoolSize) return `pool size ${this.poolSize} > maximumPoolSize ${maximumPoolSize}`
    if (this.queued > queueCapacity) return `queue length ${this.queued} > capacity ${queueCapacity}`
    const accounted = this.completed + this.rejected + this.queued + this.running + this.deciding
    if (accounted !== this.submitted || this.deciding > 1) {
      const finished = `completed ${this.completed} + rejected ${this.rejected}`
      const parts = `${finished} + queued ${this.queued} + running ${this.running}`
      return `submitted ${this.submitted} != ${parts}`
    }
    if (this.startedTwice !== null) return `task ${this.startedTwice} started twice`
    if (this.aboveCoreBeforeRefusal) {
      return `pool size ${this.poolSize} > core ${corePoolSize} although the queue never refused a task`
    }
    if (this.idle.size > 0 && this.queued > 0)
      return `${this.idle.size} idle thread(s) while ${this.queued} task(s) wait in the queue`
    return null
  }
}

function unreachable(event: never): never {
  throw new Error(`the thread-pool audit does not know ${JSON.stringify(event)}`)
}

/** `pool-size-at-most-max`: see the file header. */
export function checkPoolSizeAtMostMax(result: AuditedRun, maximumPoolSize: number): ThreadPoolVerdict {
  const name = "pool-size-at-most-max"
  const detail = `largest pool ${result.maxPoolSize} thread(s), maximumPoolSize ${maximumPoolSize}`
  return result.maxPoolSize <= maximumPoolSize ? holds(name, detail) : fails(name, detail)
}

/** `tasks-conserved`: see the file header. */
export function checkTasksConserved(result: AuditedRun): ThreadPoolVerdict {
  const name = "tasks-conserved"
  if (result.violation !== null) return fails(name, `at t=${formatMs(result.violation.t)}: ${result.violation.detail}`)
  const unfinished = result.submitted - result.completed - result.rejected
  const parts = `${result.completed} completed + ${result.rejected} rejected + ${unfinished} queued or running`
  const detail = `held after every change; at the end ${result.submitted} submitted = ${parts}`
  return unfinished === 0 ? holds(name, detail) : fails(name, detail)
}

/** `above-core-only-after-queue-refused`: see the file header. */
export function checkAboveCoreOnlyAfterRefusal(result: AuditedRun, corePoolSize: number): ThreadPoolVerdict {
  const name = "above-core-only-after-queue-refused"
  const above = result.firstAboveCoreMs
  const refused = result.firstRefusalMs
  const core =
    corePoolSize === 0 ? "core 0 (plus the lone thread execute() starts when none is alive)" : `core ${corePoolSize}`
  if (above === null)
    return holds(name, `the pool never exceeded ${core}${refused === null ? "; the queue never refused a task" : ""}`)
  if (!result.aboveCoreBeforeRefusal && refused !== null && refused <= above) {
    return holds(
      name,
      `the pool first exceeded ${core} at t=${formatMs(above)}, when the queue refused a task ` +
        `(first refusal t=${formatMs(refused)})`,
    )
  }
  return fails(name, `the pool exceeded ${core} at t=${formatMs(above)} although the queue had not refused a task`)
}

/** Every check of a run, in the order a report lists them. */
export function threadPoolChecks(result: AuditedRun, limits: ThreadPoolLimits): ThreadPoolVerdict[] {
  return [
    checkPoolSizeAtMostMax(result, limits.maximumPoolSize),
    checkTasksConserved(result),
    checkAboveCoreOnlyAfterRefusal(result, limits.corePoolSize),
  ]
}
