/**
 * The backlog scenario: wiring only. Records arrive at `ratePerSecond` for `durationMs` on a topic
 * of `partitions` partitions, and a group of `consumers` consumers processes them, each record at
 * a cost: like a checkout with more customers arriving per minute than the cashiers serve, the
 * queue (the lag) grows for as long as arrivals outpace service. The knobs are the three remedies:
 * more consumers (up to the partition count: a partition has one owner, so a consumer beyond it
 * sits idle), a worker pool inside each consumer (`workers`, with a commit rule), and batches
 * (`batchSize`: one write per batch instead of one per record). docs/kafka-consumer-groups.md,
 * "The backlog sim", has the numbers' definitions.
 *
 * Cost model: each record's own work costs `processingMs`, and each write to the downstream store
 * (a database commit) costs `batchCostMs`, paid once per batch; without batches every record is a
 * batch of one and pays it. A record's cost (its work, plus its own write when it is not in a
 * batch) is drawn from an exponential distribution with that mean (the `processing` stream), so a
 * worker pool finishes records out of order; with `fixed` costs it finishes them in order.
 *
 * A crash (`crashAtMs`) kills consumer `c0` silently; it restarts `restartAfterMs` later with the
 * same `group.instance.id` (consumers are static members, so no rebalance) and resumes from the
 * group's committed offsets: what it had processed past them is processed again, and what a commit
 * claimed past an unfinished record is never processed.
 *
 * Observers: a {@link LagSampler} (the numbers of `kafka_consumergroup_lag`, every `lagIntervalMs`),
 * and the group's typed `ProcessingFinished` events, whose offsets the producer's acknowledgements
 * map back to send times (end-to-end latency, produce to processed).
 */
import { type Advance, type CheckResult, type JsonValue, runUntil } from "../../../check/core/index.ts"
import { Histogram, type Simulation, type Traced } from "../../../kernel/index.ts"
import { RECORD_ACKED } from "../producer-records.ts"
import type { KafkaScenario } from "../kafka-scenario.ts"
import type { CommitRule } from "./commit-rules.ts"
import { type ConsumerGroupResult, ConsumerGroupScenario, SCENARIO_GROUP } from "./consumer-group-scenario.ts"
import { type LagSample, LagSampler } from "./consumer-lag.ts"
import { kafkaGroupCluster } from "./kafka-group-cluster.ts"
import { checkNoMessageLost, type MessageLoss, type MessageLossEvent, messageLoss } from "./message-loss.ts"
import { formatPartition, partitionKey } from "./topic-partition.ts"

/** The events `no-message-lost` reads. */
const LOSS_EVENTS: ReadonlySet<string> = new Set([
  "BatchAcknowledged",
  "ProcessingStarted",
  "ProcessingFinished",
  "OffsetsCommitted",
  "NodeCrashed",
])

/** The topic of the scenario. */
export const BACKLOG_TOPIC = "t0"

/** Options of a {@link BacklogScenario}; times in ms. */
export interface BacklogScenarioOptions {
  /** Partitions of the topic. Default 6. */
  readonly partitions?: number
  /** Consumers `c0..c<n-1>`, started at t=0. Default 3. */
  readonly consumers?: number
  /** Records produced per second, evenly over time. Default 400. */
  readonly ratePerSecond?: number
  /** How long records arrive (and the run lasts). Default 30000. */
  readonly durationMs?: number
  /** Mean cost of one record's own work. Default 2. */
  readonly processingMs?: number
  /** How a record's cost varies around its mean: `exponential` (memoryless) or `fixed`. Default `exponential`. */
  readonly processingDistribution?: "exponential" | "fixed"
  /** Cost of one write to the downstream store, paid once per batch (a record alone is a batch of one). Default 8. */
  readonly batchCostMs?: number
  /** Worker pool per consumer; 1: records are processed in the poll thread. Default 1. */
  readonly workers?: number
  /** With a pool: what each worker commits after every record it finishes. Default `contiguous`. */
  readonly commitRule?: CommitRule
  /** Records per batch; 0: no batches. Default 0. */
  readonly batchSize?: number
  /** How long a batch waits to fill. Default 500. */
  readonly batchTimeoutMs?: number
  /** When `c0` crashes; null: never. Default null. */
  readonly crashAtMs?: number | null
  /** How long `c0` stays down after its crash. Default 1000. */
  readonly restartAfterMs?: number
  /** Lag sampling period. Default 1000. */
  readonly lagIntervalMs?: number
}

/** The metrics of a run (the kafka-backlog sim's JSON `metrics`). */
export interface BacklogSummary {
  readonly [metric: string]: JsonValue
  /** The largest total lag of any sample. */
  readonly maxLag: number
  /** The total lag at the end. */
  readonly finalLag: number
  /** Acknowledged records processed (each counted once) per second of the run. */
  readonly throughput: number
  readonly latencyP50Ms: number | null
  readonly latencyP99Ms: number | null
  /** The time the final lag takes to drain at the consumers' capacity; null when it never drains. */
  readonly drainMs: number | null
  readonly lost: number
  readonly duplicates: number
}

/** A consumer's share of the drain: its lag, its capacity and what arrives on its partitions. */
export interface ConsumerDrain {
  readonly consumer: string
  readonly partitions: readonly string[]
  /** Total lag of its partitions at the end. */
  readonly lag: number
  /** Records per second it processes when it has a backlog. */
  readonly capacityPerSecond: number
  /** Records per second arriving on its partitions. */
  readonly arrivalPerSecond: number
  /** `lag / (capacity − arrival)` in ms; 0 without lag; null when capacity ≤ arrival and lag > 0. */
  readonly drainMs: number | null
}

/** What a run produced. */
export interface BacklogResult {
  /** The lag samples, oldest first (the last one at the end of the run). */
  readonly lag: readonly LagSample[]
  /** Each sample's total lag (partitions without a committed offset left out); null before the group's first commit. */
  readonly lagTotals: readonly (number | null)[]
  readonly drain: readonly ConsumerDrain[]
  /** Consumers that own no partition at the end. */
  readonly idle: readonly string[]
  /** What the group did with the acknowledged records (`no-message-lost`'s accounting). */
  readonly loss: MessageLoss
  readonly group: ConsumerGroupResult
  readonly checks: readonly CheckResult[]
  summary(): BacklogSummary
}

/** A backlog of records and the group that works it off, wired for one run. */
export class BacklogScenario {
  readonly group: ConsumerGroupScenario
  readonly kafka: KafkaScenario
  readonly sampler: LagSampler
  /** The typed events `no-message-lost` and the latencies read. */
  private readonly events: Traced<MessageLossEvent>[] = []

  constructor(
    readonly sim: Simulation,
    readonly options: BacklogScenarioOptions = {},
  ) {
    let kafka: KafkaScenario | undefined
    const crashAt = options.crashAtMs ?? null
    const restartAt = crashAt === null ? null : crashAt + (options.restartAfterMs ?? 1000)
    this.group = new ConsumerGroupScenario(sim, {
      topics: { [BACKLOG_TOPIC]: options.partitions ?? 6 },
      consumers: options.consumers ?? 3,
      static: true,
      ratePerSecond: options.ratePerSecond ?? 400,
      durationMs: options.durationMs ?? 30_000,
      ...(crashAt === null || restartAt === null
        ? {}
        : { crashes: [{ consumer: "c0", at: crashAt }], joins: [{ consumer: "c0", at: restartAt }] }),
      consumer: this.consumerSettings(),
      cluster: (s, topics) => {
        const cluster = kafkaGroupCluster(s, topics)
        kafka = cluster.kafka
        return cluster
      },
    })
    this.kafka = kafka!
    this.sampler = new LagSampler(sim, this.kafka.lagSource(), {
      intervalMs: options.lagIntervalMs ?? 1000,
      groups: [SCENARIO_GROUP],
    })
    sim.trace.listen((record) => {
      if (LOSS_EVENTS.has(record.type)) this.events.push(record as Traced<MessageLossEvent>)
    })
  }

  private consumerSettings() {
    const options = this.options
    const random = this.sim.random("processing")
    const exponential = (options.processingDistribution ?? "exponential") === "exponential"
    const workMs = options.processingMs ?? 2
    const writeMs = options.batchCostMs ?? 8
    const batchSize = options.batchSize ?? 0
    const workers = options.workers ?? 1
    // A record alone pays its own write; in a batch the batch pays one.
    const meanMs = batchSize > 0 ? workMs : workMs + writeMs
    const processingTimeMs = () => (exponential ? random.exponential(1 / meanMs) : meanMs)
    return {
      commit: "sync" as const,
      processingTimeMs,
      ...(workers > 1 ? { workers, commitRule: options.commitRule ?? "contiguous", commitAfterEachRecord: true } : {}),
      ...(batchSize > 0 ? { batchSize, batchTimeoutMs: options.batchTimeoutMs ?? 500, batchCostMs: writeMs } : {}),
    }
  }

  /** Records per second one consumer processes while it has a backlog (full batches, every worker busy). */
  capacityPerSecond(): number {
    const options = this.options
    const workMs = options.processingMs ?? 2
    const writeMs = options.batchCostMs ?? 8
    const batchSize = options.batchSize ?? 0
    if (batchSize > 0) return (1000 * batchSize) / (writeMs + batchSize * workMs)
    return ((options.workers ?? 1) * 1000) / (writeMs + workMs)
  }

  /** Runs for `durationMs` and measures the run. */
  run(advance: Advance = runUntil): BacklogResult {
    const group = this.group.run(advance)
    if ((this.sampler.latest?.t ?? -1) < this.sim.now) this.sampler.sample()
    const lag = this.sampler.samples
    const lagTotals = lag.map(totalLag)
    const layout = this.kafka.layout
    const loss = messageLoss(this.events, { group: SCENARIO_GROUP, partitionOf: (i) => layout.topicPartition(i) })
    const latencies = this.latencies()
    const drain = this.drain(lag[lag.length - 1]!)
    const finite = lagTotals.filter((v): v is number => v !== null)
    const summary: BacklogSummary = {
      maxLag: finite.reduce((a, b) => Math.max(a, b), 0),
      finalLag: lagTotals[lagTotals.length - 1] ?? 0,
      throughput: round(loss.processed / (this.group.durationMs / 1000)),
      latencyP50Ms: latencies.count === 0 ? null : round(latencies.p50),
      latencyP99Ms: latencies.count === 0 ? null : round(latencies.p99),
      drainMs: drain.some((d) => d.drainMs === null) ? null : round(Math.max(0, ...drain.map((d) => d.drainMs!))),
      lost: loss.lost,
      duplicates: loss.duplicates,
    }
    const idle = [...this.group.consumers.values()].filter((c) => c.member.owned.length === 0).map((c) => c.name)
    const checks = [checkNoMessageLost(loss)]
    return { lag, lagTotals, drain, idle, loss, group, checks, summary: () => summary }
  }

  /** End-to-end latency of every acknowledged record's first completed processing: finished − sent. */
  private latencies(): Histogram {
    const records = this.kafka.producer.records
    const sentAt = new Map<string, number[]>()
    for (const batch of records.batches) {
      if (batch.status !== RECORD_ACKED || batch.baseOffset < 0) continue
      const key = partitionKey(this.kafka.layout.topicPartition(batch.partition))
      let times = sentAt.get(key)
      if (times === undefined) sentAt.set(key, (times = []))
      batch.records.forEach((id, i) => (times[batch.baseOffset + i] = records.sentMsOf(id)))
    }
    const seen = new Map<string, Set<number>>()
    const latencies = new Histogram()
    for (const event of this.events) {
      if (event.type !== "ProcessingFinished" || !event.completed || event.group !== SCENARIO_GROUP) continue
      const key = partitionKey(event.partition)
      let done = seen.get(key)
      if (done === undefined) seen.set(key, (done = new Set()))
      const sent = sentAt.get(key)
      for (let offset = event.fromOffset; offset <= event.toOffset; offset++) {
        const sentMs = sent?.[offset]
        if (done.has(offset) || sentMs === undefined) continue
        done.add(offset)
        latencies.observe(event.t - sentMs)
      }
    }
    return latencies
  }

  /** Each consumer's drain at the end: its partitions' lag over its capacity minus their arrivals. */
  private drain(last: LagSample): ConsumerDrain[] {
    const partitions = this.options.partitions ?? 6
    const rate = this.options.ratePerSecond ?? 400
    const capacity = this.capacityPerSecond()
    const lagOf = new Map(last.points.map((p) => [`${p.topic}-${p.partition}`, Math.max(0, p.lag)]))
    const drains: ConsumerDrain[] = []
    for (const consumer of this.group.consumers.values()) {
      const owned = consumer.member.owned
      if (owned.length === 0) continue
      const lag = owned.reduce((sum, tp) => sum + (lagOf.get(partitionKey(tp)) ?? 0), 0)
      const arrival = (rate * owned.length) / partitions
      const drainMs = lag === 0 ? 0 : capacity > arrival ? (1000 * lag) / (capacity - arrival) : null
      drains.push({
        consumer: consumer.name,
        partitions: owned.map(formatPartition),
        lag,
        capacityPerSecond: round(capacity),
        arrivalPerSecond: round(arrival),
        drainMs: drainMs === null ? null : round(drainMs),
      })
    }
    return drains
  }
}

/** The total lag of a sample, partitions without a committed offset left out; null when none has one. */
export function totalLag(sample: LagSample): number | null {
  const known = sample.points.filter((p) => p.lag >= 0)
  return known.length === 0 ? null : known.reduce((sum, p) => sum + p.lag, 0)
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
