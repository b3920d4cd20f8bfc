/**
 * A Kafka consumer as a long-running service on its own node (docs/kafka-consumer-groups.md,
 * "Consumer"): `start()` runs the application's loop — poll, process, commit — until `stop()`.
 *
 * - **Poll**: joins the group when needed ({@link GroupMember}), auto-commits when due, gives every
 *   owned partition without a position one (its committed offset — OffsetFetch — or, when none,
 *   `auto.offset.reset`: `earliest`/`latest` through ListOffsets, `none` fails the poll), then
 *   fetches from the partition leaders up to the high watermark (the leader parks an empty fetch up
 *   to `fetch.max.wait.ms`) and returns at most `max.poll.records`. The position moves past what
 *   was returned; the committed offset moves only with a commit.
 * - **Commits**: `auto` commits the positions inside poll every `auto.commit.interval.ms` — the
 *   positions of the records the previous poll returned (processed by then when processing
 *   happens in the poll thread, not when a worker pool does it); `sync` commits after processing
 *   each poll and waits; `async` sends the commit and moves on (a failed async commit is not
 *   retried, unless `retryAsyncCommits` shows why: an old offset retried after a newer one
 *   succeeded moves the committed offset back). The rebalance listener commits on revoke.
 * - **Processing**: each record costs `processingMs` of the consumer's time (or
 *   `processingTimeMs(record)`). With `workers` > 1 a pool processes records in parallel outside the
 *   poll thread, and the committed offset follows `commitRule`: `max` or `contiguous`
 *   ({@link PartitionProgress}); `position` (Kafka's own) commits what was polled, processed or
 *   not. With `commitAfterEachRecord` a worker also commits after each record it finishes.
 * - **Batches**: with `batchSize` > 0 the poll thread gathers up to `batchSize` records, or what
 *   arrived within `batchTimeoutMs`, processes them at one cost of `batchCostMs` + `processingMs`
 *   per record, and commits once per batch.
 *
 * A crash ends the processing under way (recorded `completed: false`) and forgets everything but
 * the configuration; a restart begins again from the committed offsets. A pause freezes the
 * consumer mid-work: it wakes up and finishes what it was doing, whatever happened meanwhile.
 *
 * Fetching as Kafka's consumer does it: at most one fetch in flight per leader, for the owned
 * partitions with a position and nothing buffered, each asking up to `max.poll.records` records per
 * partition (the stand-in for `max.partition.fetch.bytes`), with a timeout of `fetch.max.wait.ms` +
 * `request.timeout.ms`; completed fetches wait in a buffer that polls hand out, oldest first, and a
 * poll that hands out records sends the next fetches before returning (pipelining). Simplified:
 * leaders found by trying the next broker on `NOT_LEADER_OR_FOLLOWER` or a timeout starting from
 * `leaderHint`.
 */
import { Event, type ProcessGenerator, type TraceOf } from "../../../kernel/index.ts"
import type { NetworkContext, NodeContext } from "../../../net/index.ts"
import { Rpc, type RpcOutcome } from "../../../net/rpc.ts"
import type { AssignorName } from "./assignor-types.ts"
import { type CommitRule, PartitionProgress } from "./commit-rules.ts"
import type { CommitReason, GroupEvent } from "./group-events.ts"
import { GroupMember, type RebalanceProtocol } from "./group-member.ts"
import {
  CONSUMER_FETCH_SERVICE,
  type ConsumerFetchReply,
  type ConsumerFetchServiceRequest,
  type ErrorReply,
  type ListOffsetsReply,
  type OffsetFetchReply,
} from "./group-protocol.ts"
import { comparePartitions, partitionKey, type TopicPartition } from "./topic-partition.ts"

/** How the consumer commits. */
export type CommitMode = "auto" | "sync" | "async" | "none"

/** What offset a commit carries: the positions (Kafka's own) or a worker pool's commit rule. */
export type CommitOffsetRule = "position" | CommitRule

/** A record handed to the application. */
export interface ConsumerRecord {
  readonly tp: TopicPartition
  readonly offset: number
  /** The id the producer's workload gave it. */
  readonly id: number
}

/** Options of a {@link KafkaConsumer}; times in ms, defaults Kafka's. */
export interface KafkaConsumerOptions {
  readonly node: NodeContext
  readonly network: NetworkContext
  readonly brokers: readonly string[]
  readonly groupId: string
  /** The consumer's name. Default the node's name. */
  readonly clientId?: string
  /** Partition count of each topic. */
  readonly partitionsPerTopic: Readonly<Record<string, number>>
  /** The leader to try first for a partition (from metadata). Default the first broker. */
  readonly leaderHint?: (tp: TopicPartition) => string
  readonly groupInstanceId?: string
  /** Default `range`. */
  readonly assignor?: AssignorName
  /** Default `eager`. */
  readonly protocol?: RebalanceProtocol
  /** Default 45000. */
  readonly sessionTimeoutMs?: number
  /** Default 3000. */
  readonly heartbeatIntervalMs?: number
  /** Default 300000. */
  readonly maxPollIntervalMs?: number
  /** `max.poll.records`. Default 500. */
  readonly maxPollRecords?: number
  /** `fetch.max.wait.ms`. Default 500. */
  readonly fetchMaxWaitMs?: number
  /** `request.timeout.ms`. Default 30000. */
  readonly requestTimeoutMs?: number
  /** `auto.offset.reset`. Default `latest`. */
  readonly autoOffsetReset?: "earliest" | "latest" | "none"
  /** Default `auto` (`enable.auto.commit` true). */
  readonly commit?: CommitMode
  /** `auto.commit.interval.ms`. Default 5000. */
  readonly autoCommitIntervalMs?: number
  /** Retry a failed async commit (the reordering trap). Default false. */
  readonly retryAsyncCommits?: boolean
  /** The rebalance listener commits the revoked partitions. Default true. */
  readonly commitOnRevoke?: boolean
  /** Processing cost per record. Default 0. */
  readonly processingMs?: number
  /**
   * Processing cost of `record` (e.g. drawn from a random stream), instead of `processingMs`; the
   * poll thread then processes its records one by one (each finished on its own). Default none.
   */
  readonly processingTimeMs?: (record: ConsumerRecord) => number
  /** The application's rebalance listener, after the consumer took `partitions` (e.g. to `seek`). Default none. */
  readonly onPartitionsAssigned?: (consumer: KafkaConsumer, partitions: readonly TopicPartition[]) => void
  /** Worker pool size; 1 processes in the poll thread. Default 1. */
  readonly workers?: number
  /** Default `position` with one worker, `contiguous` with a pool. */
  readonly commitRule?: CommitOffsetRule
  /**
   * A worker pool commits (async, per `commitRule`) after every record it finishes, as an
   * application acknowledging each record does, besides the poll thread's commits. Default false.
   */
  readonly commitAfterEachRecord?: boolean
  /** Records per batch; 0: no batching. Default 0. */
  readonly batchSize?: number
  /** How long a batch waits to fill. Default 1000. */
  readonly batchTimeoutMs?: number
  /** One cost per batch (a DB commit). Default 0. */
  readonly batchCostMs?: number
  /** The GROUP_SERVICE client. Default: a new one. */
  readonly groupRpc?: Rpc
  /** The CONSUMER_FETCH_SERVICE client. Default: a new one. */
  readonly fetchRpc?: Rpc
  readonly trace?: TraceOf<GroupEvent>
}

interface Assigned {
  readonly tp: TopicPartition
  position: number | null
  reset: "earliest" | "latest" | null
  progress: PartitionProgress | null
  leader: number
}

/** One partition's records from a completed fetch: ids at consecutive offsets from `firstOffset`, handed out up to `next`. */
interface FetchedPart {
  readonly tp: TopicPartition
  /** The assignment the fetch was for (a rebalance that drops and re-adds the partition makes a new one). */
  readonly entry: Assigned
  readonly firstOffset: number
  readonly ids: readonly number[]
  /** Index in `ids` of the next record to hand out. */
  next: number
}

interface InFlight {
  readonly tp: TopicPartition
  readonly fromOffset: number
  readonly toOffset: number
}

/** A Kafka consumer: a service with its group membership, positions, commits and processing. */
export class KafkaConsumer {
  readonly name: string
  readonly member: GroupMember
  readonly fetchRpc: Rpc
  /** Offsets (next to read) this consumer got acknowledged by the coordinator, per partition key. */
  readonly acknowledgedCommits = new Map<string, number>()
  /** Records processed to completion, in order: the `no-message-lost` accounting. */
  readonly processed: ConsumerRecord[] = []
  private readonly trace: TraceOf<GroupEvent>
  private readonly assigned = new Map<string, Assigned>()
  private subscription: readonly string[] | null = null
  private manual: readonly TopicPartition[] | null = null
  private running = false
  private stopping = false
  private epoch = 0
  private nextAutoCommitMs = 0
  private readonly inFlight = new Set<InFlight>()
  /** The offset last sent in a commit, per partition key. */
  private readonly lastSent = new Map<string, number>()
  private readonly queue: ConsumerRecord[] = []
  /** Completed fetches not yet handed out, oldest first (Kafka's fetch buffer). */
  private readonly buffer: FetchedPart[] = []
  /** Leaders with a fetch of this consumer in flight. */
  private readonly fetching = new Set<string>()
  private fetchCompleted: Event<void> | null = null
  private queueChanged: Event<void> | null = null
  /** Why the consumer stopped on its own (`NoOffsetForPartition`), or null. */
  failure: string | null = null

  constructor(readonly options: KafkaConsumerOptions) {
    this.name = options.clientId ?? options.node.name
    this.trace = options.trace ?? options.node.sim.trace
    this.member = new GroupMember({
      ...options,
      clientId: this.name,
      topics: [],
      ...(options.groupRpc === undefined ? {} : { rpc: options.groupRpc }),
      listener: {
        onPartitionsRevoked: (tps) => this.onRevoked(tps),
        onPartitionsAssigned: (tps) => this.onAssigned(tps),
        onPartitionsLost: (tps) => this.drop(tps),
      },
    })
    this.fetchRpc = options.fetchRpc ?? new Rpc(options.network, { service: CONSUMER_FETCH_SERVICE })
    options.node.onCrash(() => this.crashed())
  }

  /** Subscribes to `topics` (group management). */
  subscribe(topics: readonly string[]): void {
    this.subscription = [...topics]
    this.manual = null
    this.member.subscribe(topics)
  }

  /** Reads `partitions` without group management (commits with generation -1). */
  assign(partitions: readonly TopicPartition[]): void {
    this.manual = [...partitions]
    this.subscription = null
    this.drop([...this.assigned.values()].map((a) => a.tp))
    this.onAssigned(partitions)
  }

  /** The partitions this consumer reads now. */
  get assignment(): readonly TopicPartition[] {
    return [...this.assigned.values()].map((a) => a.tp).sort(comparePartitions)
  }

  /** The position (next offset to hand out) of `tp`, or undefined when not yet known. */
  position(tp: TopicPartition): number | undefined {
    return this.assigned.get(partitionKey(tp))?.position ?? undefined
  }

  /** Moves the position of `tp` to `offset` (the next poll reads from there). */
  seek(tp: TopicPartition, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`seek offset must be a whole number >= 0`)
    const entry = this.assigned.get(partitionKey(tp))
    if (entry === undefined) throw new RangeError(`seek: ${partitionKey(tp)} is not assigned to ${this.name}`)
    entry.position = offset
    entry.reset = null
    entry.progress = null
  }

  /** The next poll starts `partitions` from the log start. */
  seekToBeginning(partitions: readonly TopicPartition[]): void {
    this.lazyReset(partitions, "earliest")
  }

  /** The next poll starts `partitions` from the high watermark. */
  seekToEnd(partitions: readonly TopicPartition[]): void {
    this.lazyReset(partitions, "latest")
  }

  private lazyReset(partitions: readonly TopicPartition[], to: "earliest" | "latest"): void {
    for (const tp of partitions) {
      const entry = this.assigned.get(partitionKey(tp))
      if (entry === undefined) continue
      entry.position = null
      entry.reset = to
      entry.progress = null
    }
  }

  // ---- the service --------------------------------------------------------------------------

  /** Starts the consumer's loop (and heartbeats). Subscribe or assign first. */
  start(): void {
    if (this.running) return
    if (this.subscription === null && this.manual === null) throw new Error(`${this.name}: subscribe or assign first`)
    this.running = true
    this.stopping = false
    const epoch = ++this.epoch
    if (this.subscription !== null) this.member.start()
    this.nextAutoCommitMs = this.options.node.monotonicClock() + (this.options.autoCommitIntervalMs ?? 5000)
    this.options.node.spawn(this.loop(epoch), `${this.name}-poll`)
    for (let w = 0; w < this.workerCount; w++) this.options.node.spawn(this.worker(epoch), `${this.name}-worker-${w}`)
  }

  /** Asks the consumer to stop: it finishes the current poll's work, commits, leaves the group. */
  stop(): void {
    this.stopping = true
  }

  /** True after stop() until the consumer has left (or crashed). */
  get isStopping(): boolean {
    return this.running && this.stopping
  }

  /** True between start() and the end of the loop. */
  get isRunning(): boolean {
    return this.running
  }

  private get workerCount(): number {
    return this.options.workers ?? 1
  }

  private *loop(epoch: number): ProcessGenerator<void> {
    while (!this.stopping && this.epoch === epoch) {
      let records: ConsumerRecord[]
      try {
        records = yield* this.pollBatch()
      } catch (error) {
        if (!(error instanceof NoOffsetForPartition)) throw error
        this.failure = error.message
        break
      }
      if (this.workerCount > 1) yield* this.handToWorkers(records)
      else yield* this.processInline(records)
      // Commit after a poll (or batch) when there is something new: an idle loop sends no commits.
      if (!this.hasNewOffsets()) continue
      if (this.options.commit === "sync") yield* this.commitSync(undefined, "sync")
      else if (this.options.commit === "async") this.commitAsync(undefined, "async")
    }
    if (this.epoch !== epoch) return
    if (this.mode === "auto") yield* this.commitSync(undefined, "close")
    if (this.subscription !== null) yield* this.member.close()
    this.running = false
  }

  private get mode(): CommitMode {
    return this.options.commit ?? "auto"
  }

  /** One poll, or (batching) polls until a batch is full or its time is up. */
  private *pollBatch(): ProcessGenerator<ConsumerRecord[]> {
    const batchSize = this.options.batchSize ?? 0
    if (batchSize <= 0) return yield* this.poll()
    const node = this.options.node
    const deadline = node.monotonicClock() + (this.options.batchTimeoutMs ?? 1000)
    const batch: ConsumerRecord[] = []
    while (batch.length < batchSize && node.monotonicClock() < deadline && !this.stopping) {
      batch.push(...(yield* this.poll(batchSize - batch.length)))
    }
    return batch
  }

  /**
   * One poll: membership, auto-commit, positions, then the records completed fetches brought
   * (waiting for the next fetch to complete when none are buffered). Returns at most `max` records
   * (default `max.poll.records`), oldest fetch first.
   * @throws NoOffsetForPartition with `auto.offset.reset=none` and no committed offset
   */
  *poll(max = this.options.maxPollRecords ?? 500): ProcessGenerator<ConsumerRecord[]> {
    if (this.subscription !== null) {
      this.member.start() // a poll outside start()'s loop (the MqConsumer way) joins too
      yield* this.member.poll()
    }
    const now = this.options.node.monotonicClock()
    if (this.mode === "auto" && now >= this.nextAutoCommitMs) {
      this.nextAutoCommitMs = now + (this.options.autoCommitIntervalMs ?? 5000)
      this.commitAsync(undefined, "auto")
    }
    yield* this.initPositions()
    let ready = false
    for (const entry of this.assigned.values()) if (entry.position !== null) ready = true
    if (!ready) {
      yield* this.options.node.sleepLocal(this.options.fetchMaxWaitMs ?? 500)
      return []
    }
    return yield* this.fetch(max)
  }

  // ---- positions ----------------------------------------------------------------------------

  private *initPositions(): ProcessGenerator<void> {
    const missing = [...this.assigned.values()].filter((a) => a.position === null && a.reset === null)
    if (missing.length > 0) {
      const reply = yield* this.member.toCoordinator<OffsetFetchReply>({
        type: "offset-fetch",
        groupId: this.options.groupId,
        partitions: missing.map((a) => a.tp),
      })
      if (reply === undefined || reply.error !== "NONE") return
      const policy = this.options.autoOffsetReset ?? "latest"
      for (const { tp, offset } of reply.offsets) {
        const entry = this.assigned.get(partitionKey(tp))
        if (entry === undefined || entry.position !== null) continue
        if (offset >= 0) entry.position = offset
        else if (policy === "none") throw new NoOffsetForPartition(tp)
        else entry.reset = policy
      }
    }
    for (const at of ["earliest", "latest"] as const) {
      const resets = [...this.assigned.values()].filter((a) => a.position === null && a.reset === at)
      for (const [leader, entries] of this.byLeader(resets)) yield* this.listOffsets(leader, entries, at)
    }
  }

  private *listOffsets(leader: string, entries: Assigned[], at: "earliest" | "latest"): ProcessGenerator<void> {
    const request: ConsumerFetchServiceRequest = { type: "list-offsets", partitions: entries.map((e) => e.tp), at }
    const outcome: RpcOutcome<ListOffsetsReply> = yield* this.fetchRpc.call<ListOffsetsReply>(
      this.options.node.name,
      leader,
      request,
      { timeoutMs: this.options.requestTimeoutMs ?? 30_000 },
    )
    if (!outcome.ok) return this.nextLeader(entries)
    for (const { tp, error, offset } of outcome.response.offsets) {
      const entry = this.assigned.get(partitionKey(tp))
      if (entry === undefined || entry.reset !== at) continue
      if (error === "NONE") {
        entry.position = offset
        entry.reset = null
      } else this.nextLeader([entry])
    }
  }

  private leaderOf(entry: Assigned): string {
    const brokers = this.options.brokers
    const hint = this.options.leaderHint?.(entry.tp) ?? brokers[0]!
    const start = Math.max(0, brokers.indexOf(hint))
    return brokers[(start + entry.leader) % brokers.length]!
  }

  private nextLeader(entries: readonly Assigned[]): void {
    for (const entry of entries) entry.leader++
  }

  private byLeader(entries: readonly Assigned[]): Map<string, Assigned[]> {
    const groups = new Map<string, Assigned[]>()
    for (const entry of entries) {
      const leader = this.leaderOf(entry)
      const list = groups.get(leader)
      if (list === undefined) groups.set(leader, [entry])
      else list.push(entry)
    }
    return groups
  }

  // ---- fetching -----------------------------------------------------------------------------

  /**
   * Hands out up to `max` buffered records. With nothing buffered it first sends a fetch to every
   * leader without one in flight (for its partitions that have a position and nothing buffered) and
   * waits until a fetch completes. Before returning records it sends the next fetches the same way,
   * so they travel while the application processes (Kafka's pipelining).
   */
  private *fetch(max: number): ProcessGenerator<ConsumerRecord[]> {
    const taken: ConsumerRecord[] = []
    this.takeBuffered(taken, max)
    if (taken.length === 0) {
      this.sendFetches()
      if (this.fetching.size === 0) yield* this.options.node.sleepLocal(this.options.fetchMaxWaitMs ?? 500)
      else yield* (this.fetchCompleted ??= new Event<void>(this.options.node.sim))
      this.takeBuffered(taken, max)
    }
    if (taken.length > 0) this.sendFetches()
    return taken
  }

  /**
   * Moves up to `max` records from the buffer (completed fetches, oldest first) into `taken`,
   * moving their partitions' positions; a part whose partition is no longer assigned or whose
   * position moved elsewhere (seek, reset, rebalance) is dropped, as Kafka drops such a fetch.
   */
  private takeBuffered(taken: ConsumerRecord[], max: number): void {
    const buffer = this.buffer
    while (buffer.length > 0 && taken.length < max) {
      const part = buffer[0]!
      const { entry, tp, firstOffset, ids } = part
      if (this.assigned.get(partitionKey(tp)) !== entry || entry.position !== firstOffset + part.next) {
        buffer.shift()
        continue
      }
      const stop = Math.min(ids.length, part.next + max - taken.length)
      for (let i = part.next; i < stop; i++) taken.push({ tp, offset: firstOffset + i, id: ids[i]! })
      part.next = stop
      entry.position = firstOffset + stop
      if (stop === ids.length) buffer.shift()
    }
  }

  /** Sends a fetch to each leader without one in flight, for its partitions with a position and nothing buffered. */
  private sendFetches(): void {
    const fetchable: Assigned[] = []
    for (const entry of this.assigned.values()) {
      if (entry.position === null) continue
      if (!this.buffer.some((part) => part.entry === entry)) fetchable.push(entry)
    }
    if (fetchable.length === 0) return
    const node = this.options.node
    for (const [leader, entries] of this.byLeader(fetchable)) {
      if (this.fetching.has(leader)) continue
      this.fetching.add(leader)
      // A crash kills it with the poll thread (defused: nobody is left to care).
      node.spawn(this.fetchFrom(leader, entries), `${this.name}-fetch`).defuse()
    }
  }

  /** One leader's fetch: buffers each partition's records (ascending offsets) for partitions still at the fetched position. */
  private *fetchFrom(leader: string, entries: readonly Assigned[]): ProcessGenerator<void> {
    const maxWaitMs = this.options.fetchMaxWaitMs ?? 500
    const request: ConsumerFetchServiceRequest = {
      type: "consumer-fetch",
      partitions: entries.map((e) => ({ tp: e.tp, fetchOffset: e.position! })),
      maxWaitMs,
      maxRecords: this.options.maxPollRecords ?? 500,
    }
    const outcome: RpcOutcome<ConsumerFetchReply> = yield* this.fetchRpc.call<ConsumerFetchReply>(
      this.options.node.name,
      leader,
      request,
      { timeoutMs: maxWaitMs + (this.options.requestTimeoutMs ?? 30_000) },
    )
    if (!outcome.ok) this.nextLeader(entries)
    else if (this.buffered(outcome.response)) yield* this.options.node.sleepLocal(100)
    this.fetching.delete(leader)
    const completed = this.fetchCompleted
    this.fetchCompleted = null
    completed?.succeed()
  }

  /** Buffers a fetch answer's records; true when every partition of it had an error (then the fetch backs off). */
  private buffered(reply: ConsumerFetchReply): boolean {
    for (const part of reply.partitions) {
      const entry = this.assigned.get(partitionKey(part.tp))
      if (entry === undefined) continue
      if (part.error === "OFFSET_OUT_OF_RANGE")
        this.lazyReset([part.tp], this.options.autoOffsetReset === "earliest" ? "earliest" : "latest")
      else if (part.error !== "NONE") this.nextLeader([entry])
      else if (part.ids.length > 0 && entry.position === part.firstOffset)
        this.buffer.push({ tp: part.tp, entry, firstOffset: part.firstOffset, ids: part.ids, next: 0 })
    }
    return reply.partitions.length > 0 && reply.partitions.every((p) => p.error !== "NONE")
  }

  // ---- processing ---------------------------------------------------------------------------

  private *processInline(records: readonly ConsumerRecord[]): ProcessGenerator<void> {
    if (records.length === 0) return
    if (this.options.processingTimeMs !== undefined) return yield* this.processOneByOne(records)
    const perRecordMs = this.options.processingMs ?? 0
    const batchCostMs = (this.options.batchSize ?? 0) > 0 ? (this.options.batchCostMs ?? 0) : 0
    const started = runsByPartition(records).map(([first, last]) => this.started(first, last))
    const totalMs = records.length * perRecordMs + batchCostMs
    if (totalMs > 0) yield* this.options.node.sleepLocal(totalMs)
    for (const flight of started) this.finished(flight, true)
    this.processed.push(...records)
  }

  /** Each record on its own (a cost per record): a crash mid-poll leaves the records before it processed. */
  private *processOneByOne(records: readonly ConsumerRecord[]): ProcessGenerator<void> {
    const cost = this.options.processingTimeMs!
    for (const record of records) {
      if (!this.assigned.has(partitionKey(record.tp))) continue
      const flight = this.started(record, record)
      const ms = cost(record)
      if (ms > 0) yield* this.options.node.sleepLocal(ms)
      this.finished(flight, true)
      this.processed.push(record)
    }
    const batchCostMs = (this.options.batchSize ?? 0) > 0 ? (this.options.batchCostMs ?? 0) : 0
    if (batchCostMs > 0) yield* this.options.node.sleepLocal(batchCostMs)
  }

  /** Processing of `first`..`last`, records of one partition, begins. */
  private started(first: ConsumerRecord, last: ConsumerRecord): InFlight {
    const flight = { tp: first.tp, fromOffset: first.offset, toOffset: last.offset }
    this.inFlight.add(flight)
    this.trace.record({
      type: "ProcessingStarted",
      group: this.options.groupId,
      consumer: this.name,
      partition: flight.tp,
      fromOffset: flight.fromOffset,
      toOffset: flight.toOffset,
    })
    return flight
  }

  private finished(flight: InFlight, completed: boolean): void {
    if (!this.inFlight.delete(flight)) return
    this.trace.record({
      type: "ProcessingFinished",
      group: this.options.groupId,
      consumer: this.name,
      partition: flight.tp,
      fromOffset: flight.fromOffset,
      toOffset: flight.toOffset,
      completed,
    })
  }

  /** Queues `records` for the pool and waits until the queue has drained (the poll thread's backpressure). */
  private *handToWorkers(records: readonly ConsumerRecord[]): ProcessGenerator<void> {
    for (const record of records) {
      const entry = this.assigned.get(partitionKey(record.tp))
      if (entry !== undefined && entry.progress === null) entry.progress = new PartitionProgress(record.offset)
    }
    this.queue.push(...records)
    this.wakeQueue()
    while (this.queue.length > 0) {
      const changed = (this.queueChanged ??= new Event<void>(this.options.node.sim))
      yield* changed
    }
  }

  private wakeQueue(): void {
    const changed = this.queueChanged
    this.queueChanged = null
    changed?.succeed()
  }

  private *worker(epoch: number): ProcessGenerator<void> {
    const perRecordMs = this.options.processingMs ?? 0
    while (this.epoch === epoch) {
      const record = this.queue.shift()
      if (record === undefined) {
        yield* (this.queueChanged ??= new Event<void>(this.options.node.sim))
        continue
      }
      this.wakeQueue()
      const flight = this.started(record, record)
      const ms = this.options.processingTimeMs?.(record) ?? perRecordMs
      if (ms > 0) yield* this.options.node.sleepLocal(ms)
      this.finished(flight, true)
      this.processed.push(record)
      this.assigned.get(partitionKey(record.tp))?.progress?.finish(record.offset)
      if (this.options.commitAfterEachRecord === true && this.mode !== "none") this.commitAsync([record.tp])
    }
  }

  // ---- commits ------------------------------------------------------------------------------

  /** The offsets a commit now carries, per the commit rule. */
  offsetsToCommit(partitions?: readonly TopicPartition[]): { tp: TopicPartition; offset: number }[] {
    const rule = this.commitRule
    const keys = partitions === undefined ? undefined : new Set(partitions.map(partitionKey))
    const offsets: { tp: TopicPartition; offset: number }[] = []
    for (const [key, entry] of this.assigned) {
      if (keys !== undefined && !keys.has(key)) continue
      const offset = rule === "position" || entry.progress === null ? entry.position : entry.progress.commitOffset(rule)
      if (offset !== null) offsets.push({ tp: entry.tp, offset })
    }
    return offsets
  }

  private get commitRule(): CommitOffsetRule {
    return this.options.commitRule ?? (this.workerCount > 1 ? "contiguous" : "position")
  }

  /** True when a commit now would carry an offset not sent before. */
  private hasNewOffsets(): boolean {
    return this.offsetsToCommit().some(({ tp, offset }) => this.lastSent.get(partitionKey(tp)) !== offset)
  }

  /** Commits and waits for the answer; true when accepted (false: Kafka's CommitFailedException or unreachable). */
  *commitSync(partitions?: readonly TopicPartition[], reason: CommitReason = "sync"): ProcessGenerator<boolean> {
    const offsets = this.offsetsToCommit(partitions)
    if (offsets.length === 0) return true
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = yield* this.sendCommit(offsets, reason)
      if (reply !== undefined) return reply.error === "NONE"
    }
    return false
  }

  /** Sends a commit and moves on; a failure is not retried unless `retryAsyncCommits`. */
  commitAsync(partitions?: readonly TopicPartition[], reason: CommitReason = "async"): void {
    const offsets = this.offsetsToCommit(partitions)
    if (offsets.length === 0) return
    this.options.node.spawn(this.asyncCommit(offsets, reason), `${this.name}-commit`)
  }

  private *asyncCommit(
    offsets: readonly { tp: TopicPartition; offset: number }[],
    reason: CommitReason,
  ): ProcessGenerator<void> {
    const reply = yield* this.sendCommit(offsets, reason)
    if (reply?.error === "NONE" || !this.options.retryAsyncCommits) return
    yield* this.options.node.sleepLocal(100)
    yield* this.sendCommit(offsets, "retry")
  }

  private *sendCommit(
    offsets: readonly { tp: TopicPartition; offset: number }[],
    reason: CommitReason,
  ): ProcessGenerator<ErrorReply | undefined> {
    for (const { tp, offset } of offsets) this.lastSent.set(partitionKey(tp), offset)
    const identity = this.subscription === null ? { memberId: "", generation: -1 } : this.member.identity()
    this.trace.record({
      type: "OffsetsCommitSent",
      group: this.options.groupId,
      consumer: this.name,
      member: identity.memberId,
      offsets: Object.fromEntries(offsets.map(({ tp, offset }) => [partitionKey(tp), offset])),
      rule: this.commitRule,
      reason,
    })
    const reply = yield* this.member.toCoordinator<ErrorReply>({
      type: "offset-commit",
      groupId: this.options.groupId,
      ...identity,
      offsets: [...offsets],
    })
    if (reply === undefined) return undefined
    if (reply.error === "NONE")
      for (const { tp, offset } of offsets) this.acknowledgedCommits.set(partitionKey(tp), offset)
    else if (this.subscription !== null) this.member.onMemberError(reply.error)
    return reply
  }

  // ---- rebalance listener -------------------------------------------------------------------

  private *onRevoked(partitions: readonly TopicPartition[]): ProcessGenerator<void> {
    if (this.mode === "auto" || (this.options.commitOnRevoke ?? true)) yield* this.commitSync(partitions, "revoke")
    this.drop(partitions)
  }

  private onAssigned(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const key = partitionKey(tp)
      if (!this.assigned.has(key))
        this.assigned.set(key, { tp, position: null, reset: null, progress: null, leader: 0 })
    }
    this.options.onPartitionsAssigned?.(this, partitions)
  }

  private drop(partitions: readonly TopicPartition[]): void {
    const keys = new Set(partitions.map(partitionKey))
    for (const key of keys) this.assigned.delete(key)
    if (this.queue.length > 0) {
      const kept = this.queue.filter((r) => !keys.has(partitionKey(r.tp)))
      this.queue.length = 0
      this.queue.push(...kept)
      this.wakeQueue()
    }
  }

  private crashed(): void {
    for (const flight of [...this.inFlight]) this.finished(flight, false)
    this.epoch++
    this.running = false
    this.assigned.clear()
    this.lastSent.clear()
    this.queue.length = 0
    this.queueChanged = null
    this.buffer.length = 0
    this.fetching.clear()
    this.fetchCompleted = null
    this.member.reset()
    if (this.manual !== null) this.onAssigned(this.manual)
  }
}

/** `auto.offset.reset=none` and no committed offset for a partition. */
export class NoOffsetForPartition extends Error {
  constructor(readonly tp: TopicPartition) {
    super(`no committed offset for ${partitionKey(tp)} and auto.offset.reset is none`)
  }
}

/** Consecutive runs of one partition's records, as their first and last records. */
function runsByPartition(records: readonly ConsumerRecord[]): [ConsumerRecord, ConsumerRecord][] {
  const runs: [ConsumerRecord, ConsumerRecord][] = []
  let first = records[0]!
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!
    if (record.tp === first.tp || partitionKey(record.tp) === partitionKey(first.tp)) continue
    runs.push([first, records[i - 1]!])
    first = record
  }
  if (records.length > 0) runs.push([first, records[records.length - 1]!])
  return runs
}
