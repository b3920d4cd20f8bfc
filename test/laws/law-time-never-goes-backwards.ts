/**
 * Law: simulated time never goes backwards.
 *
 * The kernel's clock only moves forward, to the time of the event it processes. The law drives a
 * simulation one `step()` at a time and checks, at every step, that `peek()` announced a time no
 * earlier than the clock and that the step moved the clock exactly there. A second helper checks
 * the same on a finished trace: record times are non-decreasing and `seq` counts 0, 1, 2...
 *
 * Left out: wall-clock behaviour (there is none) and liveness (see the checker laws).
 */
import type { Simulation } from "../../src/kernel/simulation.ts"
import type { TraceRecord } from "../../src/kernel/trace.ts"

/** Options of {@link lawTimeNeverGoesBackwards}. */
export interface TimeLawOptions {
  /** Stop before any event at or after this time. Default: run until no event is left. */
  readonly until?: number
  /** Most steps to take; exceeding it fails the law (a livelock). Default 1_000_000. */
  readonly maxSteps?: number
}

/** What the law saw when it held. */
export interface TimeLawReport {
  /** Steps taken. */
  readonly steps: number
  /** The clock at the end. */
  readonly endTime: number
}

/**
 * Runs `sim` step by step, checking the clock at every step.
 * @throws Error naming the step, the clock and the announced time when the clock went backwards or
 *   did not land where `peek()` said
 */
export function lawTimeNeverGoesBackwards(sim: Simulation, options: TimeLawOptions = {}): TimeLawReport {
  const until = options.until ?? Infinity
  const maxSteps = options.maxSteps ?? 1_000_000
  let steps = 0
  for (;;) {
    const before = sim.now
    const next = sim.peek()
    if (next < before) {
      throw new Error(`time went backwards: at step ${steps} the clock is ${before} but the next event is at ${next}`)
    }
    if (next === Infinity || next >= until) break
    if (steps >= maxSteps) {
      throw new Error(
        `more than ${maxSteps} steps by t=${before}: a livelock? (raise maxSteps if the model is that long)`,
      )
    }
    if (!sim.step()) throw new Error(`peek() announced an event at t=${next} but step() found none`)
    steps++
    if (sim.now !== next) {
      throw new Error(`step ${steps} moved the clock from ${before} to ${sim.now}, but peek() announced ${next}`)
    }
  }
  return { steps, endTime: sim.now }
}

/**
 * Checks a finished trace: times never decrease and `seq` numbers the records consecutively.
 * @throws Error naming the first offending record and the one before it
 */
export function lawTraceTimeNeverGoesBackwards(records: readonly TraceRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const previous = records[i - 1]!
    const record = records[i]!
    if (record.t < previous.t) {
      throw new Error(
        `trace time went backwards at record #${i}: ${JSON.stringify(record)} after ${JSON.stringify(previous)}`,
      )
    }
    if (record.seq !== previous.seq + 1) {
      throw new Error(`trace seq jumped at record #${i}: ${previous.seq} then ${record.seq}`)
    }
  }
}
