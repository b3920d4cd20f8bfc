/**
 * Java's `ThreadPoolExecutor` on the kernel: the executor (JDK 17's `execute` and `getTask`
 * decisions), the submitting thread, the lesson's scenario and its checks.
 */
export {
  CALLER_THREAD,
  type ExecuteFate,
  type ExecuteResult,
  type InvariantViolation,
  type PoolEvent,
  type PoolTask,
  REJECTION_POLICIES,
  type RejectionPolicy,
  ThreadPoolExecutor,
  type ThreadPoolOptions,
} from "./thread-pool-executor.ts"
export { submitTasks, type TaskSubmitterOptions } from "./task-submitter.ts"
export { type ThreadPoolResult, ThreadPoolScenario, type ThreadPoolScenarioOptions } from "./thread-pool-scenario.ts"
export { checkAboveCoreOnlyAfterRefusal, checkPoolSizeAtMostMax, checkTasksConserved, type ThreadPoolVerdict } from "./thread-pool-checks.ts"
