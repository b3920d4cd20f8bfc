import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  isScheduleRecord,
  type JobSpec,
  ScheduleScenario,
  scheduleTimeline,
  ScheduleTimelineSample,
  SCHEDULING_POLICIES,
  startsScheduleLine,
} from "../../../src/models/sched/index.ts"
import { checkProperty } from "../../laws/index.ts"

const testFile = "test/models/sched/sched-timeline.prop.test.ts"

/** 1 to 8 jobs arriving within 0..6, each CPU only or CPU/I-O/CPU, with priorities 0..2. */
const jobsArbitrary = fc
  .array(
    fc.record({
      arrival: fc.integer({ min: 0, max: 6 }),
      bursts: fc.oneof(
        fc.tuple(fc.integer({ min: 1, max: 9 })),
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })),
      ),
      priority: fc.integer({ min: 0, max: 2 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((jobs) => jobs.map((job): JobSpec => ({ arrival: job.arrival, bursts: job.bursts, priority: job.priority })))

const settingsArbitrary = fc.record({
  policy: fc.constantFrom(...SCHEDULING_POLICIES),
  cores: fc.integer({ min: 1, max: 3 }),
  quantum: fc.constantFrom(1, 2, 3),
  contextSwitch: fc.constantFrom(0, 0.5),
  maxLines: fc.integer({ min: 1, max: 30 }),
})

describe("ScheduleTimelineSample", () => {
  it("keeps what the first N lines need: the same N lines as the whole trace, and counts every line", () => {
    checkProperty(
      fc.property(jobsArbitrary, settingsArbitrary, (jobs, { maxLines, ...options }) => {
        const sim = new Simulation({ trace: { keep: Infinity } })
        const sample = new ScheduleTimelineSample(sim.trace, maxLines)
        const everything = new TraceSample(sim.trace, isScheduleRecord, Infinity)
        new ScheduleScenario(sim, { jobs, ...options }).run()

        const whole = scheduleTimeline(everything.records, options.cores)
        const head = scheduleTimeline(sample.records, options.cores).slice(0, maxLines)
        expect(head).toEqual(whole.slice(0, maxLines))
        expect(sample.totalLines).toBe(whole.length)
        expect(everything.records.filter(startsScheduleLine)).toHaveLength(whole.length)
      }),
      { testFile, numRuns: 200 },
    )
  })

  it("refuses to keep no line at all", () => {
    expect(() => new ScheduleTimelineSample(new Simulation().trace, 0)).toThrow(RangeError)
  })
})
