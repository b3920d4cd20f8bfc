/**
 * The banker's lesson in the scenario shape: `new BankersScenario(sim, { available, max,
 * allocation, requests })` computes Need, the safety algorithm, the number of safe sequences and
 * each request's verdict (applied in order: a granted request changes the state the next one
 * sees), and tells every step on the simulation's clock; `run(advance)` returns the
 * {@link BankersRunResult}, whose `summary()` is the bankers sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import {
  applyRequests,
  type BankersState,
  countSafeSequences,
  needOf,
  type RequestOutcome,
  safetyAlgorithm,
  type ScanResult,
} from "./bankers.ts"
import type { BankersEvent } from "./deadlock-events.ts"
import { type Matrix, type ProcessRequest, processName, sumRows, addVectors, type Vector } from "./resource-snapshot.ts"
import { narrateSteps, scanSteps } from "./step-narrator.ts"

/** Options of a {@link BankersScenario}: the snapshot and the requests, all required. */
export interface BankersScenarioOptions extends BankersState {
  /** Requests, applied in order. */
  readonly requests: readonly ProcessRequest[]
}

/** A state with what the banker computes about it. */
export interface AnalysedState extends BankersState {
  readonly need: Matrix
  /** The safety algorithm in the pinned scan order. */
  readonly safety: ScanResult
  /** The number of all safe sequences. */
  readonly safeSequenceCount: number
}

/** A finished banker's run. */
export interface BankersRunResult extends ScenarioResult {
  /** Instances of each resource type in all (Available + ΣAllocation), which no request changes. */
  readonly total: Vector
  /** The snapshot before the requests. */
  readonly initial: AnalysedState
  /** Each request's verdict, in order. */
  readonly requests: readonly RequestOutcome[]
  /** The state after the requests. */
  readonly final: AnalysedState
}

/** The safety algorithm and the safe-sequence count of `state`. */
export function analyse(state: BankersState): AnalysedState {
  const need = needOf(state)
  return {
    ...state,
    need,
    safety: safetyAlgorithm(state.available, state.allocation, need),
    safeSequenceCount: countSafeSequences(state.available, state.allocation, need),
  }
}

const names = (order: readonly number[]): string[] => order.map(processName)

/** The bankers sim's JSON metrics (see the sim's metric docs). */
export function bankersSummary(result: Omit<BankersRunResult, "summary">): { readonly [metric: string]: JsonValue } {
  const { initial, final } = result
  return {
    safe: initial.safety.complete,
    safeSequence: initial.safety.complete ? names(initial.safety.order) : null,
    safeSequenceCount: initial.safeSequenceCount,
    need: initial.need,
    total: result.total,
    requests: result.requests.map((outcome) => ({
      process: processName(outcome.process),
      request: outcome.request,
      verdict: outcome.verdict,
      safeSequence: outcome.verdict === "granted" ? names(outcome.pretend!.order) : null,
    })),
    finalState: {
      available: final.available,
      allocation: final.allocation,
      need: final.need,
      safe: final.safety.complete,
      safeSequence: final.safety.complete ? names(final.safety.order) : null,
      safeSequenceCount: final.safeSequenceCount,
    },
  }
}

/** The steps told on the clock: the initial safety check, then each request and its pretend check. */
function bankersSteps(initial: AnalysedState, requests: readonly RequestOutcome[]): BankersEvent[][] {
  const steps: BankersEvent[][] = scanSteps("T0", "safety", initial.available, initial.safety)
  requests.forEach((outcome, k) => {
    const index = k + 1
    const process = processName(outcome.process)
    steps.push([{ type: "RequestMade", index, process, request: outcome.request }])
    if (outcome.pretend !== undefined)
      steps.push(
        ...scanSteps(
          `pretend state of request ${index} (${process})`,
          "safety",
          outcome.pretend.available,
          outcome.pretend,
        ),
      )
    const { verdict, reason } = outcome
    steps.push([{ type: "RequestDecided", index, process, verdict, reason, available: outcome.after.available }])
  })
  return steps
}

/** The banker's algorithm on one snapshot and its requests, told in `sim` (see the file header). */
export class BankersScenario implements Scenario<BankersRunResult> {
  private readonly result: Omit<BankersRunResult, "summary">

  constructor(
    readonly sim: Simulation,
    options: BankersScenarioOptions,
  ) {
    const { requests, ...state } = options
    const initial = analyse(state)
    const outcomes = applyRequests(state, requests)
    const final = analyse(outcomes.length === 0 ? state : outcomes[outcomes.length - 1]!.after)
    const total = addVectors(state.available, sumRows(state.allocation, state.available.length))
    this.result = { total, initial, requests: outcomes, final }
    narrateSteps<BankersEvent>(sim, sim.trace, bankersSteps(initial, outcomes))
  }

  /** Tells every step and returns the result. */
  run(advance: Advance = runUntil): BankersRunResult {
    advance(this.sim, Infinity)
    const result = this.result
    return { ...result, summary: () => bankersSummary(result) }
  }
}
