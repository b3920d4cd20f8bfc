/**
 * A link fault: for a while, messages on matching links are dropped, duplicated or delayed more.
 *
 * A flaky cable, a congested switch, a retransmitting NIC. The fault matches links by sender and
 * receiver (either may be "any"), and while it is active it adds to what the link itself does:
 * each active fault draws its own drop and duplicate decisions, and its extra delay adds to the
 * link's latency.
 *
 * Invariant: probabilities are in [0, 1], the extra delay is finite and >= 0 (checked at creation).
 * Left out: faults that corrupt payloads (a corrupted message is a dropped one to a checksum).
 */

/** Options of `network.addLinkFault`. */
export interface LinkFaultOptions {
  /** Sender to match. Default: any. */
  readonly from?: string
  /** Receiver to match. Default: any. */
  readonly to?: string
  /** Chance that a matching message is lost. Default 0. */
  readonly dropProbability?: number
  /** Chance that a matching message is delivered twice. Default 0. */
  readonly duplicateProbability?: number
  /** Latency added to each matching message, in ms. Default 0. */
  readonly extraDelayMs?: number
  /** When the fault starts, in simulated ms; at or before now: at once. Default now. */
  readonly at?: number
  /** When it stops by itself, in simulated ms. Default: never (call `stop()`). */
  readonly until?: number
}

/** Where a link fault is in its life. */
export type LinkFaultState = "scheduled" | "active" | "stopped"

/** One link fault, created by `network.addLinkFault`. */
export class LinkFault {
  /** Scheduled, active or stopped: maintained by the network. */
  state: LinkFaultState = "scheduled"
  /** Sender matched, or undefined for any. */
  readonly from: string | undefined
  /** Receiver matched, or undefined for any. */
  readonly to: string | undefined
  /** Chance of loss per matching message. */
  readonly dropProbability: number
  /** Chance of duplication per matching message. */
  readonly duplicateProbability: number
  /** Added latency per matching message, in ms. */
  readonly extraDelayMs: number

  constructor(
    /** Number of the fault in its network, from 1. */
    readonly id: number,
    options: LinkFaultOptions,
    private readonly stopWith: (fault: LinkFault) => void,
  ) {
    this.from = options.from
    this.to = options.to
    this.dropProbability = checkProbability(options.dropProbability ?? 0, "dropProbability")
    this.duplicateProbability = checkProbability(options.duplicateProbability ?? 0, "duplicateProbability")
    const extraDelayMs = options.extraDelayMs ?? 0
    if (!(extraDelayMs >= 0 && extraDelayMs < Infinity)) {
      throw new RangeError(`link fault: extraDelayMs must be finite and >= 0, got ${extraDelayMs}`)
    }
    this.extraDelayMs = extraDelayMs
  }

  /** True while the fault acts on messages. */
  get isActive(): boolean {
    return this.state === "active"
  }

  /** True if the fault applies to messages from `from` to `to`. */
  matches(from: string, to: string): boolean {
    return (this.from === undefined || this.from === from) && (this.to === undefined || this.to === to)
  }

  /** Stops the fault now (a scheduled one never starts). Stopping twice does nothing. */
  stop(): void {
    this.stopWith(this)
  }
}

/**
 * Checks that `value` is a probability, naming `what` in the error.
 * @throws RangeError unless 0 <= value <= 1
 */
export function checkProbability(value: number, what: string): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${what} must be a probability in [0, 1], got ${value}`)
  return value
}
