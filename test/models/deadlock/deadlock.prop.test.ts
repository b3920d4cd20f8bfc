/**
 * Properties of the banker's algorithm and deadlock detection over generated snapshots, checked
 * against brute force written here from the definitions (sharing no code with src/):
 *
 * - safe-sequence counts: every permutation of the processes is tried;
 * - detection: the processes that can finish are found by exploring every set of finished
 *   processes reachable from those holding nothing, in any order (not the pinned scan);
 * - single-instance resources: deadlocked ⇔ a cycle in the wait-for graph, and the deadlocked
 *   processes are exactly those holding something from which a cycle is reachable.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  applyRequests,
  type BankersState,
  countSafeSequences,
  type DetectionState,
  detectDeadlock,
  evaluateRequest,
  findCycle,
  needOf,
  recover,
  RECOVERIES,
  safetyAlgorithm,
  waitForGraph,
} from "../../../src/models/deadlock/index.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/deadlock/deadlock.prop.test.ts"

// ---- brute force, from the definitions

type Row = readonly number[]

const le = (a: Row, b: Row): boolean => a.every((x, j) => x <= b[j]!)
const plus = (a: Row, b: Row): number[] => a.map((x, j) => x + b[j]!)

function permutations(n: number): number[][] {
  if (n === 0) return [[]]
  return permutations(n - 1).flatMap((perm) =>
    Array.from({ length: n }, (_, k) => [...perm.slice(0, k), n - 1, ...perm.slice(k)]),
  )
}

/** True when every process, in `order`, finds its need within what is free plus what those before it released. */
function validSequence(
  available: Row,
  allocation: readonly Row[],
  need: readonly Row[],
  order: readonly number[],
): boolean {
  if ([...order].sort((a, b) => a - b).join() !== allocation.map((_, i) => i).join()) return false
  let work: Row = available
  for (const i of order) {
    if (!le(need[i]!, work)) return false
    work = plus(work, allocation[i]!)
  }
  return true
}

function bruteSafeCount(state: BankersState): number {
  const need = state.max.map((row, i) => row.map((x, j) => x - state.allocation[i]![j]!))
  return permutations(state.allocation.length).filter((perm) =>
    validSequence(state.available, state.allocation, need, perm),
  ).length
}

/** The processes that can never finish: explore every reachable set of finished processes. */
function bruteDeadlocked(state: DetectionState): number[] {
  const n = state.allocation.length
  const idle = state.allocation.map((row) => row.every((x) => x === 0))
  let start = 0
  idle.forEach((nothing, i) => {
    if (nothing) start |= 1 << i
  })
  const seen = new Set<number>([start])
  const queue = [start]
  let reach = start
  while (queue.length > 0) {
    const set = queue.pop()!
    reach |= set
    let work: Row = state.available
    for (let i = 0; i < n; i++) if (set & (1 << i)) work = plus(work, state.allocation[i]!)
    for (let i = 0; i < n; i++) {
      const next = set | (1 << i)
      if (next !== set && !seen.has(next) && le(state.request[i]!, work)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return Array.from({ length: n }, (_, i) => i).filter((i) => (reach & (1 << i)) === 0)
}

const totalOf = (state: { available: Row; allocation: readonly Row[] }): number[] =>
  state.allocation.reduce<number[]>((sum, row) => plus(sum, row), [...state.available])

// ---- generators

const row = (m: number, max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: m, maxLength: m })

/** A banker's snapshot of 1-6 processes and 1-3 resource types, Allocation <= Max. */
const bankersState: fc.Arbitrary<BankersState> = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, m }) =>
    fc.tuple(
      fc.array(row(m, 5), { minLength: n, maxLength: n }),
      fc.array(row(m, 100), { minLength: n, maxLength: n }),
      row(m, 4),
    ),
  )
  .map(([max, share, available]) => ({
    available,
    max,
    allocation: max.map((claims, i) => claims.map((claim, j) => Math.floor((claim * share[i]![j]!) / 100))),
  }))

const requestsFor = (state: BankersState) =>
  fc.array(
    fc.record({
      process: fc.integer({ min: 0, max: state.allocation.length - 1 }),
      request: row(state.available.length, 3),
    }),
    { maxLength: 8 },
  )

/** A detection snapshot of 1-6 processes and 1-3 resource types, Allocation + Request <= Total. */
const detectionState: fc.Arbitrary<DetectionState> = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, m }) =>
    fc.tuple(
      fc.array(row(m, 3), { minLength: n, maxLength: n }),
      fc.array(row(m, 3), { minLength: n, maxLength: n }),
      row(m, 2),
    ),
  )
  .map(([allocation, wanted, available]) => {
    const total = totalOf({ available, allocation })
    return {
      available,
      allocation,
      request: wanted.map((want, i) => want.map((x, j) => Math.min(x, total[j]! - allocation[i]![j]!))),
    }
  })

/** One instance of each of 1-4 resource types, each free or held by one process; requests for others' resources. */
const singleInstanceState: fc.Arbitrary<DetectionState> = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, m }) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.integer({ min: -1, max: n - 1 }), { minLength: m, maxLength: m }),
      fc.array(fc.array(fc.boolean(), { minLength: m, maxLength: m }), { minLength: n, maxLength: n }),
    ),
  )
  .map(([n, holder, wants]) => {
    const allocation = Array.from({ length: n }, (_, i) => holder.map((h) => (h === i ? 1 : 0)))
    return {
      available: holder.map((h) => (h < 0 ? 1 : 0)),
      allocation,
      request: wants.map((want, i) => want.map((w, j) => (w && holder[j] !== i ? 1 : 0))),
    }
  })

// ---- properties

describe("the banker's algorithm against brute force", () => {
  it("counts exactly the safe sequences among all permutations, and the pinned scan returns a valid one iff any exists", () => {
    checkProperty(
      fc.property(bankersState, (state) => {
        const need = needOf(state)
        const brute = bruteSafeCount(state)
        const safety = safetyAlgorithm(state.available, state.allocation, need)

        expect(countSafeSequences(state.available, state.allocation, need)).toBe(brute)
        expect(safety.complete).toBe(brute > 0)
        if (safety.complete) expect(validSequence(state.available, state.allocation, need, safety.order)).toBe(true)
      }),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("keeps Allocation <= Max, Need >= 0 and ΣAllocation + Available = Total after every request, returning valid sequences", () => {
    checkProperty(
      fc.property(
        bankersState.chain((state) => fc.tuple(fc.constant(state), requestsFor(state))),
        ([state, requests]) => {
          const total = totalOf(state)
          for (const outcome of applyRequests(state, requests)) {
            const after = outcome.after
            expect(after.allocation.every((held, i) => le(held, after.max[i]!))).toBe(true)
            expect(needOf(after).every((need) => need.every((x) => x >= 0))).toBe(true)
            expect(totalOf(after)).toEqual(total)
            if (outcome.verdict === "granted")
              expect(validSequence(after.available, after.allocation, needOf(after), outcome.pretend!.order)).toBe(true)
          }
        },
      ),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("keeps a safe state deadlock-free under any requests granted only into safe states, even if every process then asks for all its Need", () => {
    checkProperty(
      fc.property(
        bankersState
          .filter((state) => bruteSafeCount(state) > 0)
          .chain((state) => fc.tuple(fc.constant(state), requestsFor(state))),
        ([state, requests]) => {
          let current = state
          for (const { process, request } of requests) {
            current = evaluateRequest(current, process, request).after
            expect(bruteSafeCount(current)).toBeGreaterThan(0)
            const worst = { available: current.available, allocation: current.allocation, request: needOf(current) }
            expect(bruteDeadlocked(worst)).toEqual([])
          }
        },
      ),
      { testFile: TEST_FILE, numRuns: 200 },
    )
  })
})

describe("deadlock detection against brute force", () => {
  it("finds exactly the processes no order of finishing can reach, with a valid finishing order", () => {
    checkProperty(
      fc.property(detectionState, (state) => {
        const detection = detectDeadlock(state)

        expect(detection.deadlocked).toEqual(bruteDeadlocked(state))
        let work: Row = state.available
        for (const i of detection.order) {
          const idle = state.allocation[i]!.every((x) => x === 0)
          expect(idle || le(state.request[i]!, work)).toBe(true)
          work = plus(work, state.allocation[i]!)
        }
        expect([...detection.order, ...detection.deadlocked].sort((a, b) => a - b)).toEqual(
          state.allocation.map((_, i) => i),
        )
      }),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("recovers with every strategy: nobody deadlocked afterwards, resources conserved in every round", () => {
    checkProperty(
      fc.property(detectionState, fc.constantFrom(...RECOVERIES), (state, recovery) => {
        const total = totalOf(state)
        const rounds = recover(state, detectDeadlock(state), recovery)

        for (const round of rounds) expect(totalOf(round.state)).toEqual(total)
        const last = rounds[rounds.length - 1]
        if (last !== undefined) expect(last.detection.deadlocked).toEqual([])
        expect(rounds.length).toBeLessThanOrEqual(state.allocation.length)
      }),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("single-instance: deadlocked ⇔ a cycle in the wait-for graph; deadlocked = holders that reach a cycle", () => {
    checkProperty(
      fc.property(singleInstanceState, (state) => {
        const n = state.allocation.length
        const edges = waitForGraph(state)
        const next = (i: number): number[] => edges.filter((edge) => edge.from === i).map((edge) => edge.to)
        const reachable = (from: number): Set<number> => {
          const seen = new Set<number>()
          const stack = next(from)
          while (stack.length > 0) {
            const node = stack.pop()!
            if (!seen.has(node)) {
              seen.add(node)
              stack.push(...next(node))
            }
          }
          return seen
        }
        const onCycle = Array.from({ length: n }, (_, i) => i).filter((i) => reachable(i).has(i))
        const holds = (i: number): boolean => state.allocation[i]!.some((x) => x > 0)
        const expected = Array.from({ length: n }, (_, i) => i).filter(
          (i) => holds(i) && (onCycle.includes(i) || onCycle.some((c) => reachable(i).has(c))),
        )

        const deadlocked = detectDeadlock(state).deadlocked
        const cycle = findCycle(n, edges)

        expect(deadlocked.length > 0).toBe(cycle !== undefined)
        expect(deadlocked).toEqual(expected)
        if (cycle !== undefined) expect(cycle.every((i) => onCycle.includes(i))).toBe(true)
      }),
      { testFile: TEST_FILE, numRuns: 500 },
    )
  })
})
