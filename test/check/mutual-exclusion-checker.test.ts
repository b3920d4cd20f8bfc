/**
 * "At most one holder" and "fencing tokens increase", on hand-made intervals and on a lock model
 * built on the kernel's Resource (which must never be caught with two holders).
 */
import { describe, expect, it } from "vitest"
import {
  checkAtMostOneHolder,
  checkFencingTokens,
  checkMutualExclusion,
  type HoldInterval,
} from "../../src/check/core/mutual-exclusion-checker.ts"
import { Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { lawCheckerAcceptsFaultFreeRuns, lawCheckerRejectsKnownBadRun } from "../laws/index.ts"

/** Three clients take turns on a kernel lock with random hold times; each holding is an interval with a token. */
function lockModel(seed: number): HoldInterval[] {
  const sim = new Simulation({ seed })
  const lock = new Resource(sim, { capacity: 1, name: "lock" })
  const intervals: HoldInterval[] = []
  let nextToken = 1
  for (const client of ["c1", "c2", "c3"]) {
    const random = sim.random(client)
    sim.spawn(
      (function* () {
        for (let i = 0; i < 5; i++) {
          yield* sim.sleep(random.integer(0, 3))
          const request = lock.request()
          yield* request
          const from = sim.now
          const token = nextToken++
          yield* sim.sleep(random.integer(1, 4))
          lock.release(request)
          intervals.push({ holder: client, from, to: sim.now, token })
        }
      })(),
      client,
    )
  }
  sim.run()
  return intervals
}

describe("checkAtMostOneHolder", () => {
  it("accepts back-to-back holdings: [0, 10) then [10, 20)", () => {
    const result = checkAtMostOneHolder([
      { holder: "a", from: 0, to: 10 },
      { holder: "b", from: 10, to: 20 },
    ])

    expect(result).toEqual({ name: "at-most-one-holder", held: true, detail: "2 holdings by 2 holders never overlap" })
  })

  it("names the earliest overlap and both holdings", () => {
    const result = checkAtMostOneHolder([
      { holder: "a", from: 0, to: 10 },
      { holder: "c", from: 40, to: 60 },
      { holder: "b", from: 30, to: 50 },
      { holder: "a", from: 5, to: 8 },
    ])

    expect(result).toEqual({
      name: "at-most-one-holder",
      held: false,
      detail: "two holders from t=40 to t=50: b held from t=30 to t=50; c held from t=40 to t=60",
    })
  })

  it("lets one holder's own intervals overlap (a renewed lease), since exclusion is between holders", () => {
    expect(
      checkAtMostOneHolder([
        { holder: "a", from: 0, to: 10 },
        { holder: "a", from: 8, to: 20 },
      ]).held,
    ).toBe(true)
  })

  it("treats an interval without an end as held to the end of the run", () => {
    const result = checkAtMostOneHolder([
      { holder: "a", from: 0 },
      { holder: "b", from: 100, to: 120 },
    ])

    expect(result.detail).toBe(
      "two holders from t=100 to t=120: a held from t=0 to the end; b held from t=100 to t=120",
    )
  })

  it("ignores empty intervals and rejects ones that end before they start", () => {
    expect(
      checkAtMostOneHolder([
        { holder: "a", from: 0, to: 10 },
        { holder: "b", from: 5, to: 5 },
      ]).held,
    ).toBe(true)
    expect(() => checkAtMostOneHolder([{ holder: "a", from: 10, to: 5 }])).toThrow(/ends before it starts/)
  })

  it("accepts every run of a lock built on a kernel Resource (law: checker accepts fault-free runs)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(lockModel, checkMutualExclusion, seed)

      expect(verdicts.map((verdict) => verdict.name)).toEqual(["at-most-one-holder", "fencing-tokens-increase"])
    }
  })

  it("rejects a paused holder that still believed it held after its lease moved on (law: checker rejects a known-bad run)", () => {
    const pausedHolder: HoldInterval[] = [
      { holder: "a", from: 0, to: 250, token: 1 }, // lease of 100ms, but a was paused and woke at 250
      { holder: "b", from: 100, to: 200, token: 2 },
    ]

    lawCheckerRejectsKnownBadRun(pausedHolder, checkMutualExclusion, {
      name: "at-most-one-holder",
      detail: /from t=100 to t=200/,
    })
  })
})

describe("checkFencingTokens", () => {
  it("accepts tokens that increase with acquisition order, whatever the input order", () => {
    const result = checkFencingTokens([
      { holder: "b", from: 20, to: 30, token: 7 },
      { holder: "a", from: 0, to: 10, token: 3 },
      { holder: "c", from: 40, token: 8 },
    ])

    expect(result).toEqual({
      name: "fencing-tokens-increase",
      held: true,
      detail: "3 tokens increase with acquisition order",
    })
  })

  it("names the first acquisition whose token is not above an earlier one", () => {
    const result = checkFencingTokens([
      { holder: "a", from: 0, to: 10, token: 3 },
      { holder: "b", from: 20, to: 30, token: 5 },
      { holder: "c", from: 40, to: 50, token: 5 },
    ])

    expect(result).toEqual({
      name: "fencing-tokens-increase",
      held: false,
      detail: "c acquired at t=40 with token 5, not above token 5 granted to b at t=20",
    })
  })

  it("is left out of checkMutualExclusion when no interval carries a token", () => {
    expect(checkMutualExclusion([{ holder: "a", from: 0, to: 1 }]).map((verdict) => verdict.name)).toEqual([
      "at-most-one-holder",
    ])
  })
})
