/**
 * The group's invariants over typed events (eager and cooperative moves, an eviction the member
 * has not noticed, a zombie that finishes its batch) and the two commit rules of parallel
 * processing, with the reference table.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Traced } from "../../../../src/kernel/index.ts"
import {
  checkNoConcurrentProcessing,
  checkOneOwnerPerPartition,
  type GroupEvent,
  PartitionProgress,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"

const tp = (partition: number): TopicPartition => ({ topic: "t0", partition })
let seq = 0
const at = <E extends GroupEvent>(t: number, event: E): Traced<E> => ({ t, seq: seq++, ...event })
const assigned = (t: number, member: string, partitions: number[]) =>
  at(t, {
    type: "PartitionsAssigned",
    group: "g",
    consumer: member,
    member,
    generation: 1,
    partitions: partitions.map(tp),
  })
const revoked = (t: number, member: string, partitions: number[]) =>
  at(t, { type: "PartitionsRevoked", group: "g", consumer: member, member, partitions: partitions.map(tp) })
const removed = (t: number, member: string) =>
  at(t, { type: "MemberRemoved", group: "g", member, reason: "session-timeout" })
const started = (t: number, consumer: string, partition: number) =>
  at(t, { type: "ProcessingStarted", group: "g", consumer, partition: tp(partition), fromOffset: 0, toOffset: 9 })
const finished = (t: number, consumer: string, partition: number) =>
  at(t, {
    type: "ProcessingFinished",
    group: "g",
    consumer,
    partition: tp(partition),
    fromOffset: 0,
    toOffset: 9,
    completed: true,
  })

describe("one-owner-per-partition", () => {
  it("holds for an eager rebalance (revoke everything, then assign) and a cooperative two-step move", () => {
    const eager: Traced<GroupEvent>[] = [
      assigned(0, "a", [0, 1]),
      revoked(10, "a", [0, 1]),
      assigned(12, "a", [0]),
      assigned(12, "b", [1]),
    ]
    expect(checkOneOwnerPerPartition(eager, "g")).toEqual({
      name: "one-owner-per-partition",
      held: true,
      detail: "2 partition(s) owned, never two at once",
    })
    const cooperative: Traced<GroupEvent>[] = [assigned(0, "a", [0, 1]), revoked(10, "a", [1]), assigned(15, "b", [1])]
    expect(checkOneOwnerPerPartition(cooperative, "g").held).toBe(true)
  })

  it("fails when a partition is given to a new owner before the old one revoked it", () => {
    const oneStep: Traced<GroupEvent>[] = [assigned(0, "a", [0, 1]), assigned(10, "b", [1]), revoked(11, "a", [1])]
    const verdict = checkOneOwnerPerPartition(oneStep, "g")
    expect(verdict.held).toBe(false)
    expect(verdict.detail).toMatch(/^t0-1: /)
  })

  it("an evicted member stops owning at its eviction, even if it has not noticed", () => {
    const evicted: Traced<GroupEvent>[] = [
      assigned(0, "a", [0]),
      removed(45_000, "a"),
      assigned(48_000, "b", [0]),
      revoked(60_000, "a", [0]),
    ]
    expect(checkOneOwnerPerPartition(evicted, "g").held).toBe(true)
  })
})

describe("no-concurrent-processing", () => {
  it("breaks with a zombie: paused past the session timeout, it finishes its batch after its partition moved", () => {
    const zombie: Traced<GroupEvent>[] = [
      assigned(0, "a", [0]),
      started(1000, "a", 0), // a pauses mid-batch (GC) ...
      removed(46_000, "a"),
      assigned(49_000, "b", [0]),
      started(49_100, "b", 0),
      finished(50_000, "a", 0), // ... and wakes up to finish a batch b is also processing
      finished(50_100, "b", 0),
    ]
    expect(checkOneOwnerPerPartition(zombie, "g").held).toBe(true)
    const verdict = checkNoConcurrentProcessing(zombie, "g")
    expect(verdict.held).toBe(false)
    expect(verdict.detail).toMatch(/^t0-0: /)
  })

  it("holds when processing hands over cleanly", () => {
    const clean: Traced<GroupEvent>[] = [
      started(0, "a", 0),
      finished(5, "a", 0),
      started(5, "b", 0),
      finished(9, "b", 0),
    ]
    expect(checkNoConcurrentProcessing(clean, "g")).toEqual({
      name: "no-concurrent-processing",
      held: true,
      detail: "1 partition(s) processed, never two at once",
    })
  })
})

describe("commit rules", () => {
  const progress = (finished: number[]): PartitionProgress => {
    const p = new PartitionProgress(0)
    for (const offset of finished) p.finish(offset)
    return p
  }

  it("the reference table: contiguous commits the lowest unfinished offset, max the highest finished + 1", () => {
    const rows: [number[], number, number][] = [
      [[0, 1, 2], 3, 3],
      [[0, 1, 2, 4, 5], 3, 6],
      [[0, 1, 2, 3, 4, 5], 6, 6],
      [[1, 2, 3, 4, 5, 6, 7, 8, 9], 0, 10],
      [[], 0, 0],
    ]
    for (const [finished, contiguous, max] of rows) {
      const p = progress(finished)
      expect([p.commitOffset("contiguous"), p.commitOffset("max")], JSON.stringify(finished)).toEqual([contiguous, max])
    }
    expect(progress([0, 1, 2, 4, 5, 8]).skippedByMax()).toEqual([3, 6, 7])
  })

  it("contiguous never commits past an unfinished offset; max does exactly when one below it is unfinished", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 40 }), (finished) => {
        const p = progress(finished)
        const done = new Set(finished)
        const firstUnfinished = [...Array(42).keys()].find((o) => !done.has(o))!
        expect(p.commitOffset("contiguous")).toBe(firstUnfinished)
        expect(p.skippedByMax().length > 0).toBe(p.commitOffset("max") > firstUnfinished)
      }),
    )
  })

  it("refuses an offset before the start", () => {
    expect(() => new PartitionProgress(5).finish(4)).toThrow("offset must be a whole number >= 5, got 4")
  })
})
