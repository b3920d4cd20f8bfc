/**
 * Port of the doctest of SimPy's docs/index.rst and README.rst (python/index_clock.py): two clocks.
 *
 * Python prints `env.now` as an int until a float delay was added to it (`fast 1.0`, `slow 1`); a
 * JavaScript number has no such type, so the port says which clock's times are floats.
 */
import { Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { floatRepr } from "../py-format.ts"

export const indexClock: Port = (print) => {
  function* clock(env: Simulation, name: string, tick: number) {
    let nowIsFloat = false // env.now starts as the int 0
    for (;;) {
      print(`${name} ${nowIsFloat ? floatRepr(env.now) : env.now}`)
      yield* env.timeout(tick)
      nowIsFloat ||= !Number.isInteger(tick)
    }
  }
  const env = new Simulation()
  env.spawn(clock(env, "fast", 0.5))
  env.spawn(clock(env, "slow", 1))
  env.run({ until: 2 })
}
