/**
 * Properties of resources under random arrivals, holds and cancellations, checked after every
 * kernel step: never more users than slots, a slot idle while a request waits only until a pending
 * release event is processed (SimPy's order: at most one grant per release event), every
 * grant goes to the best waiting request (request order for a Resource; priority, then request
 * order for a PriorityResource), and every customer eventually leaves.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/resource.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Process } from "../../src/kernel/process.ts"
import { PriorityResource, type Release, type Request, Resource } from "../../src/kernel/resource.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { checkProperty, FC_SEED } from "../laws/index.ts"

const testFile = "test/kernel/resource.prop.test.ts"

interface Customer {
  readonly arriveAt: number
  readonly holdFor: number
  readonly priority: number
  /** Gives up this long after arriving: by being interrupted, or by a third party cancelling the request. */
  readonly cancel: { readonly after: number; readonly how: "interrupt" | "cancel" } | null
}

const timeArb = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(0.5, 2.5, 7.25))
const customerArb: fc.Arbitrary<Customer> = fc.record({
  arriveAt: timeArb,
  holdFor: timeArb,
  priority: fc.integer({ min: 0, max: 3 }),
  cancel: fc.option(fc.record({ after: timeArb, how: fc.constantFrom("interrupt" as const, "cancel" as const) }), {
    freq: 3,
  }),
})
const scenarioArb = fc.record({
  capacity: fc.integer({ min: 1, max: 3 }),
  customers: fc.array(customerArb, { minLength: 1, maxLength: 25, size: "medium" }),
})

interface Tracked {
  readonly request: Request
  readonly customer: Customer
  /** Request order, the tie-breaker. */
  readonly order: number
  /** Set when the request was withdrawn while still waiting. */
  withdrawn: boolean
}

/**
 * Runs the scenario step by step on `resource`, checking the invariants after every step, and
 * returns the customers' final states.
 * @param key - the service order among waiting requests (smaller first)
 */
function runChecked(
  sim: Simulation,
  resource: Resource,
  customers: readonly Customer[],
  key: (tracked: Tracked) => readonly number[],
): { tracked: Tracked[]; processes: Process<void>[] } {
  const tracked: Tracked[] = []
  const releases: Release[] = []
  const release = (entry: Tracked): void => {
    if (!entry.request.triggered) entry.withdrawn = true
    releases.push(resource.release(entry.request))
  }
  const processes = customers.map((customer, index) =>
    sim.spawn(
      (function* () {
        yield* sim.sleep(customer.arriveAt)
        const entry: Tracked = {
          request: resource.request({ priority: customer.priority }),
          customer,
          order: tracked.length,
          withdrawn: false,
        }
        tracked.push(entry)
        if (customer.cancel?.how === "cancel") {
          sim.spawn(
            (function* () {
              yield* sim.sleep(customer.cancel!.after)
              release(entry) // a third party withdraws or releases the request; the customer may hang on it
            })(),
          )
        }
        try {
          yield* entry.request
          yield* sim.sleep(customer.holdFor)
        } catch {
          // interrupted: give up
        } finally {
          release(entry)
        }
      })(),
      `customer-${index}`,
    ),
  )
  customers.forEach((customer, index) => {
    if (customer.cancel?.how !== "interrupt") return
    sim.spawn(
      (function* () {
        yield* sim.sleep(customer.arriveAt + customer.cancel!.after)
        const process = processes[index]!
        if (process.isAlive) process.interrupt("patience ran out")
      })(),
    )
  })

  const isWaiting = (entry: Tracked): boolean => !entry.request.triggered && !entry.withdrawn
  const before = (a: readonly number[], b: readonly number[]): boolean =>
    a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!)
  for (let steps = 0; ; steps++) {
    const waitingBefore = tracked.filter(isWaiting)
    const triggeredBefore = new Set(tracked.filter((entry) => entry.request.triggered))
    if (!sim.step()) break

    const granted = tracked.filter((entry) => entry.request.granted)
    expect(resource.count).toBeLessThanOrEqual(resource.capacity)
    expect(resource.count).toBe(granted.length)
    const pendingReleases = releases.filter((event) => !event.processed).length
    expect(Math.min(resource.capacity - resource.count, resource.queueLength)).toBeLessThanOrEqual(pendingReleases)
    expect(resource.queueLength).toBe(tracked.filter(isWaiting).length)
    const stillWaiting = waitingBefore.filter(isWaiting)
    for (const grant of tracked.filter((entry) => entry.request.triggered && !triggeredBefore.has(entry))) {
      for (const waiter of stillWaiting) {
        if (before(key(waiter), key(grant))) {
          throw new Error(
            `step ${steps} at t=${sim.now}: request #${grant.order} (key ${key(grant)}) was granted while ` +
              `request #${waiter.order} (key ${key(waiter)}) kept waiting`,
          )
        }
      }
    }
  }
  return { tracked, processes }
}

describe(`Resource properties (FC_SEED=${FC_SEED})`, () => {
  it("never exceeds capacity, idles a slot while someone waits only until a release event, and grants in request order", () => {
    checkProperty(
      fc.property(scenarioArb, ({ capacity, customers }) => {
        const sim = new Simulation()
        const resource = new Resource(sim, { capacity })

        const { tracked } = runChecked(sim, resource, customers, (entry) => [0, entry.order])

        expect(resource.count).toBe(0)
        for (const entry of tracked) expect(entry.withdrawn || entry.request.processed).toBe(true)
      }),
      { testFile, numRuns: 150 },
    )
  })

  it("grants a PriorityResource by priority, then request order, among the waiting requests", () => {
    checkProperty(
      fc.property(scenarioArb, ({ capacity, customers }) => {
        const sim = new Simulation()
        const resource = new PriorityResource(sim, { capacity })

        runChecked(sim, resource, customers, (entry) => [entry.customer.priority, entry.order])

        expect([resource.count, resource.queueLength]).toEqual([0, 0])
      }),
      { testFile, numRuns: 150 },
    )
  })

  it("lets every customer that is not cancelled leave, in a FIFO resource", () => {
    checkProperty(
      fc.property(scenarioArb, ({ capacity, customers }) => {
        const sim = new Simulation()
        const resource = new Resource(sim, { capacity })
        const patient = customers.map((customer) => ({ ...customer, cancel: null }))

        const { processes } = runChecked(sim, resource, patient, (entry) => [0, entry.order])

        expect(processes.filter((process) => process.isAlive)).toHaveLength(0)
      }),
      { testFile, numRuns: 100 },
    )
  })
})
