/**
 * A one-broker stand-in answering the consumer's RPCs, for the consumer's own tests: GROUP_SERVICE
 * on `b1` wraps the real GroupCoordinator (one per group id), CONSUMER_FETCH_SERVICE serves
 * in-memory logs (record ids 0, 1, 2, ... across partitions in arrival order) up to their end,
 * parking an empty fetch until a record arrives or `maxWaitMs` passes.
 */
import { Event, type ProcessGenerator, type Simulation } from "../../../../src/kernel/index.ts"
import {
  type ConsumerGroupCluster,
  CONSUMER_FETCH_SERVICE,
  type ConsumerFetchReply,
  type ConsumerFetchServiceRequest,
  GROUP_SERVICE,
  GroupCoordinator,
  type GroupRequest,
  partitionKey,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"
import { constantLatency, Network, Rpc } from "../../../../src/net/index.ts"

export class FakeCluster implements ConsumerGroupCluster {
  readonly brokers = ["b1"]
  readonly network: Network
  readonly coordinators = new Map<string, GroupCoordinator>()
  readonly logs = new Map<string, number[]>()
  private appended: Event<void>
  private nextId = 0
  /** Offset commits received so far (numbered from 1). */
  commitsReceived = 0
  /** Which commits (by number) the coordinator never receives: no reply, not applied. Default none. */
  dropCommit: (n: number) => boolean = () => false

  constructor(
    readonly sim: Simulation,
    readonly partitionsPerTopic: Readonly<Record<string, number>>,
  ) {
    this.network = new Network(sim, { link: { latency: constantLatency(1) } })
    this.network.addNode("b1")
    this.appended = new Event<void>(sim)
    for (const [topic, count] of Object.entries(partitionsPerTopic))
      for (let p = 0; p < count; p++) this.logs.set(partitionKey({ topic, partition: p }), [])
    new Rpc(this.network, { service: GROUP_SERVICE }).serve<GroupRequest, unknown>(
      "b1",
      (request) => this.group(request),
      { parallel: true },
    )
    new Rpc(this.network, { service: CONSUMER_FETCH_SERVICE }).serve<ConsumerFetchServiceRequest, unknown>(
      "b1",
      (request) => this.fetch(request),
      { parallel: true },
    )
  }

  leaderHint(): string {
    return "b1"
  }

  startProducing(ratePerSecond: number, untilMs: number): void {
    const everyMs = 1000 / ratePerSecond
    this.sim.spawn(this.produce(Math.floor(untilMs / everyMs), everyMs))
  }

  coordinator(groupId: string): GroupCoordinator {
    let c = this.coordinators.get(groupId)
    if (c === undefined) this.coordinators.set(groupId, (c = new GroupCoordinator(this.sim, { groupId })))
    return c
  }

  /** Appends one record to `tp`; returns its offset. */
  append(tp: TopicPartition): number {
    const log = this.logs.get(partitionKey(tp))!
    log.push(this.nextId++)
    const appended = this.appended
    this.appended = new Event<void>(this.sim)
    appended.succeed()
    return log.length - 1
  }

  /** A producer process: `count` records, one every `everyMs`, round-robin over every partition. */
  *produce(count: number, everyMs: number): ProcessGenerator<void> {
    const tps = [...this.logs.keys()].map((key) => {
      const at = key.lastIndexOf("-")
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) }
    })
    for (let i = 0; i < count; i++) {
      this.append(tps[i % tps.length]!)
      yield* this.sim.timeout(everyMs)
    }
  }

  private *group(request: GroupRequest): ProcessGenerator<unknown> {
    if (request.type === "find-coordinator") return { error: "NONE", node: "b1" }
    const c = this.coordinator(request.groupId)
    switch (request.type) {
      case "join-group": {
        const done = new Event<unknown>(this.sim)
        c.joinGroup(request.request, (r) => done.succeed(r))
        return yield* done
      }
      case "sync-group": {
        const done = new Event<unknown>(this.sim)
        c.syncGroup(request, (r) => done.succeed(r))
        return yield* done
      }
      case "heartbeat":
        return { error: c.heartbeat(request) }
      case "leave-group":
        return { error: c.leaveGroup(request) }
      case "offset-commit":
        if (this.dropCommit(++this.commitsReceived)) return yield* new Event<unknown>(this.sim)
        return { error: c.commitOffsets(request, new Map(request.offsets.map((o) => [partitionKey(o.tp), o.offset]))) }
      case "offset-fetch":
        return {
          error: "NONE",
          offsets: request.partitions.map((tp) => ({ tp, offset: c.committedOffset(tp) ?? -1 })),
        }
    }
  }

  private *fetch(request: ConsumerFetchServiceRequest): ProcessGenerator<unknown> {
    if (request.type === "list-offsets")
      return {
        offsets: request.partitions.map((tp) => ({
          tp,
          error: "NONE",
          offset: request.at === "earliest" ? 0 : this.logs.get(partitionKey(tp))!.length,
        })),
      }
    let reply = this.answer(request)
    if (reply.partitions.every((p) => p.ids.length === 0)) {
      yield* this.sim.anyOf([this.appended, this.sim.timeout(request.maxWaitMs)])
      reply = this.answer(request)
    }
    return reply
  }

  private answer(request: Extract<ConsumerFetchServiceRequest, { type: "consumer-fetch" }>): ConsumerFetchReply {
    return {
      partitions: request.partitions.map(({ tp, fetchOffset }) => {
        const log = this.logs.get(partitionKey(tp))!
        const ids = log.slice(fetchOffset, fetchOffset + request.maxRecords)
        return { tp, error: "NONE", highWatermark: log.length, logStartOffset: 0, firstOffset: fetchOffset, ids }
      }),
    }
  }
}
