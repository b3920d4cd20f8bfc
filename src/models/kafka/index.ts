/**
 * The Kafka model, part 1: partitions, replication (leader, fetching followers, LEO, high
 * watermark, ISR, leader epochs and truncation), a single controller, producers with acks 0/1/all,
 * batching, retries and idempotence, Kafka's default partitioner, and the checks on a run.
 * Import from here: `import { KafkaCluster, partitionFor } from "../src/models/kafka/index.ts"`.
 */
export { Broker, NUM_BATCHES_TO_RETAIN, Replica } from "./broker.ts"
export { Controller } from "./controller.ts"
export {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  checkPerKeyOrder,
  type KafkaCounts,
  kafkaCounts,
  type KafkaVerdict,
  type KeyOrder,
  keyOrders,
} from "./kafka-checks.ts"
export { type BrokerConfig, type BrokerConfigOptions, resolveBrokerConfig } from "./kafka-config.ts"
export type {
  BatchAcknowledged,
  BrokerDiskLost,
  BrokerFenced,
  BrokerUnfenced,
  DeliveryFailed,
  DuplicateBatchDiscarded,
  HighWatermarkAdvanced,
  IsrChanged,
  KafkaEvent,
  LeaderElected,
  LeadershipAssumed,
  LogTruncated,
  ProduceErrorReceived,
  RecordsAppended,
  RecordsReplicated,
} from "./kafka-events.ts"
export { KAFKA_EVENT_TYPES } from "./kafka-events.ts"
export { KafkaHistory } from "./kafka-history.ts"
export { kafkaTimelineLine } from "./kafka-timeline.ts"
export {
  brokerName,
  KafkaCluster,
  type KafkaClusterOptions,
  type KafkaRunResult,
  type KafkaWorkload,
  type LostCause,
  type LostRecord,
  type PartitionSummary,
  type ReplicaSummary,
} from "./kafka-cluster.ts"
export { KafkaMqProducer, type MqConsumer, type MqMessage, type MqOutcome, type MqProducer } from "./mq-api.ts"
export { type EpochEndOffset, type LogBatch, PartitionLog } from "./partition-log.ts"
export { murmur2, murmur2String, partitionFor, StickyPartitioner, toPositive } from "./partitioner.ts"
export {
  Producer,
  type ProducerBatchOutcome,
  type ProducerConfig,
  type ProducerOptions,
  ProducerRecords,
  RECORD_ACKED,
  RECORD_FAILED,
  RECORD_PENDING,
  resolveProducerConfig,
} from "./producer.ts"
export * from "./protocol.ts"
