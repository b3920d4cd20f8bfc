import { describe, expect, it } from "vitest"
import { RegenerativeEstimator } from "../../../src/models/queueing/index.ts"

describe("RegenerativeEstimator", () => {
  it("gives the ratio of sums as the mean and the ratio estimator's standard error", () => {
    const estimator = new RegenerativeEstimator()
    const cycles = [[1, 3], [2], [0, 0, 6]]
    for (const cycle of cycles) {
      estimator.startCycle()
      for (const value of cycle) estimator.observe(value)
    }

    const estimate = estimator.estimate()

    // ΣY = 12, ΣN = 6, r = 2; residuals Y − rN: 4 − 4 = 0, 2 − 2 = 0, 6 − 6 = 0
    expect(estimate).toEqual({ mean: 2, standardError: 0, cycles: 3, count: 6 })
  })

  it("computes a non-zero standard error by hand on uneven cycles", () => {
    const estimator = new RegenerativeEstimator()
    for (const cycle of [[4], [0, 0], [2]]) {
      estimator.startCycle()
      for (const value of cycle) estimator.observe(value)
    }

    const estimate = estimator.estimate()

    // r = 6/4 = 1.5; residuals 4 − 1.5 = 2.5, 0 − 3 = −3, 2 − 1.5 = 0.5; Σ² = 15.5; s = √(15.5/2)
    // N̄ = 4/3; SE = s / (N̄·√3)
    expect(estimate.mean).toBe(1.5)
    expect(estimate.standardError).toBeCloseTo(Math.sqrt(15.5 / 2) / ((4 / 3) * Math.sqrt(3)), 14)
  })

  it("has no standard error with a single cycle and no mean without observations", () => {
    const estimator = new RegenerativeEstimator()
    estimator.startCycle()
    expect(Number.isNaN(estimator.estimate().mean)).toBe(true)

    estimator.observe(5)

    expect(estimator.estimate().mean).toBe(5)
    expect(Number.isNaN(estimator.estimate().standardError)).toBe(true)
  })

  it("refuses an observation before the first cycle", () => {
    expect(() => new RegenerativeEstimator().observe(1)).toThrow("before the first startCycle()")
  })
})
