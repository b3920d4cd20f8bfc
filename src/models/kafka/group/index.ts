/** Kafka consumer groups: partition assignors and the classic group coordinator (the consumer and checks come next). */
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
export type { GroupEvent, RebalanceReason, RemovalReason } from "./group-events.ts"
export { type CommitRule, PartitionProgress } from "./commit-rules.ts"
export {
  checkNoConcurrentProcessing,
  checkOneOwnerPerPartition,
  ownershipIntervals,
  type PartitionIntervals,
  processingIntervals,
} from "./group-checks.ts"
export * from "./group-protocol.ts"
export {
  CoordinatorService,
  type CoordinatorServiceOptions,
  kafkaAbs,
  OffsetStore,
  offsetsLeaderFor,
  offsetsPartitionFor,
  OFFSETS_TOPIC_PARTITIONS,
} from "./coordinator-service.ts"
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
