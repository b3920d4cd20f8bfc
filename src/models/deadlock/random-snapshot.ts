/**
 * Fresh problems for a class: a banker's snapshot with requests, or a detection snapshot, drawn
 * from a random stream (the sims pass one keyed by `--seed`), small enough to solve by hand.
 *
 * Banker's: each resource type has Total from n to 2n + 2 instances; each process's Max is drawn
 * per type from 0 to Total, its Allocation from 0 to min(Max, what is still free), in process
 * order; three requests follow, each by a random process for 0 to its T0 Need per type (after an
 * earlier grant to the same process such a request may exceed its claim). Detection: Total from 1
 * to n + 1 per type; Allocation 0 to 2 of what is still free; each Request 0 or 1 of each type, within
 * what the process does not already hold.
 */
import type { RandomStream } from "../../kernel/index.ts"
import type { BankersScenarioOptions } from "./bankers-scenario.ts"
import type { DetectionState } from "./deadlock-detection.ts"
import { sumRows, subtractVectors } from "./resource-snapshot.ts"

/** Requests drawn for a random banker's snapshot. */
export const RANDOM_REQUESTS = 3

/** Allocation rows in process order, each count from 0 to min(cap, what is still free). */
function drawAllocation(
  random: RandomStream,
  total: readonly number[],
  cap: (i: number, j: number) => number,
  n: number,
): number[][] {
  const free = [...total]
  return Array.from({ length: n }, (_, i) =>
    total.map((_, j) => {
      const count = random.integer(0, Math.min(cap(i, j), free[j]!))
      free[j]! -= count
      return count
    }),
  )
}

/** A banker's snapshot of `processes` × `resources` with {@link RANDOM_REQUESTS} requests. */
export function randomBankersSnapshot(
  random: RandomStream,
  processes: number,
  resources: number,
): BankersScenarioOptions {
  const total = Array.from({ length: resources }, () => random.integer(processes, 2 * processes + 2))
  const max = Array.from({ length: processes }, () => total.map((t) => random.integer(0, t)))
  const allocation = drawAllocation(random, total, (i, j) => max[i]![j]!, processes)
  const available = subtractVectors(total, sumRows(allocation, resources))
  const requests = Array.from({ length: RANDOM_REQUESTS }, () => {
    const process = random.integer(0, processes - 1)
    const request = max[process]!.map((m, j) => random.integer(0, m - allocation[process]![j]!))
    return { process, request }
  })
  return { available, max, allocation, requests }
}

/** A detection snapshot of `processes` × `resources`. */
export function randomDetectionSnapshot(random: RandomStream, processes: number, resources: number): DetectionState {
  const total = Array.from({ length: resources }, () => random.integer(1, processes + 1))
  const allocation = drawAllocation(random, total, () => 2, processes)
  const available = subtractVectors(total, sumRows(allocation, resources))
  const request = allocation.map((row) => row.map((held, j) => random.integer(0, Math.min(1, total[j]! - held))))
  return { available, allocation, request }
}
