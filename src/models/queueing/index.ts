/**
 * Queueing models: the M/M/c queue on the kernel, Erlang's steady-state formulas to compare it
 * with, and the regenerative estimator that gives its measured mean an honest error bar.
 */
export { erlangB, erlangC, type MmcRates, type MmcSteadyState, mmcSteadyState } from "./erlang-c.ts"
export { type MmcMeasurements, MmcQueue, type MmcQueueOptions, type QueueEvent } from "./mmc-queue.ts"
export {
  checkLittlesLaw,
  checkWaitMatchesErlangC,
  LITTLES_LAW_RELATIVE_TOLERANCE,
  MIN_REGENERATION_CYCLES,
  WAIT_TOLERANCE_STANDARD_ERRORS,
} from "./queueing-checks.ts"
export { type RegenerativeEstimate, RegenerativeEstimator } from "./regenerative-estimator.ts"
