/**
 * `--realtime FACTOR`: a run paced against the wall clock, FACTOR simulated seconds per real second
 * (for a sim that counts time in ticks or steps, FACTOR of those per second), as SimPy's
 * `RealtimeEnvironment` with `strict=False`: the simulation runs in slices of simulated time and,
 * after each, waits until the wall clock has caught up with it; when the computation is slower than
 * the pace it simply falls behind and does not wait.
 *
 * Pacing never changes what the simulation does: `run({ until: t1 })` then `run({ until: t2 })`
 * processes exactly the events `run({ until: t2 })` does, in the same order (the kernel processes
 * the events strictly before `until` and sets the clock to it, without scheduling anything), so a
 * paced run prints the same report, byte for byte, as an unpaced one.
 *
 * With this file, `progress.ts` and `metrics-server.ts`, `src/cli` is the only layer that reads a
 * wall clock or waits on one; the clock and the wait are injected (tests pass doubles).
 */
import type { RunOptions, RunResult, Simulation } from "../kernel/index.ts"

/** Wall-clock milliseconds between two slices of a paced run. */
export const REALTIME_SLICE_MS = 50

/** What a paced run needs from the outside world. */
export interface RealtimeClock {
  /** Wall-clock milliseconds (`performance.now`). */
  readonly nowMs: () => number
  /** Blocks the thread for `ms` milliseconds (a worker thread keeps serving meanwhile). */
  readonly sleepMs: (ms: number) => void
}

/** The real clock: `performance.now` and a blocking wait on a shared array (`Atomics.wait`). */
export function wallClock(): RealtimeClock {
  const cell = new Int32Array(new SharedArrayBuffer(4))
  return {
    nowMs: () => performance.now(),
    sleepMs: (ms) => {
      if (ms > 0) Atomics.wait(cell, 0, 0, ms)
    },
  }
}

/**
 * Paces runs: each simulation is anchored at its first paced run (its simulated time then, the wall
 * time then), and simulated time `t` is due at `anchorWall + (t − anchorSim) / perMs`.
 */
export class RealtimePacer {
  private readonly anchors = new WeakMap<Simulation, { readonly sim: number; readonly wallMs: number }>()
  /** Simulated time units per wall-clock millisecond. */
  private readonly perMs: number

  /**
   * @param factor simulated seconds per real second (> 0)
   * @param unitSeconds seconds in one unit of the sim's clock (0.001 for ms; 1 for s, ticks, steps)
   * @param clock the wall clock and the wait
   * @param afterSlice called after every slice with the simulated time paced so far (publishes the metrics)
   */
  constructor(
    factor: number,
    unitSeconds: number,
    private readonly clock: RealtimeClock,
    private readonly afterSlice: (sim: Simulation, simTime: number) => void = () => {},
  ) {
    if (!(factor > 0 && factor < Infinity)) throw new RangeError(`factor must be finite and > 0, got ${factor}`)
    this.perMs = factor / unitSeconds / 1000
  }

  /** Wall-clock milliseconds the simulated span `simTime` takes at this pace. */
  wallMsFor(simTime: number): number {
    return simTime / this.perMs
  }

  /**
   * Runs `sim` as `run(sim, options)` would, in slices of about {@link REALTIME_SLICE_MS} of wall
   * time, waiting between slices for the wall clock. Every slice but the last leaves the clock at
   * its last event (`clockToUntil: false`), so the run ends where an unpaced one does; `maxEvents`
   * counts over the whole run.
   */
  run(sim: Simulation, options: RunOptions, run: (sim: Simulation, options: RunOptions) => RunResult): RunResult {
    const anchor = this.anchors.get(sim) ?? { sim: sim.now, wallMs: this.clock.nowMs() }
    this.anchors.set(sim, anchor)
    const until = options.until ?? Infinity
    let remaining = options.maxEvents ?? Infinity
    let events = 0
    const finish = (result: RunResult): RunResult => {
      this.afterSlice(sim, sim.now)
      const total = events + result.events
      if (result.reason === "maxEvents")
        return { ...result, events: total, message: `stopped after ${total} events at t=${sim.now}` }
      return { ...result, events: total }
    }
    for (;;) {
      const due = anchor.sim + (this.clock.nowMs() + REALTIME_SLICE_MS - anchor.wallMs) * this.perMs
      if (due >= until) return finish(run(sim, { ...options, maxEvents: remaining }))
      const target = Math.max(due, sim.now)
      const result = run(sim, { until: target, maxEvents: remaining, clockToUntil: false })
      if (result.reason !== "until") {
        // Stopped, out of events, or nothing left at all: end as an unpaced run does (the clock
        // jumps to a finite `until` when nothing is left before it).
        if (result.reason !== "empty") return finish(result)
        events += result.events
        remaining -= result.events
        return finish(run(sim, { ...options, maxEvents: remaining }))
      }
      events += result.events
      remaining -= result.events
      this.afterSlice(sim, target)
      this.clock.sleepMs(anchor.wallMs + (target - anchor.sim) / this.perMs - this.clock.nowMs())
    }
  }
}
