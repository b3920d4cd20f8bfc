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
    const a = sim.spawn(
      (function* () {
        yield* sim.sleep(1)
      })(),
      "a",
    )
    const b = sim.spawn(
      (function* () {
        yield* sim.sleep(2)
      })(),
      "b",
    )

    expect(() => expect(a).toEqual(b)).toThrow(/deeply equal/)
  })

  it("gives each of two iterations begun before either called next an iterator of its own", () => {
    const sim = new Simulation()
    const first = sim.timeout(1, "first")
    const second = sim.timeout(2, "second")

    const a = first[Symbol.iterator]()
    const b = second[Symbol.iterator]()

    expect(a).not.toBe(b)
    const fromA = a.next()
    expect([fromA.done, fromA.value === first]).toEqual([false, true])
    const fromB = b.next()
    expect([fromB.done, fromB.value === second]).toEqual([false, true])
    expect(a.next().done).toBe(true)
    expect(b.next().done).toBe(true)
  })

  it("passes deep-equality checks between an event and itself, and between containers of events", () => {
    const sim = new Simulation()
    const timeout = sim.timeout(1, "x")
    const other = sim.timeout(2, "y")
    sim.spawn(
      (function* () {
        yield* timeout
      })(),
      "p",
    ) // a process waiting on it, so the shared iterator is in use

    sim.run({ until: 0.5 })
    expect(timeout).toEqual(timeout)
    expect({ timeout, other }).toEqual({ timeout, other })
    expect([timeout, other]).toStrictEqual([timeout, other])
    expect(() => expect(timeout).toEqual(other)).toThrow(/deeply equal/)
  })
})

describe("Waiting on events from processes (one shared iterator for every yield*)", () => {
  it("resumes each of many processes suspended on different events with its own event's value", () => {
    const sim = new Simulation()
    const events = Array.from({ length: 5 }, () => sim.event<string>())
    const got: string[] = []
    events.forEach((event, i) => {
      sim.spawn(
        (function* () {
          const value = yield* event
          got.push(`p${i}:${value}@${sim.now}`)
        })(),
      )
    })
    sim.spawn(
      (function* () {
        // Succeed them in reverse order, at different times, while all five wait.
        for (let i = events.length - 1; i >= 0; i--) {
          yield* sim.sleep(1)
          events[i]!.succeed(`v${i}`)
        }
      })(),
    )
    sim.run()

    expect(got).toEqual(["p4:v4@1", "p3:v3@2", "p2:v2@3", "p1:v1@4", "p0:v0@5"])
  })

  it("ends a yield* on an already processed event at once with its value, and throws a failure at it", () => {
    const sim = new Simulation()
    const done = sim.timeout(0, "early")
    const failing = sim.event<number>()
    const log: string[] = []
    sim.spawn(
      (function* () {
        yield* sim.sleep(1) // `done` is processed by now
        log.push(`early: ${yield* done}`)
        failing.fail(new Error("boom"))
        try {
          yield* failing
        } catch (error) {
          log.push(`caught ${(error as Error).message} at ${sim.now}`)
        }
        // A hand-made iteration in the middle of waits does not disturb the next yield*.
        const spread = [...sim.timeout(3, "t")]
        log.push(`spread ${spread.length}`)
        log.push(`after: ${yield* sim.timeout(2, "later")}`)
      })(),
    )
    sim.run()

    expect(log).toEqual(["early: early", "caught boom at 1", "spread 1", "after: later"])
    expect(sim.now).toBe(4)
  })
})
