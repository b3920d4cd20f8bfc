/**
 * The `--json` report: exactly one JSON object, the same bytes for the same seed and flags.
 *
 * Keys come in the contract's order: `sim, seed, params, simTime, timeUnit, events, metrics,
 * checks, traceHash` (`timeUnit`, the unit of `simTime` and of the trace's times, was added after
 * the contract; the README documents every field). JSON has no NaN or Infinity, so a metric that is not a finite number is a bug in the
 * sim (it must choose, and document, `null` or a string instead); {@link jsonReport} throws naming
 * the metric rather than letting `JSON.stringify` turn it silently into `null`.
 */
import type { CheckResult } from "../check/core/index.ts"
import type { FlagSpecs, JsonValue, Params, SimDefinition, SimOutcome } from "./define-sim.ts"

/** The shape of every sim's JSON report. */
export interface JsonReport {
  /** The sim's name. */
  readonly sim: string
  /** The seed of the run. */
  readonly seed: number
  /** Every param, defaults resolved, keyed by param name (the flag is its kebab-case form). */
  readonly params: { readonly [key: string]: JsonValue }
  /** Simulated time at the end, in `timeUnit`. */
  readonly simTime: number
  /** The unit of `simTime` and of every time in the trace (`t`): `"ms"`, `"s"`, `"ticks"`, ... */
  readonly timeUnit: string
  /** Events processed. */
  readonly events: number
  /** The sim's named numbers. */
  readonly metrics: { readonly [key: string]: JsonValue }
  /** Every check's verdict. */
  readonly checks: readonly CheckResult[]
  /** The trace hash that identifies the run. */
  readonly traceHash: string
}

/** Throws unless `value` survives `JSON.stringify` unchanged: finite numbers, plain data only. */
export function assertJsonSafe(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new Error(`${path} is ${value}, which JSON cannot represent; report null or a string`)
    return
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJsonSafe(item, `${path}[${i}]`))
    return
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJsonSafe(item, `${path}.${key}`)
    return
  }
  throw new Error(
    `${path} is ${value === undefined ? "undefined" : typeof value}, which JSON cannot represent faithfully`,
  )
}

/** The name of a sim's time unit: its `unitName`, else its suffix, else `"time units"`. */
export function timeUnitOf<F extends FlagSpecs>(definition: SimDefinition<F>): string {
  const time = definition.time ?? {}
  return time.unitName ?? (time.unit === undefined || time.unit === "" ? "time units" : time.unit)
}

/** The report object, validated; `JSON.stringify` it for the one line on stdout. */
export function jsonReport<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  outcome: SimOutcome,
): JsonReport {
  const report: JsonReport = {
    sim: definition.name,
    seed,
    params: params as unknown as { readonly [key: string]: JsonValue },
    simTime: outcome.simTime,
    timeUnit: timeUnitOf(definition),
    events: outcome.events,
    metrics: outcome.metrics,
    checks: outcome.checks.map((check) => ({ name: check.name, held: check.held, detail: check.detail })),
    traceHash: outcome.traceHash,
  }
  assertJsonSafe(report, "report")
  return report
}
