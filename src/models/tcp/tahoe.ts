/**
 * Tahoe (4.3BSD-Tahoe, 1988): any loss — a timeout or three duplicate ACKs — halves ssthresh and
 * drops cwnd to one segment, so the sender slow-starts again. It has fast retransmit but no fast
 * recovery. ssthresh follows RFC 5681's `max(FlightSize / 2, 2 * SMSS)`.
 */
import { additiveIncrease, type CongestionControl, type CongestionState, halvedFlight } from "./congestion-control.ts"

/** Tahoe: every loss restarts slow start from one segment. */
export class Tahoe implements CongestionControl {
  readonly name = "tahoe"
  readonly recovery = "tahoe"

  ssthreshAfterLoss(state: CongestionState): number {
    return halvedFlight(state)
  }

  growInAvoidance(state: CongestionState): number {
    return additiveIncrease(state)
  }
}
