/**
 * A Kafka producer: the application's `send` and Kafka's default partitioner, the record
 * accumulator (batches by `batch.size` and `linger.ms`), and the sender, a process on the
 * producer's node (Kafka's Sender thread: at most `max.in.flight.requests.per.connection` requests
 * per broker), with retries with exponential backoff until `delivery.timeout.ms`, `acks` 0/1/all
 * and idempotence (producer id + per-partition sequence numbers).
 *
 * `send` only appends to the accumulator; it wakes the sender when it opens a batch or fills one
 * (as Kafka's does). The sender loops: it fails the requests past `request.timeout.ms`, sends
 * every batch that may go, then sleeps until it is woken (a `send`, a produce answer, a
 * connection notice, a metadata answer) or until the next time something becomes sendable (a
 * batch's `linger.ms`, a retry's backoff, a request's timeout, a metadata retry). Answers are
 * handled as they arrive (the network client's callbacks) and wake the sender for what they
 * freed.
 *
 * A batch is sendable when it is full, when a later batch exists behind it, when it has waited
 * `linger.ms`, or when it is a retry whose backoff is over. A failed batch goes back to the head
 * of its partition's queue (`addFirst`): without idempotence and with more than one request in
 * flight, it then lands behind batches sent after it (reordering, scenario F); with idempotence
 * it is put back in sequence order and the broker rejects anything out of sequence, so order holds.
 * A request whose answer is lost is retried after `request.timeout.ms`: without idempotence the
 * retry can append the batch twice (scenario E); with it the leader recognises the sequence.
 *
 * Simplifications: one batch per produce request (Kafka packs one batch per partition led by
 * the broker); the producer id is assigned when the producer is built (no InitProducerId round
 * trip, no epoch bump); metadata comes from the controller. Produce requests travel on
 * connections (`src/net/connections.ts`): a broker whose process is down refuses a new connection
 * and resets the open ones when it crashes, and the producer learns it from the network's notice
 * (the request fails with NETWORK_EXCEPTION), while a pause or a partition is only noticed through
 * `request.timeout.ms`. When a leader answers UNKNOWN_PRODUCER_ID
 * to the oldest outstanding batch of a partition (it lost this producer's state with a truncation
 * or a disk), the producer restarts that partition's sequences at 0 (KIP-360 bumps the producer
 * epoch instead). `acks=0` counts a batch as acknowledged
 * (offset -1) the moment it is written to a connection the producer has no reason to think broken;
 * after a refusal or a reset it waits until a new connection is established. The producer's own node is not a
 * target of fault plans.
 *
 * Invariants: a record is acknowledged or failed at most once; at most `maxInFlight` requests
 * are outstanding per broker; with idempotence a partition's sequence numbers follow send order
 * without gaps.
 *
 * Idempotence follows Kafka's rule: on by default, silently off when `acks` is not all (or
 * `max.in.flight > 5`, or `retries = 0`) unless it was asked for explicitly, which then throws.
 */
import { Event, type ProcessGenerator, type RandomStream, type Simulation, type TraceOf } from "../../kernel/index.ts"
import { type ConnectionNotice, isConnectionNotice, type NodeContext } from "../../net/index.ts"
import type { KafkaEvent } from "./kafka-events.ts"
import { type ProducerConfig, type ProducerOptions, resolveProducerConfig } from "./producer-config.ts"
import { ProducerRecords, RECORD_ACKED, RECORD_FAILED, RECORD_PENDING } from "./producer-records.ts"
import { type ProducerBatch, RecordAccumulator } from "./record-accumulator.ts"
import { partitionFor, StickyPartitioner } from "./partitioner.ts"
import {
  brokerId,
  brokerNode,
  CONTROLLER_NODE,
  KAFKA_PORT,
  type KafkaError,
  type KafkaMessage,
  type ProduceResponse,
} from "./protocol.ts"

interface InFlight {
  readonly batch: ProducerBatch
  readonly broker: number
  /** When the request times out (`request.timeout.ms` after it was sent). */
  readonly deadlineMs: number
  /** The network's id of the request message (what a refusal names). */
  readonly messageId: number
}

const SEND_OPTIONS = { port: KAFKA_PORT }
/** Produce requests travel on a connection, so a refused or reset connection is reported. */
const PRODUCE_OPTIONS = { port: KAFKA_PORT, connection: true }

/** Options of a {@link Producer}. */
export interface ProducerWiring {
  /** The node it runs on (its name names its random streams). Required. */
  readonly node: NodeContext
  /** Partitions of the topic. Required. */
  readonly partitions: number
  /** The leader of each partition when the producer starts (its bootstrap metadata). Required. */
  readonly leaders: readonly number[]
  /** Producer id for idempotence (ignored without it). Default 1000. */
  readonly producerId?: number
  /** The producer's settings. Default: Kafka's defaults. */
  readonly config?: ProducerOptions
}

/** A producer on its own node, writing to one topic: the application's `send`, the accumulator and the sender. */
export class Producer {
  /** The outcome of every record. */
  readonly records = new ProducerRecords()
  readonly config: ProducerConfig
  /** The producer's node name. */
  readonly name: string
  /** Partitions of the topic. */
  readonly partitions: number
  /** Producer id for idempotence (ignored without it). */
  readonly producerId: number
  private readonly node: NodeContext
  private readonly accumulator: RecordAccumulator
  private readonly inFlightByBroker = new Map<number, number>()
  private readonly inFlight = new Map<number, InFlight>()
  private readonly nextSequence: number[] = []
  private readonly sequenceEpochs: number[] = []
  private leaders: number[]
  private readonly sticky: StickyPartitioner
  private readonly keyPartitions = new Map<string, number>()
  private readonly backoffRandom: RandomStream
  private nextRequestId = 0
  private metadataPending = false
  private lastMetadataMs = -Infinity
  /** When a metadata request held back by `retry.backoff.ms` may go; Infinity when none waits. */
  private metadataRetryAtMs = Infinity
  /** What the sleeping sender waits for; null while it runs or is already woken. */
  private wakeup: Event<void> | null = null
  /** When the sender's earliest alarm rings (Infinity: none set). */
  private alarmMs = Infinity
  /** True during the sender's pass; `again` asks for another one. */
  private passing = false
  private again = false
  /** Brokers whose connection was refused or reset, until a new one is established. */
  private readonly disconnected = new Set<number>()
  private readonly trace: TraceOf<KafkaEvent>
  /** Observer hook: called when a batch is acknowledged. */
  onAck: (records: readonly number[], baseOffset: number, broker: number) => void = () => {}

  constructor(
    private readonly sim: Simulation,
    options: ProducerWiring,
  ) {
    const { node, partitions } = options
    this.config = resolveProducerConfig(options.config)
    this.node = node
    this.name = node.name
    this.partitions = partitions
    this.producerId = options.producerId ?? 1000
    const name = node.name
    this.leaders = options.leaders.slice()
    this.accumulator = new RecordAccumulator(partitions, this.config)
    for (let p = 0; p < partitions; p++) {
      this.nextSequence.push(0)
      this.sequenceEpochs.push(0)
    }
    this.sticky = new StickyPartitioner(partitions, this.config.batchSizeBytes, sim.random("kafka/" + name + "/sticky"))
    this.backoffRandom = sim.random("kafka/" + name + "/backoff")
    this.trace = sim.trace
    this.node.listen(KAFKA_PORT, (envelope) => this.onMessage(envelope.message as KafkaMessage | ConnectionNotice))
    this.node.spawn(runSender(this), name + "-sender")
  }

  /** Partition of `key` (cached murmur2). */
  partitionOf(key: string): number {
    let partition = this.keyPartitions.get(key)
    if (partition === undefined) {
      partition = partitionFor(key, this.partitions)
      this.keyPartitions.set(key, partition)
    }
    return partition
  }

  /** Hands a record to the producer (Kafka's `send`): appends it and wakes the sender when it opened or filled a batch; returns its id. */
  send(key: string | null): number {
    const records = this.records
    const partition = key === null ? this.sticky.next(this.config.recordBytes) : this.partitionOf(key)
    const id = records.added(key, this.sim.now)
    const opened = this.accumulator.append(partition, id, this.sim.now)
    if (opened !== undefined) {
      records.batches.push(opened)
      this.wake()
    } else if (this.accumulator.lastIsFull(partition)) this.wake()
    return id
  }

  /** Batches not yet acknowledged or failed (queued or in flight). */
  get unfinishedBatches(): number {
    return this.inFlight.size + this.accumulator.size
  }

  /**
   * One pass of the sender: fails the requests past their timeout, lets a timed-out metadata
   * request go, sends every batch that may go now, and sets the sender's alarm for the next time
   * it must look again without being woken.
   */
  runOnce(): void {
    this.wakeup = null
    this.passing = true
    do {
      this.again = false
      this.pass()
    } while (this.again)
    this.passing = false
    const nextMs = this.nextCheckMs()
    if (nextMs < Infinity) this.alarmAt(nextMs)
  }

  private pass(): void {
    const now = this.sim.now
    if (this.inFlight.size > 0) {
      let expired: number[] | null = null
      for (const [requestId, entry] of this.inFlight) if (entry.deadlineMs <= now) (expired ??= []).push(requestId)
      if (expired !== null) for (const requestId of expired) this.fail(requestId, "REQUEST_TIMED_OUT")
    }
    if (this.metadataPending && now >= this.lastMetadataMs + this.config.retryBackoffMaxMs) this.metadataPending = false
    if (this.metadataRetryAtMs <= now) this.metadataRetryAtMs = Infinity
    for (let p = 0; p < this.partitions; p++) this.drainPartition(p, now)
  }

  /** Wakes the sender at `atMs` unless an alarm at or before it (and after now) is already set. */
  private alarmAt(atMs: number): void {
    const now = this.sim.now
    if (atMs >= this.alarmMs && this.alarmMs > now) return
    this.alarmMs = atMs
    this.sim.timeout(atMs - now).onProcessed(() => {
      if (this.alarmMs === atMs) this.alarmMs = Infinity
      this.wake()
    })
  }

  /** The earliest time a queued batch becomes sendable by time alone, a request times out or a metadata request may go. */
  private nextCheckMs(): number {
    let next = this.metadataRetryAtMs
    if (this.metadataPending) next = Math.min(next, this.lastMetadataMs + this.config.retryBackoffMaxMs)
    for (const entry of this.inFlight.values()) if (entry.deadlineMs < next) next = entry.deadlineMs
    const now = this.sim.now
    for (let p = 0; p < this.partitions; p++) {
      const at = this.accumulator.sendableAtMs(p)
      if (at > now && at < next) next = at
    }
    return next
  }

  /** The event the sender sleeps on until something changes (a new one for each sleep). */
  sleepEvent(): Event<void> {
    const wakeup = new Event<void>(this.sim)
    this.wakeup = wakeup
    return wakeup
  }

  /** Wakes the sender if it sleeps; during its pass, makes it pass once more (something changed behind it). */
  private wake(): void {
    if (this.passing) {
      this.again = true
      return
    }
    const wakeup = this.wakeup
    if (wakeup === null) return
    this.wakeup = null
    wakeup.succeed()
  }

  /** Sends the batches of `partition` that may go now, oldest first. */
  private drainPartition(p: number, now: number): void {
    const accumulator = this.accumulator
    for (let batch = accumulator.head(p); batch !== undefined; batch = accumulator.head(p)) {
      if (now - batch.createdMs >= this.config.deliveryTimeoutMs) {
        accumulator.takeHead(p)
        this.finish(batch, RECORD_FAILED, "REQUEST_TIMED_OUT", -1, -1)
        continue
      }
      if (!accumulator.ready(p, now)) break
      const leader = this.leaders[p]!
      if (leader < 0) {
        this.refreshMetadata()
        break
      }
      if ((this.inFlightByBroker.get(leader) ?? 0) >= this.config.maxInFlight) break
      this.sendBatch(accumulator.takeHead(p), leader)
    }
  }

  private sendBatch(batch: ProducerBatch, leader: number): void {
    const config = this.config
    if (config.idempotent && batch.baseSequence < 0) {
      batch.baseSequence = this.nextSequence[batch.partition]!
      batch.sequenceEpoch = this.sequenceEpochs[batch.partition]!
      this.nextSequence[batch.partition]! += batch.records.length
    }
    batch.attempts++
    const requestId = ++this.nextRequestId
    this.records.requests++
    const to = brokerNode(leader)
    const messageId = this.node.send(
      to,
      {
        type: "produce",
        requestId,
        partition: batch.partition,
        acks: config.acks,
        producerId: config.idempotent ? this.producerId : -1,
        baseSequence: config.idempotent ? batch.baseSequence : -1,
        records: batch.records,
        timeoutMs: config.requestTimeoutMs,
      },
      PRODUCE_OPTIONS,
    )
    // acks=0: a batch counts as sent once it is written to an open connection; on one that was
    // refused or reset it waits for the new connection (established, or refused again).
    if (config.acks === 0 && !this.disconnected.has(leader)) {
      this.finish(batch, RECORD_ACKED, "NONE", -1, leader)
      return
    }
    this.inFlightByBroker.set(leader, (this.inFlightByBroker.get(leader) ?? 0) + 1)
    this.inFlight.set(requestId, {
      batch,
      broker: leader,
      deadlineMs: this.sim.now + config.requestTimeoutMs,
      messageId,
    })
  }

  /**
   * What the network says about a connection to a broker: refused (the request that tried fails),
   * reset (every request in flight to it fails), or established (acks=0 batches waiting on it count
   * as sent).
   */
  private onConnectionNotice(notice: ConnectionNotice): void {
    const broker = brokerId(notice.peer)
    if (notice.type === "ConnectionEstablished") {
      this.disconnected.delete(broker)
      if (this.config.acks !== 0) return
      const waiting = [...this.inFlight].filter(([, entry]) => entry.broker === broker)
      for (const [requestId, entry] of waiting) {
        this.take(requestId)
        this.finish(entry.batch, RECORD_ACKED, "NONE", -1, broker)
      }
      this.wake()
      return
    }
    this.disconnected.add(broker)
    const failed = [...this.inFlight].filter(
      ([, entry]) =>
        entry.broker === broker && (notice.type === "ConnectionReset" || entry.messageId === notice.messageId),
    )
    for (const [requestId] of failed) this.fail(requestId, "NETWORK_EXCEPTION")
  }

  private onMessage(message: KafkaMessage | ConnectionNotice): void {
    if (isConnectionNotice(message)) this.onConnectionNotice(message)
    else if (message.type === "produce-response") this.onProduceResponse(message)
    else if (message.type === "metadata-response") {
      this.metadataPending = false
      this.leaders = message.leaders.slice()
      this.wake()
    }
  }

  private take(requestId: number): InFlight | undefined {
    const entry = this.inFlight.get(requestId)
    if (entry === undefined) return undefined
    this.inFlight.delete(requestId)
    this.inFlightByBroker.set(entry.broker, this.inFlightByBroker.get(entry.broker)! - 1)
    return entry
  }

  private onProduceResponse(response: ProduceResponse): void {
    if (response.error !== "NONE") {
      this.fail(response.requestId, response.error)
      return
    }
    const entry = this.take(response.requestId)
    if (entry === undefined) return
    this.finish(entry.batch, RECORD_ACKED, "NONE", response.baseOffset, response.broker, response.leaderEpoch)
    this.wake()
  }

  private fail(requestId: number, error: KafkaError): void {
    const entry = this.take(requestId)
    if (entry === undefined) return
    const batch = entry.batch
    this.records.errorResponses++
    this.records.errorCounts.set(error, (this.records.errorCounts.get(error) ?? 0) + 1)
    batch.error = error
    this.records.changed()
    const now = this.sim.now
    const records = batch.records.length
    this.trace.record({
      type: "ProduceErrorReceived",
      partition: batch.partition,
      broker: entry.broker,
      error,
      records,
      attempt: batch.attempts,
    })
    if (batch.attempts > this.config.retries || now - batch.createdMs >= this.config.deliveryTimeoutMs) {
      this.finish(batch, RECORD_FAILED, error, -1, -1)
      this.wake()
      return
    }
    if (
      error !== "NOT_ENOUGH_REPLICAS" &&
      error !== "NOT_ENOUGH_REPLICAS_AFTER_APPEND" &&
      error !== "OUT_OF_ORDER_SEQUENCE_NUMBER"
    )
      this.refreshMetadata()
    const base = Math.min(this.config.retryBackoffMaxMs, this.config.retryBackoffMs * 2 ** (batch.attempts - 1))
    batch.retryAtMs = now + base * (0.8 + 0.4 * this.backoffRandom.next())
    if (
      this.config.idempotent &&
      (error === "UNKNOWN_PRODUCER_ID" || batch.sequenceEpoch !== this.sequenceEpochs[batch.partition]!)
    ) {
      if (
        error === "UNKNOWN_PRODUCER_ID" &&
        batch.sequenceEpoch === this.sequenceEpochs[batch.partition]! &&
        this.isOldest(batch)
      )
        this.resetSequences(batch.partition)
      if (batch.sequenceEpoch !== this.sequenceEpochs[batch.partition]!) batch.baseSequence = -1
    }
    this.accumulator.reenqueue(batch)
    this.wake()
  }

  /** True when no unacknowledged batch of the partition has a lower sequence. */
  private isOldest(batch: ProducerBatch): boolean {
    for (const entry of this.inFlight.values()) {
      if (
        entry.batch.partition === batch.partition &&
        entry.batch.baseSequence >= 0 &&
        entry.batch.baseSequence < batch.baseSequence
      )
        return false
    }
    for (const queued of this.accumulator.queued(batch.partition)) {
      if (queued.baseSequence >= 0 && queued.baseSequence < batch.baseSequence) return false
    }
    return true
  }

  /**
   * The leader lost this producer's state (truncation, unclean election, disk loss): start the
   * partition's sequences again from 0, as KIP-360's epoch bump does.
   */
  private resetSequences(partition: number): void {
    this.sequenceEpochs[partition]!++
    this.nextSequence[partition] = 0
    for (const queued of this.accumulator.queued(partition)) queued.baseSequence = -1
  }

  private finish(
    batch: ProducerBatch,
    status: number,
    error: KafkaError,
    baseOffset: number,
    broker: number,
    leaderEpoch = -1,
  ): void {
    const ids = batch.records
    if (batch.status === RECORD_PENDING) {
      batch.status = status
      batch.error = error
      if (status === RECORD_ACKED) {
        batch.ackMs = this.sim.now
        batch.baseOffset = baseOffset
        batch.ackedBy = broker
        batch.ackedEpoch = leaderEpoch
      }
      this.records.changed()
    }
    if (status === RECORD_ACKED) this.onAck(ids, baseOffset, broker)
    const type = status === RECORD_ACKED ? "BatchAcknowledged" : "DeliveryFailed"
    this.trace.record({ type, partition: batch.partition, broker, baseOffset, records: ids.length, error })
  }

  private refreshMetadata(): void {
    if (this.metadataPending) return
    const now = this.sim.now
    const allowedAt = this.lastMetadataMs + this.config.retryBackoffMs
    if (now < allowedAt) {
      this.metadataRetryAtMs = Math.min(this.metadataRetryAtMs, allowedAt)
      return
    }
    this.metadataPending = true
    this.lastMetadataMs = now
    this.node.send(CONTROLLER_NODE, { type: "metadata", requestId: ++this.nextRequestId }, SEND_OPTIONS)
  }
}

/**
 * The sender process (Kafka's Sender thread): one pass, then sleep until woken or until the pass's
 * next timed check. Module-level, so that every producer's sender shares one generator map
 * (docs/kernel-performance.md#generator-closures).
 */
function* runSender(producer: Producer): ProcessGenerator<void> {
  for (;;) {
    producer.runOnce()
    yield* producer.sleepEvent()
  }
}
