/**
 * The GC lesson in the scenario shape: `new GcScenario(sim, options)` wires the heap (mutator and
 * collector) and draws the requests; `run(advance)` runs to the end and returns the
 * {@link GcRunResult}, whose `summary()` is the gc sim's JSON metrics.
 */
import type { Advance, JsonValue, Scenario, ScenarioResult } from "../../check/core/index.ts"
import { runUntil } from "../../check/core/index.ts"
import { Histogram, largest, type Simulation } from "../../kernel/index.ts"
import { GcHeap, type GcHeapOptions, type GcHeapResult } from "./gc-heap.ts"
import { poissonArrivalsMs, requestLatencyMs } from "./request-latency.ts"

/** Options of a {@link GcScenario}: the heap's, and the requests served meanwhile. */
export interface GcScenarioOptions extends GcHeapOptions {
  /** Requests per second, Poisson. Default 200. */
  readonly requestRatePerS?: number
  /** Mutator time each request needs, ms. Default 5. */
  readonly serviceMs?: number
}

/** A finished GC run. */
export interface GcRunResult extends GcHeapResult, ScenarioResult {
  /** Each request's latency, ms, in arrival order. */
  readonly latenciesMs: readonly number[]
  readonly serviceMs: number
  readonly p50LatencyMs: number
  readonly p99LatencyMs: number
  readonly maxPauseMs: number
  readonly totalPauseMs: number
}

/** The gc sim's JSON metrics. */
export function gcSummary(result: Omit<GcRunResult, "summary">): { readonly [metric: string]: JsonValue } {
  return {
    collections: result.collections,
    maxPauseMs: result.maxPauseMs,
    totalPauseMs: result.totalPauseMs,
    p50LatencyMs: result.p50LatencyMs,
    p99LatencyMs: result.p99LatencyMs,
    requests: result.latenciesMs.length,
    peakHeapBytes: result.peakHeapBytes,
    leakedBytes: result.leakedBytes,
  }
}

/** A heap under a collector, with requests timed against its pauses. */
export class GcScenario implements Scenario<GcRunResult> {
  readonly heap: GcHeap
  private readonly arrivalsMs: readonly number[]
  private readonly serviceMs: number

  constructor(
    readonly sim: Simulation,
    options: GcScenarioOptions = {},
  ) {
    const { requestRatePerS = 200, serviceMs = 5, ...heap } = options
    this.heap = new GcHeap(sim, sim.trace, heap)
    this.serviceMs = serviceMs
    this.arrivalsMs = poissonArrivalsMs(sim.random("requests"), requestRatePerS, heap.durationMs ?? 2_000)
  }

  run(advance: Advance = runUntil): GcRunResult {
    advance(this.sim, Infinity)
    const heap = this.heap.result()
    const latenciesMs = this.arrivalsMs.map((t) => requestLatencyMs(t, this.serviceMs, heap.pauses))
    const histogram = new Histogram()
    for (const latency of latenciesMs) histogram.observe(latency)
    const pauses = heap.pauses.map((pause) => pause.endMs - pause.startMs)
    const result = {
      ...heap,
      latenciesMs,
      serviceMs: this.serviceMs,
      p50LatencyMs: latenciesMs.length === 0 ? 0 : histogram.quantile(0.5),
      p99LatencyMs: latenciesMs.length === 0 ? 0 : histogram.quantile(0.99),
      maxPauseMs: largest(pauses, 0),
      totalPauseMs: pauses.reduce((sum, pause) => sum + pause, 0),
    }
    return { ...result, summary: () => gcSummary(result) }
  }
}
