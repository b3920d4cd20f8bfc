/** Kafka consumer groups: partition assignors, the classic group coordinator, the consumer and its membership client, checks. */
export { assign, supportsCooperative } from "./assignors.ts"
export {
  ASSIGNOR_NAMES,
  type Assignment,
  type AssignorName,
  type MemberSubscription,
  type PartitionsPerTopic,
} from "./assignor-types.ts"
export { javaHashMapOrder, javaStringHash, javaTopicPartitionHash } from "./java-hash-order.ts"
export { compareMembers } from "./range-roundrobin.ts"
export { sortedAssignment } from "./sticky-assignor.ts"
export { comparePartitions, formatPartition, partitionKey, type TopicPartition } from "./topic-partition.ts"
export {
  GroupCoordinator,
  type GroupCoordinatorOptions,
  type GroupError,
  type GroupState,
  type JoinGroupRequest,
  type JoinGroupResult,
  type MemberRequest,
  NEW_MEMBER_JOIN_TIMEOUT_MS,
  type ProtocolMetadata,
  type SyncGroupRequest,
  type SyncGroupResult,
} from "./group-coordinator.ts"
export type { CommitReason, GroupEvent, RebalanceReason, RemovalReason } from "./group-events.ts"
export { type CommitRule, PartitionProgress } from "./commit-rules.ts"
export {
  checkNoConcurrentProcessing,
  checkOneOwnerPerPartition,
  ownershipIntervals,
  type PartitionIntervals,
  processingIntervals,
} from "./group-checks.ts"
export * from "./group-protocol.ts"
export { GroupMember, type GroupMemberOptions, type RebalanceListener, type RebalanceProtocol } from "./group-member.ts"
export {
  type CommitMode,
  type CommitOffsetRule,
  type ConsumerRecord,
  KafkaConsumer,
  type KafkaConsumerOptions,
  NoOffsetForPartition,
} from "./kafka-consumer.ts"
export {
  type AssignmentAt,
  type ChurnEvent,
  type ConsumerGroupCluster,
  type ConsumerGroupResult,
  ConsumerGroupScenario,
  type ConsumerGroupScenarioOptions,
  type ConsumerSettings,
  type ConsumerGroupSummary,
  consumerNames,
  consumerOf,
  GROUP_STORY_EVENTS,
  groupSummary,
  type PauseEvent,
  SCENARIO_GROUP,
} from "./consumer-group-scenario.ts"
export { type GroupTimelineContext, groupTimelineLine } from "./group-timeline.ts"
export {
  CoordinatorService,
  type CoordinatorServiceOptions,
  kafkaAbs,
  OffsetStore,
  offsetsLeaderFor,
  offsetsPartitionFor,
  OFFSETS_TOPIC_PARTITIONS,
} from "./coordinator-service.ts"
export { kafkaGroupCluster, type KafkaGroupClusterOptions } from "./kafka-group-cluster.ts"
export {
  consumerLag,
  escapeLabel,
  LAG_HELP,
  type LagPoint,
  type LagSample,
  LagSampler,
  type LagSamplerOptions,
  type LagSource,
  prometheusText,
} from "./consumer-lag.ts"
export {
  BACKLOG_TOPIC,
  type BacklogResult,
  BacklogScenario,
  type BacklogScenarioOptions,
  type BacklogSummary,
  type ConsumerDrain,
  totalLag,
} from "./backlog-scenario.ts"
export {
  atMostOnceReason,
  checkNoMessageLost,
  compactRanges,
  type MessageLoss,
  type MessageLossEvent,
  type MessageLossOptions,
  messageLoss,
} from "./message-loss.ts"
export {
  COMMIT_CHOICES,
  COMMIT_GROUP,
  COMMIT_PARTITION,
  type CommitChoice,
  commitSettings,
  commitSummary,
  type KafkaCommitResult,
  KafkaCommitScenario,
  type KafkaCommitScenarioOptions,
  type KafkaCommitSummary,
} from "./kafka-commit-scenario.ts"
export {
  FIRST_GROUP,
  type GroupReading,
  HISTORY_GROUP,
  producingMs,
  type ReadHistoryResult,
  ReadHistoryScenario,
  type ReadHistoryScenarioOptions,
  type ReadHistorySummary,
} from "./read-history-scenario.ts"
export { checkEveryRecordSeen, checkFirstGroupUntouched, type CommitAt, commitsOf } from "./read-history-checks.ts"
