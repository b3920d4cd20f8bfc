/**
 * Resources: FIFO grants, capacity, withdrawal on interrupt, priority order and preemption. SimPy
 * style: a few customers, a time-stamped log, exact expectations.
 */
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Preempted, PreemptiveResource, PriorityResource, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { timeline } from "./timeline.ts"

/** A customer that arrives, waits for a slot, holds it, and leaves, logging each step. */
function* customer(
  sim: Simulation,
  pump: Resource,
  name: string,
  arriveAt: number,
  holdFor: number,
  log: (m: string) => void,
) {
  yield* sim.sleep(arriveAt)
  const request = pump.request()
  yield* request
  log(`${name} got a slot`)
  yield* sim.sleep(holdFor)
  pump.release(request)
  log(`${name} left`)
}

describe("Resource", () => {
  it("grants one slot first come, first served, at exact times", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pump = new Resource(sim)
    sim.spawn(customer(sim, pump, "c0", 0, 5, log))
    sim.spawn(customer(sim, pump, "c1", 1, 5, log))
    sim.spawn(customer(sim, pump, "c2", 2, 5, log))

    sim.run()

    expect(lines).toEqual([
      "0: c0 got a slot",
      "5: c0 left",
      "5: c1 got a slot",
      "10: c1 left",
      "10: c2 got a slot",
      "15: c2 left",
    ])
  })

  it("serves two at a time with capacity 2", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pumps = new Resource(sim, { capacity: 2 })
    sim.spawn(customer(sim, pumps, "a", 0, 4, log))
    sim.spawn(customer(sim, pumps, "b", 0, 6, log))
    sim.spawn(customer(sim, pumps, "c", 0, 3, log))
    sim.spawn(customer(sim, pumps, "d", 1, 1, log))

    sim.run()

    expect(lines).toEqual([
      "0: a got a slot",
      "0: b got a slot",
      "4: a left",
      "4: c got a slot",
      "6: b left",
      "6: d got a slot",
      "7: c left",
      "7: d left",
    ])
  })

  it("reports count, queue length and holders in grant order", () => {
    const sim = new Simulation()
    const pumps = new Resource(sim, { capacity: 2, name: "pumps" })

    const first = pumps.request()
    const second = pumps.request()
    const third = pumps.request()

    expect([pumps.count, pumps.queueLength, pumps.capacity, pumps.name]).toEqual([2, 1, 2, "pumps"])
    expect(pumps.holders[0]).toBe(first)
    expect(pumps.holders[1]).toBe(second)
    expect([first.granted, third.granted]).toEqual([true, false])

    pumps.release(first)

    // SimPy's order (test/kernel/simpy-order/resource-release.py): the slot is free at once, the
    // next request is granted when the release event is processed.
    expect([pumps.count, pumps.queueLength, first.granted, third.granted]).toEqual([1, 1, false, false])
    sim.run()
    expect([pumps.count, pumps.queueLength, third.granted]).toEqual([2, 0, true])
    expect(third.usageSince).toBe(0)
  })

  it("keeps the other holders in grant order when any one of them leaves", () => {
    const sim = new Simulation()
    const pumps = new Resource(sim, { capacity: 3 })
    const [a, b, c, d] = [pumps.request(), pumps.request(), pumps.request(), pumps.request()]
    const names = new Map([
      [a, "a"],
      [b, "b"],
      [c, "c"],
      [d, "d"],
    ])
    const holders = () => pumps.holders.map((request) => names.get(request))

    // SimPy's order (test/kernel/simpy-order/resource-release.py).
    pumps.release(b) // a middle holder: d gets the slot when the release is processed, at the end
    expect(holders()).toEqual(["a", "c"])
    sim.run()
    expect(holders()).toEqual(["a", "c", "d"])
    pumps.release(d) // the last
    expect(holders()).toEqual(["a", "c"])
    pumps.release(a) // the first
    pumps.release(a) // twice: nothing
    sim.run()
    expect(holders()).toEqual(["c"])
    expect([a.granted, b.granted, c.granted, d.granted]).toEqual([false, false, true, false])
    expect(pumps.count).toBe(1)
  })

  it("keeps holders, count and grant order exact across hundreds of grants and releases", () => {
    // Releases only flag their request; the holder list drops released requests in batches. This
    // checks the public view against a plain model through many of those batches.
    const sim = new Simulation()
    const pumps = new Resource(sim, { capacity: 3 })
    const model: string[] = [] // holders in grant order
    const waiting: string[] = []
    const requests = new Map<string, ReturnType<Resource["request"]>>()
    const names = new Map<ReturnType<Resource["request"]>, string>()
    let next = 0
    const ask = () => {
      const name = `r${next++}`
      const request = pumps.request()
      requests.set(name, request)
      names.set(request, name)
      if (model.length < 3 && waiting.length === 0) model.push(name)
      else waiting.push(name)
    }
    const leave = (index: number) => {
      const [name] = model.splice(index, 1)
      pumps.release(requests.get(name!)!)
      if (waiting.length > 0) model.push(waiting.shift()!)
    }
    for (let i = 0; i < 6; i++) ask()
    for (let round = 0; round < 400; round++) {
      leave(round % 3 === 0 ? 0 : round % 3 === 1 ? model.length - 1 : Math.min(1, model.length - 1))
      ask()
      expect(pumps.holders.map((request) => names.get(request))).toEqual(model)
      expect([pumps.count, pumps.queueLength]).toEqual([model.length, waiting.length])
    }
    expect(model.every((name) => requests.get(name)!.granted)).toBe(true)
    expect(waiting.some((name) => requests.get(name)!.granted)).toBe(false)
  })

  it("lets an interrupted waiter withdraw its request in finally, so the next waiter gets the slot", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pump = new Resource(sim)
    sim.spawn(customer(sim, pump, "holder", 0, 10, log))
    const impatient = sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        const request = pump.request()
        try {
          yield* request
          log("impatient got a slot") // must not happen
        } catch (error) {
          log(`impatient gave up: ${String((error as Interrupt).cause)}`)
        } finally {
          pump.release(request)
        }
      })(),
    )
    sim.spawn(customer(sim, pump, "next", 2, 1, log))
    sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        impatient.interrupt("tired of waiting")
      })(),
    )

    sim.run()

    expect(lines).toEqual([
      "0: holder got a slot",
      "4: impatient gave up: tired of waiting",
      "10: holder left",
      "10: next got a slot",
      "11: next left",
    ])
  })

  it("lets a waiter interrupted at the instant of a release give up before the release grants it, when the interrupted process releases in finally", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const pump = new Resource(sim)
    const held = pump.request()
    let waiter: Process<void> | undefined
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        pump.release(held) // the waiter's request is granted when this release is processed...
        waiter!.interrupt("changed my mind") // ...but the urgent interrupt reaches it first
      })(),
    )
    waiter = sim.spawn(
      (function* () {
        const request = pump.request()
        try {
          yield* request
        } catch {
          log(`waiter interrupted holding a grant: ${request.granted}`)
        } finally {
          pump.release(request)
        }
      })(),
    )
    sim.spawn(customer(sim, pump, "later", 5, 1, log))

    sim.run()

    // SimPy gives the same lines: test/kernel/simpy-order/resource-interrupt.py.
    expect(lines).toEqual(["3: waiter interrupted holding a grant: false", "5: later got a slot", "6: later left"])
  })

  it("treats a second release, and cancel after release, as no-ops", () => {
    const sim = new Simulation()
    const pump = new Resource(sim)
    const a = pump.request()
    const b = pump.request()

    pump.release(a)
    pump.release(a)
    a.cancel()

    // SimPy's order (test/kernel/simpy-order/resource-release.py): b is granted by a release event.
    expect([pump.count, b.granted]).toEqual([0, false])
    sim.run()
    expect([pump.count, b.granted]).toEqual([1, true])
  })

  it("refuses a release of another resource's request and a bad capacity", () => {
    const sim = new Simulation()
    const one = new Resource(sim, { name: "one" })
    const two = new Resource(sim, { name: "two" })

    expect(() => two.release(one.request())).toThrow("that request belongs to one, not two")
    expect(() => new Resource(sim, { capacity: 0 })).toThrow("capacity must be an integer >= 1, got 0")
    expect(() => new Resource(sim, { capacity: 1.5 })).toThrow(RangeError)
  })

  it("records the requesting process on the request", () => {
    const sim = new Simulation()
    const pump = new Resource(sim)
    const outside = pump.request()
    let inside: unknown
    const proc = sim.spawn(
      (function* () {
        inside = pump.request().process
      })(),
    )

    sim.run()

    expect(outside.process).toBe(null)
    expect(inside).toBe(proc)
  })
})

describe("PriorityResource", () => {
  it("grants waiting requests by priority, then request order", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const desk = new PriorityResource(sim)
    const first = desk.request()
    const arrivals = [
      { name: "p3", priority: 3 },
      { name: "p1-early", priority: 1 },
      { name: "p2", priority: 2 },
      { name: "p1-late", priority: 1 },
    ]
    arrivals.forEach(({ name, priority }, i) => {
      sim.spawn(
        (function* () {
          yield* sim.sleep(i + 1)
          const request = desk.request({ priority })
          yield* request
          log(`${name} served`)
          yield* sim.sleep(1)
          desk.release(request)
        })(),
      )
    })
    sim.spawn(
      (function* () {
        yield* sim.sleep(10)
        desk.release(first)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["10: p1-early served", "11: p1-late served", "12: p2 served", "13: p3 served"])
  })

  it("lists waiting requests in service order without disturbing them", () => {
    const sim = new Simulation()
    const desk = new PriorityResource(sim)
    desk.request()
    const low = desk.request({ priority: 5 })
    const high = desk.request({ priority: -1 })
    const mid = desk.request({ priority: 2 })
    desk.release(mid)

    const waiting = desk.waitingRequests

    expect(waiting.length).toBe(2)
    expect(waiting[0]).toBe(high)
    expect(waiting[1]).toBe(low)
    expect(desk.queueLength).toBe(2)
    expect(desk.waitingRequests[0]).toBe(high)
  })

  it("refuses a priority that is not a finite number", () => {
    const sim = new Simulation()
    const desk = new PriorityResource(sim)

    expect(() => desk.request({ priority: Number.NaN })).toThrow("priority must be a finite number, got NaN")
  })
})

describe("PreemptiveResource", () => {
  it("evicts a worse user: the victim gets an Interrupt with a Preempted cause naming the preemptor and its usage start", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const cpu = new PreemptiveResource(sim, { name: "cpu" })
    let preemptor: Process<void> | undefined
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        const request = cpu.request({ priority: 5 })
        yield* request
        log("batch job running")
        try {
          yield* sim.sleep(10)
          log("batch job done") // must not happen
        } catch (error) {
          const cause = (error as Interrupt).cause as Preempted
          log(
            `batch job preempted: by ${cause.by?.name}, since ${cause.usageSince}, ${cause.by === preemptor}, ${String(cause)}`,
          )
        } finally {
          cpu.release(request)
        }
      })(),
      "batch",
    )
    preemptor = sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        const request = cpu.request({ priority: 1 })
        yield* request
        log("interactive job running")
        yield* sim.sleep(2)
        cpu.release(request)
      })(),
      "interactive",
    )

    sim.run()

    expect(lines).toEqual([
      "1: batch job running",
      "4: batch job preempted: by interactive, since 1, true, preempted from cpu by interactive",
      "4: interactive job running",
    ])
    expect(cpu.count).toBe(0)
  })

  it("does not preempt a user of equal priority: the newcomer waits", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const cpu = new PreemptiveResource(sim)
    sim.spawn(
      (function* () {
        const request = cpu.request({ priority: 2 })
        yield* request
        yield* sim.sleep(5)
        log("first done")
        cpu.release(request)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        const request = cpu.request({ priority: 2 })
        yield* request
        log("second running")
        cpu.release(request)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["5: first done", "5: second running"])
  })

  it("does not preempt when the request says preempt: false", () => {
    const sim = new Simulation()
    const cpu = new PreemptiveResource(sim)
    const low = cpu.request({ priority: 9 })

    const polite = cpu.request({ priority: 0, preempt: false })

    expect([low.granted, polite.granted, cpu.queueLength]).toEqual([true, false, 1])
  })

  it("evicts the worst user: the largest key (priority, time, not preempt), and among equals the first granted", () => {
    const sim = new Simulation()
    const cpu = new PreemptiveResource(sim, { capacity: 3 })
    const a = cpu.request({ priority: 3 })
    const b = cpu.request({ priority: 7 })
    const c = cpu.request({ priority: 7 })

    const urgent = cpu.request({ priority: 0 })

    // SimPy evicts b, the first of two equal keys (test/kernel/simpy-order/resource-preempt.py).
    expect([a.granted, b.granted, c.granted, urgent.granted]).toEqual([true, false, true, true])
  })

  it("chooses its victim among the current users only, after many users came and went", () => {
    const sim = new Simulation()
    const cpu = new PreemptiveResource(sim, { capacity: 2 })
    // 100 short users with the worst priority come and go: none of them may be picked later.
    for (let i = 0; i < 100; i++) cpu.release(cpu.request({ priority: 9 }))
    const low = cpu.request({ priority: 5 })
    const high = cpu.request({ priority: 1 })
    const urgent = cpu.request({ priority: 0 })

    expect([low.granted, high.granted, urgent.granted, cpu.count]).toEqual([false, true, true, 2])
    expect(cpu.holders).toEqual([high, urgent])
  })

  it("lets only the head of the line preempt: a preemptor behind a better polite request waits", () => {
    const sim = new Simulation()
    const cpu = new PreemptiveResource(sim)
    cpu.request({ priority: 5 })
    const politeBest = cpu.request({ priority: 0, preempt: false })

    const preemptor = cpu.request({ priority: 1 })

    // SimPy: "not allowed to cheat and jump over a higher prioritized request"
    // (test/kernel/simpy-order/resource-preempt.py).
    expect([politeBest.granted, preemptor.granted, cpu.count, cpu.queueLength]).toEqual([false, false, 1, 2])
  })
})
