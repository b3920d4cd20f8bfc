/**
 * A disposable request: `using req = pump.request()` releases the slot when the scope ends, like
 * SimPy's `with pump.request() as req`, and cancels a request that was never granted. Each
 * expectation is the output of a SimPy program run with SimPy 4.1.2, kept next to this file in
 * test/kernel/simpy-order/ (the `.py` and its `.out`).
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { PreemptiveResource, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"

/** The lines SimPy printed for `test/kernel/simpy-order/<name>.py`. */
function simpyOutput(name: string): string[] {
  return readFileSync(new URL(`./simpy-order/${name}.out`, import.meta.url), "utf8")
    .trimEnd()
    .split("\n")
}

describe("Resource with using", () => {
  it("releases at the end of the scope and cancels an impatient or interrupted request, in SimPy's order", () => {
    const sim = new Simulation()
    const pump = new Resource(sim, { capacity: 1 })
    const lines: string[] = []
    const log = (message: string): void =>
      void lines.push(`${sim.now}: ${message} (count ${pump.count}, queue ${pump.queue.length})`)
    function* customer(name: string, arrive: number, hold: number, patience?: number) {
      yield* sim.timeout(arrive)
      try {
        using request = pump.request()
        if (patience === undefined) yield* request
        else {
          yield* sim.anyOf([request, sim.timeout(patience)])
          if (!request.triggered) {
            log(`${name} gives up`)
            return
          }
        }
        log(`${name} got the pump`)
        yield* sim.timeout(hold)
        log(`${name} done`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        log(`${name} interrupted`)
        return
      }
      log(`${name} left`)
    }

    sim.spawn(customer("a", 0, 5))
    sim.spawn(customer("b", 1, 1, 2))
    sim.spawn(customer("c", 2, 1))
    const d: Process<void> = sim.spawn(customer("d", 3, 1))
    sim.spawn(
      (function* () {
        yield* sim.timeout(4)
        d.interrupt("closing")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(5)
        log("observer at 5")
      })(),
    )
    sim.run()

    expect(lines).toEqual(simpyOutput("resource-with"))
    expect([pump.count, pump.queueLength, pump.users.length]).toEqual([0, 0, 0])
  })

  it("withdraws a waiting request at the end of the scope", () => {
    const sim = new Simulation()
    const pump = new Resource(sim)
    const holder = pump.request()
    let disposedWhileWaiting = false

    {
      using waiting = pump.request()
      expect(pump.queue).toEqual([waiting])
      disposedWhileWaiting = !waiting.triggered
    }

    expect([disposedWhileWaiting, pump.queueLength, pump.count, pump.users[0] === holder]).toEqual([true, 0, 1, true])
  })

  it("lets a preempted user leave its using scope without freeing anyone else's slot", () => {
    const sim = new Simulation()
    const cpu = new PreemptiveResource(sim)
    const lines: string[] = []
    sim.spawn(
      (function* () {
        try {
          using request = cpu.request({ priority: 5 })
          yield* request
          yield* sim.timeout(10)
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error
          lines.push(`${sim.now}: low preempted, count ${cpu.count}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        using request = cpu.request({ priority: 0 })
        yield* request
        yield* sim.timeout(2)
        lines.push(`${sim.now}: high done, count ${cpu.count}`)
      })(),
    )
    sim.run()

    lines.push(`end: count ${cpu.count}`)
    expect(lines).toEqual(simpyOutput("resource-preempt-with"))
  })
})
