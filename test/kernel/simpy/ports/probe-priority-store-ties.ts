/** Port of python/probe_priority_store_ties.py: the order of equal-priority items in a PriorityStore. */
import { PriorityStore, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const probePriorityStoreTies: Port = (print) => {
  /** simpy.PriorityItem(priority, item). */
  interface PriorityItem {
    readonly priority: number
    readonly item: string
  }
  const env = new Simulation()
  const store = new PriorityStore<PriorityItem>(env, { priority: (entry) => entry.priority })

  function* producer(_env: Simulation) {
    for (const name of "abcdef") yield* store.put({ priority: 1, item: name })
  }
  function* consumer(env: Simulation) {
    yield* env.timeout(1)
    for (;;) {
      const item = yield* store.get()
      print(`${env.now} ${item.item}`)
    }
  }
  env.spawn(producer(env))
  env.spawn(consumer(env))
  env.run()
}
