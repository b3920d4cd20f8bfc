/**
 * Same-instant order of stores, filter stores, containers and resources, line for line against
 * SimPy 4.1.2: the TypeScript below is a port of test/kernel/simpy-order/same-instant.py, and the
 * expected lines are that program's output, kept in same-instant.out next to it (rerun with
 * `PYTHONPATH=<simpy>/src python3 same-instant.py`). A waiter unblocked by a put, get or release
 * is served when that event is processed, after the events already queued for the instant.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { Container } from "../../src/kernel/container.ts"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Preempted, PreemptiveResource, PriorityResource, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { FilterStore, Store } from "../../src/kernel/store.ts"

const expected = readFileSync(new URL("./simpy-order/same-instant.out", import.meta.url), "utf8")
  .trimEnd()
  .split("\n")

/** SimPy's section of the output: the lines starting with `prefix`. */
function section(prefix: string): string[] {
  const lines = expected.filter((line) => line.startsWith(`${prefix} `))
  if (lines.length === 0) throw new Error(`same-instant.out has no "${prefix}" section`)
  return lines
}

/** Python's repr of a list of strings. */
function pyList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(", ")}]`
}

describe("same-instant order, as SimPy", () => {
  it("serves a Store's waiting gets when the put events are processed, after earlier events", () => {
    const sim = new Simulation()
    const store = new Store<string>(sim, { capacity: 1 })
    const lines: string[] = []
    const log = (m: string): void =>
      void lines.push(
        `store ${sim.now}: ${m} (items ${pyList(store.items)}, puts ${store.putQueue.length}, gets ${store.getQueue.length})`,
      )
    function* consumer(name: string) {
      const item = yield* store.get()
      log(`${name} got ${item}`)
    }
    sim.spawn(consumer("c1"))
    sim.spawn(consumer("c2"))
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        sim.timeout(0).onProcessed(() => log("marker queued before the put"))
        const put = store.put("a")
        log("put a")
        store.put("b")
        log("put b")
        yield* put
        log("put a processed")
      })(),
    )

    sim.run()

    expect(lines).toEqual(section("store"))
  })

  it("tries every waiting FilterStore get, in order, whenever a get is made or a put processed", () => {
    const sim = new Simulation()
    const store = new FilterStore<string>(sim)
    const lines: string[] = []
    const log = (m: string): void =>
      void lines.push(`filter ${sim.now}: ${m} (items ${pyList(store.items)}, gets ${store.getQueue.length})`)
    function* consumer(name: string, wanted: string) {
      const item = yield* store.get((item) => item.startsWith(wanted))
      log(`${name} got ${item}`)
    }
    sim.spawn(consumer("red", "red"))
    sim.spawn(consumer("blue", "blue"))
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        store.put("blue-1")
        store.put("red-1")
        log("put blue-1, red-1")
        const late = store.get((item) => item.startsWith("red"))
        log(`late red get triggered: ${late.triggered ? "True" : "False"}`)
        const item = yield* late
        log(`late got ${item}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(section("filter"))
  })

  it("serves a Container's waiting gets from the head while they fit, when a put is processed", () => {
    const sim = new Simulation()
    const tank = new Container(sim, { capacity: 10, init: 0 })
    const lines: string[] = []
    const log = (m: string): void =>
      void lines.push(
        `tank ${sim.now}: ${m} (level ${tank.level}, puts ${tank.putQueue.length}, gets ${tank.getQueue.length})`,
      )
    function* getter(name: string, amount: number) {
      yield* tank.get(amount)
      log(`${name} got ${amount}`)
    }
    sim.spawn(getter("g3", 3))
    sim.spawn(getter("g2", 2))
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        tank.put(4)
        log("put 4")
        tank.put(3)
        log("put 3")
        yield* tank.get(1)
        log("own get 1 processed")
      })(),
    )

    sim.run()

    expect(lines).toEqual(section("tank"))
  })

  it("frees a Resource slot at release and grants the head of the line when the release is processed", () => {
    const sim = new Simulation()
    const res = new Resource(sim, { capacity: 1 })
    const lines: string[] = []
    const log = (m: string): void =>
      void lines.push(`resource ${sim.now}: ${m} (count ${res.count}, queue ${res.queue.length})`)
    function* user(name: string, arrive: number, hold: number) {
      yield* sim.timeout(arrive)
      const request = res.request()
      yield* request
      log(`${name} granted`)
      yield* sim.timeout(hold)
      const release = res.release(request)
      log(`${name} released`)
      const newcomer = res.request()
      log(`${name} saw newcomer granted: ${newcomer.triggered ? "True" : "False"}`)
      yield* release
      log(`${name} release processed`)
    }
    sim.spawn(user("u1", 0, 2))
    sim.spawn(user("u2", 1, 1))

    sim.run()

    expect(lines).toEqual(section("resource"))
  })

  it("orders a PriorityResource's line by (priority, request time, not preempt)", () => {
    const sim = new Simulation()
    const res = new PriorityResource(sim, { capacity: 1 })
    const lines: string[] = []
    function* user(name: string, arrive: number, priority: number, preempt: boolean) {
      yield* sim.timeout(arrive)
      using request = res.request({ priority, preempt })
      yield* request
      lines.push(`priority ${sim.now}: ${name} granted`)
      yield* sim.timeout(1)
    }
    sim.spawn(user("holder", 0, 0, true))
    sim.spawn(user("p1-polite-early", 0.5, 1, false))
    sim.spawn(user("p1-late", 0.75, 1, true))
    sim.spawn(user("p1-polite-same", 0.75, 1, false))
    sim.spawn(user("p1-same", 0.75, 1, true))
    sim.spawn(user("p0-last", 0.9, 0, false))

    sim.run()

    expect(lines).toEqual(section("priority"))
  })

  it("lets only the head of a PreemptiveResource's line preempt", () => {
    const sim = new Simulation()
    const res = new PreemptiveResource(sim, { capacity: 1 })
    const lines: string[] = []
    const names = new Map<Process<void> | null, string>()
    function* user(name: string, arrive: number, priority: number, preempt: boolean, hold: number) {
      yield* sim.timeout(arrive)
      using request = res.request({ priority, preempt })
      try {
        yield* request
        lines.push(`preempt ${sim.now}: ${name} granted`)
        yield* sim.timeout(hold)
        lines.push(`preempt ${sim.now}: ${name} done`)
      } catch (error) {
        if (!(error instanceof Interrupt) || !(error.cause instanceof Preempted)) throw error
        lines.push(
          `preempt ${sim.now}: ${name} preempted by ${names.get(error.cause.by)}, held since ${error.cause.usageSince}`,
        )
      }
    }
    for (const [name, arrive, priority, preempt, hold] of [
      ["low", 0, 5, true, 10],
      ["mid-polite", 1, 1, false, 1],
      ["high", 2, 2, true, 1],
      ["top", 3, 0, true, 1],
    ] as const) {
      names.set(sim.spawn(user(name, arrive, priority, preempt, hold)), name)
    }

    sim.run()

    expect(lines).toEqual(section("preempt"))
  })
})
