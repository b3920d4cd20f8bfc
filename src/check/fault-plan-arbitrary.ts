/**
 * A fast-check arbitrary of fault plans for a node set and a time horizon, built so that a failing
 * plan shrinks toward fewer, later, shorter, weaker faults.
 *
 * How each direction is obtained:
 * - fewer: the faults are an `fc.array`, which shrinks by removing elements;
 * - later: a start time is drawn as `horizonMs - 1 - x` with `x` shrinking to 0, so a fault moves
 *   toward the end of the fault phase, where it disturbs as little of the run as possible;
 * - shorter: durations are `fc.integer`s shrinking to 1 ms;
 * - weaker: a link fault shrinks toward dropping 5% of messages (from a delay or duplication,
 *   and from higher probabilities), a clock fault toward a 1 ms jump, disk loss to false, one-way
 *   partitions to symmetric ones, and the minority side of a partition toward a single node (the
 *   first in `nodes`).
 * A target node shrinks toward the first node of `nodes`, so list the node you expect to matter
 * first if you want counterexamples to read naturally.
 *
 * Invariants: every plan passes `faultPlanProblems(plan, { nodes })` (src/net/parse-fault-plan.ts); times are integers in
 * [0, horizonMs); every fault has an explicit end (restart, heal, until) no later than `healAt`
 * when healing is on; faults are listed in time order.
 *
 * Left out: partitions into three or more groups (two sides find the bugs the lessons need; write
 * such plans by hand), and faults during the healing phase (by definition there are none).
 */
import fc from "fast-check"
import { FAULT_KINDS, type Fault, type FaultPlan } from "../net/fault-plan.ts"

/** A kind of fault: `crash`, `pause`, `partition`, `clock` or `link`. */
export type FaultKind = Fault["kind"]

/** Options of {@link faultPlanArbitrary}. */
export interface FaultPlanArbitraryOptions {
  /** The nodes faults may target, in the order they shrink toward (first = preferred). Required, non-empty. */
  readonly nodes: readonly string[]
  /** End of the fault phase, in ms: faults start in [0, horizonMs). Required, an integer >= 1. */
  readonly horizonMs: number
  /** The kinds of fault to draw. Default: all kinds (partition and link need two nodes or more). */
  readonly kinds?: readonly FaultKind[]
  /** Fewest faults in a plan. Default 0. */
  readonly minFaults?: number
  /** Most faults in a plan. Default 4. */
  readonly maxFaults?: number
  /** Most faults of each kind, per kind; kinds not listed are limited by `maxFaults` only. Default: none. */
  readonly maxPerKind?: Partial<Record<FaultKind, number>>
  /** Longest crash, pause, partition or link fault, in ms. Default `horizonMs`. */
  readonly maxDurationMs?: number
  /**
   * Add a healing phase starting at `horizonMs` (`plan.healAt`), and end every fault by then.
   * Default true.
   */
  readonly heal?: boolean
  /** Crashes may lose the disk (`diskLoss: true`). Default false. */
  readonly diskLoss?: boolean
  /** Largest clock jump, in ms. Default 1000. */
  readonly maxSkewMs?: number
  /** Largest clock drift rate (0.01 = 1% fast or slow), in steps of 0.001. Default 0.05. */
  readonly maxDriftRate?: number
  /** Largest extra delay of a link fault, in ms. Default 1000. */
  readonly maxExtraDelayMs?: number
}

interface Settings {
  readonly nodes: readonly string[]
  readonly horizonMs: number
  readonly maxDurationMs: number
  readonly heal: boolean
  readonly diskLoss: boolean
  readonly maxSkewMs: number
  readonly maxDriftPerMille: number
  readonly maxExtraDelayMs: number
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`)
}

/** A start time in [0, horizonMs) that shrinks toward the latest one. */
function lateTime(horizonMs: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: horizonMs - 1 }).map((x) => horizonMs - 1 - x)
}

/** The end of a fault that starts at `at` and lasts `durationMs`, cut at the heal when healing is on. */
function endOf(settings: Settings, at: number, durationMs: number): number {
  return settings.heal ? Math.min(at + durationMs, settings.horizonMs) : at + durationMs
}

/** A probability in steps of 5%, shrinking toward 5%. */
const probability = fc.integer({ min: 1, max: 20 }).map((k) => k / 20)

function crashArbitrary(s: Settings): fc.Arbitrary<Fault> {
  return fc
    .record({
      node: fc.constantFrom(...s.nodes),
      at: lateTime(s.horizonMs),
      durationMs: fc.integer({ min: 1, max: s.maxDurationMs }),
      diskLoss: s.diskLoss ? fc.boolean() : fc.constant(false),
    })
    .map(({ node, at, durationMs, diskLoss }): Fault => ({
      kind: "crash",
      node,
      at,
      restartAt: endOf(s, at, durationMs),
      ...(diskLoss ? { diskLoss: true } : {}),
    }))
}

function pauseArbitrary(s: Settings): fc.Arbitrary<Fault> {
  return fc
    .record({
      node: fc.constantFrom(...s.nodes),
      at: lateTime(s.horizonMs),
      durationMs: fc.integer({ min: 1, max: s.maxDurationMs }),
    })
    .map(({ node, at, durationMs }): Fault => ({ kind: "pause", node, at, durationMs: endOf(s, at, durationMs) - at }))
}

function partitionArbitrary(s: Settings): fc.Arbitrary<Fault> {
  return fc
    .record({
      // Node indices rather than a subarray, so a side of one node also shrinks toward the first node.
      side: fc
        .uniqueArray(fc.integer({ min: 0, max: s.nodes.length - 1 }), { minLength: 1, maxLength: s.nodes.length - 1 })
        .map((indices) => s.nodes.filter((_node, index) => indices.includes(index))),
      at: lateTime(s.horizonMs),
      durationMs: fc.integer({ min: 1, max: s.maxDurationMs }),
      oneWay: fc.boolean(),
    })
    .map(({ side, at, durationMs, oneWay }): Fault => {
      const rest = s.nodes.filter((node) => !side.includes(node))
      return {
        kind: "partition",
        groups: [side, rest],
        at,
        healAt: endOf(s, at, durationMs),
        ...(oneWay ? { oneWay: true } : {}),
      }
    })
}

function clockArbitrary(s: Settings): fc.Arbitrary<Fault> {
  const magnitude = fc.oneof(
    { withCrossShrink: true },
    fc
      .record({ skewMs: fc.integer({ min: 1, max: s.maxSkewMs }), negative: fc.boolean() })
      .map(({ skewMs, negative }) => ({
        skewMs: negative ? -skewMs : skewMs,
      })),
    fc
      .record({ perMille: fc.integer({ min: 1, max: s.maxDriftPerMille }), negative: fc.boolean() })
      .map(({ perMille, negative }) => ({
        driftRate: (negative ? -perMille : perMille) / 1000,
      })),
  )
  return fc
    .record({ node: fc.constantFrom(...s.nodes), at: lateTime(s.horizonMs), magnitude })
    .map(({ node, at, magnitude }): Fault => ({ kind: "clock", node, at, ...magnitude }))
}

function linkArbitrary(s: Settings): fc.Arbitrary<Fault> {
  const effect = fc.oneof(
    { withCrossShrink: true },
    probability.map((p) => ({ dropProbability: p })),
    probability.map((p) => ({ duplicateProbability: p })),
    fc.integer({ min: 1, max: s.maxExtraDelayMs }).map((ms) => ({ extraDelayMs: ms })),
  )
  // A sender and a different receiver, shrinking toward the first two nodes, without filtering.
  const n = s.nodes.length
  const ends = fc
    .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n - 1 }))
    .map(([i, k]) => [s.nodes[i]!, s.nodes[(i + k) % n]!] as const)
  return fc
    .record({ ends, at: lateTime(s.horizonMs), durationMs: fc.integer({ min: 1, max: s.maxDurationMs }), effect })
    .map(({ ends: [from, to], at, durationMs, effect }): Fault => ({
      kind: "link",
      from,
      to,
      at,
      until: endOf(s, at, durationMs),
      ...effect,
    }))
}

const BUILDERS: Record<FaultKind, (settings: Settings) => fc.Arbitrary<Fault>> = {
  crash: crashArbitrary,
  pause: pauseArbitrary,
  partition: partitionArbitrary,
  clock: clockArbitrary,
  link: linkArbitrary,
}

/**
 * Fault plans over `nodes` within `horizonMs`, shrinking toward fewer, later, shorter, weaker
 * faults (see the file header).
 * @throws RangeError for an empty node set, a bad horizon or count, or a kind that needs more nodes
 */
export function faultPlanArbitrary(options: FaultPlanArbitraryOptions): fc.Arbitrary<FaultPlan> {
  const nodes = options.nodes
  if (nodes.length === 0) throw new RangeError("faultPlanArbitrary needs at least one node")
  if (new Set(nodes).size !== nodes.length) throw new RangeError(`node names must be unique, got ${nodes.join(", ")}`)
  requireInteger("horizonMs", options.horizonMs, 1)
  const minFaults = options.minFaults ?? 0
  const maxFaults = options.maxFaults ?? 4
  requireInteger("minFaults", minFaults, 0)
  requireInteger("maxFaults", maxFaults, minFaults)
  const maxDriftRate = options.maxDriftRate ?? 0.05
  const settings: Settings = {
    nodes,
    horizonMs: options.horizonMs,
    maxDurationMs: options.maxDurationMs ?? options.horizonMs,
    heal: options.heal ?? true,
    diskLoss: options.diskLoss ?? false,
    maxSkewMs: options.maxSkewMs ?? 1000,
    maxDriftPerMille: Math.round(maxDriftRate * 1000),
    maxExtraDelayMs: options.maxExtraDelayMs ?? 1000,
  }
  requireInteger("maxDurationMs", settings.maxDurationMs, 1)
  requireInteger("maxSkewMs", settings.maxSkewMs, 1)
  requireInteger("maxDriftRate * 1000", settings.maxDriftPerMille, 1)
  requireInteger("maxExtraDelayMs", settings.maxExtraDelayMs, 1)
  const needsTwo = (kind: FaultKind): boolean => kind === "partition" || kind === "link"
  const requested = options.kinds ?? FAULT_KINDS.filter((kind) => nodes.length >= 2 || !needsTwo(kind))
  if (requested.length === 0 && maxFaults > 0) throw new RangeError("kinds is empty but maxFaults > 0")
  for (const kind of requested) {
    if (needsTwo(kind) && nodes.length < 2) throw new RangeError(`${kind} faults need at least two nodes`)
  }
  const maxPerKind = options.maxPerKind ?? {}
  const kinds = requested.filter((kind) => (maxPerKind[kind] ?? maxFaults) > 0)
  const capacity = kinds.reduce((sum, kind) => sum + Math.min(maxPerKind[kind] ?? maxFaults, maxFaults), 0)
  if (capacity < minFaults) {
    throw new RangeError(`minFaults is ${minFaults} but kinds and maxPerKind allow at most ${capacity} faults`)
  }
  if (kinds.length === 0) return fc.constant(planOf(settings, []))
  const faults = fc.array(fc.oneof(...kinds.map((kind) => BUILDERS[kind](settings))), {
    minLength: minFaults,
    maxLength: maxFaults,
  })
  const limited =
    Object.keys(maxPerKind).length === 0
      ? faults
      : faults.filter((list) =>
          kinds.every((kind) => list.filter((fault) => fault.kind === kind).length <= (maxPerKind[kind] ?? maxFaults)),
        )
  return limited.map((list) => planOf(settings, list))
}

function planOf(settings: Settings, faults: readonly Fault[]): FaultPlan {
  const sorted = faults
    .map((fault, index) => ({ fault, index }))
    .sort((a, b) => a.fault.at - b.fault.at || a.index - b.index)
    .map(({ fault }) => fault)
  return settings.heal ? { faults: sorted, healAt: settings.horizonMs } : { faults: sorted }
}
