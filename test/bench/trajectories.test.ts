import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import * as baselineMm1 from "../../bench/baseline/mm1.ts"
import * as baselineMm2 from "../../bench/baseline/mm2.ts"
import * as baselinePingpong from "../../bench/baseline/pingpong.ts"
import * as baselineTimeouts from "../../bench/baseline/timeouts.ts"
import type { BenchResult } from "../../bench/bench-kit.ts"
import * as engineMm1 from "../../bench/mm1.ts"
import * as engineMm2 from "../../bench/mm2.ts"
import * as enginePingpong from "../../bench/pingpong.ts"
import * as engineTimeouts from "../../bench/timeouts.ts"

// The benchmarks double as a differential test of the kernel against SimPy: every system draws the
// same variates (CPython's MT19937), so the trajectories must agree. SimPy's results at these small
// sizes are recorded in bench/reference/simpy.json by bench/simpy/record_reference.py.
const SMALL = { procs: 50, events: 20_000, customers: 5_000, items: 5_000 }
const TOLERANCE = 1e-9

type Reference = Record<string, Record<string, number>>
const reference: Reference = JSON.parse(
  readFileSync(new URL("../../bench/reference/simpy.json", import.meta.url), "utf8"),
).results.small

interface Runners {
  timeouts(): BenchResult
  mm1(): BenchResult
  mm2(): BenchResult
  pingpong(): BenchResult
}

const systems: Record<string, Runners> = {
  engine: {
    timeouts: () => engineTimeouts.runTimeouts(SMALL.procs, SMALL.events),
    mm1: () => engineMm1.runMm1(SMALL.customers),
    mm2: () => engineMm2.runMm2(SMALL.customers),
    pingpong: () => enginePingpong.runPingpong(SMALL.items),
  },
  baseline: {
    timeouts: () => baselineTimeouts.runTimeouts(SMALL.procs, SMALL.events),
    mm1: () => baselineMm1.runMm1(SMALL.customers),
    mm2: () => baselineMm2.runMm2(SMALL.customers),
    pingpong: () => baselinePingpong.runPingpong(SMALL.items),
  },
}

/** |a - b| relative to the larger magnitude; 0 when both are 0. */
function relativeDifference(a: number, b: number): number {
  if (a === b) return 0
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))
}

function expectSameTrajectory(result: BenchResult, simpy: Record<string, number>, keys: readonly string[]): void {
  for (const key of keys) {
    const ours = (result as unknown as Record<string, number>)[key]
    expect(ours, `${result.system} ${result.workload}: ${key} missing`).toBeTypeOf("number")
    expect(
      relativeDifference(ours!, simpy[key]!),
      `${result.system} ${result.workload}: ${key} = ${ours}, SimPy ${simpy[key]}`,
    ).toBeLessThanOrEqual(TOLERANCE)
  }
}

const cases = [
  { workload: "timeouts", keys: ["events", "simTime"] },
  { workload: "mm1", keys: ["events", "simTime", "meanWait"] },
  { workload: "mm2", keys: ["events", "simTime", "meanWait"] },
  { workload: "pingpong", keys: ["events", "simTime"] },
] as const

describe("benchmark trajectories against SimPy", () => {
  it("has SimPy's recorded results for every workload at the small sizes", () => {
    for (const { workload } of cases) expect(reference[workload], workload).toBeDefined()
    expect(reference.timeouts!.procs).toBe(SMALL.procs)
    expect(reference.mm1!.customers).toBe(SMALL.customers)
    expect(reference.pingpong!.items).toBe(SMALL.items)
  })

  for (const [system, runners] of Object.entries(systems)) {
    for (const { workload, keys } of cases) {
      it(`gives SimPy's ${keys.join(", ")} on ${workload} with the ${system} at small sizes`, () => {
        const result = runners[workload]()

        expect(result.workload).toBe(workload)
        expectSameTrajectory(result, reference[workload]!, keys)
      })
    }
  }

  it("reports mm1's analytic wait as λ/(μ(μ−λ)) and mm2's as Erlang C", () => {
    const mm1 = engineMm1.runMm1(100) as unknown as Record<string, number>
    const mm2 = engineMm2.runMm2(100) as unknown as Record<string, number>

    expect(mm1.analyticWq).toBeCloseTo(0.9 / (1 * (1 - 0.9)), 12)
    expect(mm2.analyticWq).toBeCloseTo(4.2631578947, 9)
  })
})
