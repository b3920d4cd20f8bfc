/**
 * The ranking job: every `periodMs` of its node's clock, on whichever node holds the lock, read
 * the votes from Redis, compute the top K and write the list with the lock's fencing token to the
 * protected storage — distributed job scheduling, one run per period across the cluster as long as
 * the lock is only held by one node.
 *
 * Every node runs one {@link RankingJob}. At each period boundary the node asks its lock client
 * whether it holds the lock (acquiring it if free, for at most `acquireWaitMs`), then runs. It
 * checks the lease once, at the start, as a real job does: a pause after that check (a GC, a VM
 * stall) lets it write long after its lease ran out, and only the storage's token check can stop
 * that write. Reddit reads the top K from the sorted set the vote counter maintains; HN recomputes
 * over the most recent `windowSize` articles (docs/ranking.md).
 */
import type { Event, TraceOf } from "../../kernel/index.ts"
import type { NodeContext, Rpc } from "../../net/index.ts"
import { parseDouble, type RedisClient, type RedisReply } from "../redis/index.ts"
import { hackerNewsScore, redditHotOfScore } from "./formulas.ts"
import { type LockClient, writeToStorage } from "../lock/index.ts"
import type { StoredList } from "./list-storage.ts"
import type { RankingEvent } from "./ranking-events.ts"
import { type Formula, heapTopK, HOT_KEY, POINTS_KEY, type RankedEntry, rankOrder } from "./top-k.ts"
import { type Article, RUN_START_UNIX_SECONDS } from "./votes.ts"

/** Options of a {@link RankingJob}. */
export interface RankingJobOptions {
  /** The formula. Required. */
  readonly formula: Formula
  /** The catalogue (creation times are static metadata the job knows). Required. */
  readonly articles: readonly Article[]
  /** The job's period, in ms of the node's clock. Required, > 0. */
  readonly periodMs: number
  /** How many articles the list holds. Default 10. */
  readonly topK?: number
  /** HN's gravity. Default 1.8. */
  readonly gravity?: number
  /** HN: how many of the most recent articles are ranked. Default 1000 (HN's `rank-stories`). */
  readonly windowSize?: number
  /** How long a node not holding the lock tries to take it at a period boundary, in ms. Default periodMs / 4. */
  readonly acquireWaitMs?: number
  /** The storage's node. Required. */
  readonly storageNode: string
  /** How long to wait for the storage's answer, in ms. Default 1000. */
  readonly storageTimeoutMs?: number
}

/** A Redis command failed or timed out; the run is abandoned. */
class RedisUnavailable extends Error {}

/** The job on one node. */
export class RankingJob {
  /** Job runs this node started. */
  runs = 0
  private readonly topK: number
  /** HN: the articles ranked (the most recent `windowSize`). */
  readonly window: readonly Article[]
  private readonly byId: ReadonlyMap<string, Article>

  constructor(
    private readonly node: NodeContext,
    private readonly lock: LockClient,
    private readonly redis: RedisClient,
    /** The RPC helper of the protected storage (`storageRpc`). */
    private readonly storage: Rpc,
    private readonly trace: TraceOf<RankingEvent>,
    private readonly options: RankingJobOptions,
  ) {
    this.topK = options.topK ?? 10
    const newestFirst = [...options.articles].sort((a, b) => b.createdSeconds - a.createdSeconds)
    this.window = newestFirst.slice(0, options.windowSize ?? 1000)
    this.byId = new Map(options.articles.map((article) => [article.id, article]))
  }

  /** Runs the schedule forever (spawn it on the node). */
  *schedule(): Generator<Event<any>, void, any> {
    const periodMs = this.options.periodMs
    const acquireWaitMs = this.options.acquireWaitMs ?? periodMs / 4
    for (;;) {
      const now = this.node.clock()
      const next = (Math.floor(now / periodMs) + 1) * periodMs
      yield* this.node.sleepLocal(next - now)
      const period = Math.round(this.node.clock() / periodMs)
      const lease = this.lock.current() ?? (yield* this.lock.acquire(this.node.monotonicClock() + acquireWaitMs))
      if (lease === null) continue
      yield* this.run(period, lease.token)
    }
  }

  /** One run: read, compute, write. */
  private *run(period: number, token: number): Generator<Event<any>, void, any> {
    this.runs++
    const node = this.node.name
    this.trace.record({ type: "JobStarted", node, period, token })
    let computed: { list: RankedEntry[]; candidates: number; asOfMs: number }
    try {
      computed = this.options.formula === "reddit" ? yield* this.readReddit() : yield* this.computeHackerNews()
    } catch (error) {
      if (!(error instanceof RedisUnavailable)) throw error
      this.trace.record({ type: "JobFailed", node, period, reason: error.message })
      return
    }
    const { list, candidates, asOfMs } = computed
    const formula = this.options.formula
    this.trace.record({ type: "TopKComputed", node, period, token, formula, asOfMs, candidates, list })
    const entry: StoredList = { node, period, token, asOfMs, list }
    const write = { token, value: JSON.stringify(entry) }
    yield* writeToStorage(this.storage, node, this.options.storageNode, write, this.options.storageTimeoutMs ?? 1000)
  }

  /**
   * Reddit: the top K of the hot sorted set, then each one's points; the list shows the score of
   * the points read (a flush may land between the two reads) and is sorted by it.
   */
  private *readReddit(): Generator<Event<any>, { list: RankedEntry[]; candidates: number; asOfMs: number }, any> {
    const asOfMs = this.node.clock()
    const top = pairs(yield* this.command(["ZREVRANGE", HOT_KEY, "0", String(this.topK - 1), "WITHSCORES"]))
    const list: RankedEntry[] = []
    for (const { member } of top) {
      const reply = yield* this.command(["ZSCORE", POINTS_KEY, member])
      const points = "bulk" in reply && reply.bulk !== null ? (parseDouble(reply.bulk) ?? 0) : 0
      const createdSeconds = this.byId.get(member)?.createdSeconds ?? RUN_START_UNIX_SECONDS
      list.push({ id: member, points, createdSeconds, score: redditHotOfScore(points, createdSeconds) })
    }
    return { list: list.sort(rankOrder), candidates: top.length, asOfMs }
  }

  /** HN: every article's points, then the scores of the window's articles now, best K by a min-heap. */
  private *computeHackerNews(): Generator<
    Event<any>,
    { list: RankedEntry[]; candidates: number; asOfMs: number },
    any
  > {
    const asOfMs = this.node.clock()
    const points = new Map<string, number>()
    for (const { member, score } of pairs(yield* this.command(["ZREVRANGE", POINTS_KEY, "0", "-1", "WITHSCORES"]))) {
      points.set(member, score)
    }
    const gravity = this.options.gravity
    const list = rankHackerNews(this.window, points, asOfMs, this.topK, gravity)
    return { list, candidates: this.window.length, asOfMs }
  }

  private *command(argv: readonly string[]): Generator<Event<any>, RedisReply, any> {
    const outcome = yield* this.redis.call(argv)
    if (!outcome.ok) throw new RedisUnavailable(`Redis did not answer ${argv[0]} in time`)
    if ("error" in outcome.reply) throw new RedisUnavailable(`Redis answered ${argv[0]} with ${outcome.reply.error}`)
    return outcome.reply
  }
}

/**
 * HN's list at `asOfMs` (ms since the run's start): every article of `window` scored with its
 * points (1, the author's vote, when absent) and its age then, the best `topK` kept by a min-heap.
 */
export function rankHackerNews(
  window: readonly Article[],
  points: ReadonlyMap<string, number>,
  asOfMs: number,
  topK: number,
  gravity?: number,
): RankedEntry[] {
  const nowSeconds = RUN_START_UNIX_SECONDS + asOfMs / 1000
  const scored = window.map((article) => {
    const p = points.get(article.id) ?? 1
    const ageHours = (nowSeconds - article.createdSeconds) / 3600
    return { id: article.id, points: p, ageHours, score: hackerNewsScore(p, ageHours, gravity) }
  })
  return heapTopK(scored, topK) as RankedEntry[]
}

/** A WITHSCORES array reply as member and score pairs. */
export function pairs(reply: RedisReply): { member: string; score: number }[] {
  if (!("array" in reply)) return []
  const out: { member: string; score: number }[] = []
  for (let i = 0; i + 1 < reply.array.length; i += 2) {
    const member = reply.array[i]!
    const score = reply.array[i + 1]!
    if ("bulk" in member && "bulk" in score && member.bulk !== null && score.bulk !== null) {
      out.push({ member: member.bulk, score: parseDouble(score.bulk) ?? Number.NaN })
    }
  }
  return out
}
