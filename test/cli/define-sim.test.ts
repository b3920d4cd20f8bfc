import { describe, expect, it } from "vitest"
import { defineSim, flag, fromSimulation } from "../../src/cli/index.ts"

const base = {
  name: "ok-name",
  title: "t",
  header: { covers: "c", scenario: "s", try: [] },
  quiz: () => "q",
  estimate: () => ({ seconds: 0, bytes: 0, simTime: 0, events: 0, advice: "" }),
  run: () => {
    throw new Error("not run")
  },
}

describe("defineSim", () => {
  it("accepts a kebab-case name and kebab-case flags", () => {
    const sim = defineSim({
      ...base,
      flags: { arrivalRate: flag.number({ description: "λ", unit: "per second", default: 1 }) },
    })

    expect(sim.name).toBe("ok-name")
  })

  it("rejects a name that is not kebab-case", () => {
    expect(() => defineSim({ ...base, name: "MmQueue", flags: {} })).toThrow("sim name must be kebab-case")
  })

  it("rejects a sim flag that takes a common flag's name", () => {
    expect(() =>
      defineSim({ ...base, flags: { seed: flag.integer({ description: "s", unit: "n", default: 1 }) } }),
    ).toThrow("--seed (param seed) is already taken")
    expect(() =>
      defineSim({ ...base, flags: { x: flag.boolean({ description: "s", default: false, name: "json" }) } }),
    ).toThrow("--json")
  })

  it("rejects two params that map to the same flag", () => {
    expect(() =>
      defineSim({
        ...base,
        flags: {
          rate: flag.number({ description: "a", unit: "n", default: 1 }),
          other: flag.number({ description: "b", unit: "n", default: 1, name: "rate" }),
        },
      }),
    ).toThrow("--rate (param other) is already taken")
  })

  it("fromSimulation reads the time, event count and trace hash of a finished run", async () => {
    const { Simulation } = await import("../../src/kernel/index.ts")
    const sim = new Simulation({ seed: 1 })
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        sim.trace.record("Slept", {})
      })(),
    )
    sim.run()

    const summary = fromSimulation(sim)

    expect(summary.simTime).toBe(3)
    expect(summary.events).toBe(sim.eventsProcessed)
    expect(summary.traceHash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe("flag.ms and flag.probability", () => {
  it("are flag.number with the unit and bounds they name", () => {
    expect(flag.ms("heartbeat period", 100, { greaterThan: 0, max: 60_000 })).toEqual(
      flag.number({ description: "heartbeat period", unit: "ms", default: 100, greaterThan: 0, max: 60_000 }),
    )
    const loss = flag.probability("probability that a message is lost", 0.1)
    expect(loss).toEqual(
      flag.number({
        description: "probability that a message is lost",
        unit: "probability",
        default: 0.1,
        min: 0,
        max: 1,
      }),
    )
    expect(loss.allowed).toBe("a number >= 0 and <= 1")
  })
})
