/** Port of python/probe_release_then_request.py: a release followed at once by a better request. */
import { PriorityResource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeReleaseThenRequest: Port = (print) => {
  const pyBool = (value: boolean) => (value ? "True" : "False")
  const env = new Simulation()
  const res = new PriorityResource(env, { capacity: 1 })

  function* holder(env: Simulation) {
    const req = res.request({ priority: 5 })
    yield* req
    yield* env.timeout(1)
    res.release(req)
    const again = res.request({ priority: 0 })
    print(`${env.now} holder asks again; granted at once: ${pyBool(again.triggered)} count: ${res.count}`)
    yield* again
    print(`${env.now} holder got it again`)
    yield* env.timeout(1)
    res.release(again)
  }
  function* waiter(env: Simulation) {
    const req = res.request({ priority: 5 })
    yield* req
    print(`${env.now} waiter got it`)
    res.release(req)
  }
  env.spawn(holder(env))
  env.spawn(waiter(env))
  env.run()
}
