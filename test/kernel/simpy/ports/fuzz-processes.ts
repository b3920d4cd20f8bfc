/**
 * Port of python/fuzz_processes.py: runs one random case (a spec drawn by the Python script) on
 * the kernel and returns the lines it prints, to compare with SimPy's. With `useSleep`, the plain
 * waits (`timeout` ops and children) use `sim.sleep` instead of `sim.timeout`: same program.
 */
import { type Event, Interrupt, type Process, Simulation } from "../../../../src/kernel/index.ts"

interface OpSpec {
  readonly op: "timeout" | "succeed" | "wait" | "join" | "interrupt" | "any" | "all" | "child"
  readonly d: number
  readonly e: number
  readonly p: number
}
/** One case of the Python script. */
export interface ProcessFuzzSpec {
  readonly events: number
  readonly procs: readonly { name: string; ops: readonly OpSpec[] }[]
}

/** The lines the case prints on the kernel. */
export function runProcessFuzzCase(spec: ProcessFuzzSpec, useSleep = false): string[] {
  const env = new Simulation()
  const out: string[] = []
  const events: Event<string>[] = Array.from({ length: spec.events }, () => env.event<string>())
  const procs: Process<string>[] = []
  const pyBool = (value: boolean) => (value ? "True" : "False")
  const log = (name: string, what: string) => out.push(`${env.now} ${name} ${what}`)
  const wait = (d: number) => (useSleep ? env.sleep(d) : env.timeout(d))

  function* child(name: string, d: number) {
    yield* wait(d)
    log(name, "child ends")
    return `${name}-child`
  }

  function* step(me: string, op: OpSpec, index: number) {
    switch (op.op) {
      case "timeout":
        yield* wait(op.d)
        log(me, `slept ${op.d}`)
        break
      case "succeed": {
        const event = events[op.e]!
        if (!event.triggered) {
          event.succeed(`${me}:${index}`)
          log(me, `succeeds e${op.e}`)
        }
        break
      }
      case "wait": {
        const value = yield* events[op.e]!
        log(me, `e${op.e} gave ${value}`)
        break
      }
      case "join": {
        const target = procs[op.p]!
        if (target !== env.activeProcess) {
          const value = yield* target
          log(me, `joined p${op.p}: ${value}`)
        }
        break
      }
      case "interrupt": {
        const target = procs[op.p]!
        if (target !== env.activeProcess && target.isAlive) {
          target.interrupt(`${me}:${index}`)
          log(me, `interrupts p${op.p}`)
        }
        break
      }
      case "any": {
        const [t, e] = [env.timeout(op.d, "t"), events[op.e]!]
        const got = yield* env.anyOf([t, e])
        log(me, `any: t ${pyBool(got.has(t))} e${op.e} ${pyBool(got.has(e))}`)
        break
      }
      case "all": {
        const [t, e] = [env.timeout(op.d, "t"), events[op.e]!]
        yield* env.allOf([t, e])
        log(me, `all: t and e${op.e}`)
        break
      }
      case "child": {
        const value = yield* env.spawn(child(me, op.d))
        log(me, `child gave ${value}`)
        break
      }
    }
  }

  function* body(me: string, ops: readonly OpSpec[]) {
    for (const [index, op] of ops.entries()) {
      try {
        yield* step(me, op, index)
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        log(me, `interrupted by ${String(error.cause)}`)
      }
    }
    log(me, "ends")
    return `${me}-result`
  }

  for (const p of spec.procs) procs.push(env.spawn(body(p.name, p.ops)))
  env.run()
  out.push(`end ${env.now}`)
  return out
}
