/**
 * Port of the doctests of SimPy's docs/topical_guides/events.rst (python/guide_events.py):
 * callbacks, a shared event that wakes several processes, process return values, start_delayed,
 * and condition events with their values.
 */
import { type Event, type ProcessGenerator, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { runUntilEvent } from "../py-run.ts"

export const guideEvents: Port = (print) => {
  const pyList = (items: readonly (string | boolean)[]) =>
    `[${items.map((item) => (typeof item === "string" ? `'${item}'` : item ? "True" : "False")).join(", ")}]`

  function myCallback(event: Event<any>): void {
    print(`Called back from ${String(event)}`)
  }
  const env = new Simulation()
  const event = env.event()
  event.onProcessed(myCallback)

  class School {
    classEnds: Event<void>
    constructor(readonly env: Simulation) {
      this.classEnds = env.event()
      for (let i = 0; i < 3; i++) env.spawn(this.pupil())
      env.spawn(this.bell())
    }

    *bell() {
      for (let i = 0; i < 2; i++) {
        yield* this.env.timeout(45)
        this.classEnds.succeed()
        this.classEnds = this.env.event()
        print("")
      }
    }

    *pupil() {
      for (let i = 0; i < 2; i++) {
        print(" \\o/", "")
        yield* this.classEnds
      }
    }
  }
  new School(env)
  env.run()

  function* sub(env: Simulation) {
    yield* env.timeout(1)
    return 23
  }
  function* parent(env: Simulation) {
    const ret = yield* env.spawn(sub(env))
    return ret
  }
  print(`${runUntilEvent(env, env.spawn(parent(env)))} ${env.now}`)

  /** simpy.util.start_delayed: a process that starts `generator` after `delay` and returns it. */
  function startDelayed<T>(env: Simulation, generator: ProcessGenerator<T>, delay: number) {
    function* starter() {
      yield* env.timeout(delay)
      const proc = env.spawn(generator)
      return proc
    }
    return env.spawn(starter())
  }
  function* parentDelayed(env: Simulation) {
    const subProc = yield* startDelayed(env, sub(env), 3)
    const ret = yield* subProc
    return ret
  }
  print(`${runUntilEvent(env, env.spawn(parentDelayed(env)))} ${env.now}`)

  const events = [env.event(), env.event(), env.event()]
  env.anyOf(events) // Triggers if at least one of "events" is triggered.
  env.allOf(events) // Triggers if all each of "events" is triggered.

  function* testCondition(env: Simulation) {
    let [t1, t2] = [env.timeout(1, "spam"), env.timeout(2, "eggs")]
    const ret = yield* env.anyOf([t1, t2])
    print(`${env.now} ${pyList(ret.events.map((e) => e.value as string))}`)

    ;[t1, t2] = [env.timeout(1, "spam"), env.timeout(2, "eggs")]
    const both = yield* env.allOf([t1, t2])
    print(`${env.now} ${pyList([...both])}`)

    // You can also concatenate & and |
    const [e1, e2, e3] = [env.timeout(0), env.timeout(1), env.timeout(2)]
    yield* env.allOf([env.anyOf([e1, e2]), e3])
    print(`${env.now} ${pyList([e1, e2, e3].map((e) => e.processed))}`)
  }
  env.spawn(testCondition(env))
  env.run()

  function* fetchValuesOfMultipleEvents(env: Simulation) {
    const [t1, t2] = [env.timeout(1, "spam"), env.timeout(2, "eggs")]
    const [r1, r2] = yield* env.allOf([t1, t2])
    print(`${env.now} ${r1} ${r2}`)
  }
  env.spawn(fetchValuesOfMultipleEvents(env))
  env.run()
}
