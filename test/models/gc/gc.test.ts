import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  FIXED_PAUSE_MS,
  GcScenario,
  type GcScenarioOptions,
  MIN_GOAL_BYTES,
  requestLatencyMs,
} from "../../../src/models/gc/index.ts"

const MB = 2 ** 20

function run(options: GcScenarioOptions, seed = 1) {
  return new GcScenario(new Simulation({ seed }), options).run()
}

describe("GcHeap pacing (Go's GOGC rule)", () => {
  it("starts each stop-the-world collection when the heap reaches max(4 MB, live after the last × (1 + GOGC/100))", () => {
    for (const gogc of [25, 100, 300]) {
      const result = run({ collector: "stw", gogc, liveBytes: 10 * MB, allocBytesPerMs: 100_000 })

      expect(result.cycles[0]!.goalBytes).toBe(Math.max(MIN_GOAL_BYTES, 10 * MB * (1 + gogc / 100)))
      for (const [k, cycle] of result.cycles.entries()) {
        expect(cycle.heapBytes).toBeGreaterThanOrEqual(cycle.goalBytes)
        expect(cycle.heapBytes - cycle.goalBytes).toBeLessThan(100_000)
        if (k > 0)
          expect(cycle.goalBytes).toBe(Math.max(MIN_GOAL_BYTES, result.cycles[k - 1]!.liveBytes * (1 + gogc / 100)))
      }
    }
  })

  it("pauses a stop-the-world collection for 0.05 ms plus live / marking speed", () => {
    const result = run({ collector: "stw", liveBytes: 20 * MB, markBytesPerMs: MB })

    for (const cycle of result.cycles) expect(cycle.pauseMs).toBeCloseTo(FIXED_PAUSE_MS + cycle.liveBytes / MB, 9)
    expect(result.collections).toBeGreaterThan(3)
  })

  it("ages the heap across a pause of 2.5e10 ms by its pending deaths, not millisecond by millisecond", () => {
    // --mark-mb-per-ms 1e-9 on the sim: the first pause lasts 2.5e10 ms; aging every millisecond
    // of it took minutes (about 10 ns each), aging the few pending deaths takes none.
    const started = performance.now()

    const result = run({ collector: "stw", liveBytes: 20 * MB, markBytesPerMs: 1e-9 * MB, durationMs: 2_000 })

    expect(performance.now() - started).toBeLessThan(10_000)
    expect(result.collections).toBe(1)
    expect(result.cycles[0]!.pauseMs).toBeCloseTo(FIXED_PAUSE_MS + result.cycles[0]!.liveBytes / (1e-9 * MB), 0)
  })

  it("keeps the world running while a concurrent collector marks: two 0.05 ms pauses, the heap over its goal", () => {
    const result = run({ collector: "concurrent" })

    expect(result.pauses.map((pause) => pause.endMs - pause.startMs).every((p) => Math.abs(p - 0.05) < 1e-9)).toBe(true)
    expect(result.pauses.length).toBe(2 * result.collections)
    expect(result.maxOvershootBytes).toBeGreaterThan(MB)
  })

  it("never collects under reference counting, and leaks exactly the cyclic share of what died", () => {
    const result = run({
      collector: "refcount",
      cycleFraction: 0.1,
      lifetimeMsMean: 0.001,
      durationMs: 100,
      liveBytes: 0,
    })

    expect(result.collections).toBe(0)
    expect(result.pauses).toEqual([])
    // 100 ticks (t = 0..99) of 100,000 bytes, each dead the next ms, all by the end at t = 100
    expect(result.leakedBytes).toBe(100 * 10_000)
  })
})

describe("requestLatencyMs", () => {
  const pauses = [
    { startMs: 10, endMs: 20 },
    { startMs: 30, endMs: 31 },
  ]

  it("adds every pause that overlaps the request", () => {
    expect(requestLatencyMs(0, 5, pauses)).toBe(5)
    expect(requestLatencyMs(8, 5, pauses)).toBe(15)
    expect(requestLatencyMs(8, 25, pauses)).toBe(36)
  })

  it("makes a request that arrives during a pause wait for its end", () => {
    expect(requestLatencyMs(15, 5, pauses)).toBe(10)
  })
})
