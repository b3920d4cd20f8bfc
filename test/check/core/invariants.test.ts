/**
 * Online invariants: the first violation is kept with its time; results report every invariant.
 */
import { describe, expect, it } from "vitest"
import { Invariants } from "../../../src/check/core/index.ts"
import { Simulation } from "../../../src/kernel/simulation.ts"

/** Two clients that each take a lock at t=10 and t=15 and hold it 10ms; `checked` says whether the lock checks first. */
function lockRun(checked: boolean, options: { stopOnViolation?: boolean } = {}) {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const invariants = new Invariants(sim, options)
  const holders = new Set<string>()
  invariants.watch("at-most-one-holder", () => holders.size <= 1 || `${[...holders].join(" and ")} both hold the lock`)
  invariants.watch("lock-is-named", () => true)
  for (const [client, at] of [
    ["c1", 10],
    ["c2", 15],
  ] as const) {
    sim.spawn(
      (function* () {
        yield* sim.sleep(at)
        while (checked && holders.size > 0) yield* sim.sleep(1)
        holders.add(client)
        invariants.check()
        yield* sim.sleep(10)
        holders.delete(client)
        invariants.check("at-most-one-holder")
      })(),
      client,
    )
  }
  const run = sim.run()
  return { sim, invariants, run }
}

describe("Invariants", () => {
  it("reports every invariant as held, with the number of checks, when nothing breaks", () => {
    const { invariants } = lockRun(true)

    expect(invariants.violated).toBe(false)
    expect(invariants.results()).toEqual([
      { name: "at-most-one-holder", held: true, detail: "held at all 4 checks" },
      { name: "lock-is-named", held: true, detail: "held at all 2 checks" },
    ])
  })

  it("keeps the first violation with its time and the predicate's detail, and counts the later ones", () => {
    const { invariants } = lockRun(false)

    expect(invariants.firstViolation).toEqual({
      name: "at-most-one-holder",
      t: 15,
      check: 2,
      detail: "c1 and c2 both hold the lock",
    })
    expect(invariants.results()[0]).toEqual({
      name: "at-most-one-holder",
      held: false,
      detail: "first violated at t=15 (check 2 of 4): c1 and c2 both hold the lock; violated at 1 of 4 checks",
    })
  })

  it("writes one InvariantViolated record at the first violation", () => {
    const { sim } = lockRun(false)

    expect(sim.trace.records()).toEqual([
      { t: 15, seq: 0, type: "InvariantViolated", name: "at-most-one-holder", detail: "c1 and c2 both hold the lock" },
    ])
  })

  it("stops the run at the first violation when asked to", () => {
    const { run, sim } = lockRun(false, { stopOnViolation: true })

    expect(run.reason).toBe("stopped")
    expect(sim.now).toBe(15)
  })

  it("says the predicate returned false when it gives no reason", () => {
    const sim = new Simulation()
    const invariants = new Invariants(sim, { traceViolations: false }).watch("never", () => false)

    expect(invariants.check()).toBe(false)
    expect(invariants.violations()).toEqual([{ name: "never", t: 0, check: 1, detail: "the predicate returned false" }])
    expect(sim.trace.count).toBe(0)
  })

  it("refuses a name watched twice and a check of an unknown name", () => {
    const invariants = new Invariants(new Simulation()).watch("x", () => true)

    expect(() => invariants.watch("x", () => true)).toThrow(/"x" is already watched/)
    expect(() => invariants.check("y")).toThrow(/"y" is not watched/)
  })
})
