/**
 * The like-counter scenario: each strategy on a small run, faults, duplicates and unlikes.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  checkNoLostCounts,
  type CounterResult,
  counterTimelineLine,
  explainLostUpdate,
  type LikeCounterEvent,
  CounterScenario,
  type CounterScenarioOptions,
  STRATEGIES,
  type Strategy,
} from "../../../src/models/counter/index.ts"

function run(strategy: Strategy, options: Partial<CounterScenarioOptions> = {}, seed = 1): CounterResult {
  const sim = new Simulation({ seed })
  return new CounterScenario(sim, { strategy, clients: 4, likes: 30, ...options }).run()
}

describe("CounterScenario", () => {
  it("loses updates with naive read-then-write, and records the first one with its stale read", () => {
    const result = run("naive")

    expect(result.lost).toBeGreaterThan(0)
    expect(checkNoLostCounts(result).held).toBe(false)
    const conflict = result.firstConflict!
    expect(counterTimelineLine(conflict.steps[0]!)).toMatch(new RegExp(`^${conflict.client} SELECT`))
    expect(counterTimelineLine(conflict.steps.at(-1)!)).toMatch(
      new RegExp(`^${conflict.client} UPDATE .* \\(it read \\d+; the row holds \\d+\\)$`),
    )
    expect(conflict.lost).toMatchObject({ type: "LostUpdateSeen", cause: "stale-read", client: conflict.client })
    expect(explainLostUpdate(conflict.lost)).toMatch(
      /computed \d+ from a stale read of \d+: its write erased \d+ update/,
    )
  })

  it("loses nothing with one client, even naive: there is nobody to race", () => {
    const result = run("naive", { clients: 1 })

    expect(result.lost).toBe(0)
    expect(result.conflicts).toBe(0)
  })

  it("counts every acknowledged delta exactly with each safe strategy", () => {
    for (const strategy of ["atomic-update", "upsert", "cache-hincrby", "cache-script"] as const) {
      const result = run(strategy)

      expect(checkNoLostCounts(result), strategy).toMatchObject({ held: true })
      // 4 clients × 30 operations: 120 reads, 120 likes and 24 collects (every fifth operation).
      expect(result.expected, strategy).toBe(264)
      expect(result.final, strategy).toBe(264)
    }
  })

  it("needs fewer database round trips with an upsert than with update-then-insert, and none with the cache only", () => {
    const rounds = Object.fromEntries(STRATEGIES.map((strategy) => [strategy, run(strategy).dbRoundTrips]))

    expect(rounds["upsert"]!).toBeLessThan(rounds["atomic-update"]!)
    expect(rounds["naive"]!).toBeGreaterThan(rounds["upsert"]! + 200)
    expect(rounds["cache-hincrby"]).toBe(0)
  })

  it("re-creates an expired cache entry without a TTL with the client-side check, and the count stays wrong", () => {
    const result = run("cache-check-then-incr", { clients: 8, likes: 100 })

    expect(result.lost).toBeGreaterThan(0)
    expect(explainLostUpdate(result.firstConflict!.lost)).toMatch(
      /expired between c\d+'s EXISTS and its HINCRBY: the key is back holding \d+ instead of \d+, with no TTL/,
    )
  })

  it("accepts unacknowledged deltas either way when the database pauses, and loses no acknowledged one", () => {
    const result = run("upsert", { plan: { faults: [{ kind: "pause", node: "db", at: 50, durationMs: 1500 }] } })

    expect(result.unacknowledged).toBeGreaterThan(0)
    expect(result.final).toBeGreaterThanOrEqual(result.expected)
    expect(checkNoLostCounts(result).held).toBe(true)
  })

  it("applies a duplicated request once: the servers deduplicate by call id", () => {
    const result = run("upsert", { plan: { faults: [{ kind: "link", at: 0, duplicateProbability: 1 }] } })

    expect(result.unacknowledged).toBe(0)
    expect(result.final).toBe(result.expected)
  })

  it("counts unlikes as −1 deltas", () => {
    const sim = new Simulation({ seed: 1 })
    const scenario = new CounterScenario(sim, { strategy: "upsert", clients: 4, likes: 30, unlikeProbability: 0.5 })
    let unlikes = 0
    sim.trace.listen((record) => {
      const event = record as Traced<LikeCounterEvent>
      if (event.type === "DeltaStarted" && event.delta === -1) unlikes++
    })

    const result = scenario.run()
    const like = result.tallies.find((tally) => tally.kind === "like")!

    expect(unlikes).toBeGreaterThan(20)
    expect(like.expected).toBe(120 - unlikes)
    expect(like.final).toBe(like.expected)
  })

  it("spreads operations over articles and checks each article's counters", () => {
    const result = run("atomic-update", { articles: 3 })

    expect(result.tallies).toHaveLength(9)
    expect(result.tallies.filter((tally) => tally.kind === "read").map((tally) => tally.expected)).toEqual([40, 40, 40])
    expect(checkNoLostCounts(result).held).toBe(true)
  })
})
