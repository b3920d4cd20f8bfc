/**
 * The core of the checks layer, the part models may use: the verdict type `{ name, held, detail }`
 * with its helpers, the online `Invariants`, the generic checkers a model's `<x>-checks.ts` builds
 * on (logs, registers, mutual exclusion and fencing, trace checks) and the scenario shape. It sits below `src/models` (see the layer diagram
 * in the README); the generic checkers, arbitraries, the property harness and the explorer
 * (`src/check/index.ts`) sit above models and re-export this core.
 */
export {
  allHeld,
  type CheckResult,
  describeRecord,
  describeVerdict,
  fails,
  holds,
  listSome,
  verdictList,
} from "./check-result.ts"
export { type InvariantPredicate, Invariants, type InvariantsOptions, type InvariantViolation } from "./invariants.ts"
export {
  type AcknowledgedWrite,
  checkLog,
  type LogEntry,
  type LogHistory,
  type LogRead,
  type LogValue,
  offsetRanges,
} from "./log-checker.ts"
export {
  checkAtMostOneHolder,
  checkFencingTokens,
  checkMutualExclusion,
  type HoldInterval,
  type MutualExclusionOptions,
} from "./mutual-exclusion-checker.ts"
export {
  checkRegister,
  type RegisterCheckOptions,
  type RegisterHistory,
  type RegisterValue,
  type RegisterWrite,
} from "./register-checker.ts"
export {
  checkEveryRecord,
  checkNoRecord,
  checkRespondedWithin,
  type RecordSelector,
  type RespondedWithinOptions,
  selectRecords,
} from "./trace-checks.ts"
export { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "./scenario.ts"
export type { LessonSection, RenderTable, TableColumn } from "./lesson-text.ts"
