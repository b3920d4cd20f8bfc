/**
 * An M/M/c run in the scenario shape: `new MmcScenario(sim, options).run(advance)` wires the queue,
 * runs it until the last customer has left, and returns what it measured beside what Erlang C
 * predicts, with `summary()` giving the mm-queue sim's JSON metrics field for field.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import { type MmcSteadyState, mmcSteadyState } from "./erlang-c.ts"
import { type MmcMeasurements, MmcQueue, type MmcQueueOptions } from "./mmc-queue.ts"

/** Options of an {@link MmcScenario}: the queue's (see {@link MmcQueueOptions} for each default). */
export type MmcScenarioOptions = MmcQueueOptions

/** A finished M/M/c run: its measurements, Erlang C's steady state for the same rates, and the queue. */
export class MmcResult implements ScenarioResult {
  constructor(
    /** The queue, for its gauges (the queue length's change points feed a sparkline). */
    readonly queue: MmcQueue,
    /** What the run measured. */
    readonly measured: MmcMeasurements,
    /** What Erlang C predicts for the same λ, μ and c. */
    readonly steady: MmcSteadyState,
  ) {}

  /** The mm-queue sim's JSON metrics: measured and predicted, null where no steady state exists. */
  summary(): { readonly [metric: string]: JsonValue } {
    const { measured, steady } = this
    return {
      stable: steady.stable,
      meanWait: measured.wait.mean,
      predictedWait: finiteOrNull(steady.meanWait),
      waitStandardError: finiteOrNull(measured.wait.standardError),
      regenerationCycles: measured.wait.cycles,
      p90Wait: measured.p90Wait,
      p99Wait: measured.p99Wait,
      maxWait: measured.maxWait,
      probabilityOfWaiting: measured.probabilityOfWaiting,
      predictedProbabilityOfWaiting: steady.probabilityOfWaiting,
      utilisation: measured.utilisation,
      predictedUtilisation: steady.utilisation,
      meanQueueLength: measured.meanQueueLength,
      predictedQueueLength: finiteOrNull(steady.meanQueueLength),
      maxQueueLength: measured.maxQueueLength,
      meanInSystem: measured.meanInSystem,
      meanTimeInSystem: measured.meanTimeInSystem,
      predictedTimeInSystem: finiteOrNull(steady.meanTimeInSystem),
      throughput: measured.throughput,
      littlesLawProduct: measured.throughput * measured.meanTimeInSystem,
      lastArrivalTime: measured.lastArrivalTime,
    }
  }
}

/** An M/M/c queue wired in `sim`; `run` drives it until every customer has left. */
export class MmcScenario implements Scenario<MmcResult> {
  /** The queue. */
  readonly queue: MmcQueue

  /** @throws RangeError on bad options (see {@link MmcQueue}) */
  constructor(
    readonly sim: Simulation,
    private readonly options: MmcScenarioOptions,
  ) {
    this.queue = new MmcQueue(sim, options)
  }

  /**
   * Runs until the last customer has left and returns the measurements.
   * @throws Error when `advance` stopped before every customer left
   */
  run(advance: Advance = runUntil): MmcResult {
    advance(this.sim, Infinity)
    const steady = mmcSteadyState({ ...this.options, servers: this.options.servers ?? 1 })
    return new MmcResult(this.queue, this.queue.measurements(), steady)
  }
}

/** A finite number, or null where the steady state does not exist (JSON has no Infinity). */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
