/**
 * An MLFQ run in the scenario shape: `new MlfqScenario(sim, { jobs, ...options })` loads the jobs;
 * `run(advance)` runs until every job finished and returns the {@link MlfqResult} with
 * `summary()`, the mlfq sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import type { MlfqJobSpec } from "./job-list.ts"
import { Mlfq, type MlfqOptions, type MlfqResult } from "./mlfq.ts"

/** Options of an {@link MlfqScenario}: the jobs, and the MLFQ's options with mlfq.py's defaults. */
export interface MlfqScenarioOptions extends MlfqOptions {
  /** The jobs, numbered from 0 in this order. Required. */
  readonly jobs: readonly MlfqJobSpec[]
}

/** A finished MLFQ run: its result, and `summary()`. */
export type MlfqScenarioResult = MlfqResult & ScenarioResult

/** mlfq's JSON metrics of a run: per job, the averages, the total time and the longest wait. */
export function mlfqSummary(result: MlfqResult): { readonly [metric: string]: JsonValue } {
  return {
    jobs: result.jobs.map((job) => ({ id: job.id, response: job.response, turnaround: job.turnaround })),
    avgResponse: result.avgResponse,
    avgTurnaround: result.avgTurnaround,
    totalTime: result.totalTime,
    longestWait: result.jobs.reduce((longest, job) => Math.max(longest, job.longestWait), 0),
  }
}

/** An MLFQ with its jobs, wired in `sim` (at time 0). */
export class MlfqScenario implements Scenario<MlfqScenarioResult> {
  /** The machine. */
  readonly mlfq: Mlfq

  /** @throws RangeError on bad options or jobs (see {@link Mlfq}) */
  constructor(
    readonly sim: Simulation,
    options: MlfqScenarioOptions,
  ) {
    const { jobs, ...machine } = options
    this.mlfq = new Mlfq(sim, jobs, machine)
  }

  /**
   * Runs until every job finished.
   * @throws Error when `advance` stopped before a job finished
   */
  run(advance: Advance = runUntil): MlfqScenarioResult {
    advance(this.sim, Infinity)
    const result = this.mlfq.result()
    return { ...result, summary: () => mlfqSummary(result) }
  }
}
