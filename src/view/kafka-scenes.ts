/**
 * The two runs the playground's Kafka page (docs/playground.md, "The Kafka page") steps through,
 * made with the real Kafka model and kept as the run's typed trace:
 *
 * - **a leader crash** (kafka-acks' model and settings, {@link KafkaScenario}): 3 brokers, 2
 *   partitions with 3 replicas each (p0 led by b1, p1 by b2), min.insync.replicas=2, a producer
 *   writing 60 records at 1000/s (linger.ms 0) with acks=1 or acks=all; b1 crashes at t=37ms and
 *   restarts at t=12s. The controller fences b1 when its session times out and elects a follower
 *   from the ISR; replicas truncate what the new leader does not have. On seed 1, acks=1 loses 2
 *   acknowledged records and acks=all none;
 * - **a rebalance** (consumer-group's model, {@link ConsumerGroupScenario}): 3 brokers, topic t0
 *   with 6 partitions, 20 records/s; consumers c0..c2 join at t=0, c3 joins at t=10s and c1 crashes
 *   silently at t=20s (session timeout 6s, heartbeats every 2s), with eager rebalancing (range) or
 *   cooperative (cooperative-sticky).
 *
 * Only the records the page draws are kept (the Kafka, group and fault records; not the network's
 * messages). Nothing here touches the DOM: the page (web/kafka/) renders what
 * {@link foldKafkaPicture} makes of these records, and the Node tests read the same runs.
 */
import { Simulation, type Traced } from "../kernel/index.ts"
import { type KafkaEvent, KafkaScenario } from "../models/kafka/index.ts"
import { ConsumerGroupScenario, kafkaGroupCluster, type RebalanceProtocol } from "../models/kafka/group/index.ts"

/** The producer acks the leader-crash scene offers. */
export type SceneAcks = "1" | "all"

/** A partition as the page draws it: its name and its replicas (the first is the preferred leader). */
export interface ScenePartition {
  readonly name: string
  readonly replicas: readonly number[]
}

/** A run the page steps through: its records, and the fixed layout they happen on. */
export interface KafkaScene {
  readonly kind: "leader-crash" | "rebalance"
  /** One line saying what the run does. */
  readonly title: string
  readonly seed: number
  /** Broker ids, `1..N`. */
  readonly brokers: readonly number[]
  /** The flat partitions, in the brokers' order (`p0`, ... or `t0p0`, ...). */
  readonly partitions: readonly ScenePartition[]
  /** The consumers of the group (none in the leader-crash scene). */
  readonly consumers: readonly string[]
  /** The records the page draws, in trace order. */
  readonly records: readonly Traced[]
  /** Simulated time at the end of the run, ms. */
  readonly endMs: number
}

/**
 * The Kafka model's record types the page draws (the brokers, partitions and producer): a subset of
 * the model's event types, so the compiler rejects a name the model does not record.
 */
export const KAFKA_RECORD_TYPES: ReadonlySet<string> = new Set<KafkaEvent["type"]>([
  "RecordsAppended",
  "RecordsReplicated",
  "HighWatermarkAdvanced",
  "LogTruncated",
  "LeadershipAssumed",
  "BrokerFenced",
  "BrokerUnfenced",
  "BrokerDiskLost",
  "LeaderElected",
  "IsrChanged",
  "BatchAcknowledged",
  "ProduceErrorReceived",
  "DeliveryFailed",
])

/** The record types the page keeps: those Kafka events, every group event, and the faults. */
const KEPT_TYPES: ReadonlySet<string> = new Set([
  ...KAFKA_RECORD_TYPES,
  "MemberJoined",
  "RebalanceStarted",
  "GenerationStarted",
  "AssignmentDistributed",
  "MemberRemoved",
  "OffsetsCommitted",
  "OffsetCommitRejected",
  "PartitionsAssigned",
  "PartitionsRevoked",
  "PartitionsLost",
  "NodeCrashed",
  "NodeRestarted",
  "NodePaused",
  "NodeResumed",
])

/** Whether the page keeps a record of type `type`. */
export function isSceneRecord(type: string): boolean {
  return KEPT_TYPES.has(type)
}

/** A simulation whose kept records go to `records`. */
function recordingSimulation(seed: number, records: Traced[]): Simulation {
  const sim = new Simulation({ seed })
  sim.trace.listen((record) => {
    if (KEPT_TYPES.has(record.type)) records.push(record)
  })
  return sim
}

/** Options of {@link leaderCrashScene}. */
export interface LeaderCrashSceneOptions {
  /** The producer's acks. Default `all`. */
  readonly acks?: SceneAcks
  /** Default 1. */
  readonly seed?: number
}

/** When b1 crashes in the leader-crash scene: 37 ms into a 60 ms burst of records. */
const CRASH_AT_MS = 37

/** The crash of b1, the leader of p0 (see the file header). */
export function leaderCrashScene(options: LeaderCrashSceneOptions = {}): KafkaScene {
  const acks = options.acks ?? "all"
  const seed = options.seed ?? 1
  const records: Traced[] = []
  const sim = recordingSimulation(seed, records)
  const scenario = new KafkaScenario(sim, {
    brokers: 3,
    partitions: 2,
    replicationFactor: 3,
    broker: { minInsyncReplicas: 2 },
    producer: { acks: acks === "1" ? 1 : -1, lingerMs: 0 },
    workload: { messages: 60, ratePerSecond: 1000, settleMs: 3000 },
    plan: { faults: [{ kind: "crash", node: "b1", at: CRASH_AT_MS, restartAt: 12_000 }] },
  })
  scenario.run()
  return {
    kind: "leader-crash",
    title: `b1, the leader of p0, crashes at t=${CRASH_AT_MS}ms and restarts at t=12s; the producer writes 60 records at 1000/s with acks=${acks}`,
    seed,
    brokers: scenario.brokers.map((broker) => broker.id),
    partitions: scenario.assignments.map((replicas, p) => ({ name: `p${p}`, replicas })),
    consumers: [],
    records,
    endMs: sim.now,
  }
}

/** Options of {@link rebalanceScene}. */
export interface RebalanceSceneOptions {
  /** Eager (with the range assignor) or cooperative (with cooperative-sticky). Default eager. */
  readonly protocol?: RebalanceProtocol
  /** Default 1. */
  readonly seed?: number
}

/** Partitions of the rebalance scene's topic t0. */
const REBALANCE_PARTITIONS = 6

/** A group of consumers with a join and a crash (see the file header). */
export function rebalanceScene(options: RebalanceSceneOptions = {}): KafkaScene {
  const protocol = options.protocol ?? "eager"
  const seed = options.seed ?? 1
  const records: Traced[] = []
  const sim = recordingSimulation(seed, records)
  let kafka: KafkaScenario | undefined
  const scenario = new ConsumerGroupScenario(sim, {
    cluster: (s, topics) => {
      const cluster = kafkaGroupCluster(s, topics)
      kafka = cluster.kafka
      return cluster
    },
    topics: { t0: REBALANCE_PARTITIONS },
    consumers: 3,
    assignor: protocol === "eager" ? "range" : "cooperative-sticky",
    protocol,
    joins: [{ consumer: "c3", at: 10_000 }],
    crashes: [{ consumer: "c1", at: 20_000 }],
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 2000,
    ratePerSecond: 20,
    durationMs: 35_000,
  })
  const result = scenario.run()
  const cluster = kafka!
  return {
    kind: "rebalance",
    title: `consumers c0..c2 share t0's 6 partitions; c3 joins at t=10s, c1 crashes at t=20s; ${protocol} rebalancing`,
    seed,
    brokers: cluster.brokers.map((broker) => broker.id),
    partitions: cluster.assignments.map((replicas, p) => ({ name: `t0p${p}`, replicas })),
    consumers: result.consumers,
    records,
    endMs: result.endMs,
  }
}
