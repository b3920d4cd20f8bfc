import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { type MlfqJobSpec, type MlfqOptions, type MlfqResult, runMlfq } from "../../../src/models/sched/index.ts"
import { checkProperty, FC_SEED, replayCommand } from "../../laws/index.ts"

const testFile = "test/models/sched/mlfq.prop.test.ts"

/** The boost period the bound is stated for, and the one the starvation search measures against. */
const BOOST = 50

/** 1 to 5 jobs: CPU-bound or interactive, arriving within the first 30 ticks. */
const jobsArbitrary = fc.array(
  fc.record({
    start: fc.integer({ min: 0, max: 30 }),
    runTime: fc.integer({ min: 1, max: 150 }),
    ioFreq: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
  }),
  { minLength: 1, maxLength: 5 },
)

/** MLFQ settings other than the boost; never --io-bump (a bumped job may jump the line again and again). */
const settingsArbitrary = fc.record({
  queues: fc.integer({ min: 1, max: 4 }),
  quantum: fc.integer({ min: 1, max: 15 }),
  allotment: fc.integer({ min: 1, max: 3 }),
  ioTime: fc.integer({ min: 0, max: 6 }),
  stay: fc.boolean(),
})

function topQuantum(result: MlfqResult): number {
  return result.quantum[result.queues - 1]!
}

/** The bound of the file header of mlfq.ts: one boost period, then every other job's turn in the top queue. */
function bound(result: MlfqResult): number {
  return BOOST + (result.jobs.length - 1) * topQuantum(result)
}

function longestWait(result: MlfqResult): { job: number; ticks: number; from: number } {
  const worst = result.jobs.reduce((a, b) => (b.longestWait > a.longestWait ? b : a))
  return { job: worst.id, ticks: worst.longestWait, from: worst.longestWaitFrom }
}

function runWith(jobs: readonly MlfqJobSpec[], options: MlfqOptions): MlfqResult {
  return runMlfq(new Simulation({ trace: { enabled: false } }), jobs, options)
}

describe(`Mlfq properties (FC_SEED=${FC_SEED})`, () => {
  it(`never lets a runnable job wait longer than the boost period (${BOOST}) plus one pass of the top queue`, () => {
    checkProperty(
      fc.property(jobsArbitrary, settingsArbitrary, (jobs, settings) => {
        const result = runWith(jobs, { ...settings, boost: BOOST })

        const worst = longestWait(result)
        if (worst.ticks > bound(result))
          throw new Error(`job ${worst.job} waited ${worst.ticks} ticks from t=${worst.from}; bound ${bound(result)}`)
      }),
      { testFile, numRuns: 200 },
    )
  })

  it("finds a starved job without the boost, passed over by higher-priority jobs for longer than a boost period", () => {
    const property = fc.property(jobsArbitrary, settingsArbitrary, (jobs, settings) => {
      const result = runWith(jobs, { ...settings, boost: 0 })
      return longestWait(result).ticks <= bound(result)
    })

    const details = fc.check(property, { seed: FC_SEED, numRuns: 2000 })

    expect(details.failed, `no starvation found in 2000 runs; replay: ${replayCommand(testFile)}`).toBe(true)
    const [jobs, settings] = details.counterexample!
    const starved = runMlfq(new Simulation({ trace: { enabled: false } }), jobs, {
      ...settings,
      boost: 0,
      keepHistory: true,
    })
    const worst = longestWait(starved)
    const window = starved.history.filter((tick) => tick.t >= worst.from && tick.t < worst.from + worst.ticks)
    const passedOver = window.filter((tick) => {
      const mine = tick.queued.find(([job]) => job === worst.job)
      return mine !== undefined && tick.priority > mine[1]
    })
    expect(worst.ticks).toBeGreaterThan(bound(starved))
    expect(window).toHaveLength(worst.ticks)
    expect(passedOver.length).toBeGreaterThan(BOOST)
    expect(jobs.length).toBeGreaterThanOrEqual(2)
    const boosted = runWith(jobs, { ...settings, boost: BOOST })
    expect(longestWait(boosted).ticks).toBeLessThanOrEqual(bound(boosted))
  })
})
