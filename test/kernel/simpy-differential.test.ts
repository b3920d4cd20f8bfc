/**
 * Differential test against SimPy 4.1.2: 60 random scenarios of Resource, PriorityResource and
 * PreemptiveResource users (arrivals and holds on a 0.5 grid, so many events share an instant;
 * random priorities, preempt flags and reneging), generated and run by
 * test/kernel/simpy-order/random-resources.py, which recorded SimPy's lines for each in
 * random-resources.json. The same users, ported line for line, must print the same lines here.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Preempted, PreemptiveResource, PriorityResource, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"

interface User {
  readonly name: string
  readonly arrive: number
  readonly hold: number
  readonly priority: number
  readonly preempt: boolean
  readonly patience: number | null
}

interface Scenario {
  readonly kind: "fifo" | "priority" | "preemptive"
  readonly capacity: number
  readonly users: readonly User[]
  readonly lines: readonly string[]
}

const scenarios: Scenario[] = JSON.parse(readFileSync(new URL("./simpy-order/random-resources.json", import.meta.url), "utf8"))

/** Runs a scenario on the kernel and returns the lines the SimPy program prints for it. */
function run({ kind, capacity, users }: Scenario): string[] {
  const env = new Simulation()
  const res =
    kind === "fifo"
      ? new Resource(env, { capacity })
      : kind === "priority"
        ? new PriorityResource(env, { capacity })
        : new PreemptiveResource(env, { capacity })
  const lines: string[] = []
  const log = (m: string): void => void lines.push(`${env.now} ${m} count=${res.count} queue=${res.queue.length}`)
  const names = new Map<Process<void> | null, string>()
  function* user(u: User) {
    yield* env.timeout(u.arrive)
    {
      using req = kind === "fifo" ? res.request() : res.request({ priority: u.priority, preempt: u.preempt })
      try {
        if (u.patience === null) yield* req
        else {
          yield* env.anyOf([req, env.timeout(u.patience)])
          if (!req.triggered) {
            log(`${u.name} reneged`)
            return
          }
        }
        log(`${u.name} granted`)
        yield* env.timeout(u.hold)
        log(`${u.name} done`)
      } catch (error) {
        if (!(error instanceof Interrupt) || !(error.cause instanceof Preempted)) throw error
        log(`${u.name} preempted by ${names.get(error.cause.by)} since ${error.cause.usageSince}`)
      }
    }
    log(`${u.name} left`)
  }
  for (const u of users) names.set(env.spawn(user(u)), u.name)
  env.run()
  return lines
}

describe("resources against SimPy 4.1.2, 60 random scenarios", () => {
  it("has the recorded scenarios, with preemptions and reneging among them", () => {
    expect(scenarios).toHaveLength(60)
    const all = scenarios.flatMap((scenario) => scenario.lines)
    expect(all.some((line) => line.includes("preempted by"))).toBe(true)
    expect(all.some((line) => line.includes("reneged"))).toBe(true)
  })

  for (const [index, scenario] of scenarios.entries()) {
    it(`prints SimPy's lines for scenario ${index}: ${scenario.kind}, capacity ${scenario.capacity}, ${scenario.users.length} users`, () => {
      expect(run(scenario)).toEqual(scenario.lines)
    })
  }
})
