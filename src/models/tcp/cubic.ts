/**
 * CUBIC (RFC 9438): the window grows as a cubic function of the time since the last loss, not of
 * the number of round trips, so flows with long RTTs are not starved and fat pipes refill quickly.
 *
 * After a loss at window W_max the window drops to β·W_max (β = 0.7) and then follows
 * `W_cubic(t) = C·(t − K)³ + W_max` (C = 0.4, t in seconds since the congestion-avoidance epoch
 * began, windows in segments), with `K = ∛((W_max − cwnd_epoch) / C)` the time it takes to climb
 * back to W_max: concave below W_max (fast, then cautious near the old loss point), convex above
 * it (probing for more). Per ACK, cwnd moves a `1/cwnd` share of the way to the target
 * `W_cubic(t + RTT)`, clamped to at most 1.5·cwnd. Where Reno would be faster — the Reno-friendly
 * estimate `W_est` grows by `α = 3(1 − β)/(1 + β)` segments per round trip, and by 1 once it passes
 * the window before the loss — cwnd follows W_est instead. Fast convergence: a loss below the
 * previous W_max sets `W_max = cwnd·(1 + β)/2`, leaving room to newer flows.
 *
 * Recovery from a triple duplicate ACK is NewReno's (the sender's `newreno` style), with ssthresh =
 * `max(β·cwnd, 2 segments)`. Left out on purpose: HyStart (slow start is RFC 5681's).
 */
import type { CongestionControl, CongestionState } from "./congestion-control.ts"

/** C of RFC 9438: the cubic's scale, segments per second cubed. */
export const CUBIC_C = 0.4
/** β_cubic of RFC 9438: the multiplicative decrease factor. */
export const CUBIC_BETA = 0.7

/** α_cubic of the Reno-friendly region for a decrease factor β: `3(1 − β)/(1 + β)` (0.529412 for 0.7). */
export function renoFriendlyAlpha(beta = CUBIC_BETA): number {
  return (3 * (1 - beta)) / (1 + beta)
}

/**
 * K, seconds: how long the cubic takes from `cwndEpoch` back to `wMax` (segments);
 * `∛((W_max − cwnd_epoch)/C)`, 0 when the epoch starts at or above W_max.
 */
export function cubicK(wMax: number, cwndEpoch: number, c = CUBIC_C): number {
  return wMax > cwndEpoch ? Math.cbrt((wMax - cwndEpoch) / c) : 0
}

/** W_cubic(t) = C·(t − K)³ + W_max, segments, for `tS` seconds into the epoch. */
export function cubicWindow(tS: number, wMax: number, k: number, c = CUBIC_C): number {
  return c * (tS - k) ** 3 + wMax
}

/** Options of {@link Cubic}; every field has a default. */
export interface CubicOptions {
  /** Apply fast convergence. Default true. */
  readonly fastConvergence?: boolean
}

/** CUBIC: cubic growth in time since the last loss, with a Reno-friendly floor (see the file header). */
export class Cubic implements CongestionControl {
  readonly name = "cubic"
  readonly recovery = "newreno"
  /** W_max: the window (segments) at the last loss, after fast convergence. 0 before any loss. */
  wMax = 0
  /** The window (segments) just before the last reduction: where α_cubic becomes 1. */
  private cwndPrior = 0
  /** When the current congestion-avoidance epoch began (ms), or -1 when none has. */
  private epochStartMs = -1
  /** K (s) and the cubic's plateau (segments) for the current epoch. */
  private k = 0
  private origin = 0
  /** W_est, segments. */
  private wEst = 0
  private readonly fastConvergence: boolean

  constructor(options: CubicOptions = {}) {
    this.fastConvergence = options.fastConvergence ?? true
  }

  ssthreshAfterLoss(state: CongestionState): number {
    const cwnd = state.cwndBytes / state.mssBytes
    this.wMax = this.fastConvergence && cwnd < this.wMax ? (cwnd * (1 + CUBIC_BETA)) / 2 : cwnd
    this.cwndPrior = cwnd
    this.epochStartMs = -1
    return Math.max(state.cwndBytes * CUBIC_BETA, 2 * state.mssBytes)
  }

  growInAvoidance(state: CongestionState, ackedBytes: number, nowMs: number): number {
    const mss = state.mssBytes
    const cwnd = state.cwndBytes / mss
    if (this.epochStartMs < 0) this.startEpoch(cwnd, nowMs)
    const tS = (nowMs - this.epochStartMs) / 1000
    const rttS = (state.srttMs ?? 0) / 1000
    const alpha = this.wEst >= this.cwndPrior ? 1 : renoFriendlyAlpha()
    this.wEst += (alpha * (ackedBytes / mss)) / cwnd
    if (cubicWindow(tS, this.origin, this.k) < this.wEst) return Math.max(cwnd, this.wEst) * mss
    const target = Math.min(1.5 * cwnd, Math.max(cwnd, cubicWindow(tS + rttS, this.origin, this.k)))
    return (cwnd + (target - cwnd) / cwnd) * mss
  }

  private startEpoch(cwnd: number, nowMs: number): void {
    this.epochStartMs = nowMs
    this.wEst = cwnd
    if (cwnd < this.wMax) {
      this.k = cubicK(this.wMax, cwnd)
      this.origin = this.wMax
    } else {
      this.k = 0
      this.origin = cwnd
    }
  }
}
