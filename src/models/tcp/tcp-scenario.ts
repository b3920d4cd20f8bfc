/**
 * Flows sharing a bottleneck: each flow a client (`10.0.0.1`, port 40000 + its number) sending
 * bulk data to a server (`10.0.0.2`, port 80) through one {@link BottleneckLink}, then one-way
 * propagation of half the RTT; the server's ACKs come back over the other half, uncongested.
 *
 * Each client opens at its start time, sends until `durationMs`, then closes; the run goes on
 * until every connection has closed (at most `closeGraceMs` more). Throughput is measured over
 * `[0, durationMs]`: the bytes each server's application got in order by then.
 */
import type { Advance } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation, TraceOf } from "../../kernel/index.ts"
import { BottleneckLink, DROPPED_QUEUE_FULL } from "./bottleneck-link.ts"
import type { Algorithm, CongestionControl } from "./congestion-control.ts"
import { createCongestionControl } from "./create-congestion-control.ts"
import { DelayLine } from "./delay-line.ts"
import type { RtoOptions } from "./rto-estimator.ts"
import { TcpWatch } from "./tcp-checks.ts"
import type { TcpEvent } from "./tcp-events.ts"
import { TcpReceiver } from "./tcp-receiver.ts"
import { TcpResult, type TcpFlowResult } from "./tcp-result.ts"
import { absoluteSeq, type ConnectionId, HEADER_BYTES, type Segment } from "./tcp-segment.ts"
import { SENDER_WINDOW_BYTES, TcpSender } from "./tcp-sender.ts"

/** One flow: its algorithm, and optionally its own RTT and start time. */
export interface TcpFlowOptions {
  readonly algorithm: Algorithm
  /** Two-way propagation delay of this flow, ms. Default: the scenario's `rttMs`. */
  readonly rttMs?: number
  /** When the client opens, ms. Default 0. */
  readonly startAtMs?: number
  /** A strategy of your own (named `algorithm` in the results). Default: the built-in `algorithm`. */
  readonly congestionControl?: () => CongestionControl
}

/** Options of a {@link TcpScenario}; every field has a default. */
export interface TcpScenarioOptions {
  /** The flows, by algorithm or in full. Default: one Reno flow. */
  readonly flows?: readonly (Algorithm | TcpFlowOptions)[]
  /** Bottleneck rate, Mbit/s. Default 10. */
  readonly bandwidthMbps?: number
  /** Two-way propagation delay (without queueing or serialisation), ms. Default 40. */
  readonly rttMs?: number
  /** Bottleneck queue, packets waiting (drop-tail). Default 20. */
  readonly queuePackets?: number
  /** Probability that a forward packet is lost before the queue. Default 0. */
  readonly lossProbability?: number
  /** When the applications stop sending and close, ms. Default 20,000. */
  readonly durationMs?: number
  /** SMSS, payload bytes per segment. Default 1460. */
  readonly mssBytes?: number
  /** Initial window, segments. Default: RFC 5681's for the MSS. */
  readonly initialWindowSegments?: number
  /** The receive window, bytes. Default 8 MiB. */
  readonly receiveWindowBytes?: number
  /** Delayed ACKs at the servers. Default false. */
  readonly delayedAck?: boolean
  /** The retransmission timer's options (RFC 6298). Default: floor 1 s, ceiling 60 s. */
  readonly rto?: RtoOptions
  /** Keep each sender's window history. Default true. */
  readonly recordCwndSeries?: boolean
  /** How long after `durationMs` the closes may take, ms. Default 10,000. */
  readonly closeGraceMs?: number
  /**
   * A random delay, uniform in [0, sendJitterMs), between a client sending a segment and the
   * segment reaching the bottleneck (its host's processing time; order kept), drawn from the
   * stream `tcp/jitter`. It breaks the phase effects of a deterministic drop-tail queue, where
   * one flow's packets keep arriving just as the queue is full (Floyd and Jacobson, 1991), as
   * ns-2's random overhead does. Default 0 ms: none.
   */
  readonly sendJitterMs?: number
}

/** The server's port; clients use 40000 + their flow number. */
const SERVER_PORT = 80
const CLIENT_PORT_BASE = 40000
const UINT32_MAX = 0xffffffff

/** One flow, wired: its two endpoints and per-flow counters of what the bottleneck did to it. */
interface Flow {
  readonly options: TcpFlowOptions
  readonly sender: TcpSender
  readonly receiver: TcpReceiver
  drops: number
  queueDelaySumMs: number
  queued: number
  deliveredAtEndBytes: number
}

/** Flows over one bottleneck (see the file header). */
export class TcpScenario {
  readonly link: BottleneckLink
  readonly flows: readonly Flow[]
  readonly watch: TcpWatch
  private readonly durationMs: number
  private readonly closeGraceMs: number
  private readonly trace: TraceOf<TcpEvent>
  private open = 0

  constructor(
    readonly sim: Simulation,
    private readonly options: TcpScenarioOptions = {},
  ) {
    this.trace = sim.trace
    this.durationMs = options.durationMs ?? 20_000
    this.closeGraceMs = options.closeGraceMs ?? 10_000
    const mssBytes = options.mssBytes ?? 1460
    this.link = new BottleneckLink(sim, {
      bandwidthMbps: options.bandwidthMbps ?? 10,
      queuePackets: options.queuePackets ?? 20,
      lossProbability: options.lossProbability ?? 0,
      measureUntilMs: this.durationMs,
    })
    this.watch = new TcpWatch(mssBytes)
    if (sim.trace.enabled) sim.trace.listen((record) => this.watch.observe(record))
    const isn = sim.random("tcp/isn")
    const flows = options.flows ?? ["reno"]
    this.flows = flows.map((flow, i) => {
      const spec = typeof flow === "string" ? { algorithm: flow } : flow
      const id: ConnectionId = {
        flow: i,
        clientAddress: "10.0.0.1",
        serverAddress: "10.0.0.2",
        clientPort: CLIENT_PORT_BASE + i,
        serverPort: SERVER_PORT,
        clientIsn: isn.integer(0, UINT32_MAX),
        serverIsn: isn.integer(0, UINT32_MAX),
      }
      return this.wire(id, spec, mssBytes)
    })
  }

  private wire(id: ConnectionId, spec: TcpFlowOptions, mssBytes: number): Flow {
    const { sim, options } = this
    const oneWayMs = (spec.rttMs ?? options.rttMs ?? 40) / 2
    let flow: Flow | undefined = undefined
    const toServer = new DelayLine<Segment>(sim, (segment) => flow!.receiver.receive(segment))
    const toClient = new DelayLine<Segment>(sim, (segment) => flow!.sender.receive(segment))
    const sender = new TcpSender(
      sim,
      this.trace,
      id,
      {
        congestionControl: spec.congestionControl?.() ?? createCongestionControl(spec.algorithm),
        mssBytes,
        ...(options.initialWindowSegments === undefined
          ? {}
          : { initialWindowSegments: options.initialWindowSegments }),
        ...(options.rto === undefined ? {} : { rto: options.rto }),
        recordCwndSeries: options.recordCwndSeries ?? true,
      },
      this.clientWire(() => flow!, toServer, oneWayMs),
    )
    const receiver = new TcpReceiver(
      sim,
      this.trace,
      id,
      {
        ...(options.receiveWindowBytes === undefined ? {} : { receiveWindowBytes: options.receiveWindowBytes }),
        delayedAck: options.delayedAck ?? false,
      },
      (segment) => toClient.push(segment, sim.now + oneWayMs),
    )
    flow = { options: spec, sender, receiver, drops: 0, queueDelaySumMs: 0, queued: 0, deliveredAtEndBytes: 0 }
    return flow
  }

  /** How a client's segments reach the bottleneck: at once, or after a jitter (in order). */
  private clientWire(flow: () => Flow, toServer: DelayLine<Segment>, oneWayMs: number): (segment: Segment) => void {
    const jitterMs = this.options.sendJitterMs ?? 0
    if (jitterMs <= 0) return (segment) => this.forward(flow(), segment, toServer, oneWayMs)
    const random = this.sim.random("tcp/jitter")
    const toRouter = new DelayLine<Segment>(this.sim, (segment) => this.forward(flow(), segment, toServer, oneWayMs))
    let lastMs = 0
    return (segment) => {
      lastMs = Math.max(lastMs, this.sim.now + random.uniform(0, jitterMs))
      toRouter.push(segment, lastMs)
    }
  }

  /** A client's segment meets the bottleneck: queued (then propagated) or dropped. */
  private forward(flow: Flow, segment: Segment, toServer: DelayLine<Segment>, oneWayMs: number): void {
    const departureMs = this.link.offer(segment.payloadBytes + HEADER_BYTES)
    const id = flow.sender.id
    if (departureMs < 0) {
      flow.drops++
      if (this.trace.enabled) {
        const reason = departureMs === DROPPED_QUEUE_FULL ? "queue-full" : "random-loss"
        const seqNumber = absoluteSeq(id.clientIsn, segment.seq)
        const { payloadBytes } = segment
        this.trace.record({
          type: "TcpSegmentDropped",
          flow: id.flow,
          seqNumber,
          payloadBytes,
          reason,
          queuedPackets: this.link.lastWaiting,
        })
      }
      return
    }
    flow.queued++
    flow.queueDelaySumMs += this.link.lastQueueDelayMs
    if (this.trace.enabled) {
      const seqNumber = absoluteSeq(id.clientIsn, segment.seq)
      const { lastWaiting: queuedPackets, lastQueueDelayMs: queueDelayMs } = this.link
      this.trace.record({ type: "TcpSegmentQueued", flow: id.flow, seqNumber, queuedPackets, queueDelayMs })
    }
    toServer.push(segment, departureMs + oneWayMs)
  }

  /** Opens every flow, closes them at `durationMs`, and runs until all have closed. */
  run(advance: Advance = runUntil): TcpResult {
    const { sim } = this
    for (const flow of this.flows) {
      this.open++
      sim.timeout(flow.options.startAtMs ?? 0).onProcessed(() => flow.sender.open(() => this.closed()))
    }
    sim.timeout(this.durationMs).onProcessed(() => {
      for (const flow of this.flows) {
        flow.deliveredAtEndBytes = flow.receiver.deliveredBytes
        flow.sender.close()
      }
    })
    advance(sim, this.durationMs + this.closeGraceMs)
    return this.result()
  }

  private closed(): void {
    this.open--
    if (this.open === 0) this.sim.stop()
  }

  private result(): TcpResult {
    const durationMs = this.durationMs
    const flows: TcpFlowResult[] = this.flows.map((flow, i) => ({
      flow: i,
      algorithm: flow.options.algorithm,
      id: flow.sender.id,
      advertisedWindowBytes: { client: SENDER_WINDOW_BYTES, server: flow.receiver.receiveWindowBytes },
      throughputMbps: (flow.deliveredAtEndBytes * 8) / (durationMs * 1000),
      deliveredBytes: flow.deliveredAtEndBytes,
      segmentsSent: flow.sender.segmentsSent,
      retransmits: flow.sender.retransmits,
      timeouts: flow.sender.timeouts,
      fastRetransmits: flow.sender.fastRetransmits,
      drops: flow.drops,
      queueDelayMsMean: flow.queued === 0 ? 0 : flow.queueDelaySumMs / flow.queued,
      closed: flow.sender.state === "TIME-WAIT",
      srttMs: flow.sender.srttMs ?? null,
      cwndSeries: flow.sender.cwndSeries,
      losses: flow.sender.losses,
    }))
    return new TcpResult({
      flows,
      durationMs,
      mssBytes: this.watch.mssBytes,
      link: this.link,
      endMs: this.sim.now,
      watch: this.watch,
    })
  }
}
