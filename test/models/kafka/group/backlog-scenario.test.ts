/**
 * The backlog scenario over the real brokers: lag from the sampler, capacity and drain per
 * consumer, idle consumers past the partition count, the max rule's loss at a crash; then the law
 * block (same seed → same trace, time never goes backwards, `no-message-lost` accepts fault-free
 * runs and rejects a known-bad one: a max-rule pool crashing mid-backlog).
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  type BacklogResult,
  BacklogScenario,
  type BacklogScenarioOptions,
  totalLag,
} from "../../../../src/models/kafka/group/index.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../../laws/index.ts"

/** 12 s at 400 records/s: the group forms at about 6 s, so 6 s of work. */
const SHORT: BacklogScenarioOptions = { durationMs: 12_000 }
const MAX_CRASH: BacklogScenarioOptions = { ...SHORT, workers: 4, commitRule: "max", crashAtMs: 7000 }

function scenario(seed: number, options: BacklogScenarioOptions, keep = 0): BacklogScenario {
  return new BacklogScenario(new Simulation({ seed, trace: { keep } }), options)
}

const checks = (result: BacklogResult) => result.checks

describe("BacklogScenario", () => {
  it("samples the lag every second from t=0, the last sample at the end; totals skip partitions never committed", () => {
    const result = scenario(1, SHORT).run()

    expect(result.lag.map((s) => s.t)).toEqual([
      0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 11_000, 12_000,
    ])
    expect(result.lagTotals.slice(0, 6)).toEqual([null, null, null, null, null, null])
    expect(result.lagTotals[12]).toBe(totalLag(result.lag[12]!))
    expect(result.summary().finalLag).toBe(result.lagTotals[12])
    expect(result.summary().maxLag).toBe(Math.max(...result.lagTotals.map((v) => v ?? 0)))
  })

  it("capacity per consumer: 1000 / (2 + 8) = 100/s alone, 4 workers 400/s, a full batch of 100 per 208 ms", () => {
    const sim = () => new Simulation({ seed: 1 })

    expect(new BacklogScenario(sim(), {}).capacityPerSecond()).toBe(100)
    expect(new BacklogScenario(sim(), { workers: 4 }).capacityPerSecond()).toBe(400)
    expect(new BacklogScenario(sim(), { batchSize: 100 }).capacityPerSecond()).toBeCloseTo(100_000 / 208, 9)
  })

  it("3 consumers at 100/s each against 400/s never drain: each gets 133.333/s on its two partitions", () => {
    const result = scenario(1, SHORT).run()

    expect(
      result.drain.map((d) => [d.consumer, d.partitions, d.capacityPerSecond, d.arrivalPerSecond, d.drainMs]),
    ).toEqual([
      ["c0", ["t0p0", "t0p1"], 100, 133.333, null],
      ["c1", ["t0p2", "t0p3"], 100, 133.333, null],
      ["c2", ["t0p4", "t0p5"], 100, 133.333, null],
    ])
    expect(result.summary().drainMs).toBeNull()
  })

  it("8 consumers on 6 partitions: c6 and c7 own nothing and sit idle", () => {
    const result = scenario(1, { ...SHORT, consumers: 8 }).run()

    expect(result.idle).toEqual(["c6", "c7"])
    expect(result.drain).toHaveLength(6)
  })

  it("a pool committing with the max rule loses records at a crash mid-backlog; contiguous loses none", () => {
    const max = scenario(1, MAX_CRASH).run()
    const contiguous = scenario(1, { ...MAX_CRASH, commitRule: "contiguous" }).run()

    expect(max.summary().lost).toBeGreaterThan(0)
    expect(max.loss.lostExplanations[0]).toContain("(the max rule); c0 crashed at 7000ms")
    expect(contiguous.summary().lost).toBe(0)
  })
})

describe("backlog scenario laws", () => {
  it("gives the same trace for the same seed, with a pool and a crash", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const built = scenario(seed, MAX_CRASH, Infinity)
        return tracedRunOf(built.sim, () => void built.run())
      },
      3,
      { label: "backlog", minRecords: 1000 },
    )
    expect(report.records).toBeGreaterThanOrEqual(1000)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    scenario(5, { ...SHORT, batchSize: 50 }).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(10_000)
  })

  it("accepts fault-free runs on several seeds, with each remedy's consumers", () => {
    for (const seed of [1, 2]) {
      for (const extra of [{}, { consumers: 6 }, { workers: 4, commitRule: "max" as const }, { batchSize: 100 }]) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns((s) => scenario(s, { ...SHORT, ...extra }).run(), checks, seed)
        expect(verdicts.map((v) => v.name)).toEqual(["no-message-lost"])
      }
    }
  })

  it("rejects a max-rule pool crashing mid-backlog", () => {
    const bad = scenario(1, MAX_CRASH).run()

    const rejection = lawCheckerRejectsKnownBadRun(bad, checks, { name: "no-message-lost" })

    expect(rejection.held).toBe(false)
  })
})
