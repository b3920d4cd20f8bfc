/**
 * Benchmark `promql`: `rate(m[1m])` over 10,000 counter series × 1 hour of 15-second samples,
 * evaluated at every 15-second step of the hour, as a range query's steps are (issue target: under
 * 2 s of wall time).
 *
 * Each series is a counter whose samples start at its own offset within the interval and grow by
 * a fixed pseudo-random step, with a reset every 500 samples in one series of seven; the samples
 * are built before the clock starts, so the number measures evaluation (range selection by binary
 * search, reset handling, extrapolation), not the building of data.
 *
 * Run: `npx tsx bench/promql.ts` (series from BENCH_EVENTS, default 10,000).
 */
import { extrapolatedRate, type Sample } from "../src/models/observability/index.ts"
import { type BenchResult, isMainModule, printResult, readSizes, timing, wallClockMs } from "./bench-kit.ts"

const HOUR_MS = 3_600_000
const INTERVAL_MS = 15_000
const RANGE_MS = 60_000

/** A result line of the `promql` workload. */
export interface PromqlBenchResult extends BenchResult {
  /** Series evaluated at every step. */
  readonly series: number
  /** Evaluation steps (every 15 s of the hour). */
  readonly steps: number
  /** The sum of every rate, so the work cannot be skipped (and a change in results shows). */
  readonly checksum: number
  /** CPU time of the evaluation, in ms (user + system): on a shared machine wall time also counts waiting for a core. */
  readonly cpuMs: number
}

function series(count: number): Sample[][] {
  const all: Sample[][] = []
  let state = 12345
  for (let s = 0; s < count; s++) {
    state = (state * 1103515245 + 12345) >>> 0
    const offset = state % INTERVAL_MS
    const step = 1 + (state >>> 20)
    const samples: Sample[] = []
    let value = 0
    for (let tMs = offset; tMs <= HOUR_MS; tMs += INTERVAL_MS) {
      value = s % 7 === 3 && samples.length % 500 === 499 ? 0 : value + step
      samples.push({ tMs, value })
    }
    all.push(samples)
  }
  return all
}

/** Evaluates the rate of `count` series at every step of the hour. */
export function runPromqlBench(count: number): PromqlBenchResult {
  const data = series(count)
  const startedMs = wallClockMs()
  const startedCpu = process.cpuUsage()
  let evaluations = 0
  let checksum = 0
  let steps = 0
  for (let tMs = 0; tMs <= HOUR_MS; tMs += INTERVAL_MS) {
    steps++
    for (const samples of data) {
      const rate = extrapolatedRate("rate", samples, tMs, RANGE_MS)
      evaluations++
      if (rate !== undefined) checksum += rate
    }
  }
  const cpu = process.cpuUsage(startedCpu)
  return {
    system: "simsys",
    workload: "promql",
    events: evaluations,
    simTime: HOUR_MS,
    ...timing(evaluations, startedMs),
    series: count,
    steps,
    checksum,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }
}

if (isMainModule(import.meta.url)) {
  const count = process.env.BENCH_EVENTS === undefined ? 10_000 : readSizes().events
  printResult(runPromqlBench(count))
}
