/**
 * The invariants of a page-replacement run, read from its result alone:
 *
 * - `resident-within-frames`: after every reference at most `frames` pages are resident, each once;
 * - `victims-were-resident`: a victim was resident before the reference, is not the page coming
 *   in, and is gone after it; only a miss with every frame taken evicts;
 * - `compulsory-misses`: misses ≥ distinct pages, and equal once frames ≥ distinct pages;
 * - `opt-is-a-lower-bound`: no policy misses less than OPT (Belady's MIN) on the same string and
 *   frames.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import { countPaging } from "./page-replacement.ts"
import type { PagingResult } from "./paging-scenario.ts"

type Run = Pick<PagingResult, "frames" | "refs" | "accesses" | "misses">

function residentWithinFrames(run: Run): CheckResult {
  const bad = run.accesses.flatMap((access, i) =>
    access.frames.length > run.frames || new Set(access.frames).size !== access.frames.length
      ? [`ref ${i}: [${access.frames.join(" ")}]`]
      : [],
  )
  return bad.length === 0
    ? holds(
        "resident-within-frames",
        `at most ${run.frames} pages resident after each of ${run.accesses.length} references`,
      )
    : fails("resident-within-frames", `more than ${run.frames} pages or a page twice: ${listSome(bad)}`)
}

function victimsWereResident(run: Run): CheckResult {
  const bad: string[] = []
  let before: readonly number[] = []
  run.accesses.forEach((access, i) => {
    const full = before.length === run.frames && !access.hit
    if (access.victim === null ? full : !full || !before.includes(access.victim) || access.victim === access.page)
      bad.push(`ref ${i}: page ${access.page}, victim ${access.victim ?? "none"}, before [${before.join(" ")}]`)
    else if (!access.frames.includes(access.page) || (access.victim !== null && access.frames.includes(access.victim)))
      bad.push(`ref ${i}: page ${access.page} not resident or victim ${access.victim} still resident`)
    before = access.frames
  })
  const evictions = run.accesses.filter((access) => access.victim !== null).length
  return bad.length === 0
    ? holds("victims-were-resident", `${evictions} evictions, each of a resident page, only when every frame was taken`)
    : fails("victims-were-resident", listSome(bad))
}

function compulsoryMisses(run: Run): CheckResult {
  const distinct = new Set(run.refs).size
  const enough = run.frames >= distinct
  const ok = enough ? run.misses === distinct : run.misses >= distinct
  const rule = enough
    ? `= ${distinct} distinct pages (frames ${run.frames} ≥ distinct: only compulsory misses)`
    : `≥ ${distinct} distinct pages`
  return ok
    ? holds("compulsory-misses", `${run.misses} misses ${rule}`)
    : fails("compulsory-misses", `${run.misses} misses, expected ${rule}`)
}

function optIsALowerBound(run: Run): CheckResult {
  const opt = countPaging(run.refs, { policy: "opt", frames: run.frames }).misses
  return run.misses >= opt
    ? holds("opt-is-a-lower-bound", `${run.misses} misses ≥ OPT's ${opt} on the same string and frames`)
    : fails("opt-is-a-lower-bound", `${run.misses} misses < OPT's ${opt}: OPT is optimal, so the run is wrong`)
}

/** Every invariant's verdict on `run`. */
export function pagingChecks(run: Run): CheckResult[] {
  return [residentWithinFrames(run), victimsWereResident(run), compulsoryMisses(run), optIsALowerBound(run)]
}
