/**
 * The one interface every congestion-control strategy implements, and what they share: the
 * initial window and the loss response of RFC 5681.
 *
 * The sender (`tcp-sender.ts`) owns the mechanics every TCP has — slow start, counting duplicate
 * ACKs, retransmitting, the timer — and asks its strategy two questions: how large should ssthresh
 * be after this loss, and how much should cwnd grow on this ACK in congestion avoidance. How the
 * sender recovers from a triple duplicate ACK is the strategy's `recovery` style: Tahoe's (cwnd to
 * one segment, slow start), Reno's (fast recovery, leave it on the first new ACK) or NewReno's
 * (stay in fast recovery through partial ACKs until `recover` is acknowledged).
 *
 * Windows are in bytes, times in ms.
 */

/** The congestion-control algorithms there are, in the order `--help` lists them. */
export const ALGORITHMS = ["tahoe", "reno", "newreno", "cubic"] as const

/** One of {@link ALGORITHMS}. */
export type Algorithm = (typeof ALGORITHMS)[number]

/** How a sender recovers from a triple duplicate ACK (see the file header). */
export type RecoveryStyle = "tahoe" | "reno" | "newreno"

/** What a loss was noticed by: a third duplicate ACK, or the retransmission timer. */
export type LossSignal = "dup-acks" | "timeout"

/** What a strategy may read of its sender. */
export interface CongestionState {
  /** The congestion window, bytes. */
  readonly cwndBytes: number
  /** The slow-start threshold, bytes (Infinity before the first loss). */
  readonly ssthreshBytes: number
  /** Bytes sent and not yet acknowledged (FlightSize). */
  readonly flightBytes: number
  /** The sender's maximum segment size (SMSS), bytes. */
  readonly mssBytes: number
  /** The smoothed round-trip time, ms, or undefined before the first sample. */
  readonly srttMs: number | undefined
}

/** A congestion-control strategy: its answers to the sender's two questions. */
export interface CongestionControl {
  /** Its name, as `--algorithm` spells it. */
  readonly name: Algorithm
  /** How the sender recovers from a triple duplicate ACK. */
  readonly recovery: RecoveryStyle
  /** ssthresh after a loss noticed by `signal` at `nowMs` (before cwnd changes), bytes. */
  ssthreshAfterLoss(state: CongestionState, signal: LossSignal, nowMs: number): number
  /** cwnd after an ACK of `ackedBytes` new bytes in congestion avoidance, bytes. */
  growInAvoidance(state: CongestionState, ackedBytes: number, nowMs: number): number
}

/**
 * The initial window of RFC 5681 section 3.1, bytes: "If SMSS > 2190 bytes: IW = 2 * SMSS bytes
 * and MUST NOT be more than 2 segments; if (SMSS > 1095 bytes) and (SMSS <= 2190 bytes): IW = 3 *
 * SMSS bytes and MUST NOT be more than 3 segments; if SMSS <= 1095 bytes: IW = 4 * SMSS bytes and
 * MUST NOT be more than 4 segments."
 */
export function initialWindowBytes(mssBytes: number): number {
  if (mssBytes > 2190) return 2 * mssBytes
  if (mssBytes > 1095) return 3 * mssBytes
  return 4 * mssBytes
}

/**
 * ssthresh after a loss per RFC 5681 equation (4): `max(FlightSize / 2, 2 * SMSS)`.
 */
export function halvedFlight(state: CongestionState): number {
  return Math.max(state.flightBytes / 2, 2 * state.mssBytes)
}

/**
 * Congestion avoidance per RFC 5681 equation (3): `cwnd += SMSS * SMSS / cwnd` on every ACK of
 * new data, about one segment per round trip (additive increase).
 */
export function additiveIncrease(state: CongestionState): number {
  return state.cwndBytes + (state.mssBytes * state.mssBytes) / state.cwndBytes
}
