/**
 * The fault plan of a failure-detector run, from readable shorthand plus an optional JSON plan.
 *
 * Shorthand faults each hit their own node, so their effects never mix: a pause hits `n1`, a
 * partition cuts `n2` off from everyone, a crash hits `n3` for good. A JSON plan (the sims'
 * `--faults '<json>'`) and a swarm plan add to them. The healing phase is the JSON plan's `healAt`.
 *
 * Left out: shorthand for clock and link faults (use the JSON plan).
 */
import { type Fault, type FaultPlan, type FaultPlanResult, parseFaultPlan, validateFaultPlan } from "../../net/index.ts"

import { ALL_NODES } from "./failure-detector-nodes.ts"

/** The node the shorthand pause hits. */
export const PAUSED_NODE = "n1"
/** The node the shorthand partition cuts off. */
export const PARTITIONED_NODE = "n2"
/** The node the shorthand crash hits. */
export const CRASHED_NODE = "n3"

/** Shorthand faults; a zero duration or a time at or after the run's end turns one off. */
export interface ShorthandFaults {
  /** When n1 pauses, in ms. */
  readonly pauseAt: number
  /** How long n1 pauses, in ms; 0: no pause. */
  readonly pauseMs: number
  /** When n2 is cut off, in ms. */
  readonly partitionAt: number
  /** How long n2 is cut off, in ms; 0: no partition. */
  readonly partitionMs: number
  /** When n3 crashes for good, in ms; at or after `durationMs`: no crash. */
  readonly crashAt: number
  /** The run's length, in ms. */
  readonly durationMs: number
}

/** The shorthand faults as plan faults, in time order of kind: pause, partition, crash. */
export function shorthandFaults(shorthand: ShorthandFaults): Fault[] {
  const faults: Fault[] = []
  const { pauseAt, pauseMs, partitionAt, partitionMs, crashAt, durationMs } = shorthand
  if (pauseMs > 0 && pauseAt < durationMs) faults.push({ kind: "pause", node: PAUSED_NODE, at: pauseAt, durationMs: pauseMs })
  if (partitionMs > 0 && partitionAt < durationMs) {
    faults.push({ kind: "partition", groups: [[PARTITIONED_NODE]], at: partitionAt, healAt: partitionAt + partitionMs })
  }
  if (crashAt < durationMs) faults.push({ kind: "crash", node: CRASHED_NODE, at: crashAt })
  return faults
}

/**
 * The plan of a run: the shorthand faults (unless `useShorthand` is false) followed by the JSON
 * plan's faults (`json` empty or `none`: none), healing at the JSON plan's `healAt`. Returns the plan or the
 * error naming what is wrong (in the JSON, or a shorthand fault after the JSON plan's `healAt`).
 */
export function failureDetectorPlan(shorthand: ShorthandFaults, json: string, useShorthand = true): FaultPlanResult {
  let extra: FaultPlan = { faults: [] }
  if (json.trim() !== "" && json.trim() !== "none") {
    const parsed = parseFaultPlan(json, { nodes: ALL_NODES })
    if (!parsed.ok) return parsed
    extra = parsed.plan
  }
  const own = useShorthand ? shorthandFaults(shorthand) : []
  const plan: FaultPlan = { faults: [...own, ...extra.faults], ...(extra.healAt === undefined ? {} : { healAt: extra.healAt }) }
  const checked = validateFaultPlan(plan, { nodes: ALL_NODES })
  if (checked.ok || own.length === 0) return checked
  return { ok: false, error: `${checked.error} (faults[0..${own.length - 1}] come from the shorthand fault flags)` }
}
