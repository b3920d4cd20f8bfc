/**
 * The controller: one process on its own node that owns every partition's state (leader, leader
 * epoch, ISR, partition epoch), fences brokers whose heartbeats stop, elects leaders and commits
 * the ISR changes leaders ask for.
 *
 * Simplification: real Kafka (KRaft) runs a Raft quorum of controllers and brokers replicate the
 * metadata log; here a single controller that never fails pushes partition states to the brokers
 * (and repeats them in every heartbeat response). Producers ask it for metadata (real producers
 * ask any broker, which answers from its copy of the metadata).
 *
 * Election (KRaft PartitionChangeBuilder): the first replica in assignment order that is
 * unfenced and in the ISR; else the first unfenced ELR member; if none and
 * `unclean.leader.election.enable`, the first unfenced replica (its ISR becomes itself alone);
 * otherwise the partition goes offline (leader -1, ISR kept). Every new leadership bumps the leader
 * epoch.
 *
 * Eligible leader replicas (KIP-966, Kafka 4.x), simplified: a member removed from the ISR while
 * the ISR is below `min.insync.replicas` joins the ELR, and may be elected (cleanly) when no ISR
 * member is alive; the ELR empties once the ISR is large enough again, and a broker that lost its
 * disk leaves it. A fenced follower is removed from the ISR (unless it is the last member). An
 * offline partition is re-elected as soon as an eligible broker comes back; a broker that
 * restarted (a new incarnation) is fenced and re-registered, so a broker that lost its disk never
 * comes back as leader with an empty log (Kafka retries unclean elections every
 * `unclean.leader.election.interval.ms`; the model does not wait).
 *
 * Left out: a controller quorum, preferred-leader rebalancing and reassignments.
 */
import type { ProcessGenerator, Simulation, TraceOf } from "../../kernel/index.ts"
import type { NodeContext } from "../../net/index.ts"
import type { BrokerConfig } from "./kafka-config.ts"
import type { KafkaEvent } from "./kafka-events.ts"
import {
  type AlterPartitionRequest,
  brokerNode,
  CONTROLLER_NODE,
  KAFKA_PORT,
  type KafkaMessage,
  type PartitionState,
} from "./protocol.ts"

const SEND_OPTIONS = { port: KAFKA_PORT }

/** Options of the {@link Controller}; every field is required. */
export interface ControllerOptions {
  /** The node it runs on, named {@link CONTROLLER_NODE}. */
  readonly node: NodeContext
  /** Every broker id. */
  readonly brokers: readonly number[]
  /** The replicas of each partition, by partition; the first is the initial leader. */
  readonly assignments: readonly (readonly number[])[]
  /** Broker and topic settings, resolved. */
  readonly config: BrokerConfig
}

/** The single controller. */
export class Controller {
  /** The node the controller runs on. */
  readonly node: NodeContext
  private readonly brokers: readonly number[]
  private readonly config: BrokerConfig
  /** Current state of every partition, by partition number. */
  readonly states: PartitionState[]
  private readonly lastHeartbeatMs = new Map<number, number>()
  private readonly fenced = new Set<number>()
  private readonly incarnations = new Map<number, number>()
  private readonly trace: TraceOf<KafkaEvent>
  /** Bumped at every fence and unfence: the version of the live-broker list sent with heartbeat responses. */
  private liveVersion = 0
  /** Observer hook: called after every partition state change. */
  onChange: (state: PartitionState) => void = () => {}

  constructor(
    private readonly sim: Simulation,
    options: ControllerOptions,
  ) {
    const { node, brokers, assignments, config } = options
    this.trace = sim.trace
    this.node = node
    this.brokers = brokers
    this.config = config
    this.states = assignments.map((replicas, partition) => ({
      type: "partition-state",
      partition,
      leader: replicas[0]!,
      leaderEpoch: 0,
      partitionEpoch: 0,
      isr: replicas,
      elr: [],
      replicas,
    }))
    for (const broker of brokers) this.lastHeartbeatMs.set(broker, 0)
    this.node.spawn(this.serve(), "serve")
    this.node.spawn(this.watch(), "watch")
  }

  /** Sends every partition state to its replicas (the cluster calls it once the brokers exist). */
  announce(): void {
    for (const state of this.states) this.broadcast(state)
  }

  /** True while the controller considers `broker` fenced (its session expired). */
  isFenced(broker: number): boolean {
    return this.fenced.has(broker)
  }

  /** The leaders by partition (-1: offline). */
  leaders(): number[] {
    return this.states.map((state) => state.leader)
  }

  private send(to: string, message: KafkaMessage): void {
    this.node.send(to, message, SEND_OPTIONS)
  }

  private broadcast(state: PartitionState): void {
    for (const replica of state.replicas) this.send(brokerNode(replica), state)
  }

  private *serve(): ProcessGenerator<void> {
    for (;;) {
      const envelope = yield* this.node.receive<KafkaMessage>(KAFKA_PORT)
      const message = envelope.message
      switch (message.type) {
        case "heartbeat":
          this.onHeartbeat(message.broker, message.incarnation, message.lostDisk, envelope.from)
          break
        case "alter-partition":
          this.onAlterPartition(message, envelope.from)
          break
        case "metadata":
          this.send(envelope.from, { type: "metadata-response", requestId: message.requestId, leaders: this.leaders() })
          break
        default:
          break
      }
    }
  }

  private *watch(): ProcessGenerator<void> {
    for (;;) {
      yield* this.sim.sleep(this.config.tickMs)
      const now = this.sim.now
      for (const broker of this.brokers) {
        if (!this.fenced.has(broker) && now - this.lastHeartbeatMs.get(broker)! > this.config.brokerSessionTimeoutMs)
          this.fence(broker)
      }
    }
  }

  private onHeartbeat(broker: number, incarnation: number, lostDisk: boolean, from: string): void {
    this.lastHeartbeatMs.set(broker, this.sim.now)
    const known = this.incarnations.get(broker) ?? 0
    if (incarnation < known) return
    if (incarnation > known) {
      // A restarted broker registers anew: its old registration is fenced first (it may have lost its disk).
      this.incarnations.set(broker, incarnation)
      if (!this.fenced.has(broker)) this.fence(broker)
      if (lostDisk) this.forget(broker)
    }
    if (this.fenced.delete(broker)) {
      this.liveVersion++
      this.trace.record({ type: "BrokerUnfenced", broker })
      for (const state of this.states) {
        if (state.leader === -1 && state.replicas.includes(broker)) this.elect(state.partition)
      }
    }
    const states = this.states.filter((state) => state.replicas.includes(broker))
    const liveBrokers = this.brokers.filter((id) => !this.fenced.has(id))
    this.send(from, { type: "heartbeat-response", states, liveBrokers, liveBrokersVersion: this.liveVersion })
  }

  private fence(broker: number): void {
    this.fenced.add(broker)
    this.liveVersion++
    this.trace.record({ type: "BrokerFenced", broker })
    for (const state of this.states) {
      if (!state.replicas.includes(broker)) continue
      if (state.leader === broker) this.elect(state.partition)
      else if (state.isr.includes(broker) && state.isr.length > 1) {
        const isr = state.isr.filter((id) => id !== broker)
        this.update(
          { ...state, isr, elr: this.elrAfterRemoving(state, isr, [broker]), partitionEpoch: state.partitionEpoch + 1 },
          "fenced",
        )
      }
    }
  }

  /** ELR after `removed` left the ISR: they join it when the ISR falls below min.insync.replicas; cleared when the ISR is big enough. */
  private elrAfterRemoving(
    state: PartitionState,
    isr: readonly number[],
    removed: readonly number[],
  ): readonly number[] {
    if (isr.length >= this.config.minInsyncReplicas) return []
    return [...state.elr.filter((id) => !isr.includes(id)), ...removed.filter((id) => !state.elr.includes(id))]
  }

  /**
   * A broker came back without its logs: it is no longer a safe leader anywhere, so it leaves
   * every ISR (even as the last member) and ELR (KIP-966's unclean-shutdown rule).
   */
  private forget(broker: number): void {
    this.trace.record({ type: "BrokerDiskLost", broker })
    for (const state of this.states) {
      if (!state.isr.includes(broker) && !state.elr.includes(broker)) continue
      const isr = state.isr.filter((id) => id !== broker)
      this.update(
        { ...state, isr, elr: state.elr.filter((id) => id !== broker), partitionEpoch: state.partitionEpoch + 1 },
        "fenced",
      )
    }
  }

  private elect(partition: number): void {
    const state = this.states[partition]!
    const alive = (id: number): boolean => !this.fenced.has(id)
    let leader = state.replicas.find((id) => alive(id) && state.isr.includes(id)) ?? -1
    let isr: readonly number[] = state.isr.filter(alive)
    let elr = this.elrAfterRemoving(
      state,
      isr,
      state.isr.filter((id) => !alive(id)),
    )
    let unclean = false
    if (leader === -1) {
      const eligible = state.replicas.find((id) => alive(id) && state.elr.includes(id)) ?? -1
      if (eligible !== -1) {
        leader = eligible
        isr = [leader]
        elr = state.elr.filter((id) => id !== leader)
      }
    }
    if (leader === -1 && this.config.uncleanLeaderElection) {
      leader = state.replicas.find(alive) ?? -1
      if (leader !== -1) {
        unclean = true
        isr = [leader]
        elr = []
      }
    }
    if (leader === -1) {
      if (state.leader === -1) return
      isr = state.isr
      elr = state.elr
    }
    const next: PartitionState = {
      ...state,
      elr,
      leader,
      leaderEpoch: leader === -1 ? state.leaderEpoch : state.leaderEpoch + 1,
      partitionEpoch: state.partitionEpoch + 1,
      isr,
    }
    const previousLeader = state.leader
    this.trace.record({
      type: "LeaderElected",
      partition,
      leader,
      leaderEpoch: next.leaderEpoch,
      isr,
      unclean,
      previousLeader,
    })
    this.update(next, null)
  }

  private update(state: PartitionState, isrReason: "shrink" | "expand" | "fenced" | null): void {
    this.states[state.partition] = state
    if (isrReason !== null) {
      this.trace.record({ type: "IsrChanged", partition: state.partition, isr: state.isr, reason: isrReason })
    }
    this.broadcast(state)
    this.onChange(state)
  }

  private onAlterPartition(request: AlterPartitionRequest, from: string): void {
    const state = this.states[request.partition]
    if (state === undefined) return
    const valid =
      state.leader === request.broker &&
      state.leaderEpoch === request.leaderEpoch &&
      state.partitionEpoch === request.partitionEpoch &&
      request.isr.includes(request.broker) &&
      request.isr.every((id) => state.isr.includes(id) || !this.fenced.has(id))
    if (!valid) {
      this.send(from, state)
      return
    }
    const reason = request.isr.length < state.isr.length ? "shrink" : "expand"
    const removed = state.isr.filter((id) => !request.isr.includes(id))
    this.update(
      {
        ...state,
        isr: request.isr,
        elr: this.elrAfterRemoving(state, request.isr, removed),
        partitionEpoch: state.partitionEpoch + 1,
      },
      reason,
    )
  }
}
