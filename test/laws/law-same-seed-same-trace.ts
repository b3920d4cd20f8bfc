/**
 * Law: the same seed gives the same trace (fast-check's `assertProduceSameValueGivenSameSeed`, for
 * simulations).
 *
 * Two fresh runs built from the same seed must produce the same trace hash. When they do not, the
 * law names the first record where they diverge, which is where the hidden nondeterminism surfaced
 * (a wall clock, `Math.random`, a module-level counter, a Map keyed by object identity...).
 *
 * Invariant checked: `build(seed)` twice → identical hashes, and the runs recorded something (an
 * empty trace proves nothing, so it fails the law unless `minRecords` is 0).
 * Left out: comparing metrics or stdout; models that want that put the numbers in the trace.
 */
import type { Simulation } from "../../src/kernel/simulation.ts"
import { firstDifference, type TraceRecord } from "../../src/kernel/trace.ts"

/** One run of a model, built from a seed and not yet started. */
export interface TracedRun {
  /** Runs the model to its end. */
  run(): void
  /** The trace hash after the run (reading it closes the trace). */
  hash(): string
  /** The records the run kept (build the simulation with `trace: { keep: Infinity }` for a full report). */
  records(): readonly TraceRecord[]
}

/**
 * The usual {@link TracedRun}: `run` runs `sim` (by default `sim.run()`), `hash` and `records` read its
 * trace. Build `sim` with `trace: { keep: Infinity }` so a divergence can be shown.
 */
export function tracedRunOf(sim: Simulation, run: (sim: Simulation) => void = (s) => void s.run()): TracedRun {
  return {
    run: () => run(sim),
    hash: () => sim.trace.hash,
    records: () => sim.trace.records(),
  }
}

/** Options of {@link lawSameSeedSameTrace}. */
export interface SameSeedOptions {
  /** Fewest records a run must keep for the law to mean something. Default 1. */
  readonly minRecords?: number
  /** Names the model in the failure message. Default "the model". */
  readonly label?: string
}

/** What the law saw when it held. */
export interface SameSeedReport {
  /** The common trace hash. */
  readonly hash: string
  /** Records kept by each run. */
  readonly records: number
}

/**
 * Builds and runs the model twice with `seed` and compares the trace hashes.
 * @throws Error naming the seed and the first diverging record (index, both versions) on a difference
 */
export function lawSameSeedSameTrace(
  build: (seed: number) => TracedRun,
  seed: number,
  options: SameSeedOptions = {},
): SameSeedReport {
  const label = options.label ?? "the model"
  const minRecords = options.minRecords ?? 1
  const first = build(seed)
  first.run()
  const second = build(seed)
  second.run()
  const hashes = [first.hash(), second.hash()] as const
  const recordsA = first.records()
  const recordsB = second.records()
  if (hashes[0] !== hashes[1]) {
    throw new Error(`${label}: seed ${seed} gave two different traces\n${describeDivergence(recordsA, recordsB)}`)
  }
  if (recordsA.length < minRecords) {
    throw new Error(
      `${label}: seed ${seed} kept ${recordsA.length} trace records, fewer than ${minRecords}: ` +
        "an empty trace cannot show nondeterminism (keep records with trace: { keep: Infinity })",
    )
  }
  return { hash: hashes[0], records: recordsA.length }
}

/** A readable account of where two record lists first differ. */
export function describeDivergence(a: readonly TraceRecord[], b: readonly TraceRecord[]): string {
  const index = firstDifference(a, b)
  if (index < 0) {
    return `the kept records are identical (${a.length} each): the difference lies in records that were not kept`
  }
  const show = (records: readonly TraceRecord[]): string =>
    index < records.length ? JSON.stringify(records[index]) : `(no record: the run ended after ${records.length})`
  const before = index > 0 ? `\n  last common record: ${JSON.stringify(a[index - 1])}` : ""
  return `first diverging record: #${index}${before}\n  run 1: ${show(a)}\n  run 2: ${show(b)}`
}
