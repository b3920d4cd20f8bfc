/**
 * Properties of the ranking model: the top-K of every job run equals a full sort (Reddit's
 * incremental sorted set and HN's min-heap over the window), whatever the vote stream; with
 * fencing, no stale list is accepted and one job per period holds whatever the pause or crash of
 * the lock holder and the Redis outage; a min-heap selection equals a sort for any scores.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  checkNoStaleWriteAccepted,
  checkOneJobPerPeriod,
  checkTopKMatchesFullSort,
  fullSortTopK,
  heapTopK,
} from "../../../src/models/ranking/index.ts"
import { checkProperty, FC_SEED } from "../../laws/index.ts"
import { rankingScenario, SMALL } from "./ranking-run.ts"

const FILE = "test/models/ranking/hot-ranking.prop.test.ts"

describe(`ranking properties (FC_SEED=${FC_SEED})`, () => {
  it("selects with a size-K min-heap exactly what a full sort selects", () => {
    const scored = fc.array(
      fc.record({ id: fc.stringMatching(/^a[0-9]{1,3}$/), score: fc.integer({ min: -50, max: 50 }) }),
      { maxLength: 60 },
    )
    checkProperty(
      fc.property(scored, fc.integer({ min: 0, max: 70 }), (items, k) => {
        const unique = [...new Map(items.map((item) => [item.id, item])).values()]
        expect(heapTopK(unique, k)).toEqual(fullSortTopK(unique, k))
      }),
      { testFile: FILE },
    )
  })

  it("computes, at every job run, the list a full sort of the same data gives, for any vote stream", () => {
    const streams = fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      formula: fc.constantFrom("hn" as const, "reddit" as const),
      articles: fc.integer({ min: 1, max: 300 }),
      votesPerSecond: fc.integer({ min: 1, max: 2000 }),
      topK: fc.integer({ min: 1, max: 20 }),
      downvoteProbability: fc.constantFrom(0, 0.3),
    })
    checkProperty(
      fc.property(streams, ({ seed, ...options }) => {
        const result = rankingScenario(seed, { ...SMALL, durationMs: 3000, ...options }).run()

        expect(result.verifications.length).toBeGreaterThan(0)
        const verdict = checkTopKMatchesFullSort(result)
        expect(verdict.held, verdict.detail).toBe(true)
      }),
      { testFile: FILE, numRuns: 25 },
    )
  })

  it("with fencing, never accepts a stale list and keeps one job per period, whatever the faults", () => {
    const faults = fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      formula: fc.constantFrom("hn" as const, "reddit" as const),
      pauseAt: fc.integer({ min: 0, max: 5999 }),
      pauseMs: fc.integer({ min: 0, max: 4000 }),
      crashAt: fc.integer({ min: 0, max: 12000 }),
      redisDownAt: fc.integer({ min: 0, max: 5999 }),
      redisDownMs: fc.integer({ min: 0, max: 3000 }),
    })
    checkProperty(
      fc.property(faults, ({ seed, ...options }) => {
        const result = rankingScenario(seed, { ...SMALL, fencing: true, ...options }).run()

        for (const verdict of [checkNoStaleWriteAccepted(result), checkOneJobPerPeriod(result)]) {
          expect(verdict.held, verdict.detail).toBe(true)
        }
      }),
      { testFile: FILE, numRuns: 25 },
    )
  })
})
