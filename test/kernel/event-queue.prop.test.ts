/**
 * Properties of the event queue against oracles: the heap pops exactly what a sorted list would,
 * under any interleaving of pushes and pops; the FIFO ring is a FIFO whatever its growth.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/event-queue.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventQueue, FifoQueue, orderKey } from "../../src/kernel/event-queue.ts"
import { checkProperty, FC_SEED } from "../laws/index.ts"

const testFile = "test/kernel/event-queue.prop.test.ts"

type Op = { readonly kind: "push"; readonly time: number; readonly priority: number } | { readonly kind: "pop" }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("push" as const),
      // few distinct times and fractions, so ties are common
      time: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 5, noNaN: true })),
      priority: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.constant({ kind: "pop" as const }), weight: 2 },
)

describe(`EventQueue properties (FC_SEED=${FC_SEED})`, () => {
  it("pops in the same order as a sorted oracle for pushes interleaved with pops", () => {
    checkProperty(
      fc.property(fc.array(opArb, { maxLength: 300, size: "max" }), (ops) => {
        const queue = new EventQueue<number>()
        const oracle: { time: number; key: number; id: number }[] = []
        const popped: (number | undefined)[] = []
        const expected: (number | undefined)[] = []
        let sequence = 0
        const popOracle = (): number | undefined => {
          if (oracle.length === 0) return undefined
          oracle.sort((a, b) => a.time - b.time || a.key - b.key)
          return oracle.shift()!.id
        }

        for (const op of ops) {
          if (op.kind === "push") {
            const id = sequence++
            const key = orderKey(op.priority, id)
            queue.push(op.time, key, id)
            oracle.push({ time: op.time, key, id })
          } else {
            popped.push(queue.pop())
            expected.push(popOracle())
          }
          expect(queue.size).toBe(oracle.length)
        }
        while (queue.size > 0) popped.push(queue.pop())
        while (oracle.length > 0) expected.push(popOracle())

        expect(popped).toEqual(expected)
      }),
      { testFile, numRuns: 200 },
    )
  })
})

/** More pushes than shifts, so the 16-slot ring wraps and grows. */
const pushOrShiftArb = fc.oneof(
  { arbitrary: fc.constant(true), weight: 3 },
  { arbitrary: fc.constant(false), weight: 2 },
)

describe(`FifoQueue properties (FC_SEED=${FC_SEED})`, () => {
  it("is first-in first-out across growth for any interleaving of pushes and shifts", () => {
    checkProperty(
      fc.property(fc.array(pushOrShiftArb, { maxLength: 500, size: "max" }), (pushes) => {
        const queue = new FifoQueue<number>()
        const oracle: number[] = []
        const out: (number | undefined)[] = []
        const expected: (number | undefined)[] = []
        let next = 0

        for (const push of pushes) {
          if (push) {
            queue.push(next * 10, next)
            oracle.push(next++)
          } else {
            expect(queue.peekSeq()).toBe(oracle.length > 0 ? oracle[0]! * 10 : Infinity)
            out.push(queue.shift())
            expected.push(oracle.shift())
          }
        }

        expect(out).toEqual(expected)
        expect(queue.size).toBe(oracle.length)
      }),
      { testFile, numRuns: 200 },
    )
  })
})
