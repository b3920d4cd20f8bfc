/**
 * Benchmark `pingpong`: a producer and a consumer hand items through a store of capacity 1, all at
 * time 0, so every operation is pure kernel overhead (store bookkeeping, events, scheduling).
 *
 * The producer puts `items` items (0, 1, 2, ...) with no delays; the consumer gets them. Every put
 * and get goes through the store and the scheduler. `events` is 2 per item. Same model as
 * `bench/simpy/pingpong.py` and `bench/baseline/pingpong.ts`.
 *
 * Run: `npx tsx bench/pingpong.ts` (size from BENCH_ITEMS).
 */
import { Simulation, Store } from "../src/kernel/index.ts"
import { isMainModule, type PingpongResult, printResult, readSizes, timing, wallClockMs } from "./bench-kit.ts"

/**
 * Runs the `pingpong` workload on the engine.
 * @param items - number of items handed from producer to consumer
 */
export function runPingpong(items: number): PingpongResult {
  const startedMs = wallClockMs()
  const sim = new Simulation()
  const store = new Store<number>(sim, { capacity: 1 })
  let received = 0

  function* producer() {
    for (let item = 0; item < items; item++) yield* store.put(item)
  }

  function* consumer() {
    for (let i = 0; i < items; i++) {
      const item = yield* store.get()
      if (item !== i) throw new Error(`expected item ${i}, got ${item}`)
      received++
    }
  }

  sim.spawn(producer())
  sim.spawn(consumer())
  sim.run()
  const events = 2 * received
  return {
    system: "simsys",
    workload: "pingpong",
    events,
    simTime: sim.now,
    ...timing(events, startedMs),
    items,
  }
}

if (isMainModule(import.meta.url)) printResult(runPingpong(readSizes().items))
