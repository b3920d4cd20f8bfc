/**
 * Java's `ThreadPoolExecutor` on the kernel: the executor (JDK 17's `execute` and `getTask`
 * decisions), its typed events, the submitting thread, the lesson's scenario, its checks and its
 * timeline.
 */
export {
  type ExecuteFate,
  type ExecuteResult,
  type PoolTask,
  REJECTION_POLICIES,
  type RejectionPolicy,
  ThreadPoolExecutor,
  type ThreadPoolOptions,
} from "./thread-pool-executor.ts"
export {
  CALLER_THREAD,
  type ExecuteReturned,
  isThreadPoolEvent,
  type KeepAliveExpired,
  type OfferRefused,
  QUEUE_PREVIEW,
  type TaskCompleted,
  type TaskQueued,
  type TaskRejected,
  type TaskStarted,
  type TaskSubmitted,
  THREAD_POOL_EVENT_TYPES,
  type ThreadPoolEvent,
  type WorkerIdled,
  type WorkerRetired,
  type WorkerStarted,
} from "./thread-pool-events.ts"
export { submitTasks, type TaskSubmitterOptions } from "./task-submitter.ts"
export {
  type InstantState,
  startedOutOfOrder,
  type ThreadPoolResult,
  ThreadPoolScenario,
  type ThreadPoolScenarioOptions,
} from "./thread-pool-scenario.ts"
export {
  type AuditedRun,
  checkAboveCoreOnlyAfterRefusal,
  checkPoolSizeAtMostMax,
  checkTasksConserved,
  POOL_STATE_INVARIANT,
  ThreadPoolAudit,
  threadPoolChecks,
  type ThreadPoolLimits,
  type ThreadPoolVerdict,
} from "./thread-pool-checks.ts"
export {
  describePool,
  describeQueue,
  describeThreadPoolEvent,
  inThreadPoolTimeline,
  POLICY_CLASS,
  showsInTimeline,
  type ThreadPoolSettings,
  threadPoolTimeline,
  type ThreadPoolTimelineLine,
} from "./thread-pool-timeline.ts"
export {
  chartEndMs,
  idList,
  plural,
  tasksSection,
  THREAD_POOL_METRICS,
  threadPoolLesson,
  threadPoolQuiz,
  type ThreadPoolRun,
  workload,
} from "./thread-pool-lesson.ts"
