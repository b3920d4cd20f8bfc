/**
 * Port of SimPy's docs/examples/code/gas_station_refuel.py (python/gas_station_refuel.py), line
 * by line: cars share two pumps and one station tank (a Container) that a tank truck refills.
 */
import { Container, Resource, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { fixed, fixedWidth } from "../py-format.ts"
import { PyRandom } from "../py-random.ts"

export const gasStationRefuel: Port = (print) => {
  const RANDOM_SEED = 42
  const STATION_TANK_SIZE = 200 // Size of the gas station tank (liters)
  const THRESHOLD = 25 // Station tank minimum level (% of full)
  const CAR_TANK_SIZE = 50 // Size of car fuel tanks (liters)
  const CAR_TANK_LEVEL = [5, 25] as const // Min/max levels of car fuel tanks (liters)
  const REFUELING_SPEED = 2 // Rate of refuelling car fuel tank (liters / second)
  const TANK_TRUCK_TIME = 300 // Time it takes tank truck to arrive (seconds)
  const T_INTER = [30, 300] as const // Interval between car arrivals [min, max] (seconds)
  const SIM_TIME = 1000 // Simulation time (seconds)
  let random = new PyRandom(0)

  /** A car arrives at the gas station for refueling. */
  function* car(name: string, env: Simulation, gasStation: Resource, stationTank: Container) {
    const carTankLevel = random.randint(...CAR_TANK_LEVEL)
    print(`${fixedWidth(env.now, 6, 1)} s: ${name} arrived at gas station`)
    const req = gasStation.request()
    try {
      // Request one of the gas pumps
      yield* req

      // Get the required amount of fuel
      const fuelRequired = CAR_TANK_SIZE - carTankLevel
      yield* stationTank.get(fuelRequired)

      // The "actual" refueling process takes some time
      yield* env.timeout(fuelRequired / REFUELING_SPEED)

      print(`${fixedWidth(env.now, 6, 1)} s: ${name} refueled with ${fixed(fuelRequired, 1)}L`)
    } finally {
      gasStation.release(req)
    }
  }

  /**
   * Periodically check the level of the gas station tank and call the tank truck if the level
   * falls below a threshold.
   */
  function* gasStationControl(env: Simulation, stationTank: Container) {
    for (;;) {
      if ((stationTank.level / stationTank.capacity) * 100 < THRESHOLD) {
        // We need to call the tank truck now!
        print(`${fixedWidth(env.now, 6, 1)} s: Calling tank truck`)
        // Wait for the tank truck to arrive and refuel the station tank
        yield* env.spawn(tankTruck(env, stationTank))
      }

      yield* env.timeout(10) // Check every 10 seconds
    }
  }

  /** Arrives at the gas station after a certain delay and refuels it. */
  function* tankTruck(env: Simulation, stationTank: Container) {
    yield* env.timeout(TANK_TRUCK_TIME)
    const amount = stationTank.capacity - stationTank.level
    stationTank.put(amount)
    print(`${fixedWidth(env.now, 6, 1)} s: Tank truck arrived and refuelled station with ${fixed(amount, 1)}L`)
  }

  /** Generate new cars that arrive at the gas station. */
  function* carGenerator(env: Simulation, gasStation: Resource, stationTank: Container) {
    for (let i = 0; ; i++) {
      yield* env.timeout(random.randint(...T_INTER))
      env.spawn(car(`Car ${i}`, env, gasStation, stationTank))
    }
  }

  // Setup and start the simulation
  print("Gas Station refuelling")
  random = new PyRandom(RANDOM_SEED)

  // Create environment and start processes
  const env = new Simulation()
  const gasStation = new Resource(env, { capacity: 2 })
  const stationTank = new Container(env, { capacity: STATION_TANK_SIZE, init: STATION_TANK_SIZE })
  env.spawn(gasStationControl(env, stationTank))
  env.spawn(carGenerator(env, gasStation, stationTank))

  // Execute!
  env.run({ until: SIM_TIME })
}
