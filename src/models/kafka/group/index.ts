/** Kafka consumer groups: partition assignors (more to come: coordinator, consumer, checks). */
export { assign, supportsCooperative } from "./assignors.ts"
export { ASSIGNOR_NAMES, type Assignment, type AssignorName, type MemberSubscription, type PartitionsPerTopic } from "./assignor-types.ts"
export { javaHashMapOrder, javaStringHash, javaTopicPartitionHash } from "./java-hash-order.ts"
export { compareMembers } from "./range-roundrobin.ts"
export { sortedAssignment } from "./sticky-assignor.ts"
export { comparePartitions, formatPartition, partitionKey, type TopicPartition } from "./topic-partition.ts"
