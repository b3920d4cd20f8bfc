import { describe, expect, it } from "vitest"
import type { ProcessGenerator } from "../../../src/kernel/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import type {
  ConsumerFetchedPartition,
  ConsumerFetchReply,
  ConsumerFetchRequest,
  ListOffsetsReply,
} from "../../../src/models/kafka/group/group-protocol.ts"
import { KafkaScenario, type KafkaScenarioOptions, TopicLayout } from "../../../src/models/kafka/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"

const FAST = {
  replicaLagTimeMaxMs: 400,
  replicaFetchWaitMaxMs: 100,
  replicaFetchTimeoutMs: 300,
  brokerHeartbeatIntervalMs: 100,
  brokerSessionTimeoutMs: 600,
}

function cluster(options: KafkaScenarioOptions = {}, plan?: FaultPlan): { sim: Simulation; scenario: KafkaScenario } {
  const sim = new Simulation({ seed: 1, trace: { hash: false, keep: Infinity } })
  const scenario = new KafkaScenario(sim, {
    broker: FAST,
    producer: { acks: 1, lingerMs: 0 },
    ...options,
    ...(plan === undefined ? {} : { plan }),
  })
  scenario.network.addNode("consumer")
  return { sim, scenario }
}

/** Produces `count` records (no key) from the producer's node at time `at`. */
function produceAt(scenario: KafkaScenario, at: number, count: number): void {
  scenario.network.node("producer").spawn(
    (function* (): ProcessGenerator<void> {
      yield* scenario.sim.sleep(at)
      for (let i = 0; i < count; i++) scenario.producer.send(null)
    })(),
  )
}

/** Sends one consumer fetch to `broker` at `at`; the reply (or null on timeout) and when it came land in `out`. */
function fetchAt(
  scenario: KafkaScenario,
  at: number,
  broker: string,
  request: Omit<ConsumerFetchRequest, "type">,
  out: { reply?: ConsumerFetchReply | null; atMs?: number },
): void {
  scenario.network.node("consumer").spawn(
    (function* (): ProcessGenerator<void> {
      yield* scenario.sim.sleep(at)
      const outcome = yield* scenario.fetchRpc.call<ConsumerFetchReply>(
        "consumer",
        broker,
        { type: "consumer-fetch", ...request },
        { timeoutMs: 20_000 },
      )
      out.reply = outcome.ok ? outcome.response : null
      out.atMs = scenario.sim.now
    })(),
  )
}

const T0P0 = { topic: "t0", partition: 0 }

/** The offsets of a fetched partition's records: consecutive from its first offset. */
function offsets(part: ConsumerFetchedPartition): number[] {
  return part.ids.map((_, i) => part.firstOffset + i)
}

describe("consumer fetch on the partition leader", () => {
  it("answers records from the fetch offset up to the high watermark, at most maxRecords", () => {
    const { sim, scenario } = cluster()
    produceAt(scenario, 10, 10)
    const some: { reply?: ConsumerFetchReply | null } = {}
    const all: { reply?: ConsumerFetchReply | null } = {}
    fetchAt(scenario, 500, "b1", { partitions: [{ tp: T0P0, fetchOffset: 2 }], maxWaitMs: 500, maxRecords: 4 }, some)
    fetchAt(scenario, 500, "b1", { partitions: [{ tp: T0P0, fetchOffset: 0 }], maxWaitMs: 500, maxRecords: 100 }, all)
    sim.run({ until: 1000 })

    const part = some.reply!.partitions[0]!
    expect(part.error).toBe("NONE")
    expect(part.highWatermark).toBe(10)
    expect(offsets(part)).toEqual([2, 3, 4, 5])
    expect(offsets(all.reply!.partitions[0]!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(all.reply!.partitions[0]!.ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it("never reads past the high watermark: with the followers down, appended records wait until the ISR shrinks", () => {
    const plan: FaultPlan = {
      faults: [
        { kind: "crash", node: "b2", at: 1, restart: false },
        { kind: "crash", node: "b3", at: 1, restart: false },
      ],
    }
    const { sim, scenario } = cluster({}, plan)
    produceAt(scenario, 50, 5)
    const between: { reply?: ConsumerFetchReply | null; atMs?: number } = {}
    const beyond: { reply?: ConsumerFetchReply | null; atMs?: number } = {}
    const parked: { reply?: ConsumerFetchReply | null; atMs?: number } = {}
    fetchAt(scenario, 100, "b1", { partitions: [{ tp: T0P0, fetchOffset: 3 }], maxWaitMs: 0, maxRecords: 100 }, between)
    fetchAt(scenario, 100, "b1", { partitions: [{ tp: T0P0, fetchOffset: 6 }], maxWaitMs: 0, maxRecords: 100 }, beyond)
    fetchAt(
      scenario,
      100,
      "b1",
      { partitions: [{ tp: T0P0, fetchOffset: 0 }], maxWaitMs: 5000, maxRecords: 100 },
      parked,
    )
    sim.run({ until: 3000 })

    // Offsets 0..4 are in b1's log (LEO 5) but not committed: between HW and LEO is empty, beyond the LEO out of range.
    expect(between.reply!.partitions[0]).toMatchObject({ error: "NONE", highWatermark: 0, ids: [] })
    expect(beyond.reply!.partitions[0]).toMatchObject({ error: "OFFSET_OUT_OF_RANGE", highWatermark: 0, ids: [] })
    const advanced = sim.trace.records().find((r) => r.type === "HighWatermarkAdvanced" && r.broker === 1)!
    expect(advanced.highWatermark).toBe(5)
    expect(advanced.t).toBeGreaterThan(400)
    const answered = sim.trace.records().filter((r) => r.type === "ConsumerFetchAnswered" && r.waitedMs !== 0)
    expect(answered).toHaveLength(1)
    expect(answered[0]!.t).toBe(advanced.t)
    // Parked from its arrival (100 ms plus one link latency, 0.5..1.5 ms) until the high watermark moved.
    expect(answered[0]!.waitedMs).toBeGreaterThan(advanced.t - 101.5)
    expect(answered[0]!.waitedMs).toBeLessThan(advanced.t - 100.5)
    expect(offsets(parked.reply!.partitions[0]!)).toEqual([0, 1, 2, 3, 4])
    expect(parked.reply!.partitions[0]!.highWatermark).toBe(5)
  })

  it("answers an empty parked fetch after maxWaitMs when nothing arrives", () => {
    const { sim, scenario } = cluster()
    const out: { reply?: ConsumerFetchReply | null; atMs?: number } = {}
    fetchAt(scenario, 100, "b1", { partitions: [{ tp: T0P0, fetchOffset: 0 }], maxWaitMs: 500, maxRecords: 10 }, out)
    sim.run({ until: 2000 })
    const answered = sim.trace.records().filter((r) => r.type === "ConsumerFetchAnswered")
    expect(answered).toHaveLength(1)
    expect(answered[0]!.waitedMs).toBe(500)
    expect(out.reply!.partitions[0]).toMatchObject({ error: "NONE", highWatermark: 0, ids: [] })
  })

  it("answers NOT_LEADER_OR_FOLLOWER from a follower, and from the old leader after a leader change", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "b1", at: 200, restartAt: 2000 }] }
    const { sim, scenario } = cluster({}, plan)
    produceAt(scenario, 10, 3)
    const follower: { reply?: ConsumerFetchReply | null } = {}
    const newLeader: { reply?: ConsumerFetchReply | null } = {}
    const oldLeader: { reply?: ConsumerFetchReply | null } = {}
    const request = { partitions: [{ tp: T0P0, fetchOffset: 0 }], maxWaitMs: 0, maxRecords: 10 }
    fetchAt(scenario, 100, "b2", request, follower)
    fetchAt(scenario, 1500, "b2", request, newLeader)
    fetchAt(scenario, 4000, "b1", request, oldLeader)
    sim.run({ until: 5000 })

    expect(follower.reply!.partitions[0]).toMatchObject({
      error: "NOT_LEADER_OR_FOLLOWER",
      highWatermark: -1,
      ids: [],
    })
    expect(scenario.controller.states[0]!.leader).toBe(2)
    expect(newLeader.reply!.partitions[0]!.error).toBe("NONE")
    expect(offsets(newLeader.reply!.partitions[0]!)).toEqual([0, 1, 2])
    expect(oldLeader.reply!.partitions[0]!.error).toBe("NOT_LEADER_OR_FOLLOWER")
  })

  it("answers a parked fetch with NOT_LEADER_OR_FOLLOWER the moment its broker learns it lost leadership", () => {
    // b1's heartbeats to the controller are dropped: the controller fences it and elects b2, and tells b1.
    const plan: FaultPlan = {
      faults: [{ kind: "link", from: "b1", to: "controller", at: 0, until: 5000, dropProbability: 1 }],
    }
    const { sim, scenario } = cluster({}, plan)
    const out: { reply?: ConsumerFetchReply | null; atMs?: number } = {}
    fetchAt(scenario, 100, "b1", { partitions: [{ tp: T0P0, fetchOffset: 0 }], maxWaitMs: 5000, maxRecords: 10 }, out)
    sim.run({ until: 3000 })

    const elected = sim.trace.records().find((r) => r.type === "LeaderElected" && r.leader === 2)!
    expect(elected).toBeDefined()
    const answered = sim.trace.records().filter((r) => r.type === "ConsumerFetchAnswered")
    expect(answered).toHaveLength(1)
    expect(answered[0]).toMatchObject({ broker: 1, error: "NOT_LEADER_OR_FOLLOWER", count: 0 })
    // Answered once the controller's new partition state reached b1 (one link latency after the election), not at maxWaitMs.
    expect(answered[0]!.t).toBeGreaterThan(elected.t)
    expect(answered[0]!.t).toBeLessThan(elected.t + 2)
    expect(out.reply!.partitions[0]!.error).toBe("NOT_LEADER_OR_FOLLOWER")
  })

  it("maps topic partitions to the brokers' flat partitions, and answers UNKNOWN_TOPIC_OR_PARTITION outside the layout", () => {
    const { sim, scenario } = cluster({ topics: "t0:2,t1:2" })
    expect(scenario.partitionCount).toBe(4)
    // Flat partition 3 (t1p1) is led by b1 (replicas 4 mod 3 = b1, b2, b3).
    expect(scenario.controller.states[3]!.leader).toBe(1)
    const out: { reply?: ConsumerFetchReply | null } = {}
    const request = {
      partitions: [
        { tp: { topic: "t1", partition: 1 }, fetchOffset: 0 },
        { tp: { topic: "t1", partition: 2 }, fetchOffset: 0 },
        { tp: { topic: "t0", partition: 1 }, fetchOffset: 0 },
      ],
      maxWaitMs: 0,
      maxRecords: 10,
    }
    fetchAt(scenario, 100, "b1", request, out)
    sim.run({ until: 500 })
    expect(out.reply!.partitions.map((p) => p.error)).toEqual([
      "NONE",
      "UNKNOWN_TOPIC_OR_PARTITION",
      "NOT_LEADER_OR_FOLLOWER",
    ])
  })

  it("lists the earliest offset (0) and the latest (the high watermark)", () => {
    const { sim, scenario } = cluster()
    produceAt(scenario, 10, 7)
    const replies: ListOffsetsReply[] = []
    scenario.network.node("consumer").spawn(
      (function* (): ProcessGenerator<void> {
        yield* sim.sleep(500)
        for (const at of ["earliest", "latest"] as const) {
          const outcome = yield* scenario.fetchRpc.call<ListOffsetsReply>("consumer", "b1", {
            type: "list-offsets",
            partitions: [T0P0],
            at,
          })
          if (outcome.ok) replies.push(outcome.response)
        }
      })(),
    )
    sim.run({ until: 1000 })
    expect(replies.map((r) => r.offsets[0])).toEqual([
      { tp: T0P0, error: "NONE", offset: 0 },
      { tp: T0P0, error: "NONE", offset: 7 },
    ])
  })
})

describe("TopicLayout", () => {
  it("numbers the partitions of t0:3,t1:3 as 0..5 and back", () => {
    const layout = TopicLayout.parse("t0:3,t1:3")
    expect(layout.totalPartitions).toBe(6)
    expect(layout.flatIndex({ topic: "t0", partition: 2 })).toBe(2)
    expect(layout.flatIndex({ topic: "t1", partition: 0 })).toBe(3)
    expect(layout.flatIndex({ topic: "t1", partition: 3 })).toBe(-1)
    expect(layout.flatIndex({ topic: "t2", partition: 0 })).toBe(-1)
    expect(layout.topicPartition(4)).toEqual({ topic: "t1", partition: 1 })
    expect(layout.partitionsOfTopic("t1")).toEqual([
      { topic: "t1", partition: 0 },
      { topic: "t1", partition: 1 },
      { topic: "t1", partition: 2 },
    ])
    expect(layout.toString()).toBe("t0:3,t1:3")
  })

  it("refuses bad layouts naming the part that is wrong", () => {
    expect(() => TopicLayout.parse("t0")).toThrow('"t0" is not <topic>:<partitions>, e.g. t0:3')
    expect(() => TopicLayout.parse("t0:0")).toThrow("topic t0 needs an integer partition count >= 1, got 0")
    expect(() => TopicLayout.parse("t0:1,t0:2")).toThrow("topic t0 is listed twice")
    expect(() => TopicLayout.single(2).topicPartition(2)).toThrow("flat partition 2 is outside 0..1")
  })
})
