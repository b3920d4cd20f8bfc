/**
 * The concurrent map: the timed workload against each strategy (exact numbers for one small
 * seeded run), the small case explored over every interleaving (racy and check-then-act lose
 * increments, the strategies with an atomic increment never do), the smallest losing interleaving, the check, and the law block.
 */
import { describe, expect, it } from "vitest"
import { explore } from "../../../src/check/explore.ts"
import { type Chooser, Simulation, type Traced } from "../../../src/kernel/index.ts"
import { runMapCase } from "../../../src/models/go/concurrent-map-case.ts"
import { checkNoLostWrites, lostWritesOf } from "../../../src/models/go/concurrent-map-checks.ts"
import type { ConcurrentMapEvent } from "../../../src/models/go/concurrent-map-events.ts"
import { MAP_STRATEGIES, type MapStrategyName } from "../../../src/models/go/concurrent-map-strategies.ts"
import { concurrentMapTimelineLine } from "../../../src/models/go/concurrent-map-timeline.ts"
import { ConcurrentMapScenario } from "../../../src/models/go/concurrent-map.ts"

/** 2 readers and 2 writers on 2 keys for 20 µs, seed 7: hot keys, so racy loses some. */
function smallRun(seed = 7, strategies: readonly MapStrategyName[] = MAP_STRATEGIES) {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const result = new ConcurrentMapScenario(sim, {
    strategies,
    readers: 2,
    writers: 2,
    keys: 2,
    durationNs: 20_000,
  }).run()
  return { sim, result }
}

function exploreCase(strategy: MapStrategyName, writers: number, increments: number) {
  const report = explore((chooser: Chooser) => {
    const run = runMapCase(new Simulation({ chooser, trace: { hash: false } }), { strategy, writers, increments })
    return {
      stateKey: String(run.final),
      ...(run.lost > 0 ? { violation: `lost ${run.lost}` } : {}),
      log: run.steps.map((step) => `${step.goroutine} ${step.text}`),
    }
  })
  return report
}

describe("ConcurrentMapScenario", () => {
  it("runs the same requests against each strategy: 2 readers, 2 writers, 2 keys, 20 µs, seed 7", () => {
    const { result } = smallRun()

    const summary = result.summary()

    expect(summary).toEqual({
      racy: { throughput: 6176471, readP99Us: 0.1, writeP99Us: 0.3, casRetries: 0, bytesCopied: 0, lostWrites: 2 },
      "check-then-act": {
        ...{ throughput: 753968, readP99Us: 4.1, writeP99Us: 8.5 },
        ...{ casRetries: 0, bytesCopied: 0, lostWrites: 0 },
      },
      mutex: { throughput: 882353, readP99Us: 4.3, writeP99Us: 4.3, casRetries: 0, bytesCopied: 0, lostWrites: 0 },
      rwmutex: { throughput: 1972477, readP99Us: 3, writeP99Us: 4.3, casRetries: 0, bytesCopied: 0, lostWrites: 0 },
      "cow-mutex": {
        ...{ throughput: 5301556, readP99Us: 0.1, writeP99Us: 2.14 },
        ...{ casRetries: 0, bytesCopied: 624, lostWrites: 0 },
      },
      "cow-cas": {
        ...{ throughput: 5882353, readP99Us: 0.1, writeP99Us: 0.64 },
        ...{ casRetries: 9, bytesCopied: 1072, lostWrites: 0 },
      },
      sharded: { throughput: 1681818, readP99Us: 4.1, writeP99Us: 4.3, casRetries: 0, bytesCopied: 0, lostWrites: 0 },
      syncmap: { throughput: 4512373, readP99Us: 4.11, writeP99Us: 4.1, casRetries: 0, bytesCopied: 16, lostWrites: 0 },
    })
  })

  it("racy's two lost increments are one on each key: 13 and 15 returned, the map holds 12 and 14", () => {
    const { result } = smallRun()
    const racy = result.outcomes.find((outcome) => outcome.strategy === "racy")!

    const lost = lostWritesOf(racy.incrementsReturned, racy.final)

    expect(lost).toEqual({
      lost: 2,
      keys: [
        { key: 0, returned: 13, final: 12 },
        { key: 1, returned: 15, final: 14 },
      ],
    })
    expect(checkNoLostWrites(result.outcomes)).toEqual({
      name: "no-lost-writes",
      held: false,
      detail: "racy lost 2 (k0: 13 returned, final 12, k1: 15 returned, final 14)",
    })
  })

  it("a single strategy's summary is flat", () => {
    const { result } = smallRun(7, ["cow-cas"])

    expect(result.summary()).toEqual({
      ...{ throughput: 5882353, readP99Us: 0.1, writeP99Us: 0.64 },
      ...{ casRetries: 9, bytesCopied: 1072, lostWrites: 0 },
    })
  })

  it("every strategy gets the same requests: each goroutine's operations under one are a prefix of those under another", () => {
    const { sim } = smallRun(3)
    const requests = new Map<string, string[]>()
    for (const record of sim.trace.records() as unknown as Traced<ConcurrentMapEvent>[]) {
      if (record.type !== "MapReadReturned" && record.type !== "IncrementReturned") continue
      const key = `${record.strategy} ${record.goroutine}`
      requests.set(key, [...(requests.get(key) ?? []), `${record.type} k${record.key}`])
    }

    for (const goroutine of ["r1", "r2", "w1", "w2"]) {
      const lists = MAP_STRATEGIES.map((strategy) => requests.get(`${strategy} ${goroutine}`)!)
      const shortest = Math.min(...lists.map((list) => list.length))
      expect(shortest).toBeGreaterThan(2)
      for (const list of lists) expect(list.slice(0, shortest)).toEqual(lists[0]!.slice(0, shortest))
    }
  })
})

describe("the small case, every interleaving", () => {
  it("2 writers incrementing once: racy loses one in 12 of 20 interleavings, check-then-act in 48 of 52; the others never", () => {
    const counts = MAP_STRATEGIES.map((strategy) => {
      const report = exploreCase(strategy, 2, 1)
      return [strategy, report.schedules, report.violatingSchedules, report.complete]
    })

    expect(counts).toEqual([
      ["racy", 20, 12, true],
      ["check-then-act", 52, 48, true],
      ["mutex", 6, 0, true],
      ["rwmutex", 6, 0, true],
      ["cow-mutex", 6, 0, true],
      ["cow-cas", 20, 0, true],
      ["sharded", 6, 0, true],
      ["syncmap", 8, 0, true],
    ])
  })

  it("2 writers incrementing twice: racy loses in 224 of 252; cow-cas retries through 1,104 interleavings and loses none", () => {
    const counts = (["racy", "mutex", "cow-cas", "syncmap"] as const).map((strategy) => {
      const report = exploreCase(strategy, 2, 2)
      return [strategy, report.schedules, report.violatingSchedules, report.states]
    })

    expect(counts).toEqual([
      ["racy", 252, 224, ["2", "3", "4"]],
      ["mutex", 10, 0, ["4"]],
      ["cow-cas", 1104, 0, ["4"]],
      ["syncmap", 642, 0, ["4"]],
    ])
  })

  it("the first losing interleaving of racy: both read 0, both write 1", () => {
    const report = exploreCase("racy", 2, 1)

    expect(report.firstViolation?.violation).toBe("lost 1")
    expect(report.firstViolation?.log).toEqual([
      "w1 reads k0 = 0",
      "w2 reads k0 = 0",
      "w1 writes k0 = 1",
      "w2 writes k0 = 1",
      "w1 increment returns",
      "w2 increment returns",
    ])
  })

  it("the first losing interleaving of check-then-act: w2's Get runs between w1's Get and Put", () => {
    const report = exploreCase("check-then-act", 2, 1)

    expect(report.firstViolation?.log).toEqual([
      "w1 reads k0 = 0",
      "w2 gets mu after waiting",
      "w2 reads k0 = 0",
      "w1 gets mu after waiting",
      "w1 writes k0 = 1",
      "w1 increment returns",
      "w2 gets mu after waiting",
      "w2 writes k0 = 1",
      "w2 increment returns",
    ])
  })

  it("cow-cas: a writer whose compare-and-swap loses to the other's copies again and retries", () => {
    const run = runMapCase(new Simulation({ seed: 1 }), { strategy: "cow-cas", writers: 2, increments: 1 })

    expect([run.final, run.lost, run.casRetries]).toEqual([2, 0, 1])
    expect(run.steps.map((step) => `${step.goroutine} ${step.text}`)).toEqual([
      "w1 reads k0 = 0",
      "w1 copies the map: 0 entries, 0 bytes",
      "w2 reads k0 = 0",
      "w2 copies the map: 0 entries, 0 bytes",
      "w1 writes k0 = 1",
      "w1 increment returns",
      "w2 compare-and-swap of the map pointer fails: retry",
      "w2 reads k0 = 1",
      "w2 copies the map: 1 entry, 16 bytes",
      "w2 writes k0 = 2",
      "w2 increment returns",
    ])
  })
})

describe("concurrent map, laws", () => {
  it("same seed, same trace", () => {
    expect(smallRun(5).sim.trace.hash).toBe(smallRun(5).sim.trace.hash)
    expect(smallRun(5).sim.trace.hash).not.toBe(smallRun(6).sim.trace.hash)
  })

  it("time never goes backwards in the trace, and every record has a timeline line", () => {
    const { sim } = smallRun(4)
    const records = sim.trace.records() as unknown as readonly Traced<ConcurrentMapEvent>[]

    const times = records.map((record) => record.t)

    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(records.every((record) => concurrentMapTimelineLine(record).length > 0)).toBe(true)
  })

  it("the check accepts the synchronised strategies' runs and rejects racy's known-bad one", () => {
    const { result } = smallRun(7)
    const safe = result.outcomes.filter((outcome) => outcome.strategy !== "racy")
    const checkThenAct = explore((chooser: Chooser) => {
      const run = runMapCase(new Simulation({ chooser, trace: { hash: false } }), { strategy: "check-then-act" })
      return { stateKey: String(run.final), ...(run.lost > 0 ? { violation: "lost" } : {}) }
    })

    expect(checkNoLostWrites(safe).held).toBe(true)
    expect(checkNoLostWrites(result.outcomes).held).toBe(false)
    expect(checkNoLostWrites([], [{ strategy: "racy", schedules: 20, losing: 12 }]).detail).toBe(
      "racy loses increments in 12 of 20 explored schedules",
    )
    expect(checkNoLostWrites([]).detail).toContain("vacuous")
    expect(
      checkNoLostWrites([], [{ strategy: "check-then-act", schedules: 52, losing: checkThenAct.violatingSchedules }])
        .held,
    ).toBe(false)
  })
})
