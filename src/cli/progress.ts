/**
 * Progress of a long run on stderr, while stderr is a terminal: simulated time reached, events
 * processed and events per wall-clock second, redrawn in place a few times a second and erased
 * when the run ends.
 *
 * This is the one place in `src/` that reads a wall clock, and only to report speed: the clock is
 * injected, and nothing it returns reaches the simulation, stdout or a report. A run shorter than
 * {@link PROGRESS_DELAY_MS} shows nothing at all.
 */
import type { TimeFormat } from "./define-sim.ts"
import { formatCount } from "./format-number.ts"
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
   */
  constructor(
    private readonly output: TextOutput,
    private readonly clockMs: () => number,
    private readonly time: TimeFormat = {},
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
    const line = `  running: t=${formatTime(simTime, this.time)}  ${formatCount(events)} events  ${formatCount(rate)} events/s`
    this.output.write(`\r\x1b[K${line}`)
    this.shown = true
  }

  /** Erases the line if one was drawn. */
  end(): void {
    if (this.shown) this.output.write("\r\x1b[K")
    this.shown = false
  }
}
