/**
 * The counters' timeline: statements in SQL words, cache commands in Redis words, faults in the
 * network layer's voice, and no line for messages, cache reads or the clients' bookkeeping.
 */
import { describe, expect, it } from "vitest"
import type { Traced } from "../../../src/kernel/index.ts"
import {
  counterTimelineLine,
  type CounterEvent,
  describeRaceStep,
  describeRaceSteps,
  raceLog,
} from "../../../src/models/counter/index.ts"
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
    const command = { type: "CommandExecuted", node: "cache", client: "c3" } as const
    expect(
      counterTimelineLine(at({ ...command, argv: ["HINCRBY", "article:2", "read", "1"], reply: { integer: 1 } })),
    ).toBe("c3> HINCRBY article:2 read 1  →  (integer) 1")
    expect(
      counterTimelineLine(
        at({ ...command, argv: ["FCALL", "incr_if_exists", "1", "article:2", "like", "-1"], reply: { bulk: null } }),
      ),
    ).toBe("c3> FCALL incr_if_exists 1 article:2 like -1  →  (nil)")
    expect(counterTimelineLine(at({ type: "KeyExpired", node: "cache", key: "article:2", way: "active" }))).toBe(
      "cache: key article:2 removed by the active expiry cycle (TTL passed)",
    )
    expect(counterTimelineLine(at({ type: "KeyspaceLost", node: "cache", keys: 3 }))).toBe(
      "cache: every key lost in the crash (3; no persistence)",
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
    expect(counterTimelineLine(at({ ...lost, cause: "key-lost", basis: 16, lostCounts: 15 }))).toBe(
      "LOST: article:1 was lost in the cache's crash between c4's EXISTS and its HINCRBY: the key is back " +
        "holding 1 instead of 16, with no TTL, so it never heals",
    )
  })

  it("leaves out messages, cache reads and deltas, and tells faults in the network's voice", () => {
    expect(
      counterTimelineLine(
        at({
          type: "CommandExecuted",
          node: "cache",
          client: "c1",
          argv: ["HGETALL", "article:1"],
          reply: { array: [] },
        }),
      ),
    ).toBeUndefined()
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
      type: "CommandExecuted",
      node: "cache",
      client: "A",
      argv: ["HINCRBY", "article:1", "like", "1"],
      reply: { integer: 1 },
    } as const

    expect(describeRaceStep(step, "cache-check-then-incr", true)).toBe("HINCRBY like 1 → 1 (key re-created, no TTL)")
    expect(describeRaceStep(step, "cache-check-then-incr", false)).toBe("HINCRBY like 1 → 1")
    expect(describeRaceStep(step, "cache-hincrby", true)).toBe("HINCRBY like 1 → 1")
  })

  it("follows whether the key exists along a run: re-created only after the TTL removed it", () => {
    const upsert = { type: "CountUpserted", key: "article:1", kind: "like", delta: 1, inserted: false } as const
    const exists = (client: string, yes: boolean) =>
      ({
        type: "CommandExecuted",
        node: "cache",
        client,
        argv: ["EXISTS", "article:1"],
        reply: { integer: yes ? 1 : 0 },
      }) as const
    const incr = (client: string, value: number) =>
      ({
        type: "CommandExecuted",
        node: "cache",
        client,
        argv: ["HINCRBY", "article:1", "like", "1"],
        reply: { integer: value },
      }) as const
    const run = {
      stateKey: "like=1",
      steps: [
        { ...upsert, client: "A", value: 1 },
        exists("A", true),
        incr("A", 1),
        { type: "KeyExpired", node: "cache", key: "article:1", way: "active" },
        { ...upsert, client: "B", value: 2 },
        exists("B", false),
      ],
    } as const

    expect(raceLog(run, "cache-check-then-incr")).toEqual([
      "A: UPSERT like + 1 (database)",
      "A: EXISTS → yes",
      "A: HINCRBY like 1 → 1",
      "ttl: the cache entry expires",
      "B: UPSERT like + 1 (database)",
      "B: EXISTS → no",
    ])
    const recreated = { ...run, steps: [run.steps[3], exists("A", true), incr("A", 1)] }
    expect(describeRaceSteps(recreated, "cache-check-then-incr")).toEqual([
      "the cache entry expires",
      "EXISTS → yes",
      "HINCRBY like 1 → 1 (key re-created, no TTL)",
    ])
  })
})
