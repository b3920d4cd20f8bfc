/**
 * The like-counter's judges: the bounded LostUpdateDetector agrees with a brute-force reading of
 * the whole trace, the DeltaLedger with the deltas recorded, and `no-lost-counts` allows exactly
 * the range unacknowledged deltas leave open.
 */
import { describe, expect, it } from "vitest"
import { type TraceRecord, type Traced, Simulation } from "../../../src/kernel/index.ts"
import {
  articleOfKey,
  checkNoLostCounts,
  CounterScenario,
  type CounterScenarioOptions,
  type CounterTally,
  type LikeCounterEvent,
  LostUpdateDetector,
  stepKind,
} from "../../../src/models/counter/index.ts"

/** A run with the whole trace kept. */
function tracedRun(options: CounterScenarioOptions, seed = 1) {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const result = new CounterScenario(sim, options).run()
  return { result, records: sim.trace.records() as unknown as Traced<LikeCounterEvent>[] }
}

/**
 * The first lost update the slow way: every step kept; from the losing client's last read (or
 * check) to its write, the steps of the same article that touch its kind or every kind.
 */
function bruteForceFirstConflict(records: readonly Traced<LikeCounterEvent>[]) {
  const steps = records.filter((record) => stepKind(record) !== undefined)
  const lost = records.find((record) => record.type === "LostUpdateSeen")
  if (lost === undefined || lost.type !== "LostUpdateSeen") return undefined
  const before = steps.filter((step) => step.seq < lost.seq)
  const read = before.findLast(
    (step) =>
      (step.type === "RowSelected" || (step.type === "CommandExecuted" && step.argv[0] === "EXISTS")) &&
      step.client === lost.client,
  )!
  const article = articleOfKey(lost.key)
  const keyOf = (step: Traced<LikeCounterEvent>): string | undefined =>
    step.type === "CommandExecuted" ? step.argv[step.argv[0] === "FCALL" ? 3 : 1] : "key" in step ? step.key : undefined
  return before.filter((step) => {
    const key = keyOf(step)
    if (step.seq < read.seq || key === undefined || articleOfKey(key) !== article) return false
    const kind = stepKind(step)
    return kind === null || kind === lost.kind
  })
}

const seqs = (records: readonly TraceRecord[] | readonly Traced<LikeCounterEvent>[]) => records.map((r) => r.seq)

describe("LostUpdateDetector", () => {
  it("finds the same first conflict as a brute-force reading of the whole trace, naive, 8 clients", () => {
    const { result, records } = tracedRun({ strategy: "naive", clients: 8, likes: 30 })

    const expected = bruteForceFirstConflict(records)!
    const conflict = result.firstConflict!

    expect(expected.length).toBeLessThanOrEqual(16)
    expect(conflict.totalSteps).toBe(expected.length)
    expect(seqs(conflict.steps)).toEqual(seqs(expected))
    expect(result.conflicts).toBe(records.filter((record) => record.type === "LostUpdateSeen").length)
    expect(result.conflicts).toBeGreaterThan(50)
  })

  it("keeps the read and the last steps when the window is longer than keepSteps (64 naive clients, keepSteps 6)", () => {
    const options = { strategy: "naive", clients: 64, likes: 3, conflictSteps: 6 } as const
    const { result, records } = tracedRun(options)

    const expected = bruteForceFirstConflict(records)!
    const conflict = result.firstConflict!

    expect(expected.length).toBeGreaterThan(6)
    expect(conflict.totalSteps).toBe(expected.length)
    expect(seqs(conflict.steps)).toEqual(seqs([expected[0]!, ...expected.slice(-5)]))
  })

  it("finds the key re-created by HINCRBY with the database's count then, as the brute force does", () => {
    const { result, records } = tracedRun({ strategy: "cache-check-then-incr", clients: 8, likes: 100 })

    const conflict = result.firstConflict!
    const expected = bruteForceFirstConflict(records)!

    expect(conflict.lost.cause).toBe("key-recreated")
    expect(seqs(conflict.steps)).toEqual(seqs(expected.length > 16 ? [expected[0]!, ...expected.slice(-15)] : expected))
    const database = records.filter(
      (r) =>
        r.seq < conflict.lost.seq &&
        r.type === "CountUpserted" &&
        r.kind === conflict.kind &&
        r.key === conflict.lost.key,
    )
    expect(conflict.lost.basis).toBe((database.at(-1) as { value: number }).value)
  })

  it("sees no conflict with a safe strategy", () => {
    const { result, records } = tracedRun({ strategy: "atomic-update", clients: 8, likes: 30 })

    expect(result.conflicts).toBe(0)
    expect(result.firstConflict).toBeUndefined()
    expect(records.some((record) => record.type === "LostUpdateSeen")).toBe(false)
  })

  it("rejects keepSteps under 2", () => {
    expect(() => new LostUpdateDetector({ keepSteps: 1 })).toThrow(/keepSteps must be an integer >= 2, got 1/)
  })
})

describe("DeltaLedger through the scenario", () => {
  it("sums exactly the acknowledged deltas recorded, per article and kind, under a database pause", () => {
    const plan = { faults: [{ kind: "pause" as const, node: "db", at: 50, durationMs: 1500 }] }
    const { result, records } = tracedRun({ strategy: "upsert", clients: 4, likes: 20, articles: 2, plan })

    for (const tally of result.tallies) {
      const of = (type: string) =>
        records.filter(
          (r) => r.type === type && "article" in r && r.article === tally.article && r.kind === tally.kind,
        ) as unknown as { delta: number }[]
      const acknowledged = of("DeltaAcknowledged").reduce((sum, d) => sum + d.delta, 0)
      const started = of("DeltaStarted").reduce((sum, d) => sum + d.delta, 0)
      expect(tally.expected).toBe(acknowledged)
      expect(tally.unacknowledgedUp + tally.unacknowledgedDown).toBe(started - acknowledged)
    }
    expect(result.unacknowledged).toBeGreaterThan(0)
    expect(result.deltas - result.unacknowledged).toBe(records.filter((r) => r.type === "DeltaAcknowledged").length)
  })
})

describe("no-lost-counts", () => {
  const history = (tally: Partial<CounterTally>) => {
    const full = {
      article: 1,
      kind: "like" as const,
      expected: 10,
      final: 10,
      unacknowledgedUp: 2,
      unacknowledgedDown: -1,
      ...tally,
    }
    return { tallies: [full], deltas: 14, unacknowledged: 3, expected: full.expected, final: full.final }
  }

  it("holds anywhere in expected + [unacknowledged down, unacknowledged up], and not one outside", () => {
    expect([9, 10, 11, 12].map((final) => checkNoLostCounts(history({ final })).held)).toEqual([true, true, true, true])
    expect([8, 13].map((final) => checkNoLostCounts(history({ final })).held)).toEqual([false, false])
    expect(checkNoLostCounts(history({ final: 8 })).detail).toBe(
      "1 of 1 counters are off: article 1 like: expected 10, final 8, lost 2 (allowed 9..12: unacknowledged deltas)",
    )
  })
})
