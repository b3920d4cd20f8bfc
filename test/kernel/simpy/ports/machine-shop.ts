/**
 * Port of SimPy's docs/examples/code/machine_shop.py (python/machine_shop.py), line by line:
 * machines that break down and preempt a repairman's other jobs (a PreemptiveResource).
 */
import { Interrupt, PreemptiveResource, type Process, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { PyRandom } from "../py-random.ts"

export const machineShop: Port = (print) => {
  const RANDOM_SEED = 42
  const PT_MEAN = 10.0 // Avg. processing time in minutes
  const PT_SIGMA = 2.0 // Sigma of processing time
  const MTTF = 300.0 // Mean time to failure in minutes
  const BREAK_MEAN = 1 / MTTF // Param. for expovariate distribution
  const REPAIR_TIME = 30.0 // Time it takes to repair a machine in minutes
  const JOB_DURATION = 30.0 // Duration of other jobs in minutes
  const NUM_MACHINES = 10 // Number of machines in the machine shop
  const WEEKS = 4 // Simulation time in weeks
  const SIM_TIME = WEEKS * 7 * 24 * 60 // Simulation time in minutes
  let random = new PyRandom(0)

  /** Return actual processing time for a concrete part. */
  function timePerPart(): number {
    let t = random.normalvariate(PT_MEAN, PT_SIGMA)
    // The normalvariate can be negative, but we want only positive times.
    while (t <= 0) t = random.normalvariate(PT_MEAN, PT_SIGMA)
    return t
  }

  /** Return time until next failure for a machine. */
  function timeToFailure(): number {
    return random.expovariate(BREAK_MEAN)
  }

  /** A machine produces parts and may get broken every now and then. */
  class Machine {
    partsMade = 0
    broken = false
    readonly process: Process<void>

    constructor(
      readonly env: Simulation,
      readonly name: string,
      repairman: PreemptiveResource,
    ) {
      // Start "working" and "break_machine" processes for this machine.
      this.process = env.spawn(this.working(repairman))
      env.spawn(this.breakMachine())
    }

    /** Produce parts as long as the simulation runs. */
    *working(repairman: PreemptiveResource) {
      for (;;) {
        // Start making a new part
        let doneIn = timePerPart()
        while (doneIn) {
          const start = this.env.now
          try {
            // Working on the part
            yield* this.env.timeout(doneIn)
            doneIn = 0 // Set to 0 to exit while loop.
          } catch (error) {
            if (!(error instanceof Interrupt)) throw error
            this.broken = true
            doneIn -= this.env.now - start // How much time left?
            // Request a repairman. This will preempt its "other_job".
            const req = repairman.request({ priority: 1 })
            try {
              yield* req
              yield* this.env.timeout(REPAIR_TIME)
            } finally {
              repairman.release(req)
            }
            this.broken = false
          }
        }
        // Part is done.
        this.partsMade += 1
      }
    }

    /** Break the machine every now and then. */
    *breakMachine() {
      for (;;) {
        yield* this.env.timeout(timeToFailure())
        if (!this.broken) {
          // Only break the machine if it is currently working.
          this.process.interrupt()
        }
      }
    }
  }

  /** The repairman's other (unimportant) job. */
  function* otherJobs(env: Simulation, repairman: PreemptiveResource) {
    for (;;) {
      // Start a new job
      let doneIn = JOB_DURATION
      while (doneIn) {
        // Retry the job until it is done.
        // Its priority is lower than that of machine repairs.
        const req = repairman.request({ priority: 2 })
        try {
          yield* req
          const start = env.now
          try {
            yield* env.timeout(doneIn)
            doneIn = 0
          } catch (error) {
            if (!(error instanceof Interrupt)) throw error
            doneIn -= env.now - start
          }
        } finally {
          repairman.release(req)
        }
      }
    }
  }

  // Setup and start the simulation
  print("Machine shop")
  random = new PyRandom(RANDOM_SEED) // This helps to reproduce the results

  // Create an environment and start the setup process
  const env = new Simulation()
  const repairman = new PreemptiveResource(env, { capacity: 1 })
  const machines = Array.from({ length: NUM_MACHINES }, (_, i) => new Machine(env, `Machine ${i}`, repairman))
  env.spawn(otherJobs(env, repairman))

  // Execute!
  env.run({ until: SIM_TIME })

  // Analysis/results
  print(`Machine shop results after ${WEEKS} weeks`)
  for (const machine of machines) print(`${machine.name} made ${machine.partsMade} parts.`)
}
