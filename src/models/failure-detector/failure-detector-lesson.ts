/**
 * What the failure-detector sim tells a learner about a run, as pure functions of the run's result
 * and parameters: the timeline section, the fault plan, the node table's rows and the crash lines
 * under it, the lesson, the quiz and what each JSON metric means. Every sentence is derived from the
 * run's numbers or says "in general"; the sim only lays the pieces out (docs/adding-a-model.md).
 *
 * Times are shown with the sim's own time format, passed in as `time`, so the timeline and the
 * report show a time the same way; tables are laid out by the runner's `renderTable`, passed in as
 * `table` (this layer may not import the runner).
 */
import type { LessonSection, RenderTable } from "../../check/core/index.ts"
import { formatCount, type TraceSample } from "../../kernel/index.ts"
import { describeFaultPlanLines, type FaultPlan } from "../../net/index.ts"
import type { CrashDetection, FailureDetectorResult } from "./failure-detector-scenario.ts"
import { type FailureDetectorRecord, failureDetectorTimeline, suspicionVerdicts } from "./failure-detector-timeline.ts"

/** The node the sim's shorthand pause hits. */
export const PAUSED_NODE = "n1"
/** The node the sim's shorthand partition cuts off. */
export const PARTITIONED_NODE = "n2"
/** The node the sim's shorthand crash hits. */
export const CRASHED_NODE = "n3"

/** How a sim shows a time in ms, e.g. `(ms) => formatTime(ms, TIME)`. */
export type ShowTime = (ms: number) => string

/** The parameters of a run that its lesson and quiz speak of (the sim's flags of the same names). */
export interface FailureDetectorLessonParams {
  /** Heartbeat period of each node, in ms. */
  readonly heartbeatMs: number
  /** Silence after which the monitor suspects a node, in ms. */
  readonly timeoutMs: number
  /** Simulated time of the run, in ms. */
  readonly durationMs: number
  /** When {@link PAUSED_NODE} stalls, in ms. */
  readonly pauseAt: number
  /** How long {@link PAUSED_NODE} stalls, in ms; 0: no pause. */
  readonly pauseMs: number
  /** When {@link CRASHED_NODE} crashes, in ms; at or after `durationMs`: never. */
  readonly crashAt: number
  /** True when the faults were drawn from the seed instead of the shorthand flags. */
  readonly swarm: boolean
}

/** What each field of `FailureDetectorResult.summary()` means, and its unit: the sim's metric docs. */
export const FAILURE_DETECTOR_METRICS = {
  falseSuspicions: { description: "suspicions of a node that was up", unit: "suspicions" },
  detectionTimesMs: { description: "per detected crash: time from the crash to its suspicion", unit: "ms" },
  meanDetectionMs: { description: "mean of detectionTimesMs (null when no crash was detected)", unit: "ms" },
  suspicions: { description: "every suspicion the monitor raised", unit: "suspicions" },
  crashes: { description: "crashes of a watched node", unit: "crashes" },
  faults: { description: "faults injected (pause, partition, crash, plan entries)", unit: "faults" },
  messagesSent: { description: "messages sent on the network", unit: "messages" },
  messagesDelivered: { description: "messages delivered", unit: "messages" },
  messagesDropped: { description: "messages lost (--loss, partitions, crashed receivers)", unit: "messages" },
  nodes: {
    description:
      "per node: heartbeatsSent, heartbeatsHeard (counts), longestSilenceMs (ms), suspicions, falseSuspicions (counts), upAtEnd (true/false)",
    unit: "see fields",
  },
} as const

/**
 * The timeline section: the sampled records in words, with the observer's verdicts; the title says
 * how many of the records shown the sample kept when it kept fewer than all.
 */
export function failureDetectorTimelineSection(
  sample: TraceSample<FailureDetectorRecord>,
  result: FailureDetectorResult,
  timeoutMs: number,
): { readonly title: string; readonly entries: readonly { readonly t: number; readonly text: string }[] } {
  const context = { timeoutMs, verdictOf: suspicionVerdicts(result.suspicions) }
  const entries = sample.records.map((record) => ({
    t: record.t,
    text: failureDetectorTimeline(record, context) ?? "",
  }))
  const shown = sample.records.length
  const title = sample.total > shown ? `Timeline (the first ${shown} of ${sample.total} events)` : "Timeline"
  return { title, entries }
}

/** The fault plan section: the swarm's line (with --swarm), then every fault in time order. */
export function faultPlanSection(plan: FaultPlan, swarmLine: string | undefined): LessonSection {
  return {
    title: "Fault plan",
    lines: [...(swarmLine === undefined ? [] : [swarmLine]), ...describeFaultPlanLines(plan)],
  }
}

/** What the text report needs besides the run: the plan, the swarm's line, how to show times and tables. */
export interface FailureDetectorReportOptions {
  /** The fault plan the run applied. */
  readonly plan: FaultPlan
  /** With --swarm: what the seed drew (printed first in the fault plan section). Default: none. */
  readonly swarmLine?: string | undefined
  /** The sim's time format. */
  readonly time: ShowTime
  /** The runner's table layout. */
  readonly table: RenderTable
}

/**
 * The text report of a run: the timeline section of `sample`, then the sections after it: the fault
 * plan, what the monitor heard (the node table and a line per crash) and the lesson.
 */
export function failureDetectorReport(
  sample: TraceSample<FailureDetectorRecord>,
  params: FailureDetectorLessonParams,
  result: FailureDetectorResult,
  options: FailureDetectorReportOptions,
): { readonly timeline: ReturnType<typeof failureDetectorTimelineSection>; readonly sections: LessonSection[] } {
  const { plan, swarmLine, time, table } = options
  const heard = [...table(NODE_COLUMNS, nodeRows(result, time)), ...crashLines(result, time)]
  const sections = [
    faultPlanSection(plan, swarmLine),
    { title: "What the monitor heard", lines: heard },
    failureDetectorLesson(params, result, time),
  ]
  return { timeline: failureDetectorTimelineSection(sample, result, params.timeoutMs), sections }
}

/** The columns of the node table, for the runner's `renderTable`. */
export const NODE_COLUMNS = [
  { header: "node" },
  { header: "heartbeats sent", align: "right" },
  { header: "heard", align: "right" },
  { header: "longest silence", align: "right" },
  { header: "suspicions", align: "right" },
  { header: "false", align: "right" },
  { header: "at the end" },
] as const

/** One row of the node table per watched node, in {@link NODE_COLUMNS}' order. */
export function nodeRows(result: FailureDetectorResult, time: ShowTime): string[][] {
  return result.nodes.map((node) => [
    node.node,
    formatCount(node.heartbeatsSent),
    formatCount(node.heartbeatsHeard),
    time(node.longestSilenceMs),
    formatCount(node.suspicions),
    formatCount(node.falseSuspicions),
    node.upAtEnd ? "up" : "down",
  ])
}

/** One line per crash: when it was suspected, with the observer's verdict. */
export function crashLines(result: FailureDetectorResult, time: ShowTime): string[] {
  return result.crashes.map((crash) => crashLine(crash, time))
}

function crashLine(crash: CrashDetection, time: ShowTime): string {
  const crashed = `${crash.node} crashed at t=${time(crash.crashedAt)}`
  if (crash.verdict === "already-suspected") {
    const since = crash.suspectedAt === null ? "?" : time(crash.suspectedAt)
    return `${crashed}: already (falsely) suspected since t=${since}, so there was no crash left to detect (not judged)`
  }
  const suspected =
    crash.suspectedAt === null
      ? "not suspected while down"
      : `suspected ${time(crash.suspectedAt - crash.crashedAt)} later`
  return `${crashed}: ${suspected} (${crash.verdict})`
}

/**
 * What the pause did: the silence it explains is at most the pause plus one heartbeat period plus
 * the latency spread; a longer silence had another cause (lost or late heartbeats, a partition).
 */
export function pauseLesson(
  params: FailureDetectorLessonParams,
  result: FailureDetectorResult,
  time: ShowTime,
): string[] {
  const paused = result.nodes.find((node) => node.node === PAUSED_NODE)!
  const explained = params.pauseMs + params.heartbeatMs + result.maxLatencyMs
  const ofPaused = result.suspicions.filter((s) => s.node === PAUSED_NODE)
  const lines: string[] = []
  if (paused.longestSilenceMs <= explained) {
    lines.push(
      `${PAUSED_NODE} stalled for ${time(params.pauseMs)}: the monitor heard nothing from it for ${time(paused.longestSilenceMs)} at most`,
      "(the pause, plus the part of a heartbeat period that had already passed).",
    )
  } else {
    const causes = [...new Set(ofPaused.map((s) => s.cause))].join(", ") || "lost or late heartbeats"
    lines.push(
      `${PAUSED_NODE} stalled for ${time(params.pauseMs)}, but its longest silence was ${time(paused.longestSilenceMs)}: more than the pause plus a heartbeat period`,
      `and the latency (${time(explained)}), so part of that silence had another cause (${causes}).`,
    )
  }
  if (ofPaused.some((s) => !s.correct && s.cause === "paused")) {
    lines.push(
      "The monitor suspected it during the pause although it was alive: a paused node looks exactly like a dead one.",
      "When it resumes it carries on as if nothing happened — holding leases and locks it may have lost.",
    )
  } else if (params.pauseMs + params.heartbeatMs <= params.timeoutMs) {
    lines.push(
      `The pause alone stays under the ${time(params.timeoutMs)} timeout, so it caused no suspicion. Try --pause-ms 500.`,
    )
  } else {
    lines.push("The pause caused no suspicion of its own in this run.")
  }
  return lines
}

/** The lesson: the pause's share, false suspicions and their causes, detection times, the trade-off. */
export function failureDetectorLesson(
  params: FailureDetectorLessonParams,
  result: FailureDetectorResult,
  time: ShowTime,
): LessonSection {
  const lines: string[] = []
  const falses = result.suspicions.filter((suspicion) => !suspicion.correct)
  if (!params.swarm && params.pauseMs > 0 && params.pauseAt < params.durationMs)
    lines.push(...pauseLesson(params, result, time))
  if (falses.length > 0 && (params.swarm || falses.some((s) => s.node !== PAUSED_NODE || s.cause !== "paused"))) {
    const causes = [...new Set(falses.map((s) => s.cause))].join(", ")
    lines.push(`${formatCount(falses.length)} false suspicion(s) in this run; causes: ${causes}.`)
  }
  const detected = result.crashes.flatMap((crash) => (crash.detectionMs === null ? [] : [time(crash.detectionMs)]))
  if (detected.length > 0) {
    lines.push(
      `Crashes were detected after ${detected.join(", ")}. In general, when no heartbeat is lost, detection takes between the timeout`,
      "minus one heartbeat period and the timeout plus the latency, depending on when the last heartbeat left.",
    )
  }
  const already = result.crashes.filter((crash) => crash.verdict === "already-suspected")
  if (already.length > 0) {
    lines.push(
      `${already.map((crash) => crash.node).join(", ")} crashed while already suspected: the detector had no crash left to detect, so this run says nothing about its detection time.`,
    )
  }
  lines.push(
    "A shorter --timeout-ms detects crashes sooner but suspects slow or unlucky nodes more often",
    "(try --timeout-ms 150 --loss 0.2); a longer one is safer but slower. No timeout tells a slow node",
    "from a dead one: that is why leases need fencing tokens and why consensus assumes partial synchrony.",
  )
  return { title: "Lesson", lines }
}

/** The quiz: the run's setup, then two questions to predict before running. */
export function failureDetectorQuiz(params: FailureDetectorLessonParams): string {
  return [
    `${PAUSED_NODE}, ${PARTITIONED_NODE} and ${CRASHED_NODE} send a heartbeat every ${params.heartbeatMs}ms; the monitor suspects a node after ${params.timeoutMs}ms of silence.`,
    params.pauseMs > 0
      ? `${PAUSED_NODE} stalls for ${params.pauseMs}ms at t=${params.pauseAt}ms.`
      : `${PAUSED_NODE} never stalls.`,
    params.crashAt < params.durationMs
      ? `${CRASHED_NODE} crashes at t=${params.crashAt}ms.`
      : `${CRASHED_NODE} never crashes.`,
    `1. Will the monitor suspect ${PAUSED_NODE}? Is it right to?`,
    `2. How long after its crash will ${CRASHED_NODE} be suspected: more or less than ${params.timeoutMs}ms?`,
  ].join("\n")
}
