/**
 * `no-message-lost` over hand-built event sequences: the `max` rule's loss, a commit of positions
 * while workers were busy, auto-commit's duplicates, a retried async commit moving the committed
 * offset back, records not reached yet (lag, not loss), a seek, and at-most-once by design.
 */
import { describe, expect, it } from "vitest"
import type { Traced } from "../../../../src/kernel/index.ts"
import {
  atMostOnceReason,
  checkNoMessageLost,
  compactRanges,
  type MessageLossEvent,
  messageLoss,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"

const tp0: TopicPartition = { topic: "t0", partition: 0 }
let seq = 0
const at = <E extends MessageLossEvent>(t: number, event: E): Traced<E> => ({ t, seq: seq++, ...event })
const acked = (t: number, baseOffset: number, records: number) =>
  at(t, { type: "BatchAcknowledged", partition: 0, broker: 1, baseOffset, records, error: "NONE" })
const started = (t: number, consumer: string, fromOffset: number, toOffset = fromOffset) =>
  at(t, { type: "ProcessingStarted", group: "g", consumer, partition: tp0, fromOffset, toOffset })
const finished = (t: number, consumer: string, fromOffset: number, toOffset = fromOffset, completed = true) =>
  at(t, { type: "ProcessingFinished", group: "g", consumer, partition: tp0, fromOffset, toOffset, completed })
const committed = (t: number, member: string, offset: number) =>
  at(t, { type: "OffsetsCommitted", group: "g", member, generation: 1, offsets: { "t0-0": offset } })
const crashed = (t: number, node: string) => at(t, { type: "NodeCrashed", node, processesKilled: 3, messagesLost: 0 })
/** Processed one by one, each finishing at `t`. */
const each = (t: number, consumer: string, offsets: number[]) =>
  offsets.flatMap((o) => [started(t - 1, consumer, o), finished(t, consumer, o)])

const options = { group: "g", partitionOf: () => tp0 }

describe("messageLoss", () => {
  it("the max rule: 4 and 5 finish while 3 runs, the commit of 6 passes 3, a crash loses it", () => {
    const events = [
      acked(1, 0, 10),
      ...each(10, "c0", [0, 1, 2]),
      started(11, "c0", 3),
      ...each(15, "c0", [4, 5]),
      committed(20, "c0-aaaa", 6),
      crashed(30, "c0"),
      finished(30, "c0", 3, 3, false),
      ...each(101, "c1", [6, 7, 8, 9]),
      committed(110, "c1-bbbb", 10),
    ]
    const loss = messageLoss(events, options)
    expect(loss).toEqual({
      group: "g",
      acknowledged: 10,
      processed: 9,
      lost: 1,
      duplicates: 0,
      pending: 0,
      lostOffsets: { t0p0: "3" },
      duplicateOffsets: {},
      committedOffsets: { t0p0: 10 },
      lostExplanations: [
        "t0p0 offset 3 lost: c0 committed 6 at 20ms, the highest finished offset 5 + 1 while 3 was unfinished " +
          "(the max rule); c0 crashed at 30ms before processing it; c1 resumed at offset 6 (100ms)",
      ],
      duplicateExplanations: [],
      atMostOnce: undefined,
    })
    expect(checkNoMessageLost(loss)).toEqual({
      name: "no-message-lost",
      held: false,
      detail:
        "group g: 10 acknowledged, 9 processed, 1 lost, 0 duplicate(s), 0 not reached yet; lost t0p0: 3. " +
        loss.lostExplanations[0],
    })
  })

  it("a commit of positions while the workers were busy loses everything handed out and unfinished", () => {
    const events = [
      acked(1, 0, 10),
      ...each(4, "c0", [0, 1]),
      committed(5, "c0-aaaa", 10),
      crashed(6, "c0"),
      committed(50, "c1-bbbb", 10),
    ]
    const loss = messageLoss(events, options)
    expect(loss.lostOffsets).toEqual({ t0p0: "2-9" })
    expect([loss.lost, loss.processed, loss.pending]).toEqual([8, 2, 0])
    expect(loss.lostExplanations).toEqual([
      "t0p0 offsets 2-9 lost: c0 committed 10 at 5ms, the position: records handed out but not yet processed " +
        "(a commit of positions while the workers were still busy); c0 crashed at 6ms before processing it; " +
        "no consumer processed the partition again",
    ])
  })

  it("a commit as sent names its rule and reason: positions by auto-commit, though the last record had finished", () => {
    const sent = at(4.5, {
      type: "OffsetsCommitSent",
      group: "g",
      consumer: "c0",
      member: "c0-aaaa",
      offsets: { "t0-0": 4 },
      rule: "position",
      reason: "auto",
    })
    const events = [acked(1, 0, 4), started(1, "c0", 0), started(1, "c0", 1), ...each(4, "c0", [2, 3])]
    const loss = messageLoss([...events, sent, committed(5, "c0-aaaa", 4), crashed(6, "c0")], options)
    expect(loss.lostExplanations).toEqual([
      "t0p0 offsets 0-1 lost: c0 committed 4 at 5ms, the position: records handed out but not yet processed " +
        "(a commit of positions while the workers were still busy), by auto-commit; c0 crashed at 6ms before " +
        "processing it; no consumer processed the partition again",
    ])
    const withoutSent = messageLoss([...events, committed(5, "c0-aaaa", 4), crashed(6, "c0")], options)
    expect(withoutSent.lostExplanations[0]).toContain("the highest finished offset 3 + 1 while 0 was unfinished")
  })

  it("auto-commit: a crash after the last commit makes the replacement process 5-9 again (duplicates, no loss)", () => {
    const events = [
      acked(1, 0, 10),
      committed(5, "c0-aaaa", 5),
      started(6, "c0", 0, 9),
      finished(10, "c0", 0, 9),
      crashed(20, "c0"),
      started(60, "c1", 5, 9),
      finished(70, "c1", 5, 9),
      committed(75, "c1-bbbb", 10),
    ]
    const loss = messageLoss(events, options)
    expect([loss.lost, loss.duplicates, loss.processed]).toEqual([0, 5, 10])
    expect(loss.duplicateOffsets).toEqual({ t0p0: "5-9" })
    expect(loss.duplicateExplanations).toEqual([
      "t0p0 offsets 5-9 processed twice: by c0 at 10ms, again by c1 at 70ms; c0 crashed at 20ms and " +
        "processing resumed from the committed offset 5",
    ])
    expect(checkNoMessageLost(loss)).toEqual({
      name: "no-message-lost",
      held: true,
      detail: "group g: 10 acknowledged, 10 processed, 0 lost, 5 duplicate(s), 0 not reached yet",
    })
  })

  it("a retried older async commit landing after a newer one moves the committed offset back: duplicates", () => {
    const events = [
      acked(1, 0, 10),
      ...each(8, "c0", [0, 1, 2, 3, 4, 5, 6, 7]),
      committed(10, "c0-aaaa", 8),
      committed(12, "c0-aaaa", 4),
      crashed(20, "c0"),
      ...each(70, "c1", [4, 5, 6, 7, 8, 9]),
      committed(75, "c1-bbbb", 10),
    ]
    const loss = messageLoss(events, options)
    expect(loss.duplicateOffsets).toEqual({ t0p0: "4-7" })
    expect(loss.duplicates).toBe(4)
    expect(loss.duplicateExplanations).toEqual([
      "t0p0 offsets 4-7 processed twice: by c0 at 8ms, again by c1 at 70ms; c0 crashed at 20ms and " +
        "processing resumed from the committed offset 4 (an older commit landing at 12ms moved it back from 8 to 4)",
    ])
  })

  it("records the group has not reached are pending (lag), not lost; a seek's skipped records are not the group's", () => {
    const events = [acked(1, 0, 10), ...each(5, "c0", [0, 1, 2, 3, 4]), committed(6, "c0-aaaa", 5)]
    const loss = messageLoss(events, options)
    expect([loss.lost, loss.pending, loss.processed]).toEqual([0, 5, 5])
    const sought = [acked(1, 0, 10), ...each(5, "c0", [6, 7, 8, 9]), committed(6, "c0-aaaa", 10)]
    expect(messageLoss(sought, { ...options, startOffset: () => 6 })).toMatchObject({ acknowledged: 4, lost: 0 })
    expect(messageLoss(sought, options)).toMatchObject({ acknowledged: 10, lost: 6, lostOffsets: { t0p0: "0-5" } })
  })

  it("records still being processed when the run ends are pending, not lost, even below a max-rule commit", () => {
    const events = [
      acked(1, 0, 6),
      ...each(5, "c0", [0, 1]),
      started(6, "c0", 2),
      started(6, "c0", 3, 4),
      ...each(8, "c0", [5]),
      committed(9, "c0-aaaa", 6),
    ]

    const loss = messageLoss(events, options)

    expect([loss.lost, loss.pending, loss.processed]).toEqual([0, 3, 3])
    const killed = [...events, crashed(10, "c0"), finished(10, "c0", 2, 2, false), finished(10, "c0", 3, 4, false)]
    expect(messageLoss(killed, options)).toMatchObject({ lost: 3, pending: 0, lostOffsets: { t0p0: "2-4" } })
  })

  it("ignores unacknowledged records (failed or acks=0 batches) and other groups' processing", () => {
    const events = [
      at(1, { type: "BatchAcknowledged", partition: 0, broker: 1, baseOffset: -1, records: 5, error: "NONE" }),
      at(1, {
        type: "BatchAcknowledged",
        partition: 0,
        broker: 1,
        baseOffset: 0,
        records: 5,
        error: "NOT_ENOUGH_REPLICAS",
      }),
      at(2, {
        type: "ProcessingFinished",
        group: "h",
        consumer: "x",
        partition: tp0,
        fromOffset: 0,
        toOffset: 4,
        completed: true,
      }),
      committed(3, "c0-aaaa", 5),
    ] as Traced<MessageLossEvent>[]
    expect(messageLoss(events, options)).toMatchObject({ acknowledged: 0, processed: 0, lost: 0, duplicates: 0 })
  })

  it("at-most-once by design: the check holds as not applicable, with the reason and the numbers", () => {
    const reason = atMostOnceReason({ commit: "none", autoOffsetReset: "latest" })
    expect(reason).toBe("no commits and auto.offset.reset=latest: a replacement starts at the log end")
    expect(atMostOnceReason({ commit: "none", autoOffsetReset: "earliest" })).toBeUndefined()
    expect(atMostOnceReason({ commit: "auto", autoOffsetReset: "latest" })).toBeUndefined()
    const events = [acked(1, 0, 10), ...each(4, "c0", [0, 1]), committed(5, "c0-aaaa", 10)]
    expect(checkNoMessageLost(messageLoss(events, { ...options, atMostOnce: reason! }))).toEqual({
      name: "no-message-lost",
      held: true,
      detail:
        "not applicable: at-most-once by design (no commits and auto.offset.reset=latest: a replacement starts at " +
        "the log end); 10 acknowledged, 2 processed, 8 lost, 0 duplicate(s), 0 not reached yet",
    })
  })

  it("compactRanges", () => {
    expect(compactRanges([])).toBe("")
    expect(compactRanges([9, 1, 2, 3, 7, 3])).toBe("1-3,7,9")
  })
})

describe("laws: no-message-lost", () => {
  it("the checker rejects a known-bad run (a commit past an unprocessed record, then a crash)", () => {
    const bad = [acked(1, 0, 3), ...each(3, "c0", [0, 2]), committed(4, "c0-aaaa", 3), crashed(5, "c0")]
    expect(checkNoMessageLost(messageLoss(bad, options)).held).toBe(false)
  })
  it("the checker accepts a fault-free run (everything processed once and committed)", () => {
    const good = [acked(1, 0, 3), ...each(3, "c0", [0, 1, 2]), committed(4, "c0-aaaa", 3)]
    expect(checkNoMessageLost(messageLoss(good, options))).toMatchObject({ held: true })
  })
})
