import { describe, expect, it } from "vitest"
import { Killed, Simulation } from "../../src/kernel/index.ts"
import { type Envelope, Network, NodeCrashed } from "../../src/net/index.ts"

function setup(): { sim: Simulation; network: Network } {
  const sim = new Simulation({ trace: { keep: Infinity } })
  return { sim, network: new Network(sim, { link: { latency: 10 } }) }
}

describe("Node crash and restart", () => {
  it("kills the node's processes at the crash time without running their finally blocks", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const steps: string[] = []
    const worker = a.spawn(
      (function* () {
        try {
          yield* sim.sleep(100)
          steps.push("woke")
        } finally {
          steps.push("finally")
        }
      })(),
      "worker",
    )
    sim.timeout(40).onProcessed(() => a.crash())

    sim.run()

    expect(steps).toEqual([])
    expect(worker.isAlive).toBe(false)
    expect(worker.error).toBeInstanceOf(Killed)
    expect((worker.error as Killed).cause).toBeInstanceOf(NodeCrashed)
    expect(a.isUp).toBe(false)
    expect(sim.trace.records().find((r) => r.type === "NodeCrashed")).toMatchObject({
      t: 40,
      node: "a",
      processesKilled: 1,
    })
  })

  it("loses the messages queued in its inbox and every message that arrives while it is down", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    network.addNode("b")
    network.send("b", "a", "early") // arrives at 10, queued: nobody receives
    sim.timeout(20).onProcessed(() => a.crash())
    sim.timeout(30).onProcessed(() => network.send("b", "a", "while down")) // arrives at 40
    sim.timeout(50).onProcessed(() => a.restart())

    sim.run()

    expect(a.isUp).toBe(true)
    expect(a.pending()).toEqual([])
    expect(sim.trace.records().find((r) => r.type === "NodeCrashed")).toMatchObject({ t: 20, messagesLost: 1 })
    expect(sim.trace.records().filter((r) => r.type === "MessageDropped")).toMatchObject([
      { t: 40, from: "b", to: "a", reason: "node-down" },
    ])
    expect(network.droppedFor("node-down")).toBe(1)
  })

  it("runs the crash hooks at the crash and the restart hooks at the restart, which can respawn processes", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const log: string[] = []
    let volatile = 0
    const start = (): void => {
      a.spawn(
        (function* () {
          for (;;) {
            yield* sim.sleep(10)
            volatile++
          }
        })(),
        "counter",
      )
    }
    a.onCrash(() => {
      log.push(`crash at ${sim.now}, volatile=${volatile}`)
      volatile = 0
    })
    a.onRestart(() => {
      log.push(`restart at ${sim.now}, incarnation ${a.incarnation}`)
      start()
    })
    start()
    sim.timeout(35).onProcessed(() => a.crash())
    sim.timeout(100).onProcessed(() => a.restart())

    sim.run({ until: 125 })

    expect(log).toEqual(["crash at 35, volatile=3", "restart at 100, incarnation 1"])
    expect(volatile).toBe(2)
    expect(a.liveProcesses.map((p) => p.name)).toEqual(["a/counter"])
  })

  it("keeps the disk across a crash and wipes it on disk loss", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    a.disk.set("term", 3)
    let termAfterRestart: unknown
    a.onRestart(() => {
      termAfterRestart = a.disk.get("term")
    })

    a.crash()
    a.restart()
    const kept = termAfterRestart
    a.crash()
    a.loseDisk()
    a.restart()

    expect(kept).toBe(3)
    expect(termAfterRestart).toBeUndefined()
    expect(sim.trace.records().map((r) => r.type)).toEqual([
      "NodeCrashed",
      "NodeRestarted",
      "NodeCrashed",
      "DiskLost",
      "NodeRestarted",
    ])
  })

  it("treats crashing a down node and restarting an up node as no-ops", () => {
    const { network } = setup()
    const a = network.addNode("a")

    const restartedWhileUp = a.restart()
    const firstCrash = a.crash()
    const secondCrash = a.crash()

    expect([restartedWhileUp, firstCrash, secondCrash]).toEqual([false, true, false])
    expect(a.incarnation).toBe(0)
    expect(() => a.spawn((function* () {})(), "p")).toThrow(/node a is down/)
  })
})

describe("Node pause", () => {
  it("delivers a timer that falls due as the pause starts late by exactly the pause", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const wakes: number[] = []
    sim.timeout(100).onProcessed(() => a.pause(250)) // scheduled before the sleep, so it runs first at t=100
    a.spawn(
      (function* () {
        yield* sim.sleep(100)
        wakes.push(sim.now)
      })(),
      "sleeper",
    )

    sim.run()

    expect(wakes).toEqual([350])
    expect(
      sim.trace
        .records()
        .filter((r) => r.type === "NodeResumed")
        .map((r) => r.t),
    ).toEqual([350])
  })

  it("wakes a timer due during the pause at the pause's end, and one due after it on time", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const wakes: number[] = []
    a.spawn(
      (function* () {
        for (let i = 0; i < 4; i++) {
          yield* sim.sleep(100)
          wakes.push(sim.now)
        }
      })(),
      "ticker",
    )
    sim.timeout(150).onProcessed(() => a.pause(200))

    sim.run()

    expect(wakes).toEqual([100, 350, 450, 550])
  })

  it("queues messages that arrive during a pause and hands them over in order when it resumes", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    network.addNode("b")
    const received: [number, unknown][] = []
    a.spawn(
      (function* () {
        for (;;) {
          const envelope: Envelope = yield* a.receive()
          received.push([sim.now, envelope.message])
        }
      })(),
      "receiver",
    )
    a.pause(100)
    network.send("b", "a", "m1") // arrives at 10
    sim.timeout(20).onProcessed(() => network.send("b", "a", "m2")) // arrives at 30
    sim.timeout(150).onProcessed(() => network.send("b", "a", "m3")) // arrives at 160

    sim.run()

    expect(received).toEqual([
      [100, "m1"],
      [100, "m2"],
      [160, "m3"],
    ])
    expect(a.isPaused).toBe(false)
  })

  it("extends an overlapping pause to the later end and ignores pausing a down node", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const b = network.addNode("b")
    b.crash()
    sim.timeout(0).onProcessed(() => a.pause(100))
    sim.timeout(50).onProcessed(() => a.pause(100))
    sim.timeout(60).onProcessed(() => a.pause(10))

    const pausedDown = b.pause(10)
    sim.run()

    expect(pausedDown).toBe(false)
    expect(
      sim.trace
        .records()
        .filter((r) => r.type === "NodeResumed")
        .map((r) => r.t),
    ).toEqual([150])
    expect(a.lastResumedAt).toBe(150)
    expect(b.lastResumedAt).toBe(-Infinity)
  })

  it("starts a process spawned on a paused node only when the node resumes", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const started: number[] = []
    a.pause(70)

    a.spawn(
      (function* () {
        started.push(sim.now)
        yield* sim.sleep(0)
      })(),
      "late",
    )
    sim.run()

    expect(started).toEqual([70])
  })

  it("ends a pause when the node crashes", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    a.pause(100)
    sim.timeout(50).onProcessed(() => a.crash())
    sim.timeout(60).onProcessed(() => a.restart())

    sim.run()

    expect(a.isPaused).toBe(false)
    expect(sim.trace.records().some((r) => r.type === "NodeResumed")).toBe(false)
  })
})

describe("Node clock", () => {
  it("reads simulated time plus the skew, from the moment the clock jumped", () => {
    const { sim, network } = setup()
    const a = network.addNode("a", { clockSkewMs: -5 })
    const readings: number[] = []
    sim.timeout(100).onProcessed(() => {
      readings.push(a.clock())
      a.skewClock(30)
      readings.push(a.clock())
    })
    sim.timeout(250).onProcessed(() => readings.push(a.clock()))

    sim.run()

    expect(readings).toEqual([95, 125, 275])
  })

  it("runs fast by the drift rate, measured from when the drift was set", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const readings: number[] = []
    sim.timeout(100).onProcessed(() => a.setDrift(0.5))
    sim.timeout(300).onProcessed(() => readings.push(a.clock()))

    sim.run()

    expect(readings).toEqual([400])
    expect(a.driftRate).toBe(0.5)
  })

  it("makes a local sleep last durationMs / (1 + drift) of simulated time, and ignores skew jumps", () => {
    const { sim, network } = setup()
    const fast = network.addNode("fast", { driftRate: 1 })
    const skewed = network.addNode("skewed")
    const wakes: Record<string, number> = {}
    fast.spawn(
      (function* () {
        yield* fast.sleepLocal(300)
        wakes.fast = sim.now
      })(),
      "sleeper",
    )
    skewed.spawn(
      (function* () {
        yield* skewed.sleepLocal(300)
        wakes.skewed = sim.now
      })(),
      "sleeper",
    )
    sim.timeout(100).onProcessed(() => skewed.skewClock(1000))

    sim.run()

    expect(wakes).toEqual({ fast: 150, skewed: 300 })
  })

  it("re-times a running local sleep when the drift changes", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    let woke = -1
    a.spawn(
      (function* () {
        yield* a.sleepLocal(300)
        woke = sim.now
      })(),
      "sleeper",
    )
    // 100 ms at rate 1 (100 local), then rate 2: the remaining 200 local ms take 100 ms.
    sim.timeout(100).onProcessed(() => a.setDrift(1))

    sim.run()

    expect(woke).toBe(200)
  })

  it("keeps a monotonic clock that drifts but ignores skew jumps", () => {
    const { sim, network } = setup()
    const a = network.addNode("a", { clockSkewMs: 500 })
    const readings: number[] = []
    sim.timeout(100).onProcessed(() => {
      a.skewClock(-1000)
      a.setDrift(1)
    })
    sim.timeout(200).onProcessed(() => readings.push(a.monotonicClock(), a.clock()))

    sim.run()

    expect(readings).toEqual([300, -200])
  })

  it("never fires a cancelled local timer", () => {
    const { sim, network } = setup()
    const a = network.addNode("a")
    const timer = a.sleepLocal(50)
    let fired = false
    timer.onProcessed(() => {
      fired = true
    })

    timer.cancel()
    sim.run()

    expect(fired).toBe(false)
    expect(timer.triggered).toBe(false)
  })
})
