/**
 * Garbage collection: what does freeing memory cost, in pauses, latency and heap?
 * Covers: allocation rate, lifetimes and the live set; mark-and-sweep paced like Go's GOGC;
 *   stop-the-world vs concurrent marking; reference counting and its leaked cycles; pause latency
 * Scenario: 100 MB/s of allocations living 50 ms on average over a 20 MB live set for 2 s, 200
 *   requests/s of 5 ms each; marking at 1 MB per ms. The seed draws the lifetimes and the arrivals
 * Try: --collector concurrent; --collector refcount; --gogc 400; --gogc 25; --live-mb 100
 */
import {
  defineSim,
  type EstimateContext,
  flag,
  formatCount,
  formatNumber,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  sparkline,
  type TextSection,
  type TimelineEntry,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { Simulation, TraceSample } from "../src/kernel/index.ts"
import {
  type Collector,
  COLLECTORS,
  describeGcRecord,
  FIXED_PAUSE_MS,
  type GcEvent,
  gcChecks,
  type GcRunResult,
  GcScenario,
  type GcScenarioOptions,
  isGcRecord,
} from "../src/models/gc/index.ts"

/** A megabyte here: 2^20 bytes. */
const MB = 2 ** 20
/** Columns of the charts. */
const CHART_COLUMNS = 64
/** Collections listed in the table before it is summarised. */
const TABLE_MAX_ROWS = 12
/** Timeline records shown. */
const TIMELINE_MAX_RECORDS = 40

const flags = {
  collector: flag.choice({
    description:
      "stw: mark-and-sweep, the world stopped for the whole collection; concurrent: marking beside the mutator, two short pauses; refcount: reference counting, no pauses, cycles leak",
    choices: COLLECTORS,
    default: "stw",
  }),
  gogc: flag.integer({
    description: "Go's GOGC: the heap may grow this many percent over the live heap before the next collection",
    unit: "percent",
    default: 100,
    min: 10,
    max: 1000,
  }),
  allocRateMbS: flag.number({
    description: "allocation rate of the mutator",
    unit: "MB per s, MB = 2^20 bytes",
    default: 100,
    greaterThan: 0,
    max: 10_000,
  }),
  lifetimeMs: flag.number({
    description: "mean lifetime of an allocation (exponential)",
    unit: "ms",
    default: 50,
    greaterThan: 0,
    max: 1_000_000,
  }),
  liveMb: flag.number({ description: "permanent live set", unit: "MB", default: 20, min: 0, max: 10_000 }),
  markMbPerMs: flag.number({
    description: "marking speed of one CPU (stop-the-world pause = live / this; concurrent marking uses a quarter)",
    unit: "MB per ms",
    default: 1,
    greaterThan: 0,
    max: 1_000,
  }),
  cyclePercent: flag.number({
    description: "share of each allocation held in reference cycles (reference counting never frees it)",
    unit: "percent",
    default: 5,
    min: 0,
    max: 100,
  }),
  durationMs: flag.integer({
    description: "how long the mutator runs",
    unit: "ms",
    default: 2_000,
    min: 1,
    max: 600_000,
  }),
  requestRate: flag.number({
    description: "requests per second served by the mutator (Poisson)",
    unit: "per s",
    default: 200,
    min: 0,
    max: 1_000,
  }),
  serviceMs: flag.number({
    description: "mutator time each request needs (a pause overlapping it adds to its latency)",
    unit: "ms",
    default: 5,
    greaterThan: 0,
    max: 10_000,
  }),
}

type GcParams = Params<typeof flags>

/** Bytes allocated per 1 ms tick, whole. */
function allocBytesPerMs(params: GcParams): number {
  return Math.max(1, Math.round((params.allocRateMbS * MB) / 1000))
}

function optionsOf(params: GcParams, collector: Collector): GcScenarioOptions {
  return {
    collector,
    gogc: params.gogc,
    allocBytesPerMs: allocBytesPerMs(params),
    lifetimeMsMean: params.lifetimeMs,
    liveBytes: Math.round(params.liveMb * MB),
    markBytesPerMs: params.markMbPerMs * MB,
    cycleFraction: params.cyclePercent / 100,
    durationMs: params.durationMs,
    requestRatePerS: params.requestRate,
    serviceMs: params.serviceMs,
  }
}

const mb = (bytes: number): string => `${formatNumber(bytes / MB, 1)} MB`
const collections = (count: number): string => `${formatCount(count)} collection${count === 1 ? "" : "s"}`
const ms = (value: number): string => `${formatNumber(value, 2)} ms`

/** `values` in at most {@link CHART_COLUMNS} columns, each the largest value of its share. */
function columns(values: readonly number[]): number[] {
  const width = Math.min(CHART_COLUMNS, values.length)
  return Array.from({ length: width }, (_, c) => {
    const from = Math.floor((c * values.length) / width)
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / width))
    return values.slice(from, to).reduce((most, value) => Math.max(most, value), -Infinity)
  })
}

function chartsSection(result: GcRunResult, params: GcParams): TextSection {
  const heap = columns(result.samples.map((s) => s.heapBytes))
  const live = columns(result.samples.map((s) => s.liveBytes))
  const top = Math.max(...heap)
  const bins = heap.length
  const pauses = new Array<number>(bins).fill(0)
  for (const pause of result.pauses) {
    const bin = Math.min(bins - 1, Math.floor((pause.startMs / params.durationMs) * bins))
    pauses[bin] = Math.max(pauses[bin]!, pause.endMs - pause.startMs)
  }
  const perColumn = formatNumber(params.durationMs / bins, 1)
  return {
    title: `Heap and pauses over ${params.durationMs} ms (each column ${perColumn} ms; its largest value)`,
    lines: [
      `heap   ${sparkline(heap, { min: 0, max: top })}  0 to ${mb(top)}`,
      `live   ${sparkline(live, { min: 0, max: top })}  same scale`,
      `pause  ${sparkline(pauses, { min: 0 })}  0 to ${ms(result.maxPauseMs)}`,
    ],
  }
}

function collectionsSection(result: GcRunResult): TextSection {
  const rows = result.cycles
    .slice(0, TABLE_MAX_ROWS)
    .map((cycle, k) => [
      String(k + 1),
      formatNumber(cycle.startMs, 1),
      mb(cycle.heapBytes),
      mb(cycle.liveBytes),
      mb(cycle.goalBytes),
      ms(cycle.pauseMs),
    ])
  const more = result.cycles.length > TABLE_MAX_ROWS ? [`(and ${result.cycles.length - TABLE_MAX_ROWS} more)`] : []
  return {
    title: "Collections",
    lines:
      rows.length === 0
        ? ["(none: reference counting frees each object when its count drops to zero)"]
        : [
            ...renderTable(
              [
                { header: "#", align: "right" },
                { header: "at (ms)", align: "right" },
                { header: "heap", align: "right" },
                { header: "live", align: "right" },
                { header: "goal", align: "right" },
                { header: "paused", align: "right" },
              ],
              rows,
            ),
            ...more,
          ],
  }
}

function comparisonSection(results: ReadonlyMap<Collector, GcRunResult>, mine: Collector): TextSection {
  const rows = [...results].map(([collector, r]) => [
    collector === mine ? `${collector} (this run)` : collector,
    String(r.collections),
    ms(r.maxPauseMs),
    ms(r.p99LatencyMs),
    mb(r.peakHeapBytes),
    mb(r.leakedBytes),
  ])
  return {
    title: "The same workload under each collector (same seed)",
    lines: renderTable(
      [
        { header: "collector" },
        { header: "collections", align: "right" },
        { header: "max pause", align: "right" },
        { header: "p99 latency", align: "right" },
        { header: "peak heap", align: "right" },
        { header: "leaked", align: "right" },
      ],
      rows,
    ),
  }
}

function lessonSection(results: ReadonlyMap<Collector, GcRunResult>, params: GcParams): TextSection {
  const me = results.get(params.collector)!
  const stw = results.get("stw")!
  const concurrent = results.get("concurrent")!
  const refcount = results.get("refcount")!
  const lines = [
    `Requests need ${ms(params.serviceMs)}; with ${params.collector} their p99 latency is ${ms(me.p99LatencyMs)} (p50 ${ms(me.p50LatencyMs)}): ${me.p99LatencyMs > params.serviceMs ? "a request caught by a pause waits it out" : "no pause reached the 99th percentile"}.`,
    stw.collections === 0
      ? `Stop-the-world: no collection in this run (the heap never reached its goal), so no pause; the heap peaks at ${mb(stw.peakHeapBytes)}.`
      : `Stop-the-world: ${collections(stw.collections)}, each pause live / marking speed plus ${ms(FIXED_PAUSE_MS)} (max ${ms(stw.maxPauseMs)}); the heap peaks at ${mb(stw.peakHeapBytes)}, never more than one tick's allocation over its GOGC ${params.gogc} goal.`,
    concurrent.collections === 0
      ? `Concurrent: no collection in this run, so no pause; the heap peaks at ${mb(concurrent.peakHeapBytes)}.`
      : concurrent.maxOvershootBytes > 0
        ? `Concurrent: pauses of at most ${ms(concurrent.maxPauseMs)} and p99 ${ms(concurrent.p99LatencyMs)}, but the mutator allocates while marking runs, so the heap overshoots its goal by up to ${mb(concurrent.maxOvershootBytes)} (peak ${mb(concurrent.peakHeapBytes)}) and what it allocated survives the cycle.`
        : `Concurrent: pauses of at most ${ms(concurrent.maxPauseMs)} and p99 ${ms(concurrent.p99LatencyMs)}; the heap peaks at ${mb(concurrent.peakHeapBytes)}.`,
    refcount.leakedBytes > 0
      ? `Reference counting: no pauses and a ${mb(refcount.peakHeapBytes)} peak, but ${mb(refcount.leakedBytes)} of dead objects in cycles were never freed, and the leak grows as long as the program runs.`
      : `Reference counting: no pauses, a ${mb(refcount.peakHeapBytes)} peak and nothing leaked: no allocation sat in a cycle (--cycle-percent ${params.cyclePercent}).`,
  ]
  return { title: "Lesson", lines }
}

/** The timeline: collections and pauses (the heap samples feed the chart). */
function timeline(sample: TraceSample<GcEvent> | undefined): { title: string; entries: TimelineEntry[] } {
  const entries = (sample?.records ?? []).map((record) => ({ t: record.t, text: describeGcRecord(record) }))
  const total = sample?.total ?? 0
  const title =
    total > TIMELINE_MAX_RECORDS ? `Timeline (the first ${TIMELINE_MAX_RECORDS} of ${total} GC events)` : "Timeline"
  return { title, entries }
}

/**
 * Events per second: the mutator's 1 ms ticks plus the requests, measured on 2026-12-07 (CPU time,
 * user + system, of `npx tsx sims/gc.ts`): --duration-ms 1 took 2.3 s (start-up); 600,000 ms with
 * 120,000 requests took 3.4 s with --json (about 600,000 events/s after start-up) and 4.4 s as text,
 * which runs all three collectors (about 1,000,000/s); peak RSS 177 and 201 MB. 100,000/s leaves room.
 */
const EVENTS_PER_SECOND = 100_000
/** Bytes kept per ms simulated (a heap sample every 10 ms, about 100 B) and per request (its latency). */
const BYTES_PER_MS = 20
const BYTES_PER_REQUEST = 40

function estimate(params: GcParams, { output }: EstimateContext): WorkEstimate {
  const runs = output === "text" ? COLLECTORS.length : 1
  const requests = (params.requestRate * params.durationMs) / 1000
  return workEstimate({
    events: runs * (params.durationMs + requests),
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: runs * (BYTES_PER_MS * params.durationMs + BYTES_PER_REQUEST * requests),
    simTime: params.durationMs,
    advice: "lower --duration-ms or --request-rate",
  })
}

const gc = defineSim({
  name: "gc",
  title: "Garbage collection: what does freeing memory cost, in pauses, latency and heap?",
  header: {
    covers:
      "allocation rate, lifetimes and the live set; mark-and-sweep paced like Go's GOGC; stop-the-world vs concurrent marking; reference counting and its leaked cycles; pause latency",
    scenario:
      "100 MB/s of allocations living 50 ms on average over a 20 MB live set for 2 s, 200 requests/s of 5 ms each; marking at 1 MB per ms. The seed draws the lifetimes and the arrivals",
    try: ["--collector concurrent", "--collector refcount", "--gogc 400", "--gogc 25", "--live-mb 100"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    collections: { description: "tracing collections run (0 for refcount)", unit: "collections" },
    maxPauseMs: { description: "the longest stop-the-world pause", unit: "ms" },
    totalPauseMs: { description: "all pauses together", unit: "ms" },
    p50LatencyMs: { description: "median request latency (service time plus overlapping pauses)", unit: "ms" },
    p99LatencyMs: { description: "99th percentile request latency, nearest rank", unit: "ms" },
    requests: { description: "requests served", unit: "requests" },
    peakHeapBytes: { description: "the largest heap at any tick", unit: "bytes" },
    leakedBytes: { description: "dead bytes never freed (reference cycles under refcount)", unit: "bytes" },
  },
  flags,
  estimate,
  quiz(params) {
    return [
      `A mutator allocates ${params.allocRateMbS} MB/s; allocations live ${params.lifetimeMs} ms on average over a ${params.liveMb} MB live set; GOGC ${params.gogc}; marking ${params.markMbPerMs} MB per ms.`,
      "1. With a stop-the-world collector, at what heap size does each collection start, and how long does it pause?",
      `2. How do concurrent marking and reference counting change the pauses, the heap and what is leaked (${params.cyclePercent}% of allocations in cycles)?`,
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const scenario = new GcScenario(sim, optionsOf(params, params.collector as Collector))
    const sample =
      context.output === "text"
        ? new TraceSample(sim.trace, (r) => isGcRecord(r) && r.type !== "HeapSampled", TIMELINE_MAX_RECORDS)
        : undefined
    const result = scenario.run(context.advance)
    const sections: TextSection[] = []
    if (context.output === "text") {
      const results = new Map<Collector, GcRunResult>()
      for (const collector of COLLECTORS)
        results.set(
          collector,
          collector === params.collector
            ? result
            : new GcScenario(new Simulation({ seed: context.seed }), optionsOf(params, collector)).run(),
        )
      sections.push(
        chartsSection(result, params),
        collectionsSection(result),
        comparisonSection(results, params.collector as Collector),
        lessonSection(results, params),
      )
    }
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: gcChecks(result, params.collector as Collector, allocBytesPerMs(params)),
      timeline: timeline(sample as TraceSample<GcEvent> | undefined),
      sections,
    }
  },
})

export default gc

await runMain(gc, import.meta.url)
