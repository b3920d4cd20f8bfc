/**
 * The deadlock lessons compute their answers with pure functions (`bankers.ts`,
 * `deadlock-detection.ts`) and then tell them on the simulation's clock: one step of an algorithm
 * per unit of simulated time ("steps"), each step's facts recorded as typed trace events, so the
 * timeline, `--trace` and `--perfetto` show the algorithm as it goes.
 */
import type { ProcessGenerator, Simulation, TraceEvent, TraceOf } from "../../kernel/index.ts"
import type { Vector } from "./resource-snapshot.ts"
import { processName } from "./resource-snapshot.ts"
import type { ScanResult } from "./bankers.ts"
import type { ProcessFinished, ScanEnded, ScanStarted } from "./deadlock-events.ts"

/** Spawns a process in `sim` that records `steps[k]` at t = k + 1, one step per time unit. */
export function narrateSteps<E extends TraceEvent>(
  sim: Simulation,
  trace: TraceOf<E>,
  steps: readonly (readonly E[])[],
): void {
  function* narrator(): ProcessGenerator<void> {
    for (const step of steps) {
      yield* sim.sleep(1)
      for (const event of step) trace.record(event)
    }
  }
  sim.spawn(narrator(), "narrator")
}

/** A scan told as steps: its start, each process taken, its end. */
export function scanSteps(
  context: string,
  algorithm: "safety" | "detection",
  available: Vector,
  scan: ScanResult & { readonly idle?: readonly number[]; readonly order: readonly number[] },
): (ScanStarted | ProcessFinished | ScanEnded)[][] {
  const started: ScanStarted = {
    type: "ScanStarted",
    context,
    algorithm,
    work: available,
    idle: (scan.idle ?? []).map(processName),
  }
  const taken: ProcessFinished[][] = scan.steps.map((step) => [
    {
      type: "ProcessFinished",
      process: processName(step.process),
      algorithm,
      pass: step.pass,
      demand: step.demand,
      work: step.work,
      workAfter: step.workAfter,
    },
  ])
  const ended: ScanEnded = {
    type: "ScanEnded",
    context,
    order: scan.order.map(processName),
    left: scan.left.map(processName),
  }
  return [[started], ...taken, [ended]]
}
