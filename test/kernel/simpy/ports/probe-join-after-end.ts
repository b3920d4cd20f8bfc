/** Port of python/probe_join_after_end.py: joining a child that ended earlier in the same instant. */
import { type Process, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeJoinAfterEnd: Port = (print) => {
  const pyBool = (value: boolean) => (value ? "True" : "False")
  function* child(env: Simulation) {
    yield* env.timeout(1)
    print(`${env.now} child ends`)
  }
  function* parent(env: Simulation, c: Process<void>) {
    yield* env.timeout(1)
    print(`${env.now} parent joins; child triggered: ${pyBool(c.triggered)}`)
    yield* c
    print(`${env.now} parent joined`)
  }
  function* z(env: Simulation) {
    yield* env.timeout(1)
    print(`${env.now} Z runs`)
  }
  const env = new Simulation()
  const c = env.spawn(child(env))
  env.spawn(parent(env, c))
  env.spawn(z(env))
  env.run()
}
