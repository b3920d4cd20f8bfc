import { describe, expect, it } from "vitest"
import {
  chooseVictim,
  type DetectionState,
  detectDeadlock,
  findCycle,
  isSingleInstance,
  recover,
  waitForGraph,
} from "../../../src/models/deadlock/index.ts"

/** Silberschatz's detection example: A=7, B=2, C=6, nothing free. */
const BOOK: DetectionState = {
  available: [0, 0, 0],
  allocation: [
    [0, 1, 0],
    [2, 0, 0],
    [3, 0, 3],
    [2, 1, 1],
    [0, 0, 2],
  ],
  request: [
    [0, 0, 0],
    [2, 0, 2],
    [0, 0, 0],
    [1, 0, 0],
    [0, 0, 2],
  ],
}

/** The same, after P2 asks for one more C. */
const DEADLOCKED: DetectionState = {
  ...BOOK,
  request: BOOK.request.map((row, i) => (i === 2 ? [0, 0, 1] : row)),
}

/** Three single-instance resources held in a ring: P0 waits for P1, P1 for P2, P2 for P0. */
const RING: DetectionState = {
  available: [0, 0, 0],
  allocation: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  request: [
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
  ],
}

describe("deadlock detection on Silberschatz's example", () => {
  it("finds no deadlock; the scan finishes <P0, P2, P3, P4, P1>", () => {
    const detection = detectDeadlock(BOOK)

    expect(detection.deadlocked).toEqual([])
    expect(detection.order).toEqual([0, 2, 3, 4, 1])
  })

  it("finds P1, P2, P3, P4 deadlocked once P2 asks for one more C (only P0 finishes)", () => {
    const detection = detectDeadlock(DEADLOCKED)

    expect(detection.deadlocked).toEqual([1, 2, 3, 4])
    expect(detection.order).toEqual([0])
    expect(detection.work).toEqual([0, 1, 0])
  })

  it("finishes processes that hold nothing before the scan, at the head of the order", () => {
    const state: DetectionState = {
      available: [0],
      allocation: [[1], [0], [1]],
      request: [[0], [5], [0]],
    }

    const detection = detectDeadlock(state)

    expect(detection.idle).toEqual([1])
    expect(detection.order).toEqual([1, 0, 2])
    expect(detection.deadlocked).toEqual([])
  })
})

describe("recovery", () => {
  it("abort-one aborts P1 (total allocation 2, tied with P4, lower index) and then nobody is deadlocked", () => {
    const rounds = recover(DEADLOCKED, detectDeadlock(DEADLOCKED), "abort-one")

    expect(rounds.map((round) => round.victims)).toEqual([[1]])
    expect(rounds[0]!.released).toEqual([2, 0, 0])
    expect(rounds[0]!.state.available).toEqual([2, 0, 0])
    expect(rounds[0]!.detection.deadlocked).toEqual([])
    expect(rounds[0]!.detection.order).toEqual([0, 3, 2, 4])
  })

  it("abort-all aborts every deadlocked process at once", () => {
    const rounds = recover(DEADLOCKED, detectDeadlock(DEADLOCKED), "abort-all")

    expect(rounds.map((round) => round.victims)).toEqual([[1, 2, 3, 4]])
    expect(rounds[0]!.state.available).toEqual([7, 1, 6])
    expect(rounds[0]!.detection.order).toEqual([0])
  })

  it("preempt rolls P1 back: it holds nothing, requests what it held plus its request, and opens the order", () => {
    const rounds = recover(DEADLOCKED, detectDeadlock(DEADLOCKED), "preempt")

    expect(rounds.map((round) => round.victims)).toEqual([[1]])
    expect(rounds[0]!.state.allocation[1]).toEqual([0, 0, 0])
    expect(rounds[0]!.state.request[1]).toEqual([4, 0, 2])
    expect(rounds[0]!.detection.order).toEqual([1, 0, 3, 2, 4])
  })

  it("chooses the lowest total allocation, ties the lowest index", () => {
    expect(chooseVictim([1, 2, 3, 4], DEADLOCKED.allocation)).toBe(1)
    expect(chooseVictim([2, 3, 4], DEADLOCKED.allocation)).toBe(4)
  })

  it("needs no round when nothing is deadlocked", () => {
    expect(recover(BOOK, detectDeadlock(BOOK), "abort-one")).toEqual([])
  })
})

describe("the wait-for graph", () => {
  it("applies only when every resource type has one instance", () => {
    expect(isSingleInstance(RING)).toBe(true)
    expect(isSingleInstance(BOOK)).toBe(false)
  })

  it("draws P0→P1, P1→P2, P2→P0 for the ring and finds the cycle P0, P1, P2", () => {
    const edges = waitForGraph(RING)

    expect(edges).toEqual([
      { from: 0, to: 1, resource: 1 },
      { from: 1, to: 2, resource: 2 },
      { from: 2, to: 0, resource: 0 },
    ])
    expect(findCycle(3, edges)).toEqual([0, 1, 2])
    expect(detectDeadlock(RING).deadlocked).toEqual([0, 1, 2])
  })

  it("finds no cycle in a chain", () => {
    const chain = {
      ...RING,
      request: [
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
    }

    expect(findCycle(3, waitForGraph(chain))).toBeUndefined()
    expect(detectDeadlock(chain).deadlocked).toEqual([])
  })
})
