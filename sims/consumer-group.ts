/**
 * Consumer group: who owns which partition, and what does a rebalance cost?
 * Covers: consumer groups, JoinGroup/SyncGroup, generations, heartbeats, session timeout, eager vs
 *   cooperative rebalancing, assignors, static membership, zombies
 * Scenario: 3 brokers; topic t0 with 6 partitions; 200 records/s; consumers c0..c2 (5 ms per
 *   record) join at t=0, c3 joins at 30 s, c1 crashes silently at 60 s
 * Try: --protocol cooperative --assignor cooperative-sticky; --static --crash-at c1@60000 --join-at
 *   c1@70000; --pause-at c1@20000+50000 --join-at none --crash-at none --processing-ms 10
 */
import {
  type Constraint,
  defineSim,
  faultFlags,
  flag,
  formatCount,
  formatTime,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  type ChurnEvent,
  type ConsumerGroupResult,
  ConsumerGroupScenario,
  type ConsumerGroupSummary,
  consumerNames,
  GROUP_STORY_EVENTS,
  type GroupEvent,
  groupTimelineLine,
  ownershipIntervals,
  type PauseEvent,
  SCENARIO_GROUP,
} from "../src/models/kafka/group/index.ts"
import { TopicLayout } from "../src/models/kafka/topic-layout.ts"
import { describeFaultPlanLines, isFaultEvent, isNetEvent, type NetEvent } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 40
/** Brokers of the cluster. */
const BROKERS = ["b1", "b2", "b3"]
const TIME = { unit: "ms", decimals: 1 } as const
const DEFAULT_JOIN = "c3@30000"
const DEFAULT_CRASH = "c1@60000"

const FAULTS = faultFlags<never>({
  description: "network faults (and more), as a JSON fault plan over the brokers b1..b3 and the consumers",
  nodesText: "b1, b2, b3, and the consumers c0..c<n-1> plus those --join-at names",
  example: '{"faults":[{"kind":"partition","groups":[["c2"]],"at":40000,"healAt":50000}]}',
  shorthand: [],
})

/** `c1@60000,c2@70000` (pauses: `c1@20000+50000`), or `none`. */
export function parseChurn(text: string, withDuration: boolean): (ChurnEvent & { durationMs?: number })[] | string {
  if (text.trim() === "none") return []
  const shape = withDuration ? /^c(\d+)@(\d+(?:\.\d+)?)\+(\d+(?:\.\d+)?)$/ : /^c(\d+)@(\d+(?:\.\d+)?)$/
  const events: (ChurnEvent & { durationMs?: number })[] = []
  for (const part of text.split(",")) {
    const match = shape.exec(part.trim())
    const example = withDuration ? "c1@20000+50000" : "c3@30000"
    if (match === null)
      return `a comma list of c<i>@<ms>${withDuration ? "+<durationMs>" : ""} with times >= 0 (e.g. ${example}), or none`
    const durationMs = withDuration ? Number(match[3]) : undefined
    if (durationMs !== undefined && durationMs <= 0) return `a pause lasts > 0 ms (e.g. ${example})`
    events.push({
      consumer: `c${Number(match[1])}`,
      at: Number(match[2]),
      ...(durationMs === undefined ? {} : { durationMs }),
    })
  }
  return events
}

function churnFlag(description: string, defaultValue: string, withDuration: boolean) {
  return flag.string({
    description,
    unit: "ms",
    default: defaultValue,
    allowed: withDuration ? "c<i>@<ms>+<durationMs>,... or none" : "c<i>@<ms>,... or none",
    check: (value) => {
      const parsed = parseChurn(value, withDuration)
      return typeof parsed === "string" ? parsed : undefined
    },
  })
}

const flags = {
  topics: flag.string({
    description: "topics and their partition counts",
    default: "t0:6",
    allowed: "<topic>:<partitions>,... e.g. t0:3,t1:3",
    check: (value) => {
      try {
        const layout = TopicLayout.parse(value)
        return layout.totalPartitions > 64 ? "at most 64 partitions in all" : undefined
      } catch (error) {
        return `<topic>:<partitions>,... e.g. t0:3,t1:3 (${(error as Error).message})`
      }
    },
  }),
  consumers: flag.integer({
    description: "consumers c0..c<n-1>, started at t=0 (at most 9, so member ids sort in name order)",
    unit: "consumers",
    default: 3,
    min: 1,
    max: 9,
  }),
  assignor: flag.choice({
    description: "partition.assignment.strategy",
    choices: ["range", "roundrobin", "sticky", "cooperative-sticky"],
    default: "range",
  }),
  protocol: flag.choice({
    description: "rebalance protocol (cooperative requires --assignor cooperative-sticky)",
    choices: ["eager", "cooperative"],
    default: "eager",
  }),
  static: flag.boolean({ description: "static membership: group.instance.id = the consumer's name", default: false }),
  joinAt: churnFlag(
    `consumers that start later: a new name, or one that left or crashed coming back (default ${DEFAULT_JOIN}; with --consumers n: c<n>@30000)`,
    DEFAULT_JOIN,
    false,
  ),
  leaveAt: churnFlag("consumers that leave cleanly (LeaveGroup)", "none", false),
  crashAt: churnFlag(
    `consumers that crash silently (default ${DEFAULT_CRASH}; none with --consumers 1)`,
    DEFAULT_CRASH,
    false,
  ),
  pauseAt: churnFlag("consumers that stall (a GC or VM pause) at <ms> for <durationMs>", "none", true),
  sessionTimeoutMs: flag.number({
    description: "session.timeout.ms: silence after which the coordinator removes a member",
    unit: "ms",
    default: 45_000,
    min: 6000,
    max: 1_800_000,
  }),
  heartbeatMs: flag.number({
    description: "heartbeat.interval.ms",
    unit: "ms",
    default: 3000,
    min: 10,
    max: 600_000,
  }),
  rate: flag.number({
    description: "records produced per second across the topics",
    unit: "records/s",
    default: 200,
    greaterThan: 0,
    max: 20_000,
  }),
  processingMs: flag.number({
    description: "processing time of one record",
    unit: "ms",
    default: 5,
    min: 0,
    max: 60_000,
  }),
  durationMs: flag.number({
    description: "simulated time to run",
    unit: "ms",
    default: 120_000,
    greaterThan: 0,
    max: 600_000,
  }),
  faults: FAULTS.faults,
}

type GroupParams = Params<typeof flags>

interface Churn {
  readonly joins: ChurnEvent[]
  readonly leaves: ChurnEvent[]
  readonly crashes: ChurnEvent[]
  readonly pauses: PauseEvent[]
}

/** The churn of a run; a default join or crash adapts to --consumers (see the flags). */
export function churnOf(params: GroupParams): Churn {
  const list = (text: string, withDuration = false) => parseChurn(text, withDuration) as PauseEvent[]
  const joinText = params.joinAt === DEFAULT_JOIN ? `c${params.consumers}@30000` : params.joinAt
  const crashText = params.crashAt === DEFAULT_CRASH && params.consumers === 1 ? "none" : params.crashAt
  return {
    joins: list(joinText),
    leaves: list(params.leaveAt),
    crashes: list(crashText),
    pauses: list(params.pauseAt, true),
  }
}

/** Why the churn is impossible (a name nobody starts, a join of a running consumer), or undefined. */
export function churnProblem(params: GroupParams): string | undefined {
  const churn = churnOf(params)
  const initial = new Set(Array.from({ length: params.consumers }, (_, i) => `c${i}`))
  const joined = new Set(churn.joins.map((j) => j.consumer))
  for (const [flagName, events] of [
    ["--leave-at", churn.leaves],
    ["--crash-at", churn.crashes],
    ["--pause-at", churn.pauses],
  ] as const)
    for (const e of events)
      if (!initial.has(e.consumer) && !joined.has(e.consumer))
        return `${flagName} names ${e.consumer}: allowed are c0..c${params.consumers - 1} (--consumers ${params.consumers}) and the consumers --join-at starts`
  for (const join of churn.joins) {
    const running =
      initial.has(join.consumer) ||
      churn.joins.some((j) => j !== join && j.consumer === join.consumer && j.at < join.at)
    const gone = [...churn.leaves, ...churn.crashes].some((e) => e.consumer === join.consumer && e.at < join.at)
    if (running && !gone)
      return `--join-at ${join.consumer}@${join.at}: ${join.consumer} is running then; allowed: a new name (c${params.consumers}, ...) or one that left or crashed earlier`
  }
  return undefined
}

const churnConstraint: Constraint<GroupParams> = {
  params: ["consumers", "joinAt", "leaveAt", "crashAt", "pauseAt"],
  holds: (params) => churnProblem(params) === undefined,
  message:
    "--leave-at, --crash-at and --pause-at may name c0..c<n-1> (n = --consumers) or a consumer --join-at starts; --join-at names a new consumer or one that left or crashed before",
}

const protocolConstraint: Constraint<GroupParams> = {
  params: ["protocol", "assignor"],
  holds: (params) => params.protocol === "eager" || params.assignor === "cooperative-sticky",
  message:
    "the cooperative protocol requires a cooperative assignor; allowed: --assignor cooperative-sticky (or --protocol eager)",
}

const heartbeatConstraint: Constraint<GroupParams> = {
  params: ["heartbeatMs", "sessionTimeoutMs"],
  holds: (params) => params.heartbeatMs < params.sessionTimeoutMs,
  message:
    "heartbeats must come more often than the session timeout; allowed: --heartbeat-ms below --session-timeout-ms",
}

function nodesOf(params: GroupParams): string[] {
  const consumers = consumerNames({ consumers: params.consumers, joins: churnOf(params).joins })
  return [...BROKERS, ...consumers]
}

function topicsOf(params: GroupParams): Record<string, number> {
  return Object.fromEntries(TopicLayout.parse(params.topics).topics.map((t) => [t.name, t.partitions]))
}

function isShown(record: Traced): record is Traced<GroupEvent | NetEvent> {
  if (isNetEvent(record)) return isFaultEvent(record)
  return GROUP_STORY_EVENTS.has(record.type) && groupTimelineLine(record as Traced<GroupEvent>) !== undefined
}

/** How long each partition had had no owner when it was assigned at `t` (undefined: never owned before). */
function unownedBefore(result: ConsumerGroupResult): (key: string, t: number) => number | undefined {
  const intervals = ownershipIntervals(result.events, SCENARIO_GROUP)
  return (key, t) => {
    const before = (intervals.get(key) ?? []).filter((i) => i.from < t)
    if (before.length === 0) return undefined
    const lastEnd = Math.max(...before.map((i) => i.to ?? Infinity))
    return lastEnd >= t ? undefined : t - lastEnd
  }
}

function timelineOf(sample: TraceSample<GroupEvent | NetEvent>, result: ConsumerGroupResult) {
  const context = { unownedBefore: unownedBefore(result) }
  const entries = sample.records.map((record) => ({ t: record.t, text: groupTimelineLine(record, context) ?? "" }))
  const title =
    sample.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${sample.total} events)` : "Timeline"
  return { title, entries }
}

function historyTable(summary: ConsumerGroupSummary, consumers: readonly string[]): TextSection {
  const columns = [
    { header: "generation", align: "right" as const },
    { header: "at" },
    ...consumers.map((c) => ({ header: c })),
  ]
  const rows = summary.assignmentHistory.map((h) => [
    String(h.generation),
    formatTime(h.t, TIME),
    ...consumers.map((c) => (h.assignment[c] as readonly string[] | undefined)?.join(",") ?? "-"),
  ])
  const unowned = Object.entries(summary.unownedPartitionMs).map(([tp, ms]) => `${tp} ${formatTime(ms, TIME)}`)
  return {
    title: "Assignments",
    lines: [
      ...renderTable(columns, rows),
      `Time without an owner, per partition: ${unowned.join(", ")}.`,
      `No partition had an owner (stop-the-world) for ${formatTime(summary.stopTheWorldMs, TIME)}.`,
    ],
  }
}

function crashLines(params: GroupParams, result: ConsumerGroupResult): string[] {
  const lines: string[] = []
  const churn = churnOf(params)
  for (const crash of churn.crashes) {
    if (crash.at >= result.endMs) continue
    const crashed = `${crash.consumer} crashed at t=${formatTime(crash.at, TIME)}`
    const removed = result.events.find(
      (e) => e.type === "MemberRemoved" && e.t > crash.at && e.member.startsWith(`${crash.consumer}-`),
    )
    const replaced = result.events.find(
      (e) => e.type === "StaticMemberReplaced" && e.t > crash.at && e.groupInstanceId === crash.consumer,
    )
    if (replaced !== undefined && (removed === undefined || replaced.t < removed.t)) {
      lines.push(
        `${crashed} and came back at t=${formatTime(replaced.t, TIME)} with the same group.instance.id before its session timed out: ` +
          `the coordinator gave it its old place without a rebalance, and its partitions waited at least ${formatTime(replaced.t - crash.at, TIME)} with no one processing them.`,
      )
    } else if (removed === undefined) {
      lines.push(`${crashed} and was not removed by the end: its partitions kept a dead owner.`)
    } else {
      lines.push(
        `${crashed}; the coordinator removed it ${formatTime(removed.t - crash.at, TIME)} later (no heartbeat within --session-timeout-ms): until then its partitions had an owner that processed nothing.`,
      )
    }
  }
  return lines
}

function lesson(params: GroupParams, result: ConsumerGroupResult): TextSection {
  const summary = result.summary()
  const total = Object.values(summary.unownedPartitionMs).reduce((a, b) => a + b, 0)
  const lines: string[] = []
  const rebalances = `${formatCount(summary.rebalances)} generation(s)`
  if (params.protocol === "eager")
    lines.push(
      `Eager rebalancing (${rebalances}): every member revokes all its partitions before rejoining, so at each rebalance the`,
      `group stops; here no partition had an owner for ${formatTime(summary.stopTheWorldMs, TIME)} in all, and partitions went without an owner for ${formatTime(total, TIME)} summed.`,
    )
  else
    lines.push(
      `Cooperative rebalancing (${rebalances}): members keep the partitions that stay theirs (stop-the-world ${formatTime(summary.stopTheWorldMs, TIME)});`,
      `a moved partition is revoked in one rebalance and assigned in the next, waiting for the others' next heartbeat: partitions went without an owner for ${formatTime(total, TIME)} summed.`,
    )
  lines.push(...crashLines(params, result))
  const concurrent = result.checks.find((c) => c.name === "no-concurrent-processing")!
  if (!concurrent.held)
    lines.push(
      "A member paused past its session was removed while it slept; it woke up and finished its batch while the new owner processed the same",
      "partition: a zombie. Its commit was refused (stale generation), but the records were processed twice.",
    )
  lines.push(
    params.protocol === "eager"
      ? "Compare --protocol cooperative --assignor cooperative-sticky on the same seed: which partitions stop, and for how long."
      : "Compare --protocol eager on the same seed: which partitions stop, and for how long.",
  )
  return { title: "Lesson", lines }
}

/**
 * Events per simulated second and member (consumers and the brokers' fetch loops, replication,
 * heartbeats), and per record: most events come with simulated time, not records, since fetches
 * and produce requests carry what arrived since the last one. Measured on 2026-12-07 with 3
 * consumers: 539,272 events in 120,000 ms at 200 records/s (4,500 a second, 22 a record), and
 * 3,740,330 in 600,000 ms at 20,000/s (6,200 a second, 0.3 a record).
 */
const EVENTS_PER_SIM_SECOND_AND_MEMBER = 1500
const EVENTS_PER_RECORD = 0.5
/**
 * Events per second of CPU, measured on 2026-12-07 (load average 11-14): 600,000 ms at 20,000
 * records/s (the flag's largest) took 13.4 s of CPU with the JSON report (436 MB peak), 7.1 s
 * in text (418 MB): about 340,000 events a second after the ~2.3 s of start-up.
 */
const EVENTS_PER_SECOND = 250_000
/** Bytes kept per record (the brokers' logs), measured: 22 B (436 MB peak for 12,000,000 records). */
const BYTES_PER_RECORD = 40

function estimate(params: GroupParams): WorkEstimate {
  const records = (params.rate * params.durationMs) / 1000
  const heartbeats = ((params.consumers + 2) * params.durationMs) / params.heartbeatMs
  const background = (EVENTS_PER_SIM_SECOND_AND_MEMBER * (params.consumers + 2) * params.durationMs) / 1000
  return workEstimate({
    events: records * EVENTS_PER_RECORD + background + heartbeats * 20 + 10_000,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: records * BYTES_PER_RECORD,
    simTime: params.durationMs,
    advice: "lower --rate or --duration-ms",
  })
}

const consumerGroup = defineSim({
  name: "consumer-group",
  title: "Consumer group: who owns which partition, and what does a rebalance cost?",
  header: {
    covers:
      "consumer groups, JoinGroup/SyncGroup, generations, heartbeats, session timeout, eager vs cooperative rebalancing, assignors, static membership, zombies",
    scenario:
      "3 brokers; topic t0 with 6 partitions; 200 records/s; consumers c0..c2 (5 ms per record) join at t=0, c3 joins at 30 s, c1 crashes silently at 60 s",
    try: [
      "--protocol cooperative --assignor cooperative-sticky",
      "--static --crash-at c1@60000 --join-at c1@70000",
      "--pause-at c1@20000+50000 --join-at none --crash-at none --processing-ms 10",
    ],
  },
  time: TIME,
  metrics: {
    assignment: {
      description: "final: consumer → sorted partitions it owns (every consumer, [] if none)",
      unit: "partitions",
    },
    rebalances: { description: "generations the group went through (the first join counts)", unit: "generations" },
    assignmentHistory: {
      description: "per generation: t (ms), generation, assignment (consumer → partitions)",
      unit: "see fields",
    },
    unownedPartitionMs: { description: "per partition: time without an owner after its first one", unit: "ms" },
    stopTheWorldMs: { description: "time during which no partition had an owner", unit: "ms" },
  },
  flags,
  estimate,
  constraints: [
    protocolConstraint,
    churnConstraint,
    heartbeatConstraint,
    FAULTS.constraint<GroupParams>((params) => ({ nodes: nodesOf(params) })),
  ],
  quiz(params) {
    const churn = churnOf(params)
    return [
      `${params.consumers} consumer(s) share ${params.topics} with ${params.assignor} (${params.protocol});` +
        ` ${churn.joins.map((j) => `${j.consumer} joins at ${j.at}ms`).join(", ") || "nobody joins"};` +
        ` ${churn.crashes.map((c) => `${c.consumer} crashes at ${c.at}ms`).join(", ") || "nobody crashes"}.`,
      "1. Which partitions stop being processed at each rebalance, and for how long?",
      `2. How long after a crash does the coordinator notice (session timeout ${params.sessionTimeoutMs}ms)?`,
    ].join("\n")
  },
  run(params, context) {
    const churn = churnOf(params)
    const sim = context.simulation()
    const sample =
      context.output === "text" ? new TraceSample<GroupEvent | NetEvent>(sim.trace, isShown, TIMELINE_MAX) : undefined
    const plan = FAULTS.plan(params, { nodes: nodesOf(params) })
    const scenario = new ConsumerGroupScenario(sim, {
      topics: topicsOf(params),
      consumers: params.consumers,
      assignor: params.assignor,
      protocol: params.protocol,
      static: params.static,
      ...churn,
      sessionTimeoutMs: params.sessionTimeoutMs,
      heartbeatIntervalMs: params.heartbeatMs,
      ratePerSecond: params.rate,
      processingMs: params.processingMs,
      durationMs: params.durationMs,
      plan,
    })
    const result = scenario.run(context.advance)
    const summary = result.summary()
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample, result),
            sections: [
              ...(plan.faults.length === 0 ? [] : [{ title: "Fault plan", lines: describeFaultPlanLines(plan) }]),
              historyTable(summary, result.consumers),
              lesson(params, result),
            ],
          }
    return { ...fromSimulation(sim), metrics: summary, checks: [...result.checks], ...text }
  },
})

export default consumerGroup

await runMain(consumerGroup, import.meta.url)
