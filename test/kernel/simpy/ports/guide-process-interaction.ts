/**
 * Port of the doctests of SimPy's docs/topical_guides/process_interaction.rst
 * (python/guide_process_interaction.py): passivate/reactivate with an event, waiting for a process
 * and a timeout together, and interrupting.
 */
import { type Event, Interrupt, type Process, Simulation } from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"
import { PyRandom } from "../py-random.ts"

export const guideProcessInteraction: Port = (print) => {
  const random = new PyRandom(23)
  const randint = (a: number, b: number) => random.randint(a, b)

  class EV {
    readonly driveProc: Process<void>
    readonly batCtrlProc: Process<void>
    batCtrlReactivate: Event<void>
    constructor(readonly env: Simulation) {
      this.driveProc = env.spawn(this.drive(env))
      this.batCtrlProc = env.spawn(this.batCtrl(env))
      this.batCtrlReactivate = env.event()
    }

    *drive(env: Simulation) {
      for (;;) {
        // Drive for 20-40 min
        yield* env.timeout(randint(20, 40))

        // Park for 1–6 hours
        print(`Start parking at ${env.now}`)
        this.batCtrlReactivate.succeed() // "reactivate"
        this.batCtrlReactivate = env.event()
        yield* env.timeout(randint(60, 360))
        print(`Stop parking at ${env.now}`)
      }
    }

    *batCtrl(env: Simulation) {
      for (;;) {
        print(`Bat. ctrl. passivating at ${env.now}`)
        yield* this.batCtrlReactivate // "passivate"
        print(`Bat. ctrl. reactivated at ${env.now}`)

        // Intelligent charging behavior here …
        yield* env.timeout(randint(30, 90))
      }
    }
  }
  let env = new Simulation()
  new EV(env)
  env.run({ until: 150 })

  class EV2 {
    readonly driveProc: Process<void>
    constructor(readonly env: Simulation) {
      this.driveProc = env.spawn(this.drive(env))
    }

    *drive(env: Simulation) {
      for (;;) {
        // Drive for 20-40 min
        yield* env.timeout(randint(20, 40))

        // Park for 1–6 hours
        print(`Start parking at ${env.now}`)
        const charging = env.spawn(this.batCtrl(env))
        const parking = env.timeout(randint(60, 360))
        yield* env.allOf([charging, parking])
        print(`Stop parking at ${env.now}`)
      }
    }

    *batCtrl(env: Simulation) {
      print(`Bat. ctrl. started at ${env.now}`)
      // Intelligent charging behavior here …
      yield* env.timeout(randint(30, 90))
      print(`Bat. ctrl. done at ${env.now}`)
    }
  }
  env = new Simulation()
  new EV2(env)
  env.run({ until: 310 })

  class EV3 {
    readonly driveProc: Process<void>
    constructor(readonly env: Simulation) {
      this.driveProc = env.spawn(this.drive(env))
    }

    *drive(env: Simulation) {
      for (;;) {
        // Drive for 20-40 min
        yield* env.timeout(randint(20, 40))

        // Park for 1 hour
        print(`Start parking at ${env.now}`)
        const charging = env.spawn(this.batCtrl(env))
        const parking = env.timeout(60)
        yield* env.anyOf([charging, parking])
        if (!charging.triggered) {
          // Interrupt charging if not already done.
          charging.interrupt("Need to go!")
        }
        print(`Stop parking at ${env.now}`)
      }
    }

    *batCtrl(env: Simulation) {
      print(`Bat. ctrl. started at ${env.now}`)
      try {
        yield* env.timeout(randint(60, 90))
        print(`Bat. ctrl. done at ${env.now}`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        // Onoes! Got interrupted before the charging was done.
        print(`Bat. ctrl. interrupted at ${env.now} msg: ${String(error.cause)}`)
      }
    }
  }
  env = new Simulation()
  new EV3(env)
  env.run({ until: 100 })
}
