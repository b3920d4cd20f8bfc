/**
 * Benchmark `timeouts`: many processes sleeping random exponential delays, the pure cost of the
 * event loop (heap, timer events, generator resumption).
 *
 * `procs` processes each loop forever on `sleep(Exp(1))`, all drawing from one CPython-compatible
 * stream seeded 1; process i draws its first delay when it starts, and processes start in creation
 * order. The run stops as soon as exactly `events` sleeps have completed. Built with the public API
 * only, as a user would write it. Same model as `bench/simpy/timeouts.py` and
 * `bench/baseline/timeouts.ts`.
 *
 * Run: `npx tsx bench/timeouts.ts` (sizes from BENCH_PROCS and BENCH_EVENTS).
 */
import { MersenneTwister, RandomStream, Simulation } from "../src/kernel/index.ts"
import { isMainModule, printResult, readSizes, timing, type TimeoutsResult, wallClockMs } from "./bench-kit.ts"

/**
 * Runs the `timeouts` workload on the engine.
 * @param procs - number of sleeping processes
 * @param events - sleeps to complete before stopping
 */
export function runTimeouts(procs: number, events: number): TimeoutsResult {
  const startedMs = wallClockMs()
  const sim = new Simulation()
  const delays = new RandomStream(new MersenneTwister(1), "timeouts")
  let completed = 0

  function* sleeper() {
    for (;;) {
      yield* sim.sleep(delays.exponential(1))
      completed++
      if (completed === events) sim.stop()
    }
  }

  for (let i = 0; i < procs; i++) sim.spawn(sleeper())
  sim.run()
  return {
    system: "simsys",
    workload: "timeouts",
    events: completed,
    simTime: sim.now,
    ...timing(completed, startedMs),
    procs,
  }
}

if (isMainModule(import.meta.url)) {
  const sizes = readSizes()
  printResult(runTimeouts(sizes.procs, sizes.events))
}
