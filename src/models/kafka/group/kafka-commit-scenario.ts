/**
 * The kafka-commit scenario: wiring only (docs/kafka-consumer-groups.md, "The kafka-commit sim").
 * Three brokers, topic `t0` with one partition, a producer writing `records` records at
 * `ratePerSecond` (acks=all); two consumers of group `g` start at t=0: `c0` reads the partition
 * (range assigns it to the first member), `c1` stands by with nothing. At `crashAtMs` `c0` crashes
 * silently; once the coordinator evicts it (no heartbeat within `sessionTimeoutMs`) the group
 * rebalances and `c1` resumes from the committed offset. Processing times are exponential with
 * mean `processingMs`, drawn per record from the random stream `processing`, so a worker pool
 * finishes records out of order.
 *
 * Commit choices: `auto` (`enable.auto.commit`, every `autoCommitIntervalMs`, inside poll),
 * `sync` and `async` (after each poll) commit the positions, as Kafka's `commitSync()` /
 * `commitAsync()` without arguments do; `max` and `contiguous` are a worker pool's commit rules,
 * committed synchronously after each poll. `seek` moves `c0`'s position on its first assignment
 * (the application's rebalance listener); records below it are not the group's to read.
 *
 * After the run the observer hands the typed events to `no-message-lost` ({@link messageLoss});
 * `summary()` is the sim's JSON `metrics`.
 */
import { type Advance, type CheckResult, type JsonValue, runUntil } from "../../../check/core/index.ts"
import type { Simulation, Traced } from "../../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, type LinkFault, NO_FAULTS } from "../../../net/index.ts"
import type { CommitOffsetRule, CommitMode } from "./kafka-consumer.ts"
import { KafkaConsumer } from "./kafka-consumer.ts"
import { kafkaGroupCluster } from "./kafka-group-cluster.ts"
import { checkNoMessageLost, type MessageLoss, type MessageLossEvent, messageLoss } from "./message-loss.ts"
import type { TopicPartition } from "./topic-partition.ts"

/** How the application commits. */
export type CommitChoice = "auto" | "sync" | "async" | "max" | "contiguous"

/** The commit choices, in the order the sim's help lists them. */
export const COMMIT_CHOICES: readonly CommitChoice[] = ["auto", "sync", "async", "max", "contiguous"]

/** The group of the scenario. */
export const COMMIT_GROUP = "g"

/** The one partition the scenario reads. */
export const COMMIT_PARTITION: TopicPartition = { topic: "t0", partition: 0 }

/** Options of a {@link KafkaCommitScenario}; times in ms. */
export interface KafkaCommitScenarioOptions {
  /** Default `auto`. */
  readonly commit?: CommitChoice
  /** Worker pool size (1: processing in the poll thread). Default 1. */
  readonly workers?: number
  /** When `c0` crashes; null: never. Default 10000. */
  readonly crashAtMs?: number | null
  /** `auto.commit.interval.ms`. Default 5000. */
  readonly autoCommitIntervalMs?: number
  /** Mean processing time of a record (exponential). Default 5. */
  readonly processingMs?: number
  /** Offset `c0` seeks to on its first assignment; null: the committed offset (earliest without one). Default null. */
  readonly seek?: number | null
  /** Records produced. Default 2000. */
  readonly records?: number
  /** Records produced per second. Default 100. */
  readonly ratePerSecond?: number
  /** Simulated time to run. Default 40000. */
  readonly durationMs?: number
  /** `session.timeout.ms`. Default 10000. */
  readonly sessionTimeoutMs?: number
  /** `heartbeat.interval.ms`. Default 1000. */
  readonly heartbeatIntervalMs?: number
  /** Retry a failed async commit (the reordering trap: an old offset landing after a newer one). Default false. */
  readonly retryAsyncCommits?: boolean
  /** `request.timeout.ms` of the consumers. Default 30000. */
  readonly requestTimeoutMs?: number
  /**
   * The coordinator's answer to the first commit it accepts from `c0` is lost (a link fault from
   * the coordinator to `c0` for that instant): the commit is applied, but `c0` sees a timeout after
   * `requestTimeoutMs`. Default false.
   */
  readonly loseFirstCommitAnswer?: boolean
  /** Faults (and any other: a consumer crashed and restarted by the plan starts again). Default none. */
  readonly plan?: FaultPlan
}

/** The metrics of a run (the sim's JSON `metrics`). */
export interface KafkaCommitSummary {
  readonly [metric: string]: JsonValue
  /** Acknowledged records processed at least once. */
  readonly processed: number
  readonly lost: number
  /** Extra processings. */
  readonly duplicates: number
  /** The group's committed offset of t0p0 at the end; -1: none. */
  readonly committedOffset: number
  readonly lostOffsets: Readonly<Record<string, string>>
  readonly duplicateOffsets: Readonly<Record<string, string>>
  /** Records acknowledged to the producer (from the seek on). */
  readonly acknowledged: number
  /** Acknowledged records the group had not reached by the end. */
  readonly pending: number
  /** Commits the coordinator accepted. */
  readonly commits: number
  /** Where the replacement started processing after the crash; -1: it did not. */
  readonly resumedAtOffset: number
}

/** What a run produced. */
export interface KafkaCommitResult {
  readonly events: readonly Traced<MessageLossEvent>[]
  readonly loss: MessageLoss
  readonly endMs: number
  readonly checks: readonly CheckResult[]
  summary(): KafkaCommitSummary
}

/** The events the scenario keeps: what `no-message-lost` and the timeline read. */
const KEPT: ReadonlySet<string> = new Set([
  "BatchAcknowledged",
  "LinkFaultStarted",
  "NodeCrashed",
  "OffsetsCommitted",
  "OffsetsCommitSent",
  "OffsetCommitRejected",
  "ProcessingStarted",
  "ProcessingFinished",
  "PartitionsAssigned",
  "PartitionsRevoked",
  "PartitionsLost",
  "MemberRemoved",
  "RebalanceStarted",
])

/** How a commit choice maps onto the consumer: its commit mode and the offset a commit carries. */
export function commitSettings(commit: CommitChoice): { mode: CommitMode; rule: CommitOffsetRule } {
  if (commit === "max" || commit === "contiguous") return { mode: "sync", rule: commit }
  return { mode: commit, rule: "position" }
}

/** One consumer crashes mid-stream; a standby member of the same group resumes from the committed offset. */
export class KafkaCommitScenario {
  readonly consumers: KafkaConsumer[] = []
  readonly cluster: ReturnType<typeof kafkaGroupCluster>
  private readonly events: Traced<MessageLossEvent>[] = []

  constructor(
    readonly sim: Simulation,
    readonly options: KafkaCommitScenarioOptions = {},
  ) {
    this.cluster = kafkaGroupCluster(sim, { t0: 1 })
    const processingTimeMs = processingTimes(sim, options.processingMs ?? 5)
    for (const name of ["c0", "c1"]) this.addConsumer(name, processingTimeMs)
    sim.trace.listen((record) => {
      if (KEPT.has(record.type)) this.events.push(record as Traced<MessageLossEvent>)
    })
    if (options.loseFirstCommitAnswer === true) this.loseFirstCommitAnswer()
    const crashAt = options.crashAtMs === undefined ? 10_000 : options.crashAtMs
    const base = options.plan ?? NO_FAULTS
    const faults = [
      ...base.faults,
      ...(crashAt === null ? [] : [{ kind: "crash" as const, node: "c0", at: crashAt, restart: false }]),
    ]
    applyFaultPlan(sim, this.cluster.network, { ...base, faults })
  }

  /** Drops the coordinator's answer to the first commit of c0 it applies: the one message sent to c0 at that instant. */
  private loseFirstCommitAnswer(): void {
    const c0 = this.consumers[0]!
    let done = false
    let fault: LinkFault | undefined
    this.sim.trace.listen((record) => {
      if (done || record.type !== "OffsetsCommitted") return
      const committed = record as Traced<MessageLossEvent>
      if (committed.type !== "OffsetsCommitted" || committed.member !== c0.member.memberId) return
      done = true
      const from = c0.member.coordinator ?? undefined
      fault = this.cluster.network.addLinkFault({
        ...(from === undefined ? {} : { from }),
        to: "c0",
        dropProbability: 1,
        until: this.sim.now + 0.001,
      })
    })
    // The answer is the first message the coordinator sends c0 after applying the commit: only it is lost.
    this.sim.trace.listen((record) => {
      if (fault?.isActive === true && record.type === "MessageDropped") fault.stop()
    })
  }

  private addConsumer(name: string, processingTimeMs: () => number): void {
    const { mode, rule } = commitSettings(this.options.commit ?? "auto")
    const seek = this.options.seek ?? null
    let sought = false
    const node = this.cluster.network.addNode(name)
    const consumer = new KafkaConsumer({
      node,
      network: this.cluster.network,
      brokers: this.cluster.brokers,
      groupId: COMMIT_GROUP,
      partitionsPerTopic: { t0: 1 },
      leaderHint: (tp) => this.cluster.leaderHint(tp),
      groupRpc: this.cluster.groupRpc,
      fetchRpc: this.cluster.fetchRpc,
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 1000,
      autoOffsetReset: "earliest",
      commit: mode,
      commitRule: rule,
      autoCommitIntervalMs: this.options.autoCommitIntervalMs ?? 5000,
      workers: this.options.workers ?? 1,
      retryAsyncCommits: this.options.retryAsyncCommits ?? false,
      requestTimeoutMs: this.options.requestTimeoutMs ?? 30_000,
      processingTimeMs,
      ...(seek === null || name !== "c0"
        ? {}
        : {
            onPartitionsAssigned: (self: KafkaConsumer, tps: readonly TopicPartition[]) => {
              if (sought || tps.length === 0) return
              sought = true
              self.seek(tps[0]!, seek)
            },
          }),
    })
    consumer.subscribe(["t0"])
    node.onRestart(() => consumer.start())
    this.consumers.push(consumer)
  }

  /** Runs for `durationMs` and judges the run. */
  run(advance: Advance = runUntil): KafkaCommitResult {
    for (const consumer of this.consumers) consumer.start()
    const records = this.options.records ?? 2000
    const rate = this.options.ratePerSecond ?? 100
    this.cluster.startProducing(rate, (records * 1000) / rate)
    advance(this.sim, this.options.durationMs ?? 40_000)
    const seek = this.options.seek ?? 0
    const loss = messageLoss(this.events, {
      group: COMMIT_GROUP,
      partitionOf: () => COMMIT_PARTITION,
      startOffset: () => seek,
    })
    const summary = commitSummary(this.events, loss)
    return {
      events: this.events,
      loss,
      endMs: this.sim.now,
      checks: [checkNoMessageLost(loss)],
      summary: () => summary,
    }
  }
}

/** The metrics of a run from its events and the loss accounting. */
export function commitSummary(events: readonly Traced<MessageLossEvent>[], loss: MessageLoss): KafkaCommitSummary {
  const crash = events.find((e) => e.type === "NodeCrashed" && e.node === "c0")
  const resumed =
    crash === undefined
      ? undefined
      : events.find((e) => e.type === "ProcessingStarted" && e.consumer !== "c0" && e.t > crash.t)
  return {
    processed: loss.processed,
    lost: loss.lost,
    duplicates: loss.duplicates,
    committedOffset: loss.committedOffsets["t0p0"] ?? -1,
    lostOffsets: loss.lostOffsets,
    duplicateOffsets: loss.duplicateOffsets,
    acknowledged: loss.acknowledged,
    pending: loss.pending,
    commits: events.filter((e) => e.type === "OffsetsCommitted" && e.group === COMMIT_GROUP).length,
    resumedAtOffset: resumed?.type === "ProcessingStarted" ? resumed.fromOffset : -1,
  }
}

/** One record in {@link SLOW_SHARE} is slow: exponential with this multiple of the mean; the rest are quick. */
export const SLOW_SHARE = 0.1
export const SLOW_FACTOR = 8.2
/** The quick records' multiple of the mean, so that the mean is `meanMs`: 0.9 × 0.2 + 0.1 × 8.2 = 1. */
export const QUICK_FACTOR = (1 - SLOW_SHARE * SLOW_FACTOR) / (1 - SLOW_SHARE)

/**
 * Processing times with mean `meanMs`, drawn from the stream `processing`: nine records in ten are
 * quick (exponential, mean 0.2 × `meanMs`), one in ten is slow (exponential, mean 8.2 × `meanMs`:
 * a cache miss, a slow downstream call), so a worker pool finishes records out of order.
 */
export function processingTimes(sim: Simulation, meanMs: number): () => number {
  const stream = sim.random("processing")
  if (meanMs <= 0) return () => 0
  return () => {
    const factor = stream.next() < SLOW_SHARE ? SLOW_FACTOR : QUICK_FACTOR
    return stream.exponential(1 / (factor * meanMs))
  }
}
