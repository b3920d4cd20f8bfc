import { describe, expect, it } from "vitest"
import { Simulation, type TraceRecord } from "../../../src/kernel/index.ts"
import {
  checkCrashDetectedWithinTimeout,
  FailureDetectorScenario,
  type FailureDetectorOptions,
  HeartbeatDetector,
  startHeartbeats,
} from "../../../src/models/failure-detector/index.ts"
import { type FaultPlan, Network } from "../../../src/net/index.ts"

function detectorSetup(): { sim: Simulation; network: Network; detector: HeartbeatDetector } {
  const sim = new Simulation({ trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: 10 } })
  const monitor = network.addNode("monitor")
  network.addNode("a")
  const detector = new HeartbeatDetector(monitor, ["a"], { timeoutMs: 300, heartbeatMs: 100 })
  detector.start()
  startHeartbeats(network.node("a"), "monitor", 100)
  return { sim, network, detector }
}

function ofType(sim: Simulation, type: string): TraceRecord[] {
  return sim.trace.records().filter((record) => record.type === type)
}

describe("HeartbeatDetector", () => {
  it("suspects a node exactly timeoutMs after its last heartbeat arrived", () => {
    const { sim, network, detector } = detectorSetup()
    sim.timeout(250).onProcessed(() => network.node("a").crash()) // last heartbeat sent at 200, heard at 210

    sim.run({ until: 1000 })

    expect(detector.suspicions).toEqual([{ t: 510, node: "a", silenceMs: 300, lastHeardSentAt: 200 }])
  })

  it("clears the suspicion at the next heartbeat and reports the silence", () => {
    const { sim, network } = detectorSetup()
    sim.timeout(250).onProcessed(() => network.node("a").crash())
    sim.timeout(700).onProcessed(() => network.node("a").restart()) // heartbeat sent at 700, heard at 710

    sim.run({ until: 1000 })

    expect(ofType(sim, "NodeTrusted")).toMatchObject([{ t: 710, node: "a", silenceMs: 500 }])
  })

  it("is not fooled by a jump of the monitor's clock", () => {
    const { sim, network, detector } = detectorSetup()
    sim.timeout(150).onProcessed(() => network.node("monitor").skewClock(10_000))

    sim.run({ until: 1000 })

    expect(detector.suspicions).toEqual([])
    expect(ofType(sim, "SilenceEnded")).toEqual([])
  })

  it("suspects later when the monitor's clock runs slow", () => {
    const { sim, network, detector } = detectorSetup()
    network.node("monitor").setDrift(-0.5)
    sim.timeout(250).onProcessed(() => network.node("a").crash())

    sim.run({ until: 2000 })

    expect(detector.suspicions.map((s) => s.t)).toEqual([810]) // 300 local ms take 600 ms
  })

  it("forgets everything when the monitor crashes and gives every node a full timeout after it restarts", () => {
    const { sim, network, detector } = detectorSetup()
    sim.timeout(100).onProcessed(() => network.node("a").crash())
    sim.timeout(200).onProcessed(() => network.node("monitor").crash())
    sim.timeout(1000).onProcessed(() => network.node("monitor").restart())

    sim.run({ until: 2000 })

    expect(detector.suspicions.map((s) => [s.t, s.lastHeardSentAt])).toEqual([[1300, null]])
  })
})

describe("FailureDetectorScenario", () => {
  const base: FailureDetectorOptions = { heartbeatMs: 100, timeoutMs: 300, latencyMs: 0, durationMs: 3000 }

  function run(
    plan: FaultPlan,
    options: Partial<FailureDetectorOptions> = {},
  ): ReturnType<FailureDetectorScenario["run"]> {
    const sim = new Simulation({ seed: 1 })
    return new FailureDetectorScenario(sim, { ...base, ...options, plan }).run()
  }

  it("grades a suspicion of a paused node as false and of a crashed node as correct", () => {
    const result = run({
      faults: [
        { kind: "pause", node: "n1", at: 450, durationMs: 500 },
        { kind: "crash", node: "n3", at: 1550 },
      ],
    })

    expect(result.suspicions.map((s) => [s.t, s.node, s.correct, s.cause])).toEqual([
      [700, "n1", false, "paused"],
      [1800, "n3", true, "crashed"],
    ])
    expect(result.falseSuspicions).toBe(1)
    expect(result.detectionTimesMs).toEqual([250])
    expect(result.crashes[0]).toMatchObject({ node: "n3", verdict: "detected", deadline: 1850 })
  })

  it("does not judge a crash the node recovered from before its deadline", () => {
    const result = run({ faults: [{ kind: "crash", node: "n2", at: 1050, restartAt: 1200 }] })

    expect(result.crashes).toMatchObject([{ node: "n2", verdict: "moot", suspectedAt: null }])
    expect(result.suspicions).toEqual([])
  })

  it("does not score a crash of a node already (falsely) suspected as detected after 0 ms, and the check says it judged nothing", () => {
    const result = run({ faults: [{ kind: "crash", node: "n3", at: 1550 }] }, { lossProbability: 1 })
    const verdict = checkCrashDetectedWithinTimeout(result, base.timeoutMs)

    expect(result.crashes).toEqual([
      {
        node: "n3",
        crashedAt: 1550,
        restartedAt: null,
        suspectedAt: 300,
        detectionMs: null,
        deadline: 1850,
        verdict: "already-suspected",
      },
    ])
    expect(result.detectionTimesMs).toEqual([])
    expect(verdict.held).toBe(true)
    expect(verdict.detail).toBe(
      "vacuous: no crash to judge (1 crash(es) of a watched node; 0 not down until its deadline; not judged: n3 (crashed at t=1550ms, already suspected since t=300ms))",
    )
  })

  it("marks a crash the monitor could not see because it was down as missed", () => {
    const result = run({
      faults: [
        { kind: "crash", node: "monitor", at: 100 },
        { kind: "crash", node: "n3", at: 500 },
      ],
    })

    expect(result.crashes).toMatchObject([{ node: "n3", verdict: "missed" }])
  })
})
