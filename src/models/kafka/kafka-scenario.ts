/**
 * The Kafka scenario: wiring only. Brokers `b1..bN`, one controller and one producer on a
 * simulated network, the workload driver on the producer's node, a fault plan (default
 * `NO_FAULTS`), and the observers: the {@link KafkaHistory} read from the trace and the partitions'
 * availability. After the run it reads the public final state (every partition's final log and
 * replicas, the producer's record outcomes) and hands it to the checks' accounting
 * (`kafka-checks.ts`), whose result's `summary()` is kafka-acks' JSON `metrics`.
 *
 * Topic assignment: partition p's replicas are brokers `p, p+1, ...` (mod N), so partition 0 is
 * led by b1, partition 1 by b2, and so on. Links have a latency uniform in [0.5, 1.5] ×
 * `latencyMs` (FIFO) and lose each message with `lossProbability`.
 *
 * The final log of a partition is what a consumer reading after the healing phase would get, as in
 * Jepsen's and Maelstrom's final reads: the whole log of the current leader (or, when the
 * partition is offline, of the first ISR member that still has its disk). A record is lost when it
 * was acknowledged and is not in that log.
 *
 * Consumers (part 2) reach the brokers over two RPC services the scenario serves on every broker:
 * `CONSUMER_FETCH_SERVICE` (a partition leader's consumer Fetch and ListOffsets, {@link Broker.consumerFetch})
 * and `GROUP_SERVICE` (FindCoordinator and the group requests, {@link CoordinatorService}); the
 * consumers themselves are added by whoever builds on the scenario, using {@link KafkaScenario.groupRpc}
 * and {@link KafkaScenario.fetchRpc}. Partition leaders: a consumer asks the controller with the
 * producer's MetadataRequest (leaders by flat partition; `layout.flatIndex` maps a topic partition).
 *
 * Topics: `topics` (`t0:3,t1:3`) lays topics over the flat partitions the brokers keep, one log
 * each (`topic-layout.ts`); the producer's workload produces by flat partition, as before.
 *
 * Left out: transactions, several producers.
 */
import type { Advance, JsonValue, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import type { Simulation } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, NO_FAULTS, type Node, Rpc } from "../../net/index.ts"
import { Broker } from "./broker.ts"
import type { LagSource } from "./group/consumer-lag.ts"
import { CoordinatorService, OffsetStore } from "./group/coordinator-service.ts"
import type { GroupCoordinatorOptions } from "./group/group-coordinator.ts"
import { CONSUMER_FETCH_SERVICE, type ConsumerFetchServiceRequest, GROUP_SERVICE } from "./group/group-protocol.ts"
import { TopicLayout } from "./topic-layout.ts"
import { Controller } from "./controller.ts"
import { type FinalPartition, type KafkaRunResult, kafkaOutcome } from "./kafka-checks.ts"
import { type BrokerConfig, type BrokerConfigOptions, resolveBrokerConfig } from "./kafka-config.ts"
import { KafkaHistory } from "./kafka-history.ts"
import type { PartitionLog } from "./partition-log.ts"
import { Producer } from "./producer.ts"
import type { ProducerOptions } from "./producer-config.ts"
import { brokerNode, CONTROLLER_NODE } from "./protocol.ts"
import { checkWorkload, type KafkaWorkload, lastSendMs, workloadDriver } from "./workload.ts"

/** Options of a {@link KafkaScenario}. */
export interface KafkaScenarioOptions {
  /** Number of brokers. Default 3. */
  readonly brokers?: number
  /** Partitions of the topic. Default 1, or the total of `topics`. */
  readonly partitions?: number
  /**
   * The topics over the flat partitions, as `t0:3,t1:3` or a layout. Default: one topic `t0` with
   * `partitions` partitions. With both, `partitions` must equal the layout's total.
   */
  readonly topics?: string | TopicLayout
  /** Settings of every group's coordinator (`group.initial.rebalance.delay.ms`, session timeout bounds). Default: Kafka's. */
  readonly groupCoordinator?: Omit<GroupCoordinatorOptions, "groupId" | "trace">
  /** Replicas per partition. Default 3 (at most `brokers`). */
  readonly replicationFactor?: number
  /** Broker and topic settings. Default: Kafka's defaults. */
  readonly broker?: BrokerConfigOptions
  /** Producer settings. Default: Kafka's defaults. */
  readonly producer?: ProducerOptions
  /** Mean one-way latency of every link, in ms (uniform within ±50%). Default 1. */
  readonly latencyMs?: number
  /** Chance that a message is lost. Default 0. */
  readonly lossProbability?: number
  /** The faults. Default: none. */
  readonly plan?: FaultPlan
  /** What the application produces. Default: nothing (0 records at 1000/s; drive the producer yourself). */
  readonly workload?: KafkaWorkload
}

/** Lost records listed in a summary at most. */
export const SUMMARY_LOST_MAX = 10

/** A {@link KafkaRunResult} with the sim's JSON metrics. */
export type KafkaScenarioResult = KafkaRunResult & ScenarioResult

/** A Kafka cluster with a producer and its workload, wired for one run. */
export class KafkaScenario {
  readonly network: Network
  readonly brokers: Broker[] = []
  readonly controller: Controller
  readonly producer: Producer
  /** The run's elections, ISR changes, truncations and high watermarks, read from the trace. */
  readonly history: KafkaHistory
  readonly config: BrokerConfig
  readonly partitionCount: number
  readonly assignments: (readonly number[])[] = []
  readonly plan: FaultPlan
  readonly workload: KafkaWorkload
  /** The topics over the flat partitions. */
  readonly layout: TopicLayout
  /** RPC of consumers' group requests (FindCoordinator, JoinGroup, ..., OffsetFetch), served on every broker. */
  readonly groupRpc: Rpc
  /** RPC of consumers' fetches and offset listings, served on every broker. */
  readonly fetchRpc: Rpc
  /** Committed offsets of every group, as the offsets topic keeps them (survives coordinator failover). */
  readonly offsetStore = new OffsetStore()
  /** The coordinator role of each broker, by broker id - 1. */
  readonly coordinators: CoordinatorService[] = []
  /** The brokers' nodes (the observer's view: up or down). */
  private readonly brokerNodes: Node[] = []
  private readonly downSince: number[] = []
  private unavailable = 0

  constructor(
    readonly sim: Simulation,
    options: KafkaScenarioOptions = {},
  ) {
    const brokerCount = options.brokers ?? 3
    this.layout = scenarioLayout(options)
    const partitions = this.layout.totalPartitions
    const rf = options.replicationFactor ?? Math.min(3, brokerCount)
    if (!Number.isInteger(brokerCount) || brokerCount < 1) throw new RangeError("brokers must be an integer >= 1")
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError("partitions must be an integer >= 1")
    if (!Number.isInteger(rf) || rf < 1 || rf > brokerCount)
      throw new RangeError("replicationFactor must be an integer in 1..brokers")
    this.workload = options.workload ?? { messages: 0, ratePerSecond: 1000 }
    checkWorkload(this.workload)
    this.config = resolveBrokerConfig(options.broker)
    this.partitionCount = partitions
    const link = { latency: jitteredLatency(options.latencyMs ?? 1), dropProbability: options.lossProbability ?? 0 }
    this.network = new Network(sim, { link })
    const ids = Array.from({ length: brokerCount }, (_, i) => i + 1)
    for (let p = 0; p < partitions; p++)
      this.assignments.push(Array.from({ length: rf }, (_, i) => ids[(p + i) % brokerCount]!))
    const controllerNode = this.network.addNode(CONTROLLER_NODE)
    this.controller = new Controller(sim, {
      node: controllerNode,
      brokers: ids,
      assignments: this.assignments,
      config: this.config,
    })
    this.history = new KafkaHistory(sim.trace, this.controller.states)
    for (const id of ids) this.addBroker(id)
    for (const broker of this.brokers) {
      for (const state of this.controller.states) broker.bootstrap(state)
      broker.bootstrapLiveBrokers(ids)
    }
    this.groupRpc = new Rpc(this.network, { service: GROUP_SERVICE })
    this.fetchRpc = new Rpc(this.network, { service: CONSUMER_FETCH_SERVICE })
    for (const broker of this.brokers) this.serveConsumers(broker, ids, options.groupCoordinator)
    const node = this.network.addNode("producer")
    this.producer = new Producer(sim, {
      node,
      partitions,
      leaders: this.controller.leaders(),
      config: options.producer ?? {},
    })
    for (const brokerNode of this.brokerNodes) {
      brokerNode.onCrash(() => this.availabilityChanged())
      brokerNode.onRestart(() => this.availabilityChanged())
    }
    this.controller.onChange = () => this.availabilityChanged()
    for (let p = 0; p < partitions; p++) this.downSince.push(-1)
    this.plan = applyFaultPlan(sim, this.network, options.plan ?? NO_FAULTS)
  }

  private addBroker(id: number): void {
    const assignments = new Map<number, readonly number[]>()
    this.assignments.forEach((replicas, p) => {
      if (replicas.includes(id)) assignments.set(p, replicas)
    })
    const node = this.network.addNode(brokerNode(id))
    this.brokerNodes.push(node)
    this.brokers.push(new Broker(this.sim, { node, id, assignments, config: this.config, layout: this.layout }))
  }

  private serveConsumers(
    broker: Broker,
    ids: readonly number[],
    coordinator: Omit<GroupCoordinatorOptions, "groupId" | "trace"> | undefined,
  ): void {
    this.fetchRpc.serve<ConsumerFetchServiceRequest, unknown>(
      broker.node.name,
      (request) => (request.type === "consumer-fetch" ? broker.consumerFetch(request) : broker.listOffsets(request)),
      { parallel: true },
    )
    this.coordinators.push(
      new CoordinatorService(this.sim, {
        broker,
        brokers: ids,
        rpc: this.groupRpc,
        store: this.offsetStore,
        ...(coordinator === undefined ? {} : { coordinator }),
      }),
    )
  }

  /**
   * What lag is computed from (the observer's view, as a scrape sees it): each partition's high
   * watermark on its current leader (-1 with no leader or no log) and the offsets store.
   */
  lagSource(): LagSource {
    const store = this.offsetStore
    return {
      layout: this.layout,
      highWatermark: (index) => {
        const leader = this.controller.states[index]!.leader
        if (leader < 0) return -1
        return this.brokers[leader - 1]!.durableLog(index)?.highWatermark ?? -1
      },
      committed: (group) => store.committed(group),
      get groups() {
        return store.groups
      },
    }
  }

  /** Node names of the brokers, the targets of fault plans. */
  get brokerNames(): string[] {
    return this.brokerNodes.map((node) => node.name)
  }

  private availabilityChanged(): void {
    const now = this.sim.now
    for (let p = 0; p < this.partitionCount; p++) {
      const leader = this.controller.states[p]!.leader
      const available = leader >= 0 && this.brokerNodes[leader - 1]!.isUp
      const since = this.downSince[p]!
      if (!available && since < 0) this.downSince[p] = now
      else if (available && since >= 0) {
        this.unavailable += now - since
        this.downSince[p] = -1
      }
    }
  }

  /**
   * Produces the workload and runs until it settled: the last record, the plan's last fault and
   * healing, then `settleMs`. `advance` moves the simulation (the CLI passes its progress-reporting
   * runner).
   */
  run(advance: Advance = runUntil): KafkaScenarioResult {
    const workload = this.workload
    if (workload.messages > 0)
      this.producerNode().spawn(workloadDriver(this.sim, { producer: this.producer, workload }), "workload")
    const lastFault = Math.max(0, this.plan.healAt ?? 0, ...this.plan.faults.map(faultEnd))
    const endMs = Math.max(lastSendMs(workload), lastFault) + (workload.settleMs ?? 20_000)
    advance(this.sim, endMs)
    this.availabilityChanged()
    const result = kafkaOutcome({
      partitions: this.finalPartitions(),
      records: this.producer.records,
      history: this.history,
      acks: this.producer.config.acks,
      sent: workload.messages,
      unavailableMs: this.unavailable,
      endMs: this.sim.now,
    })
    return { ...result, summary: () => kafkaSummary(result) }
  }

  private producerNode(): Node {
    return this.network.node(this.producer.name)
  }

  /** The final log of `partition` (see the file header). */
  finalLog(partition: number): PartitionLog | undefined {
    const state = this.controller.states[partition]!
    if (state.leader >= 0) {
      const log = this.brokers[state.leader - 1]!.durableLog(partition)
      if (log !== undefined) return log
    }
    for (const id of [...state.isr, ...state.replicas]) {
      const log = this.brokers[id - 1]!.durableLog(partition)
      if (log !== undefined) return log
    }
    return undefined
  }

  private finalPartitions(): FinalPartition[] {
    return this.controller.states.map((state) => ({
      partition: state.partition,
      leader: state.leader,
      leaderEpoch: state.leaderEpoch,
      isr: state.isr,
      replicas: state.replicas.map((id) => {
        const log = this.brokers[id - 1]!.durableLog(state.partition)
        return {
          broker: id,
          up: this.brokerNodes[id - 1]!.isUp,
          logEndOffset: log?.endOffset ?? null,
          highWatermark: log?.highWatermark ?? null,
        }
      }),
      finalBatches: this.finalLog(state.partition)?.batches.slice(),
    }))
  }
}

/** kafka-acks' JSON metrics of `result`, field for field. */
export function kafkaSummary(result: KafkaRunResult): { readonly [metric: string]: JsonValue } {
  return {
    sent: result.sent,
    acknowledged: result.acknowledged,
    lost: result.lost.length,
    visibleLost: result.visibleLost,
    duplicates: result.duplicates.length,
    rejected: result.rejected,
    leaderChanges: result.leaderChanges,
    unavailableMs: Math.round(result.unavailableMs * 1000) / 1000,
    requests: result.requests,
    errors: { ...result.errors },
    lostRecords: result.lost.slice(0, SUMMARY_LOST_MAX).map((lost) => ({
      id: lost.id,
      partition: lost.partition,
      offset: lost.offset,
      visible: lost.visible,
      why: lost.why,
    })),
    partitions: result.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      isr: [...p.isr],
      replicas: p.replicas.map((r) => ({
        broker: r.broker,
        up: r.up,
        logEndOffset: r.logEndOffset,
        highWatermark: r.highWatermark,
      })),
    })),
  }
}

function scenarioLayout(options: KafkaScenarioOptions): TopicLayout {
  const { topics, partitions } = options
  if (topics === undefined) {
    const count = partitions ?? 1
    if (!Number.isInteger(count) || count < 1) throw new RangeError("partitions must be an integer >= 1")
    return TopicLayout.single(count)
  }
  const layout = typeof topics === "string" ? TopicLayout.parse(topics) : topics
  if (partitions !== undefined && partitions !== layout.totalPartitions)
    throw new RangeError(
      `partitions (${partitions}) must equal the topics' total (${layout.totalPartitions}) when both are given`,
    )
  return layout
}

function faultEnd(fault: FaultPlan["faults"][number]): number {
  switch (fault.kind) {
    case "crash":
      return fault.restartAt ?? fault.at
    case "pause":
      return fault.at + fault.durationMs
    case "partition":
      return fault.healAt ?? fault.at
    case "link":
      return fault.until ?? fault.at
    default:
      return fault.at
  }
}
