/**
 * Queueing models: the M/M/c queue on the kernel (its events, scenario, checks and timeline),
 * Erlang's steady-state formulas to compare it with, and the regenerative estimator that gives its
 * measured mean an honest error bar.
 */
export { erlangB, erlangC, type MmcRates, type MmcSteadyState, mmcSteadyState } from "./erlang-c.ts"
export { type MmcMeasurements, MmcQueue, type MmcQueueOptions } from "./mmc-queue.ts"
export { MmcResult, MmcScenario, type MmcScenarioOptions } from "./mmc-scenario.ts"
export {
  checkLittlesLaw,
  checkWaitMatchesErlangC,
  LITTLES_LAW_RELATIVE_TOLERANCE,
  MIN_REGENERATION_CYCLES,
  WAIT_TOLERANCE_STANDARD_ERRORS,
} from "./queueing-checks.ts"
export {
  type CustomerArrived,
  type CustomerDeparted,
  QUEUEING_EVENT_TYPES,
  type QueueingEvent,
  type ServiceStarted,
} from "./queueing-events.ts"
export { describeQueueingRecord, isQueueingRecord } from "./queueing-timeline.ts"
export { type RegenerativeEstimate, RegenerativeEstimator } from "./regenerative-estimator.ts"
export {
  comparisonSection,
  instabilityLesson,
  littlesLawSection,
  longerRun,
  MM_QUEUE_METRICS,
  mmQueueQuiz,
  mmQueueTimeline,
} from "./mm-queue-lesson.ts"
