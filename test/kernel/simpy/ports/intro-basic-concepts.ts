/** Port of the doctests of SimPy's docs/simpy_intro/basic_concepts.rst (python/intro_basic_concepts.py). */
import { Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { percentD } from "../py-format.ts"

export const introBasicConcepts: Port = (print) => {
  function* car(env: Simulation) {
    for (;;) {
      print(`Start parking at ${percentD(env.now)}`)
      const parkingDuration = 5
      yield* env.timeout(parkingDuration)

      print(`Start driving at ${percentD(env.now)}`)
      const tripDuration = 2
      yield* env.timeout(tripDuration)
    }
  }
  const env = new Simulation()
  env.spawn(car(env))
  env.run({ until: 15 })
}
