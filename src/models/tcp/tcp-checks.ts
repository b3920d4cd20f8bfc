/**
 * The invariants of TCP congestion control (RFC 5681), judged from the trace records:
 *
 * - `cwnd-at-least-one-mss`: after every change, cwnd ≥ 1 SMSS.
 * - `in-flight-within-window`: whenever new data is sent, the bytes in flight (after it) are at
 *   most min(cwnd, rwnd). Reno's inflation during fast recovery is part of cwnd, so it is allowed;
 *   retransmissions are not new data (they fill a hole already counted in flight).
 * - `ssthresh-after-loss`: after every loss response (a fast retransmit or a timeout), ssthresh ≥
 *   2 SMSS.
 *
 * A {@link TcpWatch} reads the records as they are made (so a long run keeps none of them) and
 * remembers the first offender of each; the checks turn that into verdicts.
 */
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import type { Traced } from "../../kernel/index.ts"
import type { TcpEvent } from "./tcp-events.ts"

/** Floating-point slack when comparing byte counts, bytes. */
const SLACK_BYTES = 1e-6

/** Reads TCP records one by one and remembers what the checks need (see the file header). */
export class TcpWatch {
  windowChanges = 0
  smallestCwndBytes = Infinity
  firstSmallCwnd: Traced<TcpEvent> | undefined
  newDataSends = 0
  firstOverWindow: Traced<TcpEvent> | undefined
  losses = 0
  firstLowSsthresh: Traced<TcpEvent> | undefined

  /** @param mssBytes - the senders' SMSS */
  constructor(readonly mssBytes: number) {}

  /** Takes in one record (others than TCP's are ignored). */
  observe(record: Traced<TcpEvent> | Traced): void {
    const r = record as Traced<TcpEvent>
    switch (r.type) {
      case "TcpCwndChanged":
        this.windowChanges++
        if (r.cwndBytes < this.smallestCwndBytes) this.smallestCwndBytes = r.cwndBytes
        if (r.cwndBytes < this.mssBytes - SLACK_BYTES) this.firstSmallCwnd ??= r
        return
      case "TcpSegmentSent":
        if (r.payloadBytes === 0 || r.retransmission) return
        this.newDataSends++
        if (r.inFlightBytes > r.sendWindowBytes + SLACK_BYTES) this.firstOverWindow ??= r
        return
      case "TcpFastRetransmitted":
      case "TcpRetransmissionTimedOut":
        if (r.type === "TcpFastRetransmitted" && r.partialAck) return
        this.losses++
        if (r.ssthreshBytes < 2 * this.mssBytes - SLACK_BYTES) this.firstLowSsthresh ??= r
        return
      default:
        return
    }
  }
}

/** `cwnd-at-least-one-mss`: cwnd never fell below one SMSS. */
export function checkCwndAtLeastOneMss(watch: TcpWatch): CheckResult {
  const name = "cwnd-at-least-one-mss"
  const bad = watch.firstSmallCwnd
  if (bad !== undefined && bad.type === "TcpCwndChanged")
    return fails(name, `flow ${bad.flow}: cwnd ${bad.cwndBytes} bytes < 1 MSS (${watch.mssBytes}) at t=${bad.t}ms`)
  const least = watch.windowChanges === 0 ? "none" : `${Math.round(watch.smallestCwndBytes)} bytes`
  return holds(name, `${watch.windowChanges} window changes, the smallest cwnd ${least} (MSS ${watch.mssBytes})`)
}

/** `in-flight-within-window`: new data never put more in flight than min(cwnd, rwnd). */
export function checkInFlightWithinWindow(watch: TcpWatch): CheckResult {
  const name = "in-flight-within-window"
  const bad = watch.firstOverWindow
  if (bad !== undefined && bad.type === "TcpSegmentSent")
    return fails(
      name,
      `flow ${bad.flow}: ${bad.inFlightBytes} bytes in flight after seq ${bad.seqNumber} at t=${bad.t}ms, window ${Math.round(bad.sendWindowBytes)}`,
    )
  return holds(name, `${watch.newDataSends} new-data segments, each within min(cwnd, rwnd)`)
}

/** `ssthresh-after-loss`: every loss response left ssthresh at 2 SMSS or more. */
export function checkSsthreshAfterLoss(watch: TcpWatch): CheckResult {
  const name = "ssthresh-after-loss"
  const bad = watch.firstLowSsthresh
  if (bad !== undefined && (bad.type === "TcpFastRetransmitted" || bad.type === "TcpRetransmissionTimedOut"))
    return fails(name, `flow ${bad.flow}: ssthresh ${bad.ssthreshBytes} bytes < 2 MSS after a loss at t=${bad.t}ms`)
  return holds(name, `${watch.losses} loss response(s), ssthresh >= 2 MSS (${2 * watch.mssBytes} bytes) after each`)
}

/** Every TCP check, in the order the sim lists them. */
export function tcpChecks(watch: TcpWatch): CheckResult[] {
  return [checkCwndAtLeastOneMss(watch), checkInFlightWithinWindow(watch), checkSsthreshAfterLoss(watch)]
}
