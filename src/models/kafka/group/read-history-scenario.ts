/**
 * The read-history scenario: wiring only (docs/kafka-consumer-groups.md, "The read-history sim").
 * Three brokers, topic `t0` with `partitions` partitions, a producer writing `ratePerSecond`
 * records/s (acks=all, keyless, spread by the producer's partitioner) until 10 s before the end
 * ({@link producingMs}), so both groups can drain. Group
 * `orders` (consumers `o0..`) runs from t=0; at `joinAtMs` a second group, `history` (consumers
 * `h0..`), subscribes to the same topic with `auto.offset.reset` = `reset`: having no committed
 * offset, `earliest` replays the topic from its first offset, `latest` starts at the log end.
 * Both groups auto-commit (Kafka's default, every 5 s) and process each record in `processingMs`.
 * Nothing about `orders` changes: a group's positions and commits are its own.
 *
 * After the run the observer hands each group's events to `every-record-seen` (the accounting of
 * {@link messageLoss}), and `first-group-untouched` compares `orders`' accepted commits with those
 * of the same run without `history` (run again here, same seed): the same offsets at the same
 * instants, all from `orders`' own members. `summary()` is the sim's JSON `metrics`.
 */
import { type Advance, type CheckResult, type JsonValue, runUntil } from "../../../check/core/index.ts"
import { Simulation, type Traced } from "../../../kernel/index.ts"
import { KafkaConsumer } from "./kafka-consumer.ts"
import { kafkaGroupCluster } from "./kafka-group-cluster.ts"
import { type MessageLoss, type MessageLossEvent, messageLoss } from "./message-loss.ts"
import { checkEveryRecordSeen, checkFirstGroupUntouched, commitsOf } from "./read-history-checks.ts"

/** The group running from the start. */
export const FIRST_GROUP = "orders"
/** The group added mid-run to read the history. */
export const HISTORY_GROUP = "history"

/** Options of a {@link ReadHistoryScenario}; times in ms. */
export interface ReadHistoryScenarioOptions {
  /** Partitions of `t0`. Default 3. */
  readonly partitions?: number
  /** Consumers per group. Default 2. */
  readonly consumers?: number
  /** Records produced per second, across the partitions. Default 100. */
  readonly ratePerSecond?: number
  /** Processing time per record. Default 2. */
  readonly processingMs?: number
  /** When `history` starts. Default 20000. */
  readonly joinAtMs?: number
  /** `history`'s `auto.offset.reset`. Default `earliest`. */
  readonly reset?: "earliest" | "latest"
  /** Simulated time to run. Default 60000. */
  readonly durationMs?: number
  /** False: leave `history` out (the baseline `first-group-untouched` compares with). Default true. */
  readonly withHistory?: boolean
}

/** One group's numbers. */
export interface GroupReading {
  readonly [field: string]: JsonValue
  /** Acknowledged records (from where the group started) processed at least once. */
  readonly processed: number
  /** Records the group was to read: acknowledged, from its starting offsets. */
  readonly toRead: number
  readonly duplicates: number
  readonly lost: number
  /** Per partition (`t0p0`), the committed offset at the end; -1: none. */
  readonly committedOffsets: Readonly<Record<string, number>>
  /** Records acknowledged but not yet committed at the end, summed over partitions. */
  readonly lagAtEnd: number
  /** When the group started. */
  readonly startedAtMs: number
  /** Where it started reading, per partition. */
  readonly startOffsets: Readonly<Record<string, number>>
  /** When it finished the last record acknowledged before it started (from its start offsets); 0: none to read; -1: not within the run. */
  readonly caughtUpAtMs: number
  readonly commits: number
}

/** The metrics of a run (the sim's JSON `metrics`). */
export interface ReadHistorySummary {
  readonly [metric: string]: JsonValue
  readonly orders: GroupReading
  readonly history: GroupReading
}

/** What a run produced. */
export interface ReadHistoryResult {
  readonly events: readonly Traced<MessageLossEvent>[]
  readonly losses: Readonly<Record<string, MessageLoss>>
  readonly endMs: number
  readonly checks: readonly CheckResult[]
  summary(): ReadHistorySummary
}

const KEPT: ReadonlySet<string> = new Set([
  "BatchAcknowledged",
  "OffsetsCommitted",
  "OffsetsCommitSent",
  "ProcessingStarted",
  "ProcessingFinished",
  "PartitionsAssigned",
  "PartitionsRevoked",
  "PartitionsLost",
])

/** Two consumer groups on one topic; the second one joins mid-run and reads the history. */
export class ReadHistoryScenario {
  readonly cluster: ReturnType<typeof kafkaGroupCluster>
  readonly consumers: KafkaConsumer[] = []
  private readonly events: Traced<MessageLossEvent>[] = []

  constructor(
    readonly sim: Simulation,
    readonly options: ReadHistoryScenarioOptions = {},
  ) {
    const partitions = options.partitions ?? 3
    this.cluster = kafkaGroupCluster(sim, { t0: partitions })
    const count = options.consumers ?? 2
    for (let i = 0; i < count; i++) this.addConsumer(`o${i}`, FIRST_GROUP, "earliest")
    if (options.withHistory ?? true)
      for (let i = 0; i < count; i++) this.addConsumer(`h${i}`, HISTORY_GROUP, options.reset ?? "earliest")
    sim.trace.listen((record) => {
      if (KEPT.has(record.type)) this.events.push(record as Traced<MessageLossEvent>)
    })
  }

  private addConsumer(name: string, group: string, reset: "earliest" | "latest"): void {
    const consumer = new KafkaConsumer({
      node: this.cluster.network.addNode(name),
      network: this.cluster.network,
      brokers: this.cluster.brokers,
      groupId: group,
      partitionsPerTopic: { t0: this.options.partitions ?? 3 },
      leaderHint: (tp) => this.cluster.leaderHint(tp),
      groupRpc: this.cluster.groupRpc,
      fetchRpc: this.cluster.fetchRpc,
      autoOffsetReset: reset,
      processingMs: this.options.processingMs ?? 2,
    })
    consumer.subscribe(["t0"])
    this.consumers.push(consumer)
  }

  /** Runs for `durationMs` and judges the run. */
  run(advance: Advance = runUntil): ReadHistoryResult {
    const joinAtMs = this.options.joinAtMs ?? 20_000
    for (const consumer of this.consumers) {
      if (consumer.options.groupId === FIRST_GROUP) consumer.start()
      else this.sim.timeout(joinAtMs).onProcessed(() => consumer.start())
    }
    const durationMs = this.options.durationMs ?? 60_000
    this.cluster.startProducing(this.options.ratePerSecond ?? 100, producingMs(durationMs))
    advance(this.sim, durationMs)
    const starts: Record<string, number> = { [FIRST_GROUP]: 0, [HISTORY_GROUP]: joinAtMs }
    const losses: Record<string, MessageLoss> = {}
    const readings: Record<string, GroupReading> = {}
    for (const group of [FIRST_GROUP, HISTORY_GROUP]) {
      const startOffsets = this.startOffsets(group)
      const loss = messageLoss(this.events, {
        group,
        partitionOf: (index) => ({ topic: "t0", partition: index }),
        startOffset: (tp) => startOffsets[`t0p${tp.partition}`] ?? 0,
      })
      losses[group] = loss
      readings[group] = this.reading(group, loss, starts[group]!, startOffsets)
    }
    const untouched = this.options.withHistory === false ? [] : [this.checkFirstGroupUntouched()]
    const checks = [...[FIRST_GROUP, HISTORY_GROUP].map((g) => checkEveryRecordSeen(losses[g]!)), ...untouched]
    const summary: ReadHistorySummary = { orders: readings[FIRST_GROUP]!, history: readings[HISTORY_GROUP]! }
    return { events: this.events, losses, endMs: this.sim.now, checks, summary: () => summary }
  }

  /** Per partition, the first offset the group processed (where it started reading); absent: it processed none. */
  private startOffsets(group: string): Record<string, number> {
    const offsets: Record<string, number> = {}
    for (const e of this.events) {
      if (e.type !== "ProcessingStarted" || e.group !== group) continue
      const key = `t0p${e.partition.partition}`
      if (offsets[key] === undefined) offsets[key] = e.fromOffset
    }
    return Object.fromEntries(Object.entries(offsets).sort(([a], [b]) => a.localeCompare(b)))
  }

  private reading(
    group: string,
    loss: MessageLoss,
    startedAtMs: number,
    startOffsets: Readonly<Record<string, number>>,
  ): GroupReading {
    const partitions = this.options.partitions ?? 3
    const acked = ackedPerPartition(this.events, partitions)
    const committedOffsets: Record<string, number> = {}
    let lagAtEnd = 0
    for (let p = 0; p < partitions; p++) {
      const committed = loss.committedOffsets[`t0p${p}`] ?? -1
      committedOffsets[`t0p${p}`] = committed
      lagAtEnd += Math.max(0, acked[p]! - Math.max(committed, startOffsets[`t0p${p}`] ?? 0))
    }
    return {
      processed: loss.processed,
      toRead: loss.acknowledged,
      duplicates: loss.duplicates,
      lost: loss.lost,
      committedOffsets,
      lagAtEnd,
      startedAtMs,
      startOffsets,
      caughtUpAtMs: Math.round(caughtUpAt(this.events, group, startedAtMs, startOffsets) * 1000) / 1000,
      commits: this.events.filter((e) => e.type === "OffsetsCommitted" && e.group === group).length,
    }
  }

  /** The first group's commits against those of the same run without the second group. */
  private checkFirstGroupUntouched(): CheckResult {
    const baseline = new Simulation({ seed: this.sim.seed })
    const alone = new ReadHistoryScenario(baseline, { ...this.options, withHistory: false }).run()
    const members = new Set(this.consumers.filter((c) => c.options.groupId === FIRST_GROUP).map((c) => c.name))
    return checkFirstGroupUntouched(
      FIRST_GROUP,
      commitsOf(this.events, FIRST_GROUP),
      commitsOf(alone.events, FIRST_GROUP),
      members,
    )
  }
}

/** How long the producer writes: the whole run but its last 10 s (at most half of it), so the groups can drain. */
export function producingMs(durationMs: number): number {
  return durationMs - Math.min(10_000, durationMs / 2)
}

/** Records acknowledged per partition: the highest acknowledged offset + 1. */
function ackedPerPartition(events: readonly Traced<MessageLossEvent>[], partitions: number): number[] {
  const acked = new Array<number>(partitions).fill(0)
  for (const e of events) {
    if (e.type !== "BatchAcknowledged" || e.error !== "NONE") continue
    acked[e.partition] = Math.max(acked[e.partition]!, e.baseOffset + e.records)
  }
  return acked
}

/** When `group` finished the last record acknowledged before `startedAtMs` at or past its start offsets; 0: there was none; -1: not within the run. */
function caughtUpAt(
  events: readonly Traced<MessageLossEvent>[],
  group: string,
  startedAtMs: number,
  startOffsets: Readonly<Record<string, number>>,
): number {
  const backlog = new Map<number, number>()
  for (const e of events) {
    if (e.type !== "BatchAcknowledged" || e.error !== "NONE" || e.t >= startedAtMs) continue
    const end = e.baseOffset + e.records
    if (end > (startOffsets[`t0p${e.partition}`] ?? 0))
      backlog.set(e.partition, Math.max(backlog.get(e.partition) ?? 0, end))
  }
  if (backlog.size === 0) return 0
  const left = new Map(backlog)
  for (const e of events) {
    if (e.type !== "ProcessingFinished" || e.group !== group || !e.completed) continue
    const end = left.get(e.partition.partition)
    if (end !== undefined && e.toOffset >= end - 1) left.delete(e.partition.partition)
    if (left.size === 0) return e.t
  }
  return -1
}
