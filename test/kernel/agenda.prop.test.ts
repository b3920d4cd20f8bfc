/**
 * The agenda is the one place where the kernel merges its queues into `(time, priority, sequence)`
 * order; `run()`, `step()` and the explorer's choice points all take entries from it. Properties
 * over random programs (processes, sleeps, timeouts, resources, stores, conditions, interrupts,
 * joins and spawns, with many events at the same instants):
 *
 * - a `step()`-driven run and a `run()`-driven run give the same trace, the same results and the
 *   same final state;
 * - with a chooser (the explorer's mode) that always answers 0, a `step()`-driven and a
 *   `run()`-driven run give the same trace, results and final state too.
 *
 * (A chooser run is not compared with a run without one: the explorer processes an event nobody
 * waits for without asking, e.g. the end of a process nobody joined yet, so a process that joins
 * it later in the same instant continues at once instead of waiting for the end's turn.)
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/agenda.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Resource } from "../../src/kernel/resource.ts"
import { type Chooser, Simulation } from "../../src/kernel/simulation.ts"
import { Store } from "../../src/kernel/store.ts"
import { checkProperty, FC_SEED } from "../laws/index.ts"

const testFile = "test/kernel/agenda.prop.test.ts"

/** One step of an actor. Indexes are taken modulo the number of actors, resources or stores. */
type Action =
  | { readonly kind: "sleep"; readonly delay: number }
  | { readonly kind: "timeout"; readonly delay: number }
  | { readonly kind: "use"; readonly resource: number; readonly hold: number; readonly awaitRelease: boolean }
  | { readonly kind: "put"; readonly store: number }
  | { readonly kind: "get"; readonly store: number }
  | { readonly kind: "anyOf"; readonly delays: readonly number[] }
  | { readonly kind: "allOf"; readonly delays: readonly number[] }
  | { readonly kind: "interrupt"; readonly target: number }
  | { readonly kind: "join"; readonly target: number }
  | { readonly kind: "spawn"; readonly actions: readonly Action[] }

/** Delays with many ties: mostly zero and small integers. */
const delayArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 },
  { arbitrary: fc.constant(1.5), weight: 1 },
)

const leafArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("sleep" as const), delay: delayArb }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("timeout" as const), delay: delayArb }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("use" as const),
      resource: fc.nat(3),
      hold: delayArb,
      awaitRelease: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant("put" as const), store: fc.nat(3) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("get" as const), store: fc.nat(3) }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant("anyOf" as const), delays: fc.array(delayArb, { maxLength: 3 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("allOf" as const), delays: fc.array(delayArb, { maxLength: 3 }) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("interrupt" as const), target: fc.nat(30) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("join" as const), target: fc.nat(30) }), weight: 1 },
)

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: leafArb, weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant("spawn" as const), actions: fc.array(leafArb, { maxLength: 5 }) }),
    weight: 1,
  },
)

/** A program: one action list per top-level actor. */
const programArb = fc.array(fc.array(actionArb, { maxLength: 8 }), { minLength: 1, maxLength: 6 })

/** What a run of a program leaves behind, compared field by field. */
interface Outcome {
  readonly records: readonly unknown[]
  readonly now: number
  readonly eventsProcessed: number
  readonly results: readonly unknown[]
  readonly resources: readonly (readonly [number, number])[]
  readonly stores: readonly (readonly unknown[])[]
}

/**
 * Builds the program in a new simulation (with `chooser`, if given), runs it with `drive`, and
 * reports what it left. Every actor records what it does; it catches interrupts, so none fails.
 */
function runProgram(
  program: readonly (readonly Action[])[],
  drive: (sim: Simulation) => void,
  chooser?: Chooser,
): Outcome {
  const sim = new Simulation({ trace: { keep: Infinity }, ...(chooser === undefined ? {} : { chooser }) })
  const resources = [1, 2].map((capacity) => new Resource(sim, { capacity }))
  const stores = [1, 2].map((capacity) => new Store<string>(sim, { capacity }))
  const actors: Process<string>[] = []

  function* perform(id: string, step: string, action: Action): Generator<any, void, any> {
    switch (action.kind) {
      case "sleep":
        yield* sim.sleep(action.delay)
        break
      case "timeout":
        yield* sim.timeout(action.delay)
        break
      case "use": {
        const resource = resources[action.resource % resources.length]!
        const request = resource.request()
        try {
          yield* request
          sim.trace.record("Granted", { id, resource: action.resource % resources.length })
          yield* sim.sleep(action.hold)
        } finally {
          const release = resource.release(request)
          if (action.awaitRelease && request.triggered) yield* release
        }
        break
      }
      case "put": {
        const put = stores[action.store % stores.length]!.put(step)
        try {
          yield* put
        } finally {
          put.cancel()
        }
        break
      }
      case "get": {
        const get = stores[action.store % stores.length]!.get()
        try {
          sim.trace.record("Got", { id, item: yield* get })
        } finally {
          get.cancel()
        }
        break
      }
      case "anyOf": {
        const value = yield* sim.anyOf(action.delays.map((delay) => sim.timeout(delay, delay)))
        sim.trace.record("AnyOfMet", { id, values: value.events.map((event) => event.value as number) })
        break
      }
      case "allOf": {
        const values = yield* sim.allOf(action.delays.map((delay) => sim.timeout(delay, delay)))
        sim.trace.record("AllOfMet", { id, values: [...values] })
        break
      }
      case "interrupt": {
        const target = actors[action.target % actors.length]!
        if (target.isAlive && target !== sim.activeProcess) {
          target.interrupt(step)
          sim.trace.record("InterruptSent", { id, to: target.name })
        }
        break
      }
      case "join": {
        const target = actors[action.target % actors.length]!
        if (target !== sim.activeProcess) sim.trace.record("Joined", { id, result: yield* target })
        break
      }
      case "spawn":
        actors.push(sim.spawn(actor(step, action.actions), step))
        break
    }
  }

  function* actor(id: string, actions: readonly Action[]): Generator<any, string, any> {
    for (let i = 0; i < actions.length; i++) {
      try {
        yield* perform(id, `${id}.${i}`, actions[i]!)
        sim.trace.record("Done", { id, step: i, events: sim.eventsProcessed })
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        sim.trace.record("InterruptReceived", { id, step: i, cause: String(error.cause) })
      }
    }
    return id
  }

  program.forEach((actions, i) => actors.push(sim.spawn(actor(`a${i}`, actions), `a${i}`)))
  drive(sim)
  return {
    records: sim.trace.records(),
    now: sim.now,
    eventsProcessed: sim.eventsProcessed,
    results: actors.map((process) => (process.triggered ? process.value : "alive")),
    resources: resources.map((resource) => [resource.count, resource.queueLength] as const),
    stores: stores.map((store) => [...store.items, store.waitingPuts, store.waitingGets]),
  }
}

/** Drives a simulation with `step()` until nothing is left. */
function stepToEnd(sim: Simulation): void {
  while (sim.step()) {
    /* one entry at a time */
  }
}

/** The explorer's first schedule: every choice answered with option 0. */
const firstChoices: Chooser = { choose: () => 0 }

describe(`Agenda properties (FC_SEED=${FC_SEED})`, () => {
  it("gives the same trace, results and final state whether run() or step() drives the run", () => {
    checkProperty(
      fc.property(programArb, (program) => {
        const byRun = runProgram(program, (sim) => sim.run())
        const bySteps = runProgram(program, stepToEnd)
        expect(bySteps).toEqual(byRun)
      }),
      { testFile, numRuns: 200 },
    )
  })

  it("gives the same trace, results and final state when run() is sliced with clockToUntil: false (realtime pacing)", () => {
    const cutsArb = fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { maxLength: 6 })
    checkProperty(
      fc.property(programArb, cutsArb, (program, cuts) => {
        const byRun = runProgram(program, (sim) => sim.run())
        const bySlices = runProgram(program, (sim) => {
          for (const cut of [...cuts].sort((a, b) => a - b)) {
            if (cut >= sim.now) sim.run({ until: cut, clockToUntil: false })
          }
          sim.run()
        })
        expect(bySlices).toEqual(byRun)
      }),
      { testFile, numRuns: 200 },
    )
  })

  it("gives the same trace, results and final state with a chooser, whether run() or step() drives it", () => {
    checkProperty(
      fc.property(programArb, (program) => {
        const byRun = runProgram(program, (sim) => sim.run(), firstChoices)
        const bySteps = runProgram(program, stepToEnd, firstChoices)
        expect(bySteps).toEqual(byRun)
      }),
      { testFile, numRuns: 200 },
    )
  })

  it("drives a program with resources, stores and interrupts at one instant identically (example)", () => {
    const program: Action[][] = [
      [
        { kind: "use", resource: 0, hold: 0, awaitRelease: true },
        { kind: "get", store: 0 },
      ],
      [
        { kind: "use", resource: 0, hold: 1, awaitRelease: false },
        { kind: "put", store: 0 },
      ],
      [
        { kind: "interrupt", target: 1 },
        { kind: "put", store: 0 },
        { kind: "allOf", delays: [0, 1] },
      ],
    ]
    const byRun = runProgram(program, (sim) => sim.run())
    const bySteps = runProgram(program, stepToEnd)
    expect(bySteps).toEqual(byRun)
    expect(byRun.results).toEqual(["a0", "a1", "a2"])
    expect(byRun.records.length).toBeGreaterThan(8)
  })
})
