/**
 * Failure detector: is a silent node dead, or only slow?
 * Covers: heartbeats, timeouts, false suspicion, detection time, GC/VM pauses, partitions, loss.
 * Scenario: n1, n2 and n3 send a heartbeat to a monitor every 100ms; the monitor suspects a node
 *   after 300ms of silence. n1 stalls for 150ms at t=450ms; n3 crashes for good at t=1550ms.
 * Try: --pause-ms 500 (a paused node looks dead); --timeout-ms 150 --loss 0.2 (faster detection,
 *   more false suspicions); --partition-ms 600; --swarm --seed 13.
 */
import { defineSim, type FaultPlanContext, faultFlags, flag, formatCount, formatTime } from "../src/cli/index.ts"
import { fromSimulation, type Params, renderTable, runMain, type TextSection } from "../src/cli/index.ts"
import { type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { describeSwarm, swarm } from "../src/check/swarm.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  ALL_NODES,
  checkCrashDetectedWithinTimeout,
  checkNoFalseSuspicion,
} from "../src/models/failure-detector/index.ts"
import { type FailureDetectorRecord, type FailureDetectorResult } from "../src/models/failure-detector/index.ts"
import { FailureDetectorScenario, failureDetectorTimeline } from "../src/models/failure-detector/index.ts"
import { isTimelineRecord, suspicionVerdicts } from "../src/models/failure-detector/index.ts"
import { describeFaultPlanLines, type FaultPlan } from "../src/net/index.ts"

/** With --swarm and no healAt in --faults, faults strike during this fraction of the run, then heal. */
const SWARM_FAULT_PHASE = 2 / 3
/** Timeline lines shown at most (swarm runs can have many faults). */
const TIMELINE_MAX = 40
/** The node the shorthand pause hits. */
const PAUSED_NODE = "n1"
/** The node the shorthand partition cuts off. */
const PARTITIONED_NODE = "n2"
/** The node the shorthand crash hits. */
const CRASHED_NODE = "n3"

/** The shorthand faults, each on its own node so their effects never mix; --faults adds more. */
export const FAULTS = faultFlags({
  description: `more faults, as a JSON fault plan over ${ALL_NODES.join(", ")}`,
  nodesText: ALL_NODES.join(", "),
  nodes: ALL_NODES,
  example: '{"faults":[{"kind":"pause","node":"monitor","at":1600,"durationMs":400}]}',
  blame: "the shorthand fault flags",
  shorthand: [
    {
      kind: "pause",
      node: PAUSED_NODE,
      at: { flag: "pauseAt", description: `when ${PAUSED_NODE} stalls (a GC or VM pause)`, default: 450 },
      durationMs: { flag: "pauseMs", description: `how long ${PAUSED_NODE} stalls; 0: no pause`, default: 150 },
    },
    {
      kind: "partition",
      node: PARTITIONED_NODE,
      at: {
        flag: "partitionAt",
        description: `when ${PARTITIONED_NODE} is cut off from every other node`,
        default: 2000,
      },
      durationMs: {
        flag: "partitionMs",
        description: `how long ${PARTITIONED_NODE} is cut off; 0: no partition`,
        default: 0,
      },
    },
    {
      kind: "crash",
      node: CRASHED_NODE,
      at: {
        flag: "crashAt",
        description: `when ${CRASHED_NODE} crashes for good; at or after --duration-ms: never`,
        default: 1550,
      },
    },
  ],
})

const flags = {
  heartbeatMs: flag.number({
    description: "heartbeat period of each node",
    unit: "ms",
    default: 100,
    greaterThan: 0,
    max: 60_000,
  }),
  timeoutMs: flag.number({
    description: "silence after which the monitor suspects a node",
    unit: "ms",
    default: 300,
    greaterThan: 0,
    max: 600_000,
  }),
  latencyMs: flag.number({
    description: "mean one-way latency, uniform within ±50%",
    unit: "ms",
    default: 5,
    min: 0,
    max: 60_000,
  }),
  loss: flag.number({
    description: "probability that a message is lost",
    unit: "probability",
    default: 0,
    min: 0,
    max: 1,
  }),
  ...FAULTS.shorthandFlags,
  durationMs: flag.number({
    description: "simulated time to run",
    unit: "ms",
    default: 3000,
    greaterThan: 0,
    max: 600_000,
  }),
  faults: FAULTS.faults,
  swarm: flag.boolean({
    description: "draw the faults from the seed (swarm testing) instead of the pause/partition/crash flags",
    default: false,
  }),
}

type FailureDetectorParams = Params<typeof flags>

/** What the plan depends on besides the fault flags: the run's end, and --swarm (no shorthand faults). */
function planContext(params: FailureDetectorParams): FaultPlanContext {
  return { untilMs: params.durationMs, shorthand: !params.swarm }
}

/** Start of the healing phase of a swarm run. */
function swarmHealAt(params: FailureDetectorParams, jsonHealAt: number | undefined): number {
  return Math.max(1, Math.floor(jsonHealAt ?? params.durationMs * SWARM_FAULT_PHASE))
}

/** The whole plan: the flags' plan plus, with --swarm, the faults the seed draws. */
function runPlan(params: FailureDetectorParams, seed: number): { plan: FaultPlan; swarmLine: string | undefined } {
  const fromFlags = FAULTS.plan(params, planContext(params))
  if (!params.swarm) return { plan: fromFlags, swarmLine: undefined }
  const healAt = swarmHealAt(params, fromFlags.healAt)
  const drawn = swarm(seed, { nodes: ALL_NODES, horizonMs: healAt, heal: true })
  const plan = { faults: [...fromFlags.faults, ...drawn.plan.faults], healAt }
  return { plan, swarmLine: describeSwarm(drawn.options) }
}

/** How the sim shows times: ms with one decimal, in the timeline and the report alike. */
const TIME = { unit: "ms", decimals: 1 } as const

/** The timeline section: the sampled records in words, with the observer's verdicts. */
function timelineOf(sample: TraceSample<FailureDetectorRecord>, result: FailureDetectorResult, timeoutMs: number) {
  const context = { timeoutMs, verdictOf: suspicionVerdicts(result.suspicions) }
  const entries = sample.records.map((record) => ({
    t: record.t,
    text: failureDetectorTimeline(record, context) ?? "",
  }))
  const title =
    sample.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${sample.total} events)` : "Timeline"
  return { title, entries }
}

const RIGHT = "right" as const
const NODE_COLUMNS = [
  { header: "node" },
  { header: "heartbeats sent", align: RIGHT },
  { header: "heard", align: RIGHT },
  { header: "longest silence", align: RIGHT },
  { header: "suspicions", align: RIGHT },
  { header: "false", align: RIGHT },
  { header: "at the end" },
]

function nodeTable(result: FailureDetectorResult): TextSection {
  const rows = result.nodes.map((node) => [
    node.node,
    formatCount(node.heartbeatsSent),
    formatCount(node.heartbeatsHeard),
    formatTime(node.longestSilenceMs, TIME),
    formatCount(node.suspicions),
    formatCount(node.falseSuspicions),
    node.upAtEnd ? "up" : "down",
  ])
  const table = renderTable(NODE_COLUMNS, rows)
  const crashes = result.crashes.map((crash) =>
    crash.verdict === "already-suspected"
      ? `${crash.node} crashed at t=${formatTime(crash.crashedAt, TIME)}: already (falsely) suspected since t=${crash.suspectedAt === null ? "?" : formatTime(crash.suspectedAt, TIME)}, so there was no crash left to detect (not judged)`
      : `${crash.node} crashed at t=${formatTime(crash.crashedAt, TIME)}: ${crash.suspectedAt === null ? "not suspected while down" : `suspected ${formatTime(crash.suspectedAt - crash.crashedAt, TIME)} later`} (${crash.verdict})`,
  )
  return { title: "What the monitor heard", lines: [...table, ...crashes] }
}

/**
 * What the pause did: the silence it explains is at most the pause plus one heartbeat period plus
 * the latency spread; a longer silence had another cause (lost or late heartbeats, a partition).
 */
function pauseLesson(params: FailureDetectorParams, result: FailureDetectorResult): string[] {
  const paused = result.nodes.find((node) => node.node === PAUSED_NODE)!
  const explained = params.pauseMs + params.heartbeatMs + result.maxLatencyMs
  const pauseSuspicions = result.suspicions.filter((s) => s.node === PAUSED_NODE && !s.correct && s.cause === "paused")
  const lines: string[] = []
  if (paused.longestSilenceMs <= explained) {
    lines.push(
      `${PAUSED_NODE} stalled for ${formatTime(params.pauseMs, TIME)}: the monitor heard nothing from it for ${formatTime(paused.longestSilenceMs, TIME)} at most`,
      "(the pause, plus the part of a heartbeat period that had already passed).",
    )
  } else {
    lines.push(
      `${PAUSED_NODE} stalled for ${formatTime(params.pauseMs, TIME)}, but its longest silence was ${formatTime(paused.longestSilenceMs, TIME)}: more than the pause plus a heartbeat period`,
      `and the latency (${formatTime(explained, TIME)}), so part of that silence had another cause (${[...new Set(result.suspicions.filter((s) => s.node === PAUSED_NODE).map((s) => s.cause))].join(", ") || "lost or late heartbeats"}).`,
    )
  }
  if (pauseSuspicions.length > 0) {
    lines.push(
      "The monitor suspected it during the pause although it was alive: a paused node looks exactly like a dead one.",
      "When it resumes it carries on as if nothing happened — holding leases and locks it may have lost.",
    )
  } else if (params.pauseMs + params.heartbeatMs <= params.timeoutMs) {
    lines.push(
      `The pause alone stays under the ${formatTime(params.timeoutMs, TIME)} timeout, so it caused no suspicion. Try --pause-ms 500.`,
    )
  } else {
    lines.push("The pause caused no suspicion of its own in this run.")
  }
  return lines
}

function lesson(params: FailureDetectorParams, result: FailureDetectorResult): TextSection {
  const lines: string[] = []
  const falses = result.suspicions.filter((suspicion) => !suspicion.correct)
  if (!params.swarm && params.pauseMs > 0 && params.pauseAt < params.durationMs)
    lines.push(...pauseLesson(params, result))
  if (falses.length > 0 && (params.swarm || falses.some((s) => s.node !== PAUSED_NODE || s.cause !== "paused"))) {
    lines.push(
      `${formatCount(falses.length)} false suspicion(s) in this run; causes: ${[...new Set(falses.map((s) => s.cause))].join(", ")}.`,
    )
  }
  const detected = result.crashes.filter((crash) => crash.detectionMs !== null)
  if (detected.length > 0) {
    lines.push(
      `Crashes were detected after ${detected.map((crash) => formatTime(crash.detectionMs!, TIME)).join(", ")}. In general, when no heartbeat is lost, detection takes between the timeout`,
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

/**
 * Events per second of a failure-detector run, measured: 607,795 events for heartbeats every 1ms
 * over 60,000ms in 1.8 s of CPU (about 1.1 s of it start-up); 400,000/s leaves room.
 */
const EVENTS_PER_SECOND = 400_000
/** Events per heartbeat of one node (send, delivery, the monitor's check), measured: 3.4; 4.5 leaves room. */
const EVENTS_PER_HEARTBEAT = 4.5
/** Nodes that send heartbeats. */
const SENDERS = 3

/**
 * The run keeps no more than it reports (the timeline samples its first records), so memory does
 * not grow with the run: `--heartbeat-ms 1 --duration-ms 600000` in text mode peaked at 165 MB RSS
 * (`/usr/bin/time -v`; 748 MB when the whole trace was kept for the timeline).
 */
function estimate(params: FailureDetectorParams): WorkEstimate {
  const events = SENDERS * EVENTS_PER_HEARTBEAT * (params.durationMs / params.heartbeatMs + 1) + 1000
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND,
    simTime: params.durationMs,
    advice: "raise --heartbeat-ms or lower --duration-ms",
  })
}

const failureDetector = defineSim({
  name: "failure-detector",
  title: "Failure detector: is a silent node dead, or only slow?",
  header: {
    covers: "heartbeats, timeouts, false suspicion, detection time, GC/VM pauses, partitions, message loss",
    scenario: `${PAUSED_NODE}, ${PARTITIONED_NODE} and ${CRASHED_NODE} send heartbeats to a monitor every 100ms; it suspects a node after 300ms of silence. ${PAUSED_NODE} stalls for 150ms at t=450ms; ${CRASHED_NODE} crashes at t=1550ms`,
    try: ["--pause-ms 500", "--timeout-ms 150 --loss 0.2", "--partition-ms 600", "--swarm --seed 13"],
  },
  time: TIME,
  metrics: {
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
  },
  flags,
  estimate,
  // The --faults plan must name known nodes and leave room for the shorthand faults before its healAt.
  constraints: [FAULTS.constraint(planContext)],
  quiz(params) {
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
  },
  run(params, context) {
    const { plan, swarmLine } = runPlan(params, context.seed)
    const sim = context.simulation()
    const sample = context.output === "text" ? new TraceSample(sim.trace, isTimelineRecord, TIMELINE_MAX) : undefined
    const { heartbeatMs, timeoutMs, latencyMs, loss: lossProbability, durationMs } = params
    const scenario = new FailureDetectorScenario(sim, {
      heartbeatMs,
      timeoutMs,
      latencyMs,
      lossProbability,
      durationMs,
      plan,
    })
    const result = scenario.run(context.advance)
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample, result, timeoutMs),
            sections: [
              {
                title: "Fault plan",
                lines: [...(swarmLine === undefined ? [] : [swarmLine]), ...describeFaultPlanLines(plan)],
              },
              nodeTable(result),
              lesson(params, result),
            ],
          }
    const checks = [checkNoFalseSuspicion(result, timeoutMs), checkCrashDetectedWithinTimeout(result, timeoutMs)]
    return { ...fromSimulation(sim), metrics: result.summary(), checks, ...text }
  },
})

export default failureDetector

await runMain(failureDetector, import.meta.url)
