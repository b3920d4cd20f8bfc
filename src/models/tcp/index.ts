/**
 * TCP congestion control on a bottleneck: senders and receivers with byte sequence numbers, the
 * handshake and the close, RFC 6298's timer, and four congestion-control strategies (Tahoe, Reno,
 * NewReno, CUBIC) sharing one drop-tail link. See docs/tcp.md.
 */
export { BottleneckLink, type BottleneckOptions, DROPPED_QUEUE_FULL, LOST_AT_RANDOM } from "./bottleneck-link.ts"
export {
  additiveIncrease,
  type Algorithm,
  ALGORITHMS,
  type CongestionControl,
  type CongestionState,
  halvedFlight,
  initialWindowBytes,
  type LossSignal,
  type RecoveryStyle,
} from "./congestion-control.ts"
export { createCongestionControl } from "./create-congestion-control.ts"
export { Cubic, CUBIC_BETA, CUBIC_C, cubicK, type CubicOptions, cubicWindow, renoFriendlyAlpha } from "./cubic.ts"
export { DelayLine } from "./delay-line.ts"
export {
  type Direction,
  type DuplexSegment,
  type EndState,
  TcpConnection,
  type TcpConnectionOptions,
  TcpEnd,
} from "./tcp-connection.ts"
export { LazyTimer } from "./lazy-timer.ts"
export { NewReno } from "./newreno.ts"
export { Reno } from "./reno.ts"
export { RTO_K, RTT_ALPHA, RTT_BETA, RtoEstimator, type RtoOptions, type RtoState } from "./rto-estimator.ts"
export { Tahoe } from "./tahoe.ts"
export {
  checkCwndAtLeastOneMss,
  checkInFlightWithinWindow,
  checkSsthreshAfterLoss,
  tcpChecks,
  TcpWatch,
} from "./tcp-checks.ts"
export type * from "./tcp-events.ts"
export { TcpReceiver, type TcpReceiverOptions, type ServerState } from "./tcp-receiver.ts"
export { jainFairness, TcpResult, type TcpFlowResult, type TcpResultParts } from "./tcp-result.ts"
export { TcpScenario, type TcpFlowOptions, type TcpScenarioOptions } from "./tcp-scenario.ts"
export { absoluteSeq, type ConnectionId, HEADER_BYTES, type Segment } from "./tcp-segment.ts"
export { type ClientState, type CwndPoint, TcpSender, type TcpSenderOptions } from "./tcp-sender.ts"
export {
  isTcpTimelineRecord,
  tcpdumpLine,
  tcpTimeline,
  tcpTimelineContext,
  type TcpTimelineContext,
} from "./tcp-timeline.ts"
export * from "./pcap.ts"
export * from "./tcp-capture.ts"
export * from "./tcp-rounds.ts"
export * from "./tcp-rounds-checks.ts"
export type * from "./tcp-rounds-events.ts"
export * from "./tcp-rounds-scenario.ts"
export * from "./tcp-rounds-timeline.ts"
