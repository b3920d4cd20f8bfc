/**
 * Swarm testing of faults (TigerBeetle's `options_swarm`): from one seed, decide which whole kinds
 * of fault are on in this run and how often and how long they strike, then draw a fault plan.
 *
 * Why: a uniform mix of every fault at moderate rates rarely produces the extreme runs that find
 * bugs — a storm of crashes with no partitions, or long partitions with no crashes at all. Turning
 * kinds off per seed makes each run a different "weather", and across seeds every combination gets
 * its turn (Groce et al., "Swarm Testing", ISSTA 2012).
 *
 * Invariants: the options and the plan are functions of the seed and the config only (drawn from
 * the kernel's seeded streams, never a clock); each kind draws from its own stream, so switching
 * one kind on or off never changes another kind's faults; options are plain JSON data, printable
 * with {@link describeSwarm} so a sim can echo them before it runs.
 *
 * Left out: shrinking. A swarm plan is for wide exploration from a seed (`--swarm 7`); to shrink a
 * failure, hand its plan to the property harness or write it down as a scenario.
 */
import { seededStream } from "../kernel/random.ts"
import { FAULT_KINDS, type Fault, type FaultPlan } from "../net/fault-plan.ts"
import type { FaultKind } from "./fault-plan-arbitrary.ts"

/** What the swarm decided for one kind of fault. */
export interface SwarmKindOptions {
  /** Whether faults of this kind happen at all in this run. */
  readonly enabled: boolean
  /** Expected number of faults of this kind over the fault phase (a Poisson process); 0 when off. */
  readonly meanCount: number
  /** Mean duration of a crash, pause, partition or link fault, in ms (exponential, at least 1); 0 when off and for clock faults. */
  readonly meanDurationMs: number
  /** Link faults: drop probability (omitted: no drops). */
  readonly dropProbability?: number
  /** Link faults: duplicate probability (omitted: no duplicates). */
  readonly duplicateProbability?: number
  /** Link faults: extra delay, in ms (omitted: none). */
  readonly extraDelayMs?: number
  /** Clock faults: largest jump, in ms. */
  readonly maxSkewMs?: number
  /** Clock faults: largest drift rate (0.01 = 1%). */
  readonly maxDriftRate?: number
}

/** Everything a swarm run decided: plain data that draws the same plan again. */
export interface SwarmOptions {
  readonly seed: number
  readonly nodes: readonly string[]
  readonly horizonMs: number
  /** Whether the plan has a healing phase from `horizonMs`. */
  readonly heal: boolean
  /** Crash faults lose the disk with this probability. */
  readonly diskLossProbability: number
  /** One entry per kind, in {@link FAULT_KINDS} order. */
  readonly kinds: Readonly<Record<FaultKind, SwarmKindOptions>>
}

/** Options of {@link swarmOptions}. */
export interface SwarmConfig {
  /** The nodes faults may target. Required, non-empty. */
  readonly nodes: readonly string[]
  /** End of the fault phase, in ms. Required, an integer >= 1. */
  readonly horizonMs: number
  /** The kinds the swarm may turn on. Default: every kind the node count allows. */
  readonly kinds?: readonly FaultKind[]
  /** Probability that each kind is on. Default 0.5. */
  readonly kindProbability?: number
  /** Largest expected number of faults of one kind per run. Default 4. */
  readonly maxMeanCount?: number
  /** Largest mean fault duration, in ms. Default `horizonMs / 4` (at least 1). */
  readonly maxMeanDurationMs?: number
  /** Add a healing phase from `horizonMs`, ending every fault by then. Default true. */
  readonly heal?: boolean
  /** Probability that a crash loses the disk. Default 0. */
  readonly diskLossProbability?: number
}

const OFF: SwarmKindOptions = { enabled: false, meanCount: 0, meanDurationMs: 0 }

/** Most faults of one kind in a drawn plan, whatever the rate: keeps a plan printable. */
const MAX_FAULTS_PER_KIND = 50

/** `value` rounded to `decimals` places, as the double nearest that decimal (so it prints short). */
function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals
  return Math.round(value * scale) / scale
}

function twoDecimals(value: number): number {
  return roundTo(value, 2)
}

/**
 * Decides, from `seed`, which fault kinds are on and their rates, durations and magnitudes.
 * @throws RangeError for an empty node set or a bad horizon
 */
export function swarmOptions(seed: number, config: SwarmConfig): SwarmOptions {
  if (config.nodes.length === 0) throw new RangeError("swarm needs at least one node")
  if (!Number.isInteger(config.horizonMs) || config.horizonMs < 1) {
    throw new RangeError(`horizonMs must be an integer >= 1, got ${config.horizonMs}`)
  }
  const allowed = new Set(config.kinds ?? FAULT_KINDS)
  const kindProbability = config.kindProbability ?? 0.5
  const maxMeanCount = config.maxMeanCount ?? 4
  const maxMeanDurationMs = Math.max(1, config.maxMeanDurationMs ?? Math.floor(config.horizonMs / 4))
  const kinds = {} as Record<FaultKind, SwarmKindOptions>
  for (const kind of FAULT_KINDS) {
    const random = seededStream(seed, `swarm/${kind}`)
    const possible = allowed.has(kind) && (config.nodes.length >= 2 || (kind !== "partition" && kind !== "link"))
    if (!random.bernoulli(kindProbability) || !possible) {
      kinds[kind] = OFF
      continue
    }
    const meanCount = Math.max(0.1, roundTo(random.uniform(0, maxMeanCount), 1))
    // Log-uniform: short blips and long outages are equally likely scales.
    const meanDurationMs = Math.max(1, Math.round(Math.exp(random.uniform(0, Math.log(maxMeanDurationMs)))))
    let extra: Partial<SwarmKindOptions> = {}
    if (kind === "link") {
      const drop = random.bernoulli(0.5) ? { dropProbability: twoDecimals(random.uniform(0.05, 1)) } : {}
      const duplicate = random.bernoulli(0.5) ? { duplicateProbability: twoDecimals(random.uniform(0.05, 1)) } : {}
      const delay = random.bernoulli(0.5) ? { extraDelayMs: random.integer(1, meanDurationMs) } : {}
      extra = { ...drop, ...duplicate, ...delay }
      if (Object.keys(extra).length === 0) extra = { dropProbability: 1 }
    } else if (kind === "clock") {
      extra = { maxSkewMs: random.integer(1, 1000), maxDriftRate: roundTo(random.uniform(0.001, 0.05), 3) }
    }
    // Clock faults have no duration (a jump or a drift lasts until the heal); the draw is kept so
    // the stream's later draws do not depend on the kind.
    kinds[kind] = { enabled: true, meanCount, meanDurationMs: kind === "clock" ? 0 : meanDurationMs, ...extra }
  }
  return {
    seed,
    nodes: [...config.nodes],
    horizonMs: config.horizonMs,
    heal: config.heal ?? true,
    diskLossProbability: config.diskLossProbability ?? 0,
    kinds,
  }
}

/** Draws the fault plan the options describe (the same plan for the same options). */
export function swarmFaultPlan(options: SwarmOptions): FaultPlan {
  const faults: { fault: Fault; order: number }[] = []
  FAULT_KINDS.forEach((kind, kindIndex) => {
    const settings = options.kinds[kind]
    if (!settings.enabled) return
    const random = seededStream(options.seed, `swarm-plan/${kind}`)
    const rate = settings.meanCount / options.horizonMs
    let t = 0
    for (let count = 0; count < MAX_FAULTS_PER_KIND; count++) {
      t += random.exponential(rate)
      if (t >= options.horizonMs) break
      const at = Math.floor(t)
      const durationMs = kind === "clock" ? 0 : Math.max(1, Math.round(random.exponential(1 / settings.meanDurationMs)))
      const endAt = options.heal ? Math.min(at + durationMs, options.horizonMs) : at + durationMs
      faults.push({ fault: drawFault(kind, random, options, settings, at, endAt), order: kindIndex })
    }
  })
  const sorted = faults.sort((a, b) => a.fault.at - b.fault.at || a.order - b.order).map(({ fault }) => fault)
  return options.heal ? { faults: sorted, healAt: options.horizonMs } : { faults: sorted }
}

function drawFault(
  kind: FaultKind,
  random: ReturnType<typeof seededStream>,
  options: SwarmOptions,
  settings: SwarmKindOptions,
  at: number,
  endAt: number,
): Fault {
  const nodes = options.nodes
  switch (kind) {
    case "crash": {
      const node = random.pick(nodes)
      const diskLoss = options.diskLossProbability > 0 && random.bernoulli(options.diskLossProbability)
      return { kind, node, at, restartAt: endAt, ...(diskLoss ? { diskLoss: true } : {}) }
    }
    case "pause":
      return { kind, node: random.pick(nodes), at, durationMs: endAt - at }
    case "partition": {
      const shuffled = random.shuffle(nodes)
      const side = new Set(shuffled.slice(0, random.integer(1, nodes.length - 1)))
      const groups = [nodes.filter((node) => side.has(node)), nodes.filter((node) => !side.has(node))]
      return { kind, groups, at, healAt: endAt, ...(random.bernoulli(0.25) ? { oneWay: true } : {}) }
    }
    case "clock": {
      const maxSkewMs = settings.maxSkewMs ?? 0
      const maxDriftRate = settings.maxDriftRate ?? 0
      const skewMs = random.integer(-maxSkewMs, maxSkewMs)
      const driftRate = roundTo(random.uniform(-maxDriftRate, maxDriftRate), 3)
      return {
        kind,
        node: random.pick(nodes),
        at,
        ...(skewMs !== 0 ? { skewMs } : {}),
        ...(driftRate !== 0 ? { driftRate } : {}),
      }
    }
    case "link": {
      const from = random.pick(nodes)
      const to = random.pick(nodes.filter((node) => node !== from))
      const { dropProbability, duplicateProbability, extraDelayMs } = settings
      return {
        kind,
        from,
        to,
        at,
        until: endAt,
        ...(dropProbability !== undefined ? { dropProbability } : {}),
        ...(duplicateProbability !== undefined ? { duplicateProbability } : {}),
        ...(extraDelayMs !== undefined ? { extraDelayMs } : {}),
      }
    }
  }
}

/**
 * The options as one line, e.g. `swarm seed=7 (3 nodes, 1000ms): crash on (~1.5 per run, ~120ms),
 * pause off, partition on (~0.8 per run, ~300ms), clock off, link off`.
 */
export function describeSwarm(options: SwarmOptions): string {
  const parts = FAULT_KINDS.map((kind) => {
    const s = options.kinds[kind]
    if (!s.enabled) return `${kind} off`
    const details = [`~${s.meanCount} per run`]
    if (kind !== "clock") details.push(`~${s.meanDurationMs}ms`)
    if (s.dropProbability !== undefined) details.push(`drop ${Math.round(s.dropProbability * 100)}%`)
    if (s.duplicateProbability !== undefined) details.push(`duplicate ${Math.round(s.duplicateProbability * 100)}%`)
    if (s.extraDelayMs !== undefined) details.push(`delay +${s.extraDelayMs}ms`)
    if (s.maxSkewMs !== undefined) details.push(`skew up to ${s.maxSkewMs}ms`)
    if (s.maxDriftRate !== undefined) details.push(`drift up to ${twoDecimals(s.maxDriftRate * 100)}%`)
    return `${kind} on (${details.join(", ")})`
  })
  return `swarm seed=${options.seed} (${options.nodes.length} nodes, ${options.horizonMs}ms): ${parts.join(", ")}`
}

/** Swarm options and their plan in one call: `swarm(7, { nodes, horizonMs })`. */
export function swarm(seed: number, config: SwarmConfig): { readonly options: SwarmOptions; readonly plan: FaultPlan } {
  const options = swarmOptions(seed, config)
  return { options, plan: swarmFaultPlan(options) }
}

/** Where {@link addSwarm} draws its faults. */
export interface AddSwarmConfig {
  /** The nodes faults may target. Required, non-empty. */
  readonly nodes: readonly string[]
  /** The run's end, in ms. Required, > 0. */
  readonly untilMs: number
  /** Without a `healAt` in the plan, the fraction of the run during which faults strike. Default 2/3. */
  readonly phase?: number
}

/**
 * `plan` with the faults `seed` draws added after its own: they strike until the plan's `healAt`,
 * or, when it has none, during the first `phase` of the run (then everything heals, so a run can
 * show recovery); also the line that says what the seed drew ({@link describeSwarm}).
 */
export function addSwarm(
  plan: FaultPlan,
  seed: number,
  config: AddSwarmConfig,
): { readonly plan: FaultPlan; readonly description: string } {
  const healAt = Math.max(1, Math.floor(plan.healAt ?? config.untilMs * (config.phase ?? 2 / 3)))
  const drawn = swarm(seed, { nodes: config.nodes, horizonMs: healAt, heal: true })
  return { plan: { faults: [...plan.faults, ...drawn.plan.faults], healAt }, description: describeSwarm(drawn.options) }
}
