/** SimPy's `env.run(until=event)` on the kernel, for ports. */
import type { Event, RunOptions, Simulation } from "../../../src/kernel/index.ts"

/**
 * `env.run(until=event)`: runs until `event` is processed and returns its value. Calls the
 * kernel's `run({ until: event })`; a kernel whose `RunOptions.until` takes only a time (the cast)
 * does not stop at the event.
 */
export function runUntilEvent<T>(env: Simulation, event: Event<T>): T {
  env.run({ until: event } as unknown as RunOptions)
  return event.value
}
