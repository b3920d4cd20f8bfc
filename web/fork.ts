/**
 * Fork here (docs/playground.md): the same run with one more fault at the slider's instant. A run
 * is deterministic, so the fork is the same seed and flags with the fault added to `--faults`, and
 * what differs between the two is what the fault did. Pure: the fault, the new `--faults` value,
 * and what changed between two JSON reports.
 */
import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"
import type { JsonReport } from "../src/cli/json-report.ts"

/** The kinds of fault a fork adds (from the fault-plan vocabulary every `--faults` flag reads). */
export const FORK_KINDS = ["pause", "crash", "partition"] as const

/** A kind of fault a fork adds. */
export type ForkKind = (typeof FORK_KINDS)[number]

/**
 * True when the sim takes a fault plan: it has a `--faults` flag of the shared kind
 * (`faultPlanFlag`, whose help starts with the plan's format).
 */
export function takesFaultPlan(definition: SimDefinition<FlagSpecs>): boolean {
  const spec = (definition.flags as Record<string, FlagSpecs[string] | undefined>).faults
  return spec !== undefined && spec.kind === "string" && (spec.help?.[0] ?? "").startsWith("--faults format")
}

/**
 * The fault: `node` paused for `durationMs`; crashed and restarted `durationMs` later (0: down
 * for good); or cut off from every other node for `durationMs` (a partition with it alone in a
 * group). Times in ms, as `--faults` takes them.
 */
export function forkFault(kind: ForkKind, node: string, at: number, durationMs: number): Record<string, unknown> {
  switch (kind) {
    case "pause":
      return { kind, node, at, durationMs }
    case "crash":
      return durationMs > 0 ? { kind, node, at, restartAt: at + durationMs } : { kind, node, at, restart: false }
    case "partition":
      return { kind, groups: [[node]], at, healAt: at + durationMs }
  }
}

/**
 * The `--faults` value with `fault` added after the plan's own faults (`none` or empty: a plan of
 * just that fault). A value that is not a JSON plan is returned as it is (the form already shows
 * why it is refused).
 */
export function withFault(faults: string, fault: Record<string, unknown>): string {
  const text = faults.trim()
  if (text === "" || text === "none") return JSON.stringify({ faults: [fault] })
  let plan: unknown
  try {
    plan = JSON.parse(text)
  } catch {
    return faults
  }
  if (typeof plan !== "object" || plan === null || !Array.isArray((plan as { faults?: unknown }).faults)) return faults
  const existing = (plan as { faults: unknown[] }).faults
  return JSON.stringify({ ...plan, faults: [...existing, fault] })
}

/** The scalar values of a metrics object by dotted path (`a.b`), arrays as their JSON text. */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(item, path === "" ? key : `${path}.${key}`, into)
    return
  }
  into.set(path, JSON.stringify(value) ?? "undefined")
}

/** What changed from run `before` to its fork `after`. */
export interface RunChanges {
  /** Checks whose verdict changed: `mutual-exclusion: held -> NOT HELD`. */
  readonly checks: readonly string[]
  /** Metrics whose value changed: `overlapMs: 0 -> 710.124`. */
  readonly metrics: readonly string[]
}

/** The checks whose verdict changed and the metrics whose value changed, in the reports' order. */
export function runChanges(before: JsonReport, after: JsonReport): RunChanges {
  const verdict = (held: boolean) => (held ? "held" : "NOT HELD")
  const checks = after.checks.flatMap((check) => {
    const was = before.checks.find((c) => c.name === check.name)
    return was === undefined || was.held === check.held
      ? []
      : [`${check.name}: ${verdict(was.held)} -> ${verdict(check.held)}`]
  })
  const was = new Map<string, string>()
  const now = new Map<string, string>()
  flatten(before.metrics, "", was)
  flatten(after.metrics, "", now)
  const metrics: string[] = []
  for (const [path, value] of now) {
    const old = was.get(path) ?? "absent"
    if (old !== value) metrics.push(`${path}: ${old} -> ${value}`)
  }
  for (const [path, value] of was) if (!now.has(path)) metrics.push(`${path}: ${value} -> absent`)
  return { checks, metrics }
}
