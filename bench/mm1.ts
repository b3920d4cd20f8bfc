/**
 * Benchmark `mm1`: an M/M/1 queue, lambda 0.9, mu 1, on the engine (model in `mmc.ts`).
 *
 * Run: `npx tsx bench/mm1.ts` (size from BENCH_CUSTOMERS).
 */
import { isMainModule, printResult, type QueueResult, readSizes } from "./bench-kit.ts"
import { runQueue } from "./mmc.ts"

/**
 * Runs the `mm1` workload on the engine.
 * @param customers - number of customers
 */
export function runMm1(customers: number): QueueResult {
  return runQueue({ workload: "mm1", customers, servers: 1, lambda: 0.9, mu: 1 })
}

if (isMainModule(import.meta.url)) printResult(runMm1(readSizes().customers))
