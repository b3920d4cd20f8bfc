/**
 * Properties of the concurrent map under generated workloads: the six strategies whose increment
 * is atomic never lose one; racy does, and fast-check shrinks its counterexample to two writers on
 * one key. The explorer's side: for every small case, racy and check-then-act have losing
 * interleavings and the others none.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expectCounterexample, expectHolds } from "../../../src/check/index.ts"
import { explore } from "../../../src/check/explore.ts"
import { type Chooser, Simulation } from "../../../src/kernel/index.ts"
import { runMapCase } from "../../../src/models/go/concurrent-map-case.ts"
import { checkNoLostWrites } from "../../../src/models/go/concurrent-map-checks.ts"
import {
  MAP_STRATEGIES,
  type MapStrategyName,
  UNSAFE_MAP_STRATEGIES,
} from "../../../src/models/go/concurrent-map-strategies.ts"
import { ConcurrentMapScenario } from "../../../src/models/go/concurrent-map.ts"
import { FC_SEED } from "../../laws/index.ts"

const SAFE = MAP_STRATEGIES.filter((strategy) => !UNSAFE_MAP_STRATEGIES.includes(strategy))

/** A generated workload: small enough to run 7 strategies in milliseconds. */
const workloads = fc.record({
  seed: fc.integer({ min: 1, max: 1000 }),
  readers: fc.integer({ min: 0, max: 3 }),
  writers: fc.integer({ min: 1, max: 4 }),
  readPercent: fc.integer({ min: 0, max: 100 }),
  keys: fc.integer({ min: 1, max: 8 }),
  shards: fc.integer({ min: 1, max: 4 }),
  durationUs: fc.integer({ min: 1, max: 30 }),
})

type Workload = typeof workloads extends fc.Arbitrary<infer W> ? W : never

function run(workload: Workload, strategies: readonly MapStrategyName[]) {
  const sim = new Simulation({ seed: workload.seed, trace: { enabled: false } })
  return new ConcurrentMapScenario(sim, {
    strategies,
    readers: workload.readers,
    writers: workload.writers,
    readFraction: workload.readPercent / 100,
    keys: workload.keys,
    shards: workload.shards,
    durationNs: workload.durationUs * 1000,
  }).run()
}

function replay(strategies: readonly MapStrategyName[]) {
  return {
    name: "concurrent-map",
    toFlags: (w: Workload) => [
      ...["--seed", String(w.seed), "--strategy", strategies.join(","), "--readers", String(w.readers)],
      ...["--writers", String(w.writers), "--read-fraction", String(w.readPercent / 100), "--keys", String(w.keys)],
      ...["--shards", String(w.shards), "--duration-ms", String(w.durationUs / 1000)],
    ],
  }
}

describe(`concurrent map properties (FC_SEED=${FC_SEED})`, () => {
  it("the six strategies with an atomic increment never lose an increment under generated workloads", () => {
    const report = expectHolds({
      scenario: workloads,
      run: (workload) => run(workload, SAFE),
      check: (result) => checkNoLostWrites(result.outcomes),
      sim: replay(SAFE),
      numRuns: 40,
      log: null,
    })

    expect(report.numRuns).toBe(40)
  })

  it("racy loses increments; the shrunk workload is two writers on one key", () => {
    const found = expectCounterexample({
      scenario: workloads,
      run: (workload) => run(workload, ["racy"]),
      check: (result) => checkNoLostWrites(result.outcomes),
      sim: replay(["racy"]),
      numRuns: 200,
      log: null,
    })

    expect([found.scenario.writers, found.scenario.keys]).toEqual([2, 1])
    expect(found.failed[0]!.detail).toMatch(/^racy lost \d+ \(k0: \d+ returned, final \d+\)$/)
  })

  it("explored: 2 writers with 1 or 2 increments and 3 writers with 1 (cow-cas and check-then-act: 2 writers only), only racy and check-then-act have losing interleavings", () => {
    const cases = [
      [2, 1],
      [3, 1],
      [2, 2],
    ] as const

    const losing = cases.map(([writers, increments]) =>
      MAP_STRATEGIES.filter((strategy) => !["cow-cas", "check-then-act"].includes(strategy) || writers === 2).map(
        (strategy) => {
          const report = explore((chooser: Chooser) => {
            const result = runMapCase(new Simulation({ chooser, trace: { hash: false } }), {
              strategy,
              writers,
              increments,
            })
            return { stateKey: String(result.final), ...(result.lost > 0 ? { violation: "lost" } : {}) }
          })
          expect(report.complete).toBe(true)
          return `${strategy}:${report.violatingSchedules > 0}`
        },
      ),
    )

    expect(losing.map((row) => row.filter((entry) => entry.endsWith(":true")))).toEqual([
      ["racy:true", "check-then-act:true"],
      ["racy:true"],
      ["racy:true", "check-then-act:true"],
    ])
  })
})
