/**
 * The check of the concurrent-map lesson (docs/go-concurrency.md#concurrent-maps):
 *
 * - `no-lost-writes`: for every key, the map's final value equals the number of increments of that
 *   key that returned to their callers. An increment that returned but does not count was lost: two
 *   goroutines read the same value and both wrote the next one.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"

/** The lost increments: total, and the keys that lost some, with how many each. */
export interface LostWrites {
  readonly lost: number
  readonly keys: readonly { readonly key: number; readonly returned: number; readonly final: number }[]
}

/**
 * Compares the increments that returned (per key) with the final map: a key's lost writes are the
 * returned increments its final value does not count.
 */
export function lostWritesOf(returned: ReadonlyMap<number, number>, final: ReadonlyMap<number, number>): LostWrites {
  const keys: { key: number; returned: number; final: number }[] = []
  let lost = 0
  for (const [key, count] of returned) {
    const value = final.get(key) ?? 0
    if (value >= count) continue
    lost += count - value
    keys.push({ key, returned: count, final: value })
  }
  keys.sort((a, b) => a.key - b.key)
  return { lost, keys }
}

/** One strategy's increments and final map, as the check reads them. */
export interface MapWrites {
  readonly strategy: string
  readonly incrementsReturned: ReadonlyMap<number, number>
  readonly final: ReadonlyMap<number, number>
}

/** What exploring every interleaving of a small case found for one strategy. */
export interface ExploredWrites {
  readonly strategy: string
  readonly schedules: number
  /** Schedules whose final map lost an increment that returned. */
  readonly losing: number
}

/**
 * `no-lost-writes` over every strategy run, and over the explored schedules when given: it fails
 * when a run or an explored schedule lost an increment.
 */
export function checkNoLostWrites(runs: readonly MapWrites[], explored: readonly ExploredWrites[] = []): CheckResult {
  const name = "no-lost-writes"
  const returned = runs.reduce((sum, run) => sum + [...run.incrementsReturned.values()].reduce((a, b) => a + b, 0), 0)
  const words = runs.flatMap((run) => {
    const lost = lostWritesOf(run.incrementsReturned, run.final)
    if (lost.lost === 0) return []
    const keys = lost.keys.map((k) => `k${k.key}: ${k.returned} returned, final ${k.final}`)
    return [`${run.strategy} lost ${lost.lost} (${listSome(keys, 3)})`]
  })
  for (const e of explored)
    if (e.losing > 0) words.push(`${e.strategy} loses increments in ${e.losing} of ${e.schedules} explored schedules`)
  if (words.length > 0) return fails(name, words.join("; "))
  const schedules = explored.reduce((sum, e) => sum + e.schedules, 0)
  if (returned === 0 && schedules === 0) return holds(name, "vacuous: no increment returned")
  const also = schedules === 0 ? "" : `, and in all ${schedules} explored schedules`
  return holds(name, `every one of the ${returned} returned increments is counted in the final map${also}`)
}
