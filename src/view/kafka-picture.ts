/**
 * What the playground's Kafka page draws at one step of a run: the state folded from the run's
 * trace records up to that step (docs/playground.md, "The Kafka page"). Pure: records in, a plain
 * object out; the page (web/kafka/) only renders it.
 *
 * - brokers: up or crashed (the network's fault records), fenced or not (the controller's);
 * - per partition: the leader and its epoch and the ISR as the controller last decided them
 *   (`LeaderElected`, `IsrChanged`; the first leaders from `LeadershipAssumed`), and per replica its
 *   log as cells (the record id and the leader epoch it was written in: `RecordsAppended` on the
 *   leader, `RecordsReplicated` copying the leader's cells, `LogTruncated` cutting them), its LEO
 *   (the number of cells) and the high watermark it last advanced to as a leader
 *   (`HighWatermarkAdvanced`; followers do not trace theirs). The partition's HW is the last one a
 *   leader of it advanced to;
 * - the producer: records acknowledged (`BatchAcknowledged`: the leader's cells at the acknowledged
 *   offsets), produce errors, and the acknowledged records the current leader's log does not hold
 *   (lost, once another replica leads);
 * - the group: its generation and state (PreparingRebalance from `RebalanceStarted`,
 *   CompletingRebalance from `GenerationStarted`, Stable from `AssignmentDistributed`), its members
 *   (the coordinator's view), what each consumer owns by its own account (`PartitionsAssigned`,
 *   `PartitionsRevoked`, `PartitionsLost`), the last few revocations, the committed offsets
 *   (`OffsetsCommitted`), each partition's lag (HW − committed) and the partitions with no owner
 *   once the first assignment arrived. A member the coordinator removes owns nothing from that
 *   instant, whether it noticed or not (as the group's one-owner-per-partition check counts it).
 */
import type { Traced } from "../kernel/index.ts"
import { type GroupEvent, groupTimelineLine } from "../models/kafka/group/index.ts"
import { type KafkaEvent, kafkaTimelineLine } from "../models/kafka/index.ts"
import type { NetEvent } from "../net/index.ts"
import { KAFKA_RECORD_TYPES, type KafkaScene } from "./kafka-scenes.ts"

/** One record in a replica's log: the producer's record id (-1 unknown) and the epoch it was written in. */
export interface LogCell {
  readonly record: number
  readonly epoch: number
}

/** One replica of a partition. */
export interface ReplicaPicture {
  readonly broker: number
  readonly cells: readonly LogCell[]
  /** Log end offset: the offset the next record gets. */
  readonly leo: number
  /** The high watermark this replica last advanced to as a leader; -1 if it never led. */
  readonly highWatermark: number
}

/** One partition. */
export interface PartitionPicture {
  readonly name: string
  /** The leader the controller chose; -1: none (offline). */
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  /**
   * The last high watermark a leader of the partition advanced to (0 before any): a new leader's
   * own is not traced until it advances it.
   */
  readonly highWatermark: number
  readonly replicas: readonly ReplicaPicture[]
  /** The group's committed offset (the next offset to read); 0 before any commit. */
  readonly committed: number
  /** High watermark − committed offset, at least 0. */
  readonly lag: number
  /** The consumers that own it by their own account (two would break the group's invariant). */
  readonly owners: readonly string[]
}

/** One broker. */
export interface BrokerPicture {
  readonly id: number
  readonly up: boolean
  readonly fenced: boolean
}

/** One consumer of the group. */
export interface ConsumerPicture {
  readonly name: string
  readonly up: boolean
  /** Its member id while the coordinator counts it as a member, else null. */
  readonly member: string | null
  /** The partitions it owns by its own account, sorted. */
  readonly owned: readonly string[]
}

/** A consumer gave partitions up (`PartitionsRevoked`). */
export interface Revocation {
  readonly consumer: string
  readonly partitions: readonly string[]
  readonly t: number
}

/** Revocations a picture lists at most: enough for one eager rebalance of three or four members. */
export const RECENT_REVOCATIONS = 4

/** The consumer group (empty in a run without one). */
export interface GroupPicture {
  readonly generation: number
  readonly state: "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable"
  readonly consumers: readonly ConsumerPicture[]
  /** Partitions no consumer owns, once the first assignment arrived. */
  readonly unowned: readonly string[]
  /** The last {@link RECENT_REVOCATIONS} revocations, oldest first: who gave up what, and when. */
  readonly revocations: readonly Revocation[]
}

/** The producer. */
export interface ProducerPicture {
  /** Records acknowledged so far. */
  readonly acknowledged: number
  /** The ids of the acknowledged records found in their leader's log when acknowledged, ascending. */
  readonly acknowledgedRecords: readonly number[]
  readonly errors: number
  /** Acknowledged record ids missing from their partition's current leader's log, ascending. */
  readonly lostRecords: readonly number[]
}

/** The state of a run after its first `step` records. */
export interface KafkaPicture {
  readonly step: number
  readonly steps: number
  /** Simulated time of the last record applied (0 before any), ms. */
  readonly t: number
  /** What the last record applied says, as the sims' timelines word it; "" at step 0. */
  readonly caption: string
  readonly brokers: readonly BrokerPicture[]
  readonly partitions: readonly PartitionPicture[]
  readonly producer: ProducerPicture
  readonly group: GroupPicture
}

interface MutableReplica {
  broker: number
  cells: LogCell[]
  highWatermark: number
}

interface MutablePartition {
  name: string
  leader: number
  leaderEpoch: number
  isr: readonly number[]
  replicas: MutableReplica[]
  highWatermark: number
  committed: number
}

/** The record types whose steps the page's "next event" button stops at. */
const KEY_TYPES: ReadonlySet<string> = new Set([
  "NodeCrashed",
  "NodeRestarted",
  "NodePaused",
  "NodeResumed",
  "BrokerFenced",
  "BrokerUnfenced",
  "LeaderElected",
  "IsrChanged",
  "LogTruncated",
  "MemberJoined",
  "MemberRemoved",
  "RebalanceStarted",
  "GenerationStarted",
  "AssignmentDistributed",
  "PartitionsAssigned",
  "PartitionsRevoked",
  "PartitionsLost",
])

/** The steps (1-based counts of records applied) that end with a key record: crashes, elections, rebalances. */
export function keySteps(scene: KafkaScene): number[] {
  const steps: number[] = []
  scene.records.forEach((record, i) => {
    if (KEY_TYPES.has(record.type)) steps.push(i + 1)
  })
  return steps
}

/** The picture of `scene` after its first `step` records (clamped to 0..records). */
export function foldKafkaPicture(scene: KafkaScene, step: number): KafkaPicture {
  const folder = new KafkaPictureFolder(scene)
  folder.advanceTo(step)
  return folder.picture()
}

/** The timeline line of a record (the Kafka or the group timeline's wording), or its type. */
export function captionOf(record: Traced): string {
  const typed = record as Traced<KafkaEvent | GroupEvent | NetEvent>
  const line = KAFKA_RECORD_TYPES.has(typed.type)
    ? kafkaTimelineLine(typed as Traced<KafkaEvent | NetEvent>)
    : groupTimelineLine(typed as Traced<GroupEvent | NetEvent>, { commitsAndProcessing: true })
  if (line !== undefined) return line
  if (typed.type === "PartitionsAssigned")
    return `${typed.consumer} gets no new partition in generation ${typed.generation}`
  return typed.type
}

/** `t0-3` (Kafka's key) as `t0p3` (the page's name). */
function partitionName(key: string): string {
  return key.replace(/-(\d+)$/, "p$1")
}

/**
 * Folds a scene's records one at a time; {@link picture} snapshots the state. Moving back means
 * folding again from the start ({@link foldKafkaPicture}).
 */
export class KafkaPictureFolder {
  private applied = 0
  private t = 0
  private readonly up = new Map<string, boolean>()
  private readonly fenced = new Set<number>()
  private readonly partitions: MutablePartition[]
  private readonly acked = new Map<number, number>() // record id -> flat partition
  private acknowledged = 0
  private errors = 0
  private generation = 0
  private state: GroupPicture["state"] = "Empty"
  private readonly members = new Map<string, string>() // consumer -> member id
  private readonly owned = new Map<string, Set<string>>()
  private assignedOnce = false
  private revocations: Revocation[] = []

  constructor(readonly scene: KafkaScene) {
    this.partitions = scene.partitions.map((p) => ({
      name: p.name,
      leader: -1,
      leaderEpoch: -1,
      isr: p.replicas,
      replicas: p.replicas.map((broker) => ({ broker, cells: [], highWatermark: -1 })),
      highWatermark: 0,
      committed: 0,
    }))
    for (const consumer of scene.consumers) this.owned.set(consumer, new Set())
  }

  /** Records applied so far. */
  get step(): number {
    return this.applied
  }

  /** Applies records until `step` of them are applied (never moves back). */
  advanceTo(step: number): void {
    const target = Math.max(0, Math.min(step, this.scene.records.length))
    while (this.applied < target) this.apply(this.scene.records[this.applied++]!)
  }

  private replica(partition: number, broker: number): MutableReplica | undefined {
    return this.partitions[partition]?.replicas.find((r) => r.broker === broker)
  }

  private apply(record: Traced): void {
    this.t = record.t
    const event = record as Traced<KafkaEvent | GroupEvent | NetEvent>
    if (!this.applyLog(event) && !this.applyCluster(event)) this.applyGroup(event)
  }

  /** Appends, replication, truncation and high watermarks; false for other records. */
  private applyLog(event: KafkaEvent | GroupEvent | NetEvent): boolean {
    switch (event.type) {
      case "RecordsAppended": {
        const replica = this.replica(event.partition, event.broker)
        if (replica === undefined) return true
        replica.cells.length = Math.min(replica.cells.length, event.baseOffset)
        for (let i = 0; i < event.count; i++)
          replica.cells[event.baseOffset + i] = {
            record: event.firstRecord < 0 ? -1 : event.firstRecord + i,
            epoch: event.epoch,
          }
        return true
      }
      case "RecordsReplicated": {
        const replica = this.replica(event.partition, event.broker)
        const leader = this.replica(event.partition, event.leader)
        if (replica === undefined) return true
        replica.cells.length = Math.min(replica.cells.length, event.fromOffset)
        for (let i = 0; i < event.count; i++) {
          const offset = event.fromOffset + i
          replica.cells[offset] = leader?.cells[offset] ?? { record: -1, epoch: -1 }
        }
        return true
      }
      case "LogTruncated": {
        const replica = this.replica(event.partition, event.broker)
        if (replica !== undefined) replica.cells.length = Math.min(replica.cells.length, event.toOffset)
        return true
      }
      case "HighWatermarkAdvanced": {
        const replica = this.replica(event.partition, event.broker)
        if (replica !== undefined) replica.highWatermark = event.highWatermark
        const partition = this.partitions[event.partition]
        if (partition !== undefined) partition.highWatermark = event.highWatermark
        return true
      }
      default:
        return false
    }
  }

  /** Faults, the controller's decisions and the producer's answers; false for other records. */
  private applyCluster(event: KafkaEvent | GroupEvent | NetEvent): boolean {
    switch (event.type) {
      case "NodeCrashed":
      case "NodeRestarted":
        this.up.set(event.node, event.type === "NodeRestarted")
        return true
      case "BrokerFenced":
      case "BrokerUnfenced":
        if (event.type === "BrokerFenced") this.fenced.add(event.broker)
        else this.fenced.delete(event.broker)
        return true
      case "LeadershipAssumed": {
        const partition = this.partitions[event.partition]
        if (partition !== undefined && partition.leader < 0) {
          partition.leader = event.broker
          partition.leaderEpoch = event.leaderEpoch
          partition.isr = event.isr
        }
        return true
      }
      case "LeaderElected":
      case "IsrChanged": {
        const partition = this.partitions[event.partition]
        if (partition === undefined) return true
        partition.isr = event.isr
        if (event.type === "LeaderElected") {
          partition.leader = event.leader
          partition.leaderEpoch = event.leaderEpoch
        }
        return true
      }
      case "BatchAcknowledged":
        this.acknowledge(event)
        return true
      case "ProduceErrorReceived":
      case "DeliveryFailed":
        this.errors++
        return true
      default:
        return false
    }
  }

  private acknowledge(event: Extract<KafkaEvent, { type: "BatchAcknowledged" }>): void {
    if (event.error !== "NONE") {
      this.errors++
      return
    }
    this.acknowledged += event.records
    const cells = this.replica(event.partition, event.broker)?.cells ?? []
    for (let i = 0; i < event.records; i++) {
      const cell = cells[event.baseOffset + i]
      if (cell !== undefined && cell.record >= 0) this.acked.set(cell.record, event.partition)
    }
  }

  private applyGroup(event: KafkaEvent | GroupEvent | NetEvent): void {
    switch (event.type) {
      case "MemberJoined":
        this.members.set(consumerOf(event.member), event.member)
        return
      case "MemberRemoved": {
        // Evicted: from this instant it owns nothing, whether it noticed or not (as one-owner-per-partition counts).
        const consumer = consumerOf(event.member)
        if (this.members.get(consumer) !== event.member) return
        this.members.delete(consumer)
        this.owned.get(consumer)?.clear()
        return
      }
      case "RebalanceStarted":
        this.state = "PreparingRebalance"
        return
      case "GenerationStarted":
        this.generation = event.generation
        this.state = "CompletingRebalance"
        return
      case "AssignmentDistributed":
        this.state = "Stable"
        return
      case "OffsetsCommitted":
        for (const [key, offset] of Object.entries(event.offsets)) {
          const partition = this.partitions.find((p) => p.name === partitionName(key))
          if (partition !== undefined) partition.committed = offset
        }
        return
      default:
        this.applyOwnership(event)
    }
  }

  private applyOwnership(event: KafkaEvent | GroupEvent | NetEvent): void {
    if (event.type !== "PartitionsAssigned" && event.type !== "PartitionsRevoked" && event.type !== "PartitionsLost")
      return
    const owned = this.owned.get(event.consumer) ?? new Set<string>()
    this.owned.set(event.consumer, owned)
    const names = event.partitions.map((tp) => `${tp.topic}p${tp.partition}`)
    if (event.type === "PartitionsAssigned") {
      for (const name of names) owned.add(name)
      this.assignedOnce = true
    } else {
      for (const name of names) owned.delete(name)
      if (event.type === "PartitionsRevoked" && names.length > 0)
        this.revocations = [...this.revocations, { consumer: event.consumer, partitions: names, t: this.t }].slice(
          -RECENT_REVOCATIONS,
        )
    }
  }

  /** The state after the records applied so far. */
  picture(): KafkaPicture {
    const records = this.scene.records
    const partitions = this.partitions.map((p) => this.partitionPicture(p))
    return {
      step: this.applied,
      steps: records.length,
      t: this.t,
      caption: this.applied === 0 ? "" : captionOf(records[this.applied - 1]!),
      brokers: this.scene.brokers.map((id) => ({
        id,
        up: this.up.get(`b${id}`) ?? true,
        fenced: this.fenced.has(id),
      })),
      partitions,
      producer: {
        acknowledged: this.acknowledged,
        acknowledgedRecords: [...this.acked.keys()].sort((a, b) => a - b),
        errors: this.errors,
        lostRecords: this.lostRecords(),
      },
      group: this.groupPicture(partitions),
    }
  }

  private partitionPicture(p: MutablePartition): PartitionPicture {
    const highWatermark = p.highWatermark
    const owners = [...this.owned].filter(([, set]) => set.has(p.name)).map(([consumer]) => consumer)
    return {
      name: p.name,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      isr: [...p.isr],
      highWatermark,
      replicas: p.replicas.map((r) => ({
        broker: r.broker,
        cells: r.cells.slice(),
        leo: r.cells.length,
        highWatermark: r.highWatermark,
      })),
      committed: p.committed,
      lag: Math.max(0, highWatermark - p.committed),
      owners: owners.sort(),
    }
  }

  private lostRecords(): number[] {
    const lost: number[] = []
    for (const [record, p] of this.acked) {
      const partition = this.partitions[p]!
      const leader = partition.replicas.find((r) => r.broker === partition.leader)
      if (leader !== undefined && !leader.cells.some((cell) => cell.record === record)) lost.push(record)
    }
    return lost.sort((a, b) => a - b)
  }

  private groupPicture(partitions: readonly PartitionPicture[]): GroupPicture {
    const consumers = this.scene.consumers.map((name) => ({
      name,
      up: this.up.get(name) ?? true,
      member: this.members.get(name) ?? null,
      owned: [...(this.owned.get(name) ?? [])].sort(),
    }))
    return {
      generation: this.generation,
      state: this.state,
      consumers,
      unowned: this.assignedOnce ? partitions.filter((p) => p.owners.length === 0).map((p) => p.name) : [],
      revocations: this.revocations,
    }
  }
}

/** The consumer a member id belongs to (`c1-…` → `c1`). */
function consumerOf(member: string): string {
  const dash = member.indexOf("-")
  return dash < 0 ? member : member.slice(0, dash)
}
