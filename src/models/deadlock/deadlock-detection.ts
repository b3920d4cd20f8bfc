/**
 * Deadlock detection and recovery (Silberschatz ch. 8): let the system grant whatever is free,
 * then look for processes that can never finish, and break the deadlock by aborting or preempting.
 *
 * - Multi-instance detection ({@link detectDeadlock}): like the banker's safety algorithm, but
 *   with each process's outstanding Request instead of its Need. A process that holds nothing is
 *   finished before the scan (Finish[i] = true: it cannot be part of a deadlock), so it opens the
 *   finishing order, in index order; the rest are taken by the pinned scan (pass after pass over
 *   P0..Pn−1). Processes never taken are deadlocked.
 * - Single-instance resources (every type has exactly one instance): the wait-for graph
 *   ({@link waitForGraph}) has an edge Pi → Pj when Pi requests a resource Pj holds; the system is
 *   deadlocked iff the graph has a cycle, and a process is deadlocked iff it holds something and a
 *   cycle is reachable from it.
 * - Recovery ({@link recover}): `abort-all` aborts every deadlocked process at once; `abort-one`
 *   aborts the deadlocked process with the lowest total allocation (ties: lowest index), then runs
 *   detection again, until none is deadlocked; `preempt` chooses its victim the same way but rolls
 *   it back instead: every instance it holds returns to Available, and it stays in the system
 *   holding nothing and requesting all it held plus its pending request (it restarts later).
 *
 * Invariant: ΣAllocation + Available = Total in every state, recovery included.
 */
import { pinnedScan, type ScanResult } from "./bankers.ts"
import { addVectors, type Matrix, sumRows, type Vector, vectorTotal } from "./resource-snapshot.ts"

/** A detection snapshot: what is free, what each process holds and what it waits for. */
export interface DetectionState {
  /** Free instances of each resource type. */
  readonly available: Vector
  /** What each process holds. */
  readonly allocation: Matrix
  /** What each process waits for (its outstanding request). */
  readonly request: Matrix
  /** Processes aborted by recovery: gone, neither finished nor deadlocked. Default none. */
  readonly aborted?: readonly number[]
}

/** The outcome of detection. */
export interface DetectionResult extends ScanResult {
  /** Processes holding nothing: finished before the scan, in index order. */
  readonly idle: readonly number[]
  /** The finishing order: the idle processes, then the scan's takes. */
  readonly order: readonly number[]
  /** The processes that can never finish, in index order. */
  readonly deadlocked: readonly number[]
}

/** The detection algorithm on `state` (see the file header). */
export function detectDeadlock(state: DetectionState): DetectionResult {
  const aborted = state.aborted ?? []
  const holdsNothing = state.allocation.map((row) => row.every((count) => count === 0))
  const idle = holdsNothing.flatMap((nothing, i) => (nothing && !aborted.includes(i) ? [i] : []))
  const scan = pinnedScan(state.available, state.allocation, state.request, holdsNothing)
  return { ...scan, idle, order: [...idle, ...scan.order], deadlocked: scan.left }
}

/** Instances of each resource type in all: Available + ΣAllocation. */
export function totalOf(state: Pick<DetectionState, "available" | "allocation">): number[] {
  return addVectors(state.available, sumRows(state.allocation, state.available.length))
}

/** True when every resource type has exactly one instance. */
export function isSingleInstance(state: Pick<DetectionState, "available" | "allocation">): boolean {
  return totalOf(state).every((total) => total === 1)
}

/** An edge of the wait-for graph: `from` waits for `resource`, which `to` holds. */
export interface WaitForEdge {
  readonly from: number
  readonly to: number
  /** The resource type's index. */
  readonly resource: number
}

/** The wait-for graph of a single-instance state, edges in order of (from, resource). */
export function waitForGraph(state: DetectionState): WaitForEdge[] {
  const edges: WaitForEdge[] = []
  state.request.forEach((row, from) =>
    row.forEach((count, resource) => {
      if (count === 0) return
      const to = state.allocation.findIndex((held) => held[resource]! > 0)
      if (to >= 0 && to !== from) edges.push({ from, to, resource })
    }),
  )
  return edges
}

/**
 * The first cycle of a graph on `n` nodes, found by depth-first search from P0, P1, ... following
 * edges in order, as the list of nodes around it (the first node not repeated); undefined when the
 * graph is acyclic.
 */
export function findCycle(n: number, edges: readonly WaitForEdge[]): number[] | undefined {
  const state = new Array<"new" | "open" | "done">(n).fill("new")
  const path: number[] = []
  const visit = (node: number): number[] | undefined => {
    state[node] = "open"
    path.push(node)
    for (const edge of edges) {
      if (edge.from !== node) continue
      if (state[edge.to] === "open") return path.slice(path.indexOf(edge.to))
      if (state[edge.to] === "new") {
        const found = visit(edge.to)
        if (found !== undefined) return found
      }
    }
    path.pop()
    state[node] = "done"
    return undefined
  }
  for (let node = 0; node < n; node++) {
    if (state[node] !== "new") continue
    const found = visit(node)
    if (found !== undefined) return found
  }
  return undefined
}

/** How to break a deadlock. */
export type Recovery = "abort-all" | "abort-one" | "preempt"

/** The recovery strategies, in the order `--help` lists them. */
export const RECOVERIES: readonly Recovery[] = ["abort-one", "abort-all", "preempt"]

/** One round of recovery: the victims, what they released and detection afterwards. */
export interface RecoveryRound {
  /** The victims of this round (all deadlocked ones for `abort-all`, else one). */
  readonly victims: readonly number[]
  /** Instances returned to Available, per resource type. */
  readonly released: Vector
  /** The state after the round. */
  readonly state: DetectionState
  /** Detection on that state. */
  readonly detection: DetectionResult
}

/** The victim of `abort-one` and `preempt`: the lowest total allocation, ties the lowest index. */
export function chooseVictim(deadlocked: readonly number[], allocation: Matrix): number {
  return deadlocked.reduce((best, i) => (vectorTotal(allocation[i]!) < vectorTotal(allocation[best]!) ? i : best))
}

/** The state after the victims release everything: aborted (request gone) or rolled back (`preempt`). */
function releaseVictims(
  state: DetectionState,
  victims: readonly number[],
  recovery: Recovery,
): { state: DetectionState; released: Vector } {
  const zero = new Array<number>(state.available.length).fill(0)
  const released = sumRows(
    victims.map((i) => state.allocation[i]!),
    zero.length,
  )
  const next = {
    aborted: recovery === "preempt" ? (state.aborted ?? []) : [...(state.aborted ?? []), ...victims],
    available: addVectors(state.available, released),
    allocation: state.allocation.map((row, i) => (victims.includes(i) ? zero : row)),
    request: state.request.map((row, i) =>
      !victims.includes(i) ? row : recovery === "preempt" ? addVectors(row, state.allocation[i]!) : zero,
    ),
  }
  return { state: next, released }
}

/** Recovers from the deadlock `detection` found in `state` (no rounds when none is deadlocked). */
export function recover(state: DetectionState, detection: DetectionResult, recovery: Recovery): RecoveryRound[] {
  const rounds: RecoveryRound[] = []
  let current = state
  let found = detection
  while (found.deadlocked.length > 0) {
    const victims = recovery === "abort-all" ? found.deadlocked : [chooseVictim(found.deadlocked, current.allocation)]
    const { state: next, released } = releaseVictims(current, victims, recovery)
    found = detectDeadlock(next)
    rounds.push({ victims, released, state: next, detection: found })
    current = next
  }
  return rounds
}
