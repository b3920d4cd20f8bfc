/**
 * The goroutine-leak model: the heap's accounting, the leak without a fix (linear, at the rate
 * theory predicts), its absence with either fix (bounded over a 10× longer run), and the law
 * block. Docs: docs/go-concurrency.md#goroutine-leaks-and-the-heap.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { checkGoroutinesBounded } from "../../../src/models/go/leak-checks.ts"
import { LeakHeap } from "../../../src/models/go/leak-heap.ts"
import { type LeakFix, type LeakOptions, type LeakResult, LeakScenario } from "../../../src/models/go/leak-scenario.ts"
import {
  BUFFERED_CHANNEL_SITE,
  GOROUTINE_STACK_SITE,
  RESULT_SITE,
  SCRATCH_SITE,
} from "../../../src/models/go/leak-sites.ts"
import {
  checkProperty,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

const TEST_FILE = "test/models/go/leak-scenario.test.ts"

/** The most one request keeps alive: channel (buffered: 128 B), stack, scratch and result. */
const REQUEST_BYTES_MAX =
  BUFFERED_CHANNEL_SITE.objectBytes +
  GOROUTINE_STACK_SITE.objectBytes +
  SCRATCH_SITE.objectBytes +
  RESULT_SITE.objectBytes

function run(seed: number, options: LeakOptions): LeakResult {
  return new LeakScenario(new Simulation({ seed }), options).run()
}

describe("LeakHeap", () => {
  it("counts in-use and allocated bytes and objects per site, and refuses a second free", () => {
    const heap = new LeakHeap()

    const a = heap.alloc(SCRATCH_SITE)
    heap.alloc(SCRATCH_SITE)
    const c = heap.alloc(RESULT_SITE)
    heap.free(a)
    heap.free(c)

    expect([heap.inUseBytes, heap.inUseObjects, heap.allocBytes]).toEqual([16384, 1, 2 * 16384 + 4096])
    expect(heap.sites().map((s) => [s.allocObjects, s.allocBytes, s.inUseObjects, s.inUseBytes])).toEqual([
      [2, 32768, 1, 16384],
      [1, 4096, 0, 0],
    ])
    expect(() => heap.free(a)).toThrow("object of main.worker freed twice")
  })
})

describe("LeakScenario, seed 1, 100 requests/s for 60 s, 100 ms deadline", () => {
  it("without a fix leaves every timed-out request's worker blocked: 827 of 6,019", () => {
    const result = run(1, { fix: "none" })

    expect(result.summary()).toEqual({
      goroutinesAtEnd: 837,
      heapInUseBytes: 18_802_688,
      heapAllocBytes: 161_382_944,
      leakRatePerSec: 13.678,
      predictedLeakRatePerSec: 13.534,
      blockedGoroutines: 827,
      peakGoroutines: 837,
      allocBytesPerSec: 2_689_716,
      requests: 6019,
      served: 5187,
      timedOut: 827,
    })
  })

  it("with a fix blocks no worker, on the same arrivals and costs", () => {
    for (const fix of ["buffered", "context"] as const) {
      const result = run(1, { fix })

      expect([result.requests, result.timedOut, result.blockedGoroutines, result.goroutinesAtEnd]).toEqual([
        6019, 827, 0, 10,
      ])
    }
  })

  it("keeps in a blocked worker 22,624 bytes: stack, scratch buffer, result and the 96-byte channel", () => {
    const result = run(1, { fix: "none" })
    const inFlight = run(1, { fix: "context" }).heapInUseBytes

    expect((result.heapInUseBytes - inFlight) / result.blockedGoroutines).toBeCloseTo(22_624, -2)
  })
})

/**
 * The live goroutines with a fix, in the steady state: each request adds its handler for
 * min(cost, timeout) and its worker for cost, so with Poisson arrivals the count has mean
 * rps × (E[min] + E[cost]) and, the handler living only while its worker does, variance
 * rps × (3 E[min] + E[cost]) (cost exponential: E[min] = mean × (1 − e^(−timeout/mean))).
 */
function inFlight(rps: number, timeoutMs: number, costMeanMs: number): { mean: number; sd: number } {
  const min = costMeanMs * (1 - Math.exp(-timeoutMs / costMeanMs))
  return { mean: (rps * (min + costMeanMs)) / 1000, sd: Math.sqrt((rps * (3 * min + costMeanMs)) / 1000) }
}

const shapes = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  rps: fc.integer({ min: 50, max: 150 }),
  timeoutMs: fc.integer({ min: 50, max: 150 }),
})

describe("LeakScenario properties", () => {
  it("keeps at most 22,656 bytes in use per live goroutine, at every sample, with or without a fix", () => {
    checkProperty(
      fc.property(shapes, fc.constantFrom<LeakFix>("none", "buffered", "context"), ({ seed, rps, timeoutMs }, fix) => {
        const result = run(seed, { fix, rps, timeoutMs, durationS: 10 })
        for (const s of result.samples) expect(s.heapInUseBytes).toBeLessThanOrEqual(s.goroutines * REQUEST_BYTES_MAX)
      }),
      { testFile: TEST_FILE, numRuns: 10 },
    )
  })

  it("with a fix stays bounded over a 10× longer run: no worker blocked, every sample within 6 sd of the in-flight mean", () => {
    checkProperty(
      fc.property(shapes, fc.constantFrom<LeakFix>("buffered", "context"), ({ seed, rps, timeoutMs }, fix) => {
        const { mean, sd } = inFlight(rps, timeoutMs, 50)
        const bound = mean + 6 * sd + 6
        for (const durationS of [10, 100]) {
          const result = run(seed, { fix, rps, timeoutMs, durationS })
          expect(result.blockedGoroutines).toBe(0)
          expect(result.peakGoroutines).toBeLessThanOrEqual(bound)
          expect(result.heapInUseBytes).toBeLessThanOrEqual(bound * REQUEST_BYTES_MAX)
        }
      }),
      { testFile: TEST_FILE, numRuns: 6 },
    )
  })

  it("without a fix grows linearly: blocked workers within 5 sd of rps × e^(−timeout/mean) × duration, at 10 s and at 100 s", () => {
    checkProperty(
      fc.property(shapes, ({ seed, rps, timeoutMs }) => {
        const rate = rps * Math.exp(-timeoutMs / 50)
        for (const durationS of [10, 100]) {
          const result = run(seed, { fix: "none", rps, timeoutMs, durationS })
          const expected = rate * durationS
          expect(Math.abs(result.blockedGoroutines - expected)).toBeLessThanOrEqual(5 * Math.sqrt(expected) + 2)
          expect(result.predictedLeakRatePerSec).toBeCloseTo(rate, 9)
        }
      }),
      { testFile: TEST_FILE, numRuns: 6 },
    )
  })
})

describe("goroutine-leak model laws", () => {
  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        return tracedRunOf(sim, () => void new LeakScenario(sim, { durationS: 5 }).run())
      },
      3,
      { label: "goroutine-leak", minRecords: 500 },
    )

    expect(report.records).toBeGreaterThanOrEqual(500)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0

    new LeakScenario(new Simulation({ seed: 4 }), { durationS: 5, fix: "context" }).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })

    expect(steps).toBeGreaterThan(3000)
  })

  it("accepts runs with either fix on several seeds", () => {
    for (const seed of [1, 2, 3])
      for (const fix of ["buffered", "context"] as const) {
        const verdicts = lawCheckerAcceptsFaultFreeRuns(
          (s) => run(s, { fix, durationS: 10 }),
          checkGoroutinesBounded,
          seed,
        )

        expect(verdicts.map((v) => v.name)).toEqual(["goroutines-bounded"])
      }
  })

  it("rejects the run without a fix, naming the blocked workers", () => {
    const rejection = lawCheckerRejectsKnownBadRun(run(1, { fix: "none", durationS: 10 }), checkGoroutinesBounded, {
      name: "goroutines-bounded",
      detail: /^\d+ workers blocked forever on a send nobody will receive/,
    })

    expect(rejection.held).toBe(false)
  })
})
