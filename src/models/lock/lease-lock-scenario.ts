/**
 * The lease-lock scenario (docs/locks.md, "The scenario"): `clients` nodes contend for one lock on
 * a Redis server (`redis`) or on `redisNodes` independent servers (`redlock`: `redis-1` ...), and
 * whoever holds it writes to a storage node (`storage`) with its fencing token.
 *
 * Each client (`client-0` ..., client i starting `startStaggerMs × i` into the run, so client-0
 * asks first) loops: acquire; then `writesPerHold` times: check that it still believes it holds
 * the lease, work `workMs` (the pause of the lesson lands here, between the check and the write),
 * send the write; release; idle `idleMs`. A crashed client starts over when its node restarts.
 * Links have a one-way latency uniform within ±50% of `latencyMs`; every client's clock drifts by `driftRate`.
 *
 * The result is read from the typed events (`lock-checks.ts`) plus the storage's final value.
 */
import { type Advance, type JsonValue, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation, Traced } from "../../kernel/index.ts"
import {
  applyFaultPlan,
  type Fault,
  type FaultPlan,
  jitteredLatency,
  type NetEvent,
  Network,
  NO_FAULTS,
  type Rpc,
} from "../../net/index.ts"
import { RedisClient, redisRpc, RedisService } from "../redis/index.ts"
import type { LockClient } from "./lock-client.ts"
import { holdIntervals, type LockHistory, overlapMs, staleWrites } from "./lock-checks.ts"
import type { LockEvent, LockServiceKind } from "./lock-events.ts"
import { ProtectedStorage, storageRpc, writeToStorage } from "./protected-storage.ts"
import { RedisLockClient } from "./redis-lock-client.ts"
import { RedlockClient } from "./redlock-client.ts"

/** The storage's node. */
export const STORAGE_NODE = "storage"
/** The Redis server's node for the single-instance lock. */
export const REDIS_LOCK_NODE = "redis"

/** The name of client `i`'s node. */
export function clientNode(i: number): string {
  return `client-${i}`
}

/** The name of Redlock server `i` (from 1). */
export function redlockNode(i: number): string {
  return `redis-${i}`
}

/** What each client does while it runs. */
export interface LockWorkload {
  /** Work between checking the lease and sending a write, in ms of the client's clock. Default `ttlMs / 5`. */
  readonly workMs?: number
  /** Writes per holding. Default 3. */
  readonly writesPerHold?: number
  /** Holdings per client (Infinity: until the run ends). Default Infinity. */
  readonly holdsPerClient?: number
  /** Wait after a release before asking again, in ms. Default `ttlMs / 2`. */
  readonly idleMs?: number
  /** Client i starts this many ms times i into the run. Default 10. */
  readonly startStaggerMs?: number
}

/** Options of a {@link LeaseLockScenario}. */
export interface LeaseLockOptions {
  /** The lock service. Default `redis`. */
  readonly service?: Exclude<LockServiceKind, "etcd">
  /** Clients contending for the lock. Default 3. */
  readonly clients?: number
  /** The lease's time to live, in ms. Default 1000. */
  readonly ttlMs?: number
  /** Clients renew their leases at TTL/3. Default true. */
  readonly renew?: boolean
  /** The storage rejects writes with a token below the highest accepted. Default false. */
  readonly fencing?: boolean
  /** The run's length, in ms. Default 5000. */
  readonly durationMs?: number
  /** Mean one-way latency of every link, in ms, uniform within ±50%. Default 1. */
  readonly latencyMs?: number
  /** Every client's clock drift (0.01: 1% fast; -0.5: half speed). Default 0. */
  readonly driftRate?: number
  /** Redlock's servers. Default 5. */
  readonly redisNodes?: number
  /** The fencing counter's value before the first acquisition (each server's, for Redlock). Default 0. */
  readonly tokenCounterStart?: number
  /** The Redis lock client's first backoff, in ms. Default `ttlMs / 20`. */
  readonly retryDelayMs?: number
  /** The Redis lock client's longest backoff, in ms. Default `ttlMs / 10`. */
  readonly retryMaxDelayMs?: number
  /** The clients' behaviour. */
  readonly workload?: LockWorkload
  /** The faults. Default: none. */
  readonly plan?: FaultPlan
}

/** What a run measured. */
export class LeaseLockResult implements ScenarioResult {
  constructor(
    /** The typed records the checks read, and the run's end. */
    readonly history: LockHistory,
    /** The storage's value at the end (null: never written). */
    readonly finalValue: string | null,
  ) {}

  /** The sim's JSON metrics: `overlapMs` (to the µs), `staleWritesAccepted`, `staleWritesRejected`, `acquisitions`, `finalValue`. */
  summary(): { readonly [metric: string]: JsonValue } {
    const stale = staleWrites(this.history)
    return {
      overlapMs: Math.round(overlapMs(holdIntervals(this.history), this.history.endMs) * 1000) / 1000,
      staleWritesAccepted: stale.accepted.length,
      staleWritesRejected: stale.rejected.length,
      acquisitions: this.history.records.filter((record) => record.type === "LockAcquired").length,
      finalValue: this.finalValue,
    }
  }
}

/** The records a lock run keeps for its checks. */
function isLockRecord(record: Traced): boolean {
  return /^(Lock|Write)/.test(record.type) || record.type === "NodeCrashed"
}

/** Clients, lock servers, storage and network, wired for one run. */
export class LeaseLockScenario implements Scenario<LeaseLockResult> {
  readonly network: Network
  /** The storage the lock protects. */
  readonly storage: ProtectedStorage
  /** The lock clients, client i on {@link clientNode}(i). */
  readonly clients: readonly LockClient[]
  /** The lock servers' node names. */
  readonly serverNodes: readonly string[]
  /** The plan as applied. */
  readonly plan: FaultPlan
  private readonly records: Traced<LockEvent | NetEvent>[] = []
  private readonly durationMs: number

  constructor(
    readonly sim: Simulation,
    options: LeaseLockOptions = {},
  ) {
    const ttlMs = options.ttlMs ?? 1000
    this.durationMs = options.durationMs ?? 5000
    const clients = options.clients ?? 3
    if (!(Number.isInteger(clients) && clients >= 1))
      throw new RangeError(`lease lock: clients must be >= 1, got ${clients}`)
    this.network = new Network(sim, { link: { latency: jitteredLatency(options.latencyMs ?? 1) } })
    const redlock = (options.service ?? "redis") === "redlock"
    this.serverNodes = redlock
      ? Array.from({ length: options.redisNodes ?? 5 }, (_, i) => redlockNode(i + 1))
      : [REDIS_LOCK_NODE]
    const rpc = redisRpc(this.network)
    for (const name of this.serverNodes) {
      this.network.addNode(name)
      const service = new RedisService(this.network, name, rpc, { trace: sim.trace })
      if (options.tokenCounterStart) service.server.execute(["SET", "lock:fencing", String(options.tokenCounterStart)])
    }
    this.network.addNode(STORAGE_NODE)
    const writes = storageRpc(this.network)
    this.storage = new ProtectedStorage(this.network, STORAGE_NODE, writes, {
      trace: sim.trace,
      fencing: options.fencing ?? false,
    })
    this.clients = Array.from({ length: clients }, (_, i) => this.addClient(i, rpc, writes, options, ttlMs))
    sim.trace.listen((record) => {
      if (isLockRecord(record)) this.records.push(record as Traced<LockEvent | NetEvent>)
    })
    this.plan = applyFaultPlan(sim, this.network, options.plan ?? NO_FAULTS)
  }

  /** Runs to `durationMs`. */
  run(advance: Advance = runUntil): LeaseLockResult {
    advance(this.sim, this.durationMs)
    return new LeaseLockResult({ records: this.records, endMs: this.durationMs }, this.storage.value)
  }

  private addClient(i: number, rpc: Rpc, writes: Rpc, options: LeaseLockOptions, ttlMs: number): LockClient {
    const node = this.network.addNode(clientNode(i), { driftRate: options.driftRate ?? 0 })
    const common = { trace: this.sim.trace, ttlMs, renew: options.renew ?? true }
    let client: LockClient
    if (this.serverNodes.length === 1 && options.service !== "redlock") {
      const redis = new RedisClient(rpc, node.name, REDIS_LOCK_NODE, { timeoutMs: Math.max(10, ttlMs / 10) })
      const retryDelayMs = options.retryDelayMs ?? ttlMs / 20
      const retryMaxDelayMs = options.retryMaxDelayMs ?? Math.max(retryDelayMs, ttlMs / 10)
      client = new RedisLockClient(node, redis, { ...common, retryDelayMs, retryMaxDelayMs })
    } else {
      const timeoutMs = RedlockClient.defaultPerNodeTimeoutMs(ttlMs)
      const servers = this.serverNodes.map((server) => new RedisClient(rpc, node.name, server, { timeoutMs }))
      client = new RedlockClient(node, servers, { ...common, random: this.sim.random(`redlock/${node.name}`) })
    }
    const work = workloadOf(options.workload ?? {}, ttlMs)
    const start = (delayMs: number): void => void node.spawn(this.worker(i, client, writes, work, delayMs), "worker")
    start(work.startStaggerMs * i)
    node.onRestart(() => start(0))
    return client
  }

  private *worker(i: number, client: LockClient, writes: Rpc, work: Required<LockWorkload>, delayMs: number) {
    const node = this.network.node(clientNode(i))
    const trace = this.sim.trace
    yield* node.sleepLocal(delayMs)
    for (let hold = 0; hold < work.holdsPerClient; hold++) {
      const lease = yield* client.acquire()
      if (lease === null) {
        yield* node.sleepLocal(work.idleMs)
        continue
      }
      for (let write = 1; write <= work.writesPerHold; write++) {
        const held = client.current()
        if (held === null) break
        const checkedAtMs = node.monotonicClock()
        yield* node.sleepLocal(work.workMs)
        const value = `${node.name}#${hold + 1}.${write}`
        const checkedMsAgo = node.monotonicClock() - checkedAtMs
        const leftAtCheckMs = held.validUntilMs - checkedAtMs
        trace.record<LockEvent>({
          type: "WriteSent",
          client: node.name,
          token: held.token,
          value,
          checkedMsAgo,
          leftAtCheckMs,
        })
        yield* writeToStorage(writes, node.name, STORAGE_NODE, { token: held.token, value }, work.workMs + 1000)
      }
      yield* client.release()
      yield* node.sleepLocal(work.idleMs)
    }
  }
}

/** The workload with its defaults filled in. */
function workloadOf(workload: LockWorkload, ttlMs: number): Required<LockWorkload> {
  return {
    workMs: workload.workMs ?? ttlMs / 5,
    writesPerHold: workload.writesPerHold ?? 3,
    holdsPerClient: workload.holdsPerClient ?? Infinity,
    idleMs: workload.idleMs ?? ttlMs / 2,
    startStaggerMs: workload.startStaggerMs ?? 10,
  }
}

/**
 * The faults of the Redlock clock-jump counterexample (docs/locks.md): client-0 cannot reach the
 * servers after the first majority (with 5: redis-4 and redis-5), so it locks exactly a majority;
 * at `atMs` the clock of the last server of that majority jumps `jumpMs` forward, and its copy of
 * the key expires early.
 */
export function redlockClockJumpFaults(redisNodes: number, atMs: number, jumpMs: number): Fault[] {
  const quorum = Math.floor(redisNodes / 2) + 1
  const cut: Fault[] = []
  for (let i = quorum + 1; i <= redisNodes; i++)
    cut.push({ kind: "link", from: clientNode(0), to: redlockNode(i), at: 0, dropProbability: 1 })
  return [...cut, { kind: "clock", node: redlockNode(quorum), at: atMs, skewMs: jumpMs }]
}
