/**
 * Port of the doctests of SimPy's docs/simpy_intro/process_interaction.rst
 * (python/intro_process_interaction.py): waiting for a process, then interrupting it.
 */
import { Interrupt, type Process, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { percentD } from "../py-format.ts"

export const introProcessInteraction: Port = (print) => {
  class Car {
    readonly action: Process<void>
    constructor(readonly env: Simulation) {
      // Start the run process everytime an instance is created.
      this.action = env.spawn(this.run())
    }

    *run() {
      for (;;) {
        print(`Start parking and charging at ${percentD(this.env.now)}`)
        const chargeDuration = 5
        // We yield the process that process() returns
        // to wait for it to finish
        yield* this.env.spawn(this.charge(chargeDuration))

        // The charge process has finished and
        // we can start driving again.
        print(`Start driving at ${percentD(this.env.now)}`)
        const tripDuration = 2
        yield* this.env.timeout(tripDuration)
      }
    }

    *charge(duration: number) {
      yield* this.env.timeout(duration)
    }
  }
  let env = new Simulation()
  new Car(env)
  env.run({ until: 15 })

  function* driver(env: Simulation, car: InterruptedCar) {
    yield* env.timeout(3)
    car.action.interrupt()
  }

  class InterruptedCar {
    readonly action: Process<void>
    constructor(readonly env: Simulation) {
      this.action = env.spawn(this.run())
    }

    *run() {
      for (;;) {
        print(`Start parking and charging at ${percentD(this.env.now)}`)
        const chargeDuration = 5
        // We may get interrupted while charging the battery
        try {
          yield* this.env.spawn(this.charge(chargeDuration))
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error
          // When we received an interrupt, we stop charging and
          // switch to the "driving" state
          print("Was interrupted. Hope, the battery is full enough ...")
        }

        print(`Start driving at ${percentD(this.env.now)}`)
        const tripDuration = 2
        yield* this.env.timeout(tripDuration)
      }
    }

    *charge(duration: number) {
      yield* this.env.timeout(duration)
    }
  }
  env = new Simulation()
  const car = new InterruptedCar(env)
  env.spawn(driver(env, car))
  env.run({ until: 15 })
}
