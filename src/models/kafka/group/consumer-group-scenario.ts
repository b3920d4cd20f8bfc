/**
 * The consumer-group scenario: wiring only. A cluster (brokers with their coordinator service and
 * consumer fetch, and a producer writing `ratePerSecond` records/s across the topics), consumers
 * `c0..c<n-1>` on their own nodes, all started at t=0, and churn: joins (a new name, or one that
 * left or crashed coming back), clean leaves (LeaveGroup), silent crashes and pauses (fault-plan
 * faults of the consumers' nodes), plus any network faults. The observer listens to the group's
 * events in the trace; after the run it computes the consumer-group sim's metrics
 * (`summary()`, field for field) and the checks read the same events.
 *
 * Metrics (docs/kafka-consumer-groups.md, "The consumer-group sim"): `assignment` is what each
 * consumer owns at the end by its own account; `rebalances` counts generations; `assignmentHistory`
 * lists each generation's assignment as the coordinator distributed it; `unownedPartitionMs`
 * measures, per partition, the time from its first owner to the end during which no member owned
 * it (members' side: a crashed member owns its partitions until the coordinator evicts it);
 * `stopTheWorldMs` is the time, once every partition had had an owner, during which none had one.
 */
import { type Advance, type CheckResult, type JsonValue, runUntil } from "../../../check/core/index.ts"
import type { Simulation, Traced } from "../../../kernel/index.ts"
import { applyFaultPlan, type Fault, type FaultPlan, type Network, NO_FAULTS, type Rpc } from "../../../net/index.ts"
import type { AssignorName } from "./assignor-types.ts"
import { checkNoConcurrentProcessing, checkOneOwnerPerPartition, ownershipIntervals } from "./group-checks.ts"
import type { GroupEvent } from "./group-events.ts"
import type { RebalanceProtocol } from "./group-member.ts"
import { KafkaConsumer, type KafkaConsumerOptions } from "./kafka-consumer.ts"
import { kafkaGroupCluster } from "./kafka-group-cluster.ts"
import { formatPartition, partitionKey, partitionsOf, type TopicPartition } from "./topic-partition.ts"

/** The group every consumer of the scenario joins. */
export const SCENARIO_GROUP = "g"

/** What the scenario needs of the broker side. */
export interface ConsumerGroupCluster {
  readonly network: Network
  /** The brokers' node names. */
  readonly brokers: readonly string[]
  /** The broker a consumer asks first for `tp` (the metadata it would have fetched). */
  leaderHint(tp: TopicPartition): string
  /** Starts producing: `ratePerSecond` records/s across every partition until `untilMs`. */
  startProducing(ratePerSecond: number, untilMs: number): void
  /** The GROUP_SERVICE and CONSUMER_FETCH_SERVICE clients to use. Default: each consumer its own. */
  readonly groupRpc?: Rpc
  readonly fetchRpc?: Rpc
}

/** A consumer's churn event: `c3@20000`. */
export interface ChurnEvent {
  readonly consumer: string
  readonly at: number
}

/** A pause: `c1@20000+50000`. */
export interface PauseEvent extends ChurnEvent {
  readonly durationMs: number
}

/** Options of a {@link ConsumerGroupScenario}; times in ms. */
export interface ConsumerGroupScenarioOptions {
  /** Topics and their partition counts. Default `{ t0: 6 }`. */
  readonly topics?: Readonly<Record<string, number>>
  /** Consumers started at t=0, `c0..c<n-1>`. Default 3. */
  readonly consumers?: number
  /** Default `range`. */
  readonly assignor?: AssignorName
  /** Default `eager`. */
  readonly protocol?: RebalanceProtocol
  /** Static members (`group.instance.id` = the consumer's name). Default false. */
  readonly static?: boolean
  readonly joins?: readonly ChurnEvent[]
  readonly leaves?: readonly ChurnEvent[]
  readonly crashes?: readonly ChurnEvent[]
  readonly pauses?: readonly PauseEvent[]
  /** Default 45000. */
  readonly sessionTimeoutMs?: number
  /** Default 3000. */
  readonly heartbeatIntervalMs?: number
  /** Records per second produced across the topics. Default 200. */
  readonly ratePerSecond?: number
  /** Processing cost of one record. Default 5. */
  readonly processingMs?: number
  /** Simulated time to run. Default 120000. */
  readonly durationMs?: number
  /** Network faults (and any other). Default none. */
  readonly plan?: FaultPlan
  /** More settings of every consumer (commits, worker pool, batches, per-record costs). Default: none (auto commits). */
  readonly consumer?: ConsumerSettings
  /** Builds the broker side. Default: {@link kafkaGroupCluster}, 3 brokers. */
  readonly cluster?: (sim: Simulation, topics: Readonly<Record<string, number>>) => ConsumerGroupCluster
}

/** The consumer settings a scenario may set beyond its own options. */
export type ConsumerSettings = Pick<
  KafkaConsumerOptions,
  | "commit"
  | "workers"
  | "commitRule"
  | "commitAfterEachRecord"
  | "batchSize"
  | "batchTimeoutMs"
  | "batchCostMs"
  | "processingTimeMs"
  | "requestTimeoutMs"
>

/** One generation's assignment as distributed. */
export interface AssignmentAt {
  readonly [field: string]: JsonValue
  readonly t: number
  readonly generation: number
  readonly assignment: Readonly<Record<string, readonly string[]>>
}

/** The metrics of a run (the sim's JSON `metrics`). */
export interface ConsumerGroupSummary {
  readonly [metric: string]: JsonValue
  readonly assignment: Readonly<Record<string, readonly string[]>>
  readonly rebalances: number
  readonly assignmentHistory: readonly AssignmentAt[]
  readonly unownedPartitionMs: Readonly<Record<string, number>>
  readonly stopTheWorldMs: number
}

/** What a run produced. */
export interface ConsumerGroupResult {
  readonly events: readonly Traced<GroupEvent>[]
  readonly consumers: readonly string[]
  readonly endMs: number
  readonly checks: readonly CheckResult[]
  summary(): ConsumerGroupSummary
}

/** The group's events a timeline shows: membership and ownership changes (processing and commits are too frequent). */
export const GROUP_STORY_EVENTS: ReadonlySet<string> = new Set([
  "MemberJoined",
  "RebalanceStarted",
  "GenerationStarted",
  "AssignmentDistributed",
  "MemberRemoved",
  "StaticMemberReplaced",
  "OffsetCommitRejected",
  "PartitionsAssigned",
  "PartitionsRevoked",
  "PartitionsLost",
])

/** What the scenario keeps for its checks: the story, and processing for no-concurrent-processing. */
const KEPT: ReadonlySet<string> = new Set([...GROUP_STORY_EVENTS, "ProcessingStarted", "ProcessingFinished"])

/** A consumer group under churn, wired for one run. */
export class ConsumerGroupScenario {
  readonly consumers = new Map<string, KafkaConsumer>()
  readonly topics: Readonly<Record<string, number>>
  readonly durationMs: number
  readonly plan: FaultPlan
  private readonly events: Traced<GroupEvent>[] = []

  readonly cluster: ConsumerGroupCluster

  constructor(
    readonly sim: Simulation,
    readonly options: ConsumerGroupScenarioOptions = {},
  ) {
    this.topics = options.topics ?? { t0: 6 }
    this.cluster = (options.cluster ?? kafkaGroupCluster)(sim, this.topics)
    this.durationMs = options.durationMs ?? 120_000
    const names = consumerNames(options)
    for (const name of names) this.addConsumer(name)
    sim.trace.listen((record) => {
      if (KEPT.has(record.type)) this.events.push(record as Traced<GroupEvent>)
    })
    const faults: Fault[] = [...(options.plan ?? NO_FAULTS).faults, ...this.churnFaults()]
    this.plan = { ...(options.plan ?? NO_FAULTS), faults }
    applyFaultPlan(sim, this.cluster.network, this.plan)
  }

  private addConsumer(name: string): void {
    const node = this.cluster.network.addNode(name)
    const consumer = new KafkaConsumer({
      node,
      network: this.cluster.network,
      brokers: this.cluster.brokers,
      groupId: SCENARIO_GROUP,
      partitionsPerTopic: this.topics,
      leaderHint: (tp) => this.cluster.leaderHint(tp),
      ...(this.cluster.groupRpc === undefined ? {} : { groupRpc: this.cluster.groupRpc }),
      ...(this.cluster.fetchRpc === undefined ? {} : { fetchRpc: this.cluster.fetchRpc }),
      assignor: this.options.assignor ?? "range",
      protocol: this.options.protocol ?? "eager",
      ...(this.options.static === true ? { groupInstanceId: name } : {}),
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 45_000,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 3000,
      processingMs: this.options.processingMs ?? 5,
      autoOffsetReset: "earliest",
      ...this.options.consumer,
    })
    consumer.subscribe(Object.keys(this.topics))
    node.onRestart(() => consumer.start())
    this.consumers.set(name, consumer)
  }

  /** Crashes (restarted at the consumer's next join, if any) and pauses, as faults of the consumers' nodes. */
  private churnFaults(): Fault[] {
    const joins = this.options.joins ?? []
    const faults: Fault[] = []
    for (const crash of this.options.crashes ?? []) {
      const back = joins.filter((j) => j.consumer === crash.consumer && j.at > crash.at).sort((a, b) => a.at - b.at)[0]
      faults.push(
        back === undefined
          ? { kind: "crash", node: crash.consumer, at: crash.at, restart: false }
          : { kind: "crash", node: crash.consumer, at: crash.at, restartAt: back.at },
      )
    }
    for (const pause of this.options.pauses ?? [])
      faults.push({ kind: "pause", node: pause.consumer, at: pause.at, durationMs: pause.durationMs })
    return faults
  }

  private isRestart(join: ChurnEvent): boolean {
    return (this.options.crashes ?? []).some((c) => c.consumer === join.consumer && c.at < join.at)
  }

  private schedule(at: number, fn: () => void): void {
    this.sim.timeout(at).onProcessed(fn)
  }

  /** Runs for `durationMs` and judges the run. */
  run(advance: Advance = runUntil): ConsumerGroupResult {
    const initial = this.options.consumers ?? 3
    for (let i = 0; i < initial; i++) this.consumers.get(`c${i}`)!.start()
    for (const join of this.options.joins ?? [])
      if (!this.isRestart(join)) this.schedule(join.at, () => this.join(join.consumer))
    for (const leave of this.options.leaves ?? [])
      this.schedule(leave.at, () => this.consumers.get(leave.consumer)!.stop())
    this.cluster.startProducing(this.options.ratePerSecond ?? 200, this.durationMs)
    advance(this.sim, this.durationMs)
    const events = this.events
    const endMs = this.sim.now
    const checks = [
      checkOneOwnerPerPartition(events, SCENARIO_GROUP),
      checkNoConcurrentProcessing(events, SCENARIO_GROUP),
    ]
    const summary = groupSummary(events, [...this.consumers.values()], this.topics, endMs)
    return { events, consumers: [...this.consumers.keys()], endMs, checks, summary: () => summary }
  }

  /** Starts a consumer that is not running (a join of a running one changes nothing). */
  private join(name: string): void {
    const consumer = this.consumers.get(name)!
    if (consumer.isRunning && !consumer.isStopping) return
    this.sim.spawn(this.startWhenStopped(name))
  }

  /** A consumer that left may still be finishing its last poll: start it once it stopped. */
  private *startWhenStopped(name: string) {
    const consumer = this.consumers.get(name)!
    while (consumer.isRunning) yield* this.sim.timeout(10)
    consumer.start()
  }
}

/** Consumer names: `c0..c<n-1>`, then the new names of the joins in order of first appearance. */
export function consumerNames(options: ConsumerGroupScenarioOptions): string[] {
  const names = Array.from({ length: options.consumers ?? 3 }, (_, i) => `c${i}`)
  for (const join of options.joins ?? []) if (!names.includes(join.consumer)) names.push(join.consumer)
  return names
}

/** The metrics of a run from its group events and the consumers' final view. */
export function groupSummary(
  events: readonly Traced<GroupEvent>[],
  consumers: readonly KafkaConsumer[],
  topics: Readonly<Record<string, number>>,
  endMs: number,
): ConsumerGroupSummary {
  const assignment: Record<string, string[]> = {}
  for (const consumer of consumers) assignment[consumer.name] = consumer.member.owned.map(formatPartition)
  const history: AssignmentAt[] = []
  for (const event of events) {
    if (event.type !== "AssignmentDistributed") continue
    const byConsumer: Record<string, string[]> = {}
    for (const [member, tps] of Object.entries(event.assignment))
      byConsumer[consumerOf(member)] = [...tps].map(formatPartition).sort()
    history.push({ t: round(event.t), generation: event.generation, assignment: sortKeys(byConsumer) })
  }
  const { unowned, stopTheWorldMs } = unownedTimes(events, topics, endMs)
  return {
    assignment: sortKeys(assignment),
    rebalances: events.filter((e) => e.type === "GenerationStarted").length,
    assignmentHistory: history,
    unownedPartitionMs: unowned,
    stopTheWorldMs,
  }
}

/** The consumer a member id belongs to: the member id's prefix (`c1-…` → `c1`). */
export function consumerOf(memberId: string): string {
  const dash = memberId.indexOf("-")
  return dash < 0 ? memberId : memberId.slice(0, dash)
}

function unownedTimes(
  events: readonly Traced<GroupEvent>[],
  topics: Readonly<Record<string, number>>,
  endMs: number,
): { unowned: Record<string, number>; stopTheWorldMs: number } {
  const first = events.find((e) => e.type === "PartitionsAssigned")
  const intervals = ownershipIntervals(events, SCENARIO_GROUP)
  const unowned: Record<string, number> = {}
  const gapsPerPartition: [number, number][][] = []
  let formed = first?.t ?? endMs
  for (const tp of Object.entries(topics).flatMap(([topic, count]) => partitionsOf(topic, count))) {
    const owned = merge((intervals.get(partitionKey(tp)) ?? []).map((i) => [i.from, i.to ?? endMs] as [number, number]))
    // Counted from the partition's first owner (the first assignment takes a round trip to reach the members).
    const from = owned[0]?.[0] ?? first?.t ?? endMs
    formed = Math.max(formed, from)
    const gaps = complement(owned, from, endMs)
    gapsPerPartition.push(gaps)
    unowned[formatPartition(tp)] = round(gaps.reduce((sum, [a, b]) => sum + b - a, 0))
  }
  let common: [number, number][] = [[formed, endMs]]
  for (const gaps of gapsPerPartition) common = intersect(common, gaps)
  return { unowned, stopTheWorldMs: round(common.reduce((sum, [a, b]) => sum + b - a, 0)) }
}

function merge(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: [number, number][] = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

function complement(owned: readonly [number, number][], from: number, to: number): [number, number][] {
  const gaps: [number, number][] = []
  let at = from
  for (const [a, b] of owned) {
    if (b <= at) continue
    if (a > at) gaps.push([at, Math.min(a, to)])
    at = Math.max(at, b)
    if (at >= to) break
  }
  if (at < to) gaps.push([at, to])
  return gaps.filter(([a, b]) => b > a)
}

function intersect(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = []
  for (const [a0, a1] of a)
    for (const [b0, b1] of b) {
      const lo = Math.max(a0, b0)
      const hi = Math.min(a1, b1)
      if (hi > lo) out.push([lo, hi])
    }
  return out
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort(compareNames)
      .map((key) => [key, record[key]!]),
  )
}

/** `c2` before `c10`. */
function compareNames(a: string, b: string): number {
  const na = Number(a.slice(1))
  const nb = Number(b.slice(1))
  return Number.isInteger(na) && Number.isInteger(nb) && a[0] === b[0] ? na - nb : a < b ? -1 : a > b ? 1 : 0
}
