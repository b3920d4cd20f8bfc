/**
 * A seeded stream of votes on a fixed catalogue of articles, as a front page sees them: a few
 * articles get most votes (Zipf popularity, exponent {@link ZIPF_EXPONENT}: the k-th most popular
 * article gets 1/k of the first one's votes) and votes arrive as a Poisson process.
 *
 * Every article exists before the run starts, created at a uniform time in the `ageSpanHours`
 * before it; popularity is independent of age (a random permutation assigns the ranks). Left out:
 * articles created during the run, and voters (a vote is only an article and a direction).
 */
import type { RandomStream } from "../../kernel/index.ts"

/** The Zipf exponent of article popularity. */
export const ZIPF_EXPONENT = 1

/** Simulated time 0 in Unix seconds: 2024-01-01T00:00:00Z. */
export const RUN_START_UNIX_SECONDS = 1704067200

/** One article of the catalogue. */
export interface Article {
  /** Its id, `a1`, `a2`, ... */
  readonly id: string
  /** When it was posted, in Unix seconds (before the run). */
  readonly createdSeconds: number
}

/** One vote. */
export interface Vote {
  /** When it arrives, in ms of simulated time. */
  readonly atMs: number
  /** Index of the article in the catalogue. */
  readonly article: number
  /** An upvote (true) or a downvote (false). */
  readonly up: boolean
}

/** Options of {@link createArticles}. */
export interface ArticleOptions {
  /** How many articles. Required, >= 1. */
  readonly articles: number
  /** Articles were posted uniformly within this many hours before the run. Default 24. */
  readonly ageSpanHours?: number
}

/** The catalogue: `articles` articles with creation times drawn from `random`, in id order. */
export function createArticles(random: RandomStream, options: ArticleOptions): Article[] {
  const spanSeconds = (options.ageSpanHours ?? 24) * 3600
  const articles: Article[] = []
  for (let i = 0; i < options.articles; i++) {
    const ageSeconds = Math.floor(random.uniform(0, spanSeconds))
    articles.push({ id: `a${i + 1}`, createdSeconds: RUN_START_UNIX_SECONDS - ageSeconds })
  }
  return articles
}

/** Options of a {@link VoteStream}. */
export interface VoteStreamOptions {
  /** Number of articles in the catalogue. Required, >= 1. */
  readonly articles: number
  /** Mean votes per second of simulated time. Required, > 0. */
  readonly votesPerSecond: number
  /** Chance that a vote is a downvote. Default 0 (HN stories cannot be downvoted). */
  readonly downvoteProbability?: number
}

/** The votes, in arrival order, drawn on demand from one random stream. */
export class VoteStream {
  /** `popularity[k]`: the catalogue index of the (k+1)-th most popular article. */
  readonly popularity: readonly number[]
  private readonly ratePerMs: number
  private readonly downvoteProbability: number
  private nextAtMs = 0

  constructor(
    private readonly random: RandomStream,
    private readonly options: VoteStreamOptions,
  ) {
    if (!(options.votesPerSecond > 0)) throw new RangeError(`votesPerSecond must be > 0, got ${options.votesPerSecond}`)
    const order = Array.from({ length: options.articles }, (_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.integer(0, i)
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    this.popularity = order
    this.ratePerMs = options.votesPerSecond / 1000
    this.downvoteProbability = options.downvoteProbability ?? 0
    this.nextAtMs = random.exponential(this.ratePerMs)
  }

  /** The next vote (its time is never earlier than the previous one's). */
  next(): Vote {
    const atMs = this.nextAtMs
    const article = this.popularity[this.random.zipf(this.options.articles, ZIPF_EXPONENT) - 1]!
    const up = this.downvoteProbability === 0 || !this.random.bernoulli(this.downvoteProbability)
    this.nextAtMs += this.random.exponential(this.ratePerMs)
    return { atMs, article, up }
  }

  /** When the next vote arrives, in ms. */
  peekAtMs(): number {
    return this.nextAtMs
  }
}
