/** Port of python/probe_conditions.py: AnyOf values in one instant, and a late sub-event failure. */
import { type Event, Simulation, SimulationError } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeConditions: Port = (print) => {
  const pyList = (items: readonly string[]) => `[${items.map((item) => `'${item}'`).join(", ")}]`

  function* sameInstant(env: Simulation) {
    const r = yield* env.anyOf([env.timeout(1, "a"), env.timeout(1, "b")])
    print(`${env.now} same instant: ${pyList(r.events.map((e) => e.value as string))}`)
  }
  function* lateFailure(env: Simulation, e1: Event<string>, e2: Event<string>) {
    const r = yield* env.anyOf([e1, e2])
    print(`${env.now} late failure: got ${pyList(r.events.map((e) => e.value as string))}`)
  }
  function* trigger(env: Simulation, e1: Event<string>, e2: Event<string>) {
    yield* env.timeout(2)
    e1.succeed("ok")
    e2.fail(new RangeError("bad"))
  }
  const env = new Simulation()
  env.spawn(sameInstant(env))
  const [e1, e2] = [env.event<string>(), env.event<string>()]
  env.spawn(lateFailure(env, e1, e2))
  env.spawn(trigger(env, e1, e2))
  try {
    env.run()
  } catch (error) {
    // The kernel wraps an unhandled failure in a SimulationError whose cause is the failure.
    if (!(error instanceof SimulationError && error.cause instanceof RangeError)) throw error
    print(`${env.now} run raised: ${error.cause.message}`)
  }
}
