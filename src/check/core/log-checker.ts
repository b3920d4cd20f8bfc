/**
 * "No acknowledged write lost" for an append-only log (a Kafka partition, a replicated journal),
 * in the vocabulary of Jepsen's Maelstrom Kafka workload: lost, unobserved, non-monotonic offsets,
 * skipped, duplicated, and inconsistent offsets.
 *
 * The input is plain records, so any model can produce it from its trace: the writes the system
 * acknowledged, the final log of each key as read after the healing phase, and optionally what
 * each reader observed, in the order it observed it. Values are assumed unique per key (write a
 * counter, not a constant), as in Maelstrom.
 *
 * The verdicts:
 * - `no-acked-write-lost`: every acknowledged value is in its key's final log.
 * - `no-acked-write-unobserved` (only with reads): every acknowledged value was read by someone.
 * - `offsets-monotonic`: offsets strictly increase along the final log and along each reader's reads.
 * - `no-offset-skipped` (only with reads): between two consecutive reads, a reader never jumps over
 *   an offset that the final log holds.
 * - `no-duplicate`: no value sits at two offsets of one key.
 * - `offsets-consistent`: no offset holds two values (final log, reads, and acknowledged offsets agree).
 *
 * Left out: transactions and consumer-group commits (a model reports those with its own checks),
 * and "unobserved" as time series (Maelstrom plots it over time; here it is a final verdict).
 */
import { type CheckResult, fails, holds, listSome } from "./check-result.ts"

/** A value written to a log. Values must be unique per key. */
export type LogValue = string | number

/** A write the system acknowledged to its client. */
export interface AcknowledgedWrite {
  /** The log (partition) written to. Default "" (a single log). */
  readonly key?: string
  readonly value: LogValue
  /** The offset the acknowledgement reported, if the system reports one. */
  readonly offset?: number
}

/** One entry of a final log. */
export interface LogEntry {
  /** The log (partition). Default "". */
  readonly key?: string
  readonly offset: number
  readonly value: LogValue
}

/** One record a reader observed. A reader is one consumer session: one that rewinds is a new reader. */
export interface LogRead {
  readonly reader: string
  /** The log (partition). Default "". */
  readonly key?: string
  readonly offset: number
  readonly value: LogValue
}

/** What {@link checkLog} reads. */
export interface LogHistory {
  /** The acknowledged writes, in any order. */
  readonly acknowledged: readonly AcknowledgedWrite[]
  /** The final log of every key, each key's entries in log order. */
  readonly final: readonly LogEntry[]
  /** What readers observed, each reader's records in the order it read them. Omitted: no reader checks. */
  readonly reads?: readonly LogRead[]
}

/** `p0: ` for a named key, nothing for the default one. */
function keyPrefix(key: string): string {
  return key === "" ? "" : `${key}: `
}

/** Sorted integers as ranges: `[4,5,6,9]` → `4-6, 9`. */
export function offsetRanges(offsets: readonly number[]): string {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(", ")
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

/**
 * Checks a log history (see the file header for the verdicts and their names).
 * @returns the verdicts in the order lost, unobserved, monotonic, skipped, duplicate, consistent
 */
export function checkLog(history: LogHistory): CheckResult[] {
  const finalByKey = groupBy(history.final, (entry) => entry.key ?? "")
  const ackedByKey = groupBy(history.acknowledged, (write) => write.key ?? "")
  const reads = history.reads
  const results = [checkLost(ackedByKey, finalByKey, history.acknowledged.length)]
  if (reads !== undefined) results.push(checkUnobserved(ackedByKey, reads, history.acknowledged.length))
  results.push(checkMonotonic(finalByKey, reads ?? []))
  if (reads !== undefined) results.push(checkSkipped(finalByKey, reads))
  results.push(checkDuplicates(finalByKey, reads ?? []))
  results.push(checkConsistent(finalByKey, ackedByKey, reads ?? []))
  return results
}

/** Acknowledged writes of each key whose value is not in `seen(key)`, described for the first key. */
function missingAcknowledged(
  ackedByKey: Map<string, AcknowledgedWrite[]>,
  seen: (key: string) => Set<LogValue>,
): { count: number; first: string } {
  let count = 0
  let first = ""
  for (const [key, writes] of ackedByKey) {
    const values = seen(key)
    const missing = writes.filter((write) => !values.has(write.value))
    if (missing.length === 0) continue
    count += missing.length
    if (first !== "") continue
    const offsets = missing.flatMap((write) => (write.offset === undefined ? [] : [write.offset]))
    const list = listSome(missing.map((write) => write.value))
    first =
      offsets.length === missing.length
        ? `${keyPrefix(key)}offset${missing.length > 1 ? "s" : ""} ${offsetRanges(offsets)} acknowledged (value${missing.length > 1 ? "s" : ""} ${list})`
        : `${keyPrefix(key)}value${missing.length > 1 ? "s" : ""} ${list} acknowledged`
  }
  return { count, first }
}

function checkLost(
  ackedByKey: Map<string, AcknowledgedWrite[]>,
  finalByKey: Map<string, LogEntry[]>,
  total: number,
): CheckResult {
  const name = "no-acked-write-lost"
  const { count, first } = missingAcknowledged(
    ackedByKey,
    (key) => new Set((finalByKey.get(key) ?? []).map((entry) => entry.value)),
  )
  if (count === 0) return holds(name, `all ${total} acknowledged writes are in the final log`)
  return fails(name, `${first}, then lost: not in the final log; ${count} of ${total} acknowledged writes lost`)
}

function checkUnobserved(
  ackedByKey: Map<string, AcknowledgedWrite[]>,
  reads: readonly LogRead[],
  total: number,
): CheckResult {
  const name = "no-acked-write-unobserved"
  const readByKey = groupBy(reads, (read) => read.key ?? "")
  const { count, first } = missingAcknowledged(
    ackedByKey,
    (key) => new Set((readByKey.get(key) ?? []).map((read) => read.value)),
  )
  if (count === 0) return holds(name, `all ${total} acknowledged writes were read`)
  return fails(name, `${first}, but never read; ${count} of ${total} acknowledged writes unobserved`)
}

function checkMonotonic(finalByKey: Map<string, LogEntry[]>, reads: readonly LogRead[]): CheckResult {
  const name = "offsets-monotonic"
  for (const [key, entries] of finalByKey) {
    for (let i = 1; i < entries.length; i++) {
      const previous = entries[i - 1]!
      const entry = entries[i]!
      if (entry.offset <= previous.offset) {
        return fails(
          name,
          `${keyPrefix(key)}the final log has offset ${entry.offset} (value ${entry.value}) after offset ${previous.offset}`,
        )
      }
    }
  }
  for (const [session, sessionReads] of groupBy(reads, (read) => JSON.stringify([read.reader, read.key ?? ""]))) {
    for (let i = 1; i < sessionReads.length; i++) {
      const previous = sessionReads[i - 1]!
      const read = sessionReads[i]!
      if (read.offset <= previous.offset) {
        const key = (JSON.parse(session) as [string, string])[1]
        return fails(
          name,
          `reader ${read.reader} ${key === "" ? "" : `on ${key} `}read offset ${read.offset} (value ${read.value}) after offset ${previous.offset}`,
        )
      }
    }
  }
  return holds(name, `offsets increase along ${finalByKey.size} final logs and ${reads.length} reads`)
}

function checkSkipped(finalByKey: Map<string, LogEntry[]>, reads: readonly LogRead[]): CheckResult {
  const name = "no-offset-skipped"
  let skips = 0
  let first = ""
  for (const sessionReads of groupBy(reads, (read) => JSON.stringify([read.reader, read.key ?? ""])).values()) {
    const key = sessionReads[0]!.key ?? ""
    const entries = finalByKey.get(key) ?? []
    for (let i = 1; i < sessionReads.length; i++) {
      const from = sessionReads[i - 1]!.offset
      const to = sessionReads[i]!.offset
      const skipped = entries.filter((entry) => entry.offset > from && entry.offset < to).map((entry) => entry.offset)
      if (skipped.length === 0) continue
      skips++
      if (first === "") {
        const reader = sessionReads[i]!.reader
        first = `reader ${reader} ${key === "" ? "" : `on ${key} `}jumped from offset ${from} to ${to}, skipping ${offsetRanges(skipped)} of the final log`
      }
    }
  }
  if (skips === 0) return holds(name, `no reader skipped an offset in ${reads.length} reads`)
  return fails(name, `${first}; ${skips} skip${skips > 1 ? "s" : ""} in all`)
}

function checkDuplicates(finalByKey: Map<string, LogEntry[]>, reads: readonly LogRead[]): CheckResult {
  const name = "no-duplicate"
  const keys = new Set([...finalByKey.keys(), ...reads.map((read) => read.key ?? "")])
  const readByKey = groupBy(reads, (read) => read.key ?? "")
  let duplicated = 0
  let first = ""
  for (const key of keys) {
    const offsetsOf = new Map<LogValue, number[]>()
    for (const record of [...(finalByKey.get(key) ?? []), ...(readByKey.get(key) ?? [])]) {
      const offsets = offsetsOf.get(record.value)
      if (offsets === undefined) offsetsOf.set(record.value, [record.offset])
      else if (!offsets.includes(record.offset)) offsets.push(record.offset)
    }
    for (const [value, offsets] of offsetsOf) {
      if (offsets.length < 2) continue
      duplicated++
      if (first === "") first = `${keyPrefix(key)}value ${value} at offsets ${listSome(offsets)}`
    }
  }
  if (duplicated === 0) return holds(name, "every value sits at one offset")
  return fails(name, `${first}; ${duplicated} value${duplicated > 1 ? "s" : ""} duplicated in all`)
}

function checkConsistent(
  finalByKey: Map<string, LogEntry[]>,
  ackedByKey: Map<string, AcknowledgedWrite[]>,
  reads: readonly LogRead[],
): CheckResult {
  const name = "offsets-consistent"
  const readByKey = groupBy(reads, (read) => read.key ?? "")
  const keys = new Set([...finalByKey.keys(), ...ackedByKey.keys(), ...readByKey.keys()])
  let conflicts = 0
  let first = ""
  for (const key of keys) {
    const seen = new Map<number, { value: LogValue; source: string }>()
    const sources: { offset: number; value: LogValue; source: string }[] = [
      ...(finalByKey.get(key) ?? []).map((entry) => ({ ...entry, source: "the final log" })),
      ...(ackedByKey.get(key) ?? []).flatMap((write) =>
        write.offset === undefined ? [] : [{ offset: write.offset, value: write.value, source: "an acknowledgement" }],
      ),
      ...(readByKey.get(key) ?? []).map((read) => ({ ...read, source: `a read by ${read.reader}` })),
    ]
    const conflicted = new Set<number>()
    for (const { offset, value, source } of sources) {
      const earlier = seen.get(offset)
      if (earlier === undefined) {
        seen.set(offset, { value, source })
        continue
      }
      if (earlier.value === value || conflicted.has(offset)) continue
      conflicted.add(offset)
      conflicts++
      if (first === "") {
        first = `${keyPrefix(key)}offset ${offset} holds ${earlier.value} in ${earlier.source} but ${value} in ${source}`
      }
    }
  }
  if (conflicts === 0) return holds(name, "every offset holds one value")
  return fails(name, `${first}; ${conflicts} offset${conflicts > 1 ? "s" : ""} disagree in all`)
}
