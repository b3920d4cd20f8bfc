/** Port of python/probe_store_two_puts_one_get.py: a new get while an older get waits and items arrive. */
import { Simulation, Store } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probeStoreTwoPutsOneGet: Port = (print) => {
  const pyBool = (value: boolean) => (value ? "True" : "False")
  const env = new Simulation()
  const store = new Store<string>(env)

  function* waiting(env: Simulation) {
    const item = yield* store.get()
    print(`${env.now} waiting getter got ${item}`)
  }
  function* late(env: Simulation) {
    yield* env.timeout(1)
    const get = store.get()
    print(`${env.now} late get triggered at once: ${pyBool(get.triggered)} items left: ${store.size}`)
    const item = yield* get
    print(`${env.now} late getter got ${item}`)
  }
  function* producer(env: Simulation) {
    yield* env.timeout(1)
    store.put("i1")
    store.put("i2")
    print(`${env.now} put two, items: ${store.size}`)
  }
  env.spawn(waiting(env))
  env.spawn(producer(env))
  env.spawn(late(env))
  env.run()
}
