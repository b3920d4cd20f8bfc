/**
 * The concurrent-map lesson's small case, for exploring every interleaving
 * (docs/go-concurrency.md#concurrent-maps): `writers` goroutines each increment the same key
 * `increments` times, against one strategy, with every cost zero. Each cost is still a wait, so
 * every step of every goroutine is a point where the explorer may run another goroutine first:
 * the explored schedules are all the interleavings of those steps.
 */
import { goRuntime, type Simulation, type Traced } from "../../kernel/index.ts"
import { lostWritesOf } from "./concurrent-map-checks.ts"
import type { ConcurrentMapEvent } from "./concurrent-map-events.ts"
import { concurrentMapTimelineLine } from "./concurrent-map-timeline.ts"
import {
  type ConcurrentMap,
  makeConcurrentMap,
  type MapStats,
  type MapStrategyName,
} from "./concurrent-map-strategies.ts"

/** The small case: how many writers, how many increments each. */
export interface MapCaseOptions {
  readonly strategy: MapStrategyName
  /** Goroutines incrementing key 0. Default 2. */
  readonly writers?: number
  /** Increments per goroutine. Default 1. */
  readonly increments?: number
}

/** One step of one goroutine in a run of the case, for drawing lanes. */
export interface MapCaseStep {
  readonly goroutine: string
  /** What it did, in words (`reads k0 = 0`). */
  readonly text: string
}

/** What one run of the case did. */
export interface MapCaseRun {
  /** Increments that returned. */
  readonly returned: number
  /** The final value of key 0. */
  readonly final: number
  /** Increments lost: returned minus final. */
  readonly lost: number
  readonly casRetries: number
  /** Every step, in the order it happened. */
  readonly steps: readonly MapCaseStep[]
}

const ZERO_COSTS = { readCostNs: 0, writeCostNs: 0, copyCostNsPerEntry: 0, lockHandoffNs: 0, bytesPerEntry: 16 }

/** The goroutine part of a step's words: the timeline line without its `strategy/g ` prefix. */
function stepText(record: Traced<ConcurrentMapEvent>): string {
  if (record.type === "IncrementReturned") return "increment returns"
  const line = concurrentMapTimelineLine(record)
  return line.slice(line.indexOf(" ") + 1)
}

/**
 * A writer goroutine: `increments` increments of key 0, each recorded when it returns. A
 * module-level generator, not a closure made per run: the explorer runs the case thousands of
 * times (docs/kernel-performance.md#generator-closures).
 */
function* writer(
  sim: Simulation,
  map: ConcurrentMap,
  strategy: MapCaseOptions["strategy"],
  name: string,
  increments: number,
  counts: { returned: number },
): Generator<any, void, any> {
  for (let i = 0; i < increments; i++) {
    yield* map.increment(name, 0)
    counts.returned++
    sim.trace.record({ type: "IncrementReturned", strategy, goroutine: name, key: 0, latencyNs: 0 })
  }
}

/** Runs the case once on `sim` (a fresh simulation, usually with the explorer's chooser). */
export function runMapCase(sim: Simulation, options: MapCaseOptions): MapCaseRun {
  const writers = options.writers ?? 2
  const increments = options.increments ?? 1
  const steps: MapCaseStep[] = []
  sim.trace.listen((record) => {
    const event = record as Traced<ConcurrentMapEvent>
    steps.push({ goroutine: event.goroutine, text: stepText(event) })
  })
  const stats: MapStats = { casRetries: 0, bytesCopied: 0 }
  const map = makeConcurrentMap({ sim, strategy: options.strategy, costs: ZERO_COSTS, trace: sim.trace, stats }, 2)
  const counts = { returned: 0 }
  for (let w = 1; w <= writers; w++) {
    const name = `w${w}`
    goRuntime(sim).go(writer(sim, map, options.strategy, name, increments, counts), name)
  }
  sim.run()
  const final = map.entries()
  const { returned } = counts
  const lost = lostWritesOf(new Map([[0, returned]]), final).lost
  return { returned, final: final.get(0) ?? 0, lost, casRetries: stats.casRetries, steps }
}
