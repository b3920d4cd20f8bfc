/**
 * A toy model for the harness tests, built on the kernel directly and taking its fault plan as
 * data: three nodes a, b, c; faults switch node and link state on and off at their times.
 *
 * The planted bug: data is lost when node a is down while b cannot reach c (b and c on different
 * sides of a partition). Any single fault is harmless; only those two together break the
 * invariant, so a failing plan must shrink to exactly a crash of a and a partition between b and c.
 */
import { Invariants } from "../../src/check/core/index.ts"
import type { CheckResult } from "../../src/check/core/index.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import type { FaultPlan, PartitionFault } from "../../src/net/fault-plan.ts"

/** The toy's nodes, in the order the arbitrary shrinks toward. */
export const TOY_NODES = ["a", "b", "c"] as const

/** The toy's fault phase, in ms. */
export const TOY_HORIZON_MS = 1000

/** What one run of the toy reports. */
export interface ToyRun {
  readonly checks: CheckResult[]
  /** Fault starts and ends, in order: `t=120 crash a`, `t=200 restart a`, ... */
  readonly events: string[]
}

/** Index of the side of `partition` holding `node`; nodes in no group share one more side. */
function sideOf(partition: PartitionFault, node: string): number {
  const index = partition.groups.findIndex((group) => group.includes(node))
  return index < 0 ? partition.groups.length : index
}

/** True when `partition` cuts messages from `from` to `to`. */
function cuts(partition: PartitionFault, from: string, to: string): boolean {
  const a = sideOf(partition, from)
  const b = sideOf(partition, to)
  return partition.oneWay === true ? a < b : a !== b
}

/** Runs the toy under `plan`; with `buggy` false the invariant is never at risk. */
export function runToy(plan: FaultPlan, buggy = true): ToyRun {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const invariants = new Invariants(sim)
  const down = new Set<string>()
  const partitions = new Set<PartitionFault>()
  const events: string[] = []
  const bCannotReachC = (): boolean => [...partitions].some((partition) => cuts(partition, "b", "c"))
  invariants.watch("no-data-loss", () =>
    !buggy || !(down.has("a") && bCannotReachC())
      ? true
      : "a is down while b cannot reach c: the only copy of the data is unreachable",
  )
  const heal = plan.healAt ?? Infinity
  const during = (name: string, at: number, end: number, start: () => void, stop: () => void): void => {
    sim.spawn(
      (function* () {
        yield* sim.sleep(at)
        start()
        events.push(`t=${sim.now} ${name}`)
        invariants.check()
        if (end === Infinity) return
        yield* sim.sleep(end - at)
        stop()
        events.push(`t=${sim.now} end ${name}`)
        invariants.check()
      })(),
    )
  }
  for (const fault of plan.faults) {
    if (fault.kind === "crash") {
      during(
        `crash ${fault.node}`,
        fault.at,
        fault.restartAt ?? heal,
        () => down.add(fault.node),
        () => down.delete(fault.node),
      )
    } else if (fault.kind === "partition") {
      during(
        `partition ${JSON.stringify(fault.groups)}`,
        fault.at,
        fault.healAt ?? heal,
        () => partitions.add(fault),
        () => partitions.delete(fault),
      )
    } else {
      during(
        fault.kind,
        fault.at,
        fault.at + 1,
        () => {},
        () => {},
      )
    }
  }
  sim.run({ until: Math.max(heal, TOY_HORIZON_MS) + 1 })
  return { checks: invariants.results(), events }
}
