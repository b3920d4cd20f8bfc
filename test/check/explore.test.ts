/**
 * The bounded exhaustive explorer on cases small enough to count by hand.
 */
import { describe, expect, it } from "vitest"
import { describeSchedule, explore, type ExploredRun, replaySchedule } from "../../src/check/explore.ts"
import { type Chooser, Simulation } from "../../src/kernel/simulation.ts"

/** Three timeouts due at t=5; each callback appends its name to a log. */
function threeTimeouts(chooser: Chooser): ExploredRun {
  const sim = new Simulation({ chooser })
  const log: string[] = []
  for (const name of ["a", "b", "c"]) sim.timeout(5).onProcessed(() => log.push(name))
  sim.run()
  return { stateKey: log.join(""), log }
}

/**
 * `processes` processes start at t=0; each reads a shared counter, yields once (a zero delay: the
 * write is a separate step, as a write over the network would be), then writes what it read + 1.
 * A run loses an update when the final count is below the number of processes.
 */
function racingIncrements(processes: number) {
  return (chooser: Chooser): ExploredRun => {
    const sim = new Simulation({ chooser })
    let counter = 0
    const log: string[] = []
    for (let p = 0; p < processes; p++) {
      const name = String.fromCharCode(65 + p)
      sim.spawn(
        (function* () {
          const read = counter
          log.push(`${name} read ${read}`)
          yield* sim.sleep(0)
          counter = read + 1
          log.push(`${name} wrote ${counter}`)
        })(),
        name,
      )
    }
    sim.run()
    const violation =
      counter < processes ? `lost update: the counter is ${counter} after ${processes} increments` : undefined
    return { stateKey: `counter=${counter}`, log, ...(violation === undefined ? {} : { violation }) }
  }
}

describe("explore", () => {
  it("runs all 6 orders of 3 simultaneous timeouts, giving 6 distinct logs", () => {
    const report = explore(threeTimeouts)

    expect(report.schedules).toBe(6)
    expect(report.distinctStates).toBe(6)
    expect(report.states).toEqual(["abc", "acb", "bac", "bca", "cab", "cba"])
    expect(report.maxDepthReached).toBe(2) // 3 options, then 2; the last event needs no choice
    expect(report.complete).toBe(true)
    expect(report.cutBy).toEqual([])
    expect(report.violatingSchedules).toBe(0)
    expect(report.firstViolation).toBeUndefined()
  })

  it("finds the lost update of two racing read-then-write increments in exactly 4 of 6 schedules", () => {
    // Each process takes two steps, read (R) then write (W), and the kernel offers every
    // interleaving of the two 2-step sequences: C(4,2) = 6 schedules. An update is lost when both
    // reads happen before either write: RA RB WA WB, RA RB WB WA, RB RA WA WB, RB RA WB WA = 4.
    // The other 2 (RA WA RB WB and RB WB RA WA) are serial and end with counter = 2.
    const report = explore(racingIncrements(2))

    expect(report.schedules).toBe(6)
    expect(report.violatingSchedules).toBe(4)
    expect(report.states).toEqual(["counter=1", "counter=2"])
    // The kernel's own order (option 0 everywhere) starts both processes before either resumes:
    // the first schedule explored already loses the update.
    expect(report.firstViolation?.violation).toBe("lost update: the counter is 1 after 2 increments")
    expect(report.firstViolation?.choices).toEqual([0, 0, 0])
    expect(report.firstViolation?.log).toEqual(["A read 0", "B read 0", "A wrote 1", "B wrote 1"])
    expect(describeSchedule(report.firstViolation!)).toBe("event 1/2, event 1/2, event 1/2")
  })

  it("counts 84 of 90 schedules losing an update with three racing increments", () => {
    // Interleavings of three 2-step sequences: 6! / (2! 2! 2!) = 90. No update is lost only when
    // no other step falls between a process's read and its write, i.e. the run is serial: 3! = 6.
    // So 90 - 6 = 84 schedules lose at least one update, ending with counter 1 or 2.
    const report = explore(racingIncrements(3))

    expect(report.schedules).toBe(90)
    expect(report.violatingSchedules).toBe(84)
    expect(report.distinctStates).toBe(3)
    expect(report.complete).toBe(true)
  })

  it("replays a violating schedule from its choices", () => {
    const report = explore(racingIncrements(2))

    const replayed = replaySchedule(racingIncrements(2), report.firstViolation!.choices)

    expect(replayed.violation).toBe(report.firstViolation!.violation)
    expect(replayed.log).toEqual(report.firstViolation!.log)
  })

  it("stops at maxSchedules and reports the cut", () => {
    const report = explore(threeTimeouts, { maxSchedules: 4 })

    expect(report.schedules).toBe(4)
    expect(report.complete).toBe(false)
    expect(report.cutBy).toEqual(["maxSchedules"])
  })

  it("answers 0 beyond maxDepth, exploring only the first choice point's 3 options", () => {
    const report = explore(threeTimeouts, { maxDepth: 1 })

    expect(report.states).toEqual(["abc", "bac", "cab"])
    expect(report.cutBy).toEqual(["maxDepth"])
  })

  it("stops at the first violating schedule when asked to", () => {
    const report = explore(racingIncrements(2), { stopAtFirstViolation: true })

    expect(report.schedules).toBe(1)
    expect(report.violatingSchedules).toBe(1)
    expect(report.cutBy).toEqual(["stopAtFirstViolation"])
  })

  it("enumerates a model's own sim.choose calls under their label", () => {
    const report = explore((chooser) => {
      const sim = new Simulation({ chooser })
      const replica = sim.choose(3, "which replica answers")
      const retry = sim.choose(2, "retry")
      return { stateKey: `${replica}/${retry}` }
    })

    expect(report.schedules).toBe(6)
    expect(report.distinctStates).toBe(6)
  })

  it("runs a model without choices once", () => {
    const report = explore(() => ({ stateKey: "only" }))

    expect(report).toMatchObject({ schedules: 1, distinctStates: 1, complete: true, maxDepthReached: 0 })
  })

  it("throws, naming the choice point, when replay offers a different number of options", () => {
    let runs = 0
    const flaky = (chooser: Chooser): ExploredRun => {
      const sim = new Simulation({ chooser })
      sim.choose(runs++ === 0 ? 2 : 3, "flaky")
      return { stateKey: "x" }
    }

    expect(() => explore(flaky)).toThrow(
      /not deterministic: choice point #0 \("flaky"\) offered 3 options on replay, 2 before/,
    )
  })
})
