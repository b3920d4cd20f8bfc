/**
 * Progress of a long run on stderr, while stderr is a terminal: simulated time reached of the total
 * the sim estimated, the percentage, events processed, events per wall-clock second and the time
 * left (ETA, from the share of simulated time done so far), redrawn in place a few times a second
 * and erased when the run ends:
 *
 *     running: t=1,234.5ms of 3,000.0ms (41%)  1,020,000 events  512,000 events/s  ETA 3s
 *
 * When stderr is not a terminal nothing is drawn: the budget (`RUN_BUDGET`) keeps every run under
 * about a minute, and a log file or a pipe has no use for a line redrawn in place.
 *
 * This is the one place in `src/` that reads a wall clock, and only to report speed: the clock is
 * injected, and nothing it returns reaches the simulation, stdout or a report. A run shorter than
 * {@link PROGRESS_DELAY_MS} shows nothing at all.
 */
import type { TimeFormat } from "./define-sim.ts"
import { formatCount } from "../kernel/format.ts"
import { formatTime } from "./timeline.ts"

/** Wall-clock milliseconds before the first progress line appears. */
export const PROGRESS_DELAY_MS = 500
/** Wall-clock milliseconds between redraws. */
export const PROGRESS_INTERVAL_MS = 250

/** Something text can be written to (stdout, stderr, or a test double). */
export interface TextOutput {
  write(text: string): unknown
  /** True when the output is a terminal. */
  readonly isTTY?: boolean
}

/** Draws and erases the progress line. */
export class Progress {
  private readonly startMs: number
  private lastDrawMs = -Infinity
  private shown = false

  /**
   * @param output where the line is drawn (a terminal's stderr)
   * @param clockMs wall-clock milliseconds (`performance.now`)
   * @param time how simulated time is shown
   * @param totalSimTime the simulated time the run will reach (the sim's estimate); 0: unknown,
   *   then neither percentage nor ETA is shown
   */
  constructor(
    private readonly output: TextOutput,
    private readonly clockMs: () => number,
    private readonly time: TimeFormat = {},
    private readonly totalSimTime = 0,
  ) {
    this.startMs = clockMs()
  }

  /** Redraws the line if it is time to: `simTime` reached and `events` processed so far. */
  update(simTime: number, events: number): void {
    const nowMs = this.clockMs()
    const elapsedMs = nowMs - this.startMs
    if (elapsedMs < PROGRESS_DELAY_MS || nowMs - this.lastDrawMs < PROGRESS_INTERVAL_MS) return
    this.lastDrawMs = nowMs
    const rate = events / (elapsedMs / 1000)
    const [of, eta] = this.share(simTime, elapsedMs)
    const line = `  running: t=${formatTime(simTime, this.time)}${of}  ${formatCount(events)} events  ${formatCount(rate)} events/s${eta}`
    this.output.write(`\r\x1b[K${line}`)
    this.shown = true
  }

  /** `[" of <total> (<percent>)", "  ETA <s>"]`; the ETA once some simulated time has passed; `["", ""]` without a total. */
  private share(simTime: number, elapsedMs: number): [string, string] {
    if (!(this.totalSimTime > 0)) return ["", ""]
    const done = Math.min(1, Math.max(0, simTime / this.totalSimTime))
    const of = ` of ${formatTime(this.totalSimTime, this.time)} (${Math.floor(done * 100)}%)`
    if (done <= 0) return [of, ""]
    const leftSeconds = ((elapsedMs / 1000) * (1 - done)) / done
    return [of, `  ETA ${formatCount(Math.ceil(leftSeconds))}s`]
  }

  /** Erases the line if one was drawn. */
  end(): void {
    if (this.shown) this.output.write("\r\x1b[K")
    this.shown = false
  }
}
