/**
 * A sim's fault flags from one declaration: `--faults '<json>'` plus shorthand flags such as
 * `--pause-at 450 --pause-ms 150`, each shorthand fault declared as data (its kind, the node it
 * hits, which flags give its times), so no sim writes its own merging, validation or error text.
 *
 * ```ts
 * const FAULTS = faultFlags({
 *   description: "more faults, as a JSON fault plan over monitor, n1, n2, n3",
 *   nodesText: "monitor, n1, n2, n3", nodes: ["monitor", "n1", "n2", "n3"], example: '{"faults":[]}',
 *   shorthand: [{ kind: "crash", node: "n3", at: { flag: "crashAt", description: "when n3 crashes", default: 1550 } }],
 * })
 * const flags = { ...FAULTS.shorthandFlags, durationMs: ..., faults: FAULTS.faults }
 * // constraints: [FAULTS.constraint((params) => ({ untilMs: params.durationMs }))]
 * // in run: const plan = FAULTS.plan(params, { untilMs: params.durationMs })
 * ```
 *
 * The plan of a run is the shorthand faults, in the order declared, followed by the `--faults`
 * plan's faults, healing at its `healAt`. Turning a shorthand fault off: a duration of 0; with
 * `never` (e.g. -1) declared, a time below 0; with the run's end (`untilMs`) given, a time at or
 * after it. The times are ms of simulated time.
 *
 * With `swarm` declared there is a `--swarm` flag too (`FAULTS.swarm`): it turns the shorthand
 * faults off and adds the faults the run's seed draws (swarm testing, `addSwarm` in
 * `src/check/swarm.ts`) after the `--faults` plan's; `FAULTS.runPlan(params, seed, context)` gives
 * that plan and the line saying what the seed drew, for the report.
 *
 * Left out: shorthand for clock and link faults (the JSON plan has them).
 */
import { addSwarm } from "../check/swarm.ts"
import type { Fault, FaultPlan, FaultPlanResult } from "../net/index.ts"
import { parseFaultPlan, validateFaultPlan } from "../net/parse-fault-plan.ts"
import type { Constraint } from "./define-sim.ts"
import { faultPlanConstraint, faultPlanFlag, faultPlanHelp, NO_FAULTS_VALUE } from "./fault-plan-flag.ts"
import { flag, type FlagSpec, flagName } from "./flag.ts"

/** A time flag of a shorthand fault, in ms: its param key (camelCase), its meaning, its default. */
export interface ShorthandFlag<K extends string> {
  /** The param key; the flag is its kebab-case form (`pauseAt` → `--pause-at`). */
  readonly flag: K
  /** What the value means, for `--help` (say what turns the fault off). */
  readonly description: string
  /** The default value, in ms. */
  readonly default: number
}

/** A node that pauses at `at` for `durationMs` (0: no pause). */
export interface ShorthandPause<K extends string> {
  readonly kind: "pause"
  readonly node: string
  readonly at: ShorthandFlag<K>
  readonly durationMs: ShorthandFlag<K>
}

/**
 * A node cut off from every other node at `at`, until `at + durationMs` (0: no partition), or
 * until `healAt` (below 0: `healAfterMs` after it starts).
 */
export type ShorthandPartition<K extends string> =
  | {
      readonly kind: "partition"
      readonly node: string
      readonly at: ShorthandFlag<K>
      readonly durationMs: ShorthandFlag<K>
    }
  | {
      readonly kind: "partition"
      readonly node: string
      readonly at: ShorthandFlag<K>
      readonly healAt: ShorthandFlag<K>
      readonly healAfterMs: number
    }

/**
 * A node that crashes at `at`. With `restartAt`: it restarts then if that is after `at`, and
 * otherwise never (`restart: false`); without: the plan's `healAt` decides, as for any crash.
 */
export interface ShorthandCrash<K extends string> {
  readonly kind: "crash"
  readonly node: string
  readonly at: ShorthandFlag<K>
  readonly restartAt?: ShorthandFlag<K>
}

/** One shorthand fault, declared as data. */
export type ShorthandFault<K extends string> = ShorthandPause<K> | ShorthandPartition<K> | ShorthandCrash<K>

/** Options of {@link faultFlags}. */
export interface FaultFlagsOptions<K extends string> {
  /** What `--faults` adds, e.g. `"more faults, as a JSON fault plan over the brokers b1..bN"`. */
  readonly description: string
  /** The node names a plan may use, in words for `--help`. */
  readonly nodesText: string
  /** The nodes, when they are fixed (then `--faults` checks them itself); else give them to `plan`. */
  readonly nodes?: readonly string[]
  /** A complete example value of `--faults` for `--help`. */
  readonly example: string
  /** The shorthand faults, in the order their flags are listed and their faults planned. */
  readonly shorthand: readonly ShorthandFault<K>[]
  /**
   * The value of a time flag that means "never" (it is the flags' minimum, e.g. -1; any time below
   * 0 turns a fault off). Default: none, times are >= 0.
   */
  readonly never?: number
  /** The largest time a flag accepts, in ms. Default 600,000. */
  readonly maxMs?: number
  /**
   * How an invalid plan's error names the shorthand faults: `(faults[0..N] come from <blame>)`.
   * Default: the flags giving their times, e.g. `--crash-leader-at/--partition-leader-at`.
   */
  readonly blame?: string
  /**
   * Declares `--swarm` (`true`: with the defaults of {@link SwarmFlagOptions}). Default: no such
   * flag.
   */
  readonly swarm?: true | SwarmFlagOptions
}

/** Options of the `--swarm` flag of {@link faultFlags}. */
export interface SwarmFlagOptions {
  /**
   * What `--swarm` does, for `--help`. Default: `draw the faults from the seed (swarm testing)
   * instead of the pause/crash flags`, naming the kinds of the shorthand faults in declaration order.
   */
  readonly description?: string
  /** The nodes the drawn faults hit. Default: the context's `nodes`, else the declared `nodes`. */
  readonly nodes?: readonly string[]
  /**
   * Without a `healAt` in `--faults`, the fraction of the run (`untilMs`) during which the drawn
   * faults strike; then every fault heals. Default 2/3 (`addSwarm`'s).
   */
  readonly phase?: number
}

/**
 * The params a fault plan is read from: every shorthand flag's value, `--faults` and, when
 * declared, `--swarm`.
 */
export type FaultFlagParams<K extends string> = { readonly [key in K]: number } & {
  readonly faults: string
  readonly swarm?: boolean
}

/** What a plan depends on besides the flags. */
export interface FaultPlanContext {
  /** The nodes a plan may name. Default: the declared `nodes` (none declared: any name). */
  readonly nodes?: readonly string[]
  /** The run's end, in ms: a shorthand fault at or after it is off. Default: none. */
  readonly untilMs?: number
  /** Use the shorthand faults (false: only `--faults`). Default: true, false with `--swarm` given. */
  readonly shorthand?: boolean
}

/** A run's whole fault plan, and with `--swarm` the line saying what the seed drew. */
export interface RunFaultPlan {
  /** The plan to apply. */
  readonly plan: FaultPlan
  /** With `--swarm`: what the seed drew, e.g. `swarm seed=13 (4 nodes, 2000ms): crash off, ...`. */
  readonly swarmLine?: string
}

/** What {@link faultFlags} gives a sim. */
export interface FaultFlags<K extends string> {
  /** The shorthand flags, in declaration order (at, then duration, restart or heal). */
  readonly shorthandFlags: { readonly [key in K]: FlagSpec<number> }
  /** The `--faults` flag: a JSON plan, validated on its own, with its format in `--help`. */
  readonly faults: FlagSpec<string>
  /** The fault-plan format, as `--help` prints it after the flags (every kind and field). */
  readonly help: readonly string[]
  /** The flags that give a fault's time (at, restartAt, healAt), named by the constraint. */
  readonly timeFlags: readonly K[]
  /** The shorthand faults the params turn on, in declaration order. */
  shorthandFaults(params: FaultFlagParams<K>, context?: FaultPlanContext): Fault[]
  /** The whole plan, or the error naming what is wrong (in the JSON, or a shorthand fault after its healAt). */
  check(params: FaultFlagParams<K>, context?: FaultPlanContext): FaultPlanResult
  /** The whole plan; throws when it is invalid (the sim's {@link FaultFlags.constraint} refuses those first). */
  plan(params: FaultFlagParams<K>, context?: FaultPlanContext): FaultPlan
  /** The cross-flag constraint: the whole plan is valid; its message is the plan reader's sentence. */
  constraint<P extends FaultFlagParams<K>>(contextOf?: (params: P) => FaultPlanContext): Constraint<P>
  /**
   * The run's plan: {@link FaultFlags.plan}, plus with `--swarm` the faults `seed` draws after it
   * (they strike until the plan's `healAt`, or during the first `phase` of the run, then heal) and
   * the line describing them. `--swarm` needs the run's end, `context.untilMs`.
   */
  runPlan(params: FaultFlagParams<K>, seed: number, context?: FaultPlanContext): RunFaultPlan
}

/** What {@link faultFlags} adds with `swarm` declared. */
export interface SwarmFaultFlags {
  /** The `--swarm` flag: draw the faults from the seed instead of the shorthand flags. Default false. */
  readonly swarm: FlagSpec<boolean>
}

/** Declares a sim's fault flags: see the file header. */
export function faultFlags<const K extends string>(
  options: FaultFlagsOptions<K> & { readonly swarm: true | SwarmFlagOptions },
): FaultFlags<K> & SwarmFaultFlags
export function faultFlags<const K extends string>(options: FaultFlagsOptions<K>): FaultFlags<K>
export function faultFlags<const K extends string>(options: FaultFlagsOptions<K>): FaultFlags<K> {
  const timeFlags = options.shorthand.flatMap((fault) => [fault.at, ...laterTimes(fault)].map((time) => time.flag))
  const shorthandFlags = shorthandFlagSpecs(options)
  const blame =
    options.blame ??
    options.shorthand.map((fault) => `--${flagName(fault.at.flag, shorthandFlags[fault.at.flag])}`).join("/")
  const swarm = options.swarm === true ? {} : options.swarm
  const swarmOn = (params: FaultFlagParams<K>): boolean => swarm !== undefined && params.swarm === true
  const shorthandFaults = (params: FaultFlagParams<K>, context: FaultPlanContext = {}): Fault[] =>
    (context.shorthand ?? !swarmOn(params))
      ? options.shorthand.flatMap((fault) => faultOf(fault, params, context.untilMs))
      : []
  const check = (params: FaultFlagParams<K>, context: FaultPlanContext = {}): FaultPlanResult =>
    mergePlans(shorthandFaults(params, context), params.faults, context.nodes ?? options.nodes, blame)
  const plan = (params: FaultFlagParams<K>, context?: FaultPlanContext): FaultPlan => {
    const result = check(params, context)
    if (!result.ok) throw new Error(`the constraints let an invalid fault plan through: ${result.error}`)
    return result.plan
  }
  return {
    shorthandFlags,
    ...(swarm === undefined ? {} : { swarm: swarmFlag(swarm, options.shorthand) }),
    faults: faultPlanFlag(options),
    help: faultPlanHelp(options.nodesText, options.example),
    timeFlags,
    shorthandFaults,
    check,
    plan,
    constraint<P extends FaultFlagParams<K>>(contextOf?: (params: P) => FaultPlanContext): Constraint<P> {
      // The durations too: a pause or partition of 1e-320 ms ends at its start, which the plan refuses.
      const durationFlags = options.shorthand.flatMap((fault) => ("durationMs" in fault ? [fault.durationMs.flag] : []))
      const named = ["faults", ...timeFlags, ...durationFlags] as (keyof P & string)[]
      return faultPlanConstraint<P>(named, (params) => check(params, contextOf?.(params)))
    },
    runPlan(params, seed, context = {}) {
      const fromFlags = plan(params, context)
      if (swarm === undefined || !swarmOn(params)) return { plan: fromFlags }
      if (context.untilMs === undefined) throw new Error("--swarm needs the run's end: give untilMs in the context")
      const nodes = swarm.nodes ?? context.nodes ?? options.nodes
      if (nodes === undefined) throw new Error("--swarm needs the nodes: declare them or give them in the context")
      const config = { nodes, untilMs: context.untilMs, ...(swarm.phase === undefined ? {} : { phase: swarm.phase }) }
      const drawn = addSwarm(fromFlags, seed, config)
      return { plan: drawn.plan, swarmLine: drawn.description }
    },
  }
}

/** The `--swarm` flag: its description names the shorthand faults' kinds unless one is given. */
function swarmFlag<K extends string>(
  swarm: SwarmFlagOptions,
  shorthand: readonly ShorthandFault<K>[],
): FlagSpec<boolean> {
  const kinds = [...new Set(shorthand.map((fault) => fault.kind))].join("/")
  const description = swarm.description ?? `draw the faults from the seed (swarm testing) instead of the ${kinds} flags`
  return flag.boolean({ description, default: false })
}

/** The time flags of a fault after its `at`: a restart or a heal. */
function laterTimes<K extends string>(fault: ShorthandFault<K>): ShorthandFlag<K>[] {
  if (fault.kind === "crash") return fault.restartAt === undefined ? [] : [fault.restartAt]
  return "healAt" in fault ? [fault.healAt] : []
}

function shorthandFlagSpecs<K extends string>(
  options: FaultFlagsOptions<K>,
): { readonly [key in K]: FlagSpec<number> } {
  const maxMs = options.maxMs ?? 600_000
  const specs: Partial<Record<K, FlagSpec<number>>> = {}
  const time = (declared: ShorthandFlag<K>, min: number): void => {
    specs[declared.flag] = flag.number({
      description: declared.description,
      unit: "ms",
      default: declared.default,
      min,
      max: maxMs,
    })
  }
  for (const fault of options.shorthand) {
    time(fault.at, options.never ?? 0)
    if ("durationMs" in fault) time(fault.durationMs, 0)
    for (const later of laterTimes(fault)) time(later, options.never ?? 0)
  }
  return complete(specs, options.shorthand)
}

/** The specs record, once every declared flag has its spec (checked, so no key is missing). */
function complete<K extends string>(
  specs: Partial<Record<K, FlagSpec<number>>>,
  shorthand: readonly ShorthandFault<K>[],
): { readonly [key in K]: FlagSpec<number> } {
  const missing = shorthand
    .flatMap((fault) => [fault.at, ...laterTimes(fault)])
    .filter((time) => specs[time.flag] === undefined)
  if (missing.length > 0) throw new Error(`fault flags without a spec: ${missing.map((time) => time.flag).join(", ")}`)
  return specs as { readonly [key in K]: FlagSpec<number> }
}

/** The plan fault a shorthand declaration gives for these params, or none when it is turned off. */
function faultOf<K extends string>(
  fault: ShorthandFault<K>,
  params: FaultFlagParams<K>,
  untilMs: number | undefined,
): Fault[] {
  const at = params[fault.at.flag]
  if (at < 0 || (untilMs !== undefined && at >= untilMs)) return []
  const node = fault.node
  switch (fault.kind) {
    case "pause": {
      const durationMs = params[fault.durationMs.flag]
      return durationMs > 0 ? [{ kind: "pause", node, at, durationMs }] : []
    }
    case "partition": {
      if ("healAt" in fault) {
        const healAt = params[fault.healAt.flag]
        return [{ kind: "partition", groups: [[node]], at, healAt: healAt >= 0 ? healAt : at + fault.healAfterMs }]
      }
      const durationMs = params[fault.durationMs.flag]
      return durationMs > 0 ? [{ kind: "partition", groups: [[node]], at, healAt: at + durationMs }] : []
    }
    case "crash": {
      if (fault.restartAt === undefined) return [{ kind: "crash", node, at }]
      const restartAt = params[fault.restartAt.flag]
      return [restartAt > at ? { kind: "crash", node, at, restartAt } : { kind: "crash", node, at, restart: false }]
    }
  }
}

/**
 * The shorthand faults followed by the JSON plan's faults (`json` empty or `none`: none), healing
 * at the JSON plan's `healAt`, validated over `nodes`; an error blames the shorthand flags when
 * there are shorthand faults.
 */
function mergePlans(
  own: readonly Fault[],
  json: string,
  nodes: readonly string[] | undefined,
  blame: string,
): FaultPlanResult {
  const validation = nodes === undefined ? {} : { nodes }
  let extra: FaultPlan = { faults: [] }
  if (json.trim() !== "" && json.trim() !== NO_FAULTS_VALUE) {
    const parsed = parseFaultPlan(json, validation)
    if (!parsed.ok) return parsed
    extra = parsed.plan
  }
  const plan: FaultPlan = {
    faults: [...own, ...extra.faults],
    ...(extra.healAt === undefined ? {} : { healAt: extra.healAt }),
  }
  const checked = validateFaultPlan(plan, validation)
  if (checked.ok || own.length === 0) return checked
  return { ok: false, error: `${checked.error} (faults[0..${own.length - 1}] come from ${blame})` }
}
