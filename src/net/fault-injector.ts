/**
 * Fault injection: turns a {@link FaultPlan} into faults on a {@link Network} at their times,
 * then heals everything at the plan's `healAt`.
 *
 * The injector is the "simulator" role of TigerBeetle's VOPR: it only breaks things; checkers
 * judge the outcome. Every fault leaves trace records through the node and network methods it
 * calls (`NodeCrashed`, `DiskLost`, `NodeRestarted`, `NodePaused`, `NodeResumed`,
 * `PartitionStarted`, `PartitionHealed`, `ClockSkewed`, `ClockDriftSet`, `LinkFaultStarted`,
 * `LinkFaultStopped`); a fault that changes nothing leaves `FaultSkipped { fault, kind, node, reason }`
 * instead, and the healing phase starts with `HealingStarted`.
 *
 * What overlapping faults do (any valid plan runs; only the model's invariants may fail):
 * - crashing a down node is skipped (its disk is still lost if the fault says so);
 * - restarting an up node is skipped; a restart restarts the node whichever crash brought it down,
 *   except a node crashed with `restart: false`, which no later restart brings back;
 * - pausing a down node is skipped; pausing a paused node extends the pause to the later end;
 *   a crash ends a pause;
 * - clock faults apply to down nodes too (the clock is hardware); healing leaves clocks alone;
 * - partitions and link faults simply add up.
 *
 * Healing, at `healAt`: every partition and link fault of the plan ends, every node the plan paused
 * resumes, every node the plan crashed restarts (unless `restart: false`). A fault whose own end
 * comes later ends at `healAt`. Faults at the same instant apply in plan order, healing last.
 *
 * Left out: faults the model triggers itself (call the node and network methods directly).
 */
import type { NetEvent } from "./net-events.ts"
import type { Simulation } from "../kernel/index.ts"
import {
  type CrashFault,
  type Fault,
  type FaultPlan,
  type LinkFault as LinkFaultSpec,
  NO_FAULTS,
  type PartitionFault,
} from "./fault-plan.ts"
import type { LinkFault } from "./link-fault.ts"
import type { Network } from "./network.ts"
import { validateFaultPlan } from "./parse-fault-plan.ts"
import type { Partition } from "./partition.ts"

/** Thrown by {@link applyFaultPlan} for an invalid plan; the message names the fault, field and value. */
export class FaultPlanError extends Error {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it (see `Timeout` in src/kernel/event.ts). */
  static override get name(): string {
    return "FaultPlanError"
  }

  constructor(message: string) {
    super(message)
    this.name = "FaultPlanError"
  }
}

/**
 * Schedules every fault of `plan` on `network` (whose nodes it must name) and the healing phase.
 * Times are absolute simulated times; a time already past applies at once. Returns the validated
 * copy of the plan that is applied. Without a plan, nothing is scheduled ({@link NO_FAULTS}).
 * @throws FaultPlanError when the plan is invalid (see `parseFaultPlan`), before scheduling anything
 */
export function applyFaultPlan(sim: Simulation, network: Network, plan: FaultPlan = NO_FAULTS): FaultPlan {
  if (network.sim !== sim) throw new Error("applyFaultPlan: the network belongs to another simulation")
  const result = validateFaultPlan(plan, { nodes: network.nodeNames })
  if (!result.ok) throw new FaultPlanError(result.error)
  new FaultInjector(sim, network, result.plan).schedule()
  return result.plan
}

/** The state the injector keeps between a fault and its end or the healing phase. */
class FaultInjector {
  private readonly crashed = new Set<string>()
  private readonly keepDown = new Set<string>()
  private readonly paused = new Set<string>()
  private readonly partitions: Partition[] = []
  private readonly linkFaults: LinkFault[] = []

  constructor(
    private readonly sim: Simulation,
    private readonly network: Network,
    private readonly plan: FaultPlan,
  ) {}

  schedule(): void {
    this.plan.faults.forEach((fault, index) => this.scheduleFault(fault, index))
    const healAt = this.plan.healAt
    if (healAt !== undefined) this.at(healAt, () => this.heal())
  }

  /** True if an end at `end` comes before the healing phase (which otherwise ends the fault). */
  private endsBeforeHeal(end: number | undefined): end is number {
    return end !== undefined && (this.plan.healAt === undefined || end < this.plan.healAt)
  }

  private scheduleFault(fault: Fault, index: number): void {
    switch (fault.kind) {
      case "crash":
        return this.scheduleCrash(fault, index)
      case "pause":
        return this.at(fault.at, () => {
          const healAt = this.plan.healAt
          const durationMs = healAt === undefined ? fault.durationMs : Math.min(fault.durationMs, healAt - this.sim.now)
          if (this.network.node(fault.node).pause(durationMs)) this.paused.add(fault.node)
          else this.skipped(index, fault, "the node is down")
        })
      case "partition":
        return this.schedulePartition(fault)
      case "clock":
        return this.at(fault.at, () => {
          const node = this.network.node(fault.node)
          if (fault.skewMs !== undefined) node.skewClock(fault.skewMs)
          if (fault.driftRate !== undefined) node.setDrift(fault.driftRate)
        })
      case "link":
        return this.scheduleLinkFault(fault)
    }
  }

  private scheduleCrash(fault: CrashFault, index: number): void {
    this.at(fault.at, () => {
      const node = this.network.node(fault.node)
      const crashed = node.crash()
      if (fault.diskLoss === true) node.loseDisk()
      if (!crashed) this.skipped(index, fault, "the node is already down")
      this.crashed.add(fault.node)
      if (fault.restart === false) this.keepDown.add(fault.node)
    })
    if (this.endsBeforeHeal(fault.restartAt)) this.at(fault.restartAt, () => this.restart(fault.node, index, fault))
  }

  private restart(name: string, index: number, fault: Fault): void {
    if (this.keepDown.has(name))
      return this.skipped(index, fault, "the node was crashed for good (restart: false)", "restart")
    if (!this.network.node(name).restart()) this.skipped(index, fault, "the node is already up", "restart")
  }

  private schedulePartition(fault: PartitionFault): void {
    let partition: Partition | undefined
    this.at(fault.at, () => {
      partition = this.network.partition(fault.groups, { oneWay: fault.oneWay ?? false })
      this.partitions.push(partition)
    })
    if (this.endsBeforeHeal(fault.healAt)) this.at(fault.healAt, () => partition?.heal())
  }

  private scheduleLinkFault(fault: LinkFaultSpec): void {
    let linkFault: LinkFault | undefined
    this.at(fault.at, () => {
      linkFault = this.network.addLinkFault({
        ...(fault.from === undefined ? {} : { from: fault.from }),
        ...(fault.to === undefined ? {} : { to: fault.to }),
        dropProbability: fault.dropProbability ?? 0,
        duplicateProbability: fault.duplicateProbability ?? 0,
        extraDelayMs: fault.extraDelayMs ?? 0,
      })
      this.linkFaults.push(linkFault)
    })
    if (this.endsBeforeHeal(fault.until)) this.at(fault.until, () => linkFault?.stop())
  }

  private heal(): void {
    this.sim.trace.record<NetEvent>({ type: "HealingStarted" })
    for (const partition of this.partitions) partition.heal()
    for (const linkFault of this.linkFaults) linkFault.stop()
    for (const name of this.paused) this.network.node(name).resume()
    for (const name of this.crashed) if (!this.keepDown.has(name)) this.network.node(name).restart()
  }

  private skipped(index: number, fault: Fault, reason: string, what: string = fault.kind): void {
    const node = "node" in fault ? fault.node : null
    this.sim.trace.record<NetEvent>({ type: "FaultSkipped", fault: index, kind: what, node, reason })
  }

  /** Runs `fn` at simulated time `at` (now, after this call returns, if `at` is not in the future). */
  private at(at: number, fn: () => void): void {
    this.sim.timeout(Math.max(0, at - this.sim.now)).onProcessed(fn)
  }
}
