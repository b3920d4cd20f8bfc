/**
 * Processes: spawn, join, interrupt, and what happens when a process misbehaves. SimPy style: a
 * few processes, a time-stamped log, exact expectations.
 */
import { describe, expect, it } from "vitest"
import { Interrupt, Killed, type Process, type Sleep } from "../../src/kernel/process.ts"
import { Simulation, SimulationError } from "../../src/kernel/simulation.ts"
import { timeline } from "./timeline.ts"

describe("Process join", () => {
  it("gives the joined process's return value to yield*, with its type", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        return { rows: 12 }
      })(),
      "worker",
    )
    sim.spawn(
      (function* () {
        const result = yield* worker
        log(`joined: ${result.rows} rows`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["4: joined: 12 rows"])
  })

  it("joins at once a process that has already ended", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const quick = sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        return "done"
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(10)
        log(`joined late: ${yield* quick}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["10: joined late: done"])
  })

  it("throws a failed process's error at the joiner, which handles it so the run goes on", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const failing = sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        throw new Error("checksum mismatch")
      })(),
      "loader",
    )
    sim.spawn(
      (function* () {
        try {
          yield* failing
        } catch (error) {
          log(`join failed: ${(error as Error).message}`)
        }
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(["2: join failed: checksum mismatch"])
    expect(result.reason).toBe("empty")
    expect(failing.ok).toBe(false)
  })

  it("starts processes in spawn order, at the current time, with default names process-N", () => {
    const sim = new Simulation({ startTime: 3 })
    const { lines, log } = timeline(sim)
    const names: string[] = []
    for (let i = 0; i < 3; i++) {
      names.push(
        sim.spawn(
          (function* () {
            log(`started ${i}`)
          })(),
        ).name,
      )
    }

    sim.run()

    expect(names).toEqual(["process-1", "process-2", "process-3"])
    expect(lines).toEqual(["3: started 0", "3: started 1", "3: started 2"])
  })

  it("reports the running process as active through thousands of resumptions, and null between events", () => {
    const sim = new Simulation()
    let mismatches = 0
    let checks = 0
    const procs: Process<void>[] = []
    for (let p = 0; p < 3; p++) {
      procs.push(
        sim.spawn(
          (function* () {
            for (let i = 0; i < 700; i++) {
              checks++
              if (sim.activeProcess !== procs[p]) mismatches++
              yield* sim.sleep(1 + p / 10)
            }
            const done = sim.event()
            done.onProcessed(() => {
              checks++
              if (sim.activeProcess !== null) mismatches++ // a callback runs outside any process
            })
            done.succeed()
            yield* sim.timeout(1)
          })(),
        ),
      )
    }

    sim.run()

    expect([checks, mismatches]).toEqual([3 * 701, 0])
    expect(sim.activeProcess).toBe(null)
  })

  it("exposes isAlive, the current target and the active process", () => {
    const sim = new Simulation()
    const seen: (Process<unknown> | null)[] = []
    const nap = sim.timeout(5)
    const proc: Process<void> = sim.spawn(
      (function* () {
        seen.push(sim.activeProcess)
        yield* nap
      })(),
    )

    sim.step() // start: runs until the first wait

    // toBe, not toEqual: an event is an endless iterator (the yield* protocol), which deep equality would walk forever
    expect(seen.length).toBe(1)
    expect(seen[0]).toBe(proc)
    expect(sim.activeProcess).toBe(null)
    expect(proc.isAlive).toBe(true)
    expect(proc.target).toBe(nap)

    sim.run()

    expect(proc.isAlive).toBe(false)
    expect(proc.target).toBe(null)
  })
})

describe("Process interrupt", () => {
  it("throws an Interrupt with the cause at the current wait, and the old timeout never resumes the process", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const sleeper = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
          log("slept the full 10") // must never happen
        } catch (error) {
          const interrupt = error as Interrupt
          log(`interrupted: ${interrupt instanceof Interrupt} cause=${String(interrupt.cause)}`)
        }
        yield* sim.sleep(2)
        log("napped 2 more")
        yield* sim.sleep(20)
        log("finished")
      })(),
      "sleeper",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        sleeper.interrupt("wake up")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["3: interrupted: true cause=wake up", "5: napped 2 more", "25: finished"])
  })

  it("names the cause in the Interrupt message", () => {
    expect(new Interrupt("leader changed").message).toBe("interrupted: leader changed")
    expect(new Interrupt({ epoch: 3 }).message).toBe('interrupted: {"epoch":3}')
    expect(new Interrupt(new Error("lease lost")).message).toBe("interrupted: lease lost")
    expect(new Interrupt(undefined).message).toBe("interrupted")
  })

  it("stops the run when the interrupted process lets the Interrupt escape", () => {
    const sim = new Simulation()
    const victim = sim.spawn(
      (function* () {
        yield* sim.sleep(10)
      })(),
      "victim",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        victim.interrupt("kill")
      })(),
    )

    expect(() => sim.run()).toThrow(
      'process "victim" failed at t=1 and nobody handled it: Interrupt: interrupted: kill',
    )
  })

  it("delivers two interrupts in the order they were made, each at the wait current then", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const victim = sim.spawn(
      (function* () {
        for (let i = 0; i < 3; i++) {
          try {
            yield* sim.sleep(10)
            log("slept")
          } catch (error) {
            log(`caught ${String((error as Interrupt).cause)}`)
          }
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        victim.interrupt("first")
        victim.interrupt("second")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: caught first", "2: caught second", "12: slept"])
  })

  it("interrupts a process waiting to join another, which goes on running undisturbed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const child = sim.spawn(
      (function* () {
        yield* sim.sleep(8)
        log("child done")
      })(),
    )
    const parent = sim.spawn(
      (function* () {
        try {
          yield* child
        } catch (error) {
          log(`parent gave up: ${String((error as Interrupt).cause)}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        parent.interrupt("timeout")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["3: parent gave up: timeout", "8: child done"])
  })

  it("runs a just-spawned process up to its first wait before the interrupt reaches it", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const proc = sim.spawn(
      (function* () {
        log("started")
        try {
          yield* sim.sleep(5)
        } catch {
          log("interrupted at its first wait")
        }
      })(),
    )

    proc.interrupt()
    sim.run()

    expect(lines).toEqual(["0: started", "0: interrupted at its first wait"])
  })

  it("refuses to interrupt a process that has ended", () => {
    const sim = new Simulation()
    const done = sim.spawn(
      (function* () {
        yield* sim.sleep(1)
      })(),
      "short-lived",
    )
    sim.run()

    expect(() => done.interrupt()).toThrow('process "short-lived" has ended and cannot be interrupted')
  })

  it("refuses to let a process interrupt itself", () => {
    const sim = new Simulation()
    const messages: string[] = []
    let self: Process<void> | undefined
    self = sim.spawn(
      (function* () {
        try {
          self!.interrupt()
        } catch (error) {
          messages.push((error as Error).message)
        }
      })(),
      "narcissus",
    )

    sim.run()

    expect(messages).toEqual(['process "narcissus" cannot interrupt itself'])
  })

  it("drops a second interrupt when the first one made the process end before its delivery", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const victim = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
        } catch (error) {
          log(`ends on ${String((error as Interrupt).cause)}`)
        }
      })(),
      "victim",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        victim.interrupt("first")
        victim.interrupt("second") // accepted now, undeliverable by the time its turn comes
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(["1: ends on first"])
    expect(result.reason).toBe("empty")
  })
})

describe("Process misuse", () => {
  it("fails a process that yields a non-event, with a message saying what to write", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        yield 42 as never
      })(),
      "confused",
    )

    let error: SimulationError | undefined
    try {
      sim.run()
    } catch (e) {
      error = e as SimulationError
    }

    expect(error).toBeInstanceOf(SimulationError)
    expect(error!.processName).toBe("confused")
    expect(error!.cause).toBeInstanceOf(TypeError)
    expect(error!.message).toBe(
      'process "confused" failed at t=0 and nobody handled it: TypeError: process "confused" yielded number; a process may only yield events (write `yield* event`)',
    )
  })

  it("fails a process that yields null, undefined, or an object that only looks like a sleep", () => {
    const messages: string[] = []
    for (const yielded of [null, undefined, { delay: 1, done: false, _flags: 0 }]) {
      const sim = new Simulation()
      sim.spawn(
        (function* () {
          yield yielded as never
        })(),
        "odd",
      )
      try {
        sim.run()
      } catch (e) {
        messages.push((e as SimulationError).message)
      }
    }

    expect(messages).toEqual([
      'process "odd" failed at t=0 and nobody handled it: TypeError: process "odd" yielded null; a process may only yield events (write `yield* event`)',
      'process "odd" failed at t=0 and nobody handled it: TypeError: process "odd" yielded undefined; a process may only yield events (write `yield* event`)',
      'process "odd" failed at t=0 and nobody handled it: TypeError: process "odd" yielded [object Object]; a process may only yield events (write `yield* event`)',
    ])
  })

  it("waits on a sleep or an event yielded with a plain yield (no star) as it would with yield*", () => {
    const sim = new Simulation()
    const ready = sim.timeout(5, "go")
    const log: string[] = []
    sim.spawn(
      (function* () {
        yield sim.sleep(2) // a sleep reached without yield*: not its own iterator result here
        log.push(`slept until ${sim.now}`)
        yield ready
        log.push(`ready at ${sim.now}: ${ready.value}`)
        log.push(`then ${yield* sim.sleep(1)} at ${sim.now}`)
      })(),
    )
    sim.run()

    expect(log).toEqual(["slept until 2", "ready at 5: go", "then undefined at 6"])
  })

  it("fails a process that yields an object whose toString throws, and leaves no process active", () => {
    const sim = new Simulation()
    sim.spawn(
      (function* () {
        yield {
          toString: () => {
            throw new Error("no")
          },
        } as never
      })(),
      "odd",
    )

    expect(() => sim.run()).toThrow(
      'process "odd" failed at t=0 and nobody handled it: TypeError: process "odd" yielded an object that cannot be printed; a process may only yield events (write `yield* event`)',
    )
    expect(sim.activeProcess).toBe(null)
  })

  it("fails a process that yields an event of another simulation", () => {
    const sim = new Simulation()
    const other = new Simulation()
    sim.spawn(
      (function* () {
        yield* other.timeout(1)
      })(),
      "lost",
    )

    expect(() => sim.run()).toThrow('process "lost" yielded an event of another simulation')
  })
})

describe("Process kill", () => {
  it("ends the process at once without running its finally, and joiners receive Killed with the cause", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const broker = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
          log("broker woke") // must not happen
        } finally {
          log("broker cleaned up") // must not happen either: a crash runs no code
        }
      })(),
      "broker",
    )
    sim.spawn(
      (function* () {
        try {
          yield* broker
        } catch (error) {
          const killed = error as Killed
          log(`join: ${killed instanceof Killed} ${killed.message}, cause ${String(killed.cause)}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        broker.kill("power loss")
      })(),
    )

    const result = sim.run()

    expect(lines).toEqual(["3: join: true killed: power loss, cause power loss"])
    expect(broker.isAlive).toBe(false)
    // The dead broker's sleep still ends at 10, waking nobody, as its `timeout(10)` would (SimPy's
    // order): the clock advances to it.
    expect(result.now).toBe(10)
  })

  it("does not stop the run when nobody joins a killed process, and killing it again does nothing", () => {
    const sim = new Simulation()
    const victim = sim.spawn(
      (function* () {
        yield* sim.sleep(5)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        victim.kill()
        victim.kill()
      })(),
    )

    expect(sim.run().reason).toBe("empty")
  })

  it("refuses to let a process kill itself", () => {
    const sim = new Simulation()
    const messages: string[] = []
    let self: Process<void> | undefined
    self = sim.spawn(
      (function* () {
        try {
          self!.kill()
        } catch (error) {
          messages.push((error as Error).message)
        }
      })(),
      "suicidal",
    )

    sim.run()

    expect(messages).toEqual(['process "suicidal" cannot kill itself; return instead'])
  })

  it("drops an interrupt that was on its way to a process killed before the delivery", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const victim = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
        } catch {
          log("victim interrupted") // must not happen
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        victim.interrupt("first")
        victim.kill("then crashed")
      })(),
    )

    expect(sim.run().reason).toBe("empty")
    expect(lines).toEqual([])
  })
})

describe("Process pause", () => {
  it("holds the wake-up while paused and delivers it at the unpause", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        yield* sim.sleep(4)
        log("worker woke")
        yield* sim.sleep(1)
        log("worker woke again")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        worker.pause()
        log(`paused: ${worker.isPaused}`)
        yield* sim.sleep(5)
        worker.unpause()
        log(`unpaused: ${worker.isPaused}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: paused: true", "7: unpaused: false", "7: worker woke", "8: worker woke again"])
  })

  it("does nothing to a process that wakes up nowhere during the pause", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        yield* sim.sleep(10)
        log("worker woke")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        worker.pause()
        yield* sim.sleep(1)
        worker.unpause()
      })(),
    )

    sim.run()

    expect(lines).toEqual(["10: worker woke"])
  })

  it("delivers an interrupt held during a pause, and drops the stale wake-up of the wait it cancelled", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        try {
          yield* sim.sleep(10)
          log("slept 10") // must not happen: the interrupt came first
        } catch (error) {
          log(`interrupted: ${String((error as Interrupt).cause)}`)
        }
        yield* sim.sleep(3)
        log("slept 3 more")
        yield* sim.sleep(100)
        log("slept 100 more")
      })(),
      "worker",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        worker.pause()
        yield* sim.sleep(1)
        worker.interrupt("poke") // held: the worker is paused
        yield* sim.sleep(6) // t=12; the worker's old sleep(10) ended at t=10, also held
        worker.unpause()
      })(),
    )

    sim.run()

    expect(lines).toEqual(["12: interrupted: poke", "15: slept 3 more", "115: slept 100 more"])
  })

  it("delivers nothing after a kill during a pause", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        log("worker woke") // must not happen
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        worker.pause()
        yield* sim.sleep(2)
        worker.unpause()
        worker.kill("crashed right after the pause")
      })(),
    )

    sim.run()

    expect(lines).toEqual([])
  })
})

describe("Sleep objects are never reused: a kept sleep keeps its meaning", () => {
  it("gives every sleep its own object: consecutive sleeps add up and each keeps its delay", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const seen: unknown[] = []
    sim.spawn(
      (function* () {
        for (const delay of [1, 2, 3]) {
          const sleep = sim.sleep(delay)
          seen.push(sleep)
          yield* sleep
          log(`slept ${delay}`)
        }
      })(),
    )

    sim.run()

    expect(lines).toEqual(["1: slept 1", "3: slept 2", "6: slept 3"])
    expect(new Set(seen).size).toBe(3)
    expect(seen.map((sleep) => (sleep as { delay: number }).delay)).toEqual([1, 2, 3])
  })

  it("never hands out a sleep that has not been waited for yet", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    let distinct = false
    sim.spawn(
      (function* () {
        const first = sim.sleep(1)
        const second = sim.sleep(2)
        distinct = first !== second
        yield* first
        log(`first, delay ${first.delay}`)
        yield* second
        log(`second, delay ${second.delay}`)
      })(),
    )

    sim.run()

    expect(lines).toEqual(["1: first, delay 1", "3: second, delay 2"])
    expect(distinct).toBe(true)
  })

  it("gives a fresh sleep after an interrupted one, and the stale wake-up never fires", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const sleeper = sim.spawn(
      (function* () {
        const long = sim.sleep(10)
        try {
          yield* long
        } catch (error) {
          log(`interrupted: ${(error as Interrupt).cause}`)
        }
        const next = sim.sleep(3)
        log(`fresh sleep: ${next !== long}`)
        yield* next
        log("woke")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        sleeper.interrupt("go")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["2: interrupted: go", "2: fresh sleep: true", "5: woke"])
  })

  it("keeps a paused process's held wake-up and its next sleep apart", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const sleeper = sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        log("woke from 5")
        yield* sim.sleep(3) // the same sleep object, made new again
        log("woke from 3")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        sleeper.pause()
        yield* sim.sleep(8)
        sleeper.unpause()
      })(),
    )

    sim.run()

    expect(lines).toEqual(["10: woke from 5", "13: woke from 3"])
  })

  it("gives every wait its own target, so a watchdog comparing targets sees progress", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const worker = sim.spawn(
      (function* () {
        for (;;) yield* sim.sleep(1)
      })(),
      "worker",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(0.5)
        const seen = worker.target
        yield* sim.sleep(3)
        log(worker.target === seen ? "stuck on the same wait" : "progressed")
        const again = worker.target
        log(worker.target === again ? "same wait, same object" : "changed between two reads")
        worker.kill()
      })(),
    )

    sim.run()

    expect(lines).toEqual(["3.5: progressed", "3.5: same wait, same object"])
  })

  it("does not share sleeps between processes", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const sleeps: unknown[] = []
    for (const name of ["a", "b"]) {
      sim.spawn(
        (function* () {
          for (let i = 0; i < 2; i++) {
            const sleep = sim.sleep(name === "a" ? 2 : 3)
            sleeps.push(sleep)
            yield* sleep
            log(`${name} woke`)
          }
        })(),
      )
    }

    sim.run()

    expect(lines).toEqual(["2: a woke", "3: b woke", "4: a woke", "6: b woke"])
    expect(new Set(sleeps).size).toBe(4) // one per sleep
  })

  it("never hands an ended process's kept sleep to another process's sim.sleep (issue 15's hand-over)", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    let kept: Sleep | null = null
    let other: Sleep | null = null
    sim.spawn(
      (function* () {
        const sleep = sim.sleep(5)
        kept = sleep
        yield* sleep
        log("a done")
      })(),
      "a",
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(6) // a has ended, keeping its sleep
        other = sim.sleep(42)
        yield* other
        log(`c woke, kept delay ${kept!.delay}`)
      })(),
      "c",
    )

    sim.run()

    expect(lines).toEqual(["5: a done", "48: c woke, kept delay 5"])
    expect(other).not.toBe(kept)
    expect(kept!.delay).toBe(5)
    expect(other!.delay).toBe(42)
  })

  it("reads target without side effects: the same sleep, unchanged, before and after its wait", () => {
    const sim = new Simulation()
    let during: unknown = null
    const a = sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        yield* sim.sleep(3)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        during = a.target
        expect(a.target).toBe(during)
        yield* sim.timeout(2) // a sleeps its second sleep now
        expect(a.target).not.toBe(during)
      })(),
    )

    sim.run()

    expect((during as Sleep).delay).toBe(2)
    expect(a.target).toBeNull()
    expect(sim.now).toBe(5)
  })

  it("never hands over the sleep of a process killed while sleeping; its stale wake-up wakes nobody", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const sleeps: unknown[] = []
    const a = sim.spawn(
      (function* () {
        const sleep = sim.sleep(10)
        sleeps.push(sleep)
        yield* sleep
        log("a woke (wrong)")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(2)
        a.kill()
        const sleep = sim.sleep(8) // due at 10, the time of a's stale wake-up
        sleeps.push(sleep)
        yield* sleep
        log("b woke")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["10: b woke"])
    expect(sleeps[1]).not.toBe(sleeps[0])
  })

  it("never hands over a sleep seen through the target of a process other than its creator", () => {
    const sim = new Simulation()
    let seen: unknown = null
    let waiter: Process<void> | null = null
    let later: Process<void> | null = null
    sim.spawn(
      (function* () {
        const shared = sim.sleep(1) // made by this process, waited for by its child
        waiter = sim.spawn(
          (function* () {
            yield* shared
          })(),
        )
        yield* sim.timeout(0.5)
        seen = waiter.target
        yield* sim.timeout(1) // the child's wait is over; this process ends with `shared` done
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(2)
        later = sim.activeProcess as Process<void>
        yield* sim.sleep(7)
      })(),
    )

    sim.run({ until: 3 })

    expect(seen).not.toBeNull()
    expect(later!.target).not.toBe(seen)
    expect((seen as { delay: number }).delay).toBe(1)
  })

  it("never hands over a sleep seen through target", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    let seen: unknown = null
    const a = sim.spawn(
      (function* () {
        yield* sim.sleep(2)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.timeout(1)
        seen = a.target
        yield* sim.timeout(2) // a has ended
        const sleep = sim.sleep(1)
        log(`fresh: ${sleep !== seen}`)
        yield* sleep
        log("b woke")
      })(),
    )

    sim.run()

    expect(lines).toEqual(["3: fresh: true", "4: b woke"])
    expect(seen).not.toBeNull()
  })
})
