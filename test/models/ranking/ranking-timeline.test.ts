import { describe, expect, it } from "vitest"
import { type RankingRecord, rankingTimeline } from "../../../src/models/ranking/index.ts"

const at = { t: 8502, seq: 1 }

describe("rankingTimeline", () => {
  it("tells a stale list accepted out of token order, and stays silent on one accepted in order", () => {
    const value = JSON.stringify({ node: "n1", period: 5, token: 1, asOfMs: 5000, list: [] })
    const stale: RankingRecord = {
      ...at,
      type: "WriteAccepted",
      node: "storage",
      client: "n1",
      token: 1,
      value,
      highestToken: 2,
    }
    const inOrder: RankingRecord = { ...stale, token: 3 }

    expect(rankingTimeline(stale)).toBe(
      "storage ACCEPTS n1's list of period 5 with token 1, below 2 already accepted: a stale list overwrites a newer one",
    )
    expect(rankingTimeline(inOrder)).toBeUndefined()
  })

  it("shows a computed list's top three with its token, and a rejected write with both tokens", () => {
    const list = [
      { id: "a7", points: 12, ageHours: 1, score: 3.14159 },
      { id: "a2", points: 9, ageHours: 2, score: 2 },
      { id: "a9", points: 4, ageHours: 0.5, score: 1.5 },
      { id: "a1", points: 3, ageHours: 3, score: 0.25 },
    ]
    const computed: RankingRecord = {
      ...at,
      type: "TopKComputed",
      node: "n2",
      period: 8,
      token: 2,
      formula: "hn",
      asOfMs: 8000,
      candidates: 4,
      list,
    }
    const value = JSON.stringify({ node: "n1", period: 5, token: 1, asOfMs: 5000, list: [] })
    const rejected: RankingRecord = {
      ...at,
      type: "WriteRejected",
      node: "storage",
      client: "n1",
      token: 1,
      value,
      highestToken: 2,
    }

    expect(rankingTimeline(computed)).toBe("n2 computed the list of period 8 (token 2): a7 3.14, a2 2.00, a9 1.50, ...")
    expect(rankingTimeline(rejected)).toBe("storage REJECTS n1's list of period 5: token 1 < 2 already accepted")
  })

  it("leaves out Redis commands and job starts", () => {
    const command: RankingRecord = {
      ...at,
      type: "CommandExecuted",
      node: "redis",
      client: "n1",
      argv: ["GET", "k"],
      reply: { bulk: null },
    }

    expect(rankingTimeline(command)).toBeUndefined()
    expect(rankingTimeline({ ...at, type: "JobStarted", node: "n1", period: 3, token: 1 })).toBeUndefined()
  })
})
