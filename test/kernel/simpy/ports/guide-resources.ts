/**
 * Port of the doctests of SimPy's docs/topical_guides/resources.rst (python/guide_resources.py):
 * Resource, PriorityResource, PreemptiveResource, Container, Store, FilterStore, PriorityStore.
 */
import {
  Container,
  FilterStore,
  Interrupt,
  Preempted,
  PreemptiveResource,
  PriorityResource,
  PriorityStore,
  type Request,
  Resource,
  Simulation,
  Store,
} from "../../../../src/kernel/index.ts"
import type { Port } from "../port.ts"

type Print = Parameters<Port>[0]

export const guideResources: Port = (print) => {
  basicUsage(print)
  priorityAndPreemption(print)
  gasStation(print)
  stores(print)
}

/** A Python list of strings, as `print` shows it. */
function pyList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(", ")}]`
}

function basicUsage(print: Print): void {
  function* resourceUser(env: Simulation, resource: Resource) {
    const request = resource.request() // Generate a request event
    yield* request // Wait for access
    yield* env.timeout(1) // Do something
    resource.release(request) // Release the resource
  }
  const env = new Simulation()
  let res = new Resource(env, { capacity: 1 })
  env.spawn(resourceUser(env, res))
  env.run()

  function* resourceUserWith(env: Simulation, resource: Resource) {
    const req = resource.request() // Generate a request event
    try {
      yield* req // Wait for access
      yield* env.timeout(1) // Do something
    } finally {
      resource.release(req) // Resource released automatically
    }
  }
  env.spawn(resourceUserWith(env, res))
  env.run()

  res = new Resource(env, { capacity: 1 })
  const names = new Map<Request, string>()
  function printStats(res: Resource): void {
    print(`${res.count} of ${res.capacity} slots are allocated.`)
    print(`  Users: ${pyList(res.holders.map((request) => names.get(request)!))}`)
    print(`  Queued events: ${res.queueLength}`)
  }
  function* user(res: Resource) {
    printStats(res)
    const req = res.request()
    try {
      names.set(req, `request ${names.size}`)
      yield* req
      printStats(res)
    } finally {
      res.release(req)
    }
    printStats(res)
  }
  ;[env.spawn(user(res)), env.spawn(user(res))]
  env.run()
}

function priorityAndPreemption(print: Print): void {
  function* resourceUser(name: number, env: Simulation, resource: PriorityResource, wait: number, prio: number) {
    yield* env.timeout(wait)
    const req = resource.request({ priority: prio })
    try {
      print(`${name} requesting at ${env.now} with priority=${prio}`)
      yield* req
      print(`${name} got resource at ${env.now}`)
      yield* env.timeout(3)
    } finally {
      resource.release(req)
    }
  }
  let env = new Simulation()
  const res = new PriorityResource(env, { capacity: 1 })
  env.spawn(resourceUser(1, env, res, 0, 0))
  env.spawn(resourceUser(2, env, res, 1, 0))
  env.spawn(resourceUser(3, env, res, 2, -1))
  env.run()

  function* preemptedUser(name: number, env: Simulation, resource: PreemptiveResource, wait: number, prio: number) {
    yield* env.timeout(wait)
    const req = resource.request({ priority: prio })
    try {
      print(`${name} requesting at ${env.now} with priority=${prio}`)
      yield* req
      print(`${name} got resource at ${env.now}`)
      try {
        yield* env.timeout(3)
      } catch (error) {
        if (!(error instanceof Interrupt && error.cause instanceof Preempted)) throw error
        const by = error.cause.by
        const usage = env.now - error.cause.usageSince
        print(`${name} got preempted by ${[p1, p2, p3].indexOf(by!) + 1} at ${env.now} after ${usage}`)
      }
    } finally {
      resource.release(req)
    }
  }
  env = new Simulation()
  const preemptive = new PreemptiveResource(env, { capacity: 1 })
  const p1 = env.spawn(preemptedUser(1, env, preemptive, 0, 0))
  const p2 = env.spawn(preemptedUser(2, env, preemptive, 1, 0))
  const p3 = env.spawn(preemptedUser(3, env, preemptive, 2, -1))
  env.run()

  function* user(name: string, env: Simulation, res: PreemptiveResource, prio: number, preempt: boolean) {
    const req = res.request({ priority: prio, preempt })
    try {
      try {
        print(`${name} requesting at ${env.now}`)
        yield* req
        print(`${name} got resource at ${env.now}`)
        yield* env.timeout(3)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        print(`${name} got preempted at ${env.now}`)
      }
    } finally {
      res.release(req)
    }
  }
  env = new Simulation()
  const abc = new PreemptiveResource(env, { capacity: 1 })
  env.spawn(user("A", env, abc, 0, true))
  env.run({ until: 1 }) // Give A a head start
  env.spawn(user("B", env, abc, -2, false))
  env.spawn(user("C", env, abc, -1, true))
  env.run()
}

function gasStation(print: Print): void {
  class GasStation {
    readonly fuelDispensers: Resource
    readonly gasTank: Container
    constructor(env: Simulation) {
      this.fuelDispensers = new Resource(env, { capacity: 2 })
      this.gasTank = new Container(env, { init: 100, capacity: 1000 })
      env.spawn(this.monitorTank(env))
    }

    *monitorTank(env: Simulation) {
      for (;;) {
        if (this.gasTank.level < 100) {
          print(`Calling tanker at ${env.now}`)
          env.spawn(tanker(env, this))
        }
        yield* env.timeout(15)
      }
    }
  }
  function* tanker(env: Simulation, gasStation: GasStation) {
    yield* env.timeout(10) // Need 10 Minutes to arrive
    print(`Tanker arriving at ${env.now}`)
    const amount = gasStation.gasTank.capacity - gasStation.gasTank.level
    yield* gasStation.gasTank.put(amount)
  }
  function* car(name: number, env: Simulation, gasStation: GasStation) {
    print(`Car ${name} arriving at ${env.now}`)
    const req = gasStation.fuelDispensers.request()
    try {
      yield* req
      print(`Car ${name} starts refueling at ${env.now}`)
      yield* gasStation.gasTank.get(40)
      yield* env.timeout(5)
      print(`Car ${name} done refueling at ${env.now}`)
    } finally {
      gasStation.fuelDispensers.release(req)
    }
  }
  function* carGenerator(env: Simulation, gasStation: GasStation) {
    for (let i = 0; i < 4; i++) {
      env.spawn(car(i, env, gasStation))
      yield* env.timeout(5)
    }
  }
  const env = new Simulation()
  const station = new GasStation(env)
  env.spawn(carGenerator(env, station))
  env.run({ until: 35 })
}

function stores(print: Print): void {
  function* producer(env: Simulation, store: Store<string>) {
    for (let i = 0; i < 100; i++) {
      yield* env.timeout(2)
      yield* store.put(`spam ${i}`)
      print(`Produced spam at ${env.now}`)
    }
  }
  function* consumer(name: number, env: Simulation, store: Store<string>) {
    for (;;) {
      yield* env.timeout(1)
      print(`${name} requesting spam at ${env.now}`)
      const item = yield* store.get()
      print(`${name} got ${item} at ${env.now}`)
    }
  }
  let env = new Simulation()
  const store = new Store<string>(env, { capacity: 2 })
  env.spawn(producer(env, store))
  for (let i = 0; i < 2; i++) env.spawn(consumer(i, env, store))
  env.run({ until: 5 })

  class Machine {
    constructor(
      readonly size: number,
      readonly duration: number,
    ) {}
    toString(): string {
      return `Machine(size=${this.size}, duration=${this.duration})`
    }
  }
  const m1 = new Machine(1, 2) // Small and slow
  const m2 = new Machine(2, 1) // Big and fast
  env = new Simulation()
  const machineShop = new FilterStore<Machine>(env, { capacity: 2 })
  // Pre-populate the machine shop (SimPy assigns `items`; the kernel's items are put).
  machineShop.put(m1)
  machineShop.put(m2)
  function* user(name: number, env: Simulation, ms: FilterStore<Machine>, size: number) {
    const machine = yield* ms.get((machine) => machine.size === size)
    print(`${name} got ${machine} at ${env.now}`)
    yield* env.timeout(machine.duration)
    yield* ms.put(machine)
    print(`${name} released ${machine} at ${env.now}`)
  }
  for (let i = 0; i < 3; i++) env.spawn(user(i, env, machineShop, (i % 2) + 1))
  env.run()

  priorityStore(print)
}

function priorityStore(print: Print): void {
  /** simpy.PriorityItem: ordered by `priority` ('P0' < 'P1' < ...). */
  class PriorityItem {
    constructor(
      readonly priority: string,
      readonly item: string,
    ) {}
    toString(): string {
      return `PriorityItem(priority='${this.priority}', item='${this.item}')`
    }
  }
  const env = new Simulation()
  // The kernel's priorities are numbers: 'P<n>' is ranked by n, the order of the strings here.
  const issues = new PriorityStore<PriorityItem>(env, { priority: (issue) => Number(issue.priority.slice(1)) })
  function* inspector(env: Simulation, issues: PriorityStore<PriorityItem>) {
    for (const issue of [
      new PriorityItem("P2", "#0000"),
      new PriorityItem("P0", "#0001"),
      new PriorityItem("P3", "#0002"),
      new PriorityItem("P1", "#0003"),
    ]) {
      yield* env.timeout(1)
      print(`${env.now} log ${issue}`)
      yield* issues.put(issue)
    }
  }
  function* maintainer(env: Simulation, issues: PriorityStore<PriorityItem>) {
    for (;;) {
      yield* env.timeout(3)
      const issue = yield* issues.get()
      print(`${env.now} repair ${issue}`)
    }
  }
  env.spawn(inspector(env, issues))
  env.spawn(maintainer(env, issues))
  env.run()
}
