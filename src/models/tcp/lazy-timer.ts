/**
 * A timer that is re-armed far more often than it fires (TCP's retransmission timer moves on
 * every ACK): moving the deadline later costs an assignment, not a kernel event. A kernel wake-up
 * is scheduled only when the deadline moves before every pending one; a wake-up that finds the
 * deadline later schedules the next one then.
 */
import type { Simulation } from "../../kernel/index.ts"

/** Slack for comparing a wake-up's time with the deadline it was scheduled for, ms. */
const EPSILON_MS = 1e-9

/** A one-shot timer with a movable deadline (see the file header). */
export class LazyTimer {
  private deadlineMs = Infinity
  /** Times of the pending kernel wake-ups, earliest first. */
  private readonly wakes: number[] = []
  private readonly wake = (): void => this.onWake()

  constructor(
    private readonly sim: Simulation,
    private readonly expire: () => void,
  ) {}

  /** True while a deadline is set. */
  get armed(): boolean {
    return this.deadlineMs !== Infinity
  }

  /** Sets (or moves) the deadline to `atMs`, simulated time, not before now. */
  set(atMs: number): void {
    this.deadlineMs = atMs
    if (this.wakes.length === 0 || this.wakes[0]! > atMs) {
      this.wakes.unshift(atMs)
      this.sim.timeout(atMs - this.sim.now).onProcessed(this.wake)
    }
  }

  /** Clears the deadline: the timer will not expire until set again. */
  stop(): void {
    this.deadlineMs = Infinity
  }

  private onWake(): void {
    this.wakes.shift()
    if (this.deadlineMs - this.sim.now <= EPSILON_MS) {
      this.deadlineMs = Infinity
      this.expire()
    } else if (this.deadlineMs !== Infinity && (this.wakes.length === 0 || this.wakes[0]! > this.deadlineMs)) {
      this.wakes.unshift(this.deadlineMs)
      this.sim.timeout(this.deadlineMs - this.sim.now).onProcessed(this.wake)
    }
  }
}
