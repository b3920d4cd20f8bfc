/**
 * The two checks of a failure-detector run, graded by the observer (see the scenario).
 *
 * - `no-false-suspicion`: no node was suspected while it was up and had not crashed during the
 *   silence. It holds only while no pause, partition, loss streak or delay outlasts the timeout:
 *   a fixed timeout cannot tell a slow node from a dead one.
 * - `crash-detected-within-timeout`: every crash of a watched node that stayed down long enough was
 *   suspected within `timeoutMs` plus the longest one-way latency of the crash (its last heartbeat
 *   may still be on the wire). A paused or slow-clocked monitor, or extra delay, breaks it.
 *
 * Left out: completeness over restarts (a node that came back before its deadline is not judged).
 */
import { formatMs } from "../../kernel/index.ts"
import { type CheckResult, fails, holds } from "../../check/core/index.ts"
import type { FailureDetectorResult } from "./failure-detector-scenario.ts"

/** A check's verdict (the shared `CheckResult`); the name is kept for existing callers. */
export type FailureDetectorVerdict = CheckResult

/** `no-false-suspicion`: see the file header. */
export function checkNoFalseSuspicion(result: FailureDetectorResult, timeoutMs: number): FailureDetectorVerdict {
  const name = "no-false-suspicion"
  const falses = result.suspicions.filter((suspicion) => !suspicion.correct)
  if (falses.length === 0) {
    const alive = result.nodes.filter((node) => node.upAtEnd)
    const longest = Math.max(0, ...alive.map((node) => node.longestSilenceMs))
    const suspected =
      result.suspicions.length === 0
        ? "no suspicion at all"
        : `${result.suspicions.length} suspicion(s), all of crashed nodes`
    const silence = `longest silence of a node up at the end ${formatMs(longest)}, timeout ${formatMs(timeoutMs)}`
    return holds(name, `no live node was suspected (${suspected}; ${silence})`)
  }
  const first = falses[0]!
  const when = `at t=${formatMs(first.t)} after ${formatMs(first.silenceMs)} of silence`
  return fails(
    name,
    `${first.node} suspected ${when} although it was alive (${first.cause}); ${falses.length} false suspicion(s) in all`,
  )
}

/** `crash-detected-within-timeout`: see the file header. */
export function checkCrashDetectedWithinTimeout(
  result: FailureDetectorResult,
  timeoutMs: number,
): FailureDetectorVerdict {
  const name = "crash-detected-within-timeout"
  const judged = result.crashes.filter((crash) => crash.verdict !== "moot" && crash.verdict !== "already-suspected")
  const already = result.crashes.filter((crash) => crash.verdict === "already-suspected")
  const unjudged =
    already.length === 0
      ? ""
      : `; not judged: ${already.map((crash) => `${crash.node} (crashed at t=${formatMs(crash.crashedAt)}, already suspected since t=${crash.suspectedAt === null ? "?" : formatMs(crash.suspectedAt)})`).join(", ")}`
  const bound = `timeout ${formatMs(timeoutMs)} + latency ${formatMs(result.maxLatencyMs)}`
  if (judged.length === 0) {
    const moot = result.crashes.length - already.length
    const counts = `${result.crashes.length} crash(es) of a watched node; ${moot} not down until its deadline`
    return holds(name, `vacuous: no crash to judge (${counts}${unjudged})`)
  }
  const bad = judged.find((crash) => crash.verdict !== "detected")
  if (bad === undefined) {
    const worst = judged.reduce((slowest, crash) => Math.max(slowest, crash.detectionMs!), -Infinity)
    return holds(
      name,
      `${judged.length} crash(es) detected, the slowest after ${formatMs(worst)} (allowed: ${bound})${unjudged}`,
    )
  }
  const when =
    bad.suspectedAt === null
      ? "was never suspected while down"
      : `was suspected only at t=${formatMs(bad.suspectedAt)}, after ${formatMs(bad.detectionMs!)}`
  const allowed = `allowed: ${bound}, deadline t=${formatMs(bad.deadline)}`
  return fails(name, `${bad.node} crashed at t=${formatMs(bad.crashedAt)} and ${when} (${allowed})`)
}
