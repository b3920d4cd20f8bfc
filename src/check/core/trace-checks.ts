/**
 * Trace checkers: verdicts read from a finished trace (a list of {@link TraceRecord}s).
 *
 * A trace checker is the referee who reads the score sheet after the game: it sees every record
 * the run wrote, in order, and judges properties that need the whole run — "every crash was
 * detected within the timeout", "no InvariantViolated record". It reads only records, never model
 * internals, so the same checker runs on a live run and on a `--trace FILE` written last week.
 *
 * Invariants: each checker names the first offending record as `#seq t=T Type {fields}` (see
 * {@link describeRecord}) and the count of offenders; the detail of a verdict that held says what
 * was compared, so a reader can tell a vacuous pass ("0 records") from a real one.
 *
 * Left out: temporal-logic formulas. Three shapes (every record satisfies, no record matches,
 * every trigger answered within a bound) cover the models here; a model with a subtler property
 * writes its own function over the records.
 */
import type { TraceRecord } from "../../kernel/trace.ts"
import { type CheckResult, describeRecord, fails, holds } from "./check-result.ts"

/** Which records a checker looks at: a record type, several types, or a predicate. */
export type RecordSelector = string | readonly string[] | ((record: TraceRecord) => boolean)

/** A predicate from a {@link RecordSelector}. */
export function selectRecords(selector: RecordSelector): (record: TraceRecord) => boolean {
  if (typeof selector === "function") return selector
  if (typeof selector === "string") return (record) => record.type === selector
  const types = new Set(selector)
  return (record) => types.has(record.type)
}

function describeSelector(selector: RecordSelector): string {
  if (typeof selector === "function") return "selected"
  if (typeof selector === "string") return selector
  return selector.join("/")
}

/**
 * Every selected record satisfies `holds`, which returns `true`, or `false` / a reason string
 * for an offending record.
 */
export function checkEveryRecord(
  name: string,
  records: readonly TraceRecord[],
  selector: RecordSelector,
  holdsFor: (record: TraceRecord) => boolean | string,
): CheckResult {
  const selected = selectRecords(selector)
  let seen = 0
  let offenders = 0
  let first = ""
  for (const record of records) {
    if (!selected(record)) continue
    seen++
    const verdict = holdsFor(record)
    if (verdict === true) continue
    offenders++
    if (offenders === 1) first = `${describeRecord(record)}${verdict === false ? "" : `: ${verdict}`}`
  }
  const what = describeSelector(selector)
  if (offenders === 0) return holds(name, `all ${seen} ${what} records satisfy it`)
  return fails(name, `${first} (${offenders} of ${seen} ${what} records offend)`)
}

/** No record is selected (e.g. no `InvariantViolated`, no `WriteLost`). */
export function checkNoRecord(name: string, records: readonly TraceRecord[], selector: RecordSelector): CheckResult {
  const selected = selectRecords(selector)
  const offending = records.filter(selected)
  const what = describeSelector(selector)
  if (offending.length === 0) return holds(name, `no ${what} record in ${records.length}`)
  return fails(name, `${describeRecord(offending[0]!)} (${offending.length} ${what} records in all)`)
}

/** Options of {@link checkRespondedWithin}. */
export interface RespondedWithinOptions {
  /** The records that call for a response (e.g. `NodeCrashed`). Required. */
  readonly trigger: RecordSelector
  /** Whether `record` answers `trigger` (e.g. a `NodeSuspected` naming the crashed node). Required. */
  readonly responds: (trigger: TraceRecord, record: TraceRecord) => boolean
  /** The bound, in the model's time unit: a response at `trigger.t + within` is in time. Required. */
  readonly within: number
  /**
   * When the run ended. A trigger whose deadline lies after it and has no response yet is
   * undecided, not a violation. Default: the time of the last record.
   */
  readonly endTime?: number
}

/**
 * Every trigger record is answered by a later record (same time allowed) within a bound: the
 * shape of a liveness property checked after the healing phase ("a crash is detected within the
 * timeout"). The detail reports the slowest response.
 */
export function checkRespondedWithin(
  name: string,
  records: readonly TraceRecord[],
  options: RespondedWithinOptions,
): CheckResult {
  if (!(options.within >= 0)) throw new RangeError(`within must be >= 0, got ${options.within}`)
  const isTrigger = selectRecords(options.trigger)
  const endTime = options.endTime ?? (records.length === 0 ? 0 : records[records.length - 1]!.t)
  let answered = 0
  let undecided = 0
  let late = 0
  let slowest = 0
  let first = ""
  for (let i = 0; i < records.length; i++) {
    const trigger = records[i]!
    if (!isTrigger(trigger)) continue
    const deadline = trigger.t + options.within
    let response: TraceRecord | undefined
    for (let j = i + 1; j < records.length && records[j]!.t <= deadline; j++) {
      if (options.responds(trigger, records[j]!)) {
        response = records[j]
        break
      }
    }
    if (response !== undefined) {
      answered++
      slowest = Math.max(slowest, response.t - trigger.t)
    } else if (deadline > endTime) {
      undecided++
    } else {
      late++
      if (late === 1) first = `${describeRecord(trigger)} got no response by t=${deadline}`
    }
  }
  const tail = undecided > 0 ? `; ${undecided} undecided at the end (t=${endTime})` : ""
  if (late === 0) {
    return holds(name, `${answered} of ${answered} answered within ${options.within} (slowest ${slowest})${tail}`)
  }
  return fails(name, `${first} (${late} of ${answered + late} unanswered within ${options.within})${tail}`)
}
