/**
 * `--faults '<json>'`: the flag through which a sim takes a fault plan (see `src/net/fault-plan.ts`),
 * declared the same way by every sim that has one, with the format documented in its `--help`.
 *
 * The flag's own check reads the JSON and validates the plan on its own (kinds, fields, times,
 * probabilities, and node names when the sim's nodes do not depend on other flags), so malformed
 * JSON is reported as a bad value of `--faults` (exit 2, naming the flag). What depends on other
 * flags — a node that exists only with more `--clients`, a fault that collides with a shorthand
 * flag's fault — stays a cross-flag constraint of the sim.
 */
import type { FaultPlanResult } from "../net/index.ts"
import { parseFaultPlan } from "../net/parse-fault-plan.ts"
import type { Constraint } from "./define-sim.ts"
import { flag, type FlagSpec } from "./flag.ts"

/** The value of a fault-plan flag that means "no faults". */
export const NO_FAULTS_VALUE = "none"

/** Options of {@link faultPlanFlag}. */
export interface FaultPlanFlagOptions {
  /** What the plan is for, e.g. `"more faults, as a JSON fault plan over the brokers b1..bN"`. */
  readonly description: string
  /** The node names a plan may use, in words for `--help` (e.g. `"b1..bN (N = --brokers)"`). */
  readonly nodesText: string
  /** The nodes, when they are fixed; omitted: any name passes here (the sim's constraint checks it). */
  readonly nodes?: readonly string[]
  /** A complete example value for `--help`. */
  readonly example: string
}

/** The fault-plan format, as lines for `--help` (every fault kind and field; times in ms). */
export function faultPlanHelp(nodesText: string, example: string): string[] {
  return [
    `--faults format: none, or a JSON fault plan {"faults":[<fault>, ...], "healAt": T}. Times are ms of`,
    `simulated time; fields marked ? may be left out. Nodes: ${nodesText}.`,
    `  healAt?     start of the healing phase: partitions heal, paused nodes resume, crashed nodes`,
    `              restart (unless restart is false), link faults stop; every fault starts before it`,
    `  crash       {"kind":"crash", "node", "at", "restartAt"?, "restart"?, "diskLoss"?}: the node stops`,
    `              and loses its memory; it restarts at restartAt (> at; default healAt, or never);`,
    `              restart false: down for good; diskLoss true: its disk is wiped too`,
    `  pause       {"kind":"pause", "node", "at", "durationMs"}: the node stalls for durationMs (> 0)`,
    `              without noticing, like a GC or VM pause`,
    `  partition   {"kind":"partition", "groups", "at", "healAt"?, "oneWay"?}: groups is a list of`,
    `              disjoint lists of nodes, e.g. [["a","b"],["c"]]; each group reaches only itself, and`,
    `              nodes in no group form one more group; healAt (> at) ends it (default: the plan's);`,
    `              oneWay true cuts only messages from an earlier group to a later one`,
    `  clock       {"kind":"clock", "node", "at", "skewMs"?, "driftRate"?}: the node's clock jumps by`,
    `              skewMs (negative: back) and runs driftRate fast (> -1; 0.01 = 1% fast)`,
    `  link        {"kind":"link", "from"?, "to"?, "at", "until"?, "dropProbability"?,`,
    `              "duplicateProbability"?, "extraDelayMs"?}: messages from -> to (omitted: any node)`,
    `              are dropped or duplicated with those probabilities (0 to 1) and delayed extraDelayMs`,
    `              (>= 0) more, until until (> at; default: the plan's healAt)`,
    `  Unknown fields are refused. An example:`,
    `  --faults '${example}'`,
  ]
}

/**
 * A `--faults` flag: default `none`, its check validates the JSON plan (see the file header), and
 * `--help` prints the format ({@link faultPlanHelp}).
 */
export function faultPlanFlag(options: FaultPlanFlagOptions): FlagSpec<string> {
  const validation = options.nodes === undefined ? {} : { nodes: options.nodes }
  return flag.string({
    description: options.description,
    unit: "times in ms",
    default: NO_FAULTS_VALUE,
    allowed: 'none, or a JSON fault plan {"faults":[...],"healAt":N} (see the format below)',
    help: faultPlanHelp(options.nodesText, options.example),
    check: (json) => {
      if (json.trim() === NO_FAULTS_VALUE || json.trim() === "") return undefined
      const parsed = parseFaultPlan(json, validation)
      return parsed.ok ? undefined : parsed.error
    },
  })
}

/**
 * The cross-flag check of a sim's whole fault plan — its `--faults` together with the flags the
 * plan depends on (node counts, shorthand faults) — as a constraint: it holds when `plan(params)`
 * is valid, and its message is the plan reader's sentence for the params last checked.
 * @param params - the param keys the plan depends on, named in the error message
 */
export function faultPlanConstraint<P>(
  params: readonly (keyof P & string)[],
  plan: (params: P) => FaultPlanResult,
): Constraint<P> {
  let error = ""
  return {
    params,
    holds: (values) => {
      const result = plan(values)
      error = result.ok ? "" : result.error
      return result.ok
    },
    get message() {
      return error
    },
  }
}
