/**
 * Port of python/fuzz_mixed.py: runs one random case (a spec drawn by the Python script) on the
 * kernel and returns the lines it prints, to compare with SimPy's.
 */
import {
  Container,
  type Event,
  Interrupt,
  Preempted,
  PreemptiveResource,
  PriorityResource,
  type Process,
  Resource,
  Simulation,
  SimulationError,
  Store,
} from "../../../../src/kernel/index.ts"

interface OpSpec {
  readonly op: "timeout" | "request" | "get" | "put" | "tank" | "interrupt" | "succeed" | "fail" | "wait" | "nested"
  readonly d: number
  readonly h: number
  readonly pat: number | null
  readonly r: number
  readonly prio: number
  readonly pre: boolean
  readonly e: number
  readonly p: number
  readonly amt: number
}
/** One case of the Python script. */
export interface MixedFuzzSpec {
  readonly procs: readonly { name: string; ops: readonly OpSpec[] }[]
}

/** Python's ValueError, the failure the programs raise and catch. */
class ValueError extends Error {}

/** The lines the case prints on the kernel. */
export function runMixedFuzzCase(spec: MixedFuzzSpec): string[] {
  const env = new Simulation()
  const out: string[] = []
  const resources = [
    new Resource(env, { capacity: 1 }),
    new PriorityResource(env, { capacity: 2 }),
    new PreemptiveResource(env, { capacity: 1 }),
  ]
  const store = new Store<string>(env, { capacity: 2 })
  const tank = new Container(env, { capacity: 10, init: 5 })
  const events: Event<string>[] = [env.event(), env.event(), env.event()]
  const procs: Process<void>[] = []
  const pyList = (items: readonly number[]) => `[${items.join(", ")}]`
  const log = (name: string, what: string) =>
    out.push(
      `${env.now} ${name} ${what} | r=${pyList(resources.map((r) => r.count))} ` +
        `q=${pyList(resources.map((r) => r.queueLength))} s=${store.size} t=${tank.level}`,
    )

  /** Waits for event, or gives up after pat; true if it happened. */
  function* patient(event: Event<any>, pat: number | null) {
    if (pat === null) {
      yield* event
      return true
    }
    const got = yield* env.anyOf([event, env.timeout(pat)])
    return got.has(event)
  }

  function* request(me: string, op: OpSpec) {
    const res = resources[op.r]!
    const req = op.r === 0 ? res.request() : res.request({ priority: op.prio, preempt: op.pre })
    try {
      log(me, `requests r${op.r}`)
      if (!(yield* patient(req, op.pat))) {
        log(me, `reneges r${op.r}`)
        return
      }
      log(me, `holds r${op.r}`)
      try {
        yield* env.timeout(op.h)
        log(me, `releases r${op.r}`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        log(me, `loses r${op.r}: ${error.cause instanceof Preempted ? "Preempted" : "str"}`)
      }
    } finally {
      res.release(req)
    }
  }

  function* step(me: string, i: number, op: OpSpec) {
    switch (op.op) {
      case "timeout":
        yield* env.timeout(op.d)
        log(me, "slept")
        break
      case "request":
        yield* request(me, op)
        break
      case "get": {
        const get = store.get()
        log(me, "gets")
        if (yield* patient(get, op.pat)) log(me, `got ${get.value}`)
        else {
          get.cancel()
          log(me, "gives up getting")
        }
        break
      }
      case "put": {
        const put = store.put(`${me}.${i}`)
        log(me, `puts ${me}.${i}`)
        if (yield* patient(put, op.pat)) log(me, "put in")
        else {
          put.cancel()
          log(me, "gives up putting")
        }
        break
      }
      case "tank": {
        const event = op.pre ? tank.put(op.amt) : tank.get(op.amt)
        log(me, `tank ${op.pre ? "put" : "get"} ${op.amt}`)
        if (yield* patient(event, op.pat)) log(me, "tank done")
        else {
          event.cancel()
          log(me, "gives up on tank")
        }
        break
      }
      case "interrupt": {
        const target = procs[op.p]!
        if (target !== env.activeProcess && target.isAlive) {
          target.interrupt(`${me}.${i}`)
          log(me, `interrupts p${op.p}`)
        }
        break
      }
      case "succeed":
        if (!events[op.e]!.triggered) {
          events[op.e]!.succeed(`${me}.${i}`)
          log(me, `succeeds e${op.e}`)
        }
        break
      case "fail":
        if (!events[op.e]!.triggered) {
          events[op.e]!.fail(new ValueError(`${me}.${i}`))
          log(me, `fails e${op.e}`)
        }
        break
      case "wait": {
        const value = yield* events[op.e]!
        log(me, `e${op.e} gave ${value}`)
        break
      }
      case "nested":
        yield* env.allOf([env.anyOf([env.timeout(op.d), events[op.e]!]), env.timeout(op.h)])
        log(me, "nested done")
        break
    }
  }

  function* body(me: string, ops: readonly OpSpec[]) {
    for (const [i, op] of ops.entries()) {
      try {
        yield* step(me, i, op)
      } catch (error) {
        if (error instanceof Interrupt) {
          log(me, `interrupted by ${error.cause instanceof Preempted ? "Preempted" : String(error.cause)}`)
        }
        else if (error instanceof ValueError) log(me, `caught ${error.message}`)
        else throw error
      }
    }
    log(me, "ends")
  }

  for (const p of spec.procs) procs.push(env.spawn(body(p.name, p.ops)))
  try {
    env.run({ until: 40 })
  } catch (error) {
    if (!(error instanceof SimulationError && error.cause instanceof ValueError)) throw error
    out.push(`${env.now} run stopped by ${error.cause.message}`)
  }
  out.push(`end ${env.now}`)
  return out
}
