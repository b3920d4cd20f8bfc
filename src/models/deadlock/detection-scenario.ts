/**
 * The detection lesson in the scenario shape: `new DetectionScenario(sim, { available,
 * allocation, request, recovery })` runs the detection algorithm, builds the wait-for graph when
 * every resource type has a single instance, recovers from a deadlock with the chosen strategy,
 * and tells every step on the simulation's clock; `run(advance)` returns the
 * {@link DetectionRunResult}, whose `summary()` is the deadlock-detection sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import {
  type DetectionResult,
  type DetectionState,
  detectDeadlock,
  findCycle,
  isSingleInstance,
  type Recovery,
  type RecoveryRound,
  recover,
  totalOf,
  type WaitForEdge,
  waitForGraph,
} from "./deadlock-detection.ts"
import type { DetectionEvent } from "./deadlock-events.ts"
import { processName, type Vector } from "./resource-snapshot.ts"
import { narrateSteps, scanSteps } from "./step-narrator.ts"

/** Options of a {@link DetectionScenario}. */
export interface DetectionScenarioOptions extends DetectionState {
  /** How to break a deadlock. Default `abort-one`. */
  readonly recovery?: Recovery
}

/** The wait-for graph of a single-instance state and its first cycle. */
export interface WaitFor {
  readonly edges: readonly WaitForEdge[]
  /** The processes around the first cycle found, or undefined when there is none. */
  readonly cycle: readonly number[] | undefined
}

/** A finished detection run. */
export interface DetectionRunResult extends ScenarioResult {
  readonly state: DetectionState
  /** Instances of each resource type in all. */
  readonly total: Vector
  readonly recovery: Recovery
  readonly detection: DetectionResult
  /** The wait-for graph, when every resource type has one instance. */
  readonly waitFor: WaitFor | undefined
  /** The recovery rounds (none when nothing was deadlocked). */
  readonly rounds: readonly RecoveryRound[]
  /** Every victim, in the order chosen. */
  readonly victims: readonly number[]
  /** The state after recovery (the initial state when nothing was deadlocked). */
  readonly recovered: DetectionState
  /** The finishing order after recovery, without the aborted processes (rolled-back ones hold nothing and open it). */
  readonly recoveredOrder: readonly number[]
}

const names = (order: readonly number[]): string[] => order.map(processName)

/** An edge as the timeline and the JSON name it: `P1→P2`. */
export function edgeName(edge: WaitForEdge): string {
  return `${processName(edge.from)}→${processName(edge.to)}`
}

/** The deadlock-detection sim's JSON metrics (see the sim's metric docs). */
export function detectionSummary(result: Omit<DetectionRunResult, "summary">): {
  readonly [metric: string]: JsonValue
} {
  return {
    deadlocked: names(result.detection.deadlocked),
    order: names(result.detection.order),
    victims: names(result.victims),
    total: result.total,
    waitForGraph:
      result.waitFor === undefined
        ? null
        : { edges: result.waitFor.edges.map(edgeName), cycle: names(result.waitFor.cycle ?? []) },
    recoveredOrder: names(result.recoveredOrder),
    availableAfterRecovery: result.recovered.available,
  }
}

function detectionSteps(result: Omit<DetectionRunResult, "summary">): DetectionEvent[][] {
  const { state, detection, waitFor, rounds, recovery } = result
  const steps: DetectionEvent[][] = []
  if (waitFor !== undefined)
    steps.push([{ type: "WaitForGraphBuilt", edges: waitFor.edges.map(edgeName), cycle: names(waitFor.cycle ?? []) }])
  steps.push(...scanSteps("the snapshot", "detection", state.available, detection))
  let before = state
  rounds.forEach((round, k) => {
    steps.push(
      round.victims.map((victim) => ({
        type: "VictimRecovered",
        process: processName(victim),
        recovery,
        released: before.allocation[victim]!,
        available: round.state.available,
      })),
    )
    steps.push(
      ...scanSteps(`the state after recovery round ${k + 1}`, "detection", round.state.available, round.detection),
    )
    before = round.state
  })
  return steps
}

/** Detection and recovery on one snapshot, told in `sim` (see the file header). */
export class DetectionScenario implements Scenario<DetectionRunResult> {
  private readonly result: Omit<DetectionRunResult, "summary">

  constructor(
    readonly sim: Simulation,
    options: DetectionScenarioOptions,
  ) {
    const { recovery = "abort-one", ...state } = options
    const detection = detectDeadlock(state)
    const edges = isSingleInstance(state) ? waitForGraph(state) : undefined
    const waitFor = edges === undefined ? undefined : { edges, cycle: findCycle(state.allocation.length, edges) }
    const rounds = recover(state, detection, recovery)
    const victims = rounds.flatMap((round) => round.victims)
    const last = rounds[rounds.length - 1]
    const recovered = last?.state ?? state
    const recoveredOrder = (last?.detection ?? detection).order
    const total = totalOf(state)
    this.result = { state, total, recovery, detection, waitFor, rounds, victims, recovered, recoveredOrder }
    narrateSteps<DetectionEvent>(sim, sim.trace, detectionSteps(this.result))
  }

  /** Tells every step and returns the result. */
  run(advance: Advance = runUntil): DetectionRunResult {
    advance(this.sim, Infinity)
    const result = this.result
    return { ...result, summary: () => detectionSummary(result) }
  }
}
