/**
 * Containers: a level with blocking puts and gets, served strictly in order. SimPy style: a tank,
 * a few trucks and pumps, a time-stamped log.
 */
import { describe, expect, it } from "vitest"
import { Container } from "../../src/kernel/container.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { timeline } from "./timeline.ts"

describe("Container", () => {
  it("adds and removes amounts at once while they fit", () => {
    const sim = new Simulation()
    const tank = new Container(sim, { capacity: 100, init: 30, name: "tank" })

    const put = tank.put(50)
    const get = tank.get(70.5)

    expect([put.triggered, get.triggered, tank.level, tank.name, tank.capacity]).toEqual([true, true, 9.5, "tank", 100])
  })

  it("makes a get wait until the level holds its amount, and a put wait until there is room", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const tank = new Container(sim, { capacity: 10, init: 2 })
    sim.spawn(
      (function* () {
        yield* tank.get(5)
        log(`pump took 5, level ${tank.level}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        yield* tank.put(8)
        log(`truck delivered 8, level ${tank.level}`)
        yield* tank.put(9)
        log(`truck delivered 9, level ${tank.level}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(6)
        yield* tank.get(4)
        log(`pump took 4, level ${tank.level}`)
      })(),
    )

    sim.run()

    // the put settles first, then the get it made possible
    expect(lines).toEqual([
      "3: truck delivered 8, level 5",
      "3: pump took 5, level 5",
      "6: pump took 4, level 10",
      "6: truck delivered 9, level 10",
    ])
  })

  it("serves gets strictly in order: a large get at the head blocks a smaller one behind it", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const tank = new Container(sim, { capacity: 20 })
    sim.spawn(
      (function* () {
        yield* tank.get(10)
        log("big get served")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        yield* tank.get(2)
        log("small get served")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        yield* tank.put(5)
        log(`put 5, level ${tank.level}, waiting gets ${tank.waitingGets}`)
        yield* sim.sleep(1)
        yield* tank.put(7)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: put 5, level 5, waiting gets 2", "3: big get served", "3: small get served"])
    expect(tank.level).toBe(0)
  })

  it("serves puts strictly in order: a large put at the head blocks a smaller one behind it", () => {
    const sim = new Simulation()
    const tank = new Container(sim, { capacity: 10, init: 6 })

    const big = tank.put(5)
    const small = tank.put(1)

    expect([big.triggered, small.triggered, tank.waitingPuts]).toEqual([false, false, 2])

    tank.get(1)

    // SimPy's order (test/kernel/simpy-order/container-order.py): the waiting put enters when the
    // get event is processed.
    expect([big.triggered, small.triggered, tank.level]).toEqual([false, false, 5])
    sim.run()
    expect([big.triggered, small.triggered, tank.level, tank.waitingPuts]).toEqual([true, false, 10, 1])
  })

  it("serves the gets behind a withdrawn head-of-line get at the next put, not at the withdrawal", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const tank = new Container(sim, { init: 5 })
    const big = tank.get(10)
    sim.spawn(
      (function* () {
        yield* tank.get(3)
        log(`small get served, level ${tank.level}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        big.cancel()
        log("big get withdrawn")
        yield* sim.sleep(1)
        tank.put(1)
        log(`put 1, level ${tank.level}`)
      })(),
    )

    sim.run()

    // SimPy gives the same lines (test/kernel/simpy-order/container-order.py).
    expect(lines).toEqual(["1: big get withdrawn", "2: put 1, level 6", "2: small get served, level 3"])
  })

  it("admits the puts behind a withdrawn head-of-line put at the next put, not at the withdrawal", () => {
    const sim = new Simulation()
    const tank = new Container(sim, { capacity: 10, init: 6 })
    const big = tank.put(5)
    const small = tank.put(3)

    big.cancel()

    // SimPy's order (test/kernel/simpy-order/container-order.py).
    expect([small.triggered, tank.level, tank.waitingPuts]).toEqual([false, 6, 1])
    tank.put(1)
    expect([small.triggered, tank.level, tank.waitingPuts]).toEqual([true, 10, 0])
  })

  it("refuses amounts that are not positive or exceed the capacity, and bad capacities or initial levels", () => {
    const sim = new Simulation()
    const tank = new Container(sim, { capacity: 10 })

    expect(() => tank.put(0)).toThrow("put amount must be > 0 and <= capacity 10, got 0")
    expect(() => tank.get(-1)).toThrow("get amount must be > 0 and <= capacity 10, got -1")
    expect(() => tank.put(11)).toThrow(RangeError)
    expect(() => tank.get(Number.NaN)).toThrow(RangeError)
    expect(() => new Container(sim, { capacity: 0 })).toThrow("capacity must be > 0, got 0")
    expect(() => new Container(sim, { capacity: 5, init: 6 })).toThrow("init must be between 0 and capacity 5, got 6")
    expect(() => new Container(sim, { init: -1 })).toThrow(RangeError)
  })
})
