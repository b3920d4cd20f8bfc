/**
 * Differential tests against SimPy 4.1.2, on random scenarios with times on a 0.5 grid (so many
 * events share an instant):
 *
 * - 60 scenarios of Resource, PriorityResource and PreemptiveResource users (random priorities,
 *   preempt flags and reneging), generated and run by test/kernel/simpy-order/random-resources.py;
 * - 60 scenarios of Store, FilterStore, PriorityStore and Container producers and consumers (some
 *   impatient), generated and run by test/kernel/simpy-order/random-stores.py.
 *
 * Each program recorded SimPy's lines per scenario in its `.json`; the same actors, ported line for
 * line, must print the same lines here.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Preempted, PreemptiveResource, PriorityResource, Resource } from "../../src/kernel/resource.ts"
import { Container } from "../../src/kernel/container.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { FilterStore, PriorityStore, Store, type StoreGet } from "../../src/kernel/store.ts"

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

const scenarios: Scenario[] = JSON.parse(
  readFileSync(new URL("./simpy-order/random-resources.json", import.meta.url), "utf8"),
)

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

interface Item {
  readonly item: string
  readonly priority: number
}

interface StoreScenario {
  readonly kind: "store" | "filter" | "priority" | "container"
  readonly capacity: number | null
  readonly init: number
  readonly producers: readonly {
    readonly name: string
    readonly start: number
    readonly ops: readonly {
      readonly gap: number
      readonly item: string
      readonly priority: number
      readonly amount: number
    }[]
  }[]
  readonly consumers: readonly {
    readonly name: string
    readonly start: number
    readonly ops: readonly {
      readonly gap: number
      readonly color: string | null
      readonly amount: number
      readonly patience: number | null
    }[]
  }[]
  readonly lines: readonly string[]
}

const storeScenarios: StoreScenario[] = JSON.parse(
  readFileSync(new URL("./simpy-order/random-stores.json", import.meta.url), "utf8"),
)

/** Runs a store scenario on the kernel and returns the lines the SimPy program prints for it. */
function runStores(s: StoreScenario): string[] {
  const env = new Simulation()
  const capacity = s.capacity ?? Infinity
  const tank = s.kind === "container" ? new Container(env, { capacity, init: s.init }) : null
  const store =
    s.kind === "filter"
      ? new FilterStore<Item>(env, { capacity })
      : s.kind === "priority"
        ? new PriorityStore<Item>(env, { capacity, priority: (item) => item.priority })
        : new Store<Item>(env, { capacity })
  const lines: string[] = []
  const state = (): string =>
    tank !== null ? `level=${tank.level}` : `items=${store.items.map((item) => item.item).join(",")}`
  const queues = (): string =>
    tank !== null
      ? `puts=${tank.putQueue.length} gets=${tank.getQueue.length}`
      : `puts=${store.putQueue.length} gets=${store.getQueue.length}`
  const log = (m: string): void => void lines.push(`${env.now} ${m} ${state()} ${queues()}`)

  function* producer(p: StoreScenario["producers"][number]) {
    yield* env.timeout(p.start)
    for (const op of p.ops) {
      yield* env.timeout(op.gap)
      const event = tank !== null ? tank.put(op.amount) : store.put({ item: op.item, priority: op.priority })
      const what = tank !== null ? op.amount : op.item
      log(`${p.name} puts ${what}`)
      yield* event
      log(`${p.name} put ${what}`)
    }
  }
  function* consumer(c: StoreScenario["consumers"][number]) {
    yield* env.timeout(c.start)
    for (const op of c.ops) {
      yield* env.timeout(op.gap)
      const color = op.color
      const get =
        tank !== null
          ? tank.get(op.amount)
          : s.kind === "filter" && color !== null
            ? (store as FilterStore<Item>).get((item) => item.item.startsWith(color))
            : store.get()
      using _get = get
      if (op.patience === null) yield* get
      else {
        yield* env.anyOf([get, env.timeout(op.patience)])
        if (!get.triggered) {
          log(`${c.name} gave up`)
          continue
        }
      }
      log(`${c.name} got ${tank !== null ? op.amount : (get as StoreGet<Item>).value.item}`)
    }
  }
  for (const p of s.producers) env.spawn(producer(p))
  for (const c of s.consumers) env.spawn(consumer(c))
  env.run()
  return lines
}

describe("stores and containers against SimPy 4.1.2, 60 random scenarios", () => {
  it("has the recorded scenarios, with impatient consumers among them", () => {
    expect(storeScenarios).toHaveLength(60)
    expect(storeScenarios.flatMap((scenario) => scenario.lines).some((line) => line.includes("gave up"))).toBe(true)
  })

  for (const [index, scenario] of storeScenarios.entries()) {
    it(`prints SimPy's lines for scenario ${index}: ${scenario.kind}, capacity ${scenario.capacity ?? "inf"}`, () => {
      expect(runStores(scenario)).toEqual(scenario.lines)
    })
  }
})
