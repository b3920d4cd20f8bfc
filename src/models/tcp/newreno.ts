/**
 * NewReno (RFC 6582): Reno's fast recovery, but it remembers `recover`, the highest sequence
 * number sent when recovery began. An ACK that acknowledges new data short of `recover` (a partial
 * ACK) means another segment of the same window was lost: the sender retransmits it at once and
 * stays in fast recovery, so several losses in one window cost one halving, not several (and no
 * timeout). The sender carries that logic (recovery style `newreno`); the window arithmetic is
 * Reno's.
 */
import { additiveIncrease, type CongestionControl, type CongestionState, halvedFlight } from "./congestion-control.ts"

/** NewReno: Reno's arithmetic with recovery through partial ACKs. */
export class NewReno implements CongestionControl {
  readonly name = "newreno"
  readonly recovery = "newreno"

  ssthreshAfterLoss(state: CongestionState): number {
    return halvedFlight(state)
  }

  growInAvoidance(state: CongestionState): number {
    return additiveIncrease(state)
  }
}
