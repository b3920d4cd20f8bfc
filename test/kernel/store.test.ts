/**
 * Stores: FIFO order, blocking puts at capacity, FilterStore's filtered gets, PriorityStore's
 * order, and withdrawn gets. SimPy style: producers, consumers, a time-stamped log.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../src/kernel/simulation.ts"
import { FilterStore, PriorityStore, Store } from "../../src/kernel/store.ts"
import { timeline } from "./timeline.ts"

describe("Store", () => {
  it("hands items out first in, first out, to getters in the order they asked", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const inbox = new Store<string>(sim)
    for (const name of ["g1", "g2"]) {
      sim.spawn(
        (function* () {
          log(`${name} got ${yield* inbox.get()}`)
          log(`${name} got ${yield* inbox.get()}`)
        })(),
      )
    }
    sim.spawn(
      (function* () {
        for (const item of ["a", "b", "c", "d"]) {
          yield* sim.sleep(1)
          yield* inbox.put(item)
        }
      })(),
    )

    sim.run()

    expect(lines).toEqual(["1: g1 got a", "2: g2 got b", "3: g1 got c", "4: g2 got d"])
  })

  it("blocks puts while full and admits them in order as getters make room", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const queue = new Store<number>(sim, { capacity: 2 })
    sim.spawn(
      (function* () {
        for (let i = 1; i <= 4; i++) {
          yield* queue.put(i)
          log(`put ${i} (size ${queue.size})`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        for (let i = 0; i < 2; i++) {
          yield* sim.sleep(5)
          log(`got ${yield* queue.get()}`)
        }
      })(),
    )

    sim.run()

    // the get is granted first and the blocked put admitted right after, so the getter hears first
    expect(lines).toEqual([
      "0: put 1 (size 1)",
      "0: put 2 (size 2)",
      "5: got 1",
      "5: put 3 (size 2)",
      "10: got 2",
      "10: put 4 (size 2)",
    ])
    expect(queue.itemsInOrder).toEqual([3, 4])
  })

  it("keeps undefined and null as items", () => {
    const sim = new Simulation()
    const box = new Store<null | undefined>(sim)
    box.put(undefined)
    box.put(null)
    const got: (null | undefined)[] = []
    sim.spawn(
      (function* () {
        got.push(yield* box.get())
        got.push(yield* box.get())
      })(),
    )

    sim.run()

    expect(got).toEqual([undefined, null])
  })

  it("drops a cancelled waiting get: the item goes to the next getter", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const inbox = new Store<string>(sim)
    const abandoned = inbox.get()
    sim.spawn(
      (function* () {
        log(`second getter got ${yield* inbox.get()}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        abandoned.cancel()
        log(`waiting gets after cancel: ${inbox.waitingGets}`)
        yield* inbox.put("m1")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["1: waiting gets after cancel: 1", "1: second getter got m1"])
    expect(abandoned.triggered).toBe(false)
  })

  it("drops a cancelled waiting put: its item never enters the store", () => {
    const sim = new Simulation()
    const queue = new Store<string>(sim, { capacity: 1 })
    queue.put("kept")
    const withdrawn = queue.put("withdrawn")
    queue.put("admitted")

    withdrawn.cancel()
    const taken = queue.get()

    // SimPy's order (test/kernel/simpy-order/store-order.py): the waiting put enters when the get
    // event is processed.
    expect([taken.value, queue.itemsInOrder, queue.waitingPuts]).toEqual(["kept", [], 1])
    sim.run()
    expect([queue.itemsInOrder, queue.waitingPuts]).toEqual([["admitted"], 0])
  })

  it("keeps first-in first-out order across the compaction of a long backlog", () => {
    // 3,000 items queued before any get: the store drops its consumed prefix (in place) once it
    // is half the array, while items are still queued behind it.
    const sim = new Simulation()
    const inbox = new Store<number>(sim)
    const got: number[] = []
    sim.spawn(
      (function* () {
        for (let i = 0; i < 3000; i++) yield* inbox.put(i)
        for (let i = 0; i < 3000; i++) got.push(yield* inbox.get())
        for (let i = 3000; i < 3010; i++) yield* inbox.put(i) // and it keeps working after
        for (let i = 3000; i < 3010; i++) got.push(yield* inbox.get())
      })(),
    )

    sim.run()

    expect(got).toEqual(Array.from({ length: 3010 }, (_, i) => i))
    expect(inbox.size).toBe(0)
  })

  it("refuses a capacity that is not a positive integer or Infinity", () => {
    const sim = new Simulation()

    expect(() => new Store(sim, { capacity: 0 })).toThrow("capacity must be an integer >= 1 or Infinity, got 0")
    expect(() => new Store(sim, { capacity: 2.5 })).toThrow(RangeError)
    expect(new Store(sim).capacity).toBe(Infinity)
  })
})

describe("FilterStore", () => {
  it("gives each filtered get the oldest matching item", () => {
    const sim = new Simulation()
    const parts = new FilterStore<{ kind: string; id: number }>(sim)
    for (const [kind, id] of [
      ["bolt", 1],
      ["nut", 2],
      ["bolt", 3],
    ] as const)
      parts.put({ kind, id })

    const nut = parts.get((part) => part.kind === "nut")
    const bolt = parts.get((part) => part.kind === "bolt")
    const any = parts.get()

    expect([nut.value.id, bolt.value.id, any.value.id]).toEqual([2, 1, 3])
  })

  it("does not let a waiting get with an unmatched filter block a later matching filtered get", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const parts = new FilterStore<string>(sim)
    sim.spawn(
      (function* () {
        log(`gear getter got ${yield* parts.get((p) => p === "gear")}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        yield* parts.put("bolt")
        yield* sim.sleep(1)
        log(`bolt getter got ${yield* parts.get((p) => p === "bolt")}`)
        yield* sim.sleep(1)
        yield* parts.put("gear")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: bolt getter got bolt", "3: gear getter got gear"])
  })

  it("serves a waiting matching get when an item arrives, even behind an unmatched get", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const parts = new FilterStore<string>(sim)
    sim.spawn(
      (function* () {
        log(`gear getter got ${yield* parts.get((p) => p === "gear")}`)
      })(),
    )
    sim.spawn(
      (function* () {
        log(`bolt getter got ${yield* parts.get((p) => p === "bolt")}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        yield* parts.put("bolt")
      })(),
    )

    sim.run({ until: 10 })

    expect(lines).toEqual(["4: bolt getter got bolt"])
    expect(parts.waitingGets).toBe(1)
  })

  it("does not let a waiting get with an unmatched filter block a later unfiltered get", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const parts = new FilterStore<string>(sim)
    parts.put("bolt")
    sim.spawn(
      (function* () {
        log(`gear getter got ${yield* parts.get((p) => p === "gear")}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        log(`any-part getter got ${yield* parts.get()}`)
      })(),
    )

    sim.run({ until: 10 })

    expect(lines).toEqual(["1: any-part getter got bolt"])
  })
})

describe("PriorityStore", () => {
  it("hands out the smallest priority first, and equal priorities in Python heapq order", () => {
    const sim = new Simulation()
    const jobs = new PriorityStore<{ name: string; priority: number }>(sim, { priority: (job) => job.priority })
    for (const [name, priority] of [
      ["low-1", 5],
      ["high", 1],
      ["low-2", 5],
      ["mid", 3],
      ["low-3", 5],
    ] as const) {
      jobs.put({ name, priority })
    }

    // SimPy with PriorityItem (test/kernel/simpy-order/store-order.py): heapq, not arrival order.
    expect(jobs.items.map((job) => job.name)).toEqual(["high", "mid", "low-2", "low-1", "low-3"])
    expect(jobs.itemsInOrder.map((job) => job.name)).toEqual(["high", "mid", "low-2", "low-1", "low-3"])

    const out: string[] = []
    while (jobs.size > 0) out.push(jobs.get().value.name)

    expect(out).toEqual(["high", "mid", "low-2", "low-1", "low-3"])
  })

  it("serves a waiting getter when the first put is processed, with the best item present then", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const jobs = new PriorityStore<number>(sim, { priority: (n) => n })
    sim.spawn(
      (function* () {
        log(`got ${yield* jobs.get()}`)
        yield* sim.sleep(1)
        log(`got ${yield* jobs.get()}`)
        log(`got ${yield* jobs.get()}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        jobs.put(9)
        jobs.put(4)
        jobs.put(7)
      })(),
    )

    sim.run()

    // SimPy gives the same lines (test/kernel/simpy-order/store-order.py).
    expect(lines).toEqual(["2: got 4", "3: got 7", "3: got 9"])
  })

  it("refuses NaN priorities and filters", () => {
    const sim = new Simulation()
    const jobs = new PriorityStore<number>(sim, { priority: () => Number.NaN })

    expect(() => jobs.put(1)).toThrow("priority of an item in store is NaN")
  })
})
