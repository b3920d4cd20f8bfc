/**
 * Concurrent map: eight ways to share a Go map. Which lose writes, and what does safety cost?
 * Covers: data races and lost updates, check-then-act, sync.Mutex, sync.RWMutex, copy-on-write
 *   behind atomic.Value, compare-and-swap retry loops, sharding, sync.Map, exploring every
 *   interleaving
 * Scenario: 4 readers and 2 writers (half reads, half increments) on 64 keys for 2 ms against each
 *   of the eight strategies, with the same requests for all; costs: a read 0.1 us, a write 0.2 us,
 *   a copy 0.01 us per entry, a lock hand-off 1 us, 0.5 us of other work between operations. --seed
 *   draws the requests
 * Try: --explore; --read-fraction 1 --readers 8; --keys 4; --strategy racy,mutex --writers 6
 */
import {
  defineSim,
  flag,
  formatCount,
  formatNumber,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  workEstimate,
} from "../src/cli/index.ts"
import { explore } from "../src/check/explore.ts"
import { type Chooser, Simulation, TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  ConcurrentMapScenario,
  goroutineNames,
  type StrategyOutcome,
  summarizeStrategy,
} from "../src/models/go/concurrent-map.ts"
import { type MapCaseRun, runMapCase } from "../src/models/go/concurrent-map-case.ts"
import { checkNoLostWrites } from "../src/models/go/concurrent-map-checks.ts"
import type { ConcurrentMapEvent } from "../src/models/go/concurrent-map-events.ts"
import {
  MAP_STRATEGIES,
  type MapStrategyName,
  UNSAFE_MAP_STRATEGIES,
} from "../src/models/go/concurrent-map-strategies.ts"
import { concurrentMapTimelineLine } from "../src/models/go/concurrent-map-timeline.ts"

/** Most schedules `--explore` may need per strategy, by the estimate below. */
const EXPLORE_LIMIT = 5_000
/** Most schedules run per strategy: the compare-and-swap strategies' retries add schedules beyond the estimate. */
const EXPLORE_CUT = 20_000
/** Timeline lines shown. */
const TIMELINE_MAX = 30

/** The timeline shows what happens inside operations, not each operation's return. */
function isTimelineRecord(record: Traced): boolean {
  return record.type !== "MapReadReturned" && record.type !== "IncrementReturned"
}

/** The strategies of a `--strategy` value: `all`, or a comma list of names. */
function strategiesOf(text: string): MapStrategyName[] {
  if (text === "all") return [...MAP_STRATEGIES]
  return text.split(",").map((name) => name.trim()) as MapStrategyName[]
}

function checkStrategies(text: string): string | undefined {
  const names = text === "all" ? [] : text.split(",").map((name) => name.trim())
  const unknown = names.filter((name) => !(MAP_STRATEGIES as readonly string[]).includes(name))
  if (unknown.length > 0)
    return `unknown strategy ${unknown.map((name) => JSON.stringify(name)).join(", ")}; give all or a comma list of ${MAP_STRATEGIES.join(", ")}`
  if (new Set(names).size !== names.length) return "a strategy is listed twice"
  return undefined
}

/** C(n, k) as a number (Infinity when it does not fit in a double). */
function binomial(n: number, k: number): number {
  let result = 1
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i
  return Math.round(result)
}

/**
 * Schedules of the explored case, estimated: the interleavings of the writers' steps, each
 * goroutine taking 2 steps per increment (the read, the write) plus its start:
 * (w·s)! / (s!)^w, computed as the product of C(k·s, s) for k = 1..w. Exact for racy; locks cut
 * it (a parked goroutine has no steps), failed compare-and-swaps and lock hand-offs add to it.
 */
function estimatedSchedules(writers: number, increments: number): number {
  const steps = 2 * increments + 1
  let product = 1
  for (let k = 1; k <= writers; k++) product *= binomial(k * steps, steps)
  return product
}

const flags = {
  strategy: flag.string({
    description: `the strategies to compare: all, or a comma list of ${MAP_STRATEGIES.join(", ")}`,
    default: "all",
    allowed: `all or a comma list of ${MAP_STRATEGIES.join(", ")}`,
    check: checkStrategies,
  }),
  readers: flag.integer({ description: "goroutines that only read", unit: "goroutines", default: 4, min: 0, max: 64 }),
  writers: flag.integer({
    description: "goroutines that increment (and read, see --read-fraction)",
    unit: "goroutines",
    default: 2,
    min: 1,
    max: 64,
  }),
  readFraction: flag.number({
    description: "the chance that a writer's operation is a read",
    unit: "fraction",
    default: 0.5,
    min: 0,
    max: 1,
  }),
  keys: flag.integer({
    description: "distinct keys, drawn uniformly",
    unit: "keys",
    default: 64,
    min: 1,
    max: 100_000,
  }),
  shards: flag.integer({
    description: "shards of the sharded strategy",
    unit: "shards",
    default: 8,
    min: 1,
    max: 1024,
  }),
  durationMs: flag.number({
    description: "how long goroutines start new operations",
    unit: "ms",
    default: 2,
    greaterThan: 0,
    max: 1_000,
  }),
  explore: flag.boolean({
    description:
      "also run every interleaving of a small case: --writers goroutines each incrementing one key --explore-increments times",
    default: false,
  }),
  exploreIncrements: flag.integer({
    description: "increments per writer in the explored case",
    unit: "increments",
    default: 2,
    min: 1,
    max: 10,
  }),
}

type MapParams = Params<typeof flags>

/** What exploring one strategy found. */
interface Explored {
  readonly strategy: MapStrategyName
  readonly schedules: number
  readonly losing: number
  readonly complete: boolean
  /** The losing run with the fewest steps (the first found, depth first, among equals). */
  readonly smallest: MapCaseRun | undefined
}

function exploreStrategy(strategy: MapStrategyName, params: MapParams): Explored {
  let losing = 0
  let smallest: MapCaseRun | undefined
  const report = explore(
    (chooser: Chooser) => {
      const sim = new Simulation({ chooser, trace: { hash: false } })
      const run = runMapCase(sim, { strategy, writers: params.writers, increments: params.exploreIncrements })
      if (run.lost > 0) {
        losing++
        if (smallest === undefined || run.steps.length < smallest.steps.length) smallest = run
      }
      return { stateKey: String(run.final), ...(run.lost > 0 ? { violation: "lost" } : {}) }
    },
    { maxSchedules: EXPLORE_CUT },
  )
  return { strategy, schedules: report.schedules, losing, complete: report.complete, smallest }
}

/** The steps of a run as goroutine lanes: one row per step, a column per goroutine. */
function lanes(run: MapCaseRun, writers: number): string[] {
  const names = goroutineNames(0, writers)
  const rows = run.steps.map((step, i) => [
    String(i + 1),
    ...names.map((name) => (name === step.goroutine ? step.text : "")),
  ])
  return renderTable([{ header: "step", align: "right" }, ...names.map((header) => ({ header }))], rows)
}

const RIGHT = "right" as const

function comparisonTable(outcomes: readonly StrategyOutcome[]): TextSection {
  const rows = outcomes.map((outcome) => {
    const s = summarizeStrategy(outcome)
    return [
      outcome.strategy,
      formatCount(s.throughput),
      formatNumber(s.readP99Us, 2),
      formatNumber(s.writeP99Us, 2),
      formatCount(s.casRetries),
      formatCount(s.bytesCopied),
      `${formatCount(s.lostWrites)} of ${formatCount(outcome.increments)}`,
    ]
  })
  const columns = [
    { header: "strategy" },
    { header: "ops/s", align: RIGHT },
    { header: "read p99 us", align: RIGHT },
    { header: "write p99 us", align: RIGHT },
    { header: "CAS retries", align: RIGHT },
    { header: "bytes copied", align: RIGHT },
    { header: "lost increments", align: RIGHT },
  ]
  return { title: "The same requests against each strategy", lines: renderTable(columns, rows) }
}

function exploredTable(explored: readonly Explored[], params: MapParams): TextSection {
  const rows = explored.map((e) => [
    e.strategy,
    `${formatCount(e.schedules)}${e.complete ? "" : " (cut)"}`,
    formatCount(e.losing),
  ])
  const columns = [
    { header: "strategy" },
    { header: "schedules", align: RIGHT },
    { header: "losing writes", align: RIGHT },
  ]
  return {
    title: `Every interleaving: ${params.writers} writers each incrementing k0 ${params.exploreIncrements} time(s)`,
    lines: renderTable(columns, rows),
  }
}

/** Why each strategy that can lose increments does. */
const HOW_LOST: Partial<Record<MapStrategyName, string>> = {
  racy: "two goroutines read the same count of a key, both wrote the next number, and one increment vanished without an error",
  "check-then-act":
    "each Get and each Put held the mutex, but the pair did not: another increment of the key ran between them",
}

function unsafeSentences(outcomes: readonly StrategyOutcome[]): string[] {
  const unsafe = outcomes.filter((outcome) => UNSAFE_MAP_STRATEGIES.includes(outcome.strategy))
  return unsafe.map((outcome) => {
    const { strategy, increments } = outcome
    const lost = summarizeStrategy(outcome).lostWrites
    if (increments === 0)
      return `No goroutine incremented (every operation was a read), so even ${strategy} lost nothing: a race needs a write.`
    if (lost > 0)
      return `${strategy} lost ${formatCount(lost)} of its ${formatCount(increments)} increments: ${HOW_LOST[strategy]}.`
    return `${strategy} lost no increment in this run: the race needs two increments of one key to overlap, and none did here; that makes it lucky, not safe (--explore finds the interleavings that lose).`
  })
}

function safeSentence(outcomes: readonly StrategyOutcome[]): string | undefined {
  const safe = outcomes.filter((outcome) => !UNSAFE_MAP_STRATEGIES.includes(outcome.strategy))
  if (safe.length === 0) return undefined
  const summaries = safe.map((outcome) => ({ outcome, s: summarizeStrategy(outcome) }))
  const losing = summaries.filter(({ s }) => s.lostWrites > 0)
  if (losing.length > 0) return `${losing.map(({ outcome }) => outcome.strategy).join(", ")} lost increments too.`
  if (safe.length === 1) return `${safe[0]!.strategy} lost none (${formatCount(summaries[0]!.s.throughput)} ops/s).`
  const throughputs = summaries.map(({ s }) => s.throughput)
  const named = (value: number) =>
    summaries
      .filter(({ s }) => s.throughput === value)
      .map(({ outcome }) => outcome.strategy)
      .join(", ")
  const [fastest, slowest] = [Math.max(...throughputs), Math.min(...throughputs)]
  return `None of the ${safe.length} strategies whose increment is atomic lost one. The fastest: ${named(fastest)} at ${formatCount(fastest)} ops/s; the slowest: ${named(slowest)} at ${formatCount(slowest)} ops/s.`
}

function copySentence(outcomes: readonly StrategyOutcome[]): string | undefined {
  const cow = outcomes.filter((outcome) => outcome.strategy.startsWith("cow-") && outcome.increments > 0)
  if (cow.length === 0) return undefined
  const parts = cow.map((outcome) => {
    const s = summarizeStrategy(outcome)
    const retries = outcome.strategy === "cow-cas" ? ` and retried ${formatCount(s.casRetries)} times` : ""
    return `${outcome.strategy} copied ${formatCount(s.bytesCopied)} bytes${retries} for ${formatCount(outcome.increments)} increments (read p99 ${formatNumber(s.readP99Us, 2)} us)`
  })
  return `Copy-on-write readers never wait for a lock, but every increment copies the whole map: ${parts.join("; ")}.`
}

function exploreSentence(explored: readonly Explored[]): string | undefined {
  if (explored.length === 0) return undefined
  const losing = explored.filter((e) => e.losing > 0)
  const safe = explored.filter((e) => e.losing === 0)
  const lose = losing.map(
    (e) => `${e.strategy} loses an increment in ${formatCount(e.losing)} of ${formatCount(e.schedules)}`,
  )
  const keep = safe.map(
    (e) => `${e.strategy} in none of ${formatCount(e.schedules)}${e.complete ? "" : " (cut short: more exist)"}`,
  )
  return `Every interleaving of the small case: ${[...lose, ...keep].join("; ")}.`
}

function lesson(outcomes: readonly StrategyOutcome[], explored: readonly Explored[]): TextSection {
  const lines = [
    ...unsafeSentences(outcomes),
    safeSentence(outcomes),
    copySentence(outcomes),
    exploreSentence(explored),
  ]
  return { title: "Lesson", lines: lines.filter((line): line is string => line !== undefined) }
}

/** The explored counts and the smallest losing schedule, for the JSON metrics. */
function exploredMetrics(explored: readonly Explored[]) {
  const byStrategy: Record<string, { schedules: number; losing: number; complete: boolean }> = {}
  for (const e of explored) byStrategy[e.strategy] = { schedules: e.schedules, losing: e.losing, complete: e.complete }
  const first = explored.find((e) => e.smallest !== undefined)
  const smallestLosingSchedule =
    first === undefined
      ? null
      : { strategy: first.strategy, steps: first.smallest!.steps.map((step) => `${step.goroutine} ${step.text}`) }
  return { explored: byStrategy, smallestLosingSchedule }
}

const FIELDS =
  "throughput (operations/s), readP99Us and writeP99Us (us), casRetries, bytesCopied (bytes), lostWrites (increments)"

const strategyMetrics = Object.fromEntries(
  MAP_STRATEGIES.map((strategy) => [
    strategy,
    { description: `with several strategies, ${strategy}'s fields: ${FIELDS}`, unit: "see fields" },
  ]),
)

/**
 * Events of the timed run, about, not fewer: 7 per goroutine and simulated µs. An operation sleeps
 * at least twice (its cost, 100 ns or more, and 500 ns of other work), about 3.3 events per µs;
 * a compare-and-swap loop that keeps failing sleeps twice per 300 ns, 6.7 per µs. Measured: the
 * bare run (7 strategies, 6 goroutines, 2 ms) processes 204,004 events, about 200,000 per second
 * of CPU with the trace hashed.
 */
function timedEvents(params: MapParams, strategies: number): number {
  const goroutines = params.readers + params.writers
  return strategies * goroutines * params.durationMs * 1000 * 7
}

/**
 * Schedules `--explore` runs, about, not fewer: the estimate for the strategies without retries;
 * twenty times it (at most {@link EXPLORE_CUT}) for cow-cas and syncmap, whose failed
 * compare-and-swaps add steps, and check-then-act, whose lock hand-offs between Get and Put do
 * (measured: 1,104, 642 and 1,032 for 2 writers × 2 increments, where the estimate is 252; 15,630,
 * 1,512 and 21,288 for 3 writers × 1, estimate 1,680).
 */
function exploredSchedules(params: MapParams, strategies: readonly MapStrategyName[]): number {
  if (!params.explore) return 0
  const estimate = estimatedSchedules(params.writers, params.exploreIncrements)
  const extra = (strategy: MapStrategyName) => ["cow-cas", "syncmap", "check-then-act"].includes(strategy)
  return strategies.reduce((sum, s) => sum + (extra(s) ? Math.min(EXPLORE_CUT, 20 * estimate) : estimate), 0)
}

function exploreAll(params: MapParams, strategies: readonly MapStrategyName[]): Explored[] {
  return params.explore ? strategies.map((strategy) => exploreStrategy(strategy, params)) : []
}

function textSections(params: MapParams, outcomes: readonly StrategyOutcome[], explored: readonly Explored[]) {
  const sections: TextSection[] = [comparisonTable(outcomes)]
  if (explored.length > 0) sections.push(exploredTable(explored, params))
  const first = explored.find((e) => e.smallest !== undefined)
  if (first !== undefined)
    sections.push({
      title: `The smallest interleaving that loses an increment (${first.strategy}), as goroutine lanes`,
      lines: [
        ...lanes(first.smallest!, params.writers),
        `${formatCount(first.smallest!.returned)} increments returned; k0 ends at ${first.smallest!.final}.`,
      ],
    })
  sections.push(lesson(outcomes, explored))
  return sections
}

const concurrentMap = defineSim({
  name: "concurrent-map",
  title: "Concurrent map: eight ways to share a Go map. Which lose writes, and what does safety cost?",
  header: {
    covers:
      "data races and lost updates, check-then-act, sync.Mutex, sync.RWMutex, copy-on-write behind atomic.Value, compare-and-swap retry loops, sharding, sync.Map, exploring every interleaving",
    scenario:
      "4 readers and 2 writers (half reads, half increments) on 64 keys for 2 ms against each of the eight strategies, with the same requests for all; costs: a read 0.1 us, a write 0.2 us, a copy 0.01 us per entry, a lock hand-off 1 us, 0.5 us of other work between operations. --seed draws the requests",
    try: ["--explore", "--read-fraction 1 --readers 8", "--keys 4", "--strategy racy,mutex --writers 6"],
  },
  time: { unit: "ns", decimals: 0 },
  metrics: {
    throughput: { description: "operations (reads and increments) per second of simulated time", unit: "operations/s" },
    readP99Us: { description: "99th percentile of a read's latency", unit: "µs" },
    writeP99Us: { description: "99th percentile of an increment's latency", unit: "µs" },
    casRetries: { description: "compare-and-swap attempts that failed and started over", unit: "retries" },
    bytesCopied: { description: "bytes of map entries copied (16 per entry)", unit: "bytes" },
    lostWrites: {
      description: "increments that returned but are missing from the final map",
      unit: "increments",
    },
    ...strategyMetrics,
    explored: {
      description:
        "with --explore, per strategy: schedules (interleavings run), losing (those that lost an increment), complete (false when cut)",
      unit: "see fields",
    },
    smallestLosingSchedule: {
      description: "with --explore, the losing interleaving with the fewest steps: { strategy, steps }, or null",
      unit: "see fields",
    },
  },
  flags,
  refuse(params) {
    if (!params.explore) return undefined
    const estimate = estimatedSchedules(params.writers, params.exploreIncrements)
    if (estimate <= EXPLORE_LIMIT) return undefined
    return `--explore with --writers ${params.writers} and --explore-increments ${params.exploreIncrements} has about ${Number.isFinite(estimate) ? formatCount(estimate) : "more than 10^308"} interleavings per strategy ((writers × (2 × increments + 1))! / ((2 × increments + 1)!)^writers), and at most ${formatCount(EXPLORE_LIMIT)} can be enumerated: 2 writers take --explore-increments 3 at most (3,432), 3 writers 1 (1,680)`
  },
  estimate(params) {
    const strategies = strategiesOf(params.strategy)
    return workEstimate({
      // A schedule builds and runs a small simulation: about 60 events' worth (3,400 schedules/s of cow-cas).
      events: timedEvents(params, strategies.length) + exploredSchedules(params, strategies) * 60,
      eventsPerSecond: 150_000,
      simTime: params.durationMs * 1_000_000,
      advice: "lower --duration-ms, --readers or --writers, or compare fewer strategies",
    })
  },
  quiz(params) {
    return [
      `${params.readers} readers and ${params.writers} writers share a map of ${params.keys} keys under ${params.strategy === "all" ? "each of the eight strategies" : params.strategy}.`,
      "1. Which strategies lose increments?",
      "2. Which is fastest, and what does copy-on-write cost?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const shown = context.output === "text" ? new TraceSample(sim.trace, isTimelineRecord, TIMELINE_MAX) : undefined
    const strategies = strategiesOf(params.strategy)
    const result = new ConcurrentMapScenario(sim, {
      strategies,
      readers: params.readers,
      writers: params.writers,
      readFraction: params.readFraction,
      keys: params.keys,
      shards: params.shards,
      durationNs: params.durationMs * 1_000_000,
    }).run(context.advance)
    const explored = exploreAll(params, strategies)
    const report = {
      ...fromSimulation(sim),
      metrics: { ...result.summary(), ...(params.explore ? exploredMetrics(explored) : {}) },
      checks: [checkNoLostWrites(result.outcomes, explored)],
    }
    if (shown === undefined) return report
    const entries = shown.records.map((record) => ({
      t: record.t,
      text: concurrentMapTimelineLine(record as Traced<ConcurrentMapEvent>),
    }))
    const title =
      shown.total > TIMELINE_MAX
        ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(shown.total)} events)`
        : "Timeline"
    return { ...report, timeline: { title, entries }, sections: textSections(params, result.outcomes, explored) }
  },
})

export default concurrentMap

await runMain(concurrentMap, import.meta.url)
