/** bench/decompose.ts builds the same model on both sides at every step: the runs end at the same time. */
import { describe, expect, it } from "vitest"
import { runCeiling, runEngine, STEPS } from "../../bench/decompose.ts"

describe("bench/decompose.ts", () => {
  for (const step of STEPS) {
    it(`step ${step}: the engine and the ceiling end at the same simulated time`, () => {
      const ended = runEngine(step, 2000)
      expect(ended).toBeGreaterThan(0)
      expect(runCeiling(step, 2000)).toBe(ended)
    })
  }
  it("the full step is the mm1 workload: it ends when mm1 with 2,000 customers does", async () => {
    const { runMm1 } = await import("../../bench/mm1.ts")
    expect(runEngine("full", 2000)).toBe(runMm1(2000).simTime)
  })
})
