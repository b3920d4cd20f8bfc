/** Port of python/probe_interrupts.py: interrupts before a process starts, and twice in one instant. */
import { Interrupt, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeInterrupts: Port = (print) => {
  function* worker(env: Simulation, name: string) {
    print(`${env.now} ${name} started`)
    for (let i = 0; i < 3; i++) {
      try {
        yield* env.timeout(5)
        print(`${env.now} ${name} slept`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        print(`${env.now} ${name} interrupted: ${String(error.cause)}`)
      }
    }
  }
  function* boss(env: Simulation) {
    const early = env.spawn(worker(env, "early"))
    early.interrupt("before start")
    const twice = env.spawn(worker(env, "twice"))
    yield* env.timeout(1)
    twice.interrupt("first")
    twice.interrupt("second")
    print(`${env.now} boss done`)
  }
  const env = new Simulation()
  env.spawn(boss(env))
  env.run()
}
