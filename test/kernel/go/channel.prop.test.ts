/**
 * Channels against a reference model of Go's rules, and `select`'s uniform choice.
 *
 * The model keeps, per channel, the buffer, the lines of parked senders and receivers (a parked
 * select stands in the lines of all its channels, and leaves them all when one case runs) and the
 * closed flag, and predicts what each operation does: complete at once, park, wake which parked
 * goroutine with which value, or panic. A random program of sends, receives, closes and selects
 * (receive and send cases on several channels, with or without default) on channels with random
 * buffer sizes runs one operation at a time, each in a new goroutine; after each, the goroutines
 * that finished, with what, must be the ones the model says, and the deadlock report must list
 * exactly the goroutines the model has parked. Where several select cases are ready the channel
 * picks one at random: the model checks the pick was ready and follows it.
 *
 * So every value is received exactly once and in FIFO order per channel, a receive after drain
 * and close gets no value, and an unbuffered send completes only together with its receive.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/go/channel.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Channel, recvCase, select, type SelectCase, sendCase } from "../../../src/kernel/channel.ts"
import { GoDeadlock, GoPanic, goRuntime } from "../../../src/kernel/go-runtime.ts"
import { Simulation } from "../../../src/kernel/simulation.ts"
import { checkProperty } from "../../laws/index.ts"

const testFile = "test/kernel/go/channel.prop.test.ts"
const ZERO = -1

type Op =
  | { readonly kind: "send"; readonly chan: number }
  | { readonly kind: "receive"; readonly chan: number }
  | { readonly kind: "close"; readonly chan: number }
  | { readonly kind: "select"; readonly cases: readonly { send: boolean; chan: number }[]; readonly default: boolean }

/** A goroutine parked in the model: its id, and for a select which case it is in each line. */
interface Waiter {
  readonly id: number
  readonly value: number // a send's value
  readonly select: { done: boolean } | null
  readonly index: number // the case index (-1: a plain operation)
}

interface ModelChan {
  readonly capacity: number
  readonly buffer: number[]
  readonly senders: Waiter[]
  readonly receivers: Waiter[]
  closed: boolean
}

/** What finished, keyed by goroutine id: e.g. "recv 3 true", "sent", "case 1 recv 4 true", "panic: ...". */
type Outcomes = Map<number, string>

function live(line: Waiter[]): Waiter | undefined {
  while (line.length > 0 && line[0]!.select?.done === true) line.shift()
  return line.shift()
}

function peekLive(line: Waiter[]): Waiter | undefined {
  while (line.length > 0 && line[0]!.select?.done === true) line.shift()
  return line[0]
}

/** The outcome text of a waiter woken by a receive of `value` (it was a sender) or a send to it. */
function wake(w: Waiter, what: string, out: Outcomes): void {
  if (w.select !== null) w.select.done = true
  out.set(w.id, w.index < 0 ? what : `case ${w.index} ${what}`)
}

/** The model's receive on `c` (it must be ready): the value and ok. */
function modelReceive(c: ModelChan, out: Outcomes): [number, boolean] {
  const sender = live(c.senders)
  if (sender !== undefined) {
    wake(sender, "sent", out)
    if (c.capacity === 0) return [sender.value, true]
    const head = c.buffer.shift()!
    c.buffer.push(sender.value)
    return [head, true]
  }
  if (c.buffer.length > 0) return [c.buffer.shift()!, true]
  return [ZERO, false] // closed and drained
}

/** The model's send of `value` on `c` (it must be ready and open). */
function modelSend(c: ModelChan, value: number, out: Outcomes): void {
  const receiver = live(c.receivers)
  if (receiver !== undefined) wake(receiver, `recv ${value} true`, out)
  else c.buffer.push(value)
}

function recvReady(c: ModelChan): boolean {
  return c.closed || c.buffer.length > 0 || peekLive(c.senders) !== undefined
}

function sendReady(c: ModelChan): boolean {
  return c.closed || c.buffer.length < c.capacity || peekLive(c.receivers) !== undefined
}

function modelClose(c: ModelChan, id: number, out: Outcomes): void {
  if (c.closed) {
    out.set(id, "panic: close of closed channel")
    return
  }
  c.closed = true
  for (let r = live(c.receivers); r !== undefined; r = live(c.receivers)) wake(r, `recv ${ZERO} false`, out)
  for (let s = live(c.senders); s !== undefined; s = live(c.senders)) {
    if (s.select !== null) s.select.done = true
    out.set(s.id, "panic: send on closed channel")
  }
  out.set(id, "closed")
}

/** Runs op `id` in a new goroutine on the real channels, recording what it finishes with. */
function spawnOp(sim: Simulation, chans: Channel<number>[], op: Op, id: number, real: Outcomes): void {
  goRuntime(sim).go(
    (function* () {
      try {
        if (op.kind === "send") {
          yield* chans[op.chan]!.send(id)
          real.set(id, "sent")
        } else if (op.kind === "receive") {
          const { value, ok } = yield* chans[op.chan]!.receiveOk()
          real.set(id, `recv ${value} ${ok}`)
        } else if (op.kind === "close") {
          chans[op.chan]!.close()
          real.set(id, "closed")
        } else {
          const cases: SelectCase[] = op.cases.map((c) =>
            c.send ? sendCase(chans[c.chan]!, id) : recvCase(chans[c.chan]!),
          )
          const got = yield* select(sim, cases, { default: op.default })
          if (got.index < 0) real.set(id, "default")
          else if (op.cases[got.index]!.send) real.set(id, `case ${got.index} sent`)
          else real.set(id, `case ${got.index} recv ${got.value} ${got.ok}`)
        }
      } catch (error) {
        if (!(error instanceof GoPanic)) throw error
        real.set(id, `panic: ${error.message}`)
      }
    })(),
    `op-${id}`,
  )
}

/** The model's prediction for a select (`chosen` is the case the channel picked, if any). */
function modelSelect(
  model: ModelChan[],
  op: Extract<Op, { kind: "select" }>,
  id: number,
  chosen: string | undefined,
  out: Outcomes,
): void {
  const ready = op.cases.map((c) => (c.send ? sendReady(model[c.chan]!) : recvReady(model[c.chan]!)))
  if (!ready.includes(true)) {
    if (op.default) out.set(id, "default")
    else {
      const shared = { done: false }
      op.cases.forEach((c, index) => {
        const line = c.send ? model[c.chan]!.senders : model[c.chan]!.receivers
        line.push({ id, value: id, select: shared, index })
      })
    }
    return
  }
  // A panic says a send case on a closed channel ran (which one does not show: all panic alike).
  const panicked = chosen?.startsWith("panic") === true
  const index = panicked
    ? op.cases.findIndex((c) => c.send && model[c.chan]!.closed)
    : Number(/^case (\d+)/.exec(chosen ?? "")?.[1] ?? -1)
  if (!(ready[index] === true)) throw new Error(`select op-${id} ran case ${index} (${chosen}); ready: ${ready}`)
  const c = op.cases[index]!
  const chan = model[c.chan]!
  if (c.send && chan.closed) out.set(id, "panic: send on closed channel")
  else if (c.send) {
    modelSend(chan, id, out)
    out.set(id, `case ${index} sent`)
  } else {
    const [value, ok] = modelReceive(chan, out)
    out.set(id, `case ${index} recv ${value} ${ok}`)
  }
}

/** Applies op `id` to the model; returns the goroutines it predicts finish. */
function modelStep(model: ModelChan[], op: Op, id: number, real: Outcomes): Outcomes {
  const out: Outcomes = new Map()
  if (op.kind === "close") modelClose(model[op.chan]!, id, out)
  else if (op.kind === "select") modelSelect(model, op, id, real.get(id), out)
  else if (op.kind === "send") {
    const c = model[op.chan]!
    if (c.closed) out.set(id, "panic: send on closed channel")
    else if (sendReady(c)) {
      modelSend(c, id, out)
      out.set(id, "sent")
    } else c.senders.push({ id, value: id, select: null, index: -1 })
  } else {
    const c = model[op.chan]!
    if (recvReady(c)) {
      const [value, ok] = modelReceive(c, out)
      out.set(id, `recv ${value} ${ok}`)
    } else c.receivers.push({ id, value: 0, select: null, index: -1 })
  }
  return out
}

const programArb = fc.record({
  capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
  ops: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("send" as const), chan: fc.nat(2) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("receive" as const), chan: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), chan: fc.nat(2) }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("select" as const),
          cases: fc.array(fc.record({ send: fc.boolean(), chan: fc.nat(2) }), { minLength: 1, maxLength: 3 }),
          default: fc.boolean(),
        }),
      },
    ),
    { maxLength: 30 },
  ),
  seed: fc.nat(1000),
})

type Program = typeof programArb extends fc.Arbitrary<infer P> ? P : never

function runProgram(program: Program): void {
  const { capacities, ops, seed } = program
  const sim = new Simulation({ seed })
  const chans = capacities.map((capacity, i) => new Channel<number>(sim, { capacity, zero: ZERO, name: `c${i}` }))
  const model: ModelChan[] = capacities.map((capacity) => ({
    capacity,
    buffer: [],
    senders: [],
    receivers: [],
    closed: false,
  }))
  const real: Outcomes = new Map()
  const expected: Outcomes = new Map()
  ops.forEach((raw, id) => {
    const op = fixChannels(raw, chans.length)
    spawnOp(sim, chans, op, id, real)
    let deadlocked: GoDeadlock | undefined
    try {
      sim.run()
    } catch (error) {
      if (!(error instanceof GoDeadlock)) throw error
      deadlocked = error
    }
    for (const [g, what] of modelStep(model, op, id, real)) expected.set(g, what)
    expect([id, Object.fromEntries(real)]).toEqual([id, Object.fromEntries(expected)])
    const parked = (deadlocked?.goroutines ?? []).map((g) => g.name).sort()
    const modelParked = ops
      .map((_, g) => g)
      .filter((g) => g <= id && !expected.has(g))
      .map((g) => `op-${g}`)
      .sort()
    expect([id, parked]).toEqual([id, modelParked])
  })
  chans.forEach((chan, i) => expect([i, chan.length]).toEqual([i, model[i]!.buffer.length]))
}

function fixChannels(op: Op, count: number): Op {
  if (op.kind === "select") return { ...op, cases: op.cases.map((c) => ({ ...c, chan: c.chan % count })) }
  return { ...op, chan: op.chan % count }
}

describe("channels against the reference model", () => {
  it("complete, park, wake and panic exactly as Go's rules say, one operation at a time", () => {
    checkProperty(
      fc.property(programArb, (program) => runProgram(program)),
      { testFile, numRuns: 300 },
    )
  })
})

describe("select's choice among ready cases", () => {
  // Chi-square critical values at p = 0.001 for 1..4 degrees of freedom.
  const CRITICAL = [10.83, 13.82, 16.27, 18.47]
  for (const cases of [2, 3, 4, 5]) {
    it(`picks each of ${cases} ready cases with frequency within sampling error of uniform (10,000 selects, chi-square, p = 0.001)`, () => {
      const sim = new Simulation({ seed: 20261207 + cases })
      const chans = Array.from(
        { length: cases },
        (_, i) => new Channel<number>(sim, { capacity: 1, zero: 0, name: `c${i}` }),
      )
      const counts = new Array<number>(cases).fill(0)
      const draws = 10_000
      sim.spawn(
        (function* () {
          for (let i = 0; i < draws; i++) {
            for (const c of chans) if (c.length === 0) yield* c.send(i)
            counts[
              (yield* select(
                sim,
                chans.map((c) => recvCase(c)),
              )).index
            ]!++
          }
        })(),
      )
      sim.run()
      const expectedCount = draws / cases
      const chiSquare = counts.reduce((sum, n) => sum + (n - expectedCount) ** 2 / expectedCount, 0)
      expect(counts.reduce((a, b) => a + b, 0)).toBe(draws)
      expect(chiSquare).toBeLessThan(CRITICAL[cases - 2]!)
    })
  }

  it("draws from the named stream, so another stream's draws do not change its choices", () => {
    const picks = (stream: string, other: boolean): number[] => {
      const sim = new Simulation({ seed: 5 })
      const chans = [0, 1, 2].map((i) => new Channel<number>(sim, { capacity: 1, zero: 0, name: `c${i}` }))
      const out: number[] = []
      sim.spawn(
        (function* () {
          for (let i = 0; i < 20; i++) {
            if (other) sim.random("other").next()
            for (const c of chans) if (c.length === 0) yield* c.send(i)
            out.push(
              (yield* select(
                sim,
                chans.map((c) => recvCase(c)),
                { stream },
              )).index,
            )
          }
        })(),
      )
      sim.run()
      return out
    }
    expect(picks("go/select", true)).toEqual(picks("go/select", false))
    expect(picks("mine", false)).not.toEqual(picks("go/select", false))
  })
})
