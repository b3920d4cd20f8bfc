/**
 * Go's sync primitives and context on the kernel: Mutex (FIFO hand-off, not reentrant, the fatal
 * unlock of an unlocked mutex), RWMutex's writer preference, WaitGroup (and its negative-counter
 * panic), Once, Cond, atomic cells, contexts with cancel and deadline, and each wait reason in the
 * deadlock report.
 */
import { describe, expect, it } from "vitest"
import { Channel, recvCase, select } from "../../../src/kernel/channel.ts"
import * as context from "../../../src/kernel/go-context.ts"
import { GoFatal, GoPanic, goRuntime } from "../../../src/kernel/go-runtime.ts"
import { AtomicCell, Cond, Mutex, Once, RWMutex, WaitGroup } from "../../../src/kernel/go-sync.ts"
import { Simulation } from "../../../src/kernel/simulation.ts"
import { timeline } from "../timeline.ts"

function runError(sim: Simulation): string {
  try {
    sim.run()
    return ""
  } catch (error) {
    return (error as Error).message
  }
}

describe("Mutex", () => {
  it("hands the lock to waiters in the order they came, and a newcomer cannot barge in", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const m = new Mutex(sim)
    for (const [name, at] of [
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ] as const) {
      sim.spawn(
        (function* () {
          yield* sim.sleep(at)
          yield* m.lock()
          log(`${name} locked`)
          yield* sim.sleep(5)
          m.unlock()
        })(),
      )
    }
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        log(`tryLock at 5: ${m.tryLock()}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["0: a locked", "5: tryLock at 5: false", "5: b locked", "10: c locked"])
    expect(m.isLocked).toBe(false)
  })

  it("is not reentrant: locking it twice deadlocks, reported as sync.Mutex.Lock", () => {
    const sim = new Simulation()
    const go = goRuntime(sim)
    const m = new Mutex(sim, "accounts")
    go.main(
      (function* () {
        yield* m.lock()
        yield* m.lock()
      })(),
    )
    expect(runError(sim)).toBe(
      'fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.Mutex.Lock]:\n\tmain waits on mutex "accounts"',
    )
  })

  it("fails with Go's fatal error when unlocked while unlocked", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        new Mutex(sim).unlock()
      })(),
      "worker",
    )
    expect(runError(sim)).toBe(
      'process "worker" failed at t=0 and nobody handled it: fatal error: sync: unlock of unlocked mutex',
    )
    expect(() => new Mutex(sim).unlock()).toThrow(GoFatal)
  })
})

describe("RWMutex", () => {
  it("lets readers share it, makes a writer wait for them, and blocks new readers while a writer waits", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const rw = new RWMutex(sim)
    const reader = (name: string, at: number, hold: number) =>
      sim.spawn(
        (function* () {
          yield* sim.sleep(at)
          yield* rw.rLock()
          log(`${name} reading (${rw.readerCount} readers)`)
          yield* sim.sleep(hold)
          rw.rUnlock()
        })(),
      )
    const writer = (name: string, at: number) =>
      sim.spawn(
        (function* () {
          yield* sim.sleep(at)
          yield* rw.lock()
          log(`${name} writing`)
          yield* sim.sleep(3)
          rw.unlock()
        })(),
      )
    reader("r1", 0, 10)
    reader("r2", 1, 4)
    writer("w1", 2)
    reader("r3", 3, 1) // arrives while w1 waits: waits for w1
    writer("w2", 4) // waits for w1, then for r3, who entered when w1 unlocked
    sim.run()
    expect(lines).toEqual([
      "0: r1 reading (1 readers)",
      "1: r2 reading (2 readers)",
      "10: w1 writing",
      "13: r3 reading (1 readers)",
      "14: w2 writing",
    ])
  })

  it("fails with Go's fatal errors on Unlock and RUnlock of an unlocked RWMutex", () => {
    const sim = new Simulation()
    expect(() => new RWMutex(sim).unlock()).toThrow(new GoFatal("sync: Unlock of unlocked RWMutex"))
    expect(() => new RWMutex(sim).rUnlock()).toThrow(new GoFatal("sync: RUnlock of unlocked RWMutex"))
  })

  it("reports a writer waiting for readers as sync.RWMutex.Lock and a reader behind it as sync.RWMutex.RLock", () => {
    const sim = new Simulation()
    const go = goRuntime(sim)
    const rw = new RWMutex(sim, "table")
    go.go(
      (function* () {
        yield* rw.rLock()
        yield* new Channel<void>(sim, { name: "never" }).receive()
      })(),
      "reader",
    )
    go.go(
      (function* () {
        yield* sim.sleep(1)
        yield* rw.lock()
      })(),
      "writer",
    )
    go.go(
      (function* () {
        yield* sim.sleep(2)
        yield* rw.rLock()
      })(),
      "late-reader",
    )
    go.go(
      (function* () {
        yield* sim.sleep(3)
        yield* rw.lock()
      })(),
      "second-writer",
    )
    expect(runError(sim)).toBe(
      [
        "fatal error: all goroutines are asleep - deadlock!",
        "",
        "goroutine 1 [chan receive]:",
        '\treader waits on channel "never"',
        "goroutine 2 [sync.RWMutex.Lock]:",
        '\twriter waits on RWMutex "table"',
        "goroutine 3 [sync.RWMutex.RLock]:",
        '\tlate-reader waits on RWMutex "table"',
        "goroutine 4 [sync.Mutex.Lock]:",
        '\tsecond-writer waits on RWMutex "table"',
      ].join("\n"),
    )
  })
})

describe("WaitGroup", () => {
  it("releases every waiter when the counter reaches zero", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const wg = new WaitGroup(sim)
    wg.add(3)
    for (const d of [2, 5, 3])
      sim.spawn(
        (function* () {
          yield* sim.sleep(d)
          wg.done()
        })(),
      )
    for (const name of ["w1", "w2"])
      sim.spawn(
        (function* () {
          yield* wg.wait()
          log(`${name} done waiting`)
        })(),
      )
    sim.run()
    expect(lines).toEqual(["5: w1 done waiting", "5: w2 done waiting"])
  })

  it("panics on a negative counter, and reports a stuck Wait as sync.WaitGroup.Wait", () => {
    const sim = new Simulation()
    expect(() => new WaitGroup(sim).done()).toThrow(new GoPanic("sync: negative WaitGroup counter"))
    const go = goRuntime(sim)
    const wg = new WaitGroup(sim, "workers")
    wg.add(2)
    go.main(
      (function* () {
        wg.done()
        yield* wg.wait()
      })(),
    )
    expect(runError(sim)).toBe(
      'fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.WaitGroup.Wait]:\n\tmain waits on WaitGroup "workers"',
    )
  })
})

describe("Once and Cond", () => {
  it("runs a Once's function once; callers arriving while it runs wait for it; a throw still counts as done", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const once = new Once(sim)
    let runs = 0
    const init = function* () {
      runs++
      yield* sim.sleep(4)
      log("initialised")
    }
    for (const at of [0, 1, 6])
      sim.spawn(
        (function* () {
          yield* sim.sleep(at)
          yield* once.do(init)
          log(`caller ${at} returns`)
        })(),
      )
    sim.run()
    expect(lines).toEqual(["4: initialised", "4: caller 0 returns", "4: caller 1 returns", "6: caller 6 returns"])
    expect(runs).toBe(1)
    const failing = new Once(sim)
    sim.spawn(
      (function* () {
        try {
          yield* failing.do(() => {
            throw new Error("boom")
          })
        } catch {
          log("threw")
        }
      })(),
    )
    sim.run()
    expect(failing.isDone).toBe(true)
  })

  it("makes Cond.Wait release the lock and take it again; Signal wakes the longest waiter, Broadcast all", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const m = new Mutex(sim)
    const cond = new Cond(sim, m)
    let ready = 0
    for (const name of ["a", "b", "c"]) {
      sim.spawn(
        (function* () {
          yield* m.lock()
          while (ready === 0) yield* cond.wait()
          ready--
          log(`${name} woke (lock held: ${m.isLocked})`)
          m.unlock()
        })(),
      )
    }
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        yield* m.lock()
        ready = 1
        cond.signal()
        m.unlock()
        yield* sim.sleep(1)
        yield* m.lock()
        ready = 2
        cond.broadcast()
        m.unlock()
      })(),
    )
    sim.run()
    expect(lines).toEqual(["1: a woke (lock held: true)", "2: b woke (lock held: true)", "2: c woke (lock held: true)"])
    expect(cond.waiting).toBe(0)
  })
})

describe("the deadlock report", () => {
  it("names a select's channels, a Cond wait, and a caller waiting for a Once (parked on its mutex, as in Go)", () => {
    const sim = new Simulation()
    const go = goRuntime(sim)
    const a = new Channel<number>(sim, { zero: 0, name: "a" })
    const b = new Channel<number>(sim, { zero: 0, name: "b" })
    const c = new Channel<number>(sim, { zero: 0, name: "c" })
    const m = new Mutex(sim, "mu")
    const cond = new Cond(sim, m, "ready")
    const once = new Once(sim, "init")
    go.go(
      (function* () {
        yield* select(sim, [recvCase(a), recvCase(null), recvCase(b)])
      })(),
      "selector",
    )
    go.go(
      (function* () {
        yield* m.lock()
        yield* cond.wait()
      })(),
      "waiter",
    )
    go.go(
      (function* () {
        yield* once.do(function* () {
          yield* c.send(1)
        })
      })(),
      "initialiser",
    )
    go.go(
      (function* () {
        yield* sim.sleep(1)
        yield* once.do(() => undefined)
      })(),
      "second-caller",
    )
    expect(runError(sim)).toBe(
      [
        "fatal error: all goroutines are asleep - deadlock!",
        "",
        "goroutine 1 [select]:",
        '\tselector waits on channel "a", channel "b"',
        "goroutine 2 [sync.Cond.Wait]:",
        '\twaiter waits on Cond "ready"',
        "goroutine 3 [chan send]:",
        '\tinitialiser waits on channel "c"',
        "goroutine 4 [sync.Mutex.Lock]:",
        '\tsecond-caller waits on Once "init"',
      ].join("\n"),
    )
  })
})

describe("atomic cells", () => {
  it("loads, stores, swaps, compares-and-swaps and adds", () => {
    const cell = new AtomicCell(5)
    expect([cell.compareAndSwap(4, 9), cell.load(), cell.compareAndSwap(5, 9), cell.load()]).toEqual([
      false,
      5,
      true,
      9,
    ])
    expect([cell.swap(1), cell.add(2), cell.load()]).toEqual([9, 3, 3])
    cell.store(7)
    expect(cell.load()).toBe(7)
  })
})

describe("context", () => {
  it("closes Done and sets Err on cancel, for the context and its descendants only", () => {
    const sim = new Simulation()
    const root = context.background(sim)
    const [parent, cancelParent] = context.withCancel(root)
    const [child] = context.withCancel(parent)
    const [sibling, cancelSibling] = context.withCancel(root)
    cancelParent()
    cancelParent()
    expect([parent.err()?.message, child.err()?.message, sibling.err(), root.err()]).toEqual([
      "context canceled",
      "context canceled",
      null,
      null,
    ])
    expect([parent.done().isClosed, child.done().isClosed, sibling.done().isClosed, root.done().isNil]).toEqual([
      true,
      true,
      false,
      true,
    ])
    cancelSibling()
    const [late] = context.withCancel(parent)
    expect(late.err()).toBeInstanceOf(context.ContextCanceled)
  })

  it("cancels at the deadline (the parent's if earlier), and a cancel before it leaves no timer behind", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const root = context.background(sim)
    const work = new Channel<string>(sim, { zero: "" })
    sim.spawn(
      (function* () {
        const [ctx, cancel] = context.withTimeout(root, 10)
        const [inner] = context.withTimeout(ctx, 50)
        const got = yield* select(sim, [recvCase(work), recvCase(inner.done())])
        log(`case ${got.index}: ${inner.err()?.message}; deadline ${inner.deadline}`)
        cancel()
        const [quick, cancelQuick] = context.withTimeout(root, 100)
        cancelQuick()
        log(`quick: ${quick.err()?.message}`)
      })(),
    )
    const result = sim.run()
    expect(lines).toEqual(["10: case 1: context deadline exceeded; deadline 10", "10: quick: context canceled"])
    expect(result.now).toBe(10)
  })
})
