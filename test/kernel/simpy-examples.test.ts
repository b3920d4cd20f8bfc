/**
 * SimPy's own published examples, ported to the kernel's API and compared with the output SimPy
 * 4.1.2 ships for them (docs/examples/code/<name>.out in SimPy's repository, copied to
 * test/kernel/simpy-order/). The ports keep SimPy's structure, names and number formats; the
 * random draws come from a CPython-compatible Mersenne Twister seeded as `random.seed`.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { MersenneTwister } from "../../src/kernel/mt19937.ts"
import { RandomStream } from "../../src/kernel/random.ts"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { PreemptiveResource, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"

/** The output SimPy prints for the example. */
function simpyOutput(name: string): string[] {
  return readFileSync(new URL(`./simpy-order/${name}.out`, import.meta.url), "utf8").trimEnd().split("\n")
}

/** Python's `f"{x:W.Pf}"`. */
function fixed(x: number, width: number, precision: number): string {
  return x.toFixed(precision).padStart(width)
}

describe("SimPy's examples, line for line", () => {
  it("bank renege: a counter (Resource) and customers who renege (request | timeout), seed 42", () => {
    const RANDOM_SEED = 42
    const NEW_CUSTOMERS = 5
    const INTERVAL_CUSTOMERS = 10.0
    const MIN_PATIENCE = 1
    const MAX_PATIENCE = 3
    const lines: string[] = ["Bank renege"]
    const random = new RandomStream(new MersenneTwister(RANDOM_SEED))
    const env = new Simulation()
    const counter = new Resource(env, { capacity: 1 })

    function* customer(name: string, timeInBank: number) {
      const arrive = env.now
      lines.push(`${fixed(arrive, 7, 4)} ${name}: Here I am`)
      using req = counter.request()
      const patience = random.uniform(MIN_PATIENCE, MAX_PATIENCE)
      const results = yield* env.anyOf([req, env.timeout(patience)])
      const wait = env.now - arrive
      if (results.has(req)) {
        lines.push(`${fixed(env.now, 7, 4)} ${name}: Waited ${fixed(wait, 6, 3)}`)
        const tib = random.exponential(1.0 / timeInBank)
        yield* env.timeout(tib)
        lines.push(`${fixed(env.now, 7, 4)} ${name}: Finished`)
      } else {
        lines.push(`${fixed(env.now, 7, 4)} ${name}: RENEGED after ${fixed(wait, 6, 3)}`)
      }
    }

    function* source(number: number, interval: number) {
      for (let i = 0; i < number; i++) {
        env.spawn(customer(`Customer${String(i).padStart(2, "0")}`, 12.0))
        const t = random.exponential(1.0 / interval)
        yield* env.timeout(t)
      }
    }

    env.spawn(source(NEW_CUSTOMERS, INTERVAL_CUSTOMERS))
    env.run()

    expect(lines).toEqual(simpyOutput("bank-renege"))
  })

  it("machine shop: a repairman (PreemptiveResource) whose other jobs machine repairs preempt, seed 42, 4 weeks", () => {
    const RANDOM_SEED = 42
    const PT_MEAN = 10.0
    const PT_SIGMA = 2.0
    const MTTF = 300.0
    const BREAK_MEAN = 1 / MTTF
    const REPAIR_TIME = 30.0
    const JOB_DURATION = 30.0
    const NUM_MACHINES = 10
    const WEEKS = 4
    const SIM_TIME = WEEKS * 7 * 24 * 60
    const lines: string[] = ["Machine shop"]
    const random = new RandomStream(new MersenneTwister(RANDOM_SEED))
    const env = new Simulation()
    const repairman = new PreemptiveResource(env, { capacity: 1 })

    const timePerPart = (): number => {
      let t = random.normal(PT_MEAN, PT_SIGMA)
      while (t <= 0) t = random.normal(PT_MEAN, PT_SIGMA)
      return t
    }
    const timeToFailure = (): number => random.exponential(BREAK_MEAN)

    class Machine {
      partsMade = 0
      broken = false
      readonly process: Process<void>
      constructor(readonly name: string) {
        this.process = env.spawn(this.working())
        env.spawn(this.breakMachine())
      }
      *working() {
        for (;;) {
          let doneIn = timePerPart()
          while (doneIn) {
            const start = env.now
            try {
              yield* env.timeout(doneIn)
              doneIn = 0
            } catch (error) {
              if (!(error instanceof Interrupt)) throw error
              this.broken = true
              doneIn -= env.now - start
              {
                using req = repairman.request({ priority: 1 })
                yield* req
                yield* env.timeout(REPAIR_TIME)
              }
              this.broken = false
            }
          }
          this.partsMade += 1
        }
      }
      *breakMachine() {
        for (;;) {
          yield* env.timeout(timeToFailure())
          if (!this.broken) this.process.interrupt()
        }
      }
    }

    function* otherJobs() {
      for (;;) {
        let doneIn = JOB_DURATION
        while (doneIn) {
          using req = repairman.request({ priority: 2 })
          yield* req
          const start = env.now
          try {
            yield* env.timeout(doneIn)
            doneIn = 0
          } catch (error) {
            if (!(error instanceof Interrupt)) throw error
            doneIn -= env.now - start
          }
        }
      }
    }

    const machines = Array.from({ length: NUM_MACHINES }, (_, i) => new Machine(`Machine ${i}`))
    env.spawn(otherJobs())
    env.run({ until: SIM_TIME })
    lines.push(`Machine shop results after ${WEEKS} weeks`)
    for (const machine of machines) lines.push(`${machine.name} made ${machine.partsMade} parts.`)

    expect(lines).toEqual(simpyOutput("machine-shop"))
  })
})
