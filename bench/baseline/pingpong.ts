/**
 * Ceiling for `pingpong`: the model of `bench/pingpong.ts` on the minimal loop of `loop.ts`.
 *
 * Run: `npx tsx bench/baseline/pingpong.ts` (size from BENCH_ITEMS).
 */
import { isMainModule, type PingpongResult, printResult, readSizes, timing, wallClockMs } from "../bench-kit.ts"
import { BaselineStore, Loop, type Proc } from "./loop.ts"

/**
 * Runs the `pingpong` workload on the baseline loop.
 * @param items - number of items handed from producer to consumer
 */
export function runPingpong(items: number): PingpongResult {
  const startedMs = wallClockMs()
  const loop = new Loop()
  const store = new BaselineStore<number>(1)
  let received = 0

  function* producer(): Proc {
    for (let item = 0; item < items; item++) yield store.put(item)
  }

  function* consumer(): Proc {
    for (let i = 0; i < items; i++) {
      const item: number = yield store.get()
      if (item !== i) throw new Error(`expected item ${i}, got ${item}`)
      received++
    }
  }

  loop.spawn(producer())
  loop.spawn(consumer())
  loop.run()
  const events = 2 * received
  return {
    system: "baseline",
    workload: "pingpong",
    events,
    simTime: loop.now,
    ...timing(events, startedMs),
    items,
  }
}

if (isMainModule(import.meta.url)) printResult(runPingpong(readSizes().items))
