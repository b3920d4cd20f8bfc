/** Port of python/probe_container_put_then_level.py: the level right after a put that unblocks a get. */
import { Container, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeContainerPutThenLevel: Port = (print) => {
  const env = new Simulation()
  const tank = new Container(env, { capacity: 100, init: 0 })

  function* getter(env: Simulation) {
    yield* tank.get(30)
    print(`${env.now} getter got 30, level ${tank.level}`)
  }
  function* putter(env: Simulation) {
    yield* env.timeout(1)
    tank.put(50)
    print(`${env.now} put 50, level ${tank.level}`)
  }
  env.spawn(getter(env))
  env.spawn(putter(env))
  env.run()
}
