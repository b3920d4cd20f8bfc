/**
 * The typed trace of the per-round idealisation (docs/tcp-rounds.md): one record per transmission
 * round, and one per loss detected at the end of a round.
 */
import type { LossKind, RoundPhase } from "./tcp-rounds.ts"

/** The sender sent a window of `cwnd` segments in `round` (at simulated time `round`). */
export interface RoundSent {
  readonly type: "RoundSent"
  readonly round: number
  readonly cwnd: number
  readonly ssthresh: number
  readonly phase: RoundPhase
  /** Segments sent in rounds 1..round. */
  readonly sentThrough: number
}

/** A loss was detected at the end of `round`; the sender set ssthresh and the next round's cwnd. */
export interface LossDetected {
  readonly type: "LossDetected"
  readonly round: number
  readonly kind: LossKind
  /** cwnd during the round. */
  readonly cwnd: number
  readonly ssthresh: number
  readonly nextCwnd: number
  readonly nextPhase: RoundPhase
}

/** Everything the per-round model records. */
export type TcpRoundsEvent = RoundSent | LossDetected
