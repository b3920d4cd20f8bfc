/**
 * The smallest like-counter race under the exhaustive explorer: every interleaving counted.
 */
import { describe, expect, it } from "vitest"
import { explore } from "../../../src/check/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  LostUpdateRaceScenario,
  lostUpdateRace,
  raceActors,
  raceLog,
  type RaceRun,
  type Strategy,
} from "../../../src/models/counter/index.ts"

describe("lostUpdateRace under explore", () => {
  it("loses a like in exactly 4 of the 6 interleavings of two naive clients", () => {
    // Each client takes two steps, SELECT (S) then UPDATE (U). The interleavings of two 2-step
    // sequences: C(4,2) = 6. A like is lost when both SELECTs come before either UPDATE (both read
    // 0 and both write 1): SA SB UA UB, SA SB UB UA, SB SA UA UB, SB SA UB UA = 4 of 6 (two thirds).
    // The other two are serial (SA UA SB UB, SB UB SA UA) and end with like = 2.
    const build = lostUpdateRace("naive", 2)
    let first: RaceRun | undefined

    const report = explore((chooser) => {
      const run = build(chooser)
      if (run.violation !== undefined) first ??= run
      return run
    })

    expect(report.complete).toBe(true)
    expect(report.schedules).toBe(6)
    expect(report.violatingSchedules).toBe(4)
    expect(report.states).toEqual(["like=1", "like=2"])
    expect(report.firstViolation!.stateKey).toBe("like=1")
    expect(first!.steps.map((step) => step.type)).toEqual([
      "RowSelected",
      "RowSelected",
      "CountOverwritten",
      "CountOverwritten",
    ])
    expect(raceLog(first!, "naive")).toEqual([
      "A: SELECT like → 0",
      "B: SELECT like → 0",
      "A: UPDATE SET like = 1",
      "B: UPDATE SET like = 1",
    ])
  })

  it("loses at least one like in 84 of the 90 interleavings of three naive clients", () => {
    // 6! / (2! 2! 2!) = 90 interleavings; only the 3! = 6 serial ones lose nothing.
    const report = explore(lostUpdateRace("naive", 3))

    expect(report.schedules).toBe(90)
    expect(report.violatingSchedules).toBe(84)
    expect(report.states).toEqual(["like=1", "like=2", "like=3"])
  })

  it("never loses a like with the four safe strategies, for two and three clients", () => {
    for (const strategy of ["atomic-update", "upsert", "cache-hincrby", "cache-script"] as const) {
      for (const clients of [2, 3]) {
        const report = explore(lostUpdateRace(strategy, clients))

        expect(report.complete, `${strategy} ${clients}`).toBe(true)
        expect(report.violatingSchedules, `${strategy} ${clients}`).toBe(0)
        expect(report.states, `${strategy} ${clients}`).toEqual([`like=${clients}`])
      }
    }
  })

  it("interleaves the upsert's single steps in 2 ways and atomic-update's insert race in 6", () => {
    // Upsert: one step each, 2! orders. Atomic update on an empty table: the first UPDATE finds no
    // row and INSERTs; the loser of the INSERT race gets a duplicate key and UPDATEs again.
    expect(explore(lostUpdateRace("upsert", 2)).schedules).toBe(2)
    expect(explore(lostUpdateRace("atomic-update", 2)).schedules).toBe(6)
  })

  it("loses a like with the client-side check when the TTL strikes between EXISTS and HINCRBY", () => {
    const runs: string[][] = []
    const build = lostUpdateRace("cache-check-then-incr", 2)
    const report = explore((chooser) => {
      const run = build(chooser)
      if (run.violation !== undefined) runs.push(raceLog(run, "cache-check-then-incr"))
      return run
    })

    expect(raceActors("cache-check-then-incr", 2)).toEqual(["A", "B", "ttl"])
    expect(report.complete).toBe(true)
    expect(report.schedules).toBe(96)
    expect(report.violatingSchedules).toBe(28)
    for (const log of runs) {
      const client = log.find((line) => line.includes("re-created"))!.slice(0, 1)
      const exists = log.indexOf(`${client}: EXISTS → yes`)
      expect(exists).toBeGreaterThanOrEqual(0)
      expect(log.indexOf("ttl: the cache entry expires")).toBeGreaterThan(exists)
    }
    const shortest = Math.min(...runs.map((log) => log.length))
    // A: UPSERT, EXISTS yes; ttl; A: HINCRBY; B: UPSERT, EXISTS no — six steps at least.
    expect(shortest).toBe(6)
  })

  it("rejects a race of more than three clients", () => {
    expect(() => lostUpdateRace("naive", 4)).toThrow(/clients must be 1..3, got 4/)
  })
})

describe("LostUpdateRaceScenario", () => {
  it("samples each strategy's race at one schedule per time unit and reports the enumeration beside the samples", () => {
    const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
    const enumerate = (strategy: Strategy) => {
      const report = explore(lostUpdateRace(strategy, 2))
      return {
        schedules: report.schedules,
        violatingSchedules: report.violatingSchedules,
        states: report.states,
        shortest: undefined,
      }
    }
    const scenario = new LostUpdateRaceScenario(sim, {
      clients: 2,
      strategies: ["naive", "upsert"],
      samples: 5,
      enumerate,
    })

    const result = scenario.run()

    expect(sim.now).toBe(10)
    expect(sim.trace.records().map((record) => record.type)).toEqual(Array(10).fill("ScheduleSampled"))
    const summary = result.summary()
    expect(summary.interleavings).toEqual({ naive: 6, upsert: 2 })
    expect(summary.losing).toEqual({ naive: 4, upsert: 0 })
    expect(summary.shortestLosingSteps).toEqual({ naive: null, upsert: null })
    const lostSamples = sim.trace
      .records()
      .filter((record) => record.strategy === "naive" && record.lost === true).length
    expect(summary.sampledLosing).toEqual({ naive: lostSamples, upsert: 0 })
  })

  it("rejects a race of more than three clients", () => {
    const enumerate = () => ({ schedules: 0, violatingSchedules: 0, states: [], shortest: undefined })

    expect(
      () => new LostUpdateRaceScenario(new Simulation(), { clients: 4, strategies: [], samples: 1, enumerate }),
    ).toThrow(/clients must be 1..3/)
  })
})
