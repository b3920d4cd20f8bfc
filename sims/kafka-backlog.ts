/**
 * Kafka backlog: records arrive faster than they are processed; which remedy works, at what price?
 * Covers: consumer lag, throughput, end-to-end latency, drain time; more consumers, a worker pool
 *   per consumer and its commit rule, batch consumption
 * Scenario: 3 brokers; topic t0 with 6 partitions; 400 records/s for 30 s; consumers c0..c2, each
 *   record 2 ms of work + 8 ms for its own write: 300 records/s in all
 * Try: --remedy scale; --remedy async; --remedy batch; --remedy async --commit-rule max --crash-at
 *   7000; --remedy async --crash-at 7000; --remedy scale --scale-to 8
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
  sparkline,
  type TextSection,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  type BacklogResult,
  BacklogScenario,
  type BacklogScenarioOptions,
  type BacklogSummary,
  GROUP_STORY_EVENTS,
  type GroupEvent,
  groupTimelineLine,
  prometheusText,
} from "../src/models/kafka/group/index.ts"
import type { RunView } from "../src/view/index.ts"
import { isFaultEvent, isNetEvent, type NetEvent } from "../src/net/index.ts"

/** Timeline lines shown at most. */
const TIMELINE_MAX = 30
const TIME = { unit: "ms", decimals: 1 } as const
/** How long c0 stays down after --crash-at before it restarts. */
const RESTART_AFTER_MS = 1000
/** Lag sampling period (one scrape). */
const LAG_INTERVAL_MS = 1000

/** `--crash-at`: a time in ms, or `none`. */
function parseCrashAt(text: string): number | null | string {
  if (text.trim() === "none") return null
  const value = Number(text)
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) return "a time in ms >= 0 (e.g. 7000), or none"
  return value
}

const flags = {
  remedy: flag.choice({
    description:
      "none; scale: --scale-to consumers; async: a pool of --workers per consumer; batch: batches of --batch-size",
    choices: ["none", "scale", "async", "batch"],
    default: "none",
  }),
  partitions: flag.integer({ description: "partitions of topic t0", unit: "partitions", default: 6, min: 1, max: 24 }),
  consumers: flag.integer({
    description: "consumers c0..c<n-1> (all remedies but scale)",
    unit: "consumers",
    default: 3,
    min: 1,
    max: 12,
  }),
  scaleTo: flag.integer({
    description: "consumers with --remedy scale (more than --consumers; beyond --partitions they sit idle)",
    unit: "consumers",
    default: 6,
    min: 2,
    max: 12,
  }),
  workers: flag.integer({
    description: "worker pool of each consumer with --remedy async",
    unit: "workers",
    default: 4,
    min: 2,
    max: 64,
  }),
  commitRule: flag.choice({
    description:
      "with --remedy async, what a worker commits after each record: contiguous (lowest unfinished offset) or max (highest finished + 1, loses records on a crash)",
    choices: ["contiguous", "max"],
    default: "contiguous",
  }),
  batchSize: flag.integer({
    description: "records per batch with --remedy batch (one write per batch)",
    unit: "records",
    default: 100,
    min: 1,
    max: 10_000,
  }),
  batchTimeoutMs: flag.number({
    description: "with --remedy batch, how long a batch waits to fill",
    unit: "ms",
    default: 500,
    greaterThan: 0,
    max: 60_000,
  }),
  batchCostMs: flag.number({
    description:
      "one write to the downstream store (a DB commit), paid once per batch; without --remedy batch every record pays it",
    unit: "ms",
    default: 8,
    min: 0,
    max: 60_000,
  }),
  processingMs: flag.number({
    description: "mean work of one record, besides its write",
    unit: "ms",
    default: 2,
    min: 0,
    max: 60_000,
  }),
  processingDistribution: flag.choice({
    description:
      "each record's cost (its work, plus its write when alone) around its mean: exponential (a pool finishes records out of order) or fixed (in order)",
    choices: ["exponential", "fixed"],
    default: "exponential",
  }),
  rate: flag.number({
    description: "records produced per second",
    unit: "records/s",
    default: 400,
    greaterThan: 0,
    max: 20_000,
  }),
  durationMs: flag.number({
    description: "how long records arrive; the run ends then",
    unit: "ms",
    default: 30_000,
    greaterThan: 0,
    max: 600_000,
  }),
  crashAt: flag.string({
    description: `c0 crashes silently then and restarts ${RESTART_AFTER_MS} ms later (a static member: no rebalance), resuming from the committed offsets`,
    unit: "ms",
    default: "none",
    allowed: "a time in ms >= 0, or none",
    check: (value) => {
      const parsed = parseCrashAt(value)
      return typeof parsed === "string" ? parsed : undefined
    },
  }),
}

type BacklogParams = Params<typeof flags>

const crashAtOf = (params: BacklogParams): number | null => parseCrashAt(params.crashAt) as number | null

const scaleConstraint: Constraint<BacklogParams> = {
  params: ["remedy", "scaleTo", "consumers"],
  holds: (params) => params.remedy !== "scale" || params.scaleTo > params.consumers,
  message: "--remedy scale adds consumers; allowed: --scale-to above --consumers",
}

const crashConstraint: Constraint<BacklogParams> = {
  params: ["crashAt", "durationMs"],
  holds: (params) => (crashAtOf(params) ?? 0) < params.durationMs,
  message: "the crash must happen during the run; allowed: --crash-at below --duration-ms (or none)",
}

const batchCostConstraint: Constraint<BacklogParams> = {
  params: ["processingMs", "batchCostMs"],
  holds: (params) => params.processingMs + params.batchCostMs > 0,
  message: "a record must cost something; allowed: --processing-ms or --batch-cost-ms above 0",
}

/** The scenario's options for these params: the remedy decides consumers, pool and batches. */
export function scenarioOptions(params: BacklogParams): BacklogScenarioOptions {
  return {
    partitions: params.partitions,
    consumers: params.remedy === "scale" ? params.scaleTo : params.consumers,
    ratePerSecond: params.rate,
    durationMs: params.durationMs,
    processingMs: params.processingMs,
    processingDistribution: params.processingDistribution,
    batchCostMs: params.batchCostMs,
    ...(params.remedy === "async" ? { workers: params.workers, commitRule: params.commitRule } : {}),
    ...(params.remedy === "batch" ? { batchSize: params.batchSize, batchTimeoutMs: params.batchTimeoutMs } : {}),
    crashAtMs: crashAtOf(params),
    restartAfterMs: RESTART_AFTER_MS,
    lagIntervalMs: LAG_INTERVAL_MS,
  }
}

function isShown(record: Traced): record is Traced<GroupEvent | NetEvent> {
  if (isNetEvent(record)) return isFaultEvent(record)
  return GROUP_STORY_EVENTS.has(record.type) && groupTimelineLine(record as Traced<GroupEvent>) !== undefined
}

function timelineOf(sample: TraceSample<GroupEvent | NetEvent>) {
  const entries = sample.records.map((record) => ({ t: record.t, text: groupTimelineLine(record) ?? "" }))
  const title =
    sample.total > TIMELINE_MAX ? `Timeline (the first ${TIMELINE_MAX} of ${sample.total} events)` : "Timeline"
  return { title, entries }
}

/** The lag chart: one column per scrape, on a scale from 0 to the largest lag. */
function lagSection(result: BacklogResult, summary: BacklogSummary): TextSection {
  const totals = result.lagTotals.map((v) => (v === null ? NaN : v))
  const first = result.lagTotals.findIndex((v) => v !== null)
  const peakAt = result.lag[result.lagTotals.indexOf(summary.maxLag)]?.t ?? 0
  const last = result.lag[result.lag.length - 1]!
  return {
    title: "Lag over time (kafka_consumergroup_lag summed over partitions)",
    lines: [
      `${formatCount(summary.maxLag)} |${sparkline(totals, { min: 0, max: Math.max(1, summary.maxLag) })}`,
      `${" ".repeat(formatCount(summary.maxLag).length)}  one column per scrape, every ${formatMs(LAG_INTERVAL_MS)} from 0 to ${formatMs(last.t)}` +
        (first > 0
          ? `; blank before the group's first commit (the first scrape after it: ${formatMs(result.lag[first]!.t)})`
          : ""),
      `Largest ${formatCount(summary.maxLag)} at t=${formatMs(peakAt)}; at the end ${formatCount(summary.finalLag)}.`,
      "The last scrape:",
      ...prometheusText(last.points)
        .trimEnd()
        .split("\n")
        .filter((line) => !line.startsWith("#"))
        .map((line) => `  ${line}`),
    ],
  }
}

/** The `--html` report's chart: the lag at every scrape (none before the group's first commit). */
function lagChart(result: BacklogResult): RunView {
  const points = result.lag.flatMap((scrape, i) => {
    const total = result.lagTotals[i]
    return total === null || total === undefined ? [] : [[scrape.t, total] as const]
  })
  const line = { name: "lag (summed over partitions)", points }
  return { series: [{ title: "Consumer-group lag at each scrape", yName: "records", lines: [line], step: false }] }
}

function consumerTable(result: BacklogResult): TextSection {
  const columns = [
    { header: "consumer" },
    { header: "partitions" },
    { header: "lag", align: "right" as const },
    { header: "capacity/s", align: "right" as const },
    { header: "arriving/s", align: "right" as const },
    { header: "drains in", align: "right" as const },
  ]
  const rows = result.drain.map((d) => [
    d.consumer,
    d.partitions.join(","),
    formatCount(d.lag),
    formatNumber(d.capacityPerSecond, 1),
    formatNumber(d.arrivalPerSecond, 1),
    d.drainMs === null ? "never" : formatMs(d.drainMs),
  ])
  for (const name of result.idle) rows.push([name, "-", "-", "-", "-", "idle"])
  return { title: "Consumers at the end", lines: renderTable(columns, rows) }
}

function numbersSection(result: BacklogResult, summary: BacklogSummary): TextSection {
  const latency = (ms: number | null) => (ms === null ? "n/a" : formatMs(ms))
  return {
    title: "Numbers",
    lines: [
      `Throughput: ${formatNumber(summary.throughput, 1)} records/s processed (${formatCount(result.loss.processed)} of ${formatCount(result.loss.acknowledged)} acknowledged).`,
      `End-to-end latency, produced to processed: p50 ${latency(summary.latencyP50Ms)}, p99 ${latency(summary.latencyP99Ms)}.`,
      summary.drainMs === null
        ? "Drain time: never drains (on some consumer, records arrive at least as fast as it processes them)."
        : `Drain time: ${formatMs(summary.drainMs)} (lag / (capacity − arrivals), the slowest consumer).`,
      `Lost: ${formatCount(summary.lost)}; processed twice: ${formatCount(summary.duplicates)}.`,
    ],
  }
}

/** What each remedy did, from the run's numbers. */
function remedyLines(params: BacklogParams, result: BacklogResult): string[] {
  const capacity = result.drain[0]?.capacityPerSecond ?? 0
  const owners = result.drain.length
  const lines: string[] = []
  if (params.remedy === "batch") {
    const batchMs = params.batchCostMs + params.batchSize * params.processingMs
    lines.push(
      `Batches: a full batch of ${formatCount(params.batchSize)} costs ${formatMs(params.batchCostMs)} + ${formatCount(params.batchSize)} × ${formatMs(params.processingMs)} = ${formatMs(batchMs)},` +
        ` one write instead of ${formatCount(params.batchSize)}: ${formatNumber(capacity, 1)} records/s per consumer while batches fill.`,
    )
  } else {
    const per = params.processingMs + params.batchCostMs
    const pool = params.remedy === "async" ? `${params.workers} workers, ` : ""
    lines.push(
      `Each record costs ${formatMs(per)} on average (work ${formatMs(params.processingMs)} + its own write ${formatMs(params.batchCostMs)}): ` +
        `${pool}${formatNumber(capacity, 1)} records/s per consumer.`,
    )
  }
  lines.push(
    `${owners} consumer(s) own partitions: ${formatNumber(capacity * owners, 1)} records/s in all, against ${formatNumber(params.rate, 1)} arriving.`,
  )
  if (result.idle.length > 0)
    lines.push(
      `${result.idle.join(", ")} own no partition and sit idle: in a group each partition has one owner, so consumers beyond ${params.partitions} partitions add nothing.`,
    )
  return lines
}

function lossLines(params: BacklogParams, result: BacklogResult, summary: BacklogSummary): string[] {
  const crashAt = crashAtOf(params)
  if (crashAt === null) return []
  const lost = summary.lost
  const crashed = `c0 crashed at ${formatMs(crashAt)}, restarted ${formatMs(RESTART_AFTER_MS)} later and resumed from the committed offsets`
  if (lost > 0) {
    const where = Object.entries(result.loss.lostOffsets).map(([tp, r]) => `${tp} ${r}`)
    return [
      `${crashed}: ${formatCount(lost)} record(s) LOST (${where.join("; ")}). A commit had claimed them done while a worker still`,
      `had them (the max rule: highest finished + 1), and nobody reads below the committed offset again.`,
    ]
  }
  const rule =
    params.remedy === "async" && params.commitRule === "max"
      ? " The max rule lost nothing this time: at the crash no record below a committed offset was unfinished."
      : ""
  return [`${crashed}: nothing lost, ${formatCount(summary.duplicates)} record(s) processed twice.${rule}`]
}

function lesson(params: BacklogParams, result: BacklogResult): TextSection {
  const summary = result.summary()
  const lines = remedyLines(params, result)
  lines.push(
    summary.drainMs === null
      ? `The backlog grows: the lag ended at ${formatCount(summary.finalLag)} (largest ${formatCount(summary.maxLag)}) and never drains, and the p99 latency reached ${formatMs(summary.latencyP99Ms ?? 0)}.`
      : `The lag ended at ${formatCount(summary.finalLag)} (largest ${formatCount(summary.maxLag)}) and drains in ${formatMs(summary.drainMs)} at this capacity.`,
  )
  lines.push(...lossLines(params, result, summary))
  lines.push(
    params.remedy === "none"
      ? "Compare --remedy scale, async and batch on the same seed."
      : "Compare --remedy none on the same seed.",
  )
  return { title: "Lesson", lines }
}

/**
 * Events per record and per simulated second and member (each consumer, plus two for the brokers'
 * fetch and replication loops), measured on seed 1 with 30 s at 400 records/s (12,000 records):
 * 150,977 events (none), 164,856 (scale), 168,889 (batch) and 295,223 (async: a commit per
 * record); at 20,000 records/s (async, 64 workers) 2,329,430 events in 15,000 ms, 7.8 a record
 * (fetches carry whatever arrived since the last one). 2026-12-07.
 */
const EVENTS_PER_RECORD = 5
const EVENTS_PER_RECORD_POOL = 10
const EVENTS_PER_SIM_SECOND_AND_MEMBER = 2000
/**
 * Events per second of CPU, and the records at which a run's cost per record has doubled: a
 * growing backlog costs more per record, in time and memory. Measured on 2026-12-07 (load average
 * 13, CPU time, --remedy async --workers 64 --rate 20000): 9,463 ms 5.6 s text, 6.7 s JSON
 * (357 MB); 15,000 ms 15.4 s JSON (816 MB); 20,000 ms 19.4 s text (1,360 MB); 60,000 ms passed
 * 190 s and 1.96 GB before it was stopped (9,463 ms at load 15-16). With 400,000 a second slowed
 * by 1 + records / 150,000 the estimates are 14, 27 and 41 s; the largest admitted run, 17,617 ms,
 * took 14.9 s and 1,069 MB (text), 19.2 s and 1,080 MB (JSON).
 */
const EVENTS_PER_SECOND = 400_000
const SLOWDOWN_RECORDS = 150_000
/**
 * Bytes kept per record (the logs, the records waiting in the backlog, the acks, processing and
 * commits behind the checks and latencies), also times 1 + records / 150,000: measured above as
 * peak RSS beyond start-up (166 MB), 1,000 B a record at 9,463 ms, 2,200 B at 15,000 ms, 3,000 B
 * at 20,000 ms; the estimates are 2,260, 3,000 and 3,670 B.
 */
const KEPT_BYTES_PER_RECORD = 1000

function estimate(params: BacklogParams): WorkEstimate {
  const records = (params.rate * params.durationMs) / 1000
  const perRecord = params.remedy === "async" ? EVENTS_PER_RECORD_POOL : EVENTS_PER_RECORD
  const consumers = params.remedy === "scale" ? params.scaleTo : params.consumers
  const background = (EVENTS_PER_SIM_SECOND_AND_MEMBER * (consumers + 2) * params.durationMs) / 1000
  const slowdown = 1 + records / SLOWDOWN_RECORDS
  return workEstimate({
    events: records * perRecord + background + 20_000,
    eventsPerSecond: EVENTS_PER_SECOND / slowdown,
    keptBytes: records * KEPT_BYTES_PER_RECORD * slowdown,
    simTime: params.durationMs,
    advice: "lower --rate or --duration-ms",
  })
}

const kafkaBacklog = defineSim({
  name: "kafka-backlog",
  title: "Kafka backlog: records arrive faster than they are processed; which remedy works, at what price?",
  header: {
    covers:
      "consumer lag, throughput, end-to-end latency, drain time; more consumers, a worker pool per consumer and its commit rule, batch consumption",
    scenario:
      "3 brokers; topic t0 with 6 partitions; 400 records/s for 30 s; consumers c0..c2, each record 2 ms of work + 8 ms for its own write: 300 records/s in all",
    try: [
      "--remedy scale",
      "--remedy async",
      "--remedy batch",
      "--remedy async --commit-rule max --crash-at 7000",
      "--remedy async --crash-at 7000",
      "--remedy scale --scale-to 8",
    ],
  },
  time: TIME,
  metrics: {
    maxLag: { description: "largest total lag of any scrape (every 1 s)", unit: "records" },
    finalLag: { description: "total lag at the end: high watermarks minus committed offsets", unit: "records" },
    throughput: { description: "acknowledged records processed (once each) per second of the run", unit: "records/s" },
    latencyP50Ms: { description: "median time from produce to processed (null if none processed)", unit: "ms" },
    latencyP99Ms: { description: "99th percentile time from produce to processed (null if none)", unit: "ms" },
    drainMs: {
      description: "final lag / (capacity − arrivals), the slowest consumer; null when it never drains",
      unit: "ms",
    },
    lost: { description: "acknowledged records never processed, below the committed offset", unit: "records" },
    duplicates: { description: "extra processings of acknowledged records", unit: "records" },
  },
  flags,
  estimate,
  constraints: [scaleConstraint, crashConstraint, batchCostConstraint],
  quiz(params) {
    const options = scenarioOptions(params)
    return [
      `${options.consumers} consumer(s) on ${params.partitions} partitions; ${params.rate} records/s arrive for ${params.durationMs}ms;` +
        ` each record costs ${params.processingMs}ms of work and ${params.batchCostMs}ms per write; remedy ${params.remedy}.`,
      "1. Does the lag grow or drain? How large is it at the end?",
      "2. How long would the backlog take to drain, if ever?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const sample =
      context.output === "text" ? new TraceSample<GroupEvent | NetEvent>(sim.trace, isShown, TIMELINE_MAX) : undefined
    const scenario = new BacklogScenario(sim, scenarioOptions(params))
    const result = scenario.run(context.advance)
    const summary = result.summary()
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample),
            sections: [
              lagSection(result, summary),
              consumerTable(result),
              numbersSection(result, summary),
              lesson(params, result),
            ],
          }
    const view = context.view === true ? { view: lagChart(result) } : {}
    return { ...fromSimulation(sim), metrics: summary, checks: [...result.checks], ...text, ...view }
  },
})

export default kafkaBacklog

await runMain(kafkaBacklog, import.meta.url)
