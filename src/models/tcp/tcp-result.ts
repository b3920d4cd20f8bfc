/**
 * What a {@link TcpScenario} run measured, per flow and at the bottleneck, and its JSON summary
 * (the sim's `metrics`, field for field).
 */
import type { JsonValue, ScenarioResult } from "../../check/core/index.ts"
import type { BottleneckLink } from "./bottleneck-link.ts"
import type { Algorithm, LossSignal } from "./congestion-control.ts"
import type { TcpWatch } from "./tcp-checks.ts"
import type { ConnectionId } from "./tcp-segment.ts"
import type { CwndPoint } from "./tcp-sender.ts"

/** One flow's numbers. */
export interface TcpFlowResult {
  readonly flow: number
  readonly algorithm: Algorithm
  readonly id: ConnectionId
  /** The largest window each end advertises after its SYN, bytes: the client's and the server's receive windows. */
  readonly advertisedWindowBytes: { readonly client: number; readonly server: number }
  /** Bytes the server's application got in order by the end of the measurement, as Mbit/s. */
  readonly throughputMbps: number
  readonly deliveredBytes: number
  readonly segmentsSent: number
  readonly retransmits: number
  readonly timeouts: number
  /** Fast retransmits, NewReno's partial-ACK retransmissions included. */
  readonly fastRetransmits: number
  /** Segments of this flow the bottleneck dropped or lost. */
  readonly drops: number
  /** Mean time its segments waited in the bottleneck queue, ms. */
  readonly queueDelayMsMean: number
  /** True when the connection closed (FIN both ways) before the run ended. */
  readonly closed: boolean
  /** The smoothed RTT at the end, ms (null without a sample). */
  readonly srttMs: number | null
  readonly cwndSeries: readonly CwndPoint[]
  /** The loss responses (fast retransmits and timeouts; NewReno's partial ACKs not included), when recorded. */
  readonly losses: readonly { readonly tMs: number; readonly signal: LossSignal }[]
}

/** Jain's fairness index of some rates: `(Σx)² / (n·Σx²)`, 1 when all are equal, 1/n when one takes all. */
export function jainFairness(values: readonly number[]): number {
  const sum = values.reduce((a, b) => a + b, 0)
  const squares = values.reduce((a, b) => a + b * b, 0)
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares)
}

/** What {@link TcpResult} is built from. */
export interface TcpResultParts {
  readonly flows: readonly TcpFlowResult[]
  readonly durationMs: number
  readonly mssBytes: number
  readonly link: BottleneckLink
  readonly endMs: number
  readonly watch: TcpWatch
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals))

/** A TCP run's numbers (see the file header). */
export class TcpResult implements ScenarioResult {
  readonly flows: readonly TcpFlowResult[]
  readonly durationMs: number
  readonly mssBytes: number
  /** Fraction of `[0, durationMs]` the bottleneck spent transmitting. */
  readonly utilisation: number
  readonly jainFairness: number
  readonly queueDelayMsMean: number
  readonly queueDelayMsMax: number
  readonly droppedQueueFull: number
  readonly lostAtRandom: number
  /** When the run ended (every connection closed, or the grace ran out), ms. */
  readonly endMs: number
  readonly watch: TcpWatch

  constructor(parts: TcpResultParts) {
    this.flows = parts.flows
    this.durationMs = parts.durationMs
    this.mssBytes = parts.mssBytes
    this.endMs = parts.endMs
    this.watch = parts.watch
    const link = parts.link
    this.utilisation = link.busyMs / parts.durationMs
    this.jainFairness = jainFairness(parts.flows.map((flow) => flow.throughputMbps))
    this.queueDelayMsMean = link.accepted === 0 ? 0 : link.queueDelaySumMs / link.accepted
    this.queueDelayMsMax = link.queueDelayMaxMs
    this.droppedQueueFull = link.droppedFull
    this.lostAtRandom = link.lostAtRandom
  }

  /** The window history of each flow in segments, times in seconds (see the sim's metric docs). */
  cwndSeries(): { t: number; cwnd: number; ssthresh: number | null }[][] {
    return this.flows.map((flow) =>
      flow.cwndSeries.map((point) => ({
        t: round(point.tMs / 1000, 6),
        cwnd: round(point.cwndBytes / this.mssBytes, 3),
        ssthresh: point.ssthreshBytes === Infinity ? null : round(point.ssthreshBytes / this.mssBytes, 3),
      })),
    )
  }

  summary(): { readonly [metric: string]: JsonValue } {
    const perFlow = <T extends JsonValue>(pick: (flow: TcpFlowResult) => T): T[] => this.flows.map(pick)
    return {
      cwndSeries: this.cwndSeries(),
      throughputMbps: perFlow((flow) => round(flow.throughputMbps, 3)),
      retransmits: perFlow((flow) => flow.retransmits),
      timeouts: perFlow((flow) => flow.timeouts),
      fastRetransmits: perFlow((flow) => flow.fastRetransmits),
      utilisation: round(this.utilisation, 4),
      jainFairness: round(this.jainFairness, 4),
      queueDelayMsMean: round(this.queueDelayMsMean, 3),
      queueDelayMsMax: round(this.queueDelayMsMax, 3),
      drops: perFlow((flow) => flow.drops),
    }
  }
}
