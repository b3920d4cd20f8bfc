/**
 * Dijkstra's banker's algorithm on a snapshot (Silberschatz ch. 8): a banker lends only when,
 * after the loan, there is still an order in which every customer can borrow up to their credit
 * line, finish and repay.
 *
 * - Need = Max − Allocation.
 * - The safety algorithm ({@link safetyAlgorithm}): Work = Available; take a process whose Need
 *   fits Work, add its Allocation to Work (it finishes and releases), repeat; safe iff every process
 *   is taken. The scan order is pinned so the answer is reproducible: pass after pass over
 *   P0..Pn−1, taking each process whose Need fits the Work available at that moment, until a pass
 *   takes none (Silberschatz's snapshot gives ⟨P1, P3, P4, P0, P2⟩).
 * - Every safe sequence is counted ({@link countSafeSequences}; 16 on Silberschatz's snapshot).
 * - The resource-request algorithm ({@link evaluateRequest}): a request above the process's Need
 *   is an error (it exceeds its claim); above Available the process waits; otherwise the request is
 *   granted only when the pretend state (Available − Request, Allocation + Request) is safe.
 *
 * Invariants: Allocation ≤ Max and Need ≥ 0 in every state; ΣAllocation + Available = Total after
 * every request; a safe state stays safe when requests are granted only into safe states.
 * Left out: processes arriving or leaving, and releases (a snapshot and a list of requests).
 * The scan order and the other choices the textbook leaves open are in docs/deadlock.md.
 */
import {
  addVectors,
  firstExcess,
  fitsWithin,
  type Matrix,
  processName,
  subtractVectors,
  type Vector,
} from "./resource-snapshot.ts"

/** A banker's snapshot. */
export interface BankersState {
  /** Free instances of each resource type. */
  readonly available: Vector
  /** Each process's maximum claim. */
  readonly max: Matrix
  /** What each process holds. */
  readonly allocation: Matrix
}

/** One process taken by a scan (safety or detection): it finishes and releases what it holds. */
export interface ScanStep {
  /** Its index. */
  readonly process: number
  /** The pass it was taken in, from 1. */
  readonly pass: number
  /** What it still needs (Need for safety, Request for detection). */
  readonly demand: Vector
  /** Work before it was taken (its demand fits this). */
  readonly work: Vector
  /** Work after it released its allocation. */
  readonly workAfter: Vector
}

/** The outcome of a scan: the processes taken in order, and those left. */
export interface ScanResult {
  /** True when every process was taken. */
  readonly complete: boolean
  /** The process indices in the order taken. */
  readonly order: readonly number[]
  /** Each take with Work before and after. */
  readonly steps: readonly ScanStep[]
  /** The processes never taken, in index order. */
  readonly left: readonly number[]
  /** Work at the end. */
  readonly work: Vector
}

/** Need = Max − Allocation, row by row. */
export function needOf(state: Pick<BankersState, "max" | "allocation">): number[][] {
  return state.max.map((row, i) => subtractVectors(row, state.allocation[i]!))
}

/**
 * The pinned scan shared by the safety and detection algorithms: pass after pass over P0..Pn−1,
 * taking each untaken process whose demand fits the Work of that moment (Work then grows by its
 * allocation), until a pass takes none. `taken` marks processes finished before the scan.
 */
export function pinnedScan(
  available: Vector,
  allocation: Matrix,
  demand: Matrix,
  taken: readonly boolean[] = allocation.map(() => false),
): ScanResult {
  const finished = [...taken]
  let work: Vector = available
  const steps: ScanStep[] = []
  for (let pass = 1; ; pass++) {
    let took = false
    for (let i = 0; i < allocation.length; i++) {
      if (finished[i] || !fitsWithin(demand[i]!, work)) continue
      const workAfter = addVectors(work, allocation[i]!)
      steps.push({ process: i, pass, demand: demand[i]!, work, workAfter })
      work = workAfter
      finished[i] = true
      took = true
    }
    if (!took) break
  }
  const left = finished.flatMap((done, i) => (done ? [] : [i]))
  return { complete: left.length === 0, order: steps.map((step) => step.process), steps, left, work }
}

/** The safety algorithm with the pinned scan order (see the file header). */
export function safetyAlgorithm(available: Vector, allocation: Matrix, need: Matrix): ScanResult {
  return pinnedScan(available, allocation, need)
}

/**
 * The number of safe sequences: orders of all processes in which each one's Need fits the Work
 * left by those before it. Work depends only on which processes have finished, so the count is
 * memoised per subset (2^n subsets, n ≤ 16).
 */
export function countSafeSequences(available: Vector, allocation: Matrix, need: Matrix): number {
  const n = allocation.length
  const full = (1 << n) - 1
  const memo = new Map<number, number>()
  const count = (finished: number, work: Vector): number => {
    if (finished === full) return 1
    const known = memo.get(finished)
    if (known !== undefined) return known
    let total = 0
    for (let i = 0; i < n; i++) {
      if ((finished & (1 << i)) === 0 && fitsWithin(need[i]!, work))
        total += count(finished | (1 << i), addVectors(work, allocation[i]!))
    }
    memo.set(finished, total)
    return total
  }
  return count(0, available)
}

/** A request's verdict. */
export type RequestVerdict = "granted" | "wait-unavailable" | "wait-unsafe" | "error-exceeds-claim"

/** The verdict of one request, with the reason and the state it leaves. */
export interface RequestOutcome {
  /** The requesting process's index. */
  readonly process: number
  /** What it asked for. */
  readonly request: Vector
  /** The verdict. */
  readonly verdict: RequestVerdict
  /** Why, in one sentence with the numbers. */
  readonly reason: string
  /** The safety algorithm on the pretend state, when the request got that far. */
  readonly pretend?: ScanResult & { readonly available: Vector; readonly need: Matrix }
  /** The state after the request: the pretend state when granted, else the state before. */
  readonly after: BankersState
}

/**
 * The resource-request algorithm for `process` asking for `request` in `state`: (1) Request >
 * Need → `error-exceeds-claim` (the process broke its declared maximum; nothing changes); (2)
 * Request > Available → `wait-unavailable`; (3) pretend to grant and run the safety algorithm:
 * safe → `granted` (the pretend state becomes the state), unsafe → `wait-unsafe` (rolled back).
 */
export function evaluateRequest(state: BankersState, process: number, request: Vector): RequestOutcome {
  const need = needOf(state)
  const name = processName(process)
  const base = { process, request }
  const excess = firstExcess(request, need[process]!)
  if (excess !== undefined)
    return {
      ...base,
      verdict: "error-exceeds-claim",
      reason: `${name} asks for more than it may still claim: ${excess} in Need`,
      after: state,
    }
  const short = firstExcess(request, state.available)
  if (short !== undefined)
    return {
      ...base,
      verdict: "wait-unavailable",
      reason: `not enough free: ${short} in Available`,
      after: state,
    }
  const available = subtractVectors(state.available, request)
  const allocation = state.allocation.map((row, i) => (i === process ? addVectors(row, request) : row))
  const pretendNeed = needOf({ max: state.max, allocation })
  const scan = safetyAlgorithm(available, allocation, pretendNeed)
  const pretend = { ...scan, available, need: pretendNeed }
  if (!scan.complete)
    return {
      ...base,
      verdict: "wait-unsafe",
      reason: `granting it would leave an unsafe state: with Available (${available.join(",")}) no order finishes ${scan.left.map(processName).join(", ")}`,
      pretend,
      after: state,
    }
  return {
    ...base,
    verdict: "granted",
    reason: `the pretend state is safe: <${scan.order.map(processName).join(", ")}>`,
    pretend,
    after: { available, max: state.max, allocation },
  }
}

/** The requests applied in order: each sees the state the previous ones left (granted ones change it). */
export function applyRequests(
  state: BankersState,
  requests: readonly { readonly process: number; readonly request: Vector }[],
): RequestOutcome[] {
  const outcomes: RequestOutcome[] = []
  let current = state
  for (const { process, request } of requests) {
    const outcome = evaluateRequest(current, process, request)
    outcomes.push(outcome)
    current = outcome.after
  }
  return outcomes
}
