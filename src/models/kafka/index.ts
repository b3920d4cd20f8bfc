/**
 * The Kafka model, part 1: partitions, replication (leader, fetching followers, LEO, high
 * watermark, ISR, leader epochs and truncation), a single controller, producers with acks 0/1/all,
 * batching, retries and idempotence, Kafka's default partitioner, and the checks on a run.
 * Import from here: `import { KafkaScenario, partitionFor } from "../src/models/kafka/index.ts"`.
 */
export { Broker, NUM_BATCHES_TO_RETAIN, Replica } from "./broker.ts"
export { Controller } from "./controller.ts"
export {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  checkPerKeyOrder,
  type FinalPartition,
  type KafkaCounts,
  kafkaCounts,
  kafkaLogHistory,
  kafkaOutcome,
  type KafkaOutcomeInput,
  type KafkaRunResult,
  type KafkaVerdict,
  type KeyOrder,
  keyOrders,
  type LostCause,
  type LostRecord,
  type PartitionSummary,
  type ReplicaSummary,
} from "./kafka-checks.ts"
export { type BrokerConfig, type BrokerConfigOptions, resolveBrokerConfig } from "./kafka-config.ts"
export type {
  BatchAcknowledged,
  BrokerDiskLost,
  BrokerFenced,
  BrokerUnfenced,
  ConsumerFetchAnswered,
  DeliveryFailed,
  DuplicateBatchDiscarded,
  GroupCoordinatorLoaded,
  GroupCoordinatorUnloaded,
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
  KafkaScenario,
  type KafkaScenarioOptions,
  type KafkaScenarioResult,
  kafkaSummary,
  SUMMARY_LOST_MAX,
} from "./kafka-scenario.ts"
export {
  checkWorkload,
  type KafkaWorkload,
  lastSendMs,
  workloadDriver,
  type WorkloadDriverOptions,
} from "./workload.ts"
export {
  KafkaMqConsumer,
  KafkaMqProducer,
  type MqConsumer,
  type MqMessage,
  type MqOutcome,
  type MqProducer,
  type MqReceived,
} from "./mq-api.ts"
export { type EpochEndOffset, type LogBatch, PartitionLog } from "./partition-log.ts"
export { murmur2, murmur2String, partitionFor, StickyPartitioner, toPositive } from "./partitioner.ts"
export { Producer, type ProducerWiring } from "./producer.ts"
export { type ProducerConfig, type ProducerOptions, resolveProducerConfig } from "./producer-config.ts"
export {
  type ProducerBatchOutcome,
  ProducerRecords,
  RECORD_ACKED,
  RECORD_FAILED,
  RECORD_PENDING,
} from "./producer-records.ts"
export { ProducerBatch, RecordAccumulator } from "./record-accumulator.ts"
export * from "./protocol.ts"
export { type TopicSpec, TopicLayout } from "./topic-layout.ts"
export { ackLatencies, type BatchingPoint, batchingPoint, BatchingResult, nearestRank } from "./batching-result.ts"
export { type OrderingInput, OrderingResult, orderingResult, partitionInversions } from "./ordering-result.ts"
