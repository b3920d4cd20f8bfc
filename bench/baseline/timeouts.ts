/**
 * Ceiling for `timeouts`: the model of `bench/timeouts.ts` on the minimal loop of `loop.ts`.
 *
 * Run: `npx tsx bench/baseline/timeouts.ts` (sizes from BENCH_PROCS and BENCH_EVENTS).
 */
import { MersenneTwister } from "../../src/kernel/mt19937.ts"
import { isMainModule, printResult, readSizes, timing, type TimeoutsResult, wallClockMs } from "../bench-kit.ts"
import { Loop, type Proc } from "./loop.ts"

/**
 * Runs the `timeouts` workload on the baseline loop.
 * @param procs - number of sleeping processes
 * @param events - sleeps to complete before stopping
 */
export function runTimeouts(procs: number, events: number): TimeoutsResult {
  const startedMs = wallClockMs()
  const loop = new Loop()
  const random = new MersenneTwister(1)
  let completed = 0

  function* sleeper(): Proc {
    for (;;) {
      yield -Math.log(1 - random.next()) / 1
      completed++
      if (completed === events) loop.stop()
    }
  }

  for (let i = 0; i < procs; i++) loop.spawn(sleeper())
  loop.run()
  return {
    system: "baseline",
    workload: "timeouts",
    events: completed,
    simTime: loop.now,
    ...timing(completed, startedMs),
    procs,
  }
}

if (isMainModule(import.meta.url)) {
  const sizes = readSizes()
  printResult(runTimeouts(sizes.procs, sizes.events))
}
