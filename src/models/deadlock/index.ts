/**
 * Deadlock avoidance, detection and recovery on snapshots (Silberschatz ch. 8): the banker's
 * safety and resource-request algorithms with a pinned scan order and every safe sequence counted,
 * multi-instance detection, the wait-for graph of single-instance resources, recovery by abort or
 * preemption; the input formats, random problems, the scenarios that tell each step on the clock,
 * their timeline and checks.
 */
export {
  applyRequests,
  type BankersState,
  countSafeSequences,
  evaluateRequest,
  needOf,
  pinnedScan,
  type RequestOutcome,
  type RequestVerdict,
  safetyAlgorithm,
  type ScanResult,
  type ScanStep,
} from "./bankers.ts"
export {
  type AnalysedState,
  analyse,
  BankersScenario,
  type BankersScenarioOptions,
  type BankersRunResult,
  bankersSummary,
} from "./bankers-scenario.ts"
export {
  bankersChecks,
  checkAllocationWithinMax,
  checkDetection,
  checkRecovery,
  checkResourcesConserved,
  checkSafeSequencesValid,
  checkSafeStateStaysSafe,
  checkWaitForCycle,
  detectionChecks,
  detectionProblem,
  safeSequenceProblem,
} from "./deadlock-checks.ts"
export {
  chooseVictim,
  type DetectionResult,
  type DetectionState,
  detectDeadlock,
  findCycle,
  isSingleInstance,
  RECOVERIES,
  type Recovery,
  type RecoveryRound,
  recover,
  totalOf,
  type WaitForEdge,
  waitForGraph,
} from "./deadlock-detection.ts"
export type * from "./deadlock-events.ts"
export { type DeadlockTimelineLine, deadlockTimeline, isDeadlockRecord } from "./deadlock-timeline.ts"
export {
  DetectionScenario,
  type DetectionScenarioOptions,
  type DetectionRunResult,
  detectionSummary,
  edgeName,
  type WaitFor,
} from "./detection-scenario.ts"
export { RANDOM_REQUESTS, randomBankersSnapshot, randomDetectionSnapshot } from "./random-snapshot.ts"
export {
  addVectors,
  firstExcess,
  fitsWithin,
  formatVector,
  type Matrix,
  MAX_COUNT,
  MAX_PROCESSES,
  MAX_RESOURCES,
  matrixText,
  type Parsed,
  parseMatrix,
  parseRequests,
  parseVector,
  type ProcessRequest,
  processName,
  requestsText,
  requestsProblem,
  resourceName,
  shapeProblem,
  subtractVectors,
  sumRows,
  type Vector,
  vectorText,
  vectorTotal,
} from "./resource-snapshot.ts"
export { narrateSteps, scanSteps } from "./step-narrator.ts"
