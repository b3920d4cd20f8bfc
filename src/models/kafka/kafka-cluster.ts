/**
 * A Kafka cluster on a simulated network: brokers `b1..bN`, one controller, one producer writing a
 * workload to one topic, a fault plan — and, after the run, the final log of every partition and
 * the fate of every record.
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
 * Left out: consumers and consumer groups (part 2), transactions, several topics or producers.
 */
import { formatMs, type Simulation } from "../../kernel/index.ts"
import { applyFaultPlan, type FaultPlan, jitteredLatency, Network, type Node } from "../../net/index.ts"
import { Broker } from "./broker.ts"
import { Controller } from "./controller.ts"
import { type BrokerConfig, type BrokerConfigOptions, resolveBrokerConfig } from "./kafka-config.ts"
import { KafkaHistory } from "./kafka-history.ts"
import type { PartitionLog } from "./partition-log.ts"
import { Producer, type ProducerOptions, RECORD_ACKED, RECORD_FAILED } from "./producer.ts"
import { brokerNode, CONTROLLER_NODE } from "./protocol.ts"

/** Options of a {@link KafkaCluster}. */
export interface KafkaClusterOptions {
  /** Number of brokers. Default 3. */
  readonly brokers?: number
  /** Partitions of the topic. Default 1. */
  readonly partitions?: number
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
}

/** The workload: `messages` records at `ratePerSecond`, keyed by `keyOf`. */
export interface KafkaWorkload {
  /** Records to produce. Required. */
  readonly messages: number
  /** Records per second of simulated time. Required, > 0. */
  readonly ratePerSecond: number
  /** Key of record i; omitted: no keys (sticky partitioning). */
  readonly keyOf?: (index: number) => string | null
  /** Simulated time to run after the last record and the plan's healing, in ms. Default 20000. */
  readonly settleMs?: number
}

/** One replica of a partition at the end of a run. */
export interface ReplicaSummary {
  readonly broker: number
  readonly up: boolean
  /** LEO and high watermark, or null if its disk was lost and it has not restarted. */
  readonly logEndOffset: number | null
  readonly highWatermark: number | null
}

/** A partition at the end of a run. */
export interface PartitionSummary {
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly isr: readonly number[]
  readonly replicas: readonly ReplicaSummary[]
  /** Record ids of the final log, in offset order (built from the log's batches when first read). */
  readonly finalLog: readonly number[]
}

/** An acknowledged record missing from the final log, and why. */
export interface LostRecord {
  readonly id: number
  readonly partition: number
  /** Offset the acknowledgement reported (-1 with acks=0). */
  readonly offset: number
  readonly ackedAt: number
  readonly ackedBy: number
  /** True when a consumer could have read it (it was below the high watermark of the leader that acknowledged it). */
  readonly visible: boolean
  /** What removed it, as a category (see {@link LostCause}); `why` tells the same in words. */
  readonly cause: LostCause
  readonly why: string
}

/**
 * Why an acknowledged record is missing: `truncated` (the broker that acknowledged it cut it off its
 * log to follow a new leader), `unclean` (a replica outside the ISR became leader without it),
 * `new-leader` (a leader from the ISR took over without it: only with acks=0/1), `no-disk` (no
 * replica kept its disk), `never-stored` (it never reached the log that survived).
 */
export type LostCause = "truncated" | "unclean" | "new-leader" | "no-disk" | "never-stored"

/** What a run produced. */
export interface KafkaRunResult {
  readonly partitions: readonly PartitionSummary[]
  /** Records handed to the producer. */
  readonly sent: number
  /** Records acknowledged to the producer. */
  readonly acknowledged: number
  /** Records that failed for good (delivery timeout / retries exhausted). */
  readonly rejected: number
  /** Acknowledged records missing from the final log. */
  readonly lost: readonly LostRecord[]
  /** Of those, the ones a consumer could have read before they vanished (only unclean elections and disk loss). */
  readonly visibleLost: number
  /** Record ids that appear more than once in a final log. */
  readonly duplicates: readonly number[]
  /** Leader changes after the initial election. */
  readonly leaderChanges: number
  /** Total time partitions had no live leader, summed over partitions, in ms. */
  readonly unavailableMs: number
  /** Produce requests sent, retries included. */
  readonly requests: number
  /** Failed produce attempts by error code. */
  readonly errors: Readonly<Record<string, number>>
  /** The simulated time the run ended. */
  readonly endMs: number
}

/** A Kafka cluster with a producer, ready to run a workload. */
export class KafkaCluster {
  readonly network: Network
  readonly brokers: Broker[] = []
  /** The brokers' nodes (the observer's view: up or down). */
  private readonly brokerNodes: Node[] = []
  readonly controller: Controller
  readonly producer: Producer
  /** The run's elections, ISR changes, truncations and high watermarks, read from the trace. */
  readonly history: KafkaHistory
  readonly config: BrokerConfig
  readonly partitionCount: number
  readonly assignments: (readonly number[])[] = []
  readonly plan: FaultPlan
  private readonly downSince: number[] = []
  private unavailable = 0

  constructor(
    readonly sim: Simulation,
    options: KafkaClusterOptions = {},
  ) {
    const brokerCount = options.brokers ?? 3
    const partitions = options.partitions ?? 1
    const rf = options.replicationFactor ?? Math.min(3, brokerCount)
    if (!Number.isInteger(brokerCount) || brokerCount < 1) throw new RangeError("brokers must be an integer >= 1")
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError("partitions must be an integer >= 1")
    if (!Number.isInteger(rf) || rf < 1 || rf > brokerCount) throw new RangeError("replicationFactor must be an integer in 1..brokers")
    this.config = resolveBrokerConfig(options.broker)
    this.partitionCount = partitions
    const latencyMs = options.latencyMs ?? 1
    this.network = new Network(sim, { link: { latency: jitteredLatency(latencyMs), dropProbability: options.lossProbability ?? 0 } })
    const ids = Array.from({ length: brokerCount }, (_, i) => i + 1)
    for (let p = 0; p < partitions; p++) this.assignments.push(Array.from({ length: rf }, (_, i) => ids[(p + i) % brokerCount]!))
    this.controller = new Controller(sim, { node: this.network.addNode(CONTROLLER_NODE), brokers: ids, assignments: this.assignments, config: this.config })
    this.history = new KafkaHistory(sim.trace, this.controller.states)
    for (const id of ids) {
      const hosted = new Map<number, readonly number[]>()
      this.assignments.forEach((replicas, p) => {
        if (replicas.includes(id)) hosted.set(p, replicas)
      })
      const node = this.network.addNode(brokerNode(id))
      this.brokerNodes.push(node)
      this.brokers.push(new Broker(sim, { node, id, assignments: hosted, config: this.config }))
    }
    for (const broker of this.brokers) for (const state of this.controller.states) broker.bootstrap(state)
    this.producer = new Producer(sim, this.network.addNode("producer"), partitions, 1000, this.controller.leaders(), options.producer)
    for (const broker of this.brokers) {
      broker.node.onCrash(() => this.availabilityChanged())
      broker.node.onRestart(() => this.availabilityChanged())
    }
    this.controller.onChange = () => this.availabilityChanged()
    for (let p = 0; p < partitions; p++) this.downSince.push(-1)
    this.plan = applyFaultPlan(sim, this.network, options.plan)
  }

  /** Node names of the brokers, the targets of fault plans. */
  get brokerNames(): string[] {
    return this.brokers.map((broker) => broker.node.name)
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
   * Produces the workload and runs until it settled. `runUntil` advances the simulation (the
   * CLI passes its progress-reporting runner; tests pass `(sim, until) => sim.run({ until })`).
   */
  run(workload: KafkaWorkload, runUntil: (sim: Simulation, until: number) => void = (sim, until) => void sim.run({ until })): KafkaRunResult {
    const { messages, ratePerSecond } = workload
    if (!Number.isInteger(messages) || messages < 0) throw new RangeError("messages must be an integer >= 0")
    if (!(ratePerSecond > 0 && ratePerSecond < Infinity)) throw new RangeError("ratePerSecond must be finite and > 0")
    const keyOf = workload.keyOf ?? (() => null)
    const producer = this.producer
    const perMs = ratePerSecond / 1000
    let sent = 0
    let credit = 0
    const tick = (): void => {
      credit += perMs
      while (credit >= 1 && sent < messages) {
        producer.send(keyOf(sent))
        sent++
        credit -= 1
      }
      if (sent < messages) this.sim.timeout(1).onProcessed(tick)
    }
    if (messages > 0) this.sim.timeout(0).onProcessed(tick)
    const lastSendMs = Math.ceil(messages / perMs)
    const lastFault = Math.max(0, this.plan.healAt ?? 0, ...this.plan.faults.map(faultEnd))
    const endMs = Math.max(lastSendMs, lastFault) + (workload.settleMs ?? 20_000)
    runUntil(this.sim, endMs)
    this.availabilityChanged()
    return this.result(messages, this.sim.now)
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

  private result(sentCount: number, endMs: number): KafkaRunResult {
    const records = this.producer.records
    const partitions: PartitionSummary[] = []
    const stored = new Uint8Array((records.count + 7) >>> 3)
    const duplicates: number[] = []
    for (let p = 0; p < this.partitionCount; p++) {
      const state = this.controller.states[p]!
      const log = this.finalLog(p)
      const batches = log === undefined ? [] : log.batches.slice()
      for (const batch of batches) {
        for (const id of batch.records) {
          const bit = 1 << (id & 7)
          if ((stored[id >>> 3]! & bit) !== 0) duplicates.push(id)
          else stored[id >>> 3]! |= bit
        }
      }
      let finalLog: readonly number[] | undefined
      partitions.push({
        partition: p,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        isr: state.isr,
        replicas: state.replicas.map((id) => {
          const broker = this.brokers[id - 1]!
          const replicaLog = broker.durableLog(p)
          return { broker: id, up: this.brokerNodes[id - 1]!.isUp, logEndOffset: replicaLog?.endOffset ?? null, highWatermark: replicaLog?.highWatermark ?? null }
        }),
        get finalLog(): readonly number[] {
          finalLog ??= batches.flatMap((batch) => batch.records)
          return finalLog
        },
      })
    }
    let acknowledged = 0
    let rejected = 0
    const lost: LostRecord[] = []
    for (const batch of records.batches) {
      if (batch.status === RECORD_FAILED) rejected += batch.records.length
      if (batch.status !== RECORD_ACKED) continue
      acknowledged += batch.records.length
      const ids = batch.records
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!
        if ((stored[id >>> 3]! & (1 << (id & 7))) !== 0) continue
        const partition = batch.partition
        const offset = batch.baseOffset < 0 ? -1 : batch.baseOffset + i
        const visible = offset >= 0 && this.history.wasVisible(partition, batch.ackedEpoch, offset)
        const { cause, why } = this.whyLost(partition, offset, batch.ackMs, batch.ackedBy)
        lost.push({ id, partition, offset, ackedAt: batch.ackMs, ackedBy: batch.ackedBy, visible, cause, why })
      }
    }
    lost.sort((x, y) => x.id - y.id)
    const leaderChanges = this.history.elections.filter((e) => e.previousLeader !== -1 || e.t > 0).length
    return {
      partitions,
      sent: sentCount,
      acknowledged,
      rejected,
      lost,
      visibleLost: lost.filter((record) => record.visible).length,
      duplicates,
      leaderChanges,
      unavailableMs: this.unavailable,
      requests: records.requests,
      errors: Object.fromEntries(records.errorCounts),
      endMs,
    }
  }

  private whyLost(partition: number, offset: number, ackedAt: number, ackedBy: number): { cause: LostCause; why: string } {
    const acks = this.producer.config.acks
    const at = formatMs(ackedAt)
    const head = acks === 0 ? `sent with acks=0 to b${ackedBy} at t=${at} (never confirmed)` : `acked at offset ${offset} by leader b${ackedBy} at t=${at} (acks=${acks === -1 ? "all" : acks})`
    if (offset >= 0) {
      const cut = this.history.truncations.find((t) => t.partition === partition && t.broker === ackedBy && t.t >= ackedAt && t.toOffset <= offset && t.fromOffset > offset)
      if (cut !== undefined) {
        const election = this.history.elections.filter((e) => e.partition === partition && e.t <= cut.t && e.leader === cut.leader).pop()
        const how = election === undefined ? "" : `, elected at t=${formatMs(election.t)}${election.unclean ? " (unclean: outside the ISR)" : ""}`
        return { cause: election?.unclean === true ? "unclean" : "truncated", why: `${head}; b${ackedBy} truncated offsets ${cut.toOffset}-${cut.fromOffset - 1} at t=${formatMs(cut.t)} to follow b${cut.leader} (epoch ${cut.leaderEpoch}${how}), whose log did not have it` }
      }
    }
    const after = this.history.elections.find((e) => e.partition === partition && e.t >= ackedAt && e.leader !== ackedBy && e.leader >= 0)
    if (after !== undefined) {
      return { cause: after.unclean ? "unclean" : "new-leader", why: `${head}; b${after.leader} became leader at t=${formatMs(after.t)}${after.unclean ? " by unclean election" : ""} without it` }
    }
    const log = this.finalLog(partition)
    if (log === undefined) return { cause: "no-disk", why: `${head}; no replica of partition ${partition} kept its disk` }
    return { cause: "never-stored", why: `${head}; it never reached the log that survived` }
  }
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

/** Node name of broker `id`. */
export const brokerName = brokerNode
