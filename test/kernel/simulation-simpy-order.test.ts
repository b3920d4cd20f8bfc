/**
 * The kernel against SimPy 4.1.2, line for line: each test ports a small SimPy program (kept in a
 * comment above it) and expects exactly the output real SimPy printed for it. Issue 15, item 9:
 * join after end, nested conditions, `run({ until: event })`, and an interrupted sleep.
 */
import { describe, expect, it } from "vitest"
import { ConditionValue } from "../../src/kernel/condition.ts"
import type { Event } from "../../src/kernel/event.ts"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Simulation, SimulationError } from "../../src/kernel/simulation.ts"
import { timeline } from "./timeline.ts"

describe("join after end (SimPy: the end is an event processed in its turn)", () => {
  // import simpy
  // env = simpy.Environment()
  // log = []
  // def short(env):
  //     log.append(f"{env.now} short ends")
  //     return "done"
  //     yield
  // def watcher(env, ev):
  //     v = yield ev
  //     log.append(f"{env.now} watcher got {v}")
  // def main(env):
  //     yield env.timeout(1)
  //     p = env.process(short(env))
  //     first = env.timeout(0, "first")
  //     env.process(watcher(env, env.timeout(0, "mid")))
  //     yield first
  //     log.append(f"{env.now} main: alive={p.is_alive} triggered={p.triggered} processed={p.processed}")
  //     v = yield p
  //     log.append(f"{env.now} main joined {v}")
  //     v = yield p
  //     log.append(f"{env.now} main joined again {v}")
  // env.process(main(env))
  // env.run()
  // print("\n".join(log))
  //
  // SimPy prints:
  // 1 short ends
  // 1 main: alive=False triggered=True processed=False
  // 1 watcher got mid
  // 1 main joined done
  // 1 main joined again done
  it("resumes a process joining one that ended earlier in the instant when the end is processed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        const p = sim.spawn(
          (function* () {
            log("short ends")
            return "done"
          })(),
        )
        const first = sim.timeout(0, "first")
        const mid = sim.timeout(0, "mid")
        sim.spawn(
          (function* () {
            const v = yield* mid
            log(`watcher got ${v}`)
          })(),
        )
        yield* first
        log(`main: alive=${p.isAlive} triggered=${p.triggered} processed=${p.processed}`)
        log(`main joined ${yield* p}`)
        log(`main joined again ${yield* p}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual([
      "1: short ends",
      "1: main: alive=false triggered=true processed=false",
      "1: watcher got mid",
      "1: main joined done",
      "1: main joined again done",
    ])
  })
})

describe("ends nobody waited for (not queued: they count as processed in their turn)", () => {
  // import simpy
  // env = simpy.Environment()
  // log = []
  // def short(env, name):
  //     log.append(f"{env.now} {name} ends")
  //     return name
  //     yield
  // def w(env, ev):
  //     yield ev
  //     log.append(f"{env.now} w resumed")
  // def main(env):
  //     yield env.timeout(1)
  //     p = env.process(short(env, "p"))
  //     yield env.timeout(0)
  //     c = env.timeout(0)
  //     env.process(w(env, c))
  //     yield c
  //     log.append(f"{env.now} main: processed={p.processed}")
  //     v = yield p
  //     log.append(f"{env.now} main joined {v}")
  //     q = env.process(short(env, "q"))
  //     r = env.process(short(env, "r"))
  //     d = env.timeout(0)
  //     yield d
  //     log.append(f"{env.now} main: q processed={q.processed}")
  //     cond = simpy.AllOf(env, [q, r])
  //     cond.callbacks.append(lambda e: log.append(f"{env.now} cond callback"))
  //     env.timeout(0).callbacks.append(lambda e: log.append(f"{env.now} timeout(0) after the condition"))
  //     v = yield cond
  //     log.append(f"{env.now} allOf(q, r): {list(v.values())}")
  // env.process(main(env))
  // env.run()
  // print("\n".join(log))
  //
  // SimPy prints:
  // 1 p ends
  // 1 main: processed=True
  // 1 main joined p
  // 1 w resumed
  // 1 q ends
  // 1 r ends
  // 1 main: q processed=False
  // 1 timeout(0) after the condition
  // 1 cond callback
  // 1 allOf(q, r): ['q', 'r']
  it("continues a join at once once the end's turn has passed, and queues the end in its turn otherwise", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    function* short(name: string) {
      log(`${name} ends`)
      return name
    }
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        const p = sim.spawn(short("p"))
        yield* sim.timeout(0)
        const c = sim.timeout(0)
        sim.spawn(
          (function* () {
            yield* c
            log("w resumed")
          })(),
        )
        yield* c
        log(`main: processed=${p.processed}`)
        log(`main joined ${yield* p}`)
        const q = sim.spawn(short("q"))
        const r = sim.spawn(short("r"))
        yield* sim.timeout(0)
        log(`main: q processed=${q.processed}`)
        const cond = sim.allOf([q, r])
        cond.onProcessed(() => log("cond callback"))
        sim.timeout(0).onProcessed(() => log("timeout(0) after the condition"))
        const v = yield* cond
        log(`allOf(q, r): ${v.events.map((e) => e.value).join(",")}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual([
      "1: p ends",
      "1: main: processed=true",
      "1: main joined p",
      "1: w resumed",
      "1: q ends",
      "1: r ends",
      "1: main: q processed=false",
      "1: timeout(0) after the condition",
      "1: cond callback",
      "1: allOf(q, r): q,r",
    ])
  })

  it("runs until, races and calls back on such an end as on a queued one", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    let p: Process<string> | null = null
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        p = sim.spawn(
          (function* () {
            return "p"
          })(),
        )
        sim.timeout(0).onProcessed(() => log("timeout(0) before p's end"))
        yield* sim.timeout(0)
        log(`p processed=${p.processed}`)
        p.onProcessed(() => log("p's end processed"))
        const raced = yield* sim.withDeadline(p, 5)
        log(`raced: ${JSON.stringify(raced)}`)
      })(),
    )
    sim.run()

    expect(lines).toEqual([
      "1: timeout(0) before p's end",
      "1: p processed=false",
      "1: p's end processed",
      '1: raced: {"timedOut":false,"value":"p"}',
    ])
    expect(sim.now).toBe(1) // the withdrawn deadline does not move the clock
    // run({ until }) on an end nobody waited for: processed in its turn, after the earlier timeout.
    // SimPy (env = simpy.Environment(); early = env.timeout(0, "early"); q = env.process(short(env));
    // print(env.run(until=q), early.processed, q.processed, env.now)) prints "p True False 0": its
    // run stops by an exception inside q's callbacks and puts q back in the queue, unprocessed, to
    // be processed again by the next run. Here the until event stays processed, as it was.
    const other = new Simulation()
    const early = other.timeout(0, "early")
    const q = other.spawn(
      (function* () {
        return "q"
      })(),
    )
    expect(other.run({ until: q })).toBe("q")
    expect([early.processed, q.processed, other.now]).toEqual([true, true, 0])
  })
})

describe("condition values (SimPy's ConditionValue, nested conditions flattened)", () => {
  // import simpy
  // env = simpy.Environment()
  // log = []
  // def main(env):
  //     e1 = env.timeout(1, "e1")
  //     e2 = env.timeout(2, "e2")
  //     e3 = env.timeout(3, "e3")
  //     inner = e1 | e2
  //     value = yield simpy.AllOf(env, [inner, e3])
  //     log.append(f"{env.now} allOf: {[ev.value for ev in value.events]} inner in value: {inner in value}")
  //     f1 = env.timeout(1, "f1")
  //     f2 = env.timeout(1, "f2")
  //     f3 = env.timeout(5, "f3")
  //     value = yield simpy.AnyOf(env, [simpy.AllOf(env, [f1, f2]), f3])
  //     log.append(f"{env.now} anyOf(allOf): {[ev.value for ev in value.events]}")
  //     g1 = env.timeout(1, "g1")
  //     g2 = env.timeout(3, "g2")
  //     g3 = env.timeout(2, "g3")
  //     value = yield simpy.AnyOf(env, [simpy.AnyOf(env, [g1, g2]), g3])
  //     log.append(f"{env.now} anyOf(anyOf): {[ev.value for ev in value.events]}")
  //     value = yield simpy.AllOf(env, [])
  //     log.append(f"{env.now} allOf([]): {value.todict()}")
  // env.process(main(env))
  // env.run()
  // print("\n".join(log))
  //
  // SimPy prints:
  // 3 allOf: ['e1', 'e2', 'e3'] inner in value: False
  // 4 anyOf(allOf): ['f1', 'f2']
  // 5 anyOf(anyOf): ['g1']
  // 5 allOf([]): {}
  it("lists every processed event of nested conditions when the outer one is processed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const values = (value: ConditionValue): string => value.events.map((event) => event.value).join(",")
    sim.spawn(
      (function* () {
        const e1 = sim.timeout(1, "e1")
        const e2 = sim.timeout(2, "e2")
        const e3 = sim.timeout(3, "e3")
        const inner = sim.anyOf([e1, e2])
        let value: ConditionValue = yield* sim.allOf([inner, e3])
        log(`allOf: ${values(value)} inner in value: ${value.has(inner)}`)
        const [innerValue, third] = value as unknown as [ConditionValue, string]
        log(`allOf as an array: ${values(innerValue)} | ${third}`)
        const f1 = sim.timeout(1, "f1")
        const f2 = sim.timeout(1, "f2")
        value = yield* sim.anyOf([sim.allOf([f1, f2]), sim.timeout(5, "f3")])
        log(`anyOf(allOf): ${values(value)}`)
        value = yield* sim.anyOf([sim.anyOf([sim.timeout(1, "g1"), sim.timeout(3, "g2")]), sim.timeout(2, "g3")])
        log(`anyOf(anyOf): ${values(value)} first index ${value.firstIndex}`)
        value = yield* sim.allOf([])
        log(`allOf([]): ${value.toMap().size} ${JSON.stringify(value)}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual([
      "3: allOf: e1,e2,e3 inner in value: false",
      "3: allOf as an array: e1 | e3", // the inner value was built when the inner condition was processed, at 1
      "4: anyOf(allOf): f1,f2",
      "5: anyOf(anyOf): g1 first index 0",
      "5: allOf([]): 0 []",
    ])
  })

  // import simpy
  // env = simpy.Environment()
  // def short(env, d):
  //     yield env.timeout(d)
  //     return d
  // def main(env):
  //     p1 = env.process(short(env, 1))
  //     p2 = env.process(short(env, 2))
  //     inner = p1 | p2
  //     v = yield inner & env.timeout(3, "t")
  //     print(env.now, [e.value for e in v.events])
  // env.process(main(env))
  // env.run()
  //
  // SimPy prints: 3 [1, 2, 't']
  it("lists a process that ended after its inner condition stopped waiting for it", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    function* short(delay: number) {
      yield* sim.timeout(delay)
      return delay
    }
    sim.spawn(
      (function* () {
        const inner = sim.anyOf([sim.spawn(short(1)), sim.spawn(short(2))])
        const v = yield* sim.allOf([inner, sim.timeout(3, "t")])
        log(v.events.map((e) => String(e.value)).join(","))
      })(),
    )
    sim.run()
    expect(lines).toEqual(["3: 1,2,t"])
  })

  it("gives allOf and anyOf the same value type, which is also the array of values in order", () => {
    const sim = new Simulation()
    const a = sim.timeout(1, "a")
    const b = sim.timeout(2, 7)
    const all = sim.allOf([a, b] as const)
    const any = sim.anyOf([a, b])
    sim.run()

    const [x, y] = all.value // typed [string, number]
    expect([x.toUpperCase(), y + 1]).toEqual(["A", 8])
    expect(all.value).toBeInstanceOf(ConditionValue)
    expect(any.value).toBeInstanceOf(ConditionValue)
    expect(JSON.stringify(all.value)).toBe('["a",7]')
    expect(JSON.stringify(any.value)).toBe('["a",null]') // b had not happened when anyOf was processed
    expect([...all.value.toMap().values()]).toEqual(["a", 7])
    expect(any.value.events).toEqual([a])
    expect(all.value.map((v) => String(v))).toEqual(["a", "7"])
    expect(Array.isArray(all.value.map((v) => v))).toBe(true)
    expect(all.value.get(b)).toBe(7)
    expect(() => any.value.get(b)).toThrow("that event had not happened when the condition was met")
  })

  it("stops a nested condition counting once its outer condition was processed (SimPy's _remove_check_callbacks)", () => {
    // SimPy: inner = AllOf(env, [a, b]); outer = AnyOf(env, [inner, c]) with c first: after outer
    // is processed, a and b still happen but inner is never triggered.
    const sim = new Simulation()
    const a = sim.timeout(2)
    const b = sim.timeout(3)
    const inner = sim.allOf([a, b])
    const outer = sim.anyOf([inner, sim.timeout(1)])
    sim.run()
    expect([outer.processed, a.processed, b.processed, inner.triggered]).toEqual([true, true, true, false])
  })
})

describe("run({ until: event }) (SimPy's env.run(until=event))", () => {
  // import simpy
  // def worker(env):
  //     yield env.timeout(3)
  //     return "result"
  // def ticker(env):
  //     while True:
  //         yield env.timeout(1)
  // env = simpy.Environment()
  // env.process(ticker(env))
  // p = env.process(worker(env))
  // print("run until process:", env.run(until=p), "now", env.now)
  // print("again (already processed):", env.run(until=p), "now", env.now)
  // t = env.timeout(2.5, "late")
  // print("run until timeout:", env.run(until=t), "now", env.now)
  // env2 = simpy.Environment()
  // ev = env2.event()
  // env2.timeout(4)
  // try:
  //     env2.run(until=ev)
  // except RuntimeError as e:
  //     print("never triggered:", e.__class__.__name__, "now", env2.now)
  // env3 = simpy.Environment()
  // def failer(env):
  //     yield env.timeout(2)
  //     raise ValueError("boom")
  // def watch(env, p):
  //     try:
  //         yield p
  //     except ValueError:
  //         pass
  // p3 = env3.process(failer(env3))
  // env3.process(watch(env3, p3))
  // try:
  //     env3.run(until=p3)
  // except ValueError as e:
  //     print("failed:", repr(e), "now", env3.now)
  //
  // SimPy prints:
  // run until process: result now 3
  // again (already processed): result now 3
  // run until timeout: late now 5.5
  // never triggered: RuntimeError now 4
  // failed: ValueError('boom') now 2
  it("returns the event's value at its time, at once if already processed", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        for (;;) yield* sim.timeout(1)
      })(),
    )
    const p = sim.spawn(
      (function* () {
        yield* sim.timeout(3)
        return "result"
      })(),
    )
    const out: string[] = []
    const value: string = sim.run({ until: p })
    out.push(`run until process: ${value} now ${sim.now}`)
    out.push(`again (already processed): ${sim.run({ until: p })} now ${sim.now}`)
    const t = sim.timeout(2.5, "late")
    out.push(`run until timeout: ${sim.run({ until: t })} now ${sim.now}`)
    expect(out).toEqual([
      "run until process: result now 3",
      "again (already processed): result now 3",
      "run until timeout: late now 5.5",
    ])
  })

  it("throws when the queue empties before the event is processed, with the clock at the last event", () => {
    const sim = new Simulation()
    const ev: Event<void> = sim.event()
    sim.timeout(4)
    expect(() => sim.run({ until: ev })).toThrow(
      "run: no events left at t=4 but the until event was not processed (never triggered, or withdrawn)",
    )
    expect(sim.now).toBe(4)
  })

  it("rethrows the failure of the event itself, after its other waiters ran", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const boom = new RangeError("boom")
    const p3 = sim.spawn(
      (function* () {
        yield* sim.timeout(2)
        throw boom
      })(),
    )
    sim.spawn(
      (function* () {
        try {
          yield* p3
        } catch (error) {
          log(`watcher caught ${(error as Error).message}`)
        }
      })(),
    )
    let caught: unknown = null
    try {
      sim.run({ until: p3 })
    } catch (error) {
      caught = error
    }
    expect(caught).toBe(boom)
    expect(caught).not.toBeInstanceOf(SimulationError)
    expect(lines).toEqual(["2: watcher caught boom"])
    expect(sim.now).toBe(2)
  })

  it("throws when a process calls stop() first, and rejects an event of another simulation", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        sim.stop()
      })(),
    )
    expect(() => sim.run({ until: sim.timeout(5) })).toThrow(
      "run: stop() was called at t=1 before the until event was processed",
    )
    expect(() => sim.run({ until: new Simulation().timeout(1) })).toThrow(
      "run: the until event belongs to another simulation",
    )
  })
})

describe("an interrupted sleep ends at its time, as an interrupted timeout does", () => {
  // import simpy
  // def sleeper(env):
  //     try:
  //         yield env.timeout(10)
  //     except simpy.Interrupt as i:
  //         print(f"{env.now} interrupted: {i.cause}")
  // def interrupter(env, p):
  //     yield env.timeout(2)
  //     p.interrupt("wake up")
  // env = simpy.Environment()
  // p = env.process(sleeper(env))
  // env.process(interrupter(env, p))
  // env.run()
  // print("ended at", env.now)
  //
  // SimPy prints:
  // 2 interrupted: wake up
  // ended at 10
  for (const wait of ["sleep", "timeout"] as const) {
    it(`moves the clock to the abandoned ${wait}'s end, waking nobody`, () => {
      const sim = new Simulation()
      const { lines, log } = timeline(sim)
      const p = sim.spawn(
        (function* () {
          try {
            if (wait === "sleep") yield* sim.sleep(10)
            else yield* sim.timeout(10)
          } catch (error) {
            log(`interrupted: ${(error as Interrupt).cause}`)
          }
        })(),
      )
      sim.spawn(
        (function* () {
          yield* sim.sleep(2)
          p.interrupt("wake up")
        })(),
      )

      const result = sim.run()

      expect(lines).toEqual(["2: interrupted: wake up"])
      expect([result.reason, result.now]).toEqual(["empty", 10])
      // start, start, interrupter's sleep, interrupt, sleeper's end, interrupter's end, the
      // abandoned wait's end
      expect(sim.eventsProcessed).toBe(7)
    })
  }
})
