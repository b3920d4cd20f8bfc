import { describe, expect, it } from "vitest"
import { compareLists, fullSortTopK, heapTopK } from "../../../src/models/ranking/index.ts"

describe("top-K selection", () => {
  const items = [
    { id: "a1", score: 3 },
    { id: "a2", score: 9 },
    { id: "a3", score: 3 },
    { id: "a4", score: 7 },
    { id: "a5", score: -1 },
  ]

  it("keeps the best K by score, ties by id in descending byte order as ZREVRANGE", () => {
    const best = heapTopK(items, 3)

    expect(best.map((item) => item.id)).toEqual(["a2", "a4", "a3"])
    expect(fullSortTopK(items, 3)).toEqual(best)
  })

  it("returns everything, sorted, when K exceeds the items, and nothing for K = 0", () => {
    expect(heapTopK(items, 10).map((item) => item.id)).toEqual(["a2", "a4", "a3", "a1", "a5"])
    expect(heapTopK(items, 0)).toEqual([])
  })

  it("names the first rank where two lists differ", () => {
    expect(compareLists(heapTopK(items, 2), fullSortTopK(items, 2))).toBeNull()
    expect(compareLists([{ id: "a4", score: 7 }], [{ id: "a2", score: 9 }])).toBe(
      "rank 1: got a4, a full sort gives a2",
    )
  })
})
