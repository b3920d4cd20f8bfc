/**
 * A Kafka producer: the record accumulator (batches by `batch.size` and `linger.ms`), the sender
 * (at most `max.in.flight.requests.per.connection` requests per broker), retries with exponential
 * backoff until `delivery.timeout.ms`, `acks` 0/1/all, idempotence (producer id + per-partition
 * sequence numbers) and Kafka's default partitioner.
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
import type { RandomStream, Simulation, Timeout, TraceOf } from "../../kernel/index.ts"
import type { KafkaEvent } from "./kafka-events.ts"
import { type ConnectionNotice, isConnectionNotice, type NodeContext } from "../../net/index.ts"
import { partitionFor, StickyPartitioner } from "./partitioner.ts"
import { brokerId, brokerNode, CONTROLLER_NODE, KAFKA_PORT, type KafkaError, type KafkaMessage, type ProduceResponse } from "./protocol.ts"

/** Producer settings; every field has Kafka's default unless noted. */
export interface ProducerOptions {
  /** `acks`: 0, 1 or -1 (all). Default -1 (all, since Kafka 3.0). */
  readonly acks?: 0 | 1 | -1
  /** `enable.idempotence`. Default: on when the other settings allow it (see the file header). */
  readonly idempotent?: boolean
  /** `batch.size`, in bytes. Default 16384. */
  readonly batchSizeBytes?: number
  /** `linger.ms`. Default 5 (Kafka 4.0; 0 before). */
  readonly lingerMs?: number
  /** Size of every record, in bytes (fixes how many fit in a batch). Default 100. */
  readonly recordBytes?: number
  /** `max.in.flight.requests.per.connection`. Default 5. */
  readonly maxInFlight?: number
  /** `retries`. Default 2147483647 (bounded by the delivery timeout). */
  readonly retries?: number
  /** `retry.backoff.ms`: first backoff. Default 100. */
  readonly retryBackoffMs?: number
  /** `retry.backoff.max.ms`: backoff cap. Default 1000. */
  readonly retryBackoffMaxMs?: number
  /** `delivery.timeout.ms`: a record not acknowledged this long after it was sent fails. Default 120000. */
  readonly deliveryTimeoutMs?: number
  /** `request.timeout.ms`. Default 30000. */
  readonly requestTimeoutMs?: number
}

/** {@link ProducerOptions} resolved. */
export interface ProducerConfig {
  readonly acks: 0 | 1 | -1
  readonly idempotent: boolean
  readonly batchSizeBytes: number
  readonly lingerMs: number
  readonly recordBytes: number
  readonly maxInFlight: number
  readonly retries: number
  readonly retryBackoffMs: number
  readonly retryBackoffMaxMs: number
  readonly deliveryTimeoutMs: number
  readonly requestTimeoutMs: number
}

/**
 * Fills in defaults and applies Kafka's idempotence rules.
 * @throws RangeError on a bad value, or when idempotence was asked for with conflicting settings
 */
export function resolveProducerConfig(options: ProducerOptions = {}): ProducerConfig {
  const acks = options.acks ?? -1
  const maxInFlight = options.maxInFlight ?? 5
  const retries = options.retries ?? 2147483647
  const compatible = acks === -1 && maxInFlight <= 5 && retries > 0
  if (options.idempotent === true && !compatible) {
    throw new RangeError("idempotence needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= 5")
  }
  const config: ProducerConfig = {
    acks,
    idempotent: options.idempotent ?? compatible,
    batchSizeBytes: options.batchSizeBytes ?? 16384,
    lingerMs: options.lingerMs ?? 5,
    recordBytes: options.recordBytes ?? 100,
    maxInFlight,
    retries,
    retryBackoffMs: options.retryBackoffMs ?? 100,
    retryBackoffMaxMs: options.retryBackoffMaxMs ?? 1000,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  }
  if (acks !== 0 && acks !== 1 && acks !== -1) throw new RangeError("acks must be 0, 1 or -1 (all)")
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError("maxInFlight must be an integer >= 1")
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError("retries must be an integer >= 0")
  if (!(config.batchSizeBytes >= 0)) throw new RangeError("batchSizeBytes must be >= 0")
  if (!(config.recordBytes > 0)) throw new RangeError("recordBytes must be > 0")
  for (const name of ["lingerMs", "retryBackoffMs", "retryBackoffMaxMs", "deliveryTimeoutMs", "requestTimeoutMs"] as const) {
    if (!(config[name] >= 0 && config[name] < Infinity)) throw new RangeError(name + " must be finite and >= 0")
  }
  return config
}

/** Record status codes in {@link ProducerRecords.status}. */
export const RECORD_PENDING = 0
/** Acknowledged by the cluster. */
export const RECORD_ACKED = 1
/** Failed for good (delivery timeout or retries exhausted). */
export const RECORD_FAILED = 2

/** The fate of one batch, shared by all its records (a batch is never split). */
export interface ProducerBatchOutcome {
  /** Record ids, in send order (the very array the logs store). */
  readonly records: readonly number[]
  readonly partition: number
  /** {@link RECORD_PENDING}, {@link RECORD_ACKED} or {@link RECORD_FAILED}. */
  readonly status: number
  /** Last error ("NONE" if none). */
  readonly error: KafkaError
  /** When it was acknowledged (NaN until then). */
  readonly ackMs: number
  /** Offset of its first record as acknowledged (-1 for acks=0 or not acknowledged). */
  readonly baseOffset: number
  /** Leader that acknowledged it, or -1. */
  readonly ackedBy: number
  /** Leader epoch of that acknowledgement, or -1. */
  readonly ackedEpoch: number
}

/** Per-record arrays, materialised from the batches on demand. */
interface RecordView {
  readonly partition: number[]
  readonly sentMs: number[]
  readonly ackMs: number[]
  readonly offset: number[]
  readonly status: number[]
  readonly error: KafkaError[]
  readonly ackedBy: number[]
  readonly ackedEpoch: number[]
}

/**
 * What happened to every record the producer was given. The bookkeeping grows per batch, not per
 * record: each batch keeps its fate once ({@link ProducerBatchOutcome}, its id array shared with
 * the logs), send times are kept as runs of records sent at the same instant, and keys are kept
 * per record only once a keyed record was sent. The per-record arrays (`status[id]`, ...) are
 * materialised from that when first read and rebuilt after the producer changed anything.
 */
export class ProducerRecords {
  /** Every batch, in creation order. */
  readonly batches: ProducerBatchOutcome[] = []
  /** Records handed to the producer (ids are `0..count-1`, in send order). */
  count = 0
  /** Produce requests sent, attempts included. */
  requests = 0
  /** Produce responses with an error. */
  errorResponses = 0
  /** Failed attempts by error code, in the order the codes first occurred. */
  readonly errorCounts = new Map<KafkaError, number>()
  private keys: (string | null)[] | undefined
  private readonly sentRunIds: number[] = []
  private readonly sentRunMs: number[] = []
  private version = 0
  private view: RecordView | undefined
  private viewVersion = -1
  private nullKeys: (string | null)[] = []

  /** Registers record `id` (the next one), sent at `nowMs`. */
  added(key: string | null, nowMs: number): number {
    const id = this.count++
    if (this.keys !== undefined) this.keys.push(key)
    else if (key !== null) {
      this.keys = new Array<string | null>(id).fill(null)
      this.keys.push(key)
    }
    if (this.sentRunMs.length === 0 || this.sentRunMs[this.sentRunMs.length - 1] !== nowMs) {
      this.sentRunIds.push(id)
      this.sentRunMs.push(nowMs)
    }
    this.version++
    return id
  }

  /** Marks the per-record view stale (a batch changed). */
  changed(): void {
    this.version++
  }

  /** Key of record `id`, or null. */
  keyOf(id: number): string | null {
    return this.keys?.[id] ?? null
  }

  /** When record `id` was sent. */
  sentMsOf(id: number): number {
    let low = 0
    let high = this.sentRunIds.length - 1
    while (low < high) {
      const mid = (low + high + 1) >>> 1
      if (this.sentRunIds[mid]! <= id) low = mid
      else high = mid - 1
    }
    return this.sentRunMs[low]!
  }

  /** The batch holding record `id`, with the record's index in it, or undefined. */
  batchOf(id: number): { readonly batch: ProducerBatchOutcome; readonly index: number } | undefined {
    for (let b = this.batches.length - 1; b >= 0; b--) {
      const batch = this.batches[b]!
      const ids = batch.records
      if (ids.length === 0 || ids[0]! > id || ids[ids.length - 1]! < id) continue
      const index = ids.indexOf(id)
      if (index >= 0) return { batch, index }
    }
    return undefined
  }

  /** Partition of each record. */
  get partition(): readonly number[] {
    return this.materialise().partition
  }
  /** Key of each record, or null. */
  get key(): readonly (string | null)[] {
    if (this.keys !== undefined) return this.keys
    if (this.nullKeys.length !== this.count) this.nullKeys = new Array<string | null>(this.count).fill(null)
    return this.nullKeys
  }
  /** When the application sent each record. */
  get sentMs(): readonly number[] {
    return this.materialise().sentMs
  }
  /** When each record was acknowledged (NaN until then). */
  get ackMs(): readonly number[] {
    return this.materialise().ackMs
  }
  /** Offset the acknowledgement reported (-1 for acks=0 or not acknowledged). */
  get offset(): readonly number[] {
    return this.materialise().offset
  }
  /** {@link RECORD_PENDING}, {@link RECORD_ACKED} or {@link RECORD_FAILED}. */
  get status(): readonly number[] {
    return this.materialise().status
  }
  /** Last error of each record ("NONE" if none). */
  get error(): readonly KafkaError[] {
    return this.materialise().error
  }
  /** Leader that acknowledged each record, or -1. */
  get ackedBy(): readonly number[] {
    return this.materialise().ackedBy
  }
  /** Leader epoch of that acknowledgement, or -1. */
  get ackedEpoch(): readonly number[] {
    return this.materialise().ackedEpoch
  }

  private materialise(): RecordView {
    if (this.view !== undefined && this.viewVersion === this.version) return this.view
    const n = this.count
    const view: RecordView = {
      partition: new Array<number>(n).fill(-1),
      sentMs: new Array<number>(n).fill(0),
      ackMs: new Array<number>(n).fill(NaN),
      offset: new Array<number>(n).fill(-1),
      status: new Array<number>(n).fill(RECORD_PENDING),
      error: new Array<KafkaError>(n).fill("NONE"),
      ackedBy: new Array<number>(n).fill(-1),
      ackedEpoch: new Array<number>(n).fill(-1),
    }
    for (let r = 0; r < this.sentRunIds.length; r++) {
      const end = r + 1 < this.sentRunIds.length ? this.sentRunIds[r + 1]! : n
      view.sentMs.fill(this.sentRunMs[r]!, this.sentRunIds[r]!, end)
    }
    for (const batch of this.batches) {
      const ids = batch.records
      const acked = batch.status === RECORD_ACKED
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!
        view.partition[id] = batch.partition
        view.status[id] = batch.status
        view.error[id] = batch.error
        if (acked) {
          view.ackMs[id] = batch.ackMs
          view.offset[id] = batch.baseOffset < 0 ? -1 : batch.baseOffset + i
          view.ackedBy[id] = batch.ackedBy
          view.ackedEpoch[id] = batch.ackedEpoch
        }
      }
    }
    this.view = view
    this.viewVersion = this.version
    return view
  }
}

/** A batch in the accumulator or in flight, and then its outcome. */
class ProducerBatch implements ProducerBatchOutcome {
  readonly records: number[] = []
  bytes = 0
  attempts = 0
  baseSequence = -1
  /** The partition's sequence epoch when the sequence was assigned. */
  sequenceEpoch = 0
  retryAtMs = 0
  status = RECORD_PENDING
  error: KafkaError = "NONE"
  ackMs = NaN
  baseOffset = -1
  ackedBy = -1
  ackedEpoch = -1
  constructor(
    readonly partition: number,
    readonly createdMs: number,
  ) {}
}

interface InFlight {
  readonly batch: ProducerBatch
  readonly broker: number
  readonly timer: Timeout
  /** The network's id of the request message (what a refusal names). */
  readonly messageId: number
}

const SEND_OPTIONS = { port: KAFKA_PORT }
/** Produce requests travel on a connection, so a refused or reset connection is reported. */
const PRODUCE_OPTIONS = { port: KAFKA_PORT, connection: true }

/** A producer on its own node, writing to one topic. */
export class Producer {
  /** The outcome of every record. */
  readonly records = new ProducerRecords()
  readonly config: ProducerConfig
  /** The producer's node name. */
  readonly name: string
  private readonly queues: ProducerBatch[][] = []
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
  private nextDrainAt = Infinity
  /** Brokers whose connection was refused or reset, until a new one is established. */
  private readonly disconnected = new Set<number>()
  private readonly trace: TraceOf<KafkaEvent>
  /** Observer hook: called when a batch is acknowledged. */
  onAck: (records: readonly number[], baseOffset: number, broker: number) => void = () => {}

  constructor(
    private readonly sim: Simulation,
    /** The node the producer runs on. */
    private readonly node: NodeContext,
    /** Partitions of the topic. */
    readonly partitions: number,
    /** Producer id for idempotence (ignored without it). */
    readonly producerId: number,
    initialLeaders: readonly number[],
    options: ProducerOptions = {},
  ) {
    this.config = resolveProducerConfig(options)
    this.name = node.name
    const name = node.name
    this.leaders = initialLeaders.slice()
    for (let p = 0; p < partitions; p++) {
      this.queues.push([])
      this.nextSequence.push(0)
      this.sequenceEpochs.push(0)
    }
    this.sticky = new StickyPartitioner(partitions, this.config.batchSizeBytes, sim.random("kafka/" + name + "/sticky"))
    this.backoffRandom = sim.random("kafka/" + name + "/backoff")
    this.trace = sim.trace
    this.node.listen(KAFKA_PORT, (envelope) => this.onMessage(envelope.message as KafkaMessage | ConnectionNotice))
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

  /** Hands a record to the producer (Kafka's `send`); returns its id. */
  send(key: string | null): number {
    const records = this.records
    const partition = key === null ? this.sticky.next(this.config.recordBytes) : this.partitionOf(key)
    const id = records.added(key, this.sim.now)
    const queue = this.queues[partition]!
    let batch = queue.length === 0 ? undefined : queue[queue.length - 1]
    if (batch === undefined || batch.attempts > 0 || batch.bytes + this.config.recordBytes > this.config.batchSizeBytes && batch.records.length > 0) {
      batch = new ProducerBatch(partition, this.sim.now)
      queue.push(batch)
      records.batches.push(batch)
      if (this.config.lingerMs > 0) this.scheduleDrain(this.sim.now + this.config.lingerMs)
    }
    batch.records.push(id)
    batch.bytes += this.config.recordBytes
    this.drain()
    return id
  }

  /** Batches not yet acknowledged or failed (queued or in flight). */
  get unfinishedBatches(): number {
    let count = this.inFlight.size
    for (const queue of this.queues) count += queue.length
    return count
  }

  private scheduleDrain(atMs: number): void {
    if (atMs >= this.nextDrainAt && this.nextDrainAt > this.sim.now) return
    this.nextDrainAt = atMs
    this.sim.timeout(atMs - this.sim.now).onProcessed(() => {
      if (this.nextDrainAt === atMs) this.nextDrainAt = Infinity
      this.drain()
    })
  }

  private sendable(batch: ProducerBatch, queue: ProducerBatch[], now: number): boolean {
    if (batch.attempts > 0) return batch.retryAtMs <= now
    return queue.length > 1 || batch.bytes + this.config.recordBytes > this.config.batchSizeBytes || now >= batch.createdMs + this.config.lingerMs
  }

  /** Sends every batch that may go now. */
  private drain(): void {
    const now = this.sim.now
    for (let p = 0; p < this.partitions; p++) {
      const queue = this.queues[p]!
      while (queue.length > 0) {
        const batch = queue[0]!
        if (now - batch.createdMs >= this.config.deliveryTimeoutMs) {
          queue.shift()
          this.finish(batch, RECORD_FAILED, "REQUEST_TIMED_OUT", -1, -1)
          continue
        }
        if (!this.sendable(batch, queue, now)) {
          if (batch.attempts > 0) this.scheduleDrain(batch.retryAtMs)
          break
        }
        const leader = this.leaders[p]!
        if (leader < 0) {
          this.refreshMetadata()
          break
        }
        if ((this.inFlightByBroker.get(leader) ?? 0) >= this.config.maxInFlight) break
        queue.shift()
        this.sendBatch(batch, leader)
      }
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
    const timer = this.sim.timeout(config.requestTimeoutMs)
    this.inFlight.set(requestId, { batch, broker: leader, timer, messageId })
    timer.onProcessed(() => this.fail(requestId, "REQUEST_TIMED_OUT"))
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
        entry.timer.cancel()
        this.finish(entry.batch, RECORD_ACKED, "NONE", -1, broker)
      }
      this.drain()
      return
    }
    this.disconnected.add(broker)
    const failed = [...this.inFlight].filter(([, entry]) => entry.broker === broker && (notice.type === "ConnectionReset" || entry.messageId === notice.messageId))
    for (const [requestId] of failed) this.fail(requestId, "NETWORK_EXCEPTION")
  }

  private onMessage(message: KafkaMessage | ConnectionNotice): void {
    if (isConnectionNotice(message)) this.onConnectionNotice(message)
    else if (message.type === "produce-response") this.onProduceResponse(message)
    else if (message.type === "metadata-response") {
      this.metadataPending = false
      this.leaders = message.leaders.slice()
      this.drain()
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
    entry.timer.cancel()
    this.finish(entry.batch, RECORD_ACKED, "NONE", response.baseOffset, response.broker, response.leaderEpoch)
    this.drain()
  }

  private fail(requestId: number, error: KafkaError): void {
    const entry = this.take(requestId)
    if (entry === undefined) return
    entry.timer.cancel()
    const batch = entry.batch
    this.records.errorResponses++
    this.records.errorCounts.set(error, (this.records.errorCounts.get(error) ?? 0) + 1)
    batch.error = error
    this.records.changed()
    const now = this.sim.now
    const records = batch.records.length
    this.trace.record({ type: "ProduceErrorReceived", partition: batch.partition, broker: entry.broker, error, records, attempt: batch.attempts })
    if (batch.attempts > this.config.retries || now - batch.createdMs >= this.config.deliveryTimeoutMs) {
      this.finish(batch, RECORD_FAILED, error, -1, -1)
      this.drain()
      return
    }
    if (error !== "NOT_ENOUGH_REPLICAS" && error !== "NOT_ENOUGH_REPLICAS_AFTER_APPEND" && error !== "OUT_OF_ORDER_SEQUENCE_NUMBER") this.refreshMetadata()
    const base = Math.min(this.config.retryBackoffMaxMs, this.config.retryBackoffMs * 2 ** (batch.attempts - 1))
    batch.retryAtMs = now + base * (0.8 + 0.4 * this.backoffRandom.next())
    const queue = this.queues[batch.partition]!
    if (this.config.idempotent && (error === "UNKNOWN_PRODUCER_ID" || batch.sequenceEpoch !== this.sequenceEpochs[batch.partition]!)) {
      if (error === "UNKNOWN_PRODUCER_ID" && batch.sequenceEpoch === this.sequenceEpochs[batch.partition]! && this.isOldest(batch)) this.resetSequences(batch.partition)
      if (batch.sequenceEpoch !== this.sequenceEpochs[batch.partition]!) batch.baseSequence = -1
    }
    if (this.config.idempotent) {
      let at = 0
      while (at < queue.length && queue[at]!.baseSequence >= 0 && queue[at]!.baseSequence < batch.baseSequence) at++
      queue.splice(at, 0, batch)
    } else queue.unshift(batch)
    this.scheduleDrain(batch.retryAtMs)
    this.drain()
  }

  /** True when no unacknowledged batch of the partition has a lower sequence. */
  private isOldest(batch: ProducerBatch): boolean {
    for (const entry of this.inFlight.values()) {
      if (entry.batch.partition === batch.partition && entry.batch.baseSequence >= 0 && entry.batch.baseSequence < batch.baseSequence) return false
    }
    for (const queued of this.queues[batch.partition]!) {
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
    for (const queued of this.queues[partition]!) queued.baseSequence = -1
  }

  private finish(batch: ProducerBatch, status: number, error: KafkaError, baseOffset: number, broker: number, leaderEpoch = -1): void {
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
      this.scheduleDrain(allowedAt)
      return
    }
    this.metadataPending = true
    this.lastMetadataMs = now
    this.node.send(CONTROLLER_NODE, { type: "metadata", requestId: ++this.nextRequestId }, SEND_OPTIONS)
    this.sim.timeout(this.config.retryBackoffMaxMs).onProcessed(() => {
      if (this.lastMetadataMs === now && this.metadataPending) {
        this.metadataPending = false
        this.drain()
      }
    })
  }
}
