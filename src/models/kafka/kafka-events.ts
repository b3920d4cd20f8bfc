/**
 * What the Kafka model records in the trace: one past-tense event per fact (appends, replication,
 * high watermarks, truncations, elections, ISR changes, the producer's acknowledgements and errors).
 * Actors record them through `TraceOf<KafkaEvent>`; the timeline (`kafka-timeline.ts`), the history
 * observer (`kafka-history.ts`) and the checks (`kafka-checks.ts`) read them back. There is no
 * second log of the same facts.
 */
import type { KafkaError } from "./protocol.ts"

/** A leader appended a producer's batch to its log. */
export interface RecordsAppended {
  readonly type: "RecordsAppended"
  readonly broker: number
  readonly partition: number
  readonly baseOffset: number
  readonly count: number
  /** The leader epoch the batch was written in. */
  readonly epoch: number
  readonly acks: 0 | 1 | -1
  /** Id of the batch's first record (ids number the producer's records in send order), -1 if empty. */
  readonly firstRecord: number
}

/** A follower copied `count` records from its leader's log. */
export interface RecordsReplicated {
  readonly type: "RecordsReplicated"
  readonly broker: number
  readonly partition: number
  readonly fromOffset: number
  readonly count: number
  readonly leader: number
}

/** A leader recognised a retried batch by its producer id and sequence, and did not append it again. */
export interface DuplicateBatchDiscarded {
  readonly type: "DuplicateBatchDiscarded"
  readonly broker: number
  readonly partition: number
  readonly baseOffset: number
  readonly producerId: number
  readonly baseSequence: number
}

/** The leader of `partition` in `leaderEpoch` advanced its high watermark: offsets below it are committed. */
export interface HighWatermarkAdvanced {
  readonly type: "HighWatermarkAdvanced"
  readonly broker: number
  readonly partition: number
  readonly highWatermark: number
  readonly leaderEpoch: number
}

/** A follower (or a restarted leader) cut its log from `fromOffset` (its LEO) down to `toOffset`. */
export interface LogTruncated {
  readonly type: "LogTruncated"
  readonly broker: number
  readonly partition: number
  /** LEO before the truncation. */
  readonly fromOffset: number
  /** LEO after it: the first offset removed. */
  readonly toOffset: number
  /** The leader it followed, and that leader's epoch. */
  readonly leader: number
  readonly leaderEpoch: number
}

/** A broker learnt it leads `partition` in `leaderEpoch`. */
export interface LeadershipAssumed {
  readonly type: "LeadershipAssumed"
  readonly broker: number
  readonly partition: number
  readonly leaderEpoch: number
  readonly endOffset: number
  readonly isr: readonly number[]
}

/** The controller fenced a broker whose heartbeats stopped for the session timeout. */
export interface BrokerFenced {
  readonly type: "BrokerFenced"
  readonly broker: number
}

/** The controller let a fenced broker back in (it heartbeats again). */
export interface BrokerUnfenced {
  readonly type: "BrokerUnfenced"
  readonly broker: number
}

/** A broker registered again without its logs; the controller dropped it from every ISR and ELR. */
export interface BrokerDiskLost {
  readonly type: "BrokerDiskLost"
  readonly broker: number
}

/** The controller chose a leader for `partition` (or found none: `leader` -1, the partition is offline). */
export interface LeaderElected {
  readonly type: "LeaderElected"
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  /** True when the leader came from outside the ISR. */
  readonly unclean: boolean
  readonly previousLeader: number
}

/** The controller committed a new ISR for `partition`. */
export interface IsrChanged {
  readonly type: "IsrChanged"
  readonly partition: number
  readonly isr: readonly number[]
  readonly reason: "shrink" | "expand" | "fenced"
}

/**
 * The producer counted a batch as acknowledged: by leader `broker` at `baseOffset`, or, with acks=0,
 * as sent (`baseOffset` -1, no answer).
 */
export interface BatchAcknowledged {
  readonly type: "BatchAcknowledged"
  readonly partition: number
  readonly broker: number
  readonly baseOffset: number
  readonly records: number
  readonly error: KafkaError
}

/** A produce attempt failed with `error` (the producer retries it unless it gives up). */
export interface ProduceErrorReceived {
  readonly type: "ProduceErrorReceived"
  readonly partition: number
  readonly broker: number
  readonly error: KafkaError
  readonly records: number
  readonly attempt: number
}

/** The producer gave up on a batch (delivery timeout or retries exhausted). */
export interface DeliveryFailed {
  readonly type: "DeliveryFailed"
  readonly partition: number
  readonly broker: number
  readonly baseOffset: number
  readonly records: number
  readonly error: KafkaError
}

/**
 * A partition leader answered a consumer's fetch for one partition: `count` records from
 * `fetchOffset` (the last at `lastOffset`, -1 if none), with its high watermark at that instant,
 * after parking the fetch `waitedMs`.
 */
export interface ConsumerFetchAnswered {
  readonly type: "ConsumerFetchAnswered"
  readonly broker: number
  readonly topic: string
  readonly partition: number
  readonly fetchOffset: number
  readonly count: number
  readonly lastOffset: number
  /** -1 with an error that has no log behind it (not the leader, unknown partition). */
  readonly highWatermark: number
  readonly error: string
  readonly waitedMs: number
}

/** A broker became the coordinator of a group and loaded its committed offsets from the offsets store. */
export interface GroupCoordinatorLoaded {
  readonly type: "GroupCoordinatorLoaded"
  readonly broker: number
  readonly group: string
  /** The `__consumer_offsets` partition the group hashes to. */
  readonly offsetsPartition: number
  /** Committed offsets loaded (`t0-3` → next offset). */
  readonly offsets: Readonly<Record<string, number>>
}

/**
 * A broker stopped coordinating a group: another broker took its offsets partition over (`moved`)
 * or it crashed (`crashed`). The group's membership is gone with it; its members rejoin elsewhere.
 */
export interface GroupCoordinatorUnloaded {
  readonly type: "GroupCoordinatorUnloaded"
  readonly broker: number
  readonly group: string
  readonly reason: "moved" | "crashed"
  readonly generation: number
  readonly members: readonly string[]
}

/** Every event of the Kafka model. */
export type KafkaEvent =
  | RecordsAppended
  | RecordsReplicated
  | DuplicateBatchDiscarded
  | HighWatermarkAdvanced
  | LogTruncated
  | LeadershipAssumed
  | BrokerFenced
  | BrokerUnfenced
  | BrokerDiskLost
  | LeaderElected
  | IsrChanged
  | BatchAcknowledged
  | ProduceErrorReceived
  | DeliveryFailed
  | ConsumerFetchAnswered
  | GroupCoordinatorLoaded
  | GroupCoordinatorUnloaded

/** The event types of {@link KafkaEvent}, for telling a Kafka record from a network one. */
export const KAFKA_EVENT_TYPES: ReadonlySet<string> = new Set<KafkaEvent["type"]>([
  "RecordsAppended",
  "RecordsReplicated",
  "DuplicateBatchDiscarded",
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
  "ConsumerFetchAnswered",
  "GroupCoordinatorLoaded",
  "GroupCoordinatorUnloaded",
])
