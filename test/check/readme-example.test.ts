/**
 * The README's "Check your own design in 30 lines" example, kept here so it always runs.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkAtMostOneHolder, expectCounterexample, expectHolds, faultPlanArbitrary, type HoldInterval } from "../../src/check/index.ts"
import { Simulation } from "../../src/kernel/index.ts"
import type { FaultPlan } from "../../src/net/fault-plan.ts"

// --- the README example starts here ---
// A lease lock: clients a and b take turns holding a lease of `leaseMs`; each works 80ms per turn.
// A GC pause during the work (from the fault plan) makes the holder overrun its lease unawares.
function leaseLock(leaseMs: number, faults: FaultPlan): HoldInterval[] {
  const sim = new Simulation()
  const holdings: HoldInterval[] = []
  let leaseEnd = 0 // the lock server's view: the current lease expires then
  for (const client of ["a", "b"]) {
    sim.spawn((function* () {
      for (let turn = 0; turn < 3; turn++) {
        while (sim.now < leaseEnd) yield* sim.sleep(leaseEnd - sim.now) // wait for a free lock
        const from = sim.now
        leaseEnd = from + leaseMs // granted
        yield* sim.sleep(80) // work...
        for (const f of faults.faults) if (f.kind === "pause" && f.node === client && f.at >= from && f.at < from + 80) yield* sim.sleep(f.durationMs)
        holdings.push({ holder: client, from, to: sim.now }) // ...believing it held the lock throughout
      }
    })())
  }
  sim.run()
  return holdings
}

const pauses = (maxDurationMs: number, maxFaults: number) =>
  faultPlanArbitrary({ nodes: ["a", "b"], horizonMs: 600, kinds: ["pause"], maxDurationMs, maxFaults })
const run = (scenario: { leaseMs: number }, faults: FaultPlan) => leaseLock(scenario.leaseMs, faults)
const check = (holdings: HoldInterval[]) => checkAtMostOneHolder(holdings)
// --- the README example ends here ---

describe("the README example", () => {
  it("finds that a pause of 21ms, the shortest longer than the 20ms of slack, breaks mutual exclusion", () => {
    const found = expectCounterexample({ scenario: fc.record({ leaseMs: fc.constant(100) }), faults: pauses(200, 4), run, check, log: null })

    expect(found.faults.faults).toEqual([{ kind: "pause", node: expect.stringMatching(/^[ab]$/), at: expect.any(Number), durationMs: 21 }])
    expect(found.failed[0]!.detail).toMatch(/^two holders from t=\d+ to t=\d+: [ab] held from t=\d+ to t=\d+; [ab] held from/)
  })

  it("holds when a single pause fits in the lease's slack (one pause of up to 20ms)", () => {
    expect(expectHolds({ scenario: fc.record({ leaseMs: fc.constant(100) }), faults: pauses(20, 1), run, check, log: null }).numRuns).toBe(100)
  })

  it("finds that short pauses in one turn add up: 20ms of slack is not 20ms per pause", () => {
    const found = expectCounterexample({ scenario: fc.record({ leaseMs: fc.constant(100) }), faults: pauses(20, 4), run, check, numRuns: 2000, log: null })

    const total = found.faults.faults.reduce((sum, fault) => sum + (fault.kind === "pause" ? fault.durationMs : 0), 0)
    // Usually two pauses (say 8 + 13); three (7 + 7 + 7) is also a local minimum for the shrinker,
    // which can shorten or drop a pause but not merge two.
    expect(found.faults.faults.length).toBeGreaterThanOrEqual(2)
    expect(new Set(found.faults.faults.map((fault) => (fault.kind === "pause" ? fault.node : "")))).toHaveProperty("size", 1)
    expect(total).toBe(21)
  })
})
