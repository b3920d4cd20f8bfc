/**
 * WaitQueue: first-in first-out with lazy withdrawal, across the compaction of a long queue.
 */
import { describe, expect, it } from "vitest"
import { WITHDRAWN } from "../../src/kernel/constants.ts"
import { WaitQueue } from "../../src/kernel/wait-queue.ts"

interface Entry {
  readonly id: number
  /** Event-style flags: WITHDRAWN once withdrawn. */
  _flags: number
}

const withdrawn = (entry: Entry): boolean => (entry._flags & WITHDRAWN) !== 0

describe("WaitQueue", () => {
  it("shifts in push order, skipping withdrawn entries, before and after compaction", () => {
    const queue = new WaitQueue<Entry>()
    const entries: Entry[] = Array.from({ length: 3000 }, (_, id) => ({ id, _flags: 0 }))
    for (const entry of entries) queue.push(entry)
    // Withdraw every third entry; the queue only learns the count.
    for (const entry of entries) {
      if (entry.id % 3 === 0) {
        entry._flags |= WITHDRAWN
        queue.noteWithdrawn()
      }
    }
    const out: number[] = []
    // The consumed prefix is compacted away (in place) once it is half the array, while 600
    // entries still wait.
    for (let i = 0; i < 1400; i++) out.push(queue.shift()!.id)
    expect(queue.length).toBe(2000 - 1400)
    expect(queue.peek()!.id).toBe(entries.filter((e) => !withdrawn(e))[1400]!.id)
    queue.push({ id: 3000, _flags: 0 })
    while (queue.length > 0) out.push(queue.shift()!.id)

    expect(out).toEqual([...entries.filter((e) => !withdrawn(e)).map((e) => e.id), 3000])
    expect(queue.shift()).toBeUndefined()
    expect(queue.toArray()).toEqual([])
  })

  it("lists and removes waiting entries in order after compaction", () => {
    const queue = new WaitQueue<Entry>()
    for (let id = 0; id < 2100; id++) queue.push({ id, _flags: 0 })
    for (let i = 0; i < 1100; i++) queue.shift()

    expect(queue.toArray().map((e) => e.id)).toEqual(Array.from({ length: 1000 }, (_, i) => 1100 + i))
    expect(queue.removeFirst((e) => e.id % 7 === 0)!.id).toBe(1106)
    expect(queue.length).toBe(999)
    expect(queue.shift()!.id).toBe(1100)
  })
})
