/**
 * Failure detector: is a silent node dead, or only slow?
 * Covers: heartbeats, timeouts, false suspicion, detection time, GC/VM pauses, partitions, message
 *   loss
 * Scenario: n1, n2 and n3 send heartbeats to a monitor every 100ms; it suspects a node after 300ms
 *   of silence. n1 stalls for 150ms at t=450ms; n3 crashes at t=1550ms
 * Try: --pause-ms 500; --timeout-ms 150 --loss 0.2; --partition-ms 600; --swarm --seed 13
 */
import { defineSim, faultFlags, flag, formatTime, fromSimulation, type Params, renderTable } from "../src/cli/index.ts"
import { runMain, type WorkEstimate, workEstimate } from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import * as fd from "../src/models/failure-detector/index.ts"

/** Timeline lines shown at most (swarm runs can have many faults). */
const TIMELINE_MAX = 40
/** How the sim shows times: ms with one decimal, in the timeline and the report alike. */
const TIME = { unit: "ms", decimals: 1 } as const
const time = (ms: number): string => formatTime(ms, TIME)

/** The shorthand faults, each on its own node so their effects never mix; --faults adds more. */
export const FAULTS = faultFlags({
  description: `more faults, as a JSON fault plan over ${fd.ALL_NODES.join(", ")}`,
  nodesText: fd.ALL_NODES.join(", "),
  nodes: fd.ALL_NODES,
  example: '{"faults":[{"kind":"pause","node":"monitor","at":1600,"durationMs":400}]}',
  blame: "the shorthand fault flags",
  swarm: true,
  shorthand: [
    {
      kind: "pause",
      node: fd.PAUSED_NODE,
      at: { flag: "pauseAt", description: `when ${fd.PAUSED_NODE} stalls (a GC or VM pause)`, default: 450 },
      durationMs: { flag: "pauseMs", description: `how long ${fd.PAUSED_NODE} stalls; 0: no pause`, default: 150 },
    },
    {
      kind: "partition",
      node: fd.PARTITIONED_NODE,
      at: {
        flag: "partitionAt",
        description: `when ${fd.PARTITIONED_NODE} is cut off from every other node`,
        default: 2000,
      },
      durationMs: {
        flag: "partitionMs",
        description: `how long ${fd.PARTITIONED_NODE} is cut off; 0: no partition`,
        default: 0,
      },
    },
    {
      kind: "crash",
      node: fd.CRASHED_NODE,
      at: {
        flag: "crashAt",
        description: `when ${fd.CRASHED_NODE} crashes for good; at or after --duration-ms: never`,
        default: 1550,
      },
    },
  ],
})

const flags = {
  heartbeatMs: flag.ms("heartbeat period of each node", 100, { greaterThan: 0, max: 60_000 }),
  timeoutMs: flag.ms("silence after which the monitor suspects a node", 300, { greaterThan: 0, max: 600_000 }),
  latencyMs: flag.ms("mean one-way latency, uniform within ±50%", 5, { min: 0, max: 60_000 }),
  loss: flag.probability("probability that a message is lost", 0),
  ...FAULTS.shorthandFlags,
  durationMs: flag.ms("simulated time to run", 3000, { greaterThan: 0, max: 600_000 }),
  faults: FAULTS.faults,
  swarm: FAULTS.swarm,
}

type FailureDetectorParams = Params<typeof flags>

/** What the plan depends on besides the fault flags: the run's end (--swarm turns the shorthand off). */
const planContext = (params: FailureDetectorParams) => ({ untilMs: params.durationMs })

/**
 * Events of a run: 3.4 per heartbeat of each of the 3 senders, measured (4.5 leaves room); 607,795
 * events for heartbeats every 1ms over 60,000ms took 1.8 s of CPU (about 1.1 s of it start-up), so
 * 400,000/s leaves room. The run keeps no more than it reports (the timeline samples its first
 * records): `--heartbeat-ms 1 --duration-ms 600000` in text mode peaked at 165 MB RSS.
 */
function estimate(params: FailureDetectorParams): WorkEstimate {
  const events = 3 * 4.5 * (params.durationMs / params.heartbeatMs + 1) + 1000
  const advice = "raise --heartbeat-ms or lower --duration-ms"
  return workEstimate({ events, eventsPerSecond: 400_000, simTime: params.durationMs, advice })
}

const failureDetector = defineSim({
  name: "failure-detector",
  title: "Failure detector: is a silent node dead, or only slow?",
  header: {
    covers: "heartbeats, timeouts, false suspicion, detection time, GC/VM pauses, partitions, message loss",
    scenario: `${fd.PAUSED_NODE}, ${fd.PARTITIONED_NODE} and ${fd.CRASHED_NODE} send heartbeats to a monitor every 100ms; it suspects a node after 300ms of silence. ${fd.PAUSED_NODE} stalls for 150ms at t=450ms; ${fd.CRASHED_NODE} crashes at t=1550ms`,
    try: ["--pause-ms 500", "--timeout-ms 150 --loss 0.2", "--partition-ms 600", "--swarm --seed 13"],
  },
  time: TIME,
  metrics: fd.FAILURE_DETECTOR_METRICS,
  flags,
  estimate,
  // The --faults plan must name known nodes and leave room for the shorthand faults before its healAt.
  constraints: [FAULTS.constraint(planContext)],
  quiz: fd.failureDetectorQuiz,
  run(params, context) {
    const { plan, swarmLine } = FAULTS.runPlan(params, context.seed, planContext(params))
    const sim = context.simulation()
    const sample = context.output === "text" ? new TraceSample(sim.trace, fd.isTimelineRecord, TIMELINE_MAX) : undefined
    const { heartbeatMs, timeoutMs, latencyMs, loss: lossProbability, durationMs } = params
    const options = { heartbeatMs, timeoutMs, latencyMs, lossProbability, durationMs, plan }
    const result = new fd.FailureDetectorScenario(sim, options).run(context.advance)
    const checks = [fd.checkNoFalseSuspicion(result, timeoutMs), fd.checkCrashDetectedWithinTimeout(result, timeoutMs)]
    const outcome = { ...fromSimulation(sim), metrics: result.summary(), checks }
    if (sample === undefined) return outcome
    const report = { plan, swarmLine, time, table: renderTable }
    return { ...outcome, ...fd.failureDetectorReport(sample, params, result, report) }
  },
})

export default failureDetector

await runMain(failureDetector, import.meta.url)
