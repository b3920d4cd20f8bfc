/**
 * Checks and the property-testing harness: verdicts, online invariants, trace checkers, generic
 * checkers (logs, registers, mutual exclusion), fault-plan arbitraries and swarm plans, the
 * fast-check harness (`expectHolds`, `expectCounterexample`) and the bounded exhaustive explorer.
 * The validation and description of fault plans live in `src/net` and are re-exported here.
 * Import from here: `import { expectHolds, faultPlanArbitrary } from "../src/check/index.ts"`.
 */
export {
  allHeld,
  type CheckResult,
  describeRecord,
  describeVerdict,
  fails,
  holds,
  type InvariantPredicate,
  Invariants,
  type InvariantsOptions,
  type InvariantViolation,
  listSome,
  verdictList,
} from "./core/index.ts"
export {
  type ChoiceStep,
  describeSchedule,
  explore,
  type ExploreCut,
  type ExploredRun,
  type ExploreOptions,
  type ExploreReport,
  replaySchedule,
  type Schedule,
} from "./explore.ts"
export { type FaultKind, faultPlanArbitrary, type FaultPlanArbitraryOptions } from "./fault-plan-arbitrary.ts"
export {
  describeFault,
  describeFaultPlan,
  describeFaultPlanLines,
  faultPlanProblems,
  type FaultPlanValidationOptions,
} from "../net/index.ts"
export {
  type AcknowledgedWrite,
  checkLog,
  type LogEntry,
  type LogHistory,
  type LogRead,
  type LogValue,
  offsetRanges,
} from "./core/log-checker.ts"
export {
  checkAtMostOneHolder,
  checkFencingTokens,
  checkMutualExclusion,
  type HoldInterval,
  type MutualExclusionOptions,
} from "./core/mutual-exclusion-checker.ts"
export {
  type Counterexample,
  expectCounterexample,
  expectHolds,
  type HoldsReport,
  type PropertyOptions,
  replayCommand,
  type SimReplay,
} from "./property-harness.ts"
export {
  checkRegister,
  type RegisterCheckOptions,
  type RegisterHistory,
  type RegisterValue,
  type RegisterWrite,
} from "./core/register-checker.ts"
export { shellQuote } from "./shell-quote.ts"
export {
  swarm,
  type SwarmConfig,
  swarmFaultPlan,
  swarmOptions,
  type SwarmKindOptions,
  type SwarmOptions,
  describeSwarm,
} from "./swarm.ts"
export {
  checkEveryRecord,
  checkNoRecord,
  checkRespondedWithin,
  type RecordSelector,
  type RespondedWithinOptions,
  selectRecords,
} from "./core/trace-checks.ts"
