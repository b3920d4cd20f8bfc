/**
 * Kafka acks: which acknowledged writes survive a broker failure, and why?
 * Covers: acks=0/1/all, ISR, high watermark, min.insync.replicas, leader election, truncation
 * Scenario: 3 brokers, one partition with 3 replicas led by b1, min.insync.replicas=2; a producer
 *   writes 1000 records at 1000/s with acks=all; b1 crashes at t=600ms and restarts at t=15s
 * Try: --acks 1; --acks 0; --partition-leader-at 200 --crash-leader-at -1; --min-insync 1
 *   --unclean-election --replica-lag-ms 1000 --crash-leader-at 1500 --restart-at -1 --faults
 *   '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}'
 */
import {
  type CheckResult,
  type Constraint,
  defineSim,
  type EstimateContext,
  flag,
  formatCount,
  fromSimulation,
  type Params,
  faultFlags,
  renderTable,
  runMain,
  type TextSection,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import type { Trace, Traced } from "../src/kernel/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  KafkaScenario,
  SUMMARY_LOST_MAX,
  type KafkaEvent,
  type KafkaHistory,
  type KafkaRunResult,
  kafkaTimelineLine,
  type LostCause,
  type LostRecord,
} from "../src/models/kafka/index.ts"
import { describeFaultPlanLines, type Fault, type FaultPlan, type FaultPlanResult } from "../src/net/index.ts"
import { isFaultEvent, isNetEvent, type NetEvent } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 45
/** Lost records listed at most in the summary (as many as the JSON metrics list). */
const LOST_MAX = SUMMARY_LOST_MAX

/** The shorthand faults (crash, restart, partition of b1; -1: never) and --faults over the brokers. */
const FAULTS = faultFlags({
  description: "more faults, as a JSON fault plan over the brokers b1..bN",
  nodesText: "the brokers b1..bN (N = --brokers)",
  example: '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}',
  never: -1,
  shorthand: [
    {
      kind: "crash",
      node: "b1",
      at: { flag: "crashLeaderAt", description: "when b1 (the first leader) crashes; -1: never", default: 600 },
      restartAt: { flag: "restartAt", description: "when b1 restarts after the crash; -1: never", default: 15_000 },
    },
    {
      kind: "partition",
      node: "b1",
      at: {
        flag: "partitionLeaderAt",
        description: "when b1 is cut off from every other node; -1: never",
        default: -1,
      },
      healAt: { flag: "healAt", description: "when that partition heals; -1: 15000ms after it starts", default: -1 },
      healAfterMs: 15_000,
    },
  ],
})

const flags = {
  brokers: flag.integer({ description: "brokers in the cluster", unit: "brokers", default: 3, min: 1, max: 9 }),
  replicationFactor: flag.integer({
    description: "replicas of each partition",
    unit: "replicas",
    default: 3,
    min: 1,
    max: 9,
  }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 1, min: 1, max: 64 }),
  acks: flag.choice({
    description: "producer acks: 0 (fire and forget), 1 (leader only), all/-1 (the whole ISR)",
    default: "all",
    choices: ["0", "1", "all", "-1"],
  }),
  minInsync: flag.integer({
    description: "min.insync.replicas: ISR size acks=all needs",
    unit: "replicas",
    default: 2,
    min: 1,
    max: 9,
  }),
  uncleanElection: flag.boolean({
    description: "unclean.leader.election.enable: elect an out-of-sync replica when no ISR member is alive",
    default: false,
  }),
  messages: flag.integer({ description: "records to produce", unit: "records", default: 1000, min: 0, max: 2_000_000 }),
  rate: flag.number({
    description: "records produced per second",
    unit: "records/s",
    default: 1000,
    greaterThan: 0,
    max: 10_000_000,
  }),
  lingerMs: flag.number({
    description: "linger.ms: how long a batch waits for more records (0 as in Kafka up to 3.9)",
    unit: "ms",
    default: 0,
    min: 0,
    max: 60_000,
  }),
  replicaLagMs: flag.number({
    description: "replica.lag.time.max.ms: a follower not caught up this long leaves the ISR",
    unit: "ms",
    default: 30_000,
    greaterThan: 0,
    max: 600_000,
  }),
  ...FAULTS.shorthandFlags,
  latencyMs: flag.number({
    description: "mean one-way latency, uniform within ±50%",
    unit: "ms",
    default: 1,
    min: 0,
    max: 10_000,
  }),
  faults: FAULTS.faults,
}

type AcksParams = Params<typeof flags>

function brokerNames(params: AcksParams): string[] {
  return Array.from({ length: params.brokers }, (_, i) => "b" + (i + 1))
}

/** The whole plan: shorthand faults plus --faults, over the brokers. */
export function acksPlan(params: AcksParams): FaultPlanResult {
  return FAULTS.check(params, { nodes: brokerNames(params) })
}

const replicationConstraint: Constraint<AcksParams> = {
  params: ["replicationFactor", "brokers"],
  holds: (params) => params.replicationFactor <= params.brokers,
  message: "the replication factor cannot exceed the number of brokers",
}

const minInsyncConstraint: Constraint<AcksParams> = {
  params: ["acks", "minInsync", "replicationFactor"],
  holds: (params) => acksOf(params) !== -1 || params.minInsync <= params.replicationFactor,
  message:
    "with acks=all a write needs min.insync.replicas replicas in sync, more than the partition has, so nothing could ever be acknowledged; allowed: --min-insync from 1 to --replication-factor (or --acks 0/1, which ignore it)",
}

function acksOf(params: AcksParams): 0 | 1 | -1 {
  return params.acks === "0" ? 0 : params.acks === "1" ? 1 : -1
}

/** The record types the timeline shows besides faults; the frequent ones (HOT) only in the windows below. */
const SHOWN = new Set<string>([
  "RecordsAppended",
  "RecordsReplicated",
  "HighWatermarkAdvanced",
  "BatchAcknowledged",
  "ProduceErrorReceived",
  "DeliveryFailed",
  "BrokerFenced",
  "BrokerUnfenced",
  "LeaderElected",
  "IsrChanged",
  "LogTruncated",
])
const HOT = new Set(["RecordsAppended", "RecordsReplicated", "HighWatermarkAdvanced", "BatchAcknowledged"])

/**
 * The timeline, kept as the run goes (the first {@link TIMELINE_MAX} lines and the count): the
 * first round trip (4ms from the first append), the 3ms before each crash or partition, every rare
 * event and every fault, and each produce error at most once per 5s.
 */
function timelineSample(trace: Trace, plan: FaultPlan): TraceSample<KafkaEvent | NetEvent> {
  const windows: [number, number][] = []
  for (const fault of plan.faults)
    if (fault.kind === "crash" || fault.kind === "partition") windows.push([fault.at - 3, fault.at])
  let firstAppendMs: number | undefined
  const lastError = new Map<string, number>()
  const inWindow = (t: number): boolean =>
    (firstAppendMs !== undefined && t >= firstAppendMs && t <= firstAppendMs + 4) ||
    windows.some(([from, to]) => t >= from && t <= to)
  const where = (traced: Traced): traced is Traced<KafkaEvent | NetEvent> => {
    const record = traced as Traced<KafkaEvent | NetEvent>
    if (!SHOWN.has(record.type) && !(isNetEvent(record) && isFaultEvent(record))) return false
    if (record.type === "RecordsAppended") firstAppendMs ??= record.t
    if (HOT.has(record.type) && !inWindow(record.t)) return false
    if (record.type === "ProduceErrorReceived") {
      if (record.t - (lastError.get(record.error) ?? -Infinity) < 5000) return false
      lastError.set(record.error, record.t)
    }
    return true
  }
  return new TraceSample(trace, where, TIMELINE_MAX)
}

function summary(result: KafkaRunResult): TextSection {
  const rows = result.partitions.flatMap((p) =>
    p.replicas.map((r) => [
      String(p.partition),
      "b" + r.broker + (r.broker === p.leader ? " (leader)" : ""),
      r.up ? "up" : "down",
      p.isr.includes(r.broker) ? "yes" : "no",
      r.logEndOffset === null ? "—" : formatCount(r.logEndOffset),
      r.highWatermark === null ? "—" : formatCount(r.highWatermark),
    ]),
  )
  const table = renderTable(
    [
      { header: "partition" },
      { header: "replica" },
      { header: "state" },
      { header: "in ISR" },
      { header: "LEO", align: "right" },
      { header: "HW", align: "right" },
    ],
    rows,
  )
  return { title: "Replicas at the end (epoch, LEO = log end offset, HW = high watermark)", lines: table }
}

function lostSection(params: AcksParams, result: KafkaRunResult): TextSection {
  if (result.lost.length === 0) {
    const none =
      acksOf(params) === 0
        ? "none: every record sent with acks=0 is in the final log"
        : result.acknowledged === 0
          ? "none, but no record was acknowledged either"
          : "none: every acknowledged record is in the final log"
    return { title: "Lost records", lines: [none] }
  }
  const lines = result.lost
    .slice(0, LOST_MAX)
    .map((lost) => `record ${lost.id} (partition ${lost.partition}): ${lost.why}`)
  lines.push(
    result.visibleLost === 0
      ? "None of them was ever below a high watermark: no consumer could have read them."
      : `${formatCount(result.visibleLost)} of them had been committed (below the high watermark): consumers may have read records that no longer exist.`,
  )
  if (result.lost.length > LOST_MAX) lines.push(`... and ${result.lost.length - LOST_MAX} more`)
  return { title: `Lost records (${result.lost.length})`, lines }
}

/** Whether fault `fault` cuts node `name` off from some other node, and from which. */
function cutOffFrom(fault: Fault, name: string, nodes: readonly string[]): string[] {
  if (fault.kind !== "partition") return []
  const group =
    fault.groups.find((g) => g.includes(name)) ?? nodes.filter((node) => !fault.groups.some((g) => g.includes(node)))
  return nodes.filter((node) => !group.includes(node))
}

function faultEndMs(fault: Fault): number {
  if (fault.kind === "crash") return fault.restart === false ? Infinity : (fault.restartAt ?? Infinity)
  if (fault.kind === "pause") return fault.at + fault.durationMs
  if (fault.kind === "partition") return fault.healAt ?? Infinity
  if (fault.kind === "link") return fault.until ?? Infinity
  return fault.at
}

/**
 * What happened to broker `id` around `t`, from the fault plan: the fault on it in effect at `t`,
 * else the first one after `t` (e.g. "crashed at t=600ms", "was cut off from b2, b3 at t=200ms").
 */
export function brokerFate(plan: FaultPlan, nodes: readonly string[], id: number, t: number): string {
  const name = "b" + id
  const own = plan.faults.filter(
    (fault) =>
      ("node" in fault && fault.node === name && fault.kind !== "clock") ||
      cutOffFrom(fault, name, nodes).length > 0 ||
      (fault.kind === "link" && (fault.from === name || fault.to === name)),
  )
  const active = own.filter((fault) => fault.at <= t && faultEndMs(fault) > t)
  const fault = active[0] ?? own.filter((f) => f.at > t).sort((x, y) => x.at - y.at)[0]
  if (fault === undefined) return `${name} lost its leadership`
  const at = `t=${formatCount(fault.at)}ms`
  switch (fault.kind) {
    case "crash":
      return `${name} crashed at ${at}${fault.diskLoss === true ? " and lost its disk" : ""}`
    case "pause":
      return `${name} stalled (paused) at ${at}`
    case "partition":
      return `${name} was cut off from ${cutOffFrom(fault, name, nodes).join(", ")} at ${at} (a partition, not a crash: it kept running)`
    default:
      return `${name}'s links started losing messages at ${at}`
  }
}

const CAUSE_WORDS: Record<LostCause, (first: LostRecord) => string> = {
  truncated: (r) =>
    `the broker that acknowledged them (b${r.ackedBy}) truncated them from its log when it rejoined, to follow a new leader that did not have them`,
  unclean: () => "a replica outside the ISR was elected leader (unclean election) without them",
  "new-leader": () => "a replica from the ISR that did not have them became leader",
  "no-disk": () => "no replica of their partition kept its disk",
  "never-stored": () => "they never reached the log that survived",
}

/** The lesson when records were lost: every sentence from the lost records, the fault plan and the ISR history. */
function lossLesson(params: AcksParams, plan: FaultPlan, history: KafkaHistory, result: KafkaRunResult): string[] {
  const acks = acksOf(params)
  const first = result.lost[0]!
  const n = formatCount(result.lost.length)
  const fate = brokerFate(plan, brokerNames(params), first.ackedBy, first.ackedAt)
  const lines: string[] = []
  if (acks === 0) {
    lines.push(
      `acks=0: the producer counted ${n} record(s) as sent without any answer from a broker; they were sent to b${first.ackedBy}, and ${fate}.`,
    )
  } else if (acks === 1) {
    lines.push(
      `acks=1: leader b${first.ackedBy} acknowledged ${n} record(s) as soon as they were in its own log, ${params.replicationFactor === 1 ? "the only replica (replication factor 1: no follower)" : "before the replica that later led had them"}; ${fate}.`,
    )
  } else {
    const replicas = result.partitions.find((p) => p.partition === first.partition)?.replicas.map((r) => r.broker) ?? []
    const isr = history.isrAt(first.partition, first.ackedAt, replicas)
    lines.push(
      `acks=all: leader b${first.ackedBy} acknowledged record ${first.id} when the ISR was {${isr.map((id) => "b" + id).join(",")}}${isr.length === 1 ? " alone, so 'all' meant one replica" : ""}; ${fate}.`,
    )
  }
  const byCause = new Map<LostCause, number>()
  for (const record of result.lost) byCause.set(record.cause, (byCause.get(record.cause) ?? 0) + 1)
  for (const [cause, count] of byCause) {
    lines.push(
      `${count === result.lost.length ? "All of them" : `${formatCount(count)} of them`}: ${CAUSE_WORDS[cause](result.lost.find((r) => r.cause === cause)!)}.`,
    )
  }
  if (acks !== -1)
    lines.push(
      "In general acks=all acknowledges a record only once every ISR member has it; rerun with --acks all to see whether this seed then keeps them.",
    )
  else if (byCause.has("unclean"))
    lines.push(
      "In general, keep --unclean-election off and --min-insync at 2 or more: writes are then refused instead of lost.",
    )
  return lines
}

/** The lesson when nothing was lost: what this run tested, and what it did not. */
function noLossLesson(params: AcksParams, history: KafkaHistory, result: KafkaRunResult): string[] {
  const acks = acksOf(params)
  const moves = history.handovers()
  const unclean = history.elections.filter((e) => e.unclean).length
  const offline = history.elections.some((e) => e.leader < 0)
  const changes =
    moves === 0
      ? `No other broker took over leadership in this run${offline ? " (the partition went offline until its leader returned)" : ""}, so nothing tested whether a new leader had every acknowledged record.`
      : `${formatCount(moves)} time(s) another broker took over leadership in this run, ${unclean === 0 ? "each a member of the ISR" : `${unclean} of them unclean (outside the ISR)`}.`
  if (acks === 0)
    return [
      `No record sent with acks=0 was lost in this run. ${changes}`,
      "In general acks=0 gives no guarantee: the producer never learns whether a record arrived.",
    ]
  if (result.acknowledged === 0)
    return [
      `No record was acknowledged in this run (${formatCount(result.sent)} sent, ${formatCount(result.rejected)} rejected), so none could be lost. ${changes}`,
    ]
  if (acks === 1) {
    return [
      `No record acknowledged with acks=1 was lost in this run. ${changes}`,
      moves > 0
        ? "Each one had reached the new leader before the old one failed: timing, not a guarantee."
        : "Nothing in this run tested what acks=1 promises.",
    ]
  }
  const lines = [
    `No acknowledged record was lost. With acks=all and min.insync.replicas=${params.minInsync}, a record is acknowledged only once every ISR member has it. ${changes}`,
  ]
  if (moves > 0)
    lines.push(
      "In general acks=1 can lose records the old leader acknowledged before any follower fetched them; try --acks 1 to see whether this seed does.",
    )
  return lines
}

function lesson(params: AcksParams, plan: FaultPlan, history: KafkaHistory, result: KafkaRunResult): TextSection {
  const lines =
    result.lost.length > 0 ? lossLesson(params, plan, history, result) : noLossLesson(params, history, result)
  if (result.unavailableMs > 0) {
    const offline = history.elections.some((e) => e.leader < 0)
    lines.push(
      `${params.partitions === 1 ? "The partition" : "Partitions"} had no live leader for ${formatCount(Math.round(result.unavailableMs))}ms in total${params.partitions === 1 ? "" : " (summed over partitions)"}: ${offline ? "for part of it no live ISR member could be elected (offline)" : "the controller elects a new leader only after the failed broker's session times out"}.`,
    )
  }
  const refused = (result.errors.NOT_ENOUGH_REPLICAS ?? 0) + (result.errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND ?? 0)
  if (refused > 0) {
    lines.push(
      `${formatCount(refused)} produce attempt(s) were refused with NOT_ENOUGH_REPLICAS(_AFTER_APPEND): the ISR was below min.insync.replicas, so the leader would not acknowledge — availability traded for durability.`,
    )
  }
  if (result.rejected > 0)
    lines.push(
      `${formatCount(result.rejected)} record(s) were rejected for good (delivery timeout): refused, not lost.`,
    )
  return { title: "Lesson", lines }
}

/** The checks of a run: no acknowledged write lost, no duplicates. */
export function acksChecks(result: KafkaRunResult, acks: 0 | 1 | -1 = -1): CheckResult[] {
  return [checkNoAckedWriteLost(result, acks), checkNoDuplicates(result)]
}

/**
 * Events per second of a kafka-acks run, measured on 2026-12-07 (load average 10-14, CPU time):
 * the JSON report hashes every record, so 2,000,000 records at 1000/s simulated 23,805,449 events
 * in 70.8 s of CPU (1.44 GB peak: over the budget, refused) and at 10,000/s 2,276,506 events in
 * 9.1 s, about 340,000 a second after the ~2.3 s of start-up either way; the text report ran the
 * same runs in 32.8 s (1.20 GB) and 5.0 s (275 MB), about 780,000 a second.
 */
const EVENTS_PER_SECOND = { json: 300_000, text: 500_000 } as const
/**
 * Events per batch and replica (the send, the replication fetches, the acknowledgement). A batch
 * takes what arrived since the last one, and the producer sends at most about one a simulated ms
 * and partition: measured with 3 replicas, 14.9 events a batch at 500 records/s (one record a
 * batch), 9.4 at 1000/s, 10 at 10,000/s (ten records a batch; acks 0 and 1, 64 partitions and
 * linger.ms 5 fewer); 5.5 a replica leaves room.
 */
const EVENTS_PER_BATCH_AND_REPLICA = 5.5
/** Background events per simulated ms and broker (fetch sessions, heartbeats), measured: 0.33 (3 brokers), 0.24 (9). */
const EVENTS_PER_MS_AND_BROKER = 0.4
/**
 * Bytes kept per batch (its records in the producer and in every replica's log), measured on
 * 2026-12-07 as peak RSS beyond start-up (166 MB): 520 B (text) and 640 B (JSON) for 2,000,000
 * records at 1000/s, one a batch (1.20 and 1.44 GB); 670 B a batch (JSON, 300 MB) at 10,000/s,
 * ten records a batch. The text report keeps no trace (its timeline is a 45-record TraceSample,
 * the history only elections, ISR changes and truncations).
 */
const BYTES_PER_BATCH = 700
/** Settle time after the last send and the last fault (the cluster's default). */
const SETTLE_MS = 20_000

function estimate(params: AcksParams, { output }: EstimateContext): WorkEstimate {
  const plan = acksPlan(params)
  const faultEnds = plan.ok
    ? [
        plan.plan.healAt ?? 0,
        ...plan.plan.faults.map((fault) =>
          Math.max(
            fault.at,
            "restartAt" in fault ? (fault.restartAt ?? 0) : 0,
            "healAt" in fault ? (fault.healAt ?? 0) : 0,
            "until" in fault ? (fault.until ?? 0) : 0,
            "durationMs" in fault ? fault.at + fault.durationMs : 0,
          ),
        ),
      ]
    : []
  const simTime = Math.max((params.messages / params.rate) * 1000, ...faultEnds) + SETTLE_MS
  const sendingMs = (params.messages / params.rate) * 1000
  const batches = Math.min(params.messages, Math.ceil(sendingMs) * params.partitions)
  const events =
    EVENTS_PER_BATCH_AND_REPLICA * params.replicationFactor * batches +
    EVENTS_PER_MS_AND_BROKER * params.brokers * simTime
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND[output],
    keptBytes: BYTES_PER_BATCH * batches,
    simTime,
    advice: "lower --messages, raise --rate, or end the faults sooner",
  })
}

const kafkaAcks = defineSim({
  name: "kafka-acks",
  title: "Kafka acks: which acknowledged writes survive a broker failure, and why?",
  header: {
    covers: "acks=0/1/all, ISR, high watermark, min.insync.replicas, leader election, truncation",
    scenario:
      "3 brokers, one partition with 3 replicas led by b1, min.insync.replicas=2; a producer writes 1000 records at 1000/s with acks=all; b1 crashes at t=600ms and restarts at t=15s",
    try: [
      "--acks 1",
      "--acks 0",
      "--partition-leader-at 200 --crash-leader-at -1",
      `--min-insync 1 --unclean-election --replica-lag-ms 1000 --crash-leader-at 1500 --restart-at -1 --faults '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}'`,
    ],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    sent: { description: "records the producer sent", unit: "records" },
    acknowledged: { description: "records the producer got an acknowledgement for", unit: "records" },
    lost: { description: "acknowledged records missing from the final log", unit: "records" },
    visibleLost: {
      description: "lost records a consumer had already read (below the high watermark) before the loss",
      unit: "records",
    },
    duplicates: { description: "records present more than once in the final log", unit: "records" },
    rejected: { description: "records the brokers refused (e.g. NOT_ENOUGH_REPLICAS)", unit: "records" },
    leaderChanges: { description: "leader elections of the partitions", unit: "elections" },
    unavailableMs: { description: "total time a partition had no live leader", unit: "ms" },
    requests: { description: "produce requests sent", unit: "requests" },
    errors: { description: "produce errors, counted by Kafka error name", unit: "errors" },
    lostRecords: {
      description: "the first lost records: id, partition, offset (log offset), visible (true/false), why",
      unit: "records",
    },
    partitions: {
      description:
        "per partition: leader (broker id), leaderEpoch, isr (broker ids), replicas (broker, up, logEndOffset and highWatermark in offsets)",
      unit: "see fields",
    },
  },
  flags,
  estimate,
  constraints: [
    replicationConstraint,
    minInsyncConstraint,
    FAULTS.constraint((params: AcksParams) => ({ nodes: brokerNames(params) })),
  ],
  quiz(params) {
    return [
      `${params.brokers} brokers, ${params.partitions} partition(s) with ${params.replicationFactor} replicas, min.insync.replicas=${params.minInsync}, acks=${params.acks}.`,
      params.crashLeaderAt >= 0 ? `b1, the leader, crashes at t=${params.crashLeaderAt}ms.` : "b1 does not crash.",
      "1. How many acknowledged records will be lost?",
      "2. How long will the partition have no leader, and what decides it?",
    ].join("\n")
  },
  run(params, context) {
    const planResult = acksPlan(params)
    if (!planResult.ok) throw new Error(`the constraints let an invalid plan through: ${planResult.error}`)
    const plan = planResult.plan
    const sim = context.simulation({ keep: 0 })
    const scenario = new KafkaScenario(sim, {
      brokers: params.brokers,
      partitions: params.partitions,
      replicationFactor: params.replicationFactor,
      latencyMs: params.latencyMs,
      plan,
      broker: {
        minInsyncReplicas: params.minInsync,
        uncleanLeaderElection: params.uncleanElection,
        replicaLagTimeMaxMs: params.replicaLagMs,
      },
      producer: { acks: acksOf(params), lingerMs: params.lingerMs },
      workload: { messages: params.messages, ratePerSecond: params.rate },
    })
    const sample = context.output === "text" ? timelineSample(sim.trace, plan) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    let shown: { title: string; entries: TimelineEntry[] } | undefined
    if (sample !== undefined) {
      const entries = sample.records.map((record) => ({ t: record.t, text: kafkaTimelineLine(record) ?? record.type }))
      const title =
        sample.total > TIMELINE_MAX
          ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(sample.total)} events)`
          : "Timeline"
      shown = { title, entries }
      sections.push({ title: "Fault plan", lines: describeFaultPlanLines(plan) })
      sections.push(summary(result), lostSection(params, result), lesson(params, plan, scenario.history, result))
    }
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: acksChecks(result, acksOf(params)),
      ...(shown === undefined ? {} : { timeline: shown }),
      sections,
    }
  },
})

export default kafkaAcks

await runMain(kafkaAcks, import.meta.url)
