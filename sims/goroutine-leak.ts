/**
 * Goroutine leak: a handler gives up on its worker after a timeout. Where does the worker go?
 * Covers: goroutine leaks (a send nobody will receive), unbuffered vs buffered channels, context
 *   cancellation, in-use vs allocated heap, a heap profile for go tool pprof
 * Scenario: 100 requests/s for 60 s; each handler starts a worker (exponential cost, mean 50 ms)
 *   and waits on an unbuffered channel or a 100 ms context deadline; a late worker blocks forever
 *   on its send. The seed draws the arrivals and the costs
 * Try: --fix buffered; --fix context; --timeout-ms 200; --rps 400 --duration-s 20
 */
import { gzipSync } from "node:zlib"
import {
  defineSim,
  flag,
  formatCount,
  formatNumber,
  formatPercent,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  sparkline,
  type TextSection,
  type TimelineEntry,
  workEstimate,
} from "../src/cli/index.ts"
import { type Traced, TraceSample } from "../src/kernel/index.ts"
import { checkGoroutinesBounded } from "../src/models/go/leak-checks.ts"
import type { LeakEvent } from "../src/models/go/leak-events.ts"
import { LEAK_FIXES, type LeakResult, LeakScenario } from "../src/models/go/leak-scenario.ts"
import { leakTimelineLine } from "../src/models/go/leak-timeline.ts"
import { heapProfile } from "../src/models/go/pprof-profile.ts"
import { pprofTop, topRows } from "../src/models/go/pprof-top.ts"

/** Timeline records shown. */
const TIMELINE_MAX_RECORDS = 24
/** Columns of the charts at most; a longer run shows each group of samples by its last one. */
const CHART_COLUMNS = 60
/** The workers' mean cost, ms (the scenario's default). */
const COST_MEAN_MS = 50

const flags = {
  fix: flag.choice({
    description:
      "none: the worker sends on an unbuffered channel (blocks forever once the handler gave up); buffered: a channel of one (the send never blocks); context: the worker selects on its send and ctx.Done()",
    choices: LEAK_FIXES,
    default: "none",
  }),
  rps: flag.number({
    description: "mean requests per second (Poisson arrivals)",
    unit: "per second",
    default: 100,
    greaterThan: 0,
    max: 10_000,
  }),
  timeoutMs: flag.number({
    description: "the handler's context deadline",
    unit: "ms",
    default: 100,
    greaterThan: 0,
    max: 60_000,
  }),
  durationS: flag.number({
    description: "how long requests arrive",
    unit: "s",
    default: 60,
    greaterThan: 0,
    max: 86_400,
  }),
  profile: flag.outputFile({
    description:
      "write the heap profile at the end (gzipped profile.proto, as Go's pprof.WriteHeapProfile) to this file; read it with go tool pprof -top FILE",
  }),
}

type LeakParams = Params<typeof flags>

/** `values` in at most {@link CHART_COLUMNS} columns, each the last value of its share. */
function columns(values: readonly number[]): number[] {
  const width = Math.min(CHART_COLUMNS, values.length)
  return Array.from(
    { length: width },
    (_, c) => values[Math.max(0, Math.floor(((c + 1) * values.length) / width) - 1)]!,
  )
}

function kib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${formatNumber(bytes / 2 ** 20, 1)} MiB` : `${formatNumber(bytes / 1024, 1)} KiB`
}

/** Allocated bytes per second between consecutive samples. */
function allocRates(result: LeakResult): number[] {
  const s = result.samples
  return s
    .slice(1)
    .map((b, i) => ((b.heapAllocBytes - s[i]!.heapAllocBytes) * 1000) / Math.max(1e-9, b.atMs - s[i]!.atMs))
}

function chartSection(result: LeakResult, params: LeakParams): TextSection {
  const goroutines = columns(result.samples.map((s) => s.goroutines))
  const heap = columns(result.samples.map((s) => s.heapInUseBytes))
  const rates = allocRates(result)
  const allocs = columns(rates)
  const perColumn = formatNumber(params.durationS / Math.max(1, goroutines.length), params.durationS < 60 ? 3 : 1)
  const top = (values: readonly number[]) => values.reduce((most, v) => Math.max(most, v), 0)
  return {
    title: `Live goroutines, heap in use and allocation rate over ${params.durationS} s (each column ${perColumn} s)`,
    lines: [
      `goroutines  ${sparkline(goroutines, { min: 0, max: Math.max(1, top(goroutines)) })}  0 to ${formatCount(top(goroutines))}`,
      `heap in use ${sparkline(heap, { min: 0, max: Math.max(1, top(heap)) })}  0 to ${kib(top(heap))}`,
      `allocated/s ${sparkline(allocs, { min: 0, max: Math.max(1, top(allocs)) })}  0 to ${kib(top(allocs))}/s`,
    ],
  }
}

function samplesTable(result: LeakResult): TextSection {
  const s = result.samples
  const picks = [...new Set([0, 1, 2, 3, 4, 5].map((k) => Math.round((k * (s.length - 1)) / 5)))]
  const rows = picks.map((i) => [
    formatNumber(s[i]!.atMs / 1000, 1),
    formatCount(s[i]!.goroutines),
    kib(s[i]!.heapInUseBytes),
    kib(s[i]!.heapAllocBytes),
  ])
  return {
    title: "Samples",
    lines: renderTable(
      [
        { header: "t (s)", align: "right" },
        { header: "live goroutines", align: "right" },
        { header: "heap in use", align: "right" },
        { header: "allocated so far", align: "right" },
      ],
      rows,
    ),
  }
}

function profileSection(result: LeakResult): TextSection {
  return {
    title: "Heap profile at the end, as go tool pprof -top prints it (inuse_space, then alloc_space)",
    lines: [...pprofTop(result.sites, "inuse_space"), "", ...pprofTop(result.sites, "alloc_space")],
  }
}

/** "N workers are blocked at the end", and how many late ones are still computing. */
function blockedWords(result: LeakResult): string {
  const n = result.blockedGoroutines
  const computing = result.timedOut - n
  const blocked = `${formatCount(n)} ${n === 1 ? "worker is" : "workers are"} blocked at the end`
  return computing > 0 ? `${blocked}; ${formatCount(computing)} more still computing` : blocked
}

/** Why no worker is blocked in a run where none is. */
function noLeakReason(result: LeakResult, params: LeakParams): string {
  if (result.timedOut === 0) return "no handler gave up on its worker"
  if (params.fix === "buffered")
    return "each late worker's send went into the channel's one slot and it returned; the channel with the unread result became garbage"
  if (params.fix === "context") return "each late worker saw ctx.Done() closed, dropped its result and returned"
  return "the late workers are still computing; each will block on its send when it finishes (run longer)"
}

function lesson(result: LeakResult, params: LeakParams): TextSection {
  const rates = allocRates(result)
  const low = rates.reduce((least, v) => Math.min(least, v), Infinity)
  const high = rates.reduce((most, v) => Math.max(most, v), 0)
  const allocations = `allocations ran at ${kib(low)}/s to ${kib(high)}/s (mean ${kib(result.allocBytesPerSec)}/s)`
  const late = `${formatCount(result.timedOut)} of ${formatCount(result.requests)} requests (${formatPercent(result.timedOut / Math.max(1, result.requests))}) hit the ${formatNumber(params.timeoutMs, 0)} ms deadline`
  const lines: string[] = []
  if (result.blockedGoroutines > 0) {
    const top = topRows(result.sites, "inuse_space").rows[0]
    lines.push(
      `${late}. Each of those handlers returned a 504, and its worker, finishing later, blocks forever on ch <- res: an unbuffered send completes only with a receive, and nobody will ever receive. ${blockedWords(result)}.`,
      `Live goroutines grew ${formatNumber(result.leakRatePerSec, 1)} per second (theory: rps × P(cost > timeout) = ${formatNumber(params.rps, 0)} × e^(−${formatNumber(params.timeoutMs, 0)}/${COST_MEAN_MS}) = ${formatNumber(result.predictedLeakRatePerSec, 1)}) to ${formatCount(result.goroutinesAtEnd)}, and the heap in use to ${kib(result.heapInUseBytes)}: each blocked worker keeps its stack, its scratch buffer, its result and the channel. Meanwhile ${allocations}: the allocation rate looks normal, only in-use memory shows the leak, and its profile points at ${top?.name ?? "nothing"}.`,
      "Fix it with --fix buffered (a channel of one: the send completes, the worker returns, and the unread result becomes garbage) or --fix context (the worker selects on ctx.Done() beside its send).",
    )
  } else {
    lines.push(
      `${late}, yet no worker is blocked: ${noLeakReason(result, params)}.`,
      `Live goroutines end at ${formatCount(result.goroutinesAtEnd)} (peak ${formatCount(result.peakGoroutines)}: handlers waiting and workers still computing) and the heap in use at ${kib(result.heapInUseBytes)}; ${allocations}${params.fix === "none" ? "" : ", as with the leak: allocation is not where a leak shows"}.`,
    )
  }
  return { title: "Lesson", lines }
}

/** The first records of requests that timed out (the story of the leak, or of its fix). */
function timelineSample(sim: { trace: ConstructorParameters<typeof TraceSample>[0] }): TraceSample<LeakEvent> {
  const timedOut = new Set<number>()
  return new TraceSample<LeakEvent>(
    sim.trace,
    (record): record is Traced<LeakEvent> => {
      const r = record as Traced<LeakEvent>
      if (r.type === "RequestTimedOut") timedOut.add(r.request)
      return (
        (r.type === "RequestTimedOut" || r.type === "WorkerComputed" || r.type === "WorkerExited") &&
        timedOut.has(r.request)
      )
    },
    TIMELINE_MAX_RECORDS,
  )
}

function timeline(sample: TraceSample<LeakEvent>, params: LeakParams): { title: string; entries: TimelineEntry[] } {
  const entries = sample.records.map((record) => ({ t: record.t, text: leakTimelineLine(record, params.fix, true) }))
  const title =
    sample.total > TIMELINE_MAX_RECORDS
      ? `Timeline (the first ${TIMELINE_MAX_RECORDS} of ${formatCount(sample.total)} events of requests that timed out)`
      : "Timeline (requests that timed out)"
  return { title, entries }
}

/** The gzipped profile; the OS byte set to 255 (unknown), as Go's gzip writer does, so every platform writes the same bytes. */
function gzippedProfile(result: LeakResult): Uint8Array {
  const durationNanos = result.options.durationS * 1e9
  const bytes = gzipSync(heapProfile(result.sites, { timeNanos: durationNanos, durationNanos }))
  bytes[9] = 255
  return bytes
}

/**
 * The run's cost, measured on 2026-12-07 (CPU time, user + system, and peak RSS of
 * `npx tsx sims/goroutine-leak.ts ... --json`): --duration-s 1 took 2.8 s (start-up) and 154 MB;
 * --duration-s 600 (60,153 requests, 541,947 events: 9 per request) 4.7 s and 193 MB with 8,002
 * workers blocked; --fix context 5.6 s; --rps 1000 --duration-s 100 (902,000 events, 13,421
 * blocked) 6.5 s and 220 MB. So about 250,000 events/s after start-up and about 5 KB per blocked
 * worker (its generator, channel, context and heap records); the constants leave room.
 */
const EVENTS_PER_REQUEST = 10
const EVENTS_PER_SECOND = 100_000
const BYTES_PER_BLOCKED_WORKER = 8_000
/** Bytes kept per second simulated: one sample of goroutines and heap, about. */
const BYTES_PER_SECOND = 200

const goroutineLeak = defineSim({
  name: "goroutine-leak",
  title: "Goroutine leak: a handler gives up on its worker after a timeout. Where does the worker go?",
  header: {
    covers:
      "goroutine leaks (a send nobody will receive), unbuffered vs buffered channels, context cancellation, in-use vs allocated heap, a heap profile for go tool pprof",
    scenario:
      "100 requests/s for 60 s; each handler starts a worker (exponential cost, mean 50 ms) and waits on an unbuffered channel or a 100 ms context deadline; a late worker blocks forever on its send. The seed draws the arrivals and the costs",
    try: ["--fix buffered", "--fix context", "--timeout-ms 200", "--rps 400 --duration-s 20"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    goroutinesAtEnd: { description: "live request goroutines (handlers and workers) at the end", unit: "goroutines" },
    heapInUseBytes: { description: "heap bytes reachable at the end (the profile's inuse_space total)", unit: "bytes" },
    heapAllocBytes: {
      description: "heap bytes allocated over the run (the profile's alloc_space total)",
      unit: "bytes",
    },
    leakRatePerSec: {
      description: "least-squares slope of the live goroutines sampled each second",
      unit: "goroutines per second",
    },
    predictedLeakRatePerSec: {
      description: "rps × P(cost > timeout) = rps × e^(−timeout/50 ms) with --fix none; 0 with a fix",
      unit: "goroutines per second",
    },
    blockedGoroutines: {
      description: "workers blocked forever at the end (their handler returned)",
      unit: "goroutines",
    },
    peakGoroutines: { description: "most live request goroutines in a sample", unit: "goroutines" },
    allocBytesPerSec: { description: "mean heap bytes allocated per second", unit: "bytes per second" },
    requests: { description: "requests that arrived", unit: "requests" },
    served: { description: "requests answered with the worker's result before the deadline", unit: "requests" },
    timedOut: { description: "requests whose deadline passed first (504)", unit: "requests" },
  },
  flags,
  estimate(params) {
    const requests = params.rps * params.durationS
    const leaked = params.fix === "none" ? requests * Math.exp(-params.timeoutMs / COST_MEAN_MS) : 0
    return workEstimate({
      events: EVENTS_PER_REQUEST * requests + params.durationS,
      eventsPerSecond: EVENTS_PER_SECOND,
      keptBytes: BYTES_PER_BLOCKED_WORKER * leaked + BYTES_PER_SECOND * params.durationS,
      simTime: params.durationS * 1000,
      advice: "lower --duration-s or --rps",
    })
  },
  quiz(params) {
    return [
      `${formatNumber(params.rps, 0)} requests/s for ${formatNumber(params.durationS, 0)} s; workers cost 50 ms on average (exponential); the handler waits ${formatNumber(params.timeoutMs, 0)} ms; --fix ${params.fix}.`,
      "1. How many goroutines are alive at the end, and how fast does that number grow?",
      "2. Does the allocation rate tell you? Which function does the in-use heap profile point at?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const shown = context.output === "text" ? timelineSample(sim) : undefined
    const scenario = new LeakScenario(sim, {
      fix: params.fix,
      rps: params.rps,
      timeoutMs: params.timeoutMs,
      durationS: params.durationS,
      costMeanMs: COST_MEAN_MS,
    })
    const result = scenario.run(context.advance)
    const report = {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkGoroutinesBounded(result)],
      ...(params.profile === "" ? {} : { files: { profile: gzippedProfile(result) } }),
    }
    if (shown === undefined) return report
    return {
      ...report,
      timeline: timeline(shown, params),
      sections: [chartSection(result, params), samplesTable(result), profileSection(result), lesson(result, params)],
    }
  },
})

export default goroutineLeak

await runMain(goroutineLeak, import.meta.url)
