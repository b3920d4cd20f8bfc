/**
 * Port of SimPy's docs/examples/code/carwash.py (python/carwash.py), line by line: cars wait for
 * one of two washing machines and join the washing process.
 */
import { Resource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { fixed } from "../py-format.ts"
import { PyRandom } from "../py-random.ts"

export const carwash: Port = (print) => {
  const RANDOM_SEED = 42
  const NUM_MACHINES = 2 // Number of machines in the carwash
  const WASHTIME = 5 // Minutes it takes to clean a car
  const T_INTER = 7 // Create a car every ~7 minutes
  const SIM_TIME = 20 // Simulation time in minutes
  let random = new PyRandom(0)

  /**
   * A carwash has a limited number of machines (NUM_MACHINES) to clean cars in parallel.
   */
  class Carwash {
    readonly machine: Resource
    constructor(
      readonly env: Simulation,
      numMachines: number,
      readonly washtime: number,
    ) {
      this.machine = new Resource(env, { capacity: numMachines })
    }

    /** The washing processes. It takes a `car` processes and tries to clean it. */
    *wash(car: string) {
      yield* this.env.timeout(this.washtime)
      const pctDirt = random.randint(50, 99)
      print(`Carwash removed ${pctDirt}% of ${car}'s dirt.`)
    }
  }

  /** The car process arrives at the carwash and requests a cleaning machine. */
  function* car(env: Simulation, name: string, cw: Carwash) {
    print(`${name} arrives at the carwash at ${fixed(env.now, 2)}.`)
    const request = cw.machine.request()
    try {
      yield* request

      print(`${name} enters the carwash at ${fixed(env.now, 2)}.`)
      yield* env.spawn(cw.wash(name))

      print(`${name} leaves the carwash at ${fixed(env.now, 2)}.`)
    } finally {
      cw.machine.release(request)
    }
  }

  /** Create a carwash, a number of initial cars and keep creating cars approx. every `tInter` minutes. */
  function* setup(env: Simulation, numMachines: number, washtime: number, tInter: number) {
    // Create the carwash
    const carwash = new Carwash(env, numMachines, washtime)

    let carCount = 0

    // Create 4 initial cars
    for (let i = 0; i < 4; i++) env.spawn(car(env, `Car ${carCount++}`, carwash))

    // Create more cars while the simulation is running
    for (;;) {
      yield* env.timeout(random.randint(tInter - 2, tInter + 2))
      env.spawn(car(env, `Car ${carCount++}`, carwash))
    }
  }

  // Setup and start the simulation
  print("Carwash")
  print("Check out http://youtu.be/fXXmeP9TvBg while simulating ... ;-)")
  random = new PyRandom(RANDOM_SEED) // This helps to reproduce the results

  // Create an environment and start the setup process
  const env = new Simulation()
  env.spawn(setup(env, NUM_MACHINES, WASHTIME, T_INTER))

  // Execute!
  env.run({ until: SIM_TIME })
}
