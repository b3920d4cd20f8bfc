/**
 * "No acknowledged write lost" for a single register (a key in a key-value store, a config value)
 * whose final value is read after the healing phase.
 *
 * A register keeps one value; a later write replaces an earlier one. So a write is lost when the
 * final value comes from a write that had already been acknowledged before it even began: the
 * final value then "travelled back in time" over it. Writes that overlap in time may take effect
 * in either order, and a write that was never acknowledged may take effect or not at all; neither
 * is a loss. This is exactly linearizability of a history of writes followed by one final read.
 *
 * Input: every write attempted, with the time it was invoked and, if it was acknowledged, the time
 * of the acknowledgement; the final value; the initial value. Values must be unique per write.
 *
 * Left out: reads during the run (a full linearizability checker such as Knossos handles those;
 * this one needs no search) and registers with compare-and-set.
 */
import { type CheckResult, fails, holds } from "./check-result.ts"

/** A register value. `null` stands for "never written". */
export type RegisterValue = string | number | null

/** One attempted write. */
export interface RegisterWrite {
  readonly value: Exclude<RegisterValue, null>
  /** When the client sent it, in the model's time unit. */
  readonly invokedAt: number
  /** When the client got the acknowledgement; omitted: never acknowledged (it may or may not have taken effect). */
  readonly acknowledgedAt?: number
}

/** What {@link checkRegister} reads. */
export interface RegisterHistory {
  /** Every attempted write, in any order. */
  readonly writes: readonly RegisterWrite[]
  /** The value read after the run. */
  readonly final: RegisterValue
  /** The value before any write. Default null. */
  readonly initial?: RegisterValue
}

/** Options of {@link checkRegister}. */
export interface RegisterCheckOptions {
  /** The verdict's name. Default `no-acked-write-lost`. */
  readonly name?: string
}

/**
 * Checks that the final value could be the last write: no acknowledged write began after the
 * write that produced the final value had been acknowledged.
 * @returns one verdict; a loss names the first lost write (earliest invocation) and the culprit
 */
export function checkRegister(history: RegisterHistory, options: RegisterCheckOptions = {}): CheckResult {
  const name = options.name ?? "no-acked-write-lost"
  const initial = history.initial ?? null
  const acknowledged = history.writes.filter((write) => write.acknowledgedAt !== undefined)
  const producers = history.writes.filter((write) => write.value === history.final)
  let finalAckedAt: number
  let source: string
  if (producers.length > 0) {
    // With equal values (which the input should avoid) pick the most lenient producer: the latest.
    finalAckedAt = producers.reduce((latest, write) => Math.max(latest, write.acknowledgedAt ?? Infinity), -Infinity)
    source =
      finalAckedAt === Infinity ? "a write that was never acknowledged" : `a write acknowledged at t=${finalAckedAt}`
  } else if (history.final === initial) {
    finalAckedAt = -Infinity
    source = "the initial value"
  } else {
    return fails(name, `the final value ${JSON.stringify(history.final)} was never written`)
  }
  const lost = acknowledged
    .filter((write) => write.value !== history.final && write.invokedAt > finalAckedAt)
    .sort((a, b) => a.invokedAt - b.invokedAt)
  const final = JSON.stringify(history.final)
  if (lost.length === 0) {
    return holds(
      name,
      `the final value ${final} comes from ${source}; no acknowledged write (of ${acknowledged.length}) began after it`,
    )
  }
  const first = lost[0]!
  return fails(
    name,
    `the write of ${JSON.stringify(first.value)} (invoked t=${first.invokedAt}, acknowledged t=${first.acknowledgedAt}) was lost: ` +
      `the final value ${final} comes from ${source}, before it began; ${lost.length} of ${acknowledged.length} acknowledged writes lost`,
  )
}
