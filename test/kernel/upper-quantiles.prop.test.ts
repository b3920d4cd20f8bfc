import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Histogram, UpperQuantiles } from "../../src/kernel/index.ts"
import { FC_SEED } from "../laws/index.ts"

const RERUN = `rerun: FC_SEED=${FC_SEED} npx vitest run test/kernel/upper-quantiles.prop.test.ts`

/** Runs a property with the suite's seed; a failure message ends with the command that replays it. */
function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns = 300): void {
  try {
    fc.assert(property, { seed: FC_SEED, numRuns })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${RERUN}`, { cause: error })
  }
}

/** Observations with many ties and zeros, as queue waits have. */
const observations = fc.array(
  fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 }), fc.double({ min: -5, max: 1e6, noNaN: true })),
  {
    minLength: 1,
    maxLength: 300,
  },
)

describe(`UpperQuantiles properties (FC_SEED=${FC_SEED})`, () => {
  it("answers every quantile from the lowest up exactly as a Histogram of every observation", () => {
    check(
      fc.property(
        observations,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true })),
        (values, lowest, extra) => {
          const tail = new UpperQuantiles(values.length, lowest)
          const all = new Histogram()
          for (const value of values) {
            tail.observe(value)
            all.observe(value)
          }

          const asked = [lowest, 1, 0.9, 0.99, ...extra].filter((q) => q >= lowest)
          for (const q of asked) expect(tail.quantile(q)).toBe(all.quantile(q))
        },
      ),
    )
  })
})

describe("UpperQuantiles", () => {
  it("keeps 100,001 of a million observations for the p90", () => {
    const tail = new UpperQuantiles(1_000_000, 0.9)

    for (let i = 0; i < 1_000_000; i++) tail.observe((i * 7919) % 1_000_003)

    expect(tail.kept).toBe(100_001)
  })

  it("gives p90 = 90 and p99 = 99 on 1..100 observed in a scrambled order", () => {
    const tail = new UpperQuantiles(100, 0.9)

    for (let i = 1; i <= 100; i++) tail.observe((i * 37) % 101)

    expect([tail.quantile(0.9), tail.quantile(0.99), tail.quantile(1)]).toEqual([90, 99, 100])
    expect(tail.kept).toBe(11)
  })

  it("refuses quantiles below the lowest, answers only once every observation came, and no more than announced", () => {
    const tail = new UpperQuantiles(2, 0.5)
    tail.observe(3)

    expect(() => tail.quantile(0.5)).toThrow(/1 of the 2 observations/)
    tail.observe(1)
    expect(tail.quantile(0.5)).toBe(1)
    expect(() => tail.quantile(0.4)).toThrow(RangeError)
    expect(() => tail.observe(5)).toThrow(/more than the 2 observations/)
    expect(() => tail.observe(NaN)).toThrow(RangeError)
    expect(() => new UpperQuantiles(0, 0.5)).toThrow(RangeError)
    expect(() => new UpperQuantiles(3, 1.5)).toThrow(RangeError)
  })
})
