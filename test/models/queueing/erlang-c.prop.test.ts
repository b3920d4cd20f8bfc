import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { erlangB, erlangC, mmcSteadyState } from "../../../src/models/queueing/index.ts"
import { FC_SEED } from "../../laws/index.ts"

/** Erlang C from its textbook definition with factorials: fine as an oracle for small c. */
function erlangCDirect(servers: number, load: number): number {
  let sum = 0
  let term = 1 // a^k / k!
  for (let k = 0; k < servers; k++) {
    sum += term
    term *= load / (k + 1)
  }
  const waiting = (term * servers) / (servers - load) // a^c / c! · c / (c − a)
  return waiting / (sum + waiting)
}

const stableQueue = fc
  .record({ servers: fc.integer({ min: 1, max: 30 }), utilisation: fc.double({ min: 0.01, max: 0.99, noNaN: true }) })
  .map(({ servers, utilisation }) => ({ servers, load: servers * utilisation }))

describe(`Erlang formulas (FC_SEED=${FC_SEED})`, () => {
  it("the Erlang B recursion agrees with the factorial definition of Erlang C", () => {
    fc.assert(
      fc.property(stableQueue, ({ servers, load }) => {
        expect(erlangC(servers, load)).toBeCloseTo(erlangCDirect(servers, load), 10)
      }),
      { seed: FC_SEED },
    )
  })

  it("keeps 0 < B <= C <= 1", () => {
    fc.assert(
      fc.property(stableQueue, ({ servers, load }) => {
        const b = erlangB(servers, load)
        const c = erlangC(servers, load)
        expect(b).toBeGreaterThan(0)
        expect(b).toBeLessThanOrEqual(c + 1e-15)
        expect(c).toBeLessThanOrEqual(1)
      }),
      { seed: FC_SEED },
    )
  })

  it("predicts a shorter wait with one more server at the same arrival rate", () => {
    fc.assert(
      fc.property(stableQueue, ({ servers, load }) => {
        const rates = { arrivalRate: load, serviceRate: 1 }
        expect(mmcSteadyState({ ...rates, servers: servers + 1 }).meanWait).toBeLessThan(
          mmcSteadyState({ ...rates, servers }).meanWait,
        )
      }),
      { seed: FC_SEED },
    )
  })

  it("satisfies Little's law in the steady state: Lq = λ·Wq and L = λ·W", () => {
    fc.assert(
      fc.property(stableQueue, fc.double({ min: 0.1, max: 10, noNaN: true }), ({ servers, load }, serviceRate) => {
        const steady = mmcSteadyState({ arrivalRate: load * serviceRate, serviceRate, servers })
        expect(steady.meanQueueLength).toBeCloseTo(load * serviceRate * steady.meanWait, 9)
        expect(steady.meanInSystem - steady.meanQueueLength).toBeCloseTo(load, 9)
      }),
      { seed: FC_SEED },
    )
  })
})
