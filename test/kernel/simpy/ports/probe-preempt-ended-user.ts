/** Port of python/probe_preempt_ended_user.py: preempting a user whose process has ended. */
import { PreemptiveResource, type Request, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probePreemptEndedUser: Port = (print) => {
  const env = new Simulation()
  const res = new PreemptiveResource(env, { capacity: 1 })

  function* careless(env: Simulation) {
    const req = res.request({ priority: 1 })
    yield* req
    print(`${env.now} careless got it and ends without releasing`)
  }
  function* urgent(env: Simulation) {
    yield* env.timeout(1)
    let req: Request
    try {
      req = res.request({ priority: 0 })
    } catch (error) {
      // SimPy raises RuntimeError; the port prints that name for any error the kernel raises here.
      if (!(error instanceof Error)) throw error
      print(`${env.now} request raised RuntimeError`)
      return
    }
    yield* req
    print(`${env.now} urgent got it`)
  }
  env.spawn(careless(env))
  env.spawn(urgent(env))
  env.run()
}
