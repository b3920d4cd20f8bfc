/**
 * Ceiling for `mm2`: M/M/2, lambda 1.8, mu 1, on the minimal loop (model in `mmc.ts`).
 *
 * Run: `npx tsx bench/baseline/mm2.ts` (size from BENCH_CUSTOMERS).
 */
import { isMainModule, printResult, type QueueResult, readSizes } from "../bench-kit.ts"
import { runQueue } from "./mmc.ts"

/**
 * Runs the `mm2` workload on the baseline loop.
 * @param customers - number of customers
 */
export function runMm2(customers: number): QueueResult {
  return runQueue({ workload: "mm2", customers, servers: 2, lambda: 1.8, mu: 1 })
}

if (isMainModule(import.meta.url)) printResult(runMm2(readSizes().customers))
