/**
 * Like counter: why does read-then-write lose likes, and which fixes really hold?
 * Covers: lost updates, atomic UPDATE, upsert on a unique key, Redis HINCRBY, atomic scripts vs a
 *   client-side check, cache TTL, acknowledged deltas under faults
 * Scenario: 8 clients each view and like one article 100 times (every fifth time they also collect
 *   it); by default each like is a SELECT then an UPDATE of the value read + 1
 * Try: --strategy upsert; --strategy cache-check-then-incr; --clients 1; --unlike-ratio 0.3;
 *   --strategy atomic-update --articles 4
 */
import {
  faultPlanConstraint,
  defineSim,
  flag,
  formatCount,
  fromSimulation,
  type Params,
  faultPlanFlag,
  renderTable,
  runMain,
  type EstimateContext,
  type TextSection,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  checkNoLostCounts,
  counterNodes,
  type CounterResult,
  CounterScenario,
  counterTimelineLine,
  type LikeCounterEvent,
  STRATEGIES,
  stepKind,
  type Strategy,
} from "../src/models/counter/index.ts"
import {
  describeFaultPlanLines,
  type FaultPlan,
  type FaultPlanResult,
  NO_FAULTS,
  parseFaultPlan,
} from "../src/net/index.ts"

/** Steps of the losing interleaving shown at most. */
const TIMELINE_MAX = 16

const flags = {
  strategy: flag.choice({ description: "how a client adds a delta", choices: STRATEGIES, default: "naive" }),
  clients: flag.integer({ description: "client nodes", unit: "clients", default: 8, min: 1, max: 64 }),
  likes: flag.integer({ description: "views + likes per client", unit: "actions", default: 100, min: 1, max: 10_000 }),
  articles: flag.integer({
    description: "articles the clients spread over",
    unit: "articles",
    default: 1,
    min: 1,
    max: 1000,
  }),
  latencyMs: flag.number({
    description: "mean one-way latency, uniform within ±50%",
    unit: "ms",
    default: 5,
    min: 0,
    max: 10_000,
  }),
  cacheTtlMs: flag.number({
    description: "TTL of a cache entry filled from the database",
    unit: "ms",
    default: 100,
    greaterThan: 0,
    max: 600_000,
  }),
  unlikeRatio: flag.number({
    description: "probability that a like is followed by an unlike (delta −1)",
    unit: "probability",
    default: 0,
    min: 0,
    max: 1,
  }),
  faults: faultPlanFlag({
    description: "faults, as a JSON fault plan over db, cache, c1..cN",
    nodesText: "db, cache, and the clients c1..cN (N = --clients)",
    example: '{"faults":[{"kind":"pause","node":"db","at":200,"durationMs":1500}]}',
  }),
}

type LikeParams = Params<typeof flags>

function planOf(params: LikeParams): FaultPlanResult {
  const json = params.faults.trim()
  if (json === "" || json === "none") return { ok: true, plan: NO_FAULTS }
  return parseFaultPlan(json, { nodes: counterNodes(params.clients) })
}

const LESSONS: Record<Strategy, readonly string[]> = {
  naive: [
    "Each like read the count, added 1 in the client, and wrote the result back: two statements.",
    "Whenever another write landed between them, the later write erased it. Row locks do not help:",
    "each statement is atomic, the pair is not. Try --strategy atomic-update or --strategy upsert.",
  ],
  "atomic-update": [
    "UPDATE SET n = n + 1 is one statement: the row lock serialises concurrent increments, so none is lost.",
    "The first like of a new article finds no row: INSERT, and if another client inserted first",
    "(duplicate key), UPDATE again — three round trips where an upsert needs one (see dbRoundTrips).",
  ],
  upsert: [
    "INSERT ... ON DUPLICATE KEY UPDATE n = n + 1 creates or increments the row in one atomic statement",
    "on the unique key: nothing lost, one round trip per delta.",
  ],
  "cache-hincrby": [
    "HINCRBY is atomic on the Redis server and treats a missing field as 0: nothing lost, no database",
    "round trip. The catch: the cache is now the only copy. Give the key a TTL, or lose the cache's",
    "memory, and the counts are gone.",
  ],
  "cache-script": [
    "The database is the truth (atomic upsert); the cache is incremented only if its entry exists, by a",
    "script that runs atomically. An expired entry is not re-created: the next read recounts from the",
    "database. A recount racing an increment can leave the cache one off — until its TTL runs out.",
  ],
  "cache-check-then-incr": [
    "EXISTS, then HINCRBY, as two calls: when the entry expires between them, HINCRBY re-creates the key",
    "holding only this delta — and with no TTL, so readers see the wrong count for good. Put the check",
    "and the increment in one script: --strategy cache-script.",
  ],
}

/** What this run did: counts lost or not, and for a racy strategy that lost nothing, why. */
function runLesson(strategy: Strategy, clients: number, result: CounterResult): string[] {
  if (result.lost !== 0 || result.conflicts > 0) {
    return [
      `In this run ${formatCount(result.lost)} count(s) were lost in total; lost updates seen as they happened: ${formatCount(result.conflicts)}.`,
    ]
  }
  const racy = strategy === "naive" || strategy === "cache-check-then-incr"
  return [
    racy
      ? `In this run nothing was lost: no other write came between the two steps of any like${clients === 1 ? " (one client cannot race itself). Try more --clients." : "."}`
      : "In this run nothing was lost: every counter equals the sum of its acknowledged deltas.",
  ]
}

function countersTable(result: CounterResult): TextSection {
  const rows = result.tallies.map((t) => [
    `${t.article}`,
    t.kind,
    formatCount(t.expected),
    formatCount(t.final),
    formatCount(t.expected - t.final),
  ])
  const table = renderTable(
    [
      { header: "article" },
      { header: "counter" },
      { header: "expected", align: "right" },
      { header: "final", align: "right" },
      { header: "lost", align: "right" },
    ],
    rows,
  )
  return {
    title: "Counters (expected: the sum of acknowledged deltas)",
    lines: [
      ...table,
      `${formatCount(result.dbRoundTrips)} database round trips, ${formatCount(result.cacheRoundTrips)} cache round trips, ${formatCount(result.unacknowledged)} unacknowledged deltas`,
    ],
  }
}

/** The story of the run: the first lost update step by step, or else the first writes. */
function timelineOf(
  result: CounterResult,
  firstWrites: TraceSample<LikeCounterEvent>,
): { title: string; entries: TimelineEntry[] } {
  const conflict = result.firstConflict
  if (conflict === undefined) {
    const entries = firstWrites.records.map((record) => ({
      t: record.t,
      text: counterTimelineLine(record) ?? record.type,
    }))
    return { title: `Timeline (the first ${entries.length} writes; no update was lost as it happened)`, entries }
  }
  const entries = [...conflict.steps, conflict.lost].map((record) => ({
    t: record.t,
    text: counterTimelineLine(record) ?? record.type,
  }))
  const shown =
    conflict.steps.length < conflict.totalSteps ? `, ${conflict.steps.length} of its ${conflict.totalSteps} steps` : ""
  return {
    title: `Timeline: the first lost update, step by step (article ${conflict.article}, ${conflict.kind}${shown})`,
    entries,
  }
}

/** A write on a counter (a statement or cache command that changes one kind). */
function isWrite(record: Traced): record is Traced<LikeCounterEvent> {
  const kind = stepKind(record as Traced<LikeCounterEvent>)
  return kind !== undefined && kind !== null
}

/**
 * Events per second of a like-counter run, measured on 2026-12-07 (64 clients × 500 likes, 1,118,110
 * events, about 1.1 s of start-up): text 6.4 s of CPU, about 210,000/s; JSON 10.0 s, about
 * 126,000/s (the trace hash serialises every record). 180,000/s and 110,000/s leave room.
 */
const EVENTS_PER_SECOND = { text: 180_000, json: 110_000 }
/** Events per view-and-like of one client, measured: 35 (1,118,110 / 32,000); 40 leaves room. */
const EVENTS_PER_LIKE = 40
/**
 * Bytes kept per like, measured on 2026-12-07 by peak RSS (/usr/bin/time -v, --json): 277 MB for
 * 64 × 500 likes, 321 MB for 64 × 2,000, so about 460 B per like (it was ~4,300 B, and 760 MB for
 * 64 × 2,000, while every delta and every server step was kept). What still grows is the database's
 * table of answers by call id: a duplicated request must get the first answer, however late. With
 * the cache on the shared Redis (measured 2026-12-07, loaded machine, same runs side by side): peak
 * 368 MB for 64 × 2,000 naive (380 MB before) and 299 MB with cache-script (338 MB before); the
 * Redis service keeps only its last 10,000 replies.
 */
const BYTES_PER_LIKE = 600
/** Simulated time per like of one client, in one-way latencies (a like is about a dozen messages). */
const LATENCIES_PER_LIKE = 12

function estimate(params: LikeParams, { output }: EstimateContext): WorkEstimate {
  const likes = params.clients * params.likes
  return workEstimate({
    events: EVENTS_PER_LIKE * likes,
    eventsPerSecond: EVENTS_PER_SECOND[output],
    keptBytes: BYTES_PER_LIKE * likes,
    simTime: params.likes * LATENCIES_PER_LIKE * params.latencyMs,
    advice: "lower --clients or --likes",
  })
}

const likeCounter = defineSim({
  name: "like-counter",
  title: "Like counter: why does read-then-write lose likes, and which fixes really hold?",
  header: {
    covers:
      "lost updates, atomic UPDATE, upsert on a unique key, Redis HINCRBY, atomic scripts vs a client-side check, cache TTL, acknowledged deltas under faults",
    scenario:
      "8 clients each view and like one article 100 times (every fifth time they also collect it); by default each like is a SELECT then an UPDATE of the value read + 1",
    try: [
      "--strategy upsert",
      "--strategy cache-check-then-incr",
      "--clients 1",
      "--unlike-ratio 0.3",
      "--strategy atomic-update --articles 4",
    ],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    expected: { description: "sum of the acknowledged deltas over every counter", unit: "likes" },
    final: { description: "sum of the counters at the end", unit: "likes" },
    lost: { description: "expected − final", unit: "likes" },
    dbRoundTrips: { description: "requests to the database", unit: "round trips" },
    cacheRoundTrips: { description: "requests to the cache", unit: "round trips" },
    unacknowledged: { description: "deltas whose request got no answer", unit: "deltas" },
    conflicts: {
      description: "lost updates seen as they happened (naive overwrites, keys re-created by HINCRBY)",
      unit: "updates",
    },
    counters: { description: "per counter: expected, final, lost", unit: "likes" },
  },
  flags,
  estimate,
  // The --faults plan must name only db, cache and existing clients.
  constraints: [faultPlanConstraint(["faults", "clients"], planOf)],
  quiz(params) {
    return [
      `${params.clients} clients each view and like ${params.articles === 1 ? "one article" : `${params.articles} articles in turn`} ${params.likes} times, with the ${params.strategy} strategy.`,
      `1. How many likes will the count show at the end, out of ${params.clients * params.likes}${params.unlikeRatio > 0 ? " minus the unlikes" : ""}?`,
      "2. Which counters can lose updates: read, like, collect?",
    ].join("\n")
  },
  run(params, context) {
    const planResult = planOf(params)
    if (!planResult.ok) throw new Error(`the constraints let an invalid plan through: ${planResult.error}`)
    const plan: FaultPlan = planResult.plan
    const sim = context.simulation()
    const scenario = new CounterScenario(sim, {
      strategy: params.strategy,
      clients: params.clients,
      likes: params.likes,
      articles: params.articles,
      latencyMs: params.latencyMs,
      cacheTtlMs: params.cacheTtlMs,
      unlikeProbability: params.unlikeRatio,
      plan,
      conflictSteps: TIMELINE_MAX,
    })
    const firstWrites = context.output === "text" ? new TraceSample(sim.trace, isWrite, TIMELINE_MAX) : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    if (plan.faults.length > 0) sections.push({ title: "Fault plan", lines: describeFaultPlanLines(plan) })
    const lesson = [
      ...runLesson(params.strategy, params.clients, result),
      "How the strategy works, in general:",
      ...LESSONS[params.strategy].map((line) => `  ${line}`),
    ]
    sections.push(countersTable(result), { title: "Lesson", lines: lesson })
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkNoLostCounts(result)],
      ...(firstWrites === undefined ? {} : { timeline: timelineOf(result, firstWrites) }),
      sections,
    }
  },
})

export default likeCounter

await runMain(likeCounter, import.meta.url)
