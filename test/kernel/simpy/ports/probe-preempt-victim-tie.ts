/** Port of python/probe_preempt_victim_tie.py: which of two equal users a preemption evicts. */
import { Interrupt, PreemptiveResource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probePreemptVictimTie: Port = (print) => {
  function* user(env: Simulation, res: PreemptiveResource, name: string, prio: number, start: number, hold: number) {
    yield* env.timeout(start)
    const req = res.request({ priority: prio })
    try {
      yield* req
      print(`${env.now} ${name} got the resource`)
      try {
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
  const res = new PreemptiveResource(env, { capacity: 2 })
  env.spawn(user(env, res, "A", 1, 0, 10))
  env.spawn(user(env, res, "B", 1, 0, 10))
  env.spawn(user(env, res, "C", 0, 1, 2))
  env.run()
}
