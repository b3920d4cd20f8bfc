/**
 * The simulation loop and its event order contract, SimPy style: a few processes, a time-stamped
 * log, exact expectations. Also events (succeed, fail, defuse) and how failures stop a run.
 */
import { describe, expect, it } from "vitest"
import type { Event } from "../../src/kernel/event.ts"
import { Simulation, SimulationError } from "../../src/kernel/simulation.ts"
import { timeline } from "./timeline.ts"

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error("expected a throw")
}

describe("Simulation event order", () => {
  it("runs processes waking at the same time in the order their timeouts were scheduled", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    for (const name of ["a", "b", "c"]) {
      sim.spawn(
        (function* () {
          yield* sim.sleep(5)
          log(`${name} woke`)
        })(),
        name,
      )
    }

    sim.run()

    expect(lines).toEqual(["5: a woke", "5: b woke", "5: c woke"])
  })

  it("processes zero-delay events in the order they were triggered", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const events = [0, 1, 2].map(() => sim.event<string>().onProcessed((e) => log(e.value)))
    events[1]!.succeed("second")
    events[0]!.succeed("first")
    events[2]!.succeed("third")

    sim.run()

    expect(lines).toEqual(["0: second", "0: first", "0: third"])
  })

  it("starts a process before a normal event that was scheduled earlier for the same time", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim
      .event()
      .onProcessed(() => log("normal event"))
      .succeed()
    sim.spawn(
      (function* () {
        log("process started")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["0: process started", "0: normal event"])
  })

  it("delivers an interrupt before a normal event triggered earlier at the same time", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const victim = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
        } catch {
          log("victim interrupted")
        }
      })(),
      "victim",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        sim
          .event()
          .onProcessed(() => log("normal event"))
          .succeed()
        victim.interrupt("stop")
        log("interrupt requested")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["5: interrupt requested", "5: victim interrupted", "5: normal event"])
  })

  it("runs a timeout landing at t=5 that was scheduled earlier before a zero-delay event scheduled at t=5", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        yield* sim.sleep(5) // scheduled first, so it wakes first at t=5
        log("p woke")
        sim
          .event()
          .onProcessed(() => log("zero-delay event"))
          .succeed()
      })(),
      "p",
    )
    sim.spawn(
      (function* () {
        sim.timeout(5).onProcessed(() => log("timeout scheduled at t=0")) // scheduled before the zero-delay event
      })(),
      "q",
    )

    sim.run()

    expect(lines).toEqual(["5: p woke", "5: timeout scheduled at t=0", "5: zero-delay event"])
  })

  it("runs a zero-delay event triggered at t=5 before a timeout that lands at t=5 but was scheduled at t=5 too, later", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        sim
          .event()
          .onProcessed(() => log("zero-delay event"))
          .succeed()
        sim.timeout(0).onProcessed(() => log("timeout(0)"))
        sim
          .event()
          .onProcessed(() => log("zero-delay event 2"))
          .succeed()
      })(),
    )

    sim.run()

    expect(lines).toEqual(["5: zero-delay event", "5: timeout(0)", "5: zero-delay event 2"])
  })
})

describe("Simulation.run", () => {
  it("does not process events at exactly until, sets the clock to until, and a later run processes them", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.timeout(3).onProcessed(() => log("at 3"))
    sim.timeout(10).onProcessed(() => log("at 10"))

    const first = sim.run({ until: 10 })

    expect(lines).toEqual(["3: at 3"])
    expect(first).toEqual({ reason: "until", now: 10, events: 1, message: "reached t=10" })

    const second = sim.run()

    expect(lines).toEqual(["3: at 3", "10: at 10"])
    expect(second).toEqual({ reason: "empty", now: 10, events: 1, message: "no events left at t=10" })
  })

  it("moves the clock to until even when nothing is scheduled", () => {
    const sim = new Simulation({ startTime: 2 })

    const result = sim.run({ until: 7 })

    expect(result.now).toBe(7)
    expect(sim.now).toBe(7)
  })

  it("returns at once when until is the current time", () => {
    const sim = new Simulation()
    sim.event().succeed()

    expect(sim.run({ until: 0 })).toEqual({ reason: "until", now: 0, events: 0, message: "reached t=0" })
    expect(sim.peek()).toBe(0)
  })

  it("rejects an until in the past or NaN, and a negative maxEvents", () => {
    const sim = new Simulation({ startTime: 5 })

    expect(() => sim.run({ until: 4 })).toThrow(/until must be >= the current time 5, got 4/)
    expect(() => sim.run({ until: Number.NaN })).toThrow(RangeError)
    expect(() => sim.run({ maxEvents: -1 })).toThrow(/maxEvents must be >= 0, got -1/)
  })

  it("stops a zero-delay livelock at maxEvents, saying time did not advance", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        for (;;) yield* sim.sleep(0)
      })(),
      "spinner",
    )
    sim.run({ until: 1 })

    const result = sim.run({ maxEvents: 1000 })

    expect(result.reason).toBe("maxEvents")
    expect(result.events).toBe(1000)
    expect(result.now).toBe(1)
    expect(result.message).toBe("stopped after 1000 events, all at t=1: time did not advance (a zero-delay livelock?)")
  })

  it("stops at maxEvents without a livelock warning when time was advancing", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        for (;;) yield* sim.sleep(1)
      })(),
    )

    const result = sim.run({ maxEvents: 10 })

    expect(result).toEqual({
      reason: "maxEvents",
      now: 9,
      events: 10,
      message: "stopped after 10 events at t=9 (the last 1 at the same time)",
    })
  })

  it("returns when a process calls stop(), and a later run goes on from there", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        for (let i = 1; i <= 3; i++) {
          yield* sim.sleep(2)
          log(`tick ${i}`)
          if (i === 2) sim.stop()
        }
      })(),
    )

    const stopped = sim.run()

    expect(stopped).toEqual({ reason: "stopped", now: 4, events: 3, message: "stop() called at t=4" })
    expect(lines).toEqual(["2: tick 1", "4: tick 2"])

    sim.run()

    expect(lines).toEqual(["2: tick 1", "4: tick 2", "6: tick 3"])
  })

  it("counts every processed event in eventsProcessed across runs and steps", () => {
    const sim = new Simulation()
    sim.timeout(1)
    sim.timeout(2)
    sim.timeout(3)

    sim.step()
    sim.run()

    expect(sim.eventsProcessed).toBe(3)
  })

  it("does not advance the clock to a cancelled timeout", () => {
    const sim = new Simulation()
    sim.timeout(4)
    sim.timeout(9).cancel()

    const result = sim.run()

    expect(result.now).toBe(4)
    expect(result.events).toBe(1)
  })
})

describe("Simulation.step and peek", () => {
  it("peeks the next event's time and steps one event at a time", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.timeout(2).onProcessed(() => log("a"))
    sim.timeout(2).onProcessed(() => log("b"))
    sim.timeout(6).onProcessed(() => log("c"))

    expect(sim.peek()).toBe(2)
    expect(sim.step()).toBe(true)
    expect(lines).toEqual(["2: a"])
    expect(sim.peek()).toBe(2)
    expect(sim.step()).toBe(true)
    expect(sim.peek()).toBe(6)
    expect(sim.step()).toBe(true)
    expect(lines).toEqual(["2: a", "2: b", "6: c"])
    expect(sim.peek()).toBe(Infinity)
    expect(sim.step()).toBe(false)
    expect(sim.now).toBe(6)
  })

  it("peeks past cancelled timeouts", () => {
    const sim = new Simulation()
    sim.timeout(1).cancel()
    sim.timeout(3)

    expect(sim.peek()).toBe(3)
    expect(sim.step()).toBe(true)
    expect(sim.now).toBe(3)
  })

  it("steps in the same order as run, merging the now-queue with heap events at the current time", () => {
    const build = () => {
      const sim = new Simulation()
      const { lines, log } = timeline(sim)
      sim.spawn(
        (function* () {
          yield* sim.sleep(5)
          log("p woke")
          sim
            .event()
            .onProcessed(() => log("zero-delay event"))
            .succeed()
        })(),
        "p",
      )
      sim.spawn(
        (function* () {
          sim.timeout(5).onProcessed(() => log("timeout scheduled at t=0"))
        })(),
        "q",
      )
      return { sim, lines }
    }
    const byRun = build()
    const bySteps = build()

    byRun.sim.run()
    while (bySteps.sim.step()) {
      /* one event at a time */
    }

    expect(bySteps.lines).toEqual(byRun.lines)
    expect(bySteps.lines).toEqual(["5: p woke", "5: timeout scheduled at t=0", "5: zero-delay event"])
  })
})

describe("Events", () => {
  it("hands the succeed value to yield* with its type, and the event itself to a plain yield", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const answer = sim.event<number>()
    sim.spawn(
      (function* () {
        const value: number = yield* answer
        log(`value ${value + 1}`)
        const again = sim.timeout(2, "payload")
        const same: Event<string> = yield again
        log(`plain yield gave the event back: ${same === again}, value ${same.value}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        answer.succeed(41)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["3: value 42", "5: plain yield gave the event back: true, value payload"])
  })

  it("continues at once when a process waits for an event that was already processed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const early = sim.timeout(1, "early value")
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        const before = sim.eventsProcessed
        const value = yield* early
        log(`${value}, ${sim.eventsProcessed - before} events in between`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["5: early value, 0 events in between"])
  })

  it("wakes every waiter of one event, in the order they started waiting", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const gate = sim.event<string>()
    for (const name of ["w1", "w2", "w3"]) {
      sim.spawn(
        (function* () {
          log(`${name} got ${yield* gate}`)
        })(),
      )
    }
    sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        gate.succeed("open")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["4: w1 got open", "4: w2 got open", "4: w3 got open"])
  })

  it("throws a failure at the waiter's yield*, where it can be caught, and the run goes on", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const request = sim.event<string>()
    sim.spawn(
      (function* () {
        try {
          yield* request
          log("not reached")
        } catch (error) {
          log(`caught ${(error as Error).message}`)
        }
        yield* sim.sleep(1)
        log("still running")
      })(),
      "client",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        request.fail(new Error("connection refused"))
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: caught connection refused", "3: still running"])
  })

  it("stops the run with a SimulationError at the time of a failed event nobody waits for", () => {
    const sim = new Simulation()
    const cause = new Error("disk full")
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        sim.event().fail(cause)
      })(),
    )

    const error = thrown(() => sim.run()) as SimulationError

    expect(error).toBeInstanceOf(SimulationError)
    expect(error.message).toBe("an event failed at t=3 and nobody handled it: Error: disk full")
    expect([error.time, error.processName, error.cause]).toEqual([3, undefined, cause])
  })

  it("stops the run with a SimulationError naming a process that threw, and the time", () => {
    const sim = new Simulation()
    const cause = new TypeError("x is undefined")
    sim.spawn(
      (function* () {
        yield* sim.sleep(7)
        throw cause
      })(),
      "broker-0",
    )

    const error = thrown(() => sim.run()) as SimulationError

    expect(error).toBeInstanceOf(SimulationError)
    expect(error.message).toBe('process "broker-0" failed at t=7 and nobody handled it: TypeError: x is undefined')
    expect([error.time, error.processName, error.cause]).toEqual([7, "broker-0", cause])
  })

  it("raises the same SimulationError from step()", () => {
    const sim = new Simulation()
    sim.event().fail("plain string")

    expect(() => sim.step()).toThrow("an event failed at t=0 and nobody handled it: plain string")
  })

  it("lets a defused failure pass without stopping the run", () => {
    const sim = new Simulation()
    sim.event().fail(new Error("ignored on purpose")).defuse()
    sim.timeout(2)

    expect(sim.run()).toMatchObject({ reason: "empty", now: 2 })
  })

  it("schedules succeed and fail with a delay", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim
      .event<string>()
      .onProcessed((e) => log(`ok ${e.value}`))
      .succeed("late", 4)
    sim
      .event()
      .onProcessed((e) => log(`failed ${String(e.error)}`))
      .fail("later", 6)
      .defuse()

    sim.run()

    expect(lines).toEqual(["4: ok late", "6: failed later"])
  })

  it("tracks triggered and processed, and refuses a second trigger", () => {
    const sim = new Simulation()
    const event = sim.event<number>()

    expect([event.triggered, event.processed, event.error]).toEqual([false, false, undefined])
    expect(() => event.value).toThrow(/not been triggered/)

    event.succeed(1)

    expect([event.triggered, event.processed, event.ok, event.value]).toEqual([true, false, true, 1])
    expect(() => event.succeed(2)).toThrow(/already been triggered/)
    expect(() => event.fail(new Error("late"))).toThrow(/already been triggered/)

    sim.run()

    expect(event.processed).toBe(true)
  })

  it("throws a failed event's error from its value getter", () => {
    const sim = new Simulation()
    const cause = new Error("nope")
    const event = sim.event().fail(cause).defuse()

    expect(() => event.value).toThrow(cause)
    expect(event.error).toBe(cause)
    expect(event.ok).toBe(false)
  })

  it("rejects negative, NaN and infinite delays", () => {
    const sim = new Simulation()

    expect(() => sim.timeout(-1)).toThrow("timeout delay must be a finite number >= 0, got -1")
    expect(() => sim.sleep(Number.NaN)).toThrow(RangeError)
    expect(() => sim.timeout(Infinity)).toThrow(RangeError)
    expect(() => sim.event().succeed(undefined, -2)).toThrow("delay must be a finite number >= 0, got -2")
  })

  it("fixes a timeout's firing time when created", () => {
    const sim = new Simulation({ startTime: 10 })

    const timeout = sim.timeout(2.5)

    expect(timeout.at).toBe(12.5)
    expect(timeout.triggered).toBe(true)
  })
})

describe("run({ until, clockToUntil })", () => {
  it("sets the clock to until by default, and leaves it at the last event with clockToUntil: false", () => {
    const make = () => {
      const sim = new Simulation()
      sim.spawn(
        (function* () {
          yield* sim.sleep(1)
          yield* sim.sleep(1)
        })(),
        "p",
      )
      return sim
    }
    const jumping = make()
    expect(jumping.run({ until: 10 })).toMatchObject({ reason: "empty", now: 10 })
    const staying = make()
    expect(staying.run({ until: 10, clockToUntil: false })).toMatchObject({ reason: "empty", now: 2 })
    expect(staying.now).toBe(2)
    // A later call with the default moves the clock on as usual.
    expect(staying.run({ until: 10 })).toMatchObject({ reason: "empty", now: 10 })
    // With events left after until, the clock stays at the last event before it.
    const early = make()
    expect(early.run({ until: 1.5, clockToUntil: false })).toMatchObject({ reason: "until", now: 1 })
  })
})
