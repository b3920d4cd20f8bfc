/**
 * The law helpers themselves: each holds on a healthy model and fails, with a useful message, on a
 * model built to break it. A law that cannot fail proves nothing.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/simulation.ts"
import type { TraceRecord } from "../../src/kernel/trace.ts"
import {
  type CheckResult,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  lawTraceTimeNeverGoesBackwards,
  tracedRunOf,
} from "./index.ts"

/** A small model: two arrivals processes drawing from their own streams and tracing each arrival. */
function arrivalsModel(seed: number, leak?: () => number): Simulation {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  for (const name of ["a", "b"]) {
    sim.spawn(
      (function* () {
        const stream = sim.random(name)
        for (let i = 0; i < 5; i++) {
          yield* sim.sleep(stream.exponential(1))
          sim.trace.record("CustomerArrived", { source: name, i, extra: leak === undefined ? 0 : leak() })
        }
      })(),
      name,
    )
  }
  return sim
}

describe("lawSameSeedSameTrace", () => {
  it("holds for a model that draws only from its seeded streams and returns the common hash", () => {
    const report = lawSameSeedSameTrace((seed) => tracedRunOf(arrivalsModel(seed)), 7)

    expect(report.records).toBe(10)
    expect(report.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it("fails on a model with a module-level counter and names the first diverging record with both versions", () => {
    let counter = 0
    const leaky = (): number => (counter++ >= 13 ? 1 : 0) // the second run sees 1 from its 4th record on

    let message = ""
    try {
      lawSameSeedSameTrace((seed) => tracedRunOf(arrivalsModel(seed, leaky)), 7, { label: "leaky" })
    } catch (error) {
      message = (error as Error).message
    }

    expect(message).toMatch(/^leaky: seed 7 gave two different traces\nfirst diverging record: #3\n/)
    expect(message).toMatch(
      /run 1: \{"t":[\d.]+,"seq":3,"type":"CustomerArrived",.*"extra":0\}\n {2}run 2: \{.*"extra":1\}$/,
    )
  })

  it("shows where one run stopped early when the other went on", () => {
    let runs = 0
    const build = (seed: number) => {
      const sim = new Simulation({ seed, trace: { keep: Infinity } })
      const records = runs++ === 0 ? 3 : 2
      for (let i = 0; i < records; i++) sim.trace.record("Ticked", { i })
      return tracedRunOf(sim)
    }

    expect(() => lawSameSeedSameTrace(build, 1)).toThrow(/#2[\s\S]*run 2: \(no record: the run ended after 2\)/)
  })

  it("fails on a model that records nothing, since an empty trace cannot show nondeterminism", () => {
    expect(() => lawSameSeedSameTrace((seed) => tracedRunOf(new Simulation({ seed })), 1)).toThrow(
      /kept 0 trace records, fewer than 1/,
    )
  })
})

describe("lawTimeNeverGoesBackwards", () => {
  it("steps a model to its end and reports the steps and the end time", () => {
    const report = lawTimeNeverGoesBackwards(arrivalsModel(3))
    const reference = arrivalsModel(3).run()

    expect(report).toEqual({ steps: reference.events, endTime: reference.now })
    expect(report.steps).toBeGreaterThanOrEqual(12) // 2 process starts and 10 sleeps at least
  })

  it("stops before events at or after until", () => {
    const sim = new Simulation()
    sim.timeout(1)
    sim.timeout(5)

    expect(lawTimeNeverGoesBackwards(sim, { until: 5 })).toEqual({ steps: 1, endTime: 1 })
  })

  it("fails when the clock is ahead of the next announced event", () => {
    const broken = { now: 10, peek: () => 4, step: () => true } as unknown as Simulation

    expect(() => lawTimeNeverGoesBackwards(broken)).toThrow(/clock is 10 but the next event is at 4/)
  })

  it("fails when a step lands somewhere other than where peek() announced", () => {
    const broken = {
      now: 0,
      peek: () => 5,
      step() {
        this.now = 6
        return true
      },
    }

    expect(() => lawTimeNeverGoesBackwards(broken as unknown as Simulation)).toThrow(
      /moved the clock from 0 to 6, but peek\(\) announced 5/,
    )
  })

  it("fails on a zero-delay livelock after maxSteps", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        for (;;) yield* sim.sleep(0)
      })(),
    )

    expect(() => lawTimeNeverGoesBackwards(sim, { maxSteps: 100 })).toThrow(/more than 100 steps by t=0/)
  })
})

describe("lawTraceTimeNeverGoesBackwards", () => {
  const record = (t: number, seq: number): TraceRecord => ({ t, seq, type: "Ticked" })

  it("accepts non-decreasing times with consecutive seq numbers", () => {
    expect(() => lawTraceTimeNeverGoesBackwards([record(0, 0), record(0, 1), record(2, 2)])).not.toThrow()
  })

  it("names the record whose time went backwards", () => {
    expect(() => lawTraceTimeNeverGoesBackwards([record(0, 0), record(3, 1), record(2, 2)])).toThrow(
      /at record #2: \{"t":2,"seq":2,"type":"Ticked"\} after \{"t":3/,
    )
  })

  it("names a gap in seq", () => {
    expect(() => lawTraceTimeNeverGoesBackwards([record(0, 0), record(1, 2)])).toThrow(
      /seq jumped at record #1: 0 then 2/,
    )
  })
})

describe("checker laws", () => {
  /** Checks that a list of numbers never decreases: a stand-in for a real trace checker. */
  const monotonic = (values: readonly number[]): CheckResult => {
    const i = values.findIndex((value, index) => index > 0 && value < values[index - 1]!)
    return i < 0
      ? { name: "monotonic", held: true, detail: `${values.length} values in order` }
      : { name: "monotonic", held: false, detail: `value #${i} (${values[i]}) is below ${values[i - 1]}` }
  }
  const fine = (seed: number): number[] => [seed, seed + 1, seed + 2]

  it("accepts a fault-free run and returns the verdicts", () => {
    expect(lawCheckerAcceptsFaultFreeRuns(fine, monotonic, 4)).toEqual([
      { name: "monotonic", held: true, detail: "3 values in order" },
    ])
  })

  it("fails, naming the seed and the detail, when the checker rejects a fault-free run", () => {
    expect(() => lawCheckerAcceptsFaultFreeRuns((seed) => [seed, 0], monotonic, 4)).toThrow(
      /fault-free run \(seed 4\) was rejected:\n {2}monotonic: value #1 \(0\) is below 4/,
    )
  })

  it("fails when the checker gives no verdict at all", () => {
    expect(() => lawCheckerAcceptsFaultFreeRuns(fine, () => [], 1)).toThrow(/no verdict for seed 1/)
  })

  it("returns the rejecting verdict for a known-bad run", () => {
    const rejection = lawCheckerRejectsKnownBadRun([1, 3, 2], monotonic, { name: "monotonic", detail: /#2 \(2\)/ })

    expect(rejection.held).toBe(false)
  })

  it("fails when the checker accepts a known-bad run", () => {
    const lenient = (): CheckResult => ({ name: "monotonic", held: true, detail: "looks fine" })

    expect(() => lawCheckerRejectsKnownBadRun([1, 3, 2], lenient)).toThrow(
      /accepted a known-bad run:\n {2}monotonic: held=true looks fine/,
    )
  })

  it("fails when the rejection's detail does not name what it should", () => {
    expect(() => lawCheckerRejectsKnownBadRun([1, 3, 2], monotonic, { detail: /record 17/ })).toThrow(/does not match/)
  })
})
