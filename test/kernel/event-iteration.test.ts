import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/index.ts"

describe("Event iteration outside a process", () => {
  it("yields the event once when spread, instead of iterating for ever", () => {
    const sim = new Simulation()
    const timeout = sim.timeout(5, "done")

    expect([...timeout]).toEqual([timeout])
  })

  it("can go through a deep-equality check without hanging (it used to iterate for ever)", () => {
    const sim = new Simulation()
    const a = sim.spawn((function* () { yield* sim.sleep(1) })(), "a")
    const b = sim.spawn((function* () { yield* sim.sleep(2) })(), "b")

    expect(() => expect(a).toEqual(b)).toThrow(/deeply equal/)
  })
})
