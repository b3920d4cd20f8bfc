import { describe, expect, it } from "vitest"
import {
  applyRequests,
  type BankersState,
  countSafeSequences,
  evaluateRequest,
  needOf,
  parseMatrix,
  parseRequests,
  parseVector,
  requestsProblem,
  safetyAlgorithm,
  shapeProblem,
} from "../../../src/models/deadlock/index.ts"
import { SILBERSCHATZ_T0 } from "./silberschatz-t0.ts"

const T0: BankersState = SILBERSCHATZ_T0

const safetyOf = (state: BankersState) => safetyAlgorithm(state.available, state.allocation, needOf(state))
const countOf = (state: BankersState) => countSafeSequences(state.available, state.allocation, needOf(state))

describe("the banker's algorithm on Silberschatz's example", () => {
  it("computes Need = Max − Allocation as the book's table", () => {
    expect(needOf(T0)).toEqual([
      [7, 4, 3],
      [1, 2, 2],
      [6, 0, 0],
      [0, 1, 1],
      [4, 3, 1],
    ])
  })

  it("finds T0 safe with the pinned scan's <P1, P3, P4, P0, P2>, Work ending at Total (10,5,7)", () => {
    const safety = safetyOf(T0)

    expect(safety.complete).toBe(true)
    expect(safety.order).toEqual([1, 3, 4, 0, 2])
    expect(safety.steps.map((step) => step.pass)).toEqual([1, 1, 1, 2, 2])
    expect(safety.steps.map((step) => step.workAfter)).toEqual([
      [5, 3, 2],
      [7, 4, 3],
      [7, 4, 5],
      [7, 5, 5],
      [10, 5, 7],
    ])
  })

  it("counts 16 safe sequences at T0, the book's <P1, P3, P4, P2, P0> among them", () => {
    expect(countOf(T0)).toBe(16)
  })

  it("grants P1's (1,0,2): Available (2,3,0), Allocation[P1] (3,0,2), Need[P1] (0,2,0), 8 safe sequences", () => {
    const outcome = evaluateRequest(T0, 1, [1, 0, 2])

    expect(outcome.verdict).toBe("granted")
    expect(outcome.after.available).toEqual([2, 3, 0])
    expect(outcome.after.allocation[1]).toEqual([3, 0, 2])
    expect(needOf(outcome.after)[1]).toEqual([0, 2, 0])
    expect(outcome.pretend!.order).toEqual([1, 3, 4, 0, 2])
    expect(countOf(outcome.after)).toBe(8)
  })

  it("then makes P4's (3,3,0) wait (not available) and P0's (0,2,0) wait (unsafe), in order", () => {
    const outcomes = applyRequests(T0, [
      { process: 1, request: [1, 0, 2] },
      { process: 4, request: [3, 3, 0] },
      { process: 0, request: [0, 2, 0] },
    ])

    expect(outcomes.map((outcome) => outcome.verdict)).toEqual(["granted", "wait-unavailable", "wait-unsafe"])
    expect(outcomes[2]!.pretend!.available).toEqual([2, 1, 0])
    expect(outcomes[2]!.pretend!.need).toEqual([
      [7, 2, 3],
      [0, 2, 0],
      [6, 0, 0],
      [0, 1, 1],
      [4, 3, 1],
    ])
    expect(outcomes[2]!.after).toBe(outcomes[1]!.after)
  })

  it("decides the same requests differently at T0 (the context trap): P4's unsafe, P0's granted", () => {
    expect(evaluateRequest(T0, 4, [3, 3, 0]).verdict).toBe("wait-unsafe")
    expect(evaluateRequest(T0, 0, [0, 2, 0]).verdict).toBe("granted")
  })

  it("calls a request above Need an error (exceeds claim) before looking at Available, and changes nothing", () => {
    const outcome = evaluateRequest(T0, 3, [1, 0, 0])

    expect(outcome.verdict).toBe("error-exceeds-claim")
    expect(outcome.reason).toBe("P3 asks for more than it may still claim: A: 1 > 0 in Need")
    expect(outcome.after).toBe(T0)
  })

  it("finds an unsafe state unsafe, naming the processes left", () => {
    const unsafe = { ...T0, available: [0, 0, 0] }

    const safety = safetyOf(unsafe)

    expect(safety.complete).toBe(false)
    expect(safety.left).toEqual([0, 1, 2, 3, 4])
    expect(countOf(unsafe)).toBe(0)
  })
})

describe("the snapshot formats", () => {
  it("reads vectors, matrices and requests", () => {
    expect(parseVector("3,3,2", "--available")).toEqual({ ok: true, value: [3, 3, 2] })
    expect(parseMatrix("7,5,3:3,2,2", "--max")).toEqual({
      ok: true,
      value: [
        [7, 5, 3],
        [3, 2, 2],
      ],
    })
    expect(parseRequests("P1=1,0,2;P4=3,3,0")).toEqual({
      ok: true,
      value: [
        { process: 1, request: [1, 0, 2] },
        { process: 4, request: [3, 3, 0] },
      ],
    })
    expect(parseRequests("none")).toEqual({ ok: true, value: [] })
  })

  it("names negative counts, rows of different lengths and unknown process names", () => {
    expect(parseVector("3,-1,2", "--available")).toEqual({
      ok: false,
      error: "--available: counts must not be negative, got -1",
    })
    expect(parseMatrix("7,5,3:3,2", "--max")).toEqual({
      ok: false,
      error:
        "--max: rows of different lengths: row P1 has 2 counts, row P0 has 3 (one count per resource type in every row)",
    })
    expect(parseRequests("Q1=1,0,2")).toMatchObject({
      ok: false,
      error: expect.stringContaining('"Q1=1,0,2" is not a request'),
    })
    expect(requestsProblem([{ process: 7, request: [1, 0, 2] }], 5, 3, "--requests")).toBe(
      "unknown process P7 in --requests (the snapshot has P0 to P4)",
    )
    expect(shapeProblem([[1, 2]], "--max", 1, 3)).toBe(
      "rows of different lengths: row P0 of --max has 2 counts, --available has 3 (one count per resource type)",
    )
  })
})
