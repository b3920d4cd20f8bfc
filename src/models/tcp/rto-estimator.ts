/**
 * The retransmission timer's length, per RFC 6298: a smoothed round-trip time and its variation,
 * learned from samples, and the timeout derived from them.
 *
 * Like a commuter who learns how long the trip usually takes and how much it varies, then leaves
 * a margin of four times the variation: `RTO = SRTT + max(G, K·RTTVAR)`. The first sample R sets
 * SRTT = R and RTTVAR = R/2; each later sample R' sets RTTVAR = (1−β)·RTTVAR + β·|SRTT − R'| (with
 * the old SRTT), then SRTT = (1−α)·SRTT + α·R', with α = 1/8, β = 1/4, K = 4. Before any sample the
 * RTO is 1 s. An RTO below the floor (1 s, an option) is raised to it; a timeout doubles it (back
 * off) up to the ceiling (60 s); the next sample recomputes it. Karn's rule (no sample from a
 * retransmitted segment) is the sender's part: it never offers such a sample.
 *
 * Left out on purpose: the timestamps option (RFC 7323), which would allow samples from
 * retransmissions.
 */

/** Options of an {@link RtoEstimator}; every field has a default. */
export interface RtoOptions {
  /** Round the RTO up to this floor (RFC 6298's SHOULD). Default 1000 ms; 0 turns it off. */
  readonly minRtoMs?: number
  /** The ceiling the back-off stops at. Default 60,000 ms. */
  readonly maxRtoMs?: number
  /** The RTO before the first sample. Default 1000 ms (RFC 6298; RFC 2988 had 3 s). */
  readonly initialRtoMs?: number
  /** The clock granularity G. Default 0 ms: the simulated clock is exact. */
  readonly clockGranularityMs?: number
}

/** α of RFC 6298: the weight of a new sample in SRTT. */
export const RTT_ALPHA = 1 / 8
/** β of RFC 6298: the weight of a new deviation in RTTVAR. */
export const RTT_BETA = 1 / 4
/** K of RFC 6298: how many RTTVARs of margin the RTO leaves. */
export const RTO_K = 4

/** SRTT, RTTVAR and the RTO as the estimator holds them, in ms. */
export interface RtoState {
  /** Smoothed round-trip time; undefined before the first sample. */
  readonly srttMs: number | undefined
  /** Round-trip time variation; undefined before the first sample. */
  readonly rttvarMs: number | undefined
  /** The current retransmission timeout. */
  readonly rtoMs: number
}

/** SRTT, RTTVAR and RTO, updated sample by sample (RFC 6298, see the file header). */
export class RtoEstimator implements RtoState {
  srttMs: number | undefined = undefined
  rttvarMs: number | undefined = undefined
  rtoMs: number
  private readonly minRtoMs: number
  private readonly maxRtoMs: number
  private readonly granularityMs: number

  constructor(options: RtoOptions = {}) {
    this.minRtoMs = options.minRtoMs ?? 1000
    this.maxRtoMs = options.maxRtoMs ?? 60_000
    this.granularityMs = options.clockGranularityMs ?? 0
    this.rtoMs = options.initialRtoMs ?? 1000
  }

  /** Continues from a known SRTT and RTTVAR (ms), as if earlier samples had set them. */
  restore(srttMs: number, rttvarMs: number): this {
    this.srttMs = srttMs
    this.rttvarMs = rttvarMs
    this.rtoMs = this.bounded(srttMs + Math.max(this.granularityMs, RTO_K * rttvarMs))
    return this
  }

  /**
   * Takes one round-trip sample (ms) and recomputes the RTO, which also ends any back-off.
   * @returns the new RTO in ms
   */
  sample(rttMs: number): number {
    if (this.srttMs === undefined || this.rttvarMs === undefined) {
      this.srttMs = rttMs
      this.rttvarMs = rttMs / 2
    } else {
      this.rttvarMs = (1 - RTT_BETA) * this.rttvarMs + RTT_BETA * Math.abs(this.srttMs - rttMs)
      this.srttMs = (1 - RTT_ALPHA) * this.srttMs + RTT_ALPHA * rttMs
    }
    this.rtoMs = this.bounded(this.srttMs + Math.max(this.granularityMs, RTO_K * this.rttvarMs))
    return this.rtoMs
  }

  /** Doubles the RTO after a timeout, up to the ceiling. @returns the new RTO in ms */
  backOff(): number {
    this.rtoMs = Math.min(this.maxRtoMs, this.rtoMs * 2)
    return this.rtoMs
  }

  private bounded(rtoMs: number): number {
    return Math.min(this.maxRtoMs, Math.max(this.minRtoMs, rtoMs))
  }
}
