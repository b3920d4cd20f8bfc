/**
 * The `--json` report: exactly one JSON object, the same bytes for the same seed and flags.
 *
 * Keys come in the contract's order: `sim, seed, params, simTime, events, metrics, checks,
 * traceHash`. JSON has no NaN or Infinity, so a metric that is not a finite number is a bug in the
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
  /** Simulated time at the end. */
  readonly simTime: number
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
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which JSON cannot represent; report null or a string`)
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
  throw new Error(`${path} is ${value === undefined ? "undefined" : typeof value}, which JSON cannot represent faithfully`)
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
    events: outcome.events,
    metrics: outcome.metrics,
    checks: outcome.checks.map((check) => ({ name: check.name, held: check.held, detail: check.detail })),
    traceHash: outcome.traceHash,
  }
  assertJsonSafe(report, "report")
  return report
}
