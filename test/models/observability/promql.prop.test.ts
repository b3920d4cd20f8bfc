/**
 * PromQL's functions: fixed cases worked by hand from the documented rules, and the properties the
 * observability lesson rests on (rate and increase as a plain reference of the documented rules
 * computes them; rate never negative over resets; rate of a steady counter is the true rate once
 * the window is full).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  extrapolatedRate,
  histogramQuantile,
  instantRate,
  instantSample,
  rangeSamples,
  type Sample,
} from "../../../src/models/observability/promql.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/observability/promql.prop.test.ts"

const every15s = (values: readonly number[], offsetMs = 0): Sample[] =>
  values.map((value, i) => ({ tMs: offsetMs + i * 15_000, value }))

describe("PromQL functions, worked by hand", () => {
  it("selects [t − r, t] with both ends, and an instant sample no older than 5 minutes", () => {
    const samples = every15s([1, 2, 3, 4])
    expect(rangeSamples(samples, 45_000, 30_000).map((s) => s.value)).toEqual([2, 3, 4])
    expect(instantSample(samples, 44_999)?.value).toBe(3)
    expect(instantSample(samples, 45_000 + 300_000)?.value).toBe(4)
    expect(instantSample(samples, 45_001 + 300_000)).toBeUndefined()
  })

  it("extrapolates increase to the window's edges, by at most half an interval beyond 1.1 intervals", () => {
    // samples at 15, 30, 45 s of 10, 20, 30; window [0, 60]: 15 s to each edge is < 16.5 s
    const samples = every15s([10, 20, 30], 15_000)
    expect(extrapolatedRate("increase", samples, 60_000, 60_000)).toBe(40)
    expect(extrapolatedRate("rate", samples, 60_000, 60_000)).toBe(40 / 60)
    // window [-60, 60] s: the start is 75 s away, more than 1.1 intervals, so a gauge's delta adds
    // only half an interval (7.5 s) there...
    expect(extrapolatedRate("delta", samples, 60_000, 120_000)).toBe((20 * (30 + 7.5 + 15)) / 30)
    // ...while a counter is not taken below zero: 10 at 20 per 30 s puts its zero 15 s before the
    // first sample, which is within 1.1 intervals, so the increase runs from there
    expect(extrapolatedRate("increase", samples, 60_000, 120_000)).toBe((20 * (30 + 15 + 15)) / 30)
  })

  it("adds the value before a counter reset, and irate takes the new value after one", () => {
    const samples = every15s([5, 9, 2, 6], 15_000) // reset between 9 and 2
    // raw 6 − 5 = 1, plus 9 at the reset = 10 over 45 s; 15 s to the start is within 1.1 × 15
    expect(extrapolatedRate("increase", samples, 75_000, 75_000)).toBe((10 * (45 + 15 + 15)) / 45)
    expect(instantRate("irate", every15s([5, 9, 2]), 30_000, 60_000)).toBe(2 / 15)
    expect(extrapolatedRate("rate", every15s([5]), 0, 60_000)).toBeUndefined()
  })

  it("interpolates histogram_quantile within the bucket, answers the second-highest bound in +Inf", () => {
    const buckets = [
      { le: 0.1, count: 10 },
      { le: 0.5, count: 30 },
      { le: 1, count: 40 },
      { le: Infinity, count: 50 },
    ]
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1 + 0.4 * (15 / 20), 15)
    expect(histogramQuantile(0.1, buckets)).toBe(0.05)
    expect(histogramQuantile(0.99, buckets)).toBe(1)
    expect(histogramQuantile(0.5, buckets.slice(0, 3))).toBeNaN()
  })
})

/** A counter scraped every `intervalMs` from `offsetMs`: random increments, some resets. */
const counterWithResets = fc
  .record({
    increments: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 200 }),
    resets: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
    intervalMs: fc.integer({ min: 1000, max: 60_000 }),
    offsetMs: fc.integer({ min: 0, max: 60_000 }),
  })
  .map(({ increments, resets, intervalMs, offsetMs }) => {
    let value = 0
    return increments.map((increment, i) => {
      value = resets[i] === true && i % 7 === 3 ? increment : value + increment
      return { tMs: offsetMs + i * intervalMs, value }
    })
  })

/**
 * `increase`/`rate` computed the plain way from the rules in docs/prometheus.md, sample by sample:
 * the window's samples, each step's increase (a drop counts the new value: the counter restarted
 * from 0), the zero clamp at the start, then the stretch to each edge within 1.1 average intervals
 * or by half an interval.
 */
function referenceRate(
  fn: "rate" | "increase",
  samples: readonly Sample[],
  t: number,
  rangeMs: number,
): number | undefined {
  const window = samples.filter((s) => s.stale !== true && s.tMs >= t - rangeMs && s.tMs <= t)
  if (window.length < 2) return undefined
  let counted = 0
  for (let i = 1; i < window.length; i++) {
    const [before, after] = [window[i - 1]!.value, window[i]!.value]
    counted += after >= before ? after - before : after
  }
  const first = window[0]!
  const last = window[window.length - 1]!
  const sampledS = (last.tMs - first.tMs) / 1000
  const averageS = sampledS / (window.length - 1)
  let toStartS = (first.tMs - (t - rangeMs)) / 1000
  const toEndS = (t - last.tMs) / 1000
  if (counted > 0 && first.value >= 0) toStartS = Math.min(toStartS, (sampledS * first.value) / counted)
  const stretch = (toEdgeS: number): number => (toEdgeS < 1.1 * averageS ? toEdgeS : averageS / 2)
  const increase = (counted * (sampledS + stretch(toStartS) + stretch(toEndS))) / sampledS
  return fn === "rate" ? increase / (rangeMs / 1000) : increase
}

/** A counter scraped at irregular times (gaps from 1 to 60 s), restarting now and then. */
const irregularCounter = fc
  .array(
    fc.record({
      gapMs: fc.integer({ min: 1000, max: 60_000 }),
      increment: fc.integer({ min: 0, max: 1000 }),
      reset: fc.integer({ min: 0, max: 9 }),
    }),
    { minLength: 1, maxLength: 120 },
  )
  .map((steps) => {
    let tMs = 0
    let value = 0
    return steps.map(({ gapMs, increment, reset }) => {
      tMs += gapMs
      value = reset === 0 ? increment : value + increment
      return { tMs, value }
    })
  })

/**
 * `histogram_quantile` the plain way from docs/prometheus.md: the bounds in order with equal ones
 * merged, each count raised to the largest before it, no answer without `+Inf` or observations;
 * then the first bucket whose cumulative count reaches q × total, interpolated from the bound below
 * it (0 for the first) to its own, or the highest finite bound when that bucket is `+Inf`.
 */
function referenceQuantile(q: number, buckets: readonly { le: number; count: number }[]): number {
  const bounds = [...new Set(buckets.map((b) => b.le))].sort((x, y) => x - y)
  if (bounds.length < 2 || bounds[bounds.length - 1] !== Infinity) return NaN
  let highest = -Infinity
  const counts = bounds.map((le) => {
    const summed = buckets.filter((b) => b.le === le).reduce((total, b) => total + b.count, 0)
    highest = Math.max(highest, summed)
    return highest
  })
  const total = counts[counts.length - 1]!
  if (total === 0) return NaN
  const rank = q * total
  const at = counts.findIndex((count) => count >= rank)
  if (at === bounds.length - 1) return bounds[bounds.length - 2]!
  const below = at === 0 ? 0 : counts[at - 1]!
  const lower = at === 0 ? 0 : bounds[at - 1]!
  return lower + (bounds[at]! - lower) * ((rank - below) / (counts[at]! - below))
}

describe("PromQL properties", () => {
  it("histogram_quantile agrees with a plain reference of the documented rules over generated bucket counts", () => {
    checkProperty(
      fc.property(
        fc.constantFrom(0.01, 0.25, 0.5, 0.9, 0.99, 1),
        fc.array(
          fc.record({
            le: fc.constantFrom(0.005, 0.01, 0.1, 0.5, 1, 2.5, 10, Infinity),
            count: fc.integer({ min: 0, max: 500 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (q, buckets) => {
          const expected = referenceQuantile(q, buckets)
          const actual = histogramQuantile(q, buckets)
          if (Number.isNaN(expected)) expect(actual).toBeNaN()
          else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)))
        },
      ),
      { testFile: TEST_FILE, numRuns: 500 },
    )
  })

  it("rate and increase agree with a plain reference of the documented rules over counters with resets and gaps", () => {
    checkProperty(
      fc.property(
        irregularCounter,
        fc.integer({ min: 0, max: 7_500_000 }),
        fc.integer({ min: 1000, max: 1_800_000 }),
        (samples, t, rangeMs) => {
          for (const fn of ["rate", "increase"] as const) {
            const expected = referenceRate(fn, samples, t, rangeMs)
            const actual = extrapolatedRate(fn, samples, t, rangeMs)
            if (expected === undefined) expect(actual).toBeUndefined()
            else expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)))
          }
        },
      ),
      { testFile: TEST_FILE, numRuns: 500 },
    )
  })

  it("rate and increase are never negative over a counter with resets", () => {
    checkProperty(
      fc.property(
        counterWithResets,
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        (samples, t, range) => {
          for (const fn of ["rate", "increase"] as const) {
            const value = extrapolatedRate(fn, samples, t, range)
            if (value !== undefined) expect(value).toBeGreaterThanOrEqual(0)
          }
          const irate = instantRate("irate", samples, t, range)
          if (irate !== undefined) expect(irate).toBeGreaterThanOrEqual(0)
        },
      ),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("rate of a steady counter is the true rate once the window (>= 4 scrape intervals) is full", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1000, max: 30_000 }),
        fc.integer({ min: 4, max: 40 }),
        fc.integer({ min: 0, max: 29_999 }),
        fc.integer({ min: 0, max: 600_000 }),
        (perSecond, intervalMs, intervals, offsetMs, afterMs) => {
          const rangeMs = intervals * intervalMs
          const t = rangeMs + intervalMs + afterMs
          const samples = Array.from({ length: Math.ceil(t / intervalMs) + 2 }, (_, i) => {
            const tMs = (offsetMs % intervalMs) + i * intervalMs
            return { tMs, value: (perSecond * tMs) / 1000 }
          })
          const rate = extrapolatedRate("rate", samples, t, rangeMs)!
          expect(Math.abs(rate - perSecond) / perSecond).toBeLessThan(1e-9)
        },
      ),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })
})
