/**
 * The shape every model's scenario takes, so a sim, a property test and the explorer drive any
 * model the same way:
 *
 * ```ts
 * const scenario = new LockScenario(sim, options) // wires actors, network, fault plan and observer
 * const result = scenario.run(advance)            // advances the simulation, returns what it measured
 * result.summary()                                // the sim's JSON `metrics`, field for field
 * ```
 *
 * `advance` moves the simulation to a time: `runUntil` (plain `sim.run({ until })`) by default; the
 * command-line runner passes one that shows progress and enforces the run budget, and a property
 * test may pass one that stops early. A scenario computes its result from the events and the
 * public final state of its actors; the verdicts are the model's `<x>-checks.ts`, applied to that
 * result, and the story is the model's `<x>-timeline.ts`, applied to its typed trace records.
 */
import type { Simulation } from "../../kernel/index.ts"

/** A JSON value: what a result's summary holds. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** Moves `sim` forward to simulated time `until` (or less, if the caller stops it early). */
export type Advance = (sim: Simulation, until: number) => void

/** The default {@link Advance}: `sim.run({ until })`. */
export const runUntil: Advance = (sim, until) => void sim.run({ until })

/** What a scenario's `run` returns. */
export interface ScenarioResult {
  /** The numbers a sim reports as its JSON `metrics`, in the order it prints them. */
  summary(): { readonly [metric: string]: JsonValue }
}

/** A model wired for one run: `new XScenario(sim, options)`, then `run(advance)`. */
export interface Scenario<R extends ScenarioResult = ScenarioResult> {
  /** The simulation the scenario was built in. */
  readonly sim: Simulation
  /** Runs the scenario to its end (or as far as `advance` goes) and returns what it measured. */
  run(advance?: Advance): R
}
