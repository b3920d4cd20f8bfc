/**
 * Properties of Mutex and RWMutex under random goroutines that lock, hold for a while and unlock:
 * a Mutex has at most one holder and is granted in the order it was asked for; an RWMutex never
 * has a writer together with another writer or a reader, grants writers in the order they asked,
 * and prefers writers as Go's does: a reader that asks while a writer has claimed the lock (inside,
 * or waiting for the readers to leave) enters only after that writer left. Every goroutine
 * finishes: no deadlock is reported.
 *
 * Replay a failure with `FC_SEED=<seed> npx vitest run test/kernel/go/go-sync.prop.test.ts`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { goRuntime } from "../../../src/kernel/go-runtime.ts"
import { Mutex, RWMutex } from "../../../src/kernel/go-sync.ts"
import { Simulation } from "../../../src/kernel/simulation.ts"
import { checkProperty } from "../../laws/index.ts"

const testFile = "test/kernel/go/go-sync.prop.test.ts"

type Step = { readonly kind: "mutex" | "read" | "write"; readonly gapMs: number; readonly holdMs: number }

const programArb = fc.array(
  fc.array(
    fc.record({
      kind: fc.constantFrom("mutex" as const, "read" as const, "write" as const),
      gapMs: fc.integer({ min: 0, max: 3 }),
      holdMs: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  { minLength: 1, maxLength: 5 },
)

interface Entry {
  readonly g: number
  readonly kind: Step["kind"]
  readonly what: "ask" | "enter" | "leave"
}

function runProgram(program: readonly (readonly Step[])[]): { log: Entry[]; finished: number } {
  const sim = new Simulation()
  const go = goRuntime(sim)
  const mutex = new Mutex(sim)
  const rw = new RWMutex(sim)
  const log: Entry[] = []
  let finished = 0
  program.forEach((steps, g) => {
    go.go(
      (function* () {
        for (const step of steps) {
          yield* sim.sleep(step.gapMs)
          log.push({ g, kind: step.kind, what: "ask" })
          yield* step.kind === "mutex" ? mutex.lock() : step.kind === "read" ? rw.rLock() : rw.lock()
          log.push({ g, kind: step.kind, what: "enter" })
          yield* sim.sleep(step.holdMs)
          log.push({ g, kind: step.kind, what: "leave" })
          if (step.kind === "mutex") mutex.unlock()
          else if (step.kind === "read") rw.rUnlock()
          else rw.unlock()
        }
        finished++
      })(),
      `g${g}`,
    )
  })
  sim.run() // a deadlock would throw
  return { log, finished }
}

/**
 * Checks the log: exclusion, FIFO grants, and writer preference as Go's: a writer claims the lock
 * when it asks if no writer has claimed it, else when the writer before it leaves (FIFO); a reader
 * that asks while a writer has claimed the lock enters only after that writer left (the readers it
 * blocked enter when it leaves, before the next writer, who waits for them).
 */
function checkLog(log: readonly Entry[]): void {
  const inside = { mutex: 0, read: 0, write: 0 }
  const asked: Record<string, number[]> = { mutex: [], write: [] }
  const granted: Record<string, number[]> = { mutex: [], write: [] }
  let claim: { left: boolean } | null = null
  const claimQueue: { left: boolean }[] = []
  const claimOf = new Map<number, { left: boolean }>() // the writer g's current claim
  const readerWaitsFor = new Map<number, { left: boolean } | null>()
  log.forEach((entry, i) => {
    const { g, kind, what } = entry
    if (what === "ask") {
      if (kind !== "read") asked[kind]!.push(g)
      if (kind === "read") readerWaitsFor.set(g, claim)
      if (kind === "write") {
        const mine = { left: false }
        claimOf.set(g, mine)
        if (claim === null) claim = mine
        else claimQueue.push(mine)
      }
      return
    }
    if (what === "leave") {
      inside[kind]--
      if (kind === "write") {
        claimOf.get(g)!.left = true
        claim = claimQueue.shift() ?? null
      }
      return
    }
    inside[kind]++
    if (kind !== "read") granted[kind]!.push(g)
    if (kind === "read") {
      const writer = readerWaitsFor.get(g)
      expect([i, "a reader entered before the writer it asked behind left", writer?.left ?? true]).toEqual([
        i,
        "a reader entered before the writer it asked behind left",
        true,
      ])
    }
    expect([i, inside.mutex <= 1, inside.write <= 1, inside.write === 0 || inside.read === 0]).toEqual([
      i,
      true,
      true,
      true,
    ])
  })
  expect(granted.mutex).toEqual(asked.mutex)
  expect(granted.write).toEqual(asked.write)
}

describe("Mutex and RWMutex under random goroutines", () => {
  it("exclude, grant in FIFO order, prefer writers, and let every goroutine finish", () => {
    checkProperty(
      fc.property(programArb, (program) => {
        const { log, finished } = runProgram(program)
        expect(finished).toBe(program.length)
        checkLog(log)
      }),
      { testFile, numRuns: 300 },
    )
  })

  it("the log check rejects a reader entering past a writer that claimed the lock", () => {
    expect(() =>
      checkLog([
        { g: 0, kind: "read", what: "ask" },
        { g: 0, kind: "read", what: "enter" },
        { g: 1, kind: "write", what: "ask" },
        { g: 2, kind: "read", what: "ask" },
        { g: 2, kind: "read", what: "enter" },
      ]),
    ).toThrow()
  })
})
