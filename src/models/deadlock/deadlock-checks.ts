/**
 * The verdicts of the deadlock lessons, read from a finished run's public result. Each check
 * replays what the algorithm claimed with its own arithmetic, so a wrong answer cannot vouch for
 * itself:
 *
 * - banker's: ΣAllocation + Available = Total in every state; Allocation ≤ Max (Need ≥ 0) in every
 *   state; every safe sequence returned is valid (each process's Need fits the Work its
 *   predecessors leave); a safe state stays safe when requests are granted only into safe states;
 * - detection: the finishing order is valid, every deadlocked process's request exceeds what the
 *   others can ever free, recovery leaves nobody deadlocked and conserves resources, and with
 *   single-instance resources the wait-for graph has a cycle exactly when processes are deadlocked.
 */
import { type CheckResult, fails, holds, listSome } from "../../check/core/index.ts"
import type { BankersState } from "./bankers.ts"
import type { BankersRunResult } from "./bankers-scenario.ts"
import type { DetectionState } from "./deadlock-detection.ts"
import type { DetectionRunResult } from "./detection-scenario.ts"
import {
  addVectors,
  fitsWithin,
  type Matrix,
  processName,
  sumRows,
  subtractVectors,
  type Vector,
} from "./resource-snapshot.ts"

const v = (vector: Vector): string => `(${vector.join(",")})`
const same = (a: Vector, b: Vector): boolean => a.length === b.length && a.every((x, j) => x === b[j])

/** Every state a banker's run went through: T0 and the state after each request. */
function bankersStates(result: BankersRunResult): { label: string; state: BankersState }[] {
  return [
    { label: "T0", state: result.initial },
    ...result.requests.map((outcome, k) => ({ label: `after request ${k + 1}`, state: outcome.after })),
  ]
}

/** ΣAllocation + Available = Total in every state. */
export function checkResourcesConserved(result: BankersRunResult): CheckResult {
  const states = bankersStates(result)
  const bad = states.filter(
    ({ state }) => !same(addVectors(state.available, sumRows(state.allocation, state.available.length)), result.total),
  )
  return bad.length === 0
    ? holds("resources-conserved", `ΣAllocation + Available = Total ${v(result.total)} in all ${states.length} states`)
    : fails(
        "resources-conserved",
        `ΣAllocation + Available differs from Total ${v(result.total)} ${listSome(bad.map((b) => b.label))}`,
      )
}

/** Allocation ≤ Max (so Need ≥ 0) for every process in every state. */
export function checkAllocationWithinMax(result: BankersRunResult): CheckResult {
  const bad = bankersStates(result).flatMap(({ label, state }) =>
    state.allocation.flatMap((row, i) =>
      fitsWithin(row, state.max[i]!) ? [] : [`${processName(i)} ${label}: ${v(row)} > Max ${v(state.max[i]!)}`],
    ),
  )
  return bad.length === 0
    ? holds("allocation-within-max", "Allocation <= Max (Need >= 0) for every process in every state")
    : fails("allocation-within-max", listSome(bad))
}

/** Why `order` is not a safe sequence of the state, or undefined when it is one. */
export function safeSequenceProblem(
  available: Vector,
  allocation: Matrix,
  need: Matrix,
  order: readonly number[],
): string | undefined {
  const sorted = [...order].sort((a, b) => a - b)
  if (sorted.length !== allocation.length || sorted.some((p, i) => p !== i))
    return `${order.map(processName).join(", ")} is not every process once`
  let work = available
  for (const p of order) {
    if (!fitsWithin(need[p]!, work)) return `${processName(p)} needs ${v(need[p]!)} but Work is ${v(work)}`
    work = addVectors(work, allocation[p]!)
  }
  return undefined
}

/** Every safe sequence the run returned is one: T0's, each granted request's and the final state's. */
export function checkSafeSequencesValid(result: BankersRunResult): CheckResult {
  const claimed: { label: string; available: Vector; allocation: Matrix; need: Matrix; order: readonly number[] }[] = []
  for (const [label, s] of [
    ["T0", result.initial],
    ["the final state", result.final],
  ] as const)
    if (s.safety.complete)
      claimed.push({ label, available: s.available, allocation: s.allocation, need: s.need, order: s.safety.order })
  result.requests.forEach((outcome, k) => {
    const p = outcome.pretend
    if (outcome.verdict === "granted" && p !== undefined)
      claimed.push({
        label: `request ${k + 1}`,
        available: p.available,
        allocation: outcome.after.allocation,
        need: p.need,
        order: p.order,
      })
  })
  const bad = claimed.flatMap((c) => {
    const problem = safeSequenceProblem(c.available, c.allocation, c.need, c.order)
    return problem === undefined ? [] : [`${c.label}: ${problem}`]
  })
  if (claimed.length === 0) return holds("safe-sequences-valid", "vacuous: the run returned no safe sequence")
  return bad.length === 0
    ? holds(
        "safe-sequences-valid",
        `all ${claimed.length} safe sequences returned replay: each Need fits the Work before it`,
      )
    : fails("safe-sequences-valid", listSome(bad))
}

/** A safe T0 stays safe: every state after a request is safe too. */
export function checkSafeStateStaysSafe(result: BankersRunResult): CheckResult {
  if (!result.initial.safety.complete)
    return holds("safe-state-stays-safe", "vacuous: T0 is unsafe, so the banker promises nothing")
  const unsafe = result.requests.flatMap((outcome, k) => {
    const need = outcome.after.max.map((row, i) => subtractVectors(row, outcome.after.allocation[i]!))
    const sequence = outcome.verdict === "granted" ? outcome.pretend!.order : undefined
    const ok =
      sequence !== undefined
        ? safeSequenceProblem(outcome.after.available, outcome.after.allocation, need, sequence) === undefined
        : true
    return ok ? [] : [`after request ${k + 1}`]
  })
  return unsafe.length === 0
    ? holds(
        "safe-state-stays-safe",
        `T0 is safe and all ${result.requests.length} requests left a safe state (granted only into safe states)`,
      )
    : fails("safe-state-stays-safe", `unsafe ${listSome(unsafe)}`)
}

/** The banker's checks, in report order. */
export function bankersChecks(result: BankersRunResult): CheckResult[] {
  return [
    checkResourcesConserved(result),
    checkAllocationWithinMax(result),
    checkSafeSequencesValid(result),
    checkSafeStateStaysSafe(result),
  ]
}

/** Why a detection's claim about `state` is wrong (order or deadlocked set), or undefined. */
export function detectionProblem(
  state: DetectionState,
  order: readonly number[],
  deadlocked: readonly number[],
): string | undefined {
  const all = [...order, ...deadlocked].sort((a, b) => a - b)
  const present = state.allocation.flatMap((_, i) => (state.aborted?.includes(i) ? [] : [i]))
  if (all.length !== present.length || all.some((p, i) => p !== present[i]))
    return "the order and the deadlocked set are not every process (not aborted) once"
  let work = state.available
  for (const p of order) {
    const idle = state.allocation[p]!.every((count) => count === 0)
    if (!idle && !fitsWithin(state.request[p]!, work))
      return `${processName(p)} requests ${v(state.request[p]!)} but Work is ${v(work)}`
    work = addVectors(work, state.allocation[p]!)
  }
  const free = deadlocked.find((p) => fitsWithin(state.request[p]!, work) || state.allocation[p]!.every((c) => c === 0))
  return free === undefined
    ? undefined
    : `${processName(free)} is called deadlocked but its request fits Work ${v(work)}`
}

/** The finishing order replays and every deadlocked process's request exceeds what is left. */
export function checkDetection(result: DetectionRunResult): CheckResult {
  const { order, deadlocked } = result.detection
  const problem = detectionProblem(result.state, order, deadlocked)
  if (problem !== undefined) return fails("detection-replays", problem)
  return holds(
    "detection-replays",
    deadlocked.length === 0
      ? `every process finishes in the order <${order.map(processName).join(", ")}>`
      : `${order.length === 0 ? "no process finishes" : `${order.map(processName).join(", ")} finish`}; the requests of ${deadlocked.map(processName).join(", ")} exceed all that the others free`,
  )
}

/** Recovery leaves nobody deadlocked and keeps ΣAllocation + Available = Total. */
export function checkRecovery(result: DetectionRunResult): CheckResult {
  if (result.rounds.length === 0)
    return holds("recovery-ends-deadlock", "vacuous: nothing was deadlocked, no recovery needed")
  const last = result.rounds[result.rounds.length - 1]!
  const leaks = result.rounds.findIndex(
    (round) =>
      !same(
        addVectors(round.state.available, sumRows(round.state.allocation, round.state.available.length)),
        result.total,
      ),
  )
  if (leaks >= 0)
    return fails(
      "recovery-ends-deadlock",
      `round ${leaks + 1} broke ΣAllocation + Available = Total ${v(result.total)}`,
    )
  const problem = detectionProblem(last.state, last.detection.order, last.detection.deadlocked)
  if (problem !== undefined || last.detection.deadlocked.length > 0)
    return fails(
      "recovery-ends-deadlock",
      problem ?? `still deadlocked: ${last.detection.deadlocked.map(processName).join(", ")}`,
    )
  return holds(
    "recovery-ends-deadlock",
    `${result.recovery} took ${result.rounds.length} round(s), victims ${result.victims.map(processName).join(", ")}; then every process can finish`,
  )
}

/** Single-instance resources: the wait-for graph has a cycle iff some process is deadlocked, and the cycle's processes are. */
export function checkWaitForCycle(result: DetectionRunResult): CheckResult | undefined {
  if (result.waitFor === undefined) return undefined
  const cycle = result.waitFor.cycle ?? []
  const deadlocked = result.detection.deadlocked
  const agree = cycle.length > 0 === deadlocked.length > 0 && cycle.every((p) => deadlocked.includes(p))
  const words = cycle.length === 0 ? "no cycle" : `cycle ${[...cycle, cycle[0]!].map(processName).join("→")}`
  return agree
    ? holds(
        "wait-for-cycle-iff-deadlock",
        `${words} and ${deadlocked.length === 0 ? "no process" : deadlocked.map(processName).join(", ")} deadlocked`,
      )
    : fails(
        "wait-for-cycle-iff-deadlock",
        `${words} but detection finds ${deadlocked.length === 0 ? "no deadlock" : deadlocked.map(processName).join(", ")} deadlocked`,
      )
}

/** The detection checks, in report order. */
export function detectionChecks(result: DetectionRunResult): CheckResult[] {
  const cycle = checkWaitForCycle(result)
  return [checkDetection(result), ...(cycle === undefined ? [] : [cycle]), checkRecovery(result)]
}
