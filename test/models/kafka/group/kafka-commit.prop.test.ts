/**
 * Properties of commits under crashes, on the real brokers (KafkaCommitScenario: c0 reads t0p0,
 * c1 stands by and takes over from the committed offset once c0's session times out):
 *
 * - `contiguous` commits lose nothing under any crash plan (crash times of either consumer, with or
 *   without a restart, worker counts, processing times, seeds);
 * - `max` commits have a counterexample; every shrunk one has a crash of the consumer that made the
 *   commit past the lost record (the max rule), and a one-crash search shrinks to exactly one crash;
 * - auto-commit with a worker pool (positions committed while workers are busy) has a
 *   counterexample for loss, explained by a commit of positions.
 *
 * Runs are short: 1,000 records at 100/s, 25 s of simulated time, a 10 s session timeout.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  type CommitChoice,
  KafkaCommitScenario,
  type KafkaCommitResult,
} from "../../../../src/models/kafka/group/index.ts"
import type { Fault } from "../../../../src/net/index.ts"
import { checkProperty, FC_SEED } from "../../../laws/index.ts"

const FILE = "test/models/kafka/group/kafka-commit.prop.test.ts"

interface Crash {
  readonly consumer: "c0" | "c1"
  readonly at: number
  /** Back after this long; null: down for good. */
  readonly restartAfterMs: number | null
}

interface Run {
  readonly crashes: readonly Crash[]
  readonly workers: number
  readonly processingMs: number
  readonly autoCommitIntervalMs: number
  readonly seed: number
}

const crash: fc.Arbitrary<Crash> = fc.record({
  consumer: fc.constantFrom("c0" as const, "c1" as const),
  at: fc.integer({ min: 6000, max: 12_000 }),
  restartAfterMs: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: null }),
})

/** One crash per consumer (a node down cannot crash again). */
function faultsOf(crashes: readonly Crash[]): Fault[] {
  const seen = new Set<string>()
  return crashes.flatMap((c) => {
    if (seen.has(c.consumer)) return []
    seen.add(c.consumer)
    return [
      c.restartAfterMs === null
        ? { kind: "crash" as const, node: c.consumer, at: c.at, restart: false }
        : { kind: "crash" as const, node: c.consumer, at: c.at, restartAt: c.at + c.restartAfterMs },
    ]
  })
}

function run(commit: CommitChoice, r: Run): KafkaCommitResult {
  const sim = new Simulation({ seed: r.seed, trace: { hash: false } })
  return new KafkaCommitScenario(sim, {
    commit,
    workers: r.workers,
    processingMs: r.processingMs,
    autoCommitIntervalMs: r.autoCommitIntervalMs,
    crashAtMs: null,
    records: 1000,
    ratePerSecond: 100,
    durationMs: 25_000,
    plan: { faults: faultsOf(r.crashes) },
  }).run()
}

const runOf = (
  crashes: fc.Arbitrary<Crash[]>,
  workers = fc.integer({ min: 2, max: 8 }),
  processingMs = fc.integer({ min: 1, max: 15 }),
  autoCommitIntervalMs = fc.integer({ min: 50, max: 5000 }),
): fc.Arbitrary<Run> =>
  fc.record({ crashes, workers, processingMs, autoCommitIntervalMs, seed: fc.integer({ min: 1, max: 1000 }) })

/** Crashes while c0 still has records arriving (production ends at 10 s), with enough load for a pool to overlap. */
const busyCrash: fc.Arbitrary<Crash> = fc.record({
  consumer: fc.constantFrom("c0" as const, "c1" as const),
  at: fc.integer({ min: 6500, max: 10_000 }),
  restartAfterMs: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: null }),
})
const busy = (
  crashes: fc.Arbitrary<Crash[]>,
  workers: fc.Arbitrary<number> = fc.constant(4),
  autoCommit: fc.Arbitrary<number> = fc.constant(5000),
) => runOf(crashes, workers, fc.integer({ min: 6, max: 15 }), autoCommit)

const held = (commit: CommitChoice) => (r: Run) => run(commit, r).checks[0]!.held

describe("commit properties", () => {
  it("contiguous commits lose nothing under any crash plan", () => {
    checkProperty(
      fc.property(runOf(fc.array(crash, { maxLength: 2 })), (r) => {
        const result = run("contiguous", r)
        expect(result.loss.lost, result.checks[0]!.detail).toBe(0)
        expect(result.checks[0]!.held).toBe(true)
      }),
      { testFile: FILE, numRuns: 8 },
    )
  }, 300_000)

  it("max commits: every shrunk counterexample crashes the consumer whose max-rule commit passed the lost record", () => {
    const details = fc.check(fc.property(busy(fc.array(busyCrash, { maxLength: 2 })), held("max")), {
      seed: FC_SEED,
      numRuns: 60,
    })
    expect(details.failed).toBe(true)
    const [shrunk] = details.counterexample!
    expect(shrunk.crashes.length).toBeGreaterThanOrEqual(1)
    const result = run("max", shrunk)
    expect(result.loss.lost).toBeGreaterThan(0)
    for (const why of result.loss.lostExplanations)
      expect(why).toMatch(/\(the max rule\); (c0|c1) crashed at [\d.]+ms before processing it/)
  }, 600_000)

  it("max commits: with one crash allowed, the counterexample is exactly one crash", () => {
    const details = fc.check(fc.property(busy(fc.array(busyCrash, { maxLength: 1 })), held("max")), {
      seed: FC_SEED,
      numRuns: 60,
    })
    expect(details.failed).toBe(true)
    const [shrunk] = details.counterexample!
    expect(shrunk.crashes.length).toBe(1)
  }, 600_000)

  it("auto-commit with a worker pool: a counterexample for loss, explained by a commit of positions", () => {
    const details = fc.check(
      fc.property(
        busy(
          fc.array(busyCrash, { minLength: 1, maxLength: 1 }),
          fc.integer({ min: 2, max: 8 }),
          fc.integer({ min: 50, max: 1000 }),
        ),
        held("auto"),
      ),
      {
        seed: FC_SEED,
        numRuns: 60,
      },
    )
    expect(details.failed).toBe(true)
    const [shrunk] = details.counterexample!
    const result = run("auto", shrunk)
    expect(result.loss.lost).toBeGreaterThan(0)
    for (const why of result.loss.lostExplanations)
      expect(why).toContain("the position: records handed out but not yet processed")
  }, 600_000)
})
