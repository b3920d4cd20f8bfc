/**
 * Hot ranking: who computes the front page, and what do readers see when that fails?
 * Covers: HN and Reddit hot formulas, incremental top-K in a Redis sorted set, one job per period
 *   on the lock holder, fencing tokens, cached readers, staleness
 * Scenario: 3 nodes; every second the lock holder reads the votes from Redis and writes the top 10
 *   with its fencing token; readers serve a cached copy; the holder pauses for 3.5s at t=5001ms,
 *   while its job waits for Redis
 * Try: --fencing true; --formula reddit; --redis-down-at 4000 --redis-down-ms 3000 --pause-ms 0;
 *   --crash-at 5001 --pause-ms 0
 */
import {
  type Constraint,
  defineSim,
  flag,
  formatCount,
  formatMs,
  formatNumber,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample } from "../src/kernel/index.ts"
import {
  type HotRankingResult,
  HotRankingScenario,
  isRankingTimelineRecord,
  type RankingRecord,
  rankingChecks,
  rankingTimeline,
  ZIPF_EXPONENT,
} from "../src/models/ranking/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 40

const flags = {
  nodes: flag.integer({
    description: "nodes that run the job and serve readers",
    unit: "nodes",
    default: 3,
    min: 1,
    max: 9,
  }),
  articles: flag.integer({
    description: "articles in the catalogue",
    unit: "articles",
    default: 1000,
    min: 1,
    max: 10_000,
  }),
  votesPerSec: flag.number({
    description: `votes per second (Poisson), on Zipf-popular articles (exponent ${ZIPF_EXPONENT})`,
    unit: "votes/s",
    default: 500,
    greaterThan: 0,
    max: 100_000,
  }),
  formula: flag.choice({ description: "the ranking formula", choices: ["hn", "reddit"] as const, default: "hn" }),
  gravity: flag.number({
    description: "HN's gravity G in (P - 1) / (T + 2)^G",
    unit: "exponent",
    default: 1.8,
    greaterThan: 0,
    max: 10,
  }),
  topK: flag.integer({ description: "length of the list", unit: "articles", default: 10, min: 1, max: 100 }),
  periodMs: flag.number({ description: "how often the job runs", unit: "ms", default: 1000, min: 100, max: 600_000 }),
  fencing: flag.boolean({
    description: "the storage rejects a list whose fencing token is below one it accepted",
    default: false,
  }),
  pauseAt: flag.number({
    description: "when the node holding the lock pauses (a GC or VM stall)",
    unit: "ms",
    default: 5001,
    min: 0,
  }),
  pauseMs: flag.number({
    description: "how long it pauses; 0: no pause",
    unit: "ms",
    default: 3500,
    min: 0,
    max: 600_000,
  }),
  crashAt: flag.number({
    description: "when the node holding the lock crashes for good; at or after --duration-ms: never",
    unit: "ms",
    default: 600_000,
    min: 0,
  }),
  redisDownAt: flag.number({
    description: "when Redis becomes unreachable from every node",
    unit: "ms",
    default: 0,
    min: 0,
  }),
  redisDownMs: flag.number({
    description: "for how long Redis is unreachable; 0: never",
    unit: "ms",
    default: 0,
    min: 0,
    max: 600_000,
  }),
  durationMs: flag.number({
    description: "simulated time to run",
    unit: "ms",
    default: 12_000,
    greaterThan: 0,
    max: 600_000,
  }),
}

type HotRankingParams = Params<typeof flags>

const constraints: Constraint<HotRankingParams>[] = [
  {
    params: ["pauseAt", "pauseMs", "durationMs"],
    holds: (p) => p.pauseMs === 0 || p.pauseAt < p.durationMs,
    message: "the pause must start before the run ends (or use --pause-ms 0 for no pause)",
  },
  {
    params: ["redisDownAt", "redisDownMs", "durationMs"],
    holds: (p) => p.redisDownMs === 0 || p.redisDownAt < p.durationMs,
    message: "the Redis outage must start before the run ends (or use --redis-down-ms 0 for none)",
  },
  {
    params: ["periodMs", "durationMs"],
    holds: (p) => p.periodMs <= p.durationMs,
    message: "the run must last at least one period",
  },
]

const TIME = { unit: "ms", decimals: 1 } as const
const RIGHT = "right" as const

function timelineOf(sample: TraceSample<RankingRecord>) {
  const entries = sample.records.map((record) => ({ t: record.t, text: rankingTimeline(record) ?? "" }))
  const title =
    sample.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${sample.total} events)` : "Timeline"
  return { title, entries }
}

/** Every list written, with its fate: the top-K over time and which node ran each period. */
function listsTable(result: HotRankingResult): TextSection {
  const columns = [
    { header: "t", align: RIGHT },
    { header: "node" },
    { header: "period", align: RIGHT },
    { header: "token", align: RIGHT },
    { header: "storage" },
    { header: "top 3" },
  ]
  const rows = result.writes.map((write) => [
    formatMs(write.t),
    write.node,
    String(write.period),
    String(write.token),
    write.accepted ? (write.token < write.highestToken ? "accepted (STALE)" : "accepted") : "REJECTED",
    write.list
      .slice(0, 3)
      .map((entry) => entry.id)
      .join(", "),
  ])
  return { title: "Lists written (the top-K over time)", lines: renderTable(columns, rows) }
}

function readersTable(result: HotRankingResult): TextSection {
  const columns = [
    { header: "node" },
    { header: "job runs", align: RIGHT },
    { header: "reads", align: RIGHT },
    { header: "stale reads", align: RIGHT },
    { header: "oldest list served", align: RIGHT },
  ]
  const rows = result.nodes.map((node) => [
    node.node,
    formatCount(node.jobRuns),
    formatCount(node.reads),
    formatCount(node.staleReads),
    formatMs(node.maxStalenessMs),
  ])
  return { title: "Readers (a list older than two periods is stale)", lines: renderTable(columns, rows) }
}

function finalTable(result: HotRankingResult): TextSection {
  const hn = result.formula === "hn"
  const columns = [
    { header: "rank", align: RIGHT },
    { header: "article" },
    { header: "points", align: RIGHT },
    { header: hn ? "age (hours)" : "created (Unix s)", align: RIGHT },
    { header: "score", align: RIGHT },
  ]
  const rows = (result.finalList?.list ?? []).map((entry, i) => [
    String(i + 1),
    entry.id,
    formatCount(entry.points),
    hn ? formatNumber(entry.ageHours ?? 0, 2) : String(entry.createdSeconds),
    formatNumber(entry.score, hn ? 4 : 7),
  ])
  const title = hn ? "Final list: HN score (P - 1) / (T + 2)^G" : "Final list: Reddit hot"
  return { title, lines: rows.length === 0 ? ["no list was ever accepted"] : renderTable(columns, rows) }
}

/** What the pause of the lock holder did, from the run's writes. */
function pauseLesson(params: HotRankingParams, result: HotRankingResult): string[] {
  const paused = result.pausedNode
  const at = `t=${formatMs(params.pauseAt)}`
  if (paused === null) return [`At ${at} no node held the lock, so the pause hit nobody.`]
  const lines = [`${paused} held the lock and paused at ${at} for ${formatMs(params.pauseMs)}.`]
  const late = result.writes.find((write) => write.node === paused && write.t > params.pauseAt)
  const stale = late !== undefined && late.token < late.highestToken
  if (late === undefined || !stale) {
    lines.push(`It wrote no list with an outdated token afterwards in this run.`)
    return lines
  }
  const woke = `When it woke up it still believed its job of period ${late.period} was running and wrote its list (token ${late.token})`
  if (late.accepted) {
    lines.push(
      `Its lease ran out meanwhile and another node took the lock. ${woke}: the storage ACCEPTED it after token ${late.highestToken}.`,
      "A stale list overwrote a newer one, and two nodes' lists landed in one period. A lease alone cannot stop a",
      "paused holder; try --fencing true.",
    )
  } else {
    lines.push(
      `Its lease ran out meanwhile and another node took the lock. ${woke}: the storage REJECTED it, token ${late.token} < ${late.highestToken}.`,
      "Fencing kept one job per period although two nodes believed they held the lock.",
    )
  }
  return lines
}

function lesson(params: HotRankingParams, result: HotRankingResult): TextSection {
  const lines: string[] = []
  if (params.pauseMs > 0) lines.push(...pauseLesson(params, result))
  if (params.crashAt < params.durationMs) {
    lines.push(
      result.crashedNode === null
        ? `At t=${formatMs(params.crashAt)} no node held the lock, so the crash hit nobody.`
        : `${result.crashedNode} held the lock and crashed at t=${formatMs(params.crashAt)}; no list came from it again.`,
    )
  }
  if (params.redisDownMs > 0) {
    const until = Math.min(params.redisDownAt + params.redisDownMs, params.durationMs)
    lines.push(
      `Redis was unreachable from t=${formatMs(params.redisDownAt)} to t=${formatMs(until)}: ${formatCount(result.jobsFailed)} job run(s) failed, and the lock`,
      "could not be renewed. Readers kept serving the last good list from their cache instead of failing.",
    )
  }
  const { staleReads, maxStalenessMs } = result.summary()
  lines.push(
    `Readers served ${formatCount(staleReads)} stale read(s); the oldest list served was ${formatMs(maxStalenessMs)} old.`,
    result.formula === "hn"
      ? "HN scores decay with age, so the job recomputes every score of the window each period; try --formula reddit."
      : "Reddit's hot score changes only with votes, so the vote counter keeps a Redis sorted set up to date and the job reads its top K.",
  )
  return { title: "Lesson", lines }
}

/**
 * The cost model, in kernel-event equivalents at {@link EVENTS_PER_SECOND} (measured in JSON mode,
 * CPU time on a loaded 2-core machine, about twice the measured cost each): every simulated second
 * costs a base (vote flushes, the lock, the job's commands) plus a share per node (readers,
 * refreshes, lock attempts): 120 s with 3 nodes took 0.64 s beyond start-up, 60 s with 9 nodes
 * 0.59 s; a vote costs 0.25 (10^6 votes on 1,000 articles took 0.38 s); each job run scores every
 * article, 0.8 per article (10^6 article-runs, 10,000 articles every 100 ms, took 1.37 s). Inside
 * the parallel test suite the JSON calibration run took 5.25 s of CPU against 4.5 estimated at
 * 300,000/s (2026-12-07); 220,000/s leaves that room.
 */
const EVENTS_PER_SECOND = 220_000
const EVENTS_PER_SIMULATED_SECOND = 1000
const EVENTS_PER_SIMULATED_SECOND_PER_NODE = 300
const EVENTS_PER_VOTE = 0.25
const EVENTS_PER_ARTICLE_RUN = 0.8
/** What a run keeps per period (its verifications and the writes with their lists), in bytes. */
const BYTES_PER_PERIOD = 4000

/** The run's cost: the steady traffic, the votes, and the per-period recomputation over the articles. */
function estimate(params: HotRankingParams): WorkEstimate {
  const seconds = params.durationMs / 1000
  const periods = params.durationMs / params.periodMs
  const events =
    seconds * (EVENTS_PER_SIMULATED_SECOND + params.nodes * EVENTS_PER_SIMULATED_SECOND_PER_NODE) +
    seconds * params.votesPerSec * EVENTS_PER_VOTE +
    periods * params.articles * EVENTS_PER_ARTICLE_RUN +
    1000
  return workEstimate({
    events,
    eventsPerSecond: EVENTS_PER_SECOND,
    simTime: params.durationMs,
    keptBytes: periods * BYTES_PER_PERIOD,
    advice: "lower --votes-per-sec, --articles or --duration-ms, or raise --period-ms",
  })
}

const hotRanking = defineSim({
  name: "hot-ranking",
  title: "Hot ranking: who computes the front page, and what do readers see when that fails?",
  header: {
    covers:
      "HN and Reddit hot formulas, incremental top-K in a Redis sorted set, one job per period on the lock holder, fencing tokens, cached readers, staleness",
    scenario:
      "3 nodes; every second the lock holder reads the votes from Redis and writes the top 10 with its fencing token; readers serve a cached copy; the holder pauses for 3.5s at t=5001ms, while its job waits for Redis",
    try: [
      "--fencing true",
      "--formula reddit",
      "--redis-down-at 4000 --redis-down-ms 3000 --pause-ms 0",
      "--crash-at 5001 --pause-ms 0",
    ],
  },
  time: TIME,
  metrics: {
    topK: {
      description:
        "the final list, best first: id, points (ups - downs), ageHours (HN, at the final job run) or createdSeconds (Reddit, Unix s), score",
      unit: "see fields",
    },
    jobRuns: { description: "job runs started, all nodes together", unit: "runs" },
    doubleRuns: {
      description: "periods in which storage accepted lists of two lock holders, the older holder's last",
      unit: "periods",
    },
    staleReads: { description: "reads that served a list older than two periods", unit: "reads" },
    maxStalenessMs: { description: "age of the oldest list a reader served", unit: "ms" },
  },
  flags,
  estimate,
  constraints,
  quiz(params) {
    return [
      `${params.nodes} nodes; every ${params.periodMs}ms the node holding the lock computes the top ${params.topK} (${params.formula}) and writes it to storage${params.fencing ? ", which checks fencing tokens" : ", which does not check tokens"}.`,
      params.pauseMs > 0
        ? `The lock holder pauses for ${params.pauseMs}ms at t=${params.pauseAt}ms${params.pauseAt % params.periodMs === 1 ? ", 1ms after its job of that period started" : ""}.`
        : "No node pauses.",
      "1. Will the paused node write its list when it wakes up? Will the storage accept it?",
      "2. How old is the oldest list a reader serves?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const sample =
      context.output === "text" ? new TraceSample(sim.trace, isRankingTimelineRecord, TIMELINE_MAX) : undefined
    const scenario = new HotRankingScenario(sim, {
      nodes: params.nodes,
      articles: params.articles,
      votesPerSecond: params.votesPerSec,
      formula: params.formula,
      gravity: params.gravity,
      topK: params.topK,
      periodMs: params.periodMs,
      fencing: params.fencing,
      durationMs: params.durationMs,
      pauseAt: params.pauseAt,
      pauseMs: params.pauseMs,
      crashAt: params.crashAt,
      redisDownAt: params.redisDownAt,
      redisDownMs: params.redisDownMs,
    })
    const result = scenario.run(context.advance)
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample),
            sections: [listsTable(result), readersTable(result), finalTable(result), lesson(params, result)],
          }
    return { ...fromSimulation(sim), metrics: result.summary(), checks: rankingChecks(result), ...text }
  },
})

export default hotRanking

await runMain(hotRanking, import.meta.url)
