/**
 * Kafka acks: which acknowledged writes survive a broker failure, and why?
 * Covers: acks=0/1/all, ISR, high watermark, min.insync.replicas, leader election, truncation.
 * Scenario: 3 brokers, one partition replicated 3 times (leader b1), min.insync.replicas=2; a
 *   producer writes 1000 records at 1000/s with acks=all; b1 crashes at t=600ms and restarts at
 *   t=15s. The controller fences b1 after its session times out, elects b2, b1 truncates and rejoins.
 * Try: --acks 1 (acknowledged records lost), --acks 0, --partition-leader-at 200 --crash-leader-at -1
 *   (a zombie leader), and scenario B (the ISR shrinks to the leader, which then dies):
 *   --min-insync 1 --unclean-election --replica-lag-ms 1000 --crash-leader-at 1500 --restart-at -1
 *   --faults '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}'.
 */
import {
  type CheckResult,
  type Constraint,
  defineSim,
  flag,
  formatCount,
  fromSimulation,
  type Params,
  faultPlanFlag,
  renderTable,
  runMain,
  type TextSection,
  type TimelineEntry,
} from "../src/cli/index.ts"
import type { TraceRecord } from "../src/kernel/index.ts"
import { checkNoAckedWriteLost, checkNoDuplicates, KafkaCluster, type KafkaRunResult } from "../src/models/kafka/index.ts"
import { describeFaultPlanLines, type Fault, type FaultPlan, type FaultPlanResult, parseFaultPlan, validateFaultPlan } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 45
/** Lost records listed at most in the summary. */
const LOST_MAX = 10

const flags = {
  brokers: flag.integer({ description: "brokers in the cluster", unit: "brokers", default: 3, min: 1, max: 9 }),
  replicationFactor: flag.integer({ description: "replicas of each partition", unit: "replicas", default: 3, min: 1, max: 9 }),
  partitions: flag.integer({ description: "partitions of the topic", unit: "partitions", default: 1, min: 1, max: 64 }),
  acks: flag.choice({ description: "producer acks: 0 (fire and forget), 1 (leader only), all/-1 (the whole ISR)", default: "all", choices: ["0", "1", "all", "-1"] }),
  minInsync: flag.integer({ description: "min.insync.replicas: ISR size acks=all needs", unit: "replicas", default: 2, min: 1, max: 9 }),
  uncleanElection: flag.boolean({ description: "unclean.leader.election.enable: elect an out-of-sync replica when no ISR member is alive", default: false }),
  messages: flag.integer({ description: "records to produce", unit: "records", default: 1000, min: 0, max: 2_000_000 }),
  rate: flag.number({ description: "records produced per second", unit: "records/s", default: 1000, greaterThan: 0, max: 10_000_000 }),
  lingerMs: flag.number({ description: "linger.ms: how long a batch waits for more records (0 as in Kafka up to 3.9)", unit: "ms", default: 0, min: 0, max: 60_000 }),
  replicaLagMs: flag.number({ description: "replica.lag.time.max.ms: a follower not caught up this long leaves the ISR", unit: "ms", default: 30_000, greaterThan: 0, max: 600_000 }),
  crashLeaderAt: flag.number({ description: "when b1 (the first leader) crashes; -1: never", unit: "ms", default: 600, min: -1, max: 600_000 }),
  restartAt: flag.number({ description: "when b1 restarts after the crash; -1: never", unit: "ms", default: 15_000, min: -1, max: 600_000 }),
  partitionLeaderAt: flag.number({ description: "when b1 is cut off from every other node; -1: never", unit: "ms", default: -1, min: -1, max: 600_000 }),
  healAt: flag.number({ description: "when that partition heals; -1: 15000ms after it starts", unit: "ms", default: -1, min: -1, max: 600_000 }),
  latencyMs: flag.number({ description: "mean one-way latency, uniform within ±50%", unit: "ms", default: 1, min: 0, max: 10_000 }),
  faults: faultPlanFlag({
    description: "more faults, as a JSON fault plan over the brokers b1..bN",
    nodesText: "the brokers b1..bN (N = --brokers)",
    example: '{"faults":[{"kind":"partition","groups":[["b2","b3"]],"at":100,"healAt":1300}]}',
  }),
}

type AcksParams = Params<typeof flags>

function brokerNames(params: AcksParams): string[] {
  return Array.from({ length: params.brokers }, (_, i) => "b" + (i + 1))
}

/** The shorthand faults (crash, restart, partition of b1). */
function shorthandFaults(params: AcksParams): Fault[] {
  const faults: Fault[] = []
  if (params.crashLeaderAt >= 0) {
    faults.push(params.restartAt > params.crashLeaderAt
      ? { kind: "crash", node: "b1", at: params.crashLeaderAt, restartAt: params.restartAt }
      : { kind: "crash", node: "b1", at: params.crashLeaderAt, restart: false })
  }
  if (params.partitionLeaderAt >= 0) {
    const healAt = params.healAt >= 0 ? params.healAt : params.partitionLeaderAt + 15_000
    faults.push({ kind: "partition", groups: [["b1"]], at: params.partitionLeaderAt, healAt })
  }
  return faults
}

/** The whole plan: shorthand faults plus --faults. */
export function acksPlan(params: AcksParams): FaultPlanResult {
  const nodes = brokerNames(params)
  let extra: FaultPlan = { faults: [] }
  if (params.faults.trim() !== "none" && params.faults.trim() !== "") {
    const parsed = parseFaultPlan(params.faults, { nodes })
    if (!parsed.ok) return parsed
    extra = parsed.plan
  }
  const own = shorthandFaults(params)
  const plan: FaultPlan = { faults: [...own, ...extra.faults], ...(extra.healAt === undefined ? {} : { healAt: extra.healAt }) }
  const checked = validateFaultPlan(plan, { nodes })
  if (checked.ok || own.length === 0) return checked
  return { ok: false, error: `${checked.error} (faults[0..${own.length - 1}] come from --crash-leader-at/--partition-leader-at)` }
}

class PlanConstraint implements Constraint<AcksParams> {
  readonly params = ["faults", "crashLeaderAt", "restartAt", "partitionLeaderAt", "healAt"] as const
  private error = ""
  holds = (params: AcksParams): boolean => {
    const result = acksPlan(params)
    this.error = result.ok ? "" : result.error
    return result.ok
  }
  get message(): string {
    return this.error
  }
}

const replicationConstraint: Constraint<AcksParams> = {
  params: ["replicationFactor", "brokers"],
  holds: (params) => params.replicationFactor <= params.brokers,
  message: "the replication factor cannot exceed the number of brokers",
}

function acksOf(params: AcksParams): 0 | 1 | -1 {
  return params.acks === "0" ? 0 : params.acks === "1" ? 1 : -1
}

/** Describes one trace record for the timeline, or null to leave it out. */
function describe(record: TraceRecord): string | null {
  const r = record as TraceRecord & Record<string, unknown>
  switch (record.type) {
    case "KafkaAppend":
      return `b${r.broker} appends offsets ${r.baseOffset}-${(r.baseOffset as number) + (r.count as number) - 1} (epoch ${r.epoch})`
    case "KafkaReplicate":
      return `b${r.broker} fetched offsets ${r.fromOffset}-${(r.fromOffset as number) + (r.count as number) - 1} from b${r.leader}`
    case "KafkaHighWatermark":
      return `b${r.broker} advances the high watermark to ${r.highWatermark}: offsets below it are committed`
    case "KafkaAck":
      return (r.baseOffset as number) < 0 ? `producer counts ${r.records} record(s) as sent (acks=0: no answer)` : `producer gets the ack for offsets ${r.baseOffset}-${(r.baseOffset as number) + (r.records as number) - 1} from b${r.broker}`
    case "KafkaProduceError":
      return `produce to b${r.broker} fails: ${r.error} (retried)`
    case "KafkaDeliveryFailed":
      return `producer gives up on ${r.records} record(s): ${r.error}`
    case "NodeCrashed":
      return `${r.node} CRASHES (its log stays on disk)`
    case "NodeRestarted":
      return `${r.node} restarts`
    case "DiskLost":
      return `${r.node} loses its disk`
    case "PartitionStarted":
      return "network partition starts"
    case "PartitionHealed":
      return "network partition heals"
    case "KafkaBrokerFenced":
      return `controller fences b${r.broker} (no heartbeat within the session timeout)`
    case "KafkaBrokerUnfenced":
      return `controller unfences b${r.broker}`
    case "KafkaElection":
      return (r.leader as number) < 0
        ? `partition ${r.partition} OFFLINE: no live ISR member (ISR ${(r.isr as number[]).join(",")})`
        : `controller elects b${r.leader} for partition ${r.partition} (epoch ${r.leaderEpoch}${r.unclean === true ? ", UNCLEAN: outside the ISR" : ""})`
    case "KafkaIsrChange":
      return `partition ${r.partition} ISR becomes {${(r.isr as number[]).map((id) => "b" + id).join(",")}} (${r.reason})`
    case "KafkaTruncate":
      return `b${r.broker} TRUNCATES partition ${r.partition} from offset ${r.toOffset} (LEO ${r.fromOffset} → ${r.toOffset}) to match b${r.leader}`
    default:
      return null
  }
}

const HOT = new Set(["KafkaAppend", "KafkaReplicate", "KafkaHighWatermark", "KafkaAck"])

/** The timeline: the first round trip, the few ms before each crash or partition, and every rare event. */
function timeline(records: readonly TraceRecord[], plan: FaultPlan): TimelineEntry[] {
  const windows: [number, number][] = []
  const first = records.find((r) => r.type === "KafkaAppend")
  if (first !== undefined) windows.push([first.t, first.t + 4])
  for (const fault of plan.faults) if (fault.kind === "crash" || fault.kind === "partition") windows.push([fault.at - 3, fault.at])
  const entries: TimelineEntry[] = []
  const lastError = new Map<string, number>()
  for (const record of records) {
    if (HOT.has(record.type) && !windows.some(([from, to]) => record.t >= from && record.t <= to)) continue
    if (record.type === "KafkaProduceError") {
      const key = String((record as Record<string, unknown>).error)
      if (record.t - (lastError.get(key) ?? -Infinity) < 5000) continue
      lastError.set(key, record.t)
    }
    const text = describe(record)
    if (text !== null) entries.push({ t: record.t, text })
  }
  return entries
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
    [{ header: "partition" }, { header: "replica" }, { header: "state" }, { header: "in ISR" }, { header: "LEO", align: "right" }, { header: "HW", align: "right" }],
    rows,
  )
  return { title: "Replicas at the end (epoch, LEO = log end offset, HW = high watermark)", lines: table }
}

function lostSection(result: KafkaRunResult): TextSection {
  if (result.lost.length === 0) return { title: "Lost records", lines: ["none: every acknowledged record is in the final log"] }
  const lines = result.lost.slice(0, LOST_MAX).map((lost) => `record ${lost.id} (partition ${lost.partition}): ${lost.why}`)
  lines.push(
    result.visibleLost === 0
      ? "None of them was ever below a high watermark: no consumer could have read them."
      : `${formatCount(result.visibleLost)} of them had been committed (below the high watermark): consumers may have read records that no longer exist.`,
  )
  if (result.lost.length > LOST_MAX) lines.push(`... and ${result.lost.length - LOST_MAX} more`)
  return { title: `Lost records (${result.lost.length})`, lines }
}

function lesson(params: AcksParams, result: KafkaRunResult): TextSection {
  const lines: string[] = []
  const acks = acksOf(params)
  if (result.lost.length > 0 && acks === 1) {
    lines.push(
      "acks=1: the leader answered as soon as the record was in its own log. It crashed before the",
      "followers fetched it; a follower became leader without it, and the old leader truncated it on return.",
      "Rerun with --acks all: the leader then answers only once the high watermark passed the record.",
    )
  } else if (result.lost.length > 0 && acks === 0) {
    lines.push("acks=0: the producer never hears back, so records in flight to a dying leader vanish unnoticed.")
  } else if (result.lost.length > 0) {
    lines.push(
      "acks=all acknowledged records that were lost: the ISR had shrunk (to the leader alone), so 'all'",
      "meant one replica; then an out-of-sync replica was elected (unclean) without them.",
      "Raise --min-insync to 2 and keep --unclean-election off: writes are refused instead of lost.",
    )
  } else {
    lines.push(
      `No acknowledged record was lost. With acks=${params.acks === "-1" ? "all" : params.acks}${acks === -1 ? ` and min.insync.replicas=${params.minInsync}` : ""}, every acknowledged record`,
      acks === -1 ? "was on every ISR member, and the controller elected a new leader only from the ISR." : "happened to be fetched by the followers before the leader failed — luck, not a guarantee.",
    )
    if (acks === -1) lines.push("Try --acks 1 on the same seed: the records acknowledged just before the crash are lost.")
  }
  if (result.unavailableMs > 0) {
    lines.push(`The partition had no live leader for ${formatCount(Math.round(result.unavailableMs))}ms: the controller waits for the broker session timeout before electing.`)
  }
  const refused = (result.errors.NOT_ENOUGH_REPLICAS ?? 0) + (result.errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND ?? 0)
  if (refused > 0) {
    lines.push(`${formatCount(refused)} produce attempt(s) were refused with NOT_ENOUGH_REPLICAS(_AFTER_APPEND): the ISR was below min.insync.replicas, so the leader would not acknowledge — availability traded for durability.`)
  }
  if (result.rejected > 0) lines.push(`${formatCount(result.rejected)} record(s) were rejected for good (delivery timeout): refused, not lost.`)
  return { title: "Lesson", lines }
}

/** The checks of a run: no acknowledged write lost, no duplicates. */
export function acksChecks(result: KafkaRunResult): CheckResult[] {
  return [checkNoAckedWriteLost(result), checkNoDuplicates(result)]
}

const kafkaAcks = defineSim({
  name: "kafka-acks",
  title: "Kafka acks: which acknowledged writes survive a broker failure, and why?",
  header: {
    covers: "acks=0/1/all, ISR, high watermark, min.insync.replicas, leader election, truncation",
    scenario: "3 brokers, one partition with 3 replicas led by b1, min.insync.replicas=2; a producer writes 1000 records at 1000/s with acks=all; b1 crashes at t=600ms and restarts at t=15s",
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
    visibleLost: { description: "lost records a consumer had already read (below the high watermark) before the loss", unit: "records" },
    duplicates: { description: "records present more than once in the final log", unit: "records" },
    rejected: { description: "records the brokers refused (e.g. NOT_ENOUGH_REPLICAS)", unit: "records" },
    leaderChanges: { description: "leader elections of the partitions", unit: "elections" },
    unavailableMs: { description: "total time a partition had no live leader", unit: "ms" },
    requests: { description: "produce requests sent", unit: "requests" },
    errors: { description: "produce errors, counted by Kafka error name", unit: "errors" },
    lostRecords: { description: "the first lost records: id, partition, offset (log offset), visible (true/false), why", unit: "records" },
    partitions: { description: "per partition: leader (broker id), leaderEpoch, isr (broker ids), replicas (broker, up, logEndOffset and highWatermark in offsets)", unit: "see fields" },
  },
  flags,
  constraints: [replicationConstraint, new PlanConstraint()],
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
    const sim = context.simulation({ keep: context.output === "text" ? Infinity : 0 })
    const cluster = new KafkaCluster(sim, {
      brokers: params.brokers,
      partitions: params.partitions,
      replicationFactor: params.replicationFactor,
      latencyMs: params.latencyMs,
      plan,
      broker: { minInsyncReplicas: params.minInsync, uncleanLeaderElection: params.uncleanElection, replicaLagTimeMaxMs: params.replicaLagMs },
      producer: { acks: acksOf(params), lingerMs: params.lingerMs },
    })
    const result = cluster.run({ messages: params.messages, ratePerSecond: params.rate }, (s, until) => void context.run(s, { until }))
    const sections: TextSection[] = []
    let shown: { title: string; entries: TimelineEntry[] } | undefined
    if (context.output === "text") {
      const entries = timeline(sim.trace.records(), plan)
      const title = entries.length > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${entries.length} events)` : "Timeline"
      shown = { title, entries: entries.slice(0, TIMELINE_MAX) }
      sections.push({ title: "Fault plan", lines: describeFaultPlanLines(plan) })
      sections.push(summary(result), lostSection(result), lesson(params, result))
    }
    return {
      ...fromSimulation(sim),
      metrics: {
        sent: result.sent,
        acknowledged: result.acknowledged,
        lost: result.lost.length,
        visibleLost: result.visibleLost,
        duplicates: result.duplicates.length,
        rejected: result.rejected,
        leaderChanges: result.leaderChanges,
        unavailableMs: Math.round(result.unavailableMs * 1000) / 1000,
        requests: result.requests,
        errors: { ...result.errors },
        lostRecords: result.lost.slice(0, LOST_MAX).map((lost) => ({ id: lost.id, partition: lost.partition, offset: lost.offset, visible: lost.visible, why: lost.why })),
        partitions: result.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          isr: [...p.isr],
          replicas: p.replicas.map((r) => ({ broker: r.broker, up: r.up, logEndOffset: r.logEndOffset, highWatermark: r.highWatermark })),
        })),
      },
      checks: acksChecks(result),
      ...(shown === undefined ? {} : { timeline: shown }),
      sections,
    }
  },
})

export default kafkaAcks

await runMain(kafkaAcks, import.meta.url)
