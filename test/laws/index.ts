/**
 * Law helpers that every model's test suite reuses: same seed → same trace, time never goes
 * backwards, checkers accept fault-free runs and reject known-bad ones, and seeded fast-check runs.
 * Import from here: `import { lawSameSeedSameTrace } from "../laws/index.ts"`.
 */
export { checkProperty, type CheckPropertyOptions, FC_SEED, replayCommand } from "./check-property.ts"
export {
  type Checker,
  type CheckResult,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  type RejectionExpectation,
} from "./law-checker.ts"
export {
  describeDivergence,
  lawSameSeedSameTrace,
  type SameSeedOptions,
  type SameSeedReport,
  type TracedRun,
  tracedRunOf,
} from "./law-same-seed-same-trace.ts"
export {
  lawTimeNeverGoesBackwards,
  lawTraceTimeNeverGoesBackwards,
  type TimeLawOptions,
  type TimeLawReport,
} from "./law-time-never-goes-backwards.ts"
