import { describe, expect, it } from "vitest"
import { timeWeightedBuckets } from "../../../src/cli/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import { type ThreadPoolScenarioOptions, ThreadPoolScenario } from "../../../src/models/thread-pool/index.ts"

const SLICES = 64

/** A finished run of `options` on seed `seed`, its pool keeping at most `seriesMax` points per series. */
function ran(options: ThreadPoolScenarioOptions, seriesMax: number, seed = 1): ThreadPoolScenario {
  const scenario = new ThreadPoolScenario(new Simulation({ seed }), { ...options, series: true, seriesMax })
  scenario.run()
  return scenario
}

/** The profile over [0, end of run] from the whole series (no cap): what the sparklines showed before. */
function fromWholeSeries(options: ThreadPoolScenarioOptions, seed = 1): { poolSize: number[]; queueLength: number[] } {
  const scenario = ran(options, Infinity, seed)
  const { poolSize, queueLength } = scenario.changes()
  const endMs = scenario.sim.now
  return {
    poolSize: timeWeightedBuckets(poolSize, 0, endMs, SLICES),
    queueLength: timeWeightedBuckets(queueLength, 0, endMs, SLICES),
  }
}

const LONG_RUNS: readonly (readonly [string, ThreadPoolScenarioOptions])[] = [
  ["a queue that grows without bound", { tasks: 3000, intervalMs: 1, queueCapacity: Infinity }],
  ["Poisson arrivals near saturation", { tasks: 3000, arrivalRate: 3.9 }],
  ["caller-runs slowing the submitter", { tasks: 3000, intervalMs: 100, rejection: "caller-runs" }],
  [
    "discard-oldest with keep-alives",
    { tasks: 3000, arrivalRate: 5, queueCapacity: 10, keepAliveMs: 300, rejection: "discard-oldest" },
  ],
]

describe("ThreadPoolScenario.profile", () => {
  it.each(LONG_RUNS)("replays %s to the very numbers of the whole series once the series are dropped", (_, options) => {
    const scenario = ran(options, 100)

    const profile = scenario.profile(scenario.sim.now, SLICES)

    expect(scenario.pool.seriesDropped).toBe(true)
    expect(profile).toEqual(fromWholeSeries(options))
  })

  it("reads the kept series without a replay when they fit", () => {
    const options = { tasks: 7 }
    const scenario = ran(options, 100)
    let replays = 0

    const profile = scenario.profile(scenario.sim.now, SLICES, () => {
      replays++
      return new Simulation()
    })

    expect(replays).toBe(0)
    expect(profile).toEqual(fromWholeSeries(options))
  })

  it("keeps no more change points after a run ten times longer: the memory is the cap, not the run", () => {
    const short = ran({ tasks: 1000, arrivalRate: 3.9 }, 256)
    const long = ran({ tasks: 10_000, arrivalRate: 3.9 }, 256)

    const kept = [short, long].map((scenario) => scenario.pool.seriesLength)
    const uncapped = [1000, 10_000].map((tasks) => ran({ tasks, arrivalRate: 3.9 }, Infinity).pool.seriesLength)

    expect(kept[1]).toBe(kept[0])
    expect(kept[0]).toBeLessThanOrEqual(2 * 256)
    expect(uncapped[0]).toBeGreaterThan(256)
    expect(uncapped[1]).toBeGreaterThan(9 * uncapped[0]!)
  })

  it("keeps no per-task list in a replay (history: false): only counts and the profile's slices", () => {
    const sim = new Simulation({ seed: 1 })
    const replay = new ThreadPoolScenario(sim, {
      tasks: 3000,
      arrivalRate: 5,
      queueCapacity: 10,
      rejection: "discard-oldest",
      profile: { endMs: 1000, slices: SLICES },
      history: false,
    })

    sim.run()

    const pool = replay.pool
    expect(pool.submitted).toBe(3000)
    expect(pool.rejected).toBeGreaterThan(0)
    expect([pool.startOrder.length, pool.rejectedTasks.length, pool.rejectionTimesMs.length]).toEqual([0, 0, 0])
    expect(pool.latencyMs.keepsObservations).toBe(false)
    expect(pool.profile().queueLength).toHaveLength(SLICES)
  })

  it("refuses a replay that ends elsewhere than the run", () => {
    const scenario = ran({ tasks: 3000, arrivalRate: 3.9 }, 100, 1)

    expect(() => scenario.profile(scenario.sim.now, SLICES, () => new Simulation({ seed: 2 }))).toThrow(
      /the replay ended at/,
    )
  })
})

describe("ThreadPoolScenario.byInstant", () => {
  it("lists the instants of a burst of 10,000 tasks (two: the burst, the keep-alives ending), however many tasks it had", () => {
    const scenario = ran({ tasks: 10_000, queueCapacity: 0, maximumPoolSize: 4, corePoolSize: 2 }, 100)

    const instants = scenario.byInstant(16)

    expect(instants?.map((instant) => instant.t)).toEqual([0, 61_000])
    expect(instants?.[0]).toEqual({ t: 0, poolSize: 4, queueLength: 0, rejectedSoFar: 9996 })
  })

  it("answers undefined past the limit, with the series kept or dropped", () => {
    const kept = ran({ tasks: 40, intervalMs: 100 }, Infinity)
    const dropped = ran({ tasks: 3000, arrivalRate: 3.9 }, 100)

    expect(kept.byInstant(16)).toBeUndefined()
    expect(kept.byInstant()?.length).toBeGreaterThan(16)
    expect(dropped.byInstant(16)).toBeUndefined()
    expect(() => dropped.byInstant(100)).toThrow(/seriesMax must exceed 100/)
  })
})
