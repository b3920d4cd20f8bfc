/**
 * Properties of the etcd lock: whatever pauses and partitions strike clients and server, each
 * acquisition's token (its key's create revision) is above every earlier one; and the simulated
 * Mutex never lets two keys' owners acquire out of create-revision order.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { faultPlanArbitrary } from "../../../src/check/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import { checkEtcdLock, EtcdLockScenario } from "../../../src/models/etcd/index.ts"
import { checkProperty, FC_SEED } from "../../laws/index.ts"

const NODES = ["c0", "c1", "c2", "etcd"]

describe(`etcd lock properties (FC_SEED=${FC_SEED})`, () => {
  it("gives strictly increasing tokens across acquisitions under random pauses and partitions", () => {
    let acquisitions = 0
    let runs = 0
    const plans = faultPlanArbitrary({ nodes: NODES, horizonMs: 8000, kinds: ["pause", "partition"], maxFaults: 4 })

    checkProperty(
      fc.property(plans, fc.integer({ min: 1, max: 1000 }), (plan, seed) => {
        const scenario = new EtcdLockScenario(new Simulation({ seed }), {
          clients: [0, 150, 300].map((startMs) => ({ startMs, holdMs: 400, rounds: 3 })),
          durationMs: 20_000,
          plan,
        })

        const result = scenario.run()
        acquisitions += result.holdings.length
        runs++

        const tokens = checkEtcdLock(result).find((verdict) => verdict.name === "fencing-tokens-increase")!
        if (!tokens.held) throw new Error(tokens.detail)
        return true
      }),
      { testFile: "test/models/etcd/etcd-mutex.prop.test.ts", numRuns: 60 },
    )

    // The property is about acquisitions: most runs must have several (9 without faults).
    expect(acquisitions).toBeGreaterThan(runs * 4)
  })
})
