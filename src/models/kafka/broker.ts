/**
 * A Kafka broker: hosts replicas of partitions, leads some and follows others.
 *
 * As leader of a partition it appends produce requests to its log, answers followers' fetches
 * (holding a fetch that finds nothing for up to `replica.fetch.wait.max.ms`), tracks each
 * follower's LEO and `lastCaughtUpTimeMs` from their fetches, advances the high watermark to the
 * smallest LEO of the ISR (only while the ISR has at least `min.insync.replicas` members, as in the
 * 2024 code), answers `acks=all` produces once the high watermark passes them, asks the
 * controller to shrink the ISR when a follower lags longer than `replica.lag.time.max.ms` and to
 * expand it when a follower has caught up. As follower it fetches from the leader, appends what it
 * gets, learns the high watermark from the fetch response (so lazily, a round trip late), and
 * truncates its log when the leader reports a diverging epoch (KIP-101 leader epochs, in the
 * single-round-trip form of KIP-320/KIP-595 instead of a separate `OffsetsForLeaderEpoch`).
 *
 * Idempotence: each replica keeps the last 5 batches of every producer id (`NUM_BATCHES_TO_RETAIN`),
 * rebuilt from the log after a restart or a truncation. A batch whose sequence matches one of them
 * is acknowledged with its original offset instead of being appended again; a gap is rejected with
 * OUT_OF_ORDER_SEQUENCE_NUMBER. A producer id the replica does not know must start at sequence 0,
 * else UNKNOWN_PRODUCER_ID (its state was lost with a truncation or a disk; see the producer).
 *
 * Consumers: as leader it answers a consumer's Fetch with records below the high watermark only,
 * parking an empty fetch until the high watermark moves (docs/kafka-consumer-groups.md, "The
 * consumer's fetch"). Topics are a mapping over its flat partitions (`topic-layout.ts`): it keeps
 * one log per flat partition, as in part 1. It also keeps the controller's latest list of live
 * brokers, from which the coordinator service places groups.
 *
 * Durability: the log lives in `node.disk`; a crash keeps it (a process crash: the OS page cache
 * survives), disk loss wipes it. The high watermark is checkpointed with the log.
 *
 * Invariants: a follower's log is a prefix of its leader's except after a leader change, and
 * becomes one again after truncation; the high watermark never exceeds the LEO of any member of
 * the (maximal) ISR; a leader never acknowledges an `acks=all` batch below `min.insync.replicas`.
 */
import { Event, type ProcessGenerator, type Simulation, type TraceOf } from "../../kernel/index.ts"
import type { NodeContext } from "../../net/index.ts"
import type {
  ConsumerError,
  ConsumerFetchedPartition,
  ConsumerFetchReply,
  ConsumerFetchRequest,
  ListOffsetsReply,
  ListOffsetsRequest,
} from "./group/group-protocol.ts"
import type { TopicPartition } from "./group/topic-partition.ts"
import type { BrokerConfig } from "./kafka-config.ts"
import type { KafkaEvent } from "./kafka-events.ts"
import type { LogBatch } from "./partition-log.ts"
import { PartitionLog } from "./partition-log.ts"
import {
  brokerNode,
  CONTROLLER_NODE,
  type FetchedPartition,
  type FetchPartition,
  type FetchRequest,
  type FetchResponse,
  KAFKA_PORT,
  type KafkaError,
  type KafkaMessage,
  type PartitionState,
  type ProduceRequest,
} from "./protocol.ts"
import { TopicLayout } from "./topic-layout.ts"

/** Batches of a producer id a replica remembers for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const NUM_BATCHES_TO_RETAIN = 5

const SEND_OPTIONS = { port: KAFKA_PORT }

/** What a leader knows about one follower. */
class FollowerState {
  leo = -1
  lastFetchMs = -Infinity
  lastFetchLeaderLeo = 0
  constructor(public lastCaughtUpMs: number) {}
}

/** An `acks=all` produce waiting for the high watermark. */
interface PendingAck {
  readonly requestId: number
  readonly producer: string
  readonly baseOffset: number
  readonly requiredOffset: number
  readonly deadlineMs: number
}

/** A batch of a producer id remembered for duplicate detection. */
interface RetainedBatch {
  readonly firstSequence: number
  readonly lastSequence: number
  readonly baseOffset: number
}

/** A fetch the leader holds until data arrives or `replica.fetch.wait.max.ms` passes. */
interface ParkedFetch {
  readonly request: FetchRequest
  readonly parkedMs: number
}

/** One replica of one partition on this broker. */
export class Replica {
  /** Leader per the latest partition state, or -1. */
  leader = -1
  leaderEpoch = -1
  partitionEpoch = -1
  /** The committed ISR (leader's view). */
  isr: readonly number[] = []
  /** ISR change sent to the controller and not yet answered. */
  pendingIsr: readonly number[] | null = null
  pendingIsrSentMs = 0
  readonly followers = new Map<number, FollowerState>()
  readonly pendingAcks: PendingAck[] = []
  readonly producers = new Map<number, RetainedBatch[]>()

  constructor(
    readonly partition: number,
    readonly replicas: readonly number[],
    readonly log: PartitionLog,
  ) {
    this.rebuildProducerState()
  }

  /** Rebuilds the producer-id table from the log (after a restart or truncation). */
  rebuildProducerState(): void {
    this.producers.clear()
    for (const batch of this.log.batches) this.remember(batch)
  }

  /** Remembers an appended batch of an idempotent producer. */
  remember(batch: LogBatch): void {
    if (batch.producerId < 0) return
    let retained = this.producers.get(batch.producerId)
    if (retained === undefined) {
      retained = []
      this.producers.set(batch.producerId, retained)
    }
    retained.push({
      firstSequence: batch.baseSequence,
      lastSequence: batch.baseSequence + batch.records.length - 1,
      baseOffset: batch.baseOffset,
    })
    if (retained.length > NUM_BATCHES_TO_RETAIN) retained.shift()
  }

  /** The ISR the high watermark is computed over: the committed ISR plus additions in flight. */
  get maximalIsr(): readonly number[] {
    const pending = this.pendingIsr
    if (pending === null || pending.length <= this.isr.length) return this.isr
    return pending
  }
}

/** A follower's fetch session with one leader. */
interface FetchSession {
  session: number
  sentMs: number
  inFlight: boolean
}

/** Options of a {@link Broker}; every field is required. */
export interface BrokerOptions {
  /** The node it runs on, named `b<id>`. */
  readonly node: NodeContext
  /** Broker id, from 1. */
  readonly id: number
  /** The replicas of every partition it hosts, by partition. */
  readonly assignments: ReadonlyMap<number, readonly number[]>
  /** Broker and topic settings, resolved. */
  readonly config: BrokerConfig
  /**
   * The topics over the flat partitions, for consumer requests. Default: one topic `t0` over
   * partitions `0..max` of `assignments` (give the cluster's layout when the broker hosts a subset).
   */
  readonly layout?: TopicLayout
}

/** A broker on a simulated node. */
export class Broker {
  /** The broker's replicas, by partition (volatile: rebuilt from disk at each restart). */
  replicas = new Map<number, Replica>()
  /** The node the broker runs on. */
  readonly node: NodeContext
  /** Broker id, from 1. */
  readonly id: number
  private readonly name: string
  private readonly assignments: ReadonlyMap<number, readonly number[]>
  private readonly config: BrokerConfig
  private sessions = new Map<number, FetchSession>()
  private parked = new Map<number, ParkedFetch>()
  private nextSession = 0
  private lastHeartbeatMs = -Infinity
  private lostDisk = false
  private readonly trace: TraceOf<KafkaEvent>
  /** The topics over the flat partitions (consumer requests speak topic partitions). */
  readonly layout: TopicLayout
  /** Fires at the next high-watermark advance or leadership change, for parked consumer fetches. */
  private changed: Event<void> | null = null
  /** The live brokers as the controller last told this broker, and that view's version; null until told. */
  private liveView: { readonly brokers: readonly number[]; readonly version: number } | null = null

  constructor(
    private readonly sim: Simulation,
    options: BrokerOptions,
  ) {
    this.node = options.node
    this.id = options.id
    this.assignments = options.assignments
    this.config = options.config
    this.layout = options.layout ?? TopicLayout.single(Math.max(0, ...options.assignments.keys()) + 1)
    this.name = brokerNode(this.id)
    if (this.node.name !== this.name)
      throw new RangeError(`broker ${this.id} must run on node ${this.name}, got ${this.node.name}`)
    this.trace = sim.trace
    this.node.onCrash(() => {
      this.replicas = new Map()
      this.sessions = new Map()
      this.parked = new Map()
      this.liveView = null
      this.notifyChange()
    })
    this.node.onRestart(() => this.boot())
    this.boot()
  }

  /** Learns a partition state without a message (the cluster bootstraps every broker with the initial assignment). */
  bootstrap(state: PartitionState): void {
    this.applyState(state)
  }

  /** The durable log of `partition` on this broker's disk, or undefined (never created, or the disk was lost). */
  durableLog(partition: number): PartitionLog | undefined {
    return this.node.disk.get("log-" + partition) as PartitionLog | undefined
  }

  private boot(): void {
    this.lastHeartbeatMs = -Infinity
    this.lostDisk = this.node.incarnation > 0 && !this.node.disk.has("meta")
    this.node.disk.set("meta", this.id)
    for (const [partition, replicas] of this.assignments) {
      let log = this.durableLog(partition)
      if (log === undefined) {
        log = new PartitionLog()
        this.node.disk.set("log-" + partition, log)
      }
      this.replicas.set(partition, new Replica(partition, replicas, log))
    }
    this.node.spawn(this.serve(), "serve")
    this.node.spawn(this.housekeeping(), "housekeeping")
  }

  private send(to: string, message: KafkaMessage): void {
    this.node.send(to, message, SEND_OPTIONS)
  }

  private *serve(): ProcessGenerator<void> {
    for (;;) {
      const envelope = yield* this.node.receive<KafkaMessage>(KAFKA_PORT)
      const message = envelope.message
      switch (message.type) {
        case "produce":
          this.onProduce(message, envelope.from)
          break
        case "fetch":
          this.onFetch(message)
          break
        case "fetch-response":
          this.onFetchResponse(message)
          break
        case "partition-state":
          this.applyState(message)
          break
        case "heartbeat-response":
          if (message.liveBrokers !== undefined)
            this.learnLiveBrokers(message.liveBrokers, message.liveBrokersVersion ?? 0)
          for (const state of message.states) this.applyState(state)
          break
        default:
          break
      }
    }
  }

  private *housekeeping(): ProcessGenerator<void> {
    for (;;) {
      const now = this.sim.now
      if (now - this.lastHeartbeatMs >= this.config.brokerHeartbeatIntervalMs) {
        this.lastHeartbeatMs = now
        this.send(CONTROLLER_NODE, {
          type: "heartbeat",
          broker: this.id,
          incarnation: this.node.incarnation,
          lostDisk: this.lostDisk,
        })
      }
      for (const replica of this.replicas.values()) {
        if (replica.leader === this.id) this.leaderChecks(replica, now)
      }
      for (const [follower, parked] of this.parked) {
        if (now - parked.parkedMs >= this.config.replicaFetchWaitMaxMs) {
          this.parked.delete(follower)
          this.send(brokerNode(follower), this.fetchResponse(parked.request))
        }
      }
      for (const [leader, session] of this.sessions) {
        if (session.inFlight && now - session.sentMs >= this.config.replicaFetchTimeoutMs) this.fetchFrom(leader)
      }
      yield* this.sim.sleep(this.config.tickMs)
    }
  }

  // --- leader side -----------------------------------------------------------------------------

  private onProduce(request: ProduceRequest, producer: string): void {
    const replica = this.replicas.get(request.partition)
    if (replica === undefined || replica.leader !== this.id)
      return this.answerProduce(request, producer, "NOT_LEADER_OR_FOLLOWER", -1)
    if (request.acks === -1 && replica.isr.length < this.config.minInsyncReplicas) {
      return this.answerProduce(request, producer, "NOT_ENOUGH_REPLICAS", -1)
    }
    const log = replica.log
    let baseOffset = -1
    if (request.producerId >= 0) {
      const retained = replica.producers.get(request.producerId)
      if (retained !== undefined && retained.length > 0) {
        const lastSequence = request.baseSequence + request.records.length - 1
        for (const batch of retained) {
          if (batch.firstSequence === request.baseSequence && batch.lastSequence === lastSequence)
            baseOffset = batch.baseOffset
        }
        if (baseOffset < 0 && request.baseSequence !== retained[retained.length - 1]!.lastSequence + 1) {
          return this.answerProduce(request, producer, "OUT_OF_ORDER_SEQUENCE_NUMBER", -1)
        }
      } else if (request.baseSequence !== 0) return this.answerProduce(request, producer, "UNKNOWN_PRODUCER_ID", -1)
    }
    let requiredOffset: number
    if (baseOffset >= 0) {
      requiredOffset = baseOffset + request.records.length
      this.trace.record({
        type: "DuplicateBatchDiscarded",
        broker: this.id,
        partition: request.partition,
        baseOffset,
        producerId: request.producerId,
        baseSequence: request.baseSequence,
      })
    } else {
      const batch = log.append(replica.leaderEpoch, request.producerId, request.baseSequence, request.records)
      replica.remember(batch)
      baseOffset = batch.baseOffset
      requiredOffset = log.endOffset
      this.trace.record({
        type: "RecordsAppended",
        broker: this.id,
        partition: request.partition,
        baseOffset,
        count: request.records.length,
        epoch: replica.leaderEpoch,
        acks: request.acks,
        firstRecord: request.records[0] ?? -1,
      })
      this.maybeAdvanceHighWatermark(replica)
      this.wakeParked(request.partition)
    }
    if (request.acks === 0) return
    if (request.acks === 1) return this.answerProduce(request, producer, "NONE", baseOffset)
    replica.pendingAcks.push({
      requestId: request.requestId,
      producer,
      baseOffset,
      requiredOffset,
      deadlineMs: this.sim.now + request.timeoutMs,
    })
    this.completeAcks(replica)
  }

  private answerProduce(request: ProduceRequest, producer: string, error: KafkaError, baseOffset: number): void {
    if (request.acks === 0) return
    this.send(producer, {
      type: "produce-response",
      requestId: request.requestId,
      error,
      baseOffset,
      broker: this.id,
      leaderEpoch: this.replicas.get(request.partition)?.leaderEpoch ?? -1,
    })
  }

  /** Answers the `acks=all` produces the high watermark has passed (Kafka's checkEnoughReplicasReachOffset). */
  private completeAcks(replica: Replica): void {
    const pending = replica.pendingAcks
    if (pending.length === 0) return
    const hw = replica.log.highWatermark
    let done = 0
    while (done < pending.length && pending[done]!.requiredOffset <= hw) done++
    if (done === 0) {
      let any = false
      for (const ack of pending) if (ack.requiredOffset <= hw) any = true
      if (!any) return
    }
    const enough = replica.isr.length >= this.config.minInsyncReplicas
    for (let i = 0; i < pending.length;) {
      const ack = pending[i]!
      if (ack.requiredOffset <= hw) {
        this.send(ack.producer, {
          type: "produce-response",
          requestId: ack.requestId,
          error: enough ? "NONE" : "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
          baseOffset: enough ? ack.baseOffset : -1,
          broker: this.id,
          leaderEpoch: replica.leaderEpoch,
        })
        pending.splice(i, 1)
      } else i++
    }
  }

  private failAcks(replica: Replica, error: KafkaError, now: number, onlyExpired: boolean): void {
    const pending = replica.pendingAcks
    for (let i = 0; i < pending.length;) {
      const ack = pending[i]!
      if (!onlyExpired || ack.deadlineMs <= now) {
        this.send(ack.producer, {
          type: "produce-response",
          requestId: ack.requestId,
          error,
          baseOffset: -1,
          broker: this.id,
          leaderEpoch: replica.leaderEpoch,
        })
        pending.splice(i, 1)
      } else i++
    }
  }

  private maybeAdvanceHighWatermark(replica: Replica): void {
    const isr = replica.maximalIsr
    if (isr.length < this.config.minInsyncReplicas) return
    const log = replica.log
    let hw = log.endOffset
    for (const member of isr) {
      if (member === this.id) continue
      const follower = replica.followers.get(member)
      const leo = follower === undefined ? -1 : follower.leo
      if (leo < hw) hw = leo
    }
    if (hw > log.highWatermark) {
      log.highWatermark = hw
      const partition = replica.partition
      this.trace.record({
        type: "HighWatermarkAdvanced",
        broker: this.id,
        partition,
        highWatermark: hw,
        leaderEpoch: replica.leaderEpoch,
      })
      this.completeAcks(replica)
      this.notifyChange()
    }
  }

  private leaderChecks(replica: Replica, now: number): void {
    if (replica.pendingAcks.length > 0) this.failAcks(replica, "REQUEST_TIMED_OUT", now, true)
    if (replica.pendingIsr !== null) {
      if (now - replica.pendingIsrSentMs >= this.config.replicaFetchTimeoutMs)
        this.proposeIsr(replica, replica.pendingIsr)
      return
    }
    let shrunk: number[] | null = null
    for (const member of replica.isr) {
      if (member === this.id) continue
      const follower = replica.followers.get(member)
      if (follower === undefined || now - follower.lastCaughtUpMs > this.config.replicaLagTimeMaxMs) {
        shrunk ??= replica.isr.slice()
        shrunk.splice(shrunk.indexOf(member), 1)
      }
    }
    if (shrunk !== null) this.proposeIsr(replica, shrunk)
  }

  private proposeIsr(replica: Replica, isr: readonly number[]): void {
    replica.pendingIsr = isr
    replica.pendingIsrSentMs = this.sim.now
    this.send(CONTROLLER_NODE, {
      type: "alter-partition",
      broker: this.id,
      partition: replica.partition,
      leaderEpoch: replica.leaderEpoch,
      partitionEpoch: replica.partitionEpoch,
      isr,
    })
  }

  private onFetch(request: FetchRequest): void {
    const now = this.sim.now
    let hasData = false
    for (const asked of request.partitions) {
      const replica = this.replicas.get(asked.partition)
      if (replica === undefined || replica.leader !== this.id || asked.leaderEpoch !== replica.leaderEpoch) {
        hasData = true
        continue
      }
      const log = replica.log
      if (this.diverges(log, asked)) {
        hasData = true
        continue
      }
      const follower = replica.followers.get(request.follower)
      if (follower !== undefined) {
        // Kafka's Replica.updateFetchStateOrThrow: caught up now, or caught up to where the leader was at the last fetch.
        if (asked.fetchOffset >= log.endOffset) follower.lastCaughtUpMs = now
        else if (asked.fetchOffset >= follower.lastFetchLeaderLeo)
          follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs)
        follower.leo = asked.fetchOffset
        follower.lastFetchMs = now
        follower.lastFetchLeaderLeo = log.endOffset
        this.maybeExpandIsr(replica, request.follower, follower)
        this.maybeAdvanceHighWatermark(replica)
      }
      if (asked.fetchOffset < log.endOffset) hasData = true
    }
    if (hasData) {
      this.parked.delete(request.follower)
      this.send(brokerNode(request.follower), this.fetchResponse(request))
    } else this.parked.set(request.follower, { request, parkedMs: now })
  }

  private diverges(log: PartitionLog, asked: FetchPartition): boolean {
    if (asked.fetchOffset === 0) return false
    const end = log.endOffsetForEpoch(asked.lastFetchedEpoch)
    return end.epoch !== asked.lastFetchedEpoch || end.endOffset < asked.fetchOffset
  }

  private maybeExpandIsr(replica: Replica, id: number, follower: FollowerState): void {
    if (replica.pendingIsr !== null || replica.isr.includes(id)) return
    const log = replica.log
    const epochStart = log.epochStart(replica.leaderEpoch)
    if (follower.leo >= log.highWatermark && follower.leo >= epochStart) this.proposeIsr(replica, [...replica.isr, id])
  }

  private fetchResponse(request: FetchRequest): FetchResponse {
    const partitions: FetchedPartition[] = []
    for (const asked of request.partitions) {
      const replica = this.replicas.get(asked.partition)
      if (replica === undefined || replica.leader !== this.id) {
        partitions.push(errorPartition(asked.partition, "NOT_LEADER_OR_FOLLOWER", -1))
        continue
      }
      if (asked.leaderEpoch !== replica.leaderEpoch) {
        partitions.push(errorPartition(asked.partition, "FENCED_LEADER_EPOCH", replica.leaderEpoch))
        continue
      }
      const log = replica.log
      if (this.diverges(log, asked)) {
        const end = log.endOffsetForEpoch(asked.lastFetchedEpoch)
        partitions.push({
          partition: asked.partition,
          error: "NONE",
          leaderEpoch: replica.leaderEpoch,
          highWatermark: log.highWatermark,
          batches: NO_BATCHES,
          divergingEpoch: end.epoch,
          divergingEndOffset: end.endOffset,
        })
        continue
      }
      let batches: readonly LogBatch[] = NO_BATCHES
      if (asked.fetchOffset < log.endOffset) {
        const from = log.batchIndexOf(asked.fetchOffset)
        batches = log.batches.slice(from, from + this.config.replicaFetchMaxBatches)
      }
      partitions.push({
        partition: asked.partition,
        error: "NONE",
        leaderEpoch: replica.leaderEpoch,
        highWatermark: log.highWatermark,
        batches,
        divergingEpoch: -1,
        divergingEndOffset: -1,
      })
    }
    return { type: "fetch-response", leader: this.id, session: request.session, partitions }
  }

  private wakeParked(partition: number): void {
    if (this.parked.size === 0) return
    for (const [follower, parked] of this.parked) {
      if (parked.request.partitions.some((asked) => asked.partition === partition)) {
        this.parked.delete(follower)
        this.send(brokerNode(follower), this.fetchResponse(parked.request))
      }
    }
  }

  // --- consumers ---------------------------------------------------------------------------------

  /**
   * Answers a consumer's Fetch (the RPC handler of `CONSUMER_FETCH_SERVICE`): per partition, the
   * records from `fetchOffset` below the high watermark, at most `maxRecords`. With nothing to
   * return for any partition and no error, the fetch is parked up to `maxWaitMs` of this broker's
   * clock and answered at the first high-watermark advance or leadership change that gives it
   * something (Kafka's DelayedFetch with `fetch.min.bytes` 1). It never touches follower or ISR state.
   */
  *consumerFetch(request: ConsumerFetchRequest): ProcessGenerator<ConsumerFetchReply> {
    const startedMs = this.sim.now
    let reply = this.consumerFetchReply(request)
    if (request.maxWaitMs > 0 && !hasAnything(reply)) {
      const timer = this.node.sleepLocal(request.maxWaitMs)
      while (!timer.triggered && !hasAnything(reply)) {
        this.changed ??= new Event<void>(this.sim)
        yield* this.sim.anyOf([this.changed, timer])
        reply = this.consumerFetchReply(request)
      }
      timer.cancel()
    }
    reply.partitions.forEach((fetched, i) => {
      const count = fetched.ids.length
      this.trace.record({
        type: "ConsumerFetchAnswered",
        broker: this.id,
        topic: fetched.tp.topic,
        partition: fetched.tp.partition,
        fetchOffset: request.partitions[i]!.fetchOffset,
        count,
        lastOffset: count === 0 ? -1 : fetched.firstOffset + count - 1,
        highWatermark: fetched.highWatermark,
        error: fetched.error,
        waitedMs: this.sim.now - startedMs,
      })
    })
    return reply
  }

  /** The answer to a consumer fetch now, without waiting. */
  consumerFetchReply(request: ConsumerFetchRequest): ConsumerFetchReply {
    const maxRecords = Math.max(0, Math.floor(request.maxRecords))
    const partitions = request.partitions.map((asked): ConsumerFetchedPartition => {
      const { tp, fetchOffset } = asked
      const found = this.leaderLog(tp)
      if (typeof found === "string") return fetchError(tp, found)
      const hw = found.highWatermark
      // Kafka's LocalLog.read: beyond the LEO (or below the log start) is out of range; between HW and LEO, nothing yet.
      if (!Number.isInteger(fetchOffset) || fetchOffset < 0 || fetchOffset > found.endOffset)
        return { ...fetchError(tp, "OFFSET_OUT_OF_RANGE"), highWatermark: hw }
      return {
        tp,
        error: "NONE",
        highWatermark: hw,
        logStartOffset: 0,
        firstOffset: fetchOffset,
        ids: readIds(found, fetchOffset, hw, maxRecords),
      }
    })
    return { partitions }
  }

  /**
   * Answers ListOffsets: `earliest` is the log start offset (0: logs never shrink from the front),
   * `latest` the high watermark (what a `read_uncommitted` consumer may read up to).
   */
  listOffsets(request: ListOffsetsRequest): ListOffsetsReply {
    return {
      offsets: request.partitions.map((tp) => {
        const found = this.leaderLog(tp)
        if (typeof found === "string") return { tp, error: found, offset: -1 }
        return { tp, error: "NONE" as const, offset: request.at === "earliest" ? 0 : found.highWatermark }
      }),
    }
  }

  /** The log of `tp` if this broker leads it, else the error a consumer gets. */
  private leaderLog(tp: TopicPartition): PartitionLog | "UNKNOWN_TOPIC_OR_PARTITION" | "NOT_LEADER_OR_FOLLOWER" {
    const flat = this.layout.flatIndex(tp)
    if (flat < 0) return "UNKNOWN_TOPIC_OR_PARTITION"
    const replica = this.replicas.get(flat)
    if (replica === undefined || replica.leader !== this.id) return "NOT_LEADER_OR_FOLLOWER"
    return replica.log
  }

  /** Wakes every parked consumer fetch to look again. */
  private notifyChange(): void {
    const changed = this.changed
    if (changed === null) return
    this.changed = null
    changed.succeed()
  }

  // --- live brokers (for the group coordinator's placement) ---------------------------------------

  /** Starts with a view of the live brokers (the cluster bootstraps every broker with all of them). */
  bootstrapLiveBrokers(brokers: readonly number[]): void {
    this.liveView = { brokers: brokers.slice(), version: 0 }
  }

  /** The live brokers as the controller last told this broker, and the view's version; null before it knows. */
  get liveBrokers(): { readonly brokers: readonly number[]; readonly version: number } | null {
    return this.liveView
  }

  private learnLiveBrokers(brokers: readonly number[], version: number): void {
    if (this.liveView !== null && this.liveView.version >= version) return
    this.liveView = { brokers: brokers.slice(), version }
    this.onLiveBrokersChanged()
  }

  /** Observer hook for the coordinator service: called when the view of live brokers changes. */
  onLiveBrokersChanged: () => void = () => {}

  // --- follower side ---------------------------------------------------------------------------

  /** Sends a fresh fetch to `leader` for every partition this broker follows from it. */
  private fetchFrom(leader: number): void {
    const partitions: FetchPartition[] = []
    for (const replica of this.replicas.values()) {
      if (replica.leader !== leader) continue
      partitions.push({
        partition: replica.partition,
        fetchOffset: replica.log.endOffset,
        lastFetchedEpoch: replica.log.lastBatchEpoch,
        leaderEpoch: replica.leaderEpoch,
      })
    }
    if (partitions.length === 0) {
      this.sessions.delete(leader)
      return
    }
    const session = ++this.nextSession
    this.sessions.set(leader, { session, sentMs: this.sim.now, inFlight: true })
    this.send(brokerNode(leader), { type: "fetch", follower: this.id, session, partitions })
  }

  private onFetchResponse(response: FetchResponse): void {
    const session = this.sessions.get(response.leader)
    if (session === undefined || session.session !== response.session) return
    let usable = false
    for (const fetched of response.partitions) {
      const replica = this.replicas.get(fetched.partition)
      if (
        replica === undefined ||
        replica.leader !== response.leader ||
        replica.leaderEpoch !== fetched.leaderEpoch ||
        fetched.error !== "NONE"
      )
        continue
      usable = true
      const log = replica.log
      if (fetched.divergingEpoch !== -1 || fetched.divergingEndOffset !== -1) {
        const own = log.endOffsetForEpoch(fetched.divergingEpoch)
        const target = Math.min(fetched.divergingEndOffset, own.endOffset, log.endOffset)
        this.truncate(replica, target)
        continue
      }
      let appended = 0
      const from = log.endOffset
      for (const batch of fetched.batches) {
        if (batch.baseOffset !== log.endOffset) continue
        log.appendBatch(batch)
        replica.remember(batch)
        appended += batch.records.length
      }
      if (appended > 0) {
        const { partition } = fetched
        this.trace.record({
          type: "RecordsReplicated",
          broker: this.id,
          partition,
          fromOffset: from,
          count: appended,
          leader: response.leader,
        })
      }
      const hw = Math.min(fetched.highWatermark, log.endOffset)
      if (hw > log.highWatermark) log.highWatermark = hw
    }
    // Nothing usable (a stale leader or epoch): wait for the partition state, retry after the fetch timeout.
    if (usable) this.fetchFrom(response.leader)
    else session.sentMs = this.sim.now
  }

  private truncate(replica: Replica, offset: number): void {
    const log = replica.log
    const from = log.endOffset
    if (offset >= from) return
    log.truncateTo(offset)
    replica.rebuildProducerState()
    this.trace.record({
      type: "LogTruncated",
      broker: this.id,
      partition: replica.partition,
      fromOffset: from,
      toOffset: offset,
      leader: replica.leader,
      leaderEpoch: replica.leaderEpoch,
    })
  }

  // --- partition state from the controller -----------------------------------------------------

  private applyState(state: PartitionState): void {
    const replica = this.replicas.get(state.partition)
    if (replica === undefined) return
    if (state.leaderEpoch < replica.leaderEpoch) return
    if (state.leaderEpoch === replica.leaderEpoch && state.partitionEpoch <= replica.partitionEpoch) {
      if (replica.pendingIsr !== null && state.partitionEpoch === replica.partitionEpoch) replica.pendingIsr = null
      return
    }
    const wasLeader = replica.leader === this.id
    const previousLeader = replica.leader
    const newEpoch = state.leaderEpoch !== replica.leaderEpoch
    replica.leader = state.leader
    replica.leaderEpoch = state.leaderEpoch
    replica.partitionEpoch = state.partitionEpoch
    replica.isr = state.isr
    replica.pendingIsr = null
    if (state.leader === this.id) {
      if (!wasLeader || newEpoch) this.becomeLeader(replica)
      else this.maybeAdvanceHighWatermark(replica)
      return
    }
    if (wasLeader) {
      this.failAcks(replica, "NOT_LEADER_OR_FOLLOWER", this.sim.now, false)
      replica.followers.clear()
      this.notifyChange()
    }
    if (previousLeader !== state.leader || newEpoch) {
      if (previousLeader >= 0 && previousLeader !== this.id) this.fetchFrom(previousLeader)
      if (state.leader >= 0) this.fetchFrom(state.leader)
    }
  }

  private becomeLeader(replica: Replica): void {
    const now = this.sim.now
    replica.log.assignEpoch(replica.leaderEpoch, replica.log.endOffset)
    replica.followers.clear()
    for (const member of replica.replicas) {
      if (member !== this.id)
        replica.followers.set(member, new FollowerState(replica.isr.includes(member) ? now : -Infinity))
    }
    this.trace.record({
      type: "LeadershipAssumed",
      broker: this.id,
      partition: replica.partition,
      leaderEpoch: replica.leaderEpoch,
      endOffset: replica.log.endOffset,
      isr: replica.isr,
    })
    this.maybeAdvanceHighWatermark(replica)
    this.notifyChange()
  }
}

const NO_BATCHES: readonly LogBatch[] = []
const NO_IDS: readonly number[] = []

/** True when a consumer fetch reply has records or an error for some partition (nothing to wait for). */
function hasAnything(reply: ConsumerFetchReply): boolean {
  return reply.partitions.some((fetched) => fetched.error !== "NONE" || fetched.ids.length > 0)
}

function fetchError(tp: TopicPartition, error: ConsumerError): ConsumerFetchedPartition {
  return { tp, error, highWatermark: -1, logStartOffset: 0, firstOffset: -1, ids: NO_IDS }
}

/** The ids of the records of `log` at offsets `from` up to (not including) `highWatermark`, at most `max`. */
function readIds(log: PartitionLog, from: number, highWatermark: number, max: number): readonly number[] {
  const end = Math.min(highWatermark, from + max)
  if (end <= from) return NO_IDS
  const ids: number[] = []
  for (let index = log.batchIndexOf(from); index < log.batches.length; index++) {
    const { baseOffset, records } = log.batches[index]!
    const stop = Math.min(records.length, end - baseOffset)
    for (let i = Math.max(0, from - baseOffset); i < stop; i++) ids.push(records[i]!)
    if (baseOffset + records.length >= end) break
  }
  return ids
}

function errorPartition(partition: number, error: KafkaError, leaderEpoch: number): FetchedPartition {
  return {
    partition,
    error,
    leaderEpoch,
    highWatermark: -1,
    batches: NO_BATCHES,
    divergingEpoch: -1,
    divergingEndOffset: -1,
  }
}
