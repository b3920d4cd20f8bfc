/**
 * A CPU scheduling run in the scenario shape: `new ScheduleScenario(sim, { jobs, policy, ... })`
 * wires the CPU, the disk and one process per job; `run(advance)` runs until every job completed
 * and returns the {@link ScheduleResult} with `summary()`, the cpu-sched sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import { type JobSpec, type ScheduleOptions, type ScheduleResult, ScheduleRun } from "./schedule-run.ts"

/** Options of a {@link ScheduleScenario}: the jobs, and the CPU's options with their defaults. */
export interface ScheduleScenarioOptions extends ScheduleOptions {
  /** The jobs, numbered from 0 in this order. Required. */
  readonly jobs: readonly JobSpec[]
}

/** A finished scheduling run: its result, and `summary()`. */
export type ScheduleScenarioResult = ScheduleResult & ScenarioResult

/** cpu-sched's JSON metrics of a run: per job, then the averages and totals. */
export function scheduleSummary(result: ScheduleResult): { readonly [metric: string]: JsonValue } {
  return {
    jobs: result.jobs.map((job) => ({
      id: job.id,
      arrival: job.arrival,
      burst: job.burst,
      response: job.response,
      turnaround: job.turnaround,
      wait: job.wait,
      completion: job.completion,
    })),
    avgResponse: result.avgResponse,
    avgTurnaround: result.avgTurnaround,
    avgWait: result.avgWait,
    makespan: result.makespan,
    cpuUtilisation: result.cpuUtilisation,
    ioUtilisation: result.ioUtilisation,
    throughput: result.throughput,
    contextSwitches: result.contextSwitches,
    preemptions: result.preemptions,
  }
}

/** Jobs on a CPU and a disk, wired in `sim`. */
export class ScheduleScenario implements Scenario<ScheduleScenarioResult> {
  /** The jobs' run: the CPU, the disk and the jobs' processes. */
  readonly schedule: ScheduleRun

  /** @throws RangeError on a bad job or option (see {@link ScheduleRun}) */
  constructor(
    readonly sim: Simulation,
    options: ScheduleScenarioOptions,
  ) {
    const { jobs, ...cpu } = options
    this.schedule = new ScheduleRun(sim, jobs, cpu)
  }

  /**
   * Runs until every job completed.
   * @throws Error when `advance` stopped before a job completed
   */
  run(advance: Advance = runUntil): ScheduleScenarioResult {
    advance(this.sim, Infinity)
    const result = this.schedule.result()
    return { ...result, summary: () => scheduleSummary(result) }
  }
}
