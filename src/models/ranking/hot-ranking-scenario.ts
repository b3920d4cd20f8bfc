/**
 * The hot-ranking scenario: `nodes` web nodes (n1, n2, ...) each run the ranking job and serve
 * readers; a vote counter on node `votes` counts a Zipf-popular stream of votes in the Redis on
 * node `redis`; the job's lock lives in that same Redis; lists go to the protected storage on node
 * `storage`. Faults aimed at "whoever holds the lock" (a pause, a crash) are chosen at their
 * instant by the observer, which also checks each computed list against a full sort.
 *
 * The observer (this file) reads the typed trace: the Redis commands as executed (to know the hot
 * sorted set and the points at the instant a job read them) and the ranking events; the checks in
 * `ranking-checks.ts` judge what it gathered.
 */
import { type Advance, runUntil, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import type { Simulation, Traced } from "../../kernel/index.ts"
import {
  applyFaultPlan,
  constantLatency,
  type FaultPlan,
  Network,
  NO_FAULTS,
  type NodeContext,
  type Rpc,
} from "../../net/index.ts"
import { type CommandExecuted, RedisClient, redisRpc, RedisService } from "../redis/index.ts"
import { type LockClient, type LockEvent, ProtectedStorage, RedisLockClient, storageRpc } from "../lock/index.ts"
import { ListReadService, listReadRpc, parseStoredList, type StoredList } from "./list-storage.ts"
import type { RankingEvent, TopKComputed } from "./ranking-events.ts"
import { pairs, RankingJob, rankHackerNews } from "./ranking-job.ts"
import { Readers } from "./readers.ts"
import { compareLists, type Formula, fullSortTopK, HOT_KEY, POINTS_KEY, type Scored } from "./top-k.ts"
import { VoteCounter } from "./vote-counter.ts"
import { type Article, createArticles, VoteStream } from "./votes.ts"

/** The node of the Redis server. */
export const REDIS_NODE = "redis"
/** The node of the protected storage. */
export const STORAGE_NODE = "storage"
/** The node of the vote counter. */
export const VOTES_NODE = "votes"

/** The lock's key in Redis (its fencing counter is `ranking:lock:fencing`). */
export const LOCK_KEY = "ranking:lock"

/** Makes the lock client of a job node; `redis` is that node's connection to the Redis server. */
export type LockFactory = (node: NodeContext, redis: RedisClient) => LockClient

/** Options of a {@link HotRankingScenario}. */
export interface HotRankingOptions {
  /** The lock client of each job node. Default: the Redis lock ({@link LOCK_KEY}, TTL `leaseTtlMs`) on the same Redis. */
  readonly lockFor?: LockFactory
  /** The lock's TTL, in ms. Default 2 × periodMs, rounded up. */
  readonly leaseTtlMs?: number
  /** Job nodes. Default 3. */
  readonly nodes?: number
  /** Articles in the catalogue. Default 1000. */
  readonly articles?: number
  /** Votes per second. Default 500. */
  readonly votesPerSecond?: number
  /** The formula. Default "hn". */
  readonly formula?: Formula
  /** HN's gravity. Default 1.8. */
  readonly gravity?: number
  /** Length of the list. Default 10. */
  readonly topK?: number
  /** The job's period, in ms. Default 1000. */
  readonly periodMs?: number
  /** Whether the storage checks fencing tokens. Default false. */
  readonly fencing?: boolean
  /** The run's length, in ms. Default 12000. */
  readonly durationMs?: number
  /** One-way latency of every link, in ms. Default 1. */
  readonly latencyMs?: number
  /** When the lock holder pauses, in ms; with `pauseMs` 0 or at/after the end: never. Default Infinity. */
  readonly pauseAt?: number
  /** How long it pauses, in ms. Default 0. */
  readonly pauseMs?: number
  /** When the lock holder crashes for good, in ms; at/after the end: never. Default Infinity. */
  readonly crashAt?: number
  /** When Redis becomes unreachable, in ms. Default Infinity. */
  readonly redisDownAt?: number
  /** For how long, in ms. Default 0. */
  readonly redisDownMs?: number
  /** More faults. Default none. */
  readonly plan?: FaultPlan
  /** A downvote's share of votes. Default 0 for HN (no story downvotes), 0.1 for Reddit. */
  readonly downvoteProbability?: number
  /** Readers count a list older than this as stale, in ms. Default 2 × periodMs. */
  readonly staleAfterMs?: number
  /** Each node serves one read every this many ms. Default 100. */
  readonly readEveryMs?: number
}

/** A computed list compared with a full sort of the same data at the same instant. */
export interface TopKVerification {
  readonly t: number
  readonly node: string
  readonly period: number
  /** Null when the lists agree, else the first difference. */
  readonly difference: string | null
}

/** An accepted or rejected write of a list. */
export interface ListWrite {
  readonly t: number
  readonly node: string
  readonly period: number
  readonly token: number
  readonly accepted: boolean
  /** The highest token accepted before it (-1: none). */
  readonly highestToken: number
  /** The list written, best first (ids and scores). */
  readonly list: readonly { readonly id: string; readonly score: number }[]
}

/** Per job node. */
export interface RankingNodeReport {
  readonly node: string
  readonly jobRuns: number
  readonly reads: number
  readonly staleReads: number
  readonly maxStalenessMs: number
}

/** One row of the final list in the JSON metrics. */
export type TopKRow =
  | { readonly id: string; readonly points: number; readonly ageHours: number; readonly score: number }
  | { readonly id: string; readonly points: number; readonly createdSeconds: number; readonly score: number }

/** The sim's JSON metrics. */
export type HotRankingSummary = {
  readonly topK: readonly TopKRow[]
  readonly jobRuns: number
  readonly doubleRuns: number
  readonly staleReads: number
  readonly maxStalenessMs: number
}

/** What a run measured. */
export interface HotRankingResult extends ScenarioResult {
  readonly formula: Formula
  readonly periodMs: number
  readonly fencing: boolean
  /** The last accepted list, or null. */
  readonly finalList: StoredList | null
  readonly verifications: readonly TopKVerification[]
  /** Job runs that failed (Redis did not answer). */
  readonly jobsFailed: number
  readonly writes: readonly ListWrite[]
  /** Periods in which two holders' jobs both took effect (see {@link doubleRunPeriods}). */
  readonly doublePeriods: readonly { readonly period: number; readonly nodes: readonly string[] }[]
  readonly nodes: readonly RankingNodeReport[]
  readonly votes: number
  /** Vote flushes Redis did not confirm (resent with the next flush). */
  readonly flushesFailed: number
  /** The node the pause hit (null: none held the lock then, or no pause). */
  readonly pausedNode: string | null
  /** The node the crash hit. */
  readonly crashedNode: string | null
  summary(): HotRankingSummary
}

/** The whole system and its observer. */
export class HotRankingScenario implements Scenario<HotRankingResult> {
  readonly network: Network
  readonly jobNodes: readonly string[]
  readonly articles: readonly Article[]
  readonly jobs: readonly RankingJob[]
  readonly readers: readonly Readers[]
  readonly locks: readonly LockClient[]
  /** The protected storage holding the list. */
  readonly storage: ProtectedStorage
  readonly counter: VoteCounter
  private readonly formula: Formula
  private readonly periodMs: number
  private readonly durationMs: number
  private readonly verifications: TopKVerification[] = []
  private readonly writes: ListWrite[] = []
  private pausedNode: string | null = null
  private jobsFailed = 0
  private crashedNode: string | null = null

  constructor(
    readonly sim: Simulation,
    private readonly options: HotRankingOptions,
  ) {
    this.formula = options.formula ?? "hn"
    this.periodMs = options.periodMs ?? 1000
    this.durationMs = options.durationMs ?? 12000
    const count = options.nodes ?? 3
    this.jobNodes = Array.from({ length: count }, (_, i) => `n${i + 1}`)
    this.network = new Network(sim, { link: { latency: constantLatency(options.latencyMs ?? 1) } })
    for (const name of [...this.jobNodes, VOTES_NODE, REDIS_NODE, STORAGE_NODE]) this.network.addNode(name)
    const redis = redisRpc(this.network)
    new RedisService(this.network, REDIS_NODE, redis, { trace: sim.trace })
    const storage = storageRpc(this.network)
    this.storage = new ProtectedStorage(this.network, STORAGE_NODE, storage, {
      trace: sim.trace,
      fencing: options.fencing ?? false,
    })
    const reads = listReadRpc(this.network)
    new ListReadService(reads, this.storage)
    this.articles = createArticles(sim.random("articles"), { articles: options.articles ?? 1000 })
    this.counter = this.startCounter(redis)
    const built = this.jobNodes.map((name) => this.startNode(name, redis, storage, reads))
    this.jobs = built.map((b) => b.job)
    this.readers = built.map((b) => b.readers)
    this.locks = built.map((b) => b.lock)
    this.scheduleFaults()
    sim.trace.listen((record) => this.observe(record as Traced<RankingEvent | LockEvent | CommandExecuted>))
  }

  private startCounter(redis: ReturnType<typeof redisRpc>): VoteCounter {
    const downvoteProbability = this.options.downvoteProbability ?? (this.formula === "reddit" ? 0.1 : 0)
    const stream = new VoteStream(this.sim.random("votes"), {
      articles: this.articles.length,
      votesPerSecond: this.options.votesPerSecond ?? 500,
      downvoteProbability,
    })
    const node = this.network.node(VOTES_NODE)
    const client = new RedisClient(redis, VOTES_NODE, REDIS_NODE, { timeoutMs: 200 })
    const counter = new VoteCounter(node, client, this.articles, stream, { formula: this.formula })
    node.spawn(counter.run(), "vote-counter")
    return counter
  }

  private startNode(name: string, redis: Rpc, storage: Rpc, reads: Rpc) {
    const node = this.network.node(name)
    const periodMs = this.periodMs
    const lockFor = this.options.lockFor ?? this.redisLock()
    const lock = lockFor(node, new RedisClient(redis, name, REDIS_NODE, { timeoutMs: 200 }))
    const job = new RankingJob(
      node,
      lock,
      new RedisClient(redis, name, REDIS_NODE, { timeoutMs: 200 }),
      storage,
      this.sim.trace,
      {
        formula: this.formula,
        articles: this.articles,
        periodMs,
        topK: this.options.topK ?? 10,
        ...(this.options.gravity === undefined ? {} : { gravity: this.options.gravity }),
        storageNode: STORAGE_NODE,
      },
    )
    node.spawn(job.schedule(), `ranking-job@${name}`)
    const readers = new Readers(node, reads, this.sim.trace, {
      storageNode: STORAGE_NODE,
      refreshMs: periodMs / 4,
      readEveryMs: this.options.readEveryMs ?? 100,
      staleAfterMs: this.options.staleAfterMs ?? 2 * periodMs,
    })
    readers.start()
    return { job, readers, lock }
  }

  /** The default lock: the Redis lock client on the ranking's Redis. */
  private redisLock(): LockFactory {
    const ttlMs = this.options.leaseTtlMs ?? Math.ceil(2 * this.periodMs)
    return (node, redis) => new RedisLockClient(node, redis, { trace: this.sim.trace, key: LOCK_KEY, ttlMs })
  }

  /**
   * The pause and crash of the lock holder (a fault plan of one fault, made at that instant, when
   * the holder is known), Redis's outage (a partition of node `redis`), the extra plan.
   */
  private scheduleFaults(): void {
    const {
      pauseAt = Infinity,
      pauseMs = 0,
      crashAt = Infinity,
      redisDownAt = Infinity,
      redisDownMs = 0,
    } = this.options
    const faults = [...(this.options.plan ?? NO_FAULTS).faults]
    if (redisDownMs > 0 && redisDownAt < this.durationMs) {
      faults.push({ kind: "partition", groups: [[REDIS_NODE]], at: redisDownAt, healAt: redisDownAt + redisDownMs })
    }
    applyFaultPlan(this.sim, this.network, { ...this.options.plan, faults })
    if (pauseMs > 0 && pauseAt < this.durationMs) {
      this.sim.timeout(pauseAt).onProcessed(() => {
        this.pausedNode = this.holder()
        if (this.pausedNode === null) return
        applyFaultPlan(this.sim, this.network, {
          faults: [{ kind: "pause", node: this.pausedNode, at: this.sim.now, durationMs: pauseMs }],
        })
      })
    }
    if (crashAt < this.durationMs) {
      this.sim.timeout(crashAt).onProcessed(() => {
        this.crashedNode = this.holder()
        if (this.crashedNode === null) return
        applyFaultPlan(this.sim, this.network, {
          faults: [{ kind: "crash", node: this.crashedNode, at: this.sim.now, restart: false }],
        })
      })
    }
  }

  /** The node that believes it holds the lock with the highest token, or null. */
  holder(): string | null {
    let best: { node: string; token: number } | null = null
    for (const lock of this.locks) {
      if (!this.network.node(lock.node).isUp) continue
      const lease = lock.current()
      if (lease !== null && (best === null || lease.token > best.token)) best = { node: lock.node, token: lease.token }
    }
    return best?.node ?? null
  }

  // --- the observer ---------------------------------------------------------------------------

  private readonly hot = new Map<string, number>()
  private readonly pointsRead = new Map<string, Map<string, number>>()
  private readonly redditReads = new Map<string, { got: Scored[]; expected: Scored[] }>()

  private observe(record: Traced<RankingEvent | LockEvent | CommandExecuted>): void {
    switch (record.type) {
      case "CommandExecuted":
        return this.observeCommand(record)
      case "TopKComputed":
        return this.verify(record)
      case "JobFailed":
        this.jobsFailed++
        return
      case "WriteAccepted":
      case "WriteRejected": {
        const stored = parseStoredList(record.value)!
        const list = stored.list.map(({ id, score }) => ({ id, score }))
        const { t, token, highestToken } = record
        const accepted = record.type === "WriteAccepted"
        this.writes.push({ t, node: record.client, period: stored.period, token, accepted, highestToken, list })
        return
      }
      default:
        return
    }
  }

  /** Tracks the hot sorted set as executed; snapshots what a job's read saw. */
  private observeCommand(record: Traced<CommandExecuted>): void {
    const argv = record.argv
    if ("error" in record.reply) return
    if (argv[0] === "ZADD" && argv[1] === HOT_KEY) {
      for (let i = 2; i + 1 < argv.length; i += 2) this.hot.set(argv[i + 1]!, Number(argv[i]))
    } else if (argv[0] === "ZREVRANGE" && argv[1] === HOT_KEY) {
      const k = Number(argv[3]) + 1
      const expected = fullSortTopK(
        [...this.hot].map(([id, score]) => ({ id, score })),
        k,
      )
      const got = pairs(record.reply).map(({ member, score }) => ({ id: member, score }))
      this.redditReads.set(record.client, { got, expected })
    } else if (argv[0] === "ZREVRANGE" && argv[1] === POINTS_KEY) {
      this.pointsRead.set(record.client, new Map(pairs(record.reply).map(({ member, score }) => [member, score])))
    }
  }

  /** Compares a computed list with the full sort of the data its job read. */
  private verify(record: Traced<TopKComputed>): void {
    let difference: string | null
    if (record.formula === "reddit") {
      const read = this.redditReads.get(record.node)
      difference = read === undefined ? "no read of the hot set seen" : compareLists(read.got, read.expected)
    } else {
      const points = this.pointsRead.get(record.node) ?? new Map<string, number>()
      const window = this.jobs[this.jobNodes.indexOf(record.node)]!.window
      const scored = rankHackerNews(window, points, record.asOfMs, window.length)
      difference = compareLists(record.list, fullSortTopK(scored, record.list.length))
    }
    this.verifications.push({ t: record.t, node: record.node, period: record.period, difference })
  }

  run(advance: Advance = runUntil): HotRankingResult {
    advance(this.sim, this.durationMs)
    return this.result()
  }

  private result(): HotRankingResult {
    const periodMs = this.periodMs
    const doublePeriods = doubleRunPeriods(this.writes, periodMs)
    const nodes = this.jobNodes.map((node, i) => {
      const readers = this.readers[i]!
      const { reads, staleReads, maxStalenessMs } = readers
      return { node, jobRuns: this.jobs[i]!.runs, reads, staleReads, maxStalenessMs }
    })
    const finalList = parseStoredList(this.storage.value)
    const formula = this.formula
    const summary: HotRankingSummary = {
      topK: (finalList?.list ?? []).map((entry) =>
        formula === "hn"
          ? { id: entry.id, points: entry.points, ageHours: entry.ageHours ?? 0, score: entry.score }
          : { id: entry.id, points: entry.points, createdSeconds: entry.createdSeconds ?? 0, score: entry.score },
      ),
      jobRuns: nodes.reduce((sum, node) => sum + node.jobRuns, 0),
      doubleRuns: doublePeriods.length,
      staleReads: nodes.reduce((sum, node) => sum + node.staleReads, 0),
      maxStalenessMs: Math.max(0, ...nodes.map((node) => node.maxStalenessMs)),
    }
    return {
      formula,
      periodMs,
      fencing: this.options.fencing ?? false,
      finalList,
      verifications: this.verifications,
      jobsFailed: this.jobsFailed,
      writes: this.writes,
      doublePeriods,
      nodes,
      votes: this.counter.votes,
      flushesFailed: this.counter.flushesFailed,
      pausedNode: this.pausedNode,
      crashedNode: this.crashedNode,
      summary: () => summary,
    }
  }
}

/**
 * The periods (windows of `periodMs` of simulated time, by when the storage accepted the list) in
 * which the storage accepted a node's list after accepting, in the same period, a list of another
 * node with a higher token: two holders' jobs both took effect, the older one last. A handover
 * (the old holder's last list, then the new holder's first) is one run per period and not counted.
 */
export function doubleRunPeriods(
  writes: readonly ListWrite[],
  periodMs: number,
): { readonly period: number; readonly nodes: readonly string[] }[] {
  const byPeriod = new Map<number, ListWrite[]>()
  for (const write of writes) {
    if (!write.accepted) continue
    const period = Math.floor(write.t / periodMs)
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), write])
  }
  const doubles: { period: number; nodes: string[] }[] = []
  for (const [period, accepted] of byPeriod) {
    const late = accepted.find((write, i) =>
      accepted.slice(0, i).some((earlier) => earlier.node !== write.node && earlier.token > write.token),
    )
    if (late !== undefined) doubles.push({ period, nodes: [...new Set(accepted.map((write) => write.node))] })
  }
  return doubles
}
