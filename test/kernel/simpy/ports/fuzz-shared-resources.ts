/**
 * Port of python/fuzz_shared_resources.py: runs one random case (a spec drawn by the Python
 * script) on the kernel and returns the lines it prints, to compare with SimPy's.
 */
import {
  Container,
  FilterStore,
  Interrupt,
  PreemptiveResource,
  PriorityResource,
  PriorityStore,
  Resource,
  Simulation,
  Store,
} from "../../../../src/kernel/index.ts"

interface UserSpec {
  readonly name: string
  readonly start: number
  readonly prio: number
  readonly preempt: boolean
  readonly hold: number
  readonly patience: number | null
}
interface ResourceSpec {
  readonly kind: "Resource" | "PriorityResource" | "PreemptiveResource"
  readonly capacity: number
  readonly users: readonly UserSpec[]
}
interface StoreSpec {
  readonly kind: "Store" | "FilterStore" | "PriorityStore"
  readonly capacity: number | null
  readonly producers: readonly { name: string; start: number; wait: boolean; items: number[] }[]
  readonly consumers: readonly { name: string; start: number; gets: number; mod: number; pause: number }[]
}
interface ContainerSpec {
  readonly kind: "Container"
  readonly capacity: number
  readonly init: number
  readonly actors: readonly { name: string; start: number; ops: ["put" | "get", number][] }[]
}
/** One case of the Python script. */
export type FuzzSpec = ResourceSpec | StoreSpec | ContainerSpec

/** The lines the case prints on the kernel. */
export function runFuzzCase(spec: FuzzSpec): string[] {
  switch (spec.kind) {
    case "Container":
      return runContainer(spec)
    case "Store":
    case "FilterStore":
    case "PriorityStore":
      return runStore(spec)
    default:
      return runResource(spec)
  }
}

function runResource(spec: ResourceSpec): string[] {
  const env = new Simulation()
  const kind = spec.kind
  const options = { capacity: spec.capacity }
  const res =
    kind === "Resource"
      ? new Resource(env, options)
      : kind === "PriorityResource"
        ? new PriorityResource(env, options)
        : new PreemptiveResource(env, options)
  const out: string[] = []
  const log = (u: UserSpec, what: string) =>
    out.push(`${env.now} ${u.name} ${what} count=${res.count} queue=${res.queueLength}`)

  function* user(u: UserSpec) {
    yield* env.timeout(u.start)
    const req = kind === "Resource" ? res.request() : res.request({ priority: u.prio, preempt: u.preempt })
    try {
      log(u, "requests")
      try {
        if (u.patience === null) {
          yield* req
        } else {
          const got = yield* env.anyOf([req, env.timeout(u.patience)])
          if (!got.has(req)) {
            log(u, "reneges")
            return
          }
        }
        log(u, "granted")
        yield* env.timeout(u.hold)
        log(u, "done")
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        log(u, "preempted")
      }
    } finally {
      res.release(req)
    }
    log(u, "left")
  }

  for (const u of spec.users) env.spawn(user(u))
  env.run()
  return out
}

interface Item {
  readonly value: number
  readonly label: string
}

function runStore(spec: StoreSpec): string[] {
  const env = new Simulation()
  const kind = spec.kind
  const capacity = spec.capacity ?? Infinity
  const store =
    kind === "Store"
      ? new Store<Item>(env, { capacity })
      : kind === "FilterStore"
        ? new FilterStore<Item>(env, { capacity })
        : new PriorityStore<Item>(env, { capacity, priority: (item) => item.value })
  const out: string[] = []
  let serial = 0
  const log = (name: string, what: string) => out.push(`${env.now} ${name} ${what} size=${store.size}`)

  function* producer(p: StoreSpec["producers"][number]) {
    yield* env.timeout(p.start)
    for (const value of p.items) {
      serial += 1
      const label = `${p.name}-${serial}`
      const put = store.put({ value, label })
      log(p.name, `puts ${label}`)
      if (p.wait) {
        yield* put
        log(p.name, `put ${label} in`)
      }
    }
    yield* env.timeout(0)
  }
  function* consumer(c: StoreSpec["consumers"][number]) {
    yield* env.timeout(c.start)
    for (let k = 0; k < c.gets; k++) {
      const get = store instanceof FilterStore ? store.get((item) => item.value % c.mod === k % c.mod) : store.get()
      log(c.name, "gets")
      const item = yield* get
      log(c.name, `got ${item.label}`)
      yield* env.timeout(c.pause)
    }
  }

  for (const p of spec.producers) env.spawn(producer(p))
  for (const c of spec.consumers) env.spawn(consumer(c))
  env.run({ until: 30 })
  return out
}

function runContainer(spec: ContainerSpec): string[] {
  const env = new Simulation()
  const tank = new Container(env, { capacity: spec.capacity, init: spec.init })
  const out: string[] = []

  function* actor(a: ContainerSpec["actors"][number]) {
    yield* env.timeout(a.start)
    for (const [op, amount] of a.ops) {
      const event = op === "put" ? tank.put(amount) : tank.get(amount)
      out.push(`${env.now} ${a.name} ${op} ${amount} level=${tank.level}`)
      yield* event
      out.push(`${env.now} ${a.name} ${op} ${amount} done level=${tank.level}`)
    }
  }

  for (const a of spec.actors) env.spawn(actor(a))
  env.run({ until: 30 })
  return out
}
