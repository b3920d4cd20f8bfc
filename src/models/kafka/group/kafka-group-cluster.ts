/**
 * The broker side of the consumer-group scenario: a {@link KafkaScenario} (brokers `b1..bN`, the
 * controller, the coordinator service and consumer fetch on every broker, and its producer) seen
 * as a {@link ConsumerGroupCluster}. The producer writes keyless records at the given rate, spread
 * over the flat partitions by the producer's partitioner; the consumers ask a partition's
 * first-assigned leader first (the metadata a consumer starts with) and try the next broker on
 * `NOT_LEADER_OR_FOLLOWER`.
 */
import type { Simulation } from "../../../kernel/index.ts"
import { KafkaScenario, type KafkaScenarioOptions } from "../kafka-scenario.ts"
import { TopicLayout } from "../topic-layout.ts"
import { workloadDriver } from "../workload.ts"
import type { ConsumerGroupCluster } from "./consumer-group-scenario.ts"
import type { TopicPartition } from "./topic-partition.ts"

/** Options of {@link kafkaGroupCluster}. */
export interface KafkaGroupClusterOptions {
  /** Brokers. Default 3. */
  readonly brokers?: number
  /** Mean one-way latency of every link, in ms. Default 1. */
  readonly latencyMs?: number
  /** More settings of the cluster (not `topics`, `plan` or `workload`, which the scenario decides). Default none. */
  readonly kafka?: Omit<KafkaScenarioOptions, "topics" | "partitions" | "plan" | "workload">
}

/** A Kafka cluster serving `topics`, as the consumer-group scenario needs it. */
export function kafkaGroupCluster(
  sim: Simulation,
  topics: Readonly<Record<string, number>>,
  options: KafkaGroupClusterOptions = {},
): ConsumerGroupCluster & { readonly kafka: KafkaScenario } {
  const layout = new TopicLayout(Object.entries(topics).map(([name, partitions]) => ({ name, partitions })))
  const kafka = new KafkaScenario(sim, {
    ...options.kafka,
    brokers: options.brokers ?? 3,
    latencyMs: options.latencyMs ?? 1,
    topics: layout,
  })
  return {
    kafka,
    network: kafka.network,
    brokers: kafka.brokerNames,
    groupRpc: kafka.groupRpc,
    fetchRpc: kafka.fetchRpc,
    leaderHint: (tp: TopicPartition) => `b${kafka.assignments[layout.flatIndex(tp)]![0]!}`,
    startProducing(ratePerSecond: number, untilMs: number): void {
      const messages = Math.floor((ratePerSecond * untilMs) / 1000)
      const workload = { messages, ratePerSecond }
      kafka.network
        .node(kafka.producer.name)
        .spawn(workloadDriver(sim, { producer: kafka.producer, workload }), "workload")
    },
  }
}
