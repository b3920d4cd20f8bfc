/**
 * Port of SimPy's docs/examples/code/bank_renege.py (python/bank_renege.py), line by line: a
 * counter with a random service time and customers who renege.
 */
import { Resource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { fixedWidth } from "../py-format.ts"
import { PyRandom } from "../py-random.ts"

export const bankRenege: Port = (print) => {
  const RANDOM_SEED = 42
  const NEW_CUSTOMERS = 5 // Total number of customers
  const INTERVAL_CUSTOMERS = 10.0 // Generate new customers roughly every x seconds
  const MIN_PATIENCE = 1 // Min. customer patience
  const MAX_PATIENCE = 3 // Max. customer patience
  let random = new PyRandom(0)

  /** Source generates customers randomly */
  function* source(env: Simulation, number: number, interval: number, counter: Resource) {
    for (let i = 0; i < number; i++) {
      const c = customer(env, `Customer${String(i).padStart(2, "0")}`, counter, 12.0)
      env.spawn(c)
      const t = random.expovariate(1.0 / interval)
      yield* env.timeout(t)
    }
  }

  /** Customer arrives, is served and leaves. */
  function* customer(env: Simulation, name: string, counter: Resource, timeInBank: number) {
    const arrive = env.now
    print(`${fixedWidth(arrive, 7, 4)} ${name}: Here I am`)

    const req = counter.request()
    try {
      const patience = random.uniform(MIN_PATIENCE, MAX_PATIENCE)
      // Wait for the counter or abort at the end of our tether
      const results = yield* env.anyOf([req, env.timeout(patience)])

      const wait = env.now - arrive

      if (results.has(req)) {
        // We got to the counter
        print(`${fixedWidth(env.now, 7, 4)} ${name}: Waited ${fixedWidth(wait, 6, 3)}`)

        const tib = random.expovariate(1.0 / timeInBank)
        yield* env.timeout(tib)
        print(`${fixedWidth(env.now, 7, 4)} ${name}: Finished`)
      } else {
        // We reneged
        print(`${fixedWidth(env.now, 7, 4)} ${name}: RENEGED after ${fixedWidth(wait, 6, 3)}`)
      }
    } finally {
      counter.release(req)
    }
  }

  // Setup and start the simulation
  print("Bank renege")
  random = new PyRandom(RANDOM_SEED)
  const env = new Simulation()

  // Start processes and run
  const counter = new Resource(env, { capacity: 1 })
  env.spawn(source(env, NEW_CUSTOMERS, INTERVAL_CUSTOMERS, counter))
  env.run()
}
