/**
 * The event queue's order contract, entry by entry: smallest time first, then smallest packed
 * `(priority, sequence)` key; and the FIFO ring that holds the current instant's normal events.
 */
import { describe, expect, it } from "vitest"
import { NORMAL, NORMAL_KEY, SEQUENCE_SPACE, URGENT } from "../../src/kernel/constants.ts"
import { EventQueue, FifoQueue, orderKey } from "../../src/kernel/event-queue.ts"

function drain<T>(queue: EventQueue<T>): T[] {
  const out: T[] = []
  while (queue.size > 0) out.push(queue.pop()!)
  return out
}

describe("EventQueue", () => {
  it("pops by time first, then by key, whatever the push order", () => {
    const queue = new EventQueue<string>()
    queue.push(5, orderKey(1, 3), "t5 normal #3")
    queue.push(1, orderKey(1, 9), "t1 normal #9")
    queue.push(5, orderKey(0, 7), "t5 urgent #7")
    queue.push(5, orderKey(1, 2), "t5 normal #2")
    queue.push(0, orderKey(1, 10), "t0 normal #10")

    expect(drain(queue)).toEqual(["t0 normal #10", "t1 normal #9", "t5 urgent #7", "t5 normal #2", "t5 normal #3"])
  })

  it("keeps schedule order among a hundred entries at the same time and priority", () => {
    const queue = new EventQueue<number>()
    const order = Array.from({ length: 100 }, (_, i) => i)
    // push in a scrambled order; the sequence number, not the push order, decides
    for (const i of [...order].reverse()) queue.push(3, orderKey(1, i), i)

    expect(drain(queue)).toEqual(order)
  })

  it("reports Infinity and undefined when empty, and the front entry otherwise", () => {
    const queue = new EventQueue<string>()

    expect([queue.peekTime(), queue.peekKey(), queue.peekItem(), queue.pop()]).toEqual([
      Infinity,
      Infinity,
      undefined,
      undefined,
    ])

    queue.push(2, orderKey(1, 4), "b")
    queue.push(2, orderKey(0, 5), "a")

    expect([queue.size, queue.peekTime(), queue.peekKey(), queue.peekItem()]).toEqual([2, 2, orderKey(0, 5), "a"])
  })

  it("empties on clear and works again afterwards", () => {
    const queue = new EventQueue<string>()
    queue.push(1, 0, "x")
    queue.push(2, 1, "y")

    queue.clear()
    queue.push(7, 2, "z")

    expect(drain(queue)).toEqual(["z"])
  })

  it("packs priority above any sequence number below 2^40", () => {
    expect(orderKey(0, SEQUENCE_SPACE - 1)).toBeLessThan(orderKey(1, 0))
    expect(orderKey(1, 5)).toBe(SEQUENCE_SPACE + 5)
  })

  it("gives NORMAL_KEY as the key of the first NORMAL entry, above every URGENT one", () => {
    expect(NORMAL_KEY).toBe(orderKey(NORMAL, 0))
    expect(orderKey(URGENT, SEQUENCE_SPACE - 1) + 0.5).toBeLessThan(NORMAL_KEY)
  })
})

describe("FifoQueue", () => {
  it("shifts in push order and reports each entry's sequence number", () => {
    const queue = new FifoQueue<string>()
    queue.push(4, "a")
    queue.push(9, "b")

    expect([queue.size, queue.peekSeq(), queue.peekItem()]).toEqual([2, 4, "a"])
    expect([queue.shift(), queue.peekSeq(), queue.shift(), queue.peekSeq(), queue.shift()]).toEqual([
      "a",
      9,
      "b",
      Infinity,
      undefined,
    ])
  })

  it("stays first-in first-out when it grows while wrapped around its ring", () => {
    const queue = new FifoQueue<number>()
    const out: number[] = []
    let next = 0
    for (let i = 0; i < 10; i++) queue.push(next, next++) // fill part of the 16-slot ring
    for (let i = 0; i < 8; i++) out.push(queue.shift()!) // head moves to slot 8
    for (let i = 0; i < 40; i++) queue.push(next, next++) // wraps, then grows twice
    while (queue.size > 0) out.push(queue.shift()!)

    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })
})
