/**
 * Channels with Go's semantics: rendezvous, buffering, the direct hand-off to a parked partner,
 * close and drain, Go's panics, nil channels, range, select (default, parking on several cases,
 * closed cases), withdrawal, killed goroutines, and the cost of a hand-off in kernel events.
 */
import { describe, expect, it } from "vitest"
import { explore } from "../../../src/check/explore.ts"
import { Channel, recvCase, select, sendCase } from "../../../src/kernel/channel.ts"
import { GoPanic, goRuntime } from "../../../src/kernel/go-runtime.ts"
import { Simulation, SimulationError } from "../../../src/kernel/simulation.ts"
import { timeline } from "../timeline.ts"

/** The message a run stops with, or "" when it completes. */
function runError(sim: Simulation): string {
  try {
    sim.run()
    return ""
  } catch (error) {
    return (error as Error).message
  }
}

describe("Channel: unbuffered", () => {
  it("completes a send only together with its receive, whichever side comes first", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<string>(sim, { zero: "" })
    sim.spawn(
      (function* () {
        yield* ch.send("a") // the receiver comes at 5
        log("sent a")
        yield* sim.sleep(10)
        yield* ch.send("b") // the receiver has waited since 8
        log("sent b")
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        log(`got ${yield* ch.receive()}`)
        yield* sim.sleep(3)
        log(`got ${yield* ch.receive()}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["5: got a", "5: sent a", "15: sent b", "15: got b"])
  })

  it("serves parked senders and receivers first in, first out", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { zero: 0 })
    for (const id of [1, 2, 3])
      sim.spawn(
        (function* () {
          yield* ch.send(id)
        })(),
      )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        for (let i = 0; i < 3; i++) log(`got ${yield* ch.receive()}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["1: got 1", "1: got 2", "1: got 3"])
  })

  it("costs one kernel event per hand-off: the parked side's wake-up", () => {
    const sim = new Simulation()
    const ping = new Channel<number>(sim, { zero: 0 })
    const pong = new Channel<number>(sim, { zero: 0 })
    const rounds = 1000
    sim.spawn(
      (function* () {
        for (let i = 0; i < rounds; i++) {
          yield* ping.send(i)
          expect(yield* pong.receive()).toBe(i)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        for (let i = 0; i < rounds; i++) yield* pong.send(yield* ping.receive())
      })(),
    )
    sim.run()
    // two starts, one wake-up per hand-off (2 per round), and the ends of the two processes
    expect(sim.eventsProcessed).toBe(2 + 2 * rounds + 2)
  })
})

describe("Channel: buffered", () => {
  it("lets sends complete while there is room, then parks them; a receive moves the first parked sender's value into the buffer", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { capacity: 2, zero: 0 })
    sim.spawn(
      (function* () {
        for (let i = 1; i <= 4; i++) {
          yield* ch.send(i)
          log(`sent ${i} (len ${ch.length})`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(5)
        log(`got ${yield* ch.receive()} (len ${ch.length}, ${ch.waitingSenders} waiting)`)
        yield* sim.sleep(5)
        for (let i = 0; i < 3; i++) log(`got ${yield* ch.receive()}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual([
      "0: sent 1 (len 1)",
      "0: sent 2 (len 2)",
      "5: got 1 (len 2, 0 waiting)",
      "5: sent 3 (len 2)",
      "10: got 2",
      "10: got 3",
      "10: got 4",
      "10: sent 4 (len 0)",
    ])
  })
})

describe("Channel: close", () => {
  it("lets receivers drain the buffer, then gives the zero value with ok = false", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { capacity: 3, zero: 0 })
    sim.spawn(
      (function* () {
        yield* ch.send(7)
        yield* ch.send(8)
        ch.close()
        for (let i = 0; i < 4; i++) {
          const { value, ok } = yield* ch.receiveOk()
          log(`${value} ${ok}`)
        }
        log(`plain receive: ${yield* ch.receive()}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["0: 7 true", "0: 8 true", "0: 0 false", "0: 0 false", "0: plain receive: 0"])
  })

  it("wakes parked receivers with the zero value and ok = false, in the order they parked", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<string>(sim, { zero: "zero" })
    for (const id of ["r1", "r2"]) {
      sim.spawn(
        (function* () {
          const { value, ok } = yield* ch.receiveOk()
          log(`${id} ${value} ${ok}`)
        })(),
      )
    }
    sim.spawn(
      (function* () {
        yield* sim.sleep(3)
        ch.close()
      })(),
    )
    sim.run()
    expect(lines).toEqual(["3: r1 zero false", "3: r2 zero false"])
  })

  it("iterates with range until closed and drained, and stops early when the body returns false", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { capacity: 5, zero: 0 })
    const early = new Channel<number>(sim, { capacity: 5, zero: 0 })
    sim.spawn(
      (function* () {
        for (let i = 1; i <= 3; i++) yield* ch.send(i)
        for (let i = 1; i <= 3; i++) yield* early.send(i)
        ch.close()
        yield* ch.range(function* (v) {
          yield* sim.sleep(1)
          log(`range ${v}`)
        })
        yield* early.range((v) => {
          log(`early ${v}`)
          return v < 2
        })
        log(`left in early: ${early.length}`)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["1: range 1", "2: range 2", "3: range 3", "3: early 1", "3: early 2", "3: left in early: 1"])
  })
})

describe("Channel: Go's panics", () => {
  it("panics on a send to a closed channel", () => {
    const sim = new Simulation()
    const ch = new Channel<number>(sim, { zero: 0 })
    sim.spawn(
      (function* () {
        ch.close()
        yield* ch.send(1)
      })(),
      "sender",
    )
    expect(runError(sim)).toBe('process "sender" failed at t=0 and nobody handled it: panic: send on closed channel')
  })

  it("panics on closing a closed channel, and on closing a nil channel", () => {
    const sim = new Simulation()
    const ch = new Channel<number>(sim, { zero: 0 })
    ch.close()
    expect(() => ch.close()).toThrow(new GoPanic("close of closed channel"))
    expect(() => Channel.nil<number>(sim).close()).toThrow(new GoPanic("close of nil channel"))
    try {
      ch.close()
    } catch (error) {
      expect(`${(error as Error).name}: ${(error as Error).message}`).toBe("panic: close of closed channel")
    }
  })

  it("panics in a sender parked on a channel that gets closed", () => {
    const sim = new Simulation()
    const ch = new Channel<number>(sim, { zero: 0 })
    const { lines, log } = timeline(sim)
    sim.spawn(
      (function* () {
        try {
          yield* ch.send(1)
        } catch (error) {
          log(`recovered: ${(error as Error).message}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        ch.close()
      })(),
    )
    sim.run()
    expect(lines).toEqual(["2: recovered: send on closed channel"])
  })
})

describe("Channel: nil channels and the deadlock detector", () => {
  it("blocks forever on a nil channel, and reports every parked goroutine with Go's wait reason", () => {
    const sim = new Simulation()
    const go = goRuntime(sim)
    const nil = Channel.nil<number>(sim)
    const ch = new Channel<number>(sim, { zero: 0, name: "results" })
    go.go(
      (function* () {
        yield* ch.receive()
      })(),
      "collector",
    )
    go.go(
      (function* () {
        yield* nil.send(1)
      })(),
      "nil-sender",
    )
    go.go(
      (function* () {
        yield* nil.receive()
      })(),
      "nil-receiver",
    )
    go.go(
      (function* () {
        yield* select(sim, [])
      })(),
      "forever",
    )
    go.go(
      (function* () {
        yield* sim.sleep(4)
        yield* ch.send(1)
        yield* ch.send(2)
      })(),
      "producer",
    )
    let error: unknown
    try {
      sim.run()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SimulationError)
    expect((error as Error).message).toBe(
      [
        "fatal error: all goroutines are asleep - deadlock!",
        "",
        "goroutine 2 [chan send (nil chan)]:",
        '\tnil-sender waits on channel "nil"',
        "goroutine 3 [chan receive (nil chan)]:",
        '\tnil-receiver waits on channel "nil"',
        "goroutine 4 [select (no cases)]:",
        "\tforever waits on nothing (it can never be woken)",
        "goroutine 5 [chan send]:",
        '\tproducer waits on channel "results"',
      ].join("\n"),
    )
    expect(sim.now).toBe(4)
  })

  it("does not report a deadlock while a timer is pending, nor after main returned (those goroutines leak)", () => {
    const sim = new Simulation()
    const go = goRuntime(sim)
    const ch = new Channel<number>(sim, { zero: 0 })
    go.main(
      (function* () {
        go.go(
          (function* () {
            yield* ch.send(1)
          })(),
          "leaked",
        )
        yield* sim.sleep(10)
      })(),
    )
    const result = sim.run()
    expect([result.reason, sim.now, go.exited]).toEqual(["stopped", 10, true])
    expect(go.parked()).toEqual([{ id: 2, name: "leaked", reason: "chan send", waitsOn: 'channel "chan"' }])
  })
})

describe("select", () => {
  it("takes the default case when no case is ready, and a ready case otherwise", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { capacity: 1, zero: 0 })
    sim.spawn(
      (function* () {
        log(JSON.stringify(yield* select(sim, [recvCase(ch)], { default: true })))
        log(JSON.stringify(yield* select(sim, [sendCase(ch, 5), recvCase(null)], { default: true })))
        log(JSON.stringify(yield* select(sim, [sendCase(ch, 6)], { default: true })))
        log(JSON.stringify(yield* select(sim, [recvCase(ch)], { default: true })))
      })(),
    )
    sim.run()
    expect(lines).toEqual([
      '0: {"index":-1,"ok":false}',
      '0: {"index":0,"ok":true}',
      '0: {"index":-1,"ok":false}',
      '0: {"index":0,"value":5,"ok":true}',
    ])
  })

  it("parks on every case, runs the first that becomes ready, and leaves the other lines", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const a = new Channel<string>(sim, { zero: "" })
    const b = new Channel<string>(sim, { zero: "" })
    sim.spawn(
      (function* () {
        const got = yield* select(sim, [recvCase(a), recvCase(b), sendCase(a, "out")])
        log(`case ${got.index}: ${got.value}`)
        log(
          `b has ${b.waitingReceivers} receivers, a has ${a.waitingReceivers} receivers and ${a.waitingSenders} senders`,
        )
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(2)
        yield* b.send("from b")
        log("b sent")
      })(),
    )
    sim.run()
    expect(lines).toEqual(["2: b sent", "2: case 1: from b", "2: b has 0 receivers, a has 0 receivers and 0 senders"])
  })

  it("gets ok = false from a case on a closed channel, and panics on a send case to a closed channel", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const closed = new Channel<number>(sim, { zero: -1 })
    closed.close()
    const waiting = new Channel<number>(sim, { zero: 0 })
    sim.spawn(
      (function* () {
        log(JSON.stringify(yield* select(sim, [recvCase(closed), recvCase(null)])))
        try {
          yield* select(sim, [sendCase(closed, 1)])
        } catch (error) {
          log(`recovered: ${(error as Error).message}`)
        }
        try {
          yield* select(sim, [sendCase(waiting, 1), recvCase(null)])
        } catch (error) {
          log(`recovered while parked: ${(error as Error).message}`)
        }
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        waiting.close()
      })(),
    )
    sim.run()
    expect(lines).toEqual([
      '0: {"index":0,"value":-1,"ok":false}',
      "0: recovered: send on closed channel",
      "1: recovered while parked: send on closed channel",
    ])
  })

  it("under the explorer's chooser, tries every ready case", () => {
    const report = explore((chooser) => {
      const sim = new Simulation({ chooser })
      const cases = [0, 1, 2].map((i) => new Channel<number>(sim, { capacity: 1, zero: 0, name: `c${i}` }))
      let chosen = -1
      sim.spawn(
        (function* () {
          for (const [i, c] of cases.entries()) yield* c.send(i)
          chosen = (yield* select(
            sim,
            cases.map((c) => recvCase(c)),
          )).index
        })(),
      )
      sim.run()
      return { stateKey: String(chosen) }
    })
    expect([report.schedules, report.states]).toEqual([3, ["0", "1", "2"]])
  })
})

describe("Channel: withdrawn and abandoned operations", () => {
  it("withdraws a receive that loses a race with withDeadline, so a later send is not swallowed", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<number>(sim, { capacity: 1, zero: 0 })
    sim.spawn(
      (function* () {
        const outcome = yield* sim.withDeadline(ch.receive(), 5)
        log(`timed out: ${outcome.timedOut}; ${ch.waitingReceivers} receivers`)
        yield* sim.sleep(5)
        log(`buffered: ${ch.length}, then got ${yield* ch.receive()}`)
      })(),
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(7)
        yield* ch.send(42)
      })(),
    )
    sim.run()
    expect(lines).toEqual(["5: timed out: true; 0 receivers", "10: buffered: 1, then got 42"])
  })

  it("skips the parked operation of a killed goroutine", () => {
    const sim = new Simulation()
    const { lines, log } = timeline(sim)
    const ch = new Channel<string>(sim, { zero: "" })
    const victim = sim.spawn(
      (function* () {
        log(`victim got ${yield* ch.receive()}`)
      })(),
      "victim",
    )
    sim.spawn(
      (function* () {
        log(`survivor got ${yield* ch.receive()}`)
      })(),
      "survivor",
    )
    sim.spawn(
      (function* () {
        yield* sim.sleep(1)
        victim.kill("crash")
        yield* ch.send("x")
      })(),
    )
    sim.run()
    expect(lines).toEqual(["1: survivor got x"])
  })
})
