/**
 * Reno (RFC 5681): fast retransmit on the third duplicate ACK, then fast recovery — ssthresh =
 * `max(FlightSize / 2, 2 * SMSS)`, cwnd = ssthresh + 3 segments, one more segment per further
 * duplicate ACK (inflation), and cwnd = ssthresh on the first ACK of new data (deflation). A
 * timeout still drops cwnd to one segment.
 */
import { additiveIncrease, type CongestionControl, type CongestionState, halvedFlight } from "./congestion-control.ts"

/** Reno: halve on a triple duplicate ACK and recover fast; one segment after a timeout. */
export class Reno implements CongestionControl {
  readonly name = "reno"
  readonly recovery = "reno"

  ssthreshAfterLoss(state: CongestionState): number {
    return halvedFlight(state)
  }

  growInAvoidance(state: CongestionState): number {
    return additiveIncrease(state)
  }
}
