/**
 * Properties of stores under random producers, consumers, filters and cancellations: items are
 * conserved (every item put is in the store or was received by exactly one get), and once the
 * events of an instant are all processed no get or put waits while it could be served (within the
 * instant a waiter is served only when a put or get event is processed, as in SimPy). Conservation is also checked by a trace checker, through the
 * checker laws.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/store.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Process } from "../../src/kernel/process.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import { FilterStore, PriorityStore, Store, type StoreGet, type StorePut } from "../../src/kernel/store.ts"
import type { TraceRecord } from "../../src/kernel/trace.ts"
import {
  type CheckResult,
  checkProperty,
  FC_SEED,
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
} from "../laws/index.ts"

const testFile = "test/kernel/store.prop.test.ts"

type Color = "red" | "green" | "blue"
interface Item {
  readonly id: number
  readonly color: Color
}

interface Producer {
  readonly startAt: number
  readonly items: readonly { readonly gap: number; readonly color: Color }[]
  readonly giveUpAfter: number | null
}
interface Consumer {
  readonly startAt: number
  readonly gets: readonly { readonly gap: number; readonly color: Color | null }[]
  readonly giveUpAfter: number | null
}

const timeArb = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(1.5))
const colorArb = fc.constantFrom<Color>("red", "green", "blue")
const producerArb: fc.Arbitrary<Producer> = fc.record({
  startAt: timeArb,
  items: fc.array(fc.record({ gap: timeArb, color: colorArb }), { maxLength: 6 }),
  giveUpAfter: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }),
})
const consumerArb = (filtered: boolean): fc.Arbitrary<Consumer> =>
  fc.record({
    startAt: timeArb,
    gets: fc.array(
      fc.record({ gap: timeArb, color: filtered ? fc.option(colorArb, { freq: 3 }) : fc.constant(null) }),
      { maxLength: 6 },
    ),
    giveUpAfter: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }),
  })
const scenarioArb = (filtered: boolean) =>
  fc.record({
    capacity: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 3 })),
    producers: fc.array(producerArb, { minLength: 1, maxLength: 4 }),
    consumers: fc.array(consumerArb(filtered), { minLength: 1, maxLength: 4 }),
  })
type Scenario = { capacity: number; producers: Producer[]; consumers: Consumer[] }

type Kind = "store" | "filter" | "priority"

/** What a run leaves behind: its trace, the puts and gets made, and the items still in the store. */
interface StoreRun {
  readonly records: readonly TraceRecord[]
  readonly puts: readonly StorePut<Item>[]
  readonly gets: readonly { readonly get: StoreGet<Item>; readonly color: Color | null; readonly cancelled: boolean }[]
  readonly remaining: readonly Item[]
  readonly store: Store<Item>
}

/**
 * Runs producers and consumers on a store of `kind`, one `step()` at a time, calling `afterStep`
 * after each. Producers and consumers that give up are interrupted and clean up in `finally`:
 * a waiting put or get is cancelled; a get that was already served counts as received.
 */
function runStore(kind: Kind, scenario: Scenario, afterStep: (run: StoreRun) => void = () => {}): StoreRun {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const store: Store<Item> =
    kind === "filter"
      ? new FilterStore<Item>(sim, { capacity: scenario.capacity })
      : kind === "priority"
        ? new PriorityStore<Item>(sim, {
            capacity: scenario.capacity,
            priority: (item) => ["red", "green", "blue"].indexOf(item.color),
          })
        : new Store<Item>(sim, { capacity: scenario.capacity })
  const puts: StorePut<Item>[] = []
  const gets: { get: StoreGet<Item>; color: Color | null; cancelled: boolean }[] = []
  let nextId = 0
  const giveUp = (process: Process<void>, startAt: number, after: number | null): void => {
    if (after === null) return
    sim.spawn(
      (function* () {
        yield* sim.sleep(startAt + after)
        if (process.isAlive) process.interrupt("gave up")
      })(),
    )
  }

  scenario.producers.forEach((producer, p) => {
    const process = sim.spawn(
      (function* () {
        yield* sim.sleep(producer.startAt)
        try {
          yield* produce()
        } catch {
          sim.trace.record("ProducerGaveUp", { p })
        }
      })(),
      `producer-${p}`,
    )
    function* produce() {
      for (const { gap, color } of producer.items) {
        yield* sim.sleep(gap)
        const item: Item = { id: nextId++, color }
        const put = store.put(item)
        puts.push(put)
        try {
          yield* put
          sim.trace.record("ItemPut", { id: item.id, by: p })
        } finally {
          if (!put.triggered) put.cancel()
        }
      }
    }
    giveUp(process, producer.startAt, producer.giveUpAfter)
  })
  scenario.consumers.forEach((consumer, c) => {
    const process = sim.spawn(
      (function* () {
        yield* sim.sleep(consumer.startAt)
        try {
          yield* consume()
        } catch {
          sim.trace.record("ConsumerGaveUp", { c })
        }
      })(),
      `consumer-${c}`,
    )
    function* consume() {
      for (const { gap, color } of consumer.gets) {
        yield* sim.sleep(gap)
        const get = color === null ? store.get() : (store as FilterStore<Item>).get((item) => item.color === color)
        const entry = { get, color, cancelled: false }
        gets.push(entry)
        try {
          const item = yield* get
          sim.trace.record("ItemReceived", { id: item.id, by: c })
        } finally {
          if (!get.triggered) {
            get.cancel()
            entry.cancelled = true
          } else if (!get.processed) sim.trace.record("ItemReceived", { id: get.value.id, by: c, late: true })
        }
      }
    }
    giveUp(process, consumer.startAt, consumer.giveUpAfter)
  })

  const snapshot = (): StoreRun => ({ records: sim.trace.records(), puts, gets, remaining: store.itemsInOrder, store })
  while (sim.step()) afterStep(snapshot())
  sim.trace.record("RunEnded", { remaining: store.itemsInOrder.map((item) => item.id) })
  return snapshot()
}

/** The kernel-level conservation law: admitted items = received items + items in the store, each once. */
function expectConserved(run: StoreRun): void {
  const admitted = run.puts.filter((put) => put.triggered).map((put) => put.item.id)
  const received = run.gets.filter(({ get }) => get.triggered).map(({ get }) => get.value.id)
  const present = run.remaining.map((item) => item.id)
  const accounted = [...received, ...present].sort((a, b) => a - b)

  expect(accounted).toEqual([...admitted].sort((a, b) => a - b))
  expect(new Set(accounted).size).toBe(accounted.length)
}

/**
 * A trace checker: every item put was received at most once, and every item put is either
 * received or listed as remaining by the final `RunEnded` record.
 */
function itemsConserved(records: readonly TraceRecord[]): CheckResult {
  const name = "items-conserved"
  const put = new Set<number>()
  const received = new Map<number, TraceRecord>()
  for (const record of records) {
    const id = record.id as number
    if (record.type === "ItemPut") put.add(id)
    if (record.type === "ItemReceived") {
      const earlier = received.get(id)
      if (earlier !== undefined) {
        return {
          name,
          held: false,
          detail: `item ${id} received twice: ${JSON.stringify(earlier)} and ${JSON.stringify(record)}`,
        }
      }
      received.set(id, record)
    }
  }
  const end = records.find((record) => record.type === "RunEnded")
  if (end === undefined) return { name, held: false, detail: "no RunEnded record" }
  const remaining = new Set(end.remaining as number[])
  for (const id of remaining) {
    if (received.has(id)) return { name, held: false, detail: `item ${id} was received and is still in the store` }
  }
  for (const id of put) {
    if (!received.has(id) && !remaining.has(id))
      return { name, held: false, detail: `item ${id} was put, then lost: neither received nor in the store` }
  }
  return { name, held: true, detail: `${put.size} items put, ${received.size} received, ${remaining.size} remaining` }
}

describe(`Store properties (FC_SEED=${FC_SEED})`, () => {
  for (const kind of ["store", "filter", "priority"] as const) {
    it(`conserves items in a ${kind} store with capacities, filters and cancellations, after every step`, () => {
      checkProperty(
        fc.property(scenarioArb(kind === "filter"), (scenario) => {
          const run = runStore(kind, scenario, expectConserved)

          expectConserved(run)
          lawCheckerAcceptsFaultFreeRuns(() => run.records, itemsConserved, 0)
        }),
        { testFile, numRuns: 120 },
      )
    })
  }

  it("leaves no get waiting while the store holds an item it would take, nor a put while there is room, at the end of each instant", () => {
    checkProperty(
      fc.property(fc.constantFrom<Kind>("store", "filter", "priority"), scenarioArb(true), (kind, scenario) => {
        const plain =
          kind === "filter"
            ? scenario
            : {
                ...scenario,
                consumers: scenario.consumers.map((c) => ({ ...c, gets: c.gets.map((g) => ({ ...g, color: null })) })),
              }
        runStore(kind, plain, (run) => {
          if (run.store.sim.peek() === run.store.sim.now) return // the instant is not over
          for (const { get, color, cancelled } of run.gets) {
            if (get.triggered || cancelled) continue
            const match = run.remaining.find((item) => color === null || item.color === color)
            if (match !== undefined) {
              throw new Error(
                `a get for ${color ?? "any item"} waits while item ${JSON.stringify(match)} is in the ${kind} store`,
              )
            }
          }
          const room = run.remaining.length < run.store.capacity
          if (room && run.store.waitingPuts > 0) throw new Error(`a put waits while the ${kind} store has room`)
        })
      }),
      { testFile, numRuns: 150 },
    )
  })
})

describe("itemsConserved checker", () => {
  const r = (seq: number, type: string, fields: Record<string, unknown> = {}): TraceRecord => ({
    t: seq,
    seq,
    type,
    ...fields,
  })

  it("rejects a trace where an item is received twice, naming both records", () => {
    const bad = [
      r(0, "ItemPut", { id: 1 }),
      r(1, "ItemReceived", { id: 1 }),
      r(2, "ItemReceived", { id: 1 }),
      r(3, "RunEnded", { remaining: [] }),
    ]

    lawCheckerRejectsKnownBadRun(bad, itemsConserved, { name: "items-conserved", detail: /item 1 received twice/ })
  })

  it("rejects a trace where an item put is neither received nor remaining", () => {
    const bad = [r(0, "ItemPut", { id: 7 }), r(1, "RunEnded", { remaining: [] })]

    lawCheckerRejectsKnownBadRun(bad, itemsConserved, { detail: /item 7 was put, then lost/ })
  })
})
