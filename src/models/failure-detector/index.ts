/**
 * The failure detector: heartbeats, a fixed-timeout detector, the scenario with its observer, its
 * fault plan from shorthand flags, and its checks.
 */
export {
  checkCrashDetectedWithinTimeout,
  checkNoFalseSuspicion,
  type FailureDetectorVerdict,
} from "./failure-detector-checks.ts"
export {
  ALL_NODES,
  CRASHED_NODE,
  failureDetectorPlan,
  MONITOR,
  PARTITIONED_NODE,
  PAUSED_NODE,
  type ShorthandFaults,
  shorthandFaults,
  WATCHED,
} from "./failure-detector-plan.ts"
export {
  type CrashDetection,
  type FailureDetectorOptions,
  type FailureDetectorResult,
  FailureDetectorScenario,
  type GradedSuspicion,
  type NodeReport,
} from "./failure-detector-scenario.ts"
export {
  type Heartbeat,
  HeartbeatDetector,
  type HeartbeatDetectorOptions,
  type HeartbeatSender,
  type HeardStats,
  startHeartbeats,
  type Suspicion,
} from "./heartbeat-detector.ts"
export { failureDetectorTimeline, type TimelineLine } from "./failure-detector-timeline.ts"
