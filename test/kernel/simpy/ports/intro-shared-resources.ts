/** Port of the doctests of SimPy's docs/simpy_intro/shared_resources.rst (python/intro_shared_resources.py). */
import { Resource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { percentD } from "../py-format.ts"

export const introSharedResources: Port = (print) => {
  function* car(env: Simulation, name: string, bcs: Resource, drivingTime: number, chargeDuration: number) {
    // Simulate driving to the BCS
    yield* env.timeout(drivingTime)

    // Request one of its charging spots
    print(`${name} arriving at ${percentD(env.now)}`)
    const req = bcs.request()
    try {
      yield* req

      // Charge the battery
      print(`${name} starting to charge at ${env.now}`)
      yield* env.timeout(chargeDuration)
      print(`${name} leaving the bcs at ${env.now}`)
    } finally {
      bcs.release(req)
    }
  }
  const env = new Simulation()
  const bcs = new Resource(env, { capacity: 2 })
  for (let i = 0; i < 4; i++) env.spawn(car(env, `Car ${percentD(i)}`, bcs, i * 2, 5))
  env.run()
}
