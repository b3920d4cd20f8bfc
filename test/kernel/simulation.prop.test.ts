/**
 * Properties of the simulation loop over random process sets (sleeps, random sleeps, spawns,
 * interrupts, joins, anyOf): time never goes backwards, the same seed gives the same trace, and
 * `run()`, `step()` and `run({ until })` in pieces all process the same events in the same order.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/simulation.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Interrupt, type Process } from "../../src/kernel/process.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import {
  checkProperty,
  FC_SEED,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  lawTraceTimeNeverGoesBackwards,
  tracedRunOf,
} from "../laws/index.ts"

const testFile = "test/kernel/simulation.prop.test.ts"

/** One step of an actor. Targets index the actors spawned so far, modulo their number. */
type Action =
  | { readonly kind: "sleep"; readonly delay: number }
  | { readonly kind: "randomSleep"; readonly mean: number }
  | { readonly kind: "interrupt"; readonly target: number }
  | { readonly kind: "join"; readonly target: number }
  | { readonly kind: "anyOf"; readonly delays: readonly number[] }
  | { readonly kind: "spawn"; readonly actions: readonly Action[] }

/** Delays with many ties: zero, small integers, and a few fractions. */
const delayArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 },
  { arbitrary: fc.constantFrom(0.5, 1.25, 2.75), weight: 1 },
)

const leafArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("sleep" as const), delay: delayArb }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant("randomSleep" as const), mean: fc.integer({ min: 1, max: 4 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("interrupt" as const), target: fc.nat(30) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("join" as const), target: fc.nat(30) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("anyOf" as const), delays: fc.array(delayArb, { maxLength: 3 }) }),
    weight: 1,
  },
)

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: leafArb, weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant("spawn" as const), actions: fc.array(leafArb, { maxLength: 5 }) }),
    weight: 1,
  },
)

/** A process set: one action list per top-level actor. */
const specArb = fc.array(fc.array(actionArb, { maxLength: 10, size: "medium" }), {
  minLength: 1,
  maxLength: 6,
  size: "medium",
})

/**
 * Spawns the actors of `spec` in `sim`. Each actor records what it does in the trace and calls
 * `observe` with the clock after every action; it catches interrupts, so no actor ever fails.
 */
function buildProcessSet(
  sim: Simulation,
  spec: readonly (readonly Action[])[],
  observe: (time: number) => void = () => {},
): void {
  const actors: Process<string>[] = []

  function* actor(id: string, actions: readonly Action[]): Generator<any, string, any> {
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!
      try {
        switch (action.kind) {
          case "sleep": {
            const wakeAt = sim.now + action.delay
            yield* sim.sleep(action.delay)
            // an uninterrupted sleep wakes exactly when due, never early through a stale wake-up
            if (sim.now !== wakeAt)
              throw new Error(`${id} slept from ${wakeAt - action.delay} for ${action.delay} but woke at ${sim.now}`)
            break
          }
          case "randomSleep": {
            const delay = sim.random(id).exponential(1 / action.mean)
            sim.trace.record("DelayDrawn", { id, delay })
            yield* sim.sleep(delay)
            break
          }
          case "interrupt": {
            const target = actors[action.target % actors.length]!
            if (target.isAlive && target !== sim.activeProcess) {
              target.interrupt(`${id}#${i}`)
              sim.trace.record("InterruptSent", { id, to: target.name })
            }
            break
          }
          case "join": {
            const target = actors[action.target % actors.length]!
            if (target !== sim.activeProcess) {
              const result = yield* target
              if (result !== target.name) throw new Error(`${id} joined ${target.name} but received ${String(result)}`)
              sim.trace.record("Joined", { id, result })
            }
            break
          }
          case "anyOf": {
            const value = yield* sim.anyOf(action.delays.map((delay) => sim.timeout(delay, delay)))
            sim.trace.record("AnyOfMet", { id, values: value.events.map((event) => event.value as number) })
            break
          }
          case "spawn": {
            const childId = `${id}.${i}`
            actors.push(sim.spawn(actor(childId, action.actions), childId))
            break
          }
        }
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error
        sim.trace.record("InterruptReceived", { id, cause: String(error.cause) })
      }
      observe(sim.now)
    }
    sim.trace.record("ActorEnded", { id })
    return id
  }

  spec.forEach((actions, i) => {
    const id = `a${i}`
    actors.push(sim.spawn(actor(id, actions), id))
  })
}

describe(`Simulation properties (FC_SEED=${FC_SEED})`, () => {
  it("never moves time backwards over random sleeps, spawns, interrupts, joins and anyOfs", () => {
    checkProperty(
      fc.property(specArb, fc.nat(), (spec, seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const observed: number[] = []
        buildProcessSet(sim, spec, (time) => observed.push(time))

        lawTimeNeverGoesBackwards(sim, { maxSteps: 100_000 })

        lawTraceTimeNeverGoesBackwards(sim.trace.records())
        for (let i = 1; i < observed.length; i++) expect(observed[i]).toBeGreaterThanOrEqual(observed[i - 1]!)
      }),
      { testFile },
    )
  })

  it("gives the same trace hash for the same seed across two fresh simulations", () => {
    checkProperty(
      fc.property(specArb, fc.nat(), (spec, seed) => {
        lawSameSeedSameTrace((s) => {
          const sim = new Simulation({ seed: s, trace: { keep: Infinity } })
          buildProcessSet(sim, spec)
          sim.trace.record("RunStarted", { actors: spec.length })
          return tracedRunOf(sim)
        }, seed)
      }),
      { testFile },
    )
  })

  it("processes the same events in the same order with run(), step() and run({ until }) in pieces", () => {
    const cutsArb = fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })), {
      maxLength: 5,
    })
    checkProperty(
      fc.property(specArb, fc.nat(), cutsArb, (spec, seed, cuts) => {
        const build = (): Simulation => {
          const sim = new Simulation({ seed, trace: { keep: Infinity } })
          buildProcessSet(sim, spec, (time) => sim.trace.record("Observed", { time, events: sim.eventsProcessed }))
          return sim
        }
        const byRun = build()
        byRun.run()
        const bySteps = build()
        while (bySteps.step()) {
          /* one event at a time */
        }
        const byPieces = build()
        for (const cut of [...cuts].sort((a, b) => a - b)) byPieces.run({ until: Math.max(cut, byPieces.now) })
        byPieces.run()

        expect(bySteps.trace.records()).toEqual(byRun.trace.records())
        expect(byPieces.trace.records()).toEqual(byRun.trace.records())
        expect([bySteps.eventsProcessed, byPieces.eventsProcessed]).toEqual([
          byRun.eventsProcessed,
          byRun.eventsProcessed,
        ])
      }),
      { testFile },
    )
  })
})
