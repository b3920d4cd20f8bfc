import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { expectCounterexample, expectHolds, faultPlanArbitrary } from "../../../src/check/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  checkNoAckedWriteLost,
  checkNoDuplicates,
  type KafkaRunResult,
  KafkaScenario,
} from "../../../src/models/kafka/index.ts"
import type { Fault, FaultPlan } from "../../../src/net/index.ts"

/** What a generated case varies besides the fault plan. */
interface Scenario {
  readonly seed: number
}

interface Settings {
  readonly acks: 0 | 1 | -1
  readonly minInsyncReplicas: number
  readonly uncleanLeaderElection: boolean
  readonly idempotent?: boolean
  readonly lossProbability?: number
  /** Records per second; the 300 records span 300ms at the default 1000. */
  readonly ratePerSecond?: number
}

const BROKERS = ["b1", "b2", "b3"]
const HORIZON_MS = 2500

/** A small, fast cluster: short timeouts so that fencing, ISR shrink and elections happen within the horizon. */
function run(settings: Settings, scenario: Scenario, faults: FaultPlan): KafkaRunResult {
  const sim = new Simulation({ seed: scenario.seed, trace: { hash: false } })
  const kafka = new KafkaScenario(sim, {
    plan: faults,
    lossProbability: settings.lossProbability ?? 0,
    broker: {
      minInsyncReplicas: settings.minInsyncReplicas,
      uncleanLeaderElection: settings.uncleanLeaderElection,
      replicaLagTimeMaxMs: 400,
      replicaFetchWaitMaxMs: 100,
      replicaFetchTimeoutMs: 300,
      brokerHeartbeatIntervalMs: 100,
      brokerSessionTimeoutMs: 600,
      tickMs: 100,
    },
    producer: {
      acks: settings.acks,
      lingerMs: 0,
      requestTimeoutMs: 400,
      deliveryTimeoutMs: 20_000,
      ...(settings.idempotent === undefined ? {} : { idempotent: settings.idempotent }),
    },
    workload: { messages: 300, ratePerSecond: settings.ratePerSecond ?? 1000, settleMs: 2500 },
  })
  return kafka.run()
}

const scenario = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }) })

function sim(settings: Settings) {
  const acks = settings.acks === -1 ? "all" : String(settings.acks)
  return {
    name: "kafka-acks",
    toFlags: (s: Scenario) => [
      "--seed",
      String(s.seed),
      "--acks",
      acks,
      "--min-insync",
      String(settings.minInsyncReplicas),
      ...(settings.uncleanLeaderElection ? ["--unclean-election"] : []),
      "--crash-leader-at",
      "-1",
    ],
  }
}

/** A crash or pause of b1 (the first leader), or a partition that puts b1 in a group of its own. */
function takesLeaderAway(fault: Fault): boolean {
  if (fault.kind === "crash") return fault.node === "b1"
  if (fault.kind === "partition") return fault.groups.some((group) => group.length === 1 && group[0] === "b1")
  return fault.kind === "pause" && fault.node === "b1"
}

const crashPausePartition = faultPlanArbitrary({
  nodes: BROKERS,
  horizonMs: HORIZON_MS,
  kinds: ["crash", "pause", "partition"],
  maxFaults: 4,
})

describe("Kafka durability properties", () => {
  it("never loses an acknowledged record with acks=all, min.insync.replicas=2, RF=3 and no unclean election", () => {
    const settings: Settings = { acks: -1, minInsyncReplicas: 2, uncleanLeaderElection: false }
    expectHolds({
      scenario,
      faults: crashPausePartition,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoAckedWriteLost(r, settings.acks), checkNoDuplicates(r)],
      sim: sim(settings),
      numRuns: 200,
    })
  })

  it("never loses an acknowledged record when fewer than min.insync.replicas brokers lose their disk", () => {
    const settings: Settings = { acks: -1, minInsyncReplicas: 2, uncleanLeaderElection: false }
    const faults = faultPlanArbitrary({
      nodes: BROKERS,
      horizonMs: HORIZON_MS,
      kinds: ["crash", "pause", "partition"],
      maxFaults: 3,
      maxPerKind: { crash: 1 },
      diskLoss: true,
    })
    expectHolds({
      scenario,
      faults,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoAckedWriteLost(r, settings.acks)],
      sim: sim(settings),
      numRuns: 100,
    })
  })

  it("finds and shrinks a loss for acks=1 to at most two faults, one of which takes the leader away (crash, pause, or a partition making it a zombie)", () => {
    const settings: Settings = { acks: 1, minInsyncReplicas: 2, uncleanLeaderElection: false }
    const found = expectCounterexample({
      scenario,
      faults: crashPausePartition,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoAckedWriteLost(r, settings.acks)],
      sim: sim(settings),
      log: null,
      numRuns: 300,
    })

    expect(found.faults.faults.length, found.report).toBeLessThanOrEqual(2)
    expect(found.faults.faults.some(takesLeaderAway), found.report).toBe(true)
    expect(found.failed[0]!.name).toBe("no-acked-write-lost")
    expect(found.result.lost[0]!.why).toContain("acks=1")
  })

  it("finds and shrinks a loss for acks=0 to at most two faults, one of which takes the leader away", () => {
    const settings: Settings = { acks: 0, minInsyncReplicas: 2, uncleanLeaderElection: false }
    const found = expectCounterexample({
      scenario,
      faults: crashPausePartition,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoAckedWriteLost(r, settings.acks)],
      sim: sim(settings),
      log: null,
      numRuns: 300,
    })

    expect(found.faults.faults.length, found.report).toBeLessThanOrEqual(2)
    expect(found.faults.faults.some(takesLeaderAway), found.report).toBe(true)
    expect(found.failed[0]!.name).toBe("no-sent-write-lost")
    expect(found.result.lost[0]!.why).toContain("acks=0")
  })

  it("finds a loss for acks=all with min.insync.replicas=1 and unclean election: the followers stall, the ISR shrinks, then the leader crashes", () => {
    const settings: Settings = { acks: -1, minInsyncReplicas: 1, uncleanLeaderElection: true, ratePerSecond: 120 }
    // Both followers stall (pauses), then the leader crashes; fast-check picks and shrinks the times.
    const faults = fc
      .record({
        pauseAt: fc.integer({ min: 0, max: 1000 }),
        pauseMs: fc.integer({ min: 1, max: 1400 }),
        crashAt: fc.integer({ min: 0, max: 2400 }),
      })
      .map(({ pauseAt, pauseMs, crashAt }): FaultPlan => ({
        faults: [
          { kind: "pause", node: "b2", at: pauseAt, durationMs: pauseMs },
          { kind: "pause", node: "b3", at: pauseAt, durationMs: pauseMs },
          { kind: "crash", node: "b1", at: crashAt },
        ],
        healAt: HORIZON_MS,
      }))
    const found = expectCounterexample({
      scenario,
      faults,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoAckedWriteLost(r, settings.acks)],
      sim: sim(settings),
      log: null,
      numRuns: 300,
    })
    const [pause, , crash] = found.faults.faults as [{ at: number; durationMs: number }, unknown, { at: number }]

    expect(pause.durationMs).toBeGreaterThan(400)
    expect(crash.at).toBeGreaterThan(pause.at)
    expect(found.result.lost.some((lost) => lost.why.includes("unclean"))).toBe(true)
  })

  it("writes no duplicate with an idempotent producer under retries and message loss", () => {
    const settings: Settings = { acks: -1, minInsyncReplicas: 2, uncleanLeaderElection: false, lossProbability: 0.05 }
    const faults = faultPlanArbitrary({
      nodes: BROKERS,
      horizonMs: HORIZON_MS,
      kinds: ["crash", "pause", "partition"],
      maxFaults: 2,
    })
    expectHolds({
      scenario,
      faults,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoDuplicates(r), checkNoAckedWriteLost(r, settings.acks)],
      numRuns: 40,
    })
  })

  it("finds a duplicate without idempotence when acknowledgements are lost and batches retried", () => {
    const settings: Settings = {
      acks: -1,
      minInsyncReplicas: 2,
      uncleanLeaderElection: false,
      idempotent: false,
      lossProbability: 0.05,
    }
    const faults = faultPlanArbitrary({
      nodes: BROKERS,
      horizonMs: HORIZON_MS,
      kinds: ["crash", "pause", "partition"],
      maxFaults: 2,
    })
    const found = expectCounterexample({
      scenario,
      faults,
      run: (s, f) => run(settings, s, f),
      check: (r) => [checkNoDuplicates(r)],
      log: null,
    })

    expect(found.result.duplicates.length).toBeGreaterThan(0)
  })
})
