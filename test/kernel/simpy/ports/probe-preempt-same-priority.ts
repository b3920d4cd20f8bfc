/** Port of python/probe_preempt_same_priority.py: preemption between requests of equal priority. */
import { Interrupt, PreemptiveResource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probePreemptSamePriority: Port = (print) => {
  function* user(env: Simulation, res: PreemptiveResource, name: string, prio: number, preempt: boolean, hold: number) {
    yield* env.timeout(0)
    const req = res.request({ priority: prio, preempt })
    try {
      try {
        yield* req
        print(`${env.now} ${name} got the resource`)
        yield* env.timeout(hold)
        print(`${env.now} ${name} done`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        print(`${env.now} ${name} preempted`)
      }
    } finally {
      res.release(req)
    }
  }
  const env = new Simulation()
  const res = new PreemptiveResource(env, { capacity: 1 })
  env.spawn(user(env, res, "A", 0, false, 5))
  env.spawn(user(env, res, "B", 0, true, 5))
  env.run()
}
