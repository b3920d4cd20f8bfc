/**
 * The online time-weighted buckets (memory: the buckets) give exactly the numbers of the batch
 * computation over the whole series they replaced (kept below as the reference, verbatim), so the
 * sparklines built on them did not change.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Gauge, type TimePoint, TimeWeightedBuckets } from "../../src/kernel/index.ts"
import { timeWeightedBuckets } from "../../src/cli/index.ts"
import { checkProperty } from "../laws/index.ts"

function batchBuckets(points: readonly TimePoint[], from: number, to: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`bucket count must be a positive integer, got ${count}`)
  if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to))
    throw new RangeError(`bad bucket range [${from}, ${to}]`)
  if (points.length === 0) throw new RangeError("timeWeightedBuckets needs at least one point")
  const step = (to - from) / count
  const buckets: number[] = []
  let index = 0 // the point in force at the cursor
  for (let b = 0; b < count; b++) {
    const start = from + b * step
    const end = b === count - 1 ? to : from + (b + 1) * step
    while (index + 1 < points.length && points[index + 1]!.t <= start) index++
    if (end <= start) {
      buckets.push(points[index]!.value)
      continue
    }
    let area = 0
    let cursor = start
    let i = index
    while (cursor < end) {
      const nextChange = i + 1 < points.length ? points[i + 1]!.t : Infinity
      const until = Math.min(end, nextChange)
      area += points[i]!.value * (until - cursor)
      cursor = until
      if (until === nextChange) i++
    }
    buckets.push(area / (end - start))
  }
  return buckets
}

const series = fc
  .record({
    start: fc.double({ min: -5, max: 5, noNaN: true }),
    gaps: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })), { maxLength: 60 }),
    values: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 61, maxLength: 61 }),
  })
  .map(({ start, gaps, values }) => {
    const points: TimePoint[] = [{ t: start, value: values[0]! }]
    let t = start
    gaps.forEach((gap, i) => {
      t = t + gap
      points.push({ t, value: values[i + 1]! })
    })
    return points
  })

describe("TimeWeightedBuckets", () => {
  it("equals the batch computation exactly, for any series, range and count", () => {
    checkProperty(
      fc.property(
        series,
        fc.double({ min: -6, max: 6, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })),
        fc.integer({ min: 1, max: 70 }),
        (points, from, width, count) => {
          const to = from + width
          const online = new TimeWeightedBuckets(from, to, count, points[0]!.value)
          for (const point of points) online.record(point.t, point.value)
          expect(online.finish()).toEqual(batchBuckets(points, from, to, count))
        },
      ),
      { testFile: "test/kernel/time-weighted-buckets.test.ts", numRuns: 500 },
    )
  })

  it("the cli function built on it keeps the batch's answers and errors", () => {
    const points = [
      { t: 0, value: 2 },
      { t: 1, value: 0 },
      { t: 1, value: 4 },
      { t: 3, value: 1 },
    ]
    expect(timeWeightedBuckets(points, 0, 4, 4)).toEqual([2, 4, 4, 1])
    expect(timeWeightedBuckets(points, 0, 4, 2)).toEqual([3, 2.5])
    expect(timeWeightedBuckets(points, 2, 2, 3)).toEqual([4, 4, 4])
    expect(() => timeWeightedBuckets([], 0, 1, 2)).toThrow("at least one point")
    expect(() => timeWeightedBuckets(points, 0, 1, 0)).toThrow("positive integer")
    expect(() => timeWeightedBuckets(points, 1, 0, 2)).toThrow("bad bucket range")
  })

  it("a gauge fed into buckets gives what its kept series gives, over any sets at any times", () => {
    const steps = fc.array(
      fc.record({
        gap: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
        value: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 80 },
    )
    checkProperty(
      fc.property(
        steps,
        fc.double({ min: 0, max: 60, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (sets, to, count) => {
          let now = 0
          const kept = new Gauge(() => now, { series: true })
          const fed = new Gauge(() => now, { buckets: new TimeWeightedBuckets(0, to, count, 0) })
          for (const { gap, value } of sets) {
            now = now + gap
            kept.set(value)
            fed.set(value)
          }
          expect(fed.bucketMeans()).toEqual(timeWeightedBuckets(kept.changes(), 0, to, count))
        },
      ),
      { testFile: "test/kernel/time-weighted-buckets.test.ts", numRuns: 3000 },
    )
  })

  it("a change undone at the same instant leaves no split behind: the sums match the series' to the last bit", () => {
    let now = 0
    const kept = new Gauge(() => now, { series: true })
    const fed = new Gauge(() => now, { buckets: new TimeWeightedBuckets(0, 2, 1, 0) })
    const sets: [number, number][] = [
      [0.2, 1],
      [0.2 + 0.7, 2],
      [0.2 + 0.7, 1], // back to 1 at the same instant: the series drops the point at 0.9
      [0.2 + 0.7 + 0.1, 0],
    ]
    for (const [t, value] of sets) {
      now = t
      kept.set(value)
      fed.set(value)
    }
    // 1 × (0.9999999999999999 − 0.2) / 2, not (1 × (0.9 − 0.2) + 1 × (1.0 − 0.9)) / 2 = 0.39999999999999997
    expect(timeWeightedBuckets(kept.changes(), 0, 2, 1)).toEqual([0.3999999999999999])
    expect(fed.bucketMeans()).toEqual([0.3999999999999999])
  })

  it("keeps only its buckets: a million changes leave sixty numbers", () => {
    const buckets = new TimeWeightedBuckets(0, 1_000_000, 60, 0)
    for (let i = 1; i <= 1_000_000; i++) buckets.record(i - 0.5, i % 2)
    const means = buckets.finish()
    expect(means).toHaveLength(60)
    for (const mean of means) expect(mean).toBeCloseTo(0.5, 4)
  })
})
