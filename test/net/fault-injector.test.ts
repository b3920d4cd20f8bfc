import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../src/kernel/index.ts"
import {
  applyFaultPlan,
  describeFaultPlan,
  type Envelope,
  type FaultPlan,
  FaultPlanError,
  Network,
  NO_FAULTS,
  parseFaultPlan,
} from "../../src/net/index.ts"

const NODES = ["n1", "n2", "n3"]

function setup(): { sim: Simulation; network: Network } {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: 10 } })
  for (const name of NODES) network.addNode(name)
  return { sim, network }
}

/** Faults and node events, as `t type node` strings, leaving messages out. */
function faultLog(sim: Simulation): string[] {
  const skip = new Set(["MessageSent", "MessageDelivered", "MessageDropped", "MessageDuplicated", "MessageHeld"])
  return sim.trace
    .records()
    .filter((record) => !skip.has(record.type))
    .map(
      (record: TraceRecord) => `${record.t} ${record.type}${typeof record.node === "string" ? ` ${record.node}` : ""}`,
    )
}

describe("applyFaultPlan", () => {
  it("crashes at `at`, loses the disk, and restarts at `restartAt`", () => {
    const { sim, network } = setup()
    network.node("n1").disk.set("k", 1)

    applyFaultPlan(sim, network, { faults: [{ kind: "crash", node: "n1", at: 100, restartAt: 250, diskLoss: true }] })
    sim.run()

    expect(faultLog(sim)).toEqual(["100 NodeCrashed n1", "100 DiskLost n1", "250 NodeRestarted n1"])
    expect(network.node("n1").disk.size).toBe(0)
  })

  it("pauses a node for durationMs and resumes it", () => {
    const { sim, network } = setup()

    applyFaultPlan(sim, network, { faults: [{ kind: "pause", node: "n2", at: 40, durationMs: 500 }] })
    sim.run()

    expect(faultLog(sim)).toEqual(["40 NodePaused n2", "540 NodeResumed n2"])
  })

  it("starts and heals a partition, cutting messages in between", () => {
    const { sim, network } = setup()
    const received: number[] = []
    const n2 = network.node("n2")
    n2.spawn(
      (function* () {
        for (;;) {
          const envelope: Envelope = yield* n2.receive()
          received.push(envelope.message as number)
        }
      })(),
      "receiver",
    )
    for (const t of [0, 100, 200]) sim.timeout(t).onProcessed(() => network.send("n1", "n2", t))

    applyFaultPlan(sim, network, {
      faults: [{ kind: "partition", groups: [["n1"], ["n2", "n3"]], at: 50, healAt: 150 }],
    })
    sim.run()

    expect(received).toEqual([0, 200])
    expect(faultLog(sim)).toEqual(["50 PartitionStarted", "150 PartitionHealed"])
  })

  it("skews and drifts a clock", () => {
    const { sim, network } = setup()
    const readings: number[] = []
    sim.timeout(200).onProcessed(() => readings.push(network.node("n3").clock()))

    applyFaultPlan(sim, network, { faults: [{ kind: "clock", node: "n3", at: 100, skewMs: -40, driftRate: 0.1 }] })
    sim.run()

    expect(readings).toEqual([170])
    expect(faultLog(sim)).toEqual(["100 ClockSkewed n3", "100 ClockDriftSet n3"])
  })

  it("applies a link fault from `at` until `until`", () => {
    const { sim, network } = setup()

    applyFaultPlan(sim, network, { faults: [{ kind: "link", from: "n1", at: 10, until: 20, dropProbability: 1 }] })
    sim.timeout(15).onProcessed(() => network.send("n1", "n2", "x"))
    sim.run()

    expect(faultLog(sim)).toEqual(["10 LinkFaultStarted", "20 LinkFaultStopped"])
    expect(network.droppedFor("loss")).toBe(1)
  })

  it("heals everything at healAt: partitions, link faults, pauses and crashes", () => {
    const { sim, network } = setup()
    const plan: FaultPlan = {
      healAt: 300,
      faults: [
        { kind: "crash", node: "n1", at: 10 },
        { kind: "pause", node: "n2", at: 20, durationMs: 1000 },
        { kind: "partition", groups: [["n3"]], at: 30, healAt: 900 },
        { kind: "link", at: 40, extraDelayMs: 5 },
      ],
    }

    applyFaultPlan(sim, network, plan)
    sim.run()

    expect(faultLog(sim)).toEqual([
      "10 NodeCrashed n1",
      "20 NodePaused n2",
      "30 PartitionStarted",
      "40 LinkFaultStarted",
      "300 HealingStarted",
      "300 PartitionHealed",
      "300 LinkFaultStopped",
      "300 NodeResumed n2",
      "300 NodeRestarted n1",
    ])
    expect(network.nodes.every((node) => node.isUp && !node.isPaused)).toBe(true)
  })

  it("leaves a node crashed with restart: false down, even through healing", () => {
    const { sim, network } = setup()

    applyFaultPlan(sim, network, {
      healAt: 100,
      faults: [
        { kind: "crash", node: "n1", at: 10, restart: false },
        { kind: "crash", node: "n1", at: 20, restartAt: 50 },
      ],
    })
    sim.run()

    expect(network.node("n1").isUp).toBe(false)
    expect(sim.trace.records().filter((r) => r.type === "FaultSkipped")).toMatchObject([
      { t: 20, fault: 1, kind: "crash", node: "n1", reason: "the node is already down" },
      { t: 50, fault: 1, kind: "restart", node: "n1" },
    ])
  })

  it("skips pausing a crashed node and records why", () => {
    const { sim, network } = setup()

    applyFaultPlan(sim, network, {
      faults: [
        { kind: "crash", node: "n1", at: 10, restartAt: 100 },
        { kind: "pause", node: "n1", at: 20, durationMs: 30 },
      ],
    })
    sim.run()

    expect(faultLog(sim)).toEqual(["10 NodeCrashed n1", "20 FaultSkipped n1", "100 NodeRestarted n1"])
  })

  it("refuses an invalid plan before scheduling anything, naming the fault, field and value", () => {
    const { sim, network } = setup()

    const apply = (): unknown => applyFaultPlan(sim, network, { faults: [{ kind: "crash", node: "n9", at: 1 }] })

    expect(apply).toThrow(FaultPlanError)
    expect(apply).toThrow('faults[0] (crash): node is "n9", an unknown node; allowed: n1, n2, n3')
    expect(sim.peek()).toBe(Infinity)
  })

  it("does nothing at all with the empty plan", () => {
    const { sim, network } = setup()

    applyFaultPlan(sim, network, NO_FAULTS)
    sim.run()

    expect(sim.trace.count).toBe(0)
  })
})

describe("parseFaultPlan", () => {
  const parse = (json: string): string => {
    const result = parseFaultPlan(json, { nodes: NODES })
    return result.ok ? "ok" : result.error
  }

  it("reads a valid plan and returns it", () => {
    const json =
      '{"healAt":500,"faults":[{"kind":"pause","node":"n1","at":100,"durationMs":200},{"kind":"partition","groups":[["n1"],["n2"]],"at":0,"oneWay":true}]}'

    const result = parseFaultPlan(json, { nodes: NODES })

    expect(result).toEqual({ ok: true, plan: JSON.parse(json) })
  })

  it.each([
    ["not json", /^the fault plan is not valid JSON/],
    ["[]", /^the fault plan is \[\]; allowed: an object/],
    ['{"faults":[],"heal":3}', 'the fault plan has an unknown field "heal"; allowed: faults, healAt'],
    ['{"faults":{}}', "faults is {}; allowed: an array of faults"],
    [
      '{"faults":[{"kind":"meteor","at":1}]}',
      'faults[0]: kind is "meteor"; allowed: crash, pause, partition, clock, link',
    ],
    [
      '{"faults":[{"kind":"pause","node":"n1","at":1,"durationMS":5}]}',
      /faults\[0\] \(pause\): has an unknown field "durationMS"; allowed: kind, node, at, durationMs/,
    ],
    [
      '{"faults":[{"kind":"pause","node":"n1","at":1,"durationMs":-5}]}',
      "faults[0] (pause): durationMs is -5; allowed: a finite number > 0",
    ],
    [
      '{"faults":[{"kind":"pause","node":"n1","durationMs":5}]}',
      "faults[0] (pause): at is missing; allowed: a finite number >= 0",
    ],
    [
      '{"healAt":100,"faults":[{"kind":"crash","node":"n1","at":100}]}',
      "faults[0] (crash): at is 100; allowed: before the plan's healAt 100",
    ],
    [
      '{"faults":[{"kind":"crash","node":"n1","at":10,"restartAt":5}]}',
      "faults[0] (crash): restartAt is 5; allowed: a time after at 10",
    ],
    [
      '{"faults":[{"kind":"crash","node":"n1","at":10,"restartAt":50,"restart":false}]}',
      /restartAt is 50 with restart false/,
    ],
    [
      '{"faults":[{"kind":"partition","groups":[["n1"],["n1"]],"at":0}]}',
      /groups\[1\]\[0\] is "n1", already in another group/,
    ],
    ['{"faults":[{"kind":"partition","groups":[],"at":0}]}', /groups is \[\]; allowed: a non-empty array/],
    [
      '{"faults":[{"kind":"clock","node":"n1","at":0,"driftRate":-1}]}',
      /driftRate is -1; allowed: a finite number > -1/,
    ],
    [
      '{"faults":[{"kind":"link","to":"x","at":0}]}',
      'faults[0] (link): to is "x", an unknown node; allowed: n1, n2, n3',
    ],
    [
      '{"faults":[{"kind":"link","at":0,"dropProbability":1.5}]}',
      "faults[0] (link): dropProbability is 1.5; allowed: a probability in [0, 1]",
    ],
  ])("refuses %s", (json, expected) => {
    const error = parse(json)

    if (typeof expected === "string") expect(error).toBe(expected)
    else expect(error).toMatch(expected)
  })

  it("accepts a clock fault that changes nothing, as a no-op", () => {
    const result = parseFaultPlan('{"faults":[{"kind":"clock","node":"n1","at":0}]}', { nodes: NODES })

    expect(result.ok).toBe(true)
  })

  it("accepts any node name when no node list is given", () => {
    const result = parseFaultPlan('{"faults":[{"kind":"crash","node":"anything","at":0}]}')

    expect(result.ok).toBe(true)
  })
})

describe("describeFaultPlan", () => {
  it("prints one line per fault in time order, the healing phase last", () => {
    const plan: FaultPlan = {
      healAt: 800,
      faults: [
        { kind: "crash", node: "n1", at: 120, restartAt: 400, diskLoss: true },
        { kind: "pause", node: "n2", at: 50, durationMs: 500 },
        { kind: "partition", groups: [["n1", "n2"], ["n3"]], at: 100, healAt: 300 },
        { kind: "partition", groups: [["n1"], ["n2"]], at: 100, oneWay: true },
        { kind: "clock", node: "n3", at: 0, skewMs: 30, driftRate: -0.01 },
        {
          kind: "link",
          from: "n1",
          at: 0,
          dropProbability: 0.1,
          duplicateProbability: 0.05,
          extraDelayMs: 20,
          until: 500,
        },
        { kind: "crash", node: "n3", at: 700, restart: false },
      ],
    }

    const text = describeFaultPlan(plan)

    expect(text).toBe(
      [
        "t=0ms    clock n3 skew +30ms, drift -1%",
        "t=0ms    link n1->* drop 10%, duplicate 5%, +20ms delay until 500ms",
        "t=50ms   pause n2 for 500ms",
        "t=100ms  partition {n1,n2} | {n3} until 300ms",
        "t=100ms  partition {n1} -> {n2} (one-way) until heal",
        "t=120ms  crash n1, disk lost, restart at 400ms",
        "t=700ms  crash n3, stays down",
        "t=800ms  heal: partitions heal, paused nodes resume, crashed nodes restart, link faults stop",
      ].join("\n"),
    )
  })

  it("says so when there are no faults", () => {
    expect(describeFaultPlan(NO_FAULTS)).toBe("no faults")
  })
})
