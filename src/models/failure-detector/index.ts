/**
 * The failure detector: heartbeats, a fixed-timeout detector, its events, the scenario with its
 * observer, its checks and its timeline.
 */
export {
  checkCrashDetectedWithinTimeout,
  checkNoFalseSuspicion,
  type FailureDetectorVerdict,
} from "./failure-detector-checks.ts"
export {
  type FailureDetectorEvent,
  isFailureDetectorEvent,
  type NodeSuspected,
  type NodeTrusted,
  type SilenceEnded,
} from "./failure-detector-events.ts"
export { ALL_NODES, MONITOR, WATCHED } from "./failure-detector-nodes.ts"
export {
  type CrashDetection,
  type FailureDetectorOptions,
  type FailureDetectorResult,
  FailureDetectorScenario,
  type FailureDetectorSummary,
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
export {
  type FailureDetectorRecord,
  failureDetectorTimeline,
  type FailureDetectorTimelineContext,
  isFailureDetectorRecord,
  isTimelineRecord,
  suspicionVerdicts,
} from "./failure-detector-timeline.ts"
export {
  CRASHED_NODE,
  crashLines,
  FAILURE_DETECTOR_METRICS,
  type FailureDetectorLessonParams,
  failureDetectorLesson,
  failureDetectorQuiz,
  failureDetectorReport,
  type FailureDetectorReportOptions,
  failureDetectorTimelineSection,
  faultPlanSection,
  NODE_COLUMNS,
  nodeRows,
  PARTITIONED_NODE,
  PAUSED_NODE,
  pauseLesson,
  type ShowTime,
} from "./failure-detector-lesson.ts"
