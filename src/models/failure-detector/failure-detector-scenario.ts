/**
 * The failure-detector scenario: three nodes send heartbeats to a monitor over a lossy network,
 * faults strike, and an observer who knows the truth grades every suspicion.
 *
 * Roles, as in TigerBeetle's VOPR: the model ({@link HeartbeatDetector} and the senders) only
 * sees messages; the fault plan breaks things; the observer here knows which nodes really crashed
 * and judges the detector — a suspicion of a node that is up and did not crash during the silence
 * is false, whatever the reason (paused, partitioned, heartbeats lost or late).
 *
 * The network: every link has a latency uniform in [0.5, 1.5] × `latencyMs` (FIFO, no reordering)
 * and loses each message with `lossProbability`.
 *
 * Invariants graded (see `failure-detector-checks.ts`): no false suspicion; every crash of a
 * watched node suspected within `timeoutMs` plus the longest one-way latency.
 *
 * Left out: several monitors, and the monitor watching itself.
 */
import { type Advance, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, type NetworkStats } from "../../net/index.ts"
import { MONITOR, WATCHED } from "./failure-detector-nodes.ts"
import {
  type HeardStats,
  HeartbeatDetector,
  type HeartbeatSender,
  startHeartbeats,
  type Suspicion,
} from "./heartbeat-detector.ts"

/** Options of a {@link FailureDetectorScenario}. */
export interface FailureDetectorOptions {
  /** Heartbeat period, in ms of each sender's clock. Required, > 0. */
  readonly heartbeatMs: number
  /** Silence before a suspicion, in ms of the monitor's clock. Required, > 0. */
  readonly timeoutMs: number
  /** Mean one-way latency, in ms (uniform in [0.5, 1.5] × this). Required, >= 0. */
  readonly latencyMs: number
  /** Chance that a message is lost. Default 0. */
  readonly lossProbability?: number
  /** The run's length, in ms. Required, > 0. */
  readonly durationMs: number
  /** The faults. Default: none. */
  readonly plan?: FaultPlan
}

/** A suspicion, graded by the observer. */
export interface GradedSuspicion extends Suspicion {
  /** True if the node was down, or had crashed since the last heartbeat heard from it. */
  readonly correct: boolean
  /** Why the node fell silent, as the observer saw it: `crashed`, `paused`, `partitioned`, `heartbeats lost or late`, ... */
  readonly cause: string
}

/** One crash of a watched node and how the detector did. */
export interface CrashDetection {
  readonly node: string
  readonly crashedAt: number
  /** When it came back, or null if it stayed down until the end. */
  readonly restartedAt: number | null
  /**
   * When the detector suspected it, or null. With verdict `already-suspected`, the time of the
   * earlier (false) suspicion that was still in force when it crashed.
   */
  readonly suspectedAt: number | null
  /** `suspectedAt - crashedAt`, or null if not suspected while down or suspected before the crash. */
  readonly detectionMs: number | null
  /** The latest time the detector should have suspected it: crash + timeout + longest latency. */
  readonly deadline: number
  /**
   * `detected` (by the deadline), `late` (after it), `missed` (never, though it stayed down past the
   * deadline), `moot` (it restarted, or the run ended, before the deadline), `already-suspected`
   * (the detector suspected it before it crashed and still did: there was no crash left to detect,
   * so the crash says nothing about detection time).
   */
  readonly verdict: "detected" | "late" | "missed" | "moot" | "already-suspected"
}

/** Per watched node, for the report. */
export interface NodeReport {
  readonly node: string
  readonly heartbeatsSent: number
  readonly heartbeatsHeard: number
  /** The longest silence the monitor observed, ongoing silences included, in ms. */
  readonly longestSilenceMs: number
  readonly suspicions: number
  readonly falseSuspicions: number
  /** Up or down at the end. */
  readonly upAtEnd: boolean
}

/**
 * The JSON metrics of a run (`FailureDetectorResult.summary()`): counts, detection times in ms,
 * the network's message counts, and one row per watched node.
 */
export type FailureDetectorSummary = {
  readonly falseSuspicions: number
  readonly detectionTimesMs: readonly number[]
  readonly meanDetectionMs: number | null
  readonly suspicions: number
  readonly crashes: number
  readonly faults: number
  readonly messagesSent: number
  readonly messagesDelivered: number
  readonly messagesDropped: number
  readonly nodes: { readonly [node: string]: Omit<NodeReport, "node"> }
}

/** Everything a run measured. */
export interface FailureDetectorResult extends ScenarioResult {
  readonly suspicions: readonly GradedSuspicion[]
  readonly falseSuspicions: number
  readonly crashes: readonly CrashDetection[]
  /** Detection times of the crashes suspected while down, in ms, in crash order. */
  readonly detectionTimesMs: readonly number[]
  /** Their mean, or null if none. */
  readonly meanDetectionMs: number | null
  readonly nodes: readonly NodeReport[]
  /** The longest one-way latency a heartbeat can take on a healthy link, in ms. */
  readonly maxLatencyMs: number
  /** The sim's JSON metrics: see {@link FailureDetectorSummary}. */
  summary(): FailureDetectorSummary
}

interface CrashRecord {
  readonly node: string
  readonly crashedAt: number
  restartedAt: number | null
  readonly alreadySuspected: boolean
}

/** A monitor, three watched nodes, their network, the faults, and the observer. */
export class FailureDetectorScenario implements Scenario<FailureDetectorResult> {
  /** The simulated network. */
  readonly network: Network
  /** The detector on the monitor. */
  readonly detector: HeartbeatDetector
  /** The fault plan as applied (validated). */
  readonly plan: FaultPlan
  private readonly senders = new Map<string, HeartbeatSender>()
  private readonly graded: GradedSuspicion[] = []
  private readonly crashRecords: CrashRecord[] = []

  constructor(
    /** The simulation to build in. */
    readonly sim: Simulation,
    private readonly options: FailureDetectorOptions,
  ) {
    this.network = new Network(sim, {
      link: { latency: jitteredLatency(options.latencyMs), dropProbability: options.lossProbability ?? 0 },
    })
    const monitor = this.network.addNode(MONITOR)
    for (const name of WATCHED) this.network.addNode(name)
    this.detector = new HeartbeatDetector(monitor, WATCHED, {
      timeoutMs: options.timeoutMs,
      heartbeatMs: options.heartbeatMs,
    })
    this.detector.onSuspect((suspicion) => this.graded.push(this.grade(suspicion)))
    for (const name of WATCHED) this.observe(name)
    this.detector.start()
    for (const name of WATCHED) {
      this.senders.set(name, startHeartbeats(this.network.node(name), MONITOR, options.heartbeatMs))
    }
    this.plan = applyFaultPlan(sim, this.network, options.plan)
  }

  /** Runs the simulation to `durationMs` with `advance` (default `sim.run({ until })`). */
  run(advance: Advance = runUntil): FailureDetectorResult {
    advance(this.sim, this.options.durationMs)
    return this.result()
  }

  /** The observer's ground truth: crash and restart times of `name`. */
  private observe(name: string): void {
    const node = this.network.node(name)
    node.onCrash(() => {
      this.crashRecords.push({
        node: name,
        crashedAt: this.sim.now,
        restartedAt: null,
        alreadySuspected: this.detector.isSuspected(name),
      })
    })
    node.onRestart(() => {
      const last = this.crashRecords.findLast((record) => record.node === name)
      if (last !== undefined && last.restartedAt === null) last.restartedAt = this.sim.now
    })
  }

  private grade(suspicion: Suspicion): GradedSuspicion {
    const node = this.network.node(suspicion.node)
    const since = suspicion.lastHeardSentAt ?? -Infinity
    const crashedDuringSilence = this.crashRecords.some(
      (record) => record.node === suspicion.node && record.crashedAt >= since,
    )
    if (!node.isUp || crashedDuringSilence) return { ...suspicion, correct: true, cause: "crashed" }
    return { ...suspicion, correct: false, cause: this.causeOfSilence(suspicion.node) }
  }

  /**
   * Why a live node is silent, as far as the observer can see now (a monitor that resumed within
   * the last timeout ran its timers before draining the heartbeats that queued during its pause).
   */
  private causeOfSilence(name: string): string {
    if (this.network.node(name).isPaused) return "paused"
    if (this.network.isCut(name, MONITOR)) return "partitioned"
    if (this.network.node(MONITOR).lastResumedAt >= this.sim.now - this.options.timeoutMs)
      return "the monitor itself was paused"
    const faults = this.network.activeLinkFaults.filter((fault) => fault.matches(name, MONITOR))
    if (faults.some((fault) => fault.dropProbability > 0)) return "a link fault drops its heartbeats"
    if (faults.some((fault) => fault.extraDelayMs > 0)) return "a link fault delays its heartbeats"
    if (this.network.node(MONITOR).driftRate < 0) return "the monitor's clock runs slow"
    return "heartbeats lost or late"
  }

  /** What the run measured so far. */
  result(): FailureDetectorResult {
    const maxLatencyMs = 1.5 * this.options.latencyMs
    const crashes = this.crashRecords.map((record) => this.detection(record, maxLatencyMs))
    const detectionTimesMs = crashes.flatMap((crash) => (crash.detectionMs === null ? [] : [crash.detectionMs]))
    const meanDetectionMs =
      detectionTimesMs.length === 0 ? null : detectionTimesMs.reduce((sum, ms) => sum + ms, 0) / detectionTimesMs.length
    const falseSuspicions = this.graded.filter((suspicion) => !suspicion.correct).length
    const nodes = WATCHED.map((name) => this.nodeReport(name, this.detector.heard.get(name)!))
    const measured = { suspicions: this.graded, falseSuspicions, crashes, detectionTimesMs, meanDetectionMs, nodes }
    const summary = summaryOf(measured, this.plan, this.network.stats)
    return { ...measured, maxLatencyMs, summary: () => summary }
  }

  private detection(record: CrashRecord, maxLatencyMs: number): CrashDetection {
    const end = record.restartedAt ?? Infinity
    const deadline = record.crashedAt + this.options.timeoutMs + maxLatencyMs
    if (record.alreadySuspected) {
      const earlier = this.graded.filter((s) => s.node === record.node && s.t <= record.crashedAt).pop()
      const suspectedAt = earlier?.t ?? null
      return {
        node: record.node,
        crashedAt: record.crashedAt,
        restartedAt: record.restartedAt,
        suspectedAt,
        detectionMs: null,
        deadline,
        verdict: "already-suspected",
      }
    }
    const suspectedAt =
      this.graded.find((s) => s.node === record.node && s.t >= record.crashedAt && s.t <= end)?.t ?? null
    let verdict: CrashDetection["verdict"]
    if (suspectedAt !== null) verdict = suspectedAt <= deadline ? "detected" : "late"
    else verdict = end <= deadline || this.sim.now < deadline ? "moot" : "missed"
    return {
      node: record.node,
      crashedAt: record.crashedAt,
      restartedAt: record.restartedAt,
      suspectedAt,
      detectionMs: suspectedAt === null ? null : suspectedAt - record.crashedAt,
      deadline,
      verdict,
    }
  }

  private nodeReport(name: string, heard: HeardStats): NodeReport {
    const ongoing = this.detector.currentSilenceMs(name) ?? 0
    const suspicions = this.graded.filter((suspicion) => suspicion.node === name)
    return {
      node: name,
      heartbeatsSent: this.senders.get(name)!.sent,
      heartbeatsHeard: heard.heartbeats,
      longestSilenceMs: Math.max(heard.longestSilenceMs, ongoing),
      suspicions: suspicions.length,
      falseSuspicions: suspicions.filter((suspicion) => !suspicion.correct).length,
      upAtEnd: this.network.node(name).isUp,
    }
  }
}

/** The JSON metrics of a run, from what it measured, its plan and its network's counts. */
function summaryOf(
  result: Omit<FailureDetectorResult, "maxLatencyMs" | "summary">,
  plan: FaultPlan,
  stats: NetworkStats,
): FailureDetectorSummary {
  return {
    falseSuspicions: result.falseSuspicions,
    detectionTimesMs: [...result.detectionTimesMs],
    meanDetectionMs: result.meanDetectionMs,
    suspicions: result.suspicions.length,
    crashes: result.crashes.length,
    faults: plan.faults.length,
    messagesSent: stats.sent,
    messagesDelivered: stats.delivered,
    messagesDropped: stats.dropped,
    nodes: Object.fromEntries(result.nodes.map(({ node, ...row }) => [node, row])),
  }
}
