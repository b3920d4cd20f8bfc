/**
 * The checks of a thread-pool run (docs/thread-pool.md, "Invariants"), graded from the pool's own
 * bookkeeping, which re-checks every invariant after each change (see `thread-pool-executor.ts`):
 *
 * - `pool-size-at-most-max`: the pool never had more than `maximumPoolSize` threads;
 * - `tasks-conserved`: at every instant, submitted = completed + rejected + queued + running, and
 *   the queue held at most its capacity with no thread idle while a task waited;
 * - `above-core-only-after-queue-refused`: threads beyond core were started only after the queue
 *   refused a task (so with an unbounded queue the pool never exceeds core). With core 0, the lone
 *   thread `execute` starts when no thread is alive is not counted.
 *
 * They hold on every run of a correct model: a failure is a bug, shown rather than hidden.
 */
import { formatMs } from "../../kernel/index.ts"
import type { CheckResult } from "../../check/core/index.ts"
import type { ThreadPoolResult } from "./thread-pool-scenario.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type ThreadPoolVerdict = CheckResult

/** `pool-size-at-most-max`: see the file header. */
export function checkPoolSizeAtMostMax(result: ThreadPoolResult, maximumPoolSize: number): ThreadPoolVerdict {
  return {
    name: "pool-size-at-most-max",
    held: result.maxPoolSize <= maximumPoolSize,
    detail: `largest pool ${result.maxPoolSize} thread(s), maximumPoolSize ${maximumPoolSize}`,
  }
}

/** `tasks-conserved`: see the file header. */
export function checkTasksConserved(result: ThreadPoolResult): ThreadPoolVerdict {
  const name = "tasks-conserved"
  if (result.violation !== null) return { name, held: false, detail: `at t=${formatMs(result.violation.t)}: ${result.violation.detail}` }
  const unfinished = result.submitted - result.completed - result.rejected
  return {
    name,
    held: unfinished === 0,
    detail: `held after every change; at the end ${result.submitted} submitted = ${result.completed} completed + ${result.rejected} rejected + ${unfinished} queued or running`,
  }
}

/** `above-core-only-after-queue-refused`: see the file header. */
export function checkAboveCoreOnlyAfterRefusal(result: ThreadPoolResult, corePoolSize: number): ThreadPoolVerdict {
  const name = "above-core-only-after-queue-refused"
  const above = result.firstAboveCoreMs
  const refused = result.firstRefusalMs
  const core = corePoolSize === 0 ? "core 0 (plus the lone thread execute() starts when none is alive)" : `core ${corePoolSize}`
  if (above === null) {
    return { name, held: true, detail: `the pool never exceeded ${core}${refused === null ? "; the queue never refused a task" : ""}` }
  }
  const held = refused !== null && refused <= above
  return {
    name,
    held,
    detail: held
      ? `the pool first exceeded ${core} at t=${formatMs(above)}, when the queue refused a task (first refusal t=${formatMs(refused)})`
      : `the pool exceeded ${core} at t=${formatMs(above)} although the queue had not refused a task`,
  }
}
