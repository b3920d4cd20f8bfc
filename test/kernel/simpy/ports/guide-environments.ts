/**
 * Port of the doctests of SimPy's docs/topical_guides/environments.rst
 * (python/guide_environments.py): run until a process ends, and the active process.
 */
import { type Process, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { runUntilEvent } from "../py-run.ts"

export const guideEnvironments: Port = (print) => {
  const pyBool = (value: boolean) => (value ? "True" : "False")

  function* myProc(env: Simulation) {
    yield* env.timeout(1)
    return "Monty Python’s Flying Circus"
  }
  let env = new Simulation()
  const proc = env.spawn(myProc(env))
  print(`${runUntilEvent(env, proc)} ${env.now}`)

  function subfunc(env: Simulation): void {
    print(pyBool(env.activeProcess === p1)) // will print "p1"
  }
  function* myProc2(env: Simulation) {
    for (;;) {
      print(pyBool(env.activeProcess === p1)) // will print "p1"
      subfunc(env)
      yield* env.timeout(1)
    }
  }
  env = new Simulation()
  const p1: Process<void> = env.spawn(myProc2(env))
  print(env.activeProcess === null ? "None" : env.activeProcess.name) // None
  env.step()
  print(env.activeProcess === null ? "None" : env.activeProcess.name) // None
  print(`${env.now}`)
}
