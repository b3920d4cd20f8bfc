/**
 * The core of the checks layer, the part models may use: the verdict type `{ name, held, detail }`
 * with its helpers, and the online `Invariants`. It sits below `src/models` (see the layer diagram
 * in the README); the generic checkers, arbitraries, the property harness and the explorer
 * (`src/check/index.ts`) sit above models and re-export this core.
 */
export { allHeld, type CheckResult, describeRecord, describeVerdict, fails, holds, listSome, verdictList } from "./check-result.ts"
export { type InvariantPredicate, Invariants, type InvariantsOptions, type InvariantViolation } from "./invariants.ts"
