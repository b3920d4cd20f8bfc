/** Port of the doctests of SimPy's docs/topical_guides/simpy_basics.rst (python/guide_simpy_basics.py). */
import { Simulation, Timeout } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { percentD } from "../py-format.ts"

export const guideSimpyBasics: Port = (print) => {
  function* example(env: Simulation) {
    const event = new Timeout(env, 1, 42)
    const value = yield* event
    print(`now=${percentD(env.now)}, value=${percentD(value)}`)
  }
  let env = new Simulation()
  const exampleGen = example(env)
  env.spawn(exampleGen)
  env.run()

  function* example2(env: Simulation) {
    const value = yield* env.timeout(1, 42)
    print(`now=${percentD(env.now)}, value=${percentD(value)}`)
  }
  env = new Simulation()
  env.spawn(example2(env))
  env.run()
}
