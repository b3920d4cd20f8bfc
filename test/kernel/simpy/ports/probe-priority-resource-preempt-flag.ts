/** Port of python/probe_priority_resource_preempt_flag.py: a PriorityResource's queue and `preempt`. */
import { PriorityResource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probePriorityResourcePreemptFlag: Port = (print) => {
  function* user(env: Simulation, res: PriorityResource, name: string, prio: number, preempt: boolean, start: number) {
    yield* env.timeout(start)
    const req = res.request({ priority: prio, preempt })
    try {
      yield* req
      print(`${env.now} ${name} got the resource`)
      yield* env.timeout(1)
    } finally {
      res.release(req)
    }
  }
  const env = new Simulation()
  const res = new PriorityResource(env, { capacity: 1 })
  env.spawn(user(env, res, "holder", 0, true, 0))
  env.spawn(user(env, res, "X", 0, false, 0.5))
  env.spawn(user(env, res, "Y", 0, true, 0.5))
  env.run()
}
