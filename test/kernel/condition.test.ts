/**
 * Conditions (`allOf`, `anyOf`) and the deadline race (`withDeadline`), SimPy style: a few
 * processes, a time-stamped log, exact expectations.
 */
import { describe, expect, it } from "vitest"
import { ConditionValue, DeadlineExceeded, type DeadlineOutcome } from "../../src/kernel/condition.ts"
import { Interrupt } from "../../src/kernel/process.ts"
import { Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { Store } from "../../src/kernel/store.ts"
import { timeline } from "./timeline.ts"

describe("allOf", () => {
  it("succeeds when the last event does, with every value in the given order and its type", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const manual = sim.event<boolean>()
    sim.spawn(
      (function* () {
        const [a, b, c] = yield* sim.allOf([sim.timeout(3, "slow"), sim.timeout(1, 42), manual] as const)
        const typed: [string, number, boolean] = [a, b, c]
        log(JSON.stringify(typed))
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        manual.succeed(true)
      })(),
    )

    sim.run()

    expect(lines).toEqual(['3: ["slow",42,true]'])
  })

  it("counts events that were already processed when it was built", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const early = sim.timeout(1, "early")
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        log(JSON.stringify(yield* sim.allOf([early, sim.timeout(1, "late")])))
      })(),
    )

    sim.run()

    expect(lines).toEqual(['3: ["early","late"]'])
  })

  it("fails with the first sub-event's error, at the time of the failure", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const replica = sim.event<string>()
    sim.spawn(
      (function* () {
        try {
          yield* sim.allOf([sim.timeout(10, "ack-1"), replica])
        } catch (error) {
          log(`write failed: ${(error as Error).message}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        replica.fail(new Error("replica down"))
      })(),
    )

    sim.run()

    expect(lines).toEqual(["4: write failed: replica down"])
  })

  it("succeeds at once with an empty list of values for no events", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        log(`values ${JSON.stringify(yield* sim.allOf([]))}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["0: values []"])
  })

  it("refuses events of another simulation", () => {
    const sim = new Simulation()

    expect(() => sim.allOf([new Simulation().timeout(1)])).toThrow(
      "a condition cannot mix events of different simulations",
    )
  })
})

describe("anyOf", () => {
  it("succeeds with the first event when the others come later", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const fast = sim.timeout(2, "fast")
    const slow = sim.timeout(5, "slow")
    sim.spawn(
      (function* () {
        const won = yield* sim.anyOf([slow, fast])
        log(`fast=${won.has(fast)} slow=${won.has(slow)} value=${won.get(fast)} firstIndex=${won.firstIndex}`)
        expect(() => won.get(slow)).toThrow("that event had not happened when the condition was met")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: fast=true slow=false value=fast firstIndex=1"])
  })

  it("contains both events when two timeouts fire at the same time", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const a = sim.timeout(5, "a")
    const b = sim.timeout(5, "b")
    sim.spawn(
      (function* () {
        const value = yield* sim.anyOf([a, b])
        log(`${value instanceof ConditionValue} ${value.events.map((e) => e.value).join(",")}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["5: true a,b"])
  })

  it("fails when a sub-event fails before any succeeds", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const broken = sim.event()
    sim.spawn(
      (function* () {
        try {
          yield* sim.anyOf([sim.timeout(10), broken])
        } catch (error) {
          log(`caught ${String(error)}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        broken.fail("link cut")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["1: caught link cut"])
  })

  it("succeeds at once for no events, with no events in its value", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        const value = yield* sim.anyOf([])
        log(`${value.events.length} events, firstIndex ${value.firstIndex}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["0: 0 events, firstIndex -1"])
  })

  it("stops the run when nobody waits for a condition that failed", () => {
    const sim = new Simulation()
    const broken = sim.event()
    sim.anyOf([broken, sim.timeout(3)])
    broken.fail(new Error("lost"))

    expect(() => sim.run()).toThrow("an event failed at t=0 and nobody handled it: Error: lost")
  })
})

describe("withDeadline", () => {
  it("gives the operation's value when it finishes first, and withdraws the timer so the run ends then", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        const outcome: DeadlineOutcome<string> = yield* sim.withDeadline(sim.timeout(3, "reply"), 10)
        log(JSON.stringify(outcome))
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(['3: {"timedOut":false,"value":"reply"}'])
    expect(result.now).toBe(3)
  })

  it("fails with the operation's error when it fails first", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const call = sim.event<string>()
    sim.spawn(
      (function* () {
        try {
          yield* sim.withDeadline(call, 10)
        } catch (error) {
          log(`caught ${String(error)}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        call.fail("refused")
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(["2: caught refused"])
    expect(result.now).toBe(2)
  })

  it("settles at once on an operation that was already processed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const done = sim.timeout(1, 7)
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        log(JSON.stringify(yield* sim.withDeadline(done, 5)))
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(['2: {"timedOut":false,"value":7}'])
    expect(result.now).toBe(2)
  })

  it("interrupts a process that misses the deadline with a DeadlineExceeded cause, and its rethrow does not crash the run", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
          return "finished"
        } catch (error) {
          const interrupt = error as Interrupt
          const cause = interrupt.cause as DeadlineExceeded
          log(`worker got ${interrupt.name} with ${cause instanceof DeadlineExceeded ? cause.message : "?"}`)
          throw error // rethrown: the usual end of a cancelled process
        }
      })(),
      "worker",
    )
    sim.spawn(
      (function* () {
        log(JSON.stringify(yield* sim.withDeadline(worker, 4)))
      })(),
    )

    const result = sim.run()

    // the interrupt is urgent: the worker hears of the deadline before its caller does
    expect(lines).toEqual(["4: worker got Interrupt with deadline of 4 time units exceeded", '4: {"timedOut":true}'])
    expect(result.reason).toBe("empty")
    expect(worker.isAlive).toBe(false)
  })

  it("withdraws a queued resource request that misses the deadline, so the resource grants the next waiter", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pump = new Resource(sim, { name: "pump" })
    sim.spawn(
      (function* () {
        const request = pump.request()
        yield* request
        yield* sim.sleep(10)
        pump.release(request)
      })(),
      "holder",
    )
    sim.spawn(
      (function* () {
        const outcome = yield* sim.withDeadline(pump.request(), 3)
        log(`impatient: ${JSON.stringify(outcome)}, queue ${pump.queueLength}`)
      })(),
      "impatient",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        const request = pump.request()
        yield* request
        log("patient got the pump")
        pump.release(request)
      })(),
      "patient",
    )

    sim.run()

    expect(lines).toEqual(['3: impatient: {"timedOut":true}, queue 1', "10: patient got the pump"])
    expect(pump.count).toBe(0)
  })

  it("withdraws a waiting store get that misses the deadline, so the item goes to the next getter", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const inbox = new Store<string>(sim)
    sim.spawn(
      (function* () {
        log(JSON.stringify(yield* sim.withDeadline(inbox.get(), 2)))
      })(),
    )
    sim.spawn(
      (function* () {
        log(`second getter got ${yield* inbox.get()}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        yield* inbox.put("m1")
      })(),
    )

    sim.run()

    expect(lines).toEqual(['2: {"timedOut":true}', "5: second getter got m1"])
  })

  // The three races below have the operation complete at the very instant of the deadline, but
  // after the timer in the queue order: its outcome is fixed, yet not processed, when the deadline
  // is. Whichever way the race is settled, nothing may be lost: a taken item or a granted slot
  // must reach the caller (timedOut false), or go back (timedOut true).

  it("loses no store item when the item arrives at the very instant of the get's deadline", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const inbox = new Store<string>(sim)
    sim.spawn(
      (function* () {
        yield* sim.sleep(5) // scheduled before the deadline's timer: the put happens first at t=5
        yield* inbox.put("m1")
      })(),
      "producer",
    )
    sim.spawn(
      (function* () {
        const outcome = yield* sim.withDeadline(inbox.get(), 5)
        log(outcome.timedOut ? "timed out" : `got ${outcome.value}`)
      })(),
      "consumer",
    )

    sim.run()

    const delivered = lines.includes("5: got m1")
    const stillInStore = inbox.itemsInOrder.includes("m1")
    expect(delivered || stillInStore).toBe(true)
  })

  it("leaks no resource slot when the grant comes at the very instant of the request's deadline", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pump = new Resource(sim, { name: "pump" })
    const held = pump.request() // granted at once, outside any process
    sim.spawn(
      (function* () {
        yield* sim.sleep(5) // scheduled before the deadline's timer: the release happens first at t=5
        pump.release(held)
      })(),
      "holder",
    )
    sim.spawn(
      (function* () {
        const request = pump.request()
        const outcome = yield* sim.withDeadline(request, 5)
        if (outcome.timedOut) return log("waiter timed out")
        log("waiter got the pump")
        yield* sim.sleep(1)
        pump.release(request)
      })(),
      "waiter",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(7)
        const request = pump.request()
        yield* request
        log("late customer got the pump")
      })(),
      "late",
    )

    sim.run({ until: 100 })

    // either way, the late customer must get the pump at t=7
    expect(lines).toContain("7: late customer got the pump")
  })

  it("does not crash the run when a process fails at the very instant of its deadline", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        yield* sim.sleep(5) // scheduled before the deadline's timer: the failure happens first at t=5
        throw new Error("worker broke")
      })(),
      "worker",
    )
    sim.spawn(
      (function* () {
        try {
          const outcome = yield* sim.withDeadline(worker, 5)
          log(JSON.stringify(outcome))
        } catch (error) {
          log(`caught ${(error as Error).message}`)
        }
      })(),
      "caller",
    )

    expect(() => sim.run()).not.toThrow()
    expect(lines).toHaveLength(1)
  })
})
