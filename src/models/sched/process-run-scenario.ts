/**
 * A process-run run in the scenario shape: `new ProcessRunScenario(sim, { programs, ...options })`
 * loads the processes; `run(advance)` runs until every process is DONE and returns the
 * {@link ProcessRunResult} with `summary()`, the process-run sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import type { Instruction } from "./job-list.ts"
import { ProcessRun, type ProcessRunOptions, type ProcessRunResult } from "./process-run.ts"

/** Options of a {@link ProcessRunScenario}: the programs, and process-run.py's options with its defaults. */
export interface ProcessRunScenarioOptions extends ProcessRunOptions {
  /** One program per process, numbered from 0. Required. */
  readonly programs: readonly (readonly Instruction[])[]
}

/** A finished process-run run: its result, and `summary()`. */
export type ProcessRunScenarioResult = ProcessRunResult & ScenarioResult

/** process-run's JSON metrics of a run: times, busy ticks, utilisations and idle ticks. */
export function processRunSummary(result: ProcessRunResult): { readonly [metric: string]: JsonValue } {
  return {
    totalTime: result.totalTime,
    cpuBusy: result.cpuBusy,
    ioBusy: result.ioBusy,
    cpuUtilisation: result.totalTime > 0 ? result.cpuBusy / result.totalTime : 0,
    ioUtilisation: result.totalTime > 0 ? result.ioBusy / result.totalTime : 0,
    idleWhileAllBlocked: result.idleAllBlocked,
    idleWhileReady: result.idleWithReady,
  }
}

/** Processes on one CPU with parallel I/O, wired in `sim` (at time 0). */
export class ProcessRunScenario implements Scenario<ProcessRunScenarioResult> {
  /** The machine. */
  readonly machine: ProcessRun

  /** @throws RangeError on a bad option (see {@link ProcessRun}) */
  constructor(
    readonly sim: Simulation,
    options: ProcessRunScenarioOptions,
  ) {
    const { programs, ...machine } = options
    this.machine = new ProcessRun(sim, programs, machine)
  }

  /**
   * Runs until every process is DONE.
   * @throws Error when `advance` stopped before a process finished
   */
  run(advance: Advance = runUntil): ProcessRunScenarioResult {
    advance(this.sim, Infinity)
    const result = this.machine.result()
    return { ...result, summary: () => processRunSummary(result) }
  }
}
