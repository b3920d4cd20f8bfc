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
  return new MixedCase().run(spec)
}

const pyList = (items: readonly number[]) => `[${items.join(", ")}]`

/** One run of a case: the Python script's `run(spec)`, its nested functions as methods. */
class MixedCase {
  readonly env = new Simulation()
  readonly out: string[] = []
  readonly resources = [
    new Resource(this.env, { capacity: 1 }),
    new PriorityResource(this.env, { capacity: 2 }),
    new PreemptiveResource(this.env, { capacity: 1 }),
  ]
  readonly store = new Store<string>(this.env, { capacity: 2 })
  readonly tank = new Container(this.env, { capacity: 10, init: 5 })
  readonly events: Event<string>[] = [this.env.event(), this.env.event(), this.env.event()]
  readonly procs: Process<void>[] = []

  run(spec: MixedFuzzSpec): string[] {
    const env = this.env
    for (const p of spec.procs) this.procs.push(env.spawn(this.body(p.name, p.ops)))
    try {
      env.run({ until: 40 })
    } catch (error) {
      if (!(error instanceof SimulationError && error.cause instanceof ValueError)) throw error
      this.out.push(`${env.now} run stopped by ${error.cause.message}`)
    }
    this.out.push(`end ${env.now}`)
    return this.out
  }

  log(name: string, what: string): void {
    const { resources, store, tank } = this
    this.out.push(
      `${this.env.now} ${name} ${what} | r=${pyList(resources.map((r) => r.count))} ` +
        `q=${pyList(resources.map((r) => r.queueLength))} s=${store.size} t=${tank.level}`,
    )
  }

  /** Waits for event, or gives up after pat; true if it happened. */
  *patient(event: Event<any>, pat: number | null) {
    if (pat === null) {
      yield* event
      return true
    }
    const got = yield* this.env.anyOf([event, this.env.timeout(pat)])
    return got.has(event)
  }

  *body(me: string, ops: readonly OpSpec[]) {
    for (const [i, op] of ops.entries()) {
      try {
        yield* this.step(me, i, op)
      } catch (error) {
        if (error instanceof Interrupt) {
          this.log(me, `interrupted by ${error.cause instanceof Preempted ? "Preempted" : String(error.cause)}`)
        } else if (error instanceof ValueError) this.log(me, `caught ${error.message}`)
        else throw error
      }
    }
    this.log(me, "ends")
  }

  *step(me: string, i: number, op: OpSpec) {
    switch (op.op) {
      case "timeout":
        yield* this.env.timeout(op.d)
        this.log(me, "slept")
        break
      case "request":
        yield* this.request(me, op)
        break
      case "get":
      case "put":
      case "tank":
        yield* this.transfer(me, i, op)
        break
      case "wait": {
        const value = yield* this.events[op.e]!
        this.log(me, `e${op.e} gave ${value}`)
        break
      }
      case "nested":
        yield* this.env.allOf([this.env.anyOf([this.env.timeout(op.d), this.events[op.e]!]), this.env.timeout(op.h)])
        this.log(me, "nested done")
        break
      default:
        this.act(me, i, op)
    }
  }

  *request(me: string, op: OpSpec) {
    const res = this.resources[op.r]!
    const req = op.r === 0 ? res.request() : res.request({ priority: op.prio, preempt: op.pre })
    try {
      this.log(me, `requests r${op.r}`)
      if (!(yield* this.patient(req, op.pat))) {
        this.log(me, `reneges r${op.r}`)
        return
      }
      this.log(me, `holds r${op.r}`)
      try {
        yield* this.env.timeout(op.h)
        this.log(me, `releases r${op.r}`)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        this.log(me, `loses r${op.r}: ${error.cause instanceof Preempted ? "Preempted" : "str"}`)
      }
    } finally {
      res.release(req)
    }
  }

  /** The store's get and put and the tank's put or get, each given up (withdrawn) after `pat`. */
  *transfer(me: string, i: number, op: OpSpec) {
    if (op.op === "get") {
      const get = this.store.get()
      this.log(me, "gets")
      if (yield* this.patient(get, op.pat)) this.log(me, `got ${get.value}`)
      else {
        get.cancel()
        this.log(me, "gives up getting")
      }
    } else if (op.op === "put") {
      const put = this.store.put(`${me}.${i}`)
      this.log(me, `puts ${me}.${i}`)
      if (yield* this.patient(put, op.pat)) this.log(me, "put in")
      else {
        put.cancel()
        this.log(me, "gives up putting")
      }
    } else {
      const event = op.pre ? this.tank.put(op.amt) : this.tank.get(op.amt)
      this.log(me, `tank ${op.pre ? "put" : "get"} ${op.amt}`)
      if (yield* this.patient(event, op.pat)) this.log(me, "tank done")
      else {
        event.cancel()
        this.log(me, "gives up on tank")
      }
    }
  }

  /** The ops that do not wait: interrupt, succeed, fail. */
  act(me: string, i: number, op: OpSpec): void {
    const event = this.events[op.e]!
    if (op.op === "interrupt") {
      const target = this.procs[op.p]!
      if (target !== this.env.activeProcess && target.isAlive) {
        target.interrupt(`${me}.${i}`)
        this.log(me, `interrupts p${op.p}`)
      }
    } else if (op.op === "succeed" && !event.triggered) {
      event.succeed(`${me}.${i}`)
      this.log(me, `succeeds e${op.e}`)
    } else if (op.op === "fail" && !event.triggered) {
      event.fail(new ValueError(`${me}.${i}`))
      this.log(me, `fails e${op.e}`)
    }
  }
}
