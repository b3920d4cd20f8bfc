/** Port of python/probe_run_until_event.py: run until an event is processed, and its edge cases. */
import { Simulation, SimulationError } from "../../../../src/kernel/index.ts"
import type { Event } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { runUntilEvent } from "../py-run.ts"

/** Python's ValueError. */
class ValueError extends Error {}

export const probeRunUntilEvent: Port = (print) => {
  const env = new Simulation()

  function* p(env: Simulation) {
    yield* env.timeout(2)
    return "p done"
  }
  function* ticker(env: Simulation) {
    for (let i = 0; i < 8; i++) {
      yield* env.timeout(1)
      print(`${env.now} tick`)
    }
  }
  function* trigger(env: Simulation, event: Event<string>) {
    yield* env.timeout(3)
    event.succeed("ev value")
  }
  function* failer(env: Simulation, event: Event<string>) {
    yield* env.timeout(1)
    event.fail(new ValueError("ev2 failed"))
  }

  const proc = env.spawn(p(env))
  env.spawn(ticker(env))
  print(`${runUntilEvent(env, proc)} ${env.now}`)
  print(`${runUntilEvent(env, proc)} ${env.now}`)
  const ev = env.event<string>()
  env.spawn(trigger(env, ev))
  print(`${runUntilEvent(env, ev)} ${env.now}`)
  const ev2 = env.event<string>()
  env.spawn(failer(env, ev2))
  try {
    runUntilEvent(env, ev2)
  } catch (error) {
    // The failure itself, or (on a kernel that wraps unhandled failures) a SimulationError's cause.
    const cause = error instanceof SimulationError ? error.cause : error
    if (!(cause instanceof ValueError)) throw error
    print(`run raised ${cause.message} ${env.now}`)
  }
  const never = env.event()
  try {
    runUntilEvent(env, never)
  } catch (error) {
    if (!(error instanceof Error) || error instanceof ValueError) throw error
    print(`run raised at ${env.now}`)
  }
}
