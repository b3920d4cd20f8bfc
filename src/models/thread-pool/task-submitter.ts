/**
 * The submitting thread: one loop that calls `execute` for tasks 1..N, then waits for the gap to
 * the next, exactly as a Java `main` would: `for (...) { pool.execute(task); Thread.sleep(gap); }`.
 *
 * Under caller-runs, a saturated pool hands the task back and the submitter runs it itself before
 * it submits anything else: every later submission moves later by the task's duration. That is
 * the policy's back-pressure, and why caller-runs changes the timing of the whole run.
 *
 * Simultaneous events: before each `execute` the submitter lets everything else due at the same
 * instant happen first (tasks that end then, keep-alives that run out then, and whatever those
 * start), by yielding to every pending event at the current time. So a task submitted at the
 * instant another one ends finds that thread already idle, and a thread whose keep-alive ends at
 * that instant already gone (see the file header of `thread-pool-executor.ts`).
 *
 * Left out on purpose: several submitting threads (their calls would race in the JDK), and
 * submitting in batches (`invokeAll`).
 */
import type { ProcessGenerator, Simulation } from "../../kernel/index.ts"
import type { ExecuteResult, PoolTask, ThreadPoolExecutor } from "./thread-pool-executor.ts"

/** Options of {@link submitTasks}. */
export interface TaskSubmitterOptions {
  /** Tasks to submit, numbered 1..tasks; an integer >= 1. Default 7. */
  readonly tasks?: number
  /** How long task `id` runs, in ms. Default: 1000 for every task. */
  readonly durationMs?: (id: number) => number
  /** The submitter's wait after submitting task `id` and before the next, in ms. Default: 0 (a burst). */
  readonly gapMs?: (id: number) => number
  /** Called with each `execute` outcome, right after the call. Default: nothing. */
  readonly onSubmitted?: (result: ExecuteResult) => void
}

/** Lets every other event due now happen before the caller goes on. */
function* settle(sim: Simulation): ProcessGenerator<void> {
  while (sim.peek() === sim.now) yield* sim.sleep(0)
}

/**
 * The submitting thread's process: spawn it with `sim.spawn(submitTasks(sim, pool, options))`.
 * @throws RangeError (in the process) when a duration or gap is negative or not finite
 */
export function* submitTasks(
  sim: Simulation,
  pool: ThreadPoolExecutor,
  options: TaskSubmitterOptions = {},
): ProcessGenerator<void> {
  const tasks = options.tasks ?? 7
  if (!(Number.isSafeInteger(tasks) && tasks >= 1)) throw new RangeError(`tasks must be an integer >= 1, got ${tasks}`)
  const durationMs = options.durationMs ?? (() => 1000)
  const gapMs = options.gapMs ?? (() => 0)
  for (let id = 1; id <= tasks; id++) {
    yield* settle(sim)
    const task: PoolTask = { id, durationMs: durationMs(id) }
    const result = pool.execute(task)
    options.onSubmitted?.(result)
    if (result.fate === "caller-runs") {
      yield* sim.sleep(task.durationMs)
      pool.callerFinished(task)
    }
    if (id < tasks) {
      const gap = gapMs(id)
      if (!(gap >= 0 && Number.isFinite(gap)))
        throw new RangeError(`the gap after task ${id} must be finite and >= 0, got ${gap}`)
      if (gap > 0) yield* sim.sleep(gap)
    }
  }
}
