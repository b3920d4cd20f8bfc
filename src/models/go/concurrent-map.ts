/**
 * The concurrent-map workload (docs/go-concurrency.md#concurrent-maps): the same goroutines run
 * the same operations against each strategy of `concurrent-map-strategies.ts`, side by side on one
 * clock, for `durationNs`.
 *
 * Readers only read; writers read with probability `readFraction` and otherwise increment. Each
 * goroutine draws its operations and keys from its own named stream, replayed afresh for every
 * strategy, so every strategy faces exactly the same sequence of requests. Between two operations a
 * goroutine works `thinkNs` outside the map. Each goroutine has a core of its own.
 *
 * The result keeps, per strategy, what the check needs (the increments that returned, per key, and
 * the map's final contents) and the latency histograms; the lost writes are the check's verdict.
 */
import { type Advance, type JsonValue, runUntil, type ScenarioResult } from "../../check/core/index.ts"
import { goRuntime, Histogram, type Simulation, type TraceOf } from "../../kernel/index.ts"
import { lostWritesOf } from "./concurrent-map-checks.ts"
import type { ConcurrentMapEvent } from "./concurrent-map-events.ts"
import {
  type ConcurrentMap,
  DEFAULT_MAP_COSTS,
  MAP_STRATEGIES,
  makeConcurrentMap,
  type MapCosts,
  type MapStats,
  type MapStrategyName,
  type ResolvedMapCosts,
} from "./concurrent-map-strategies.ts"

/** Options of {@link ConcurrentMapScenario}. */
export interface ConcurrentMapOptions {
  /** The strategies to compare. Default all seven. */
  readonly strategies?: readonly MapStrategyName[]
  /** Goroutines that only read. Default 4. */
  readonly readers?: number
  /** Goroutines that increment (and read with probability `readFraction`). Default 2. */
  readonly writers?: number
  /** The chance that a writer's operation is a read, in [0, 1]. Default 0.5. */
  readonly readFraction?: number
  /** Distinct keys, drawn uniformly. Default 64. */
  readonly keys?: number
  /** How long goroutines start new operations, ns. Default 2,000,000 (2 ms). */
  readonly durationNs?: number
  /** Shards of the `sharded` strategy. Default 8. */
  readonly shards?: number
  /** Work between two operations of one goroutine, outside the map, ns. Default 500. */
  readonly thinkNs?: number
  /** The cost model. Default {@link DEFAULT_MAP_COSTS}. */
  readonly costs?: MapCosts
}

/** What one strategy did. */
export interface StrategyOutcome {
  readonly strategy: MapStrategyName
  readonly reads: number
  readonly increments: number
  /** When its last goroutine finished, ns. */
  readonly endNs: number
  readonly readLatencyNs: Histogram
  readonly writeLatencyNs: Histogram
  readonly casRetries: number
  readonly bytesCopied: number
  /** Increments that returned, per key. */
  readonly incrementsReturned: ReadonlyMap<number, number>
  /** The map's contents at the end. */
  readonly final: ReadonlyMap<number, number>
}

/** One strategy's JSON metrics. */
export interface StrategySummary {
  /** Operations per second of simulated time (reads and increments). */
  readonly throughput: number
  readonly readP99Us: number
  readonly writeP99Us: number
  readonly casRetries: number
  readonly bytesCopied: number
  readonly lostWrites: number
}

/** Nanoseconds in microseconds, to the nanosecond. */
function microseconds(ns: number): number {
  return Math.round(ns) / 1000
}

/** The JSON metrics of one strategy. */
export function summarizeStrategy(outcome: StrategyOutcome): StrategySummary {
  const operations = outcome.reads + outcome.increments
  return {
    throughput: outcome.endNs === 0 ? 0 : Math.round((operations * 1e9) / outcome.endNs),
    readP99Us: outcome.reads === 0 ? 0 : microseconds(outcome.readLatencyNs.p99),
    writeP99Us: outcome.increments === 0 ? 0 : microseconds(outcome.writeLatencyNs.p99),
    casRetries: outcome.casRetries,
    bytesCopied: outcome.bytesCopied,
    lostWrites: lostWritesOf(outcome.incrementsReturned, outcome.final).lost,
  }
}

/** What {@link ConcurrentMapScenario.run} returns. */
export class ConcurrentMapResult implements ScenarioResult {
  constructor(readonly outcomes: readonly StrategyOutcome[]) {}

  /**
   * The JSON metrics: one strategy's {@link StrategySummary} fields flat; several strategies, an
   * object keyed by strategy name, each holding those fields.
   */
  summary(): { readonly [metric: string]: JsonValue } {
    if (this.outcomes.length === 1) return { ...summarizeStrategy(this.outcomes[0]!) }
    const byStrategy: Record<string, JsonValue> = {}
    for (const outcome of this.outcomes) byStrategy[outcome.strategy] = { ...summarizeStrategy(outcome) }
    return byStrategy
  }
}

/** The goroutine names: readers r1..rN, then writers w1..wM. */
export function goroutineNames(readers: number, writers: number): string[] {
  const names: string[] = []
  for (let i = 1; i <= readers; i++) names.push(`r${i}`)
  for (let i = 1; i <= writers; i++) names.push(`w${i}`)
  return names
}

/** The timed workload against every strategy: `new ConcurrentMapScenario(sim, options).run()`. */
export class ConcurrentMapScenario {
  readonly strategies: readonly MapStrategyName[]
  private readonly options: Required<Omit<ConcurrentMapOptions, "costs">> & { costs: ResolvedMapCosts }

  constructor(
    readonly sim: Simulation,
    options: ConcurrentMapOptions = {},
  ) {
    this.strategies = options.strategies ?? MAP_STRATEGIES
    this.options = {
      strategies: this.strategies,
      readers: options.readers ?? 4,
      writers: options.writers ?? 2,
      readFraction: options.readFraction ?? 0.5,
      keys: options.keys ?? 64,
      durationNs: options.durationNs ?? 2_000_000,
      shards: options.shards ?? 8,
      thinkNs: options.thinkNs ?? 500,
      costs: { ...DEFAULT_MAP_COSTS, ...options.costs },
    }
  }

  /** Runs every strategy's goroutines until all have finished. */
  run(advance: Advance = runUntil): ConcurrentMapResult {
    const builders = this.strategies.map((strategy) => this.start(strategy))
    advance(this.sim, Infinity)
    return new ConcurrentMapResult(builders.map((build) => build()))
  }

  /** Starts one strategy's goroutines; returns how to read its outcome afterwards. */
  private start(strategy: MapStrategyName): () => StrategyOutcome {
    const { sim } = this
    const o = this.options
    const stats: MapStats = { casRetries: 0, bytesCopied: 0 }
    const trace: TraceOf<ConcurrentMapEvent> = sim.trace
    const map = makeConcurrentMap({ sim, strategy, costs: o.costs, trace, stats }, o.shards)
    const tally = {
      reads: 0,
      increments: 0,
      endNs: 0,
      readLatencyNs: new Histogram(),
      writeLatencyNs: new Histogram(),
      incrementsReturned: new Map<number, number>(),
    }
    for (const name of goroutineNames(o.readers, o.writers))
      goRuntime(sim).go(this.goroutine(strategy, map, name, tally), `${strategy}/${name}`)
    return () => ({ strategy, ...tally, ...stats, final: map.entries() })
  }

  /** One goroutine: operations until the duration is over. */
  private *goroutine(
    strategy: MapStrategyName,
    map: ConcurrentMap,
    name: string,
    tally: {
      reads: number
      increments: number
      endNs: number
      readLatencyNs: Histogram
      writeLatencyNs: Histogram
      incrementsReturned: Map<number, number>
    },
  ): Generator<any, void, any> {
    const { sim } = this
    const o = this.options
    const trace: TraceOf<ConcurrentMapEvent> = sim.trace
    const random = sim.randomReplay(`workload/${name}`)
    const writer = name.startsWith("w")
    while (sim.now < o.durationNs) {
      const read = !writer || random.bernoulli(o.readFraction)
      const key = random.integer(0, o.keys - 1)
      const startNs = sim.now
      if (read) {
        const value = yield* map.get(name, key)
        const latencyNs = sim.now - startNs
        tally.reads++
        tally.readLatencyNs.observe(latencyNs)
        trace.record({ type: "MapReadReturned", strategy, goroutine: name, key, value, latencyNs })
      } else {
        yield* map.increment(name, key)
        const latencyNs = sim.now - startNs
        tally.increments++
        tally.writeLatencyNs.observe(latencyNs)
        tally.incrementsReturned.set(key, (tally.incrementsReturned.get(key) ?? 0) + 1)
        trace.record({ type: "IncrementReturned", strategy, goroutine: name, key, latencyNs })
      }
      yield* sim.sleep(o.thinkNs)
    }
    tally.endNs = Math.max(tally.endNs, sim.now)
  }
}
