/**
 * One timeline line per record of the per-round model (docs/tcp-rounds.md): exhaustive over
 * {@link TcpRoundsEvent}, so a new event type does not compile until this decides how to show it.
 */
import { formatCount, type Traced } from "../../kernel/index.ts"
import type { LossKind, RoundPhase } from "./tcp-rounds.ts"
import type { TcpRoundsEvent } from "./tcp-rounds-events.ts"

/** A phase in words. */
export function phaseWords(phase: RoundPhase): string {
  switch (phase) {
    case "slow-start":
      return "slow start"
    case "congestion-avoidance":
      return "congestion avoidance"
    case "fast-recovery":
      return "fast recovery"
  }
}

/** A loss kind in words. */
export function lossWords(kind: LossKind): string {
  return kind === "dup" ? "triple duplicate ACK" : "timeout"
}

/** The line of `record`. */
export function tcpRoundsTimelineLine(record: Traced<TcpRoundsEvent>): string | undefined {
  switch (record.type) {
    case "RoundSent":
      return `round ${record.round}: cwnd ${formatCount(record.cwnd)}, ssthresh ${formatCount(record.ssthresh)}, ${phaseWords(record.phase)}; ${formatCount(record.sentThrough)} segment(s) sent so far`
    case "LossDetected":
      return `  ${lossWords(record.kind)} at the end of round ${record.round}: ssthresh = max(floor(${formatCount(record.cwnd)} / 2), 2) = ${formatCount(record.ssthresh)}, next cwnd ${formatCount(record.nextCwnd)} (${phaseWords(record.nextPhase)})`
    default: {
      const unknown: never = record
      return unknown
    }
  }
}
