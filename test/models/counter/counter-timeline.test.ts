/**
 * The counters' timeline: statements in SQL words, cache commands in Redis words, faults in the
 * network layer's voice, and no line for messages, cache reads or the clients' bookkeeping.
 */
import { describe, expect, it } from "vitest"
import type { Traced } from "../../../src/kernel/index.ts"
import { counterTimelineLine, type CounterEvent, describeRaceStep } from "../../../src/models/counter/index.ts"
import type { NetEvent } from "../../../src/net/index.ts"

function at(event: CounterEvent | NetEvent): Traced<CounterEvent | NetEvent> {
  return { t: 12.5, seq: 3, ...event }
}

describe("counterTimelineLine", () => {
  it("tells statements and commands as the client sent them", () => {
    const counts = { read: 1, like: 2, collect: 0 }

    expect(counterTimelineLine(at({ type: "RowSelected", client: "c1", key: "article:1", counts }))).toBe(
      "c1 SELECT article:1: read=1 like=2 collect=0",
    )
    expect(
      counterTimelineLine(
        at({ type: "CountAdded", client: "c2", key: "article:1", kind: "like", delta: -1, value: null }),
      ),
    ).toBe("c2 UPDATE article:1 SET like = like - 1: 0 rows")
    expect(
      counterTimelineLine(
        at({
          type: "CacheIncremented",
          client: "c3",
          key: "article:2",
          kind: "read",
          delta: 1,
          value: 1,
          created: true,
        }),
      ),
    ).toBe("c3 HINCRBY article:2 read +1 = 1 (key created, no TTL)")
    expect(counterTimelineLine(at({ type: "CacheEntryExpired", key: "article:2", expiredAtMs: 120.44 }))).toBe(
      "article:2 expired (its TTL ran out at t=120.4ms)",
    )
  })

  it("explains a lost update by its cause", () => {
    const lost = { type: "LostUpdateSeen", client: "c4", key: "article:1", kind: "read", value: 1 } as const

    expect(counterTimelineLine(at({ ...lost, cause: "stale-read", basis: 0, lostCounts: 1 }))).toBe(
      "LOST: c4 computed 1 from a stale read of 0: its write erased 1 update made since",
    )
    expect(counterTimelineLine(at({ ...lost, cause: "key-recreated", basis: 16, lostCounts: 15 }))).toBe(
      "LOST: article:1 expired between c4's EXISTS and its HINCRBY: the key is back holding 1 instead of 16, " +
        "with no TTL, so it never heals",
    )
  })

  it("leaves out messages, cache reads and deltas, and tells faults in the network's voice", () => {
    expect(counterTimelineLine(at({ type: "CacheRead", client: "c1", key: "article:1", hit: true }))).toBeUndefined()
    expect(
      counterTimelineLine(at({ type: "DeltaStarted", client: "c1", article: 1, kind: "like", delta: 1 })),
    ).toBeUndefined()
    expect(counterTimelineLine(at({ type: "MessageSent", id: 1, from: "c1", to: "db", port: "sql" }))).toBeUndefined()
    expect(counterTimelineLine(at({ type: "NodeCrashed", node: "db", processesKilled: 1, messagesLost: 0 }))).toBe(
      "db CRASHED",
    )
  })

  it("tells a commit by its writer's batch size", () => {
    const commit = { type: "TransactionCommitted", writer: "batch-20", commit: 2 } as const

    expect(counterTimelineLine(at({ ...commit, batchSize: 20, rows: 20 }))).toBe("batches of 20: commit 2 (20 rows)")
    expect(counterTimelineLine(at({ ...commit, batchSize: 1, rows: 1 }))).toBe("one commit per row: commit 2 (1 row)")
  })
})

describe("describeRaceStep", () => {
  it("marks a key re-created by HINCRBY only for the client-side check", () => {
    const step = {
      type: "CacheIncremented",
      client: "A",
      key: "article:1",
      kind: "like",
      delta: 1,
      value: 1,
      created: true,
    } as const

    expect(describeRaceStep(step, "cache-check-then-incr")).toBe("HINCRBY like 1 → 1 (key re-created, no TTL)")
    expect(describeRaceStep(step, "cache-hincrby")).toBe("HINCRBY like 1 → 1")
  })
})
