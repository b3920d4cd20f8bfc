/**
 * Port of SimPy's docs/examples/code/latency.py (python/latency.py), line by line: messages
 * through a cable (a Store) with a fixed propagation delay.
 */
import { Simulation, Store, type StoreGet } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

export const latency: Port = (print) => {
  const SIM_DURATION = 100

  /** This class represents the propagation through a cable. */
  class Cable {
    readonly store: Store<string>
    constructor(
      readonly env: Simulation,
      readonly delay: number,
    ) {
      this.store = new Store(env)
    }

    *latency(value: string) {
      yield* this.env.timeout(this.delay)
      this.store.put(value)
    }

    put(value: string): void {
      this.env.spawn(this.latency(value))
    }

    get(): StoreGet<string> {
      return this.store.get()
    }
  }

  /** A process which randomly generates messages. */
  function* sender(env: Simulation, cable: Cable) {
    for (;;) {
      // wait for next transmission
      yield* env.timeout(5)
      cable.put(`Sender sent this at ${env.now}`)
    }
  }

  /** A process which consumes messages. */
  function* receiver(env: Simulation, cable: Cable) {
    for (;;) {
      // Get event for message pipe
      const msg = yield* cable.get()
      print(`Received this at ${env.now} while ${msg}`)
    }
  }

  // Setup and start the simulation
  print("Event Latency")
  const env = new Simulation()

  const cable = new Cable(env, 10)
  env.spawn(sender(env, cable))
  env.spawn(receiver(env, cable))

  env.run({ until: SIM_DURATION })
}
