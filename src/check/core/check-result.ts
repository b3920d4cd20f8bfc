/**
 * The verdict of a check: `{ name, held, detail }`, the one shape every invariant and checker
 * reports and every sim prints (docs/checks.md).
 *
 * `name` is kebab-case (`no-acked-write-lost`). `detail` is one sentence with the numbers: when the
 * check held, what was compared; when it did not, the first offending records, written so a reader
 * can find them in the trace (`#17 t=120 LeaseGranted {"holder":"b"}`).
 *
 * Left out: severities and warnings. A check holds or it does not; a "suspicious but allowed"
 * observation is a metric, not a check.
 */
import type { TraceRecord } from "../../kernel/trace.ts"

/** A check's verdict. */
export interface CheckResult {
  /** The check's kebab-case name, e.g. `no-acked-write-lost`. */
  readonly name: string
  /** True when the property held. */
  readonly held: boolean
  /** One sentence with the numbers; when it did not hold, the first offending records. */
  readonly detail: string
}

/** A verdict that held. */
export function holds(name: string, detail: string): CheckResult {
  return { name, held: true, detail }
}

/** A verdict that did not hold; `detail` names the first offending records. */
export function fails(name: string, detail: string): CheckResult {
  return { name, held: false, detail }
}

/** True when every verdict held (and vacuously for none). */
export function allHeld(results: readonly CheckResult[]): boolean {
  return results.every((result) => result.held)
}

/** One verdict or several, as a list. */
export function verdictList(result: CheckResult | readonly CheckResult[]): readonly CheckResult[] {
  return Array.isArray(result) ? result : [result as CheckResult]
}

/** A verdict as one line: `held      name  detail` or `NOT HELD  name  detail`. */
export function describeVerdict(result: CheckResult): string {
  return `${result.held ? "held    " : "NOT HELD"}  ${result.name}  ${result.detail}`
}

/**
 * A trace record as it is shown in a detail: `#seq t=T Type {fields}`, so it can be found in the
 * trace file with a search for `"seq":N`.
 */
export function describeRecord(record: TraceRecord): string {
  const { t, seq, type, ...fields } = record
  const rest = Object.keys(fields).length === 0 ? "" : ` ${JSON.stringify(fields)}`
  return `#${seq} t=${t} ${type}${rest}`
}

/** `values` as a short list: the first `limit` joined by ", ", then `... (N in all)`. */
export function listSome(values: readonly unknown[], limit = 5): string {
  const shown = values.slice(0, limit).map((value) => (typeof value === "string" ? value : JSON.stringify(value)))
  return values.length > limit ? `${shown.join(", ")}, ... (${values.length} in all)` : shown.join(", ")
}
