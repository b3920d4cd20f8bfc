import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { KafkaScenario, kafkaTimelineLine } from "../../../src/models/kafka/index.ts"

describe("kafkaTimelineLine", () => {
  it("tells Kafka events, the broker faults in Kafka's words, other faults in the network's, and hides messages", () => {
    const stamp = { t: 0, seq: 0 }

    expect(
      kafkaTimelineLine({
        ...stamp,
        type: "LogTruncated",
        broker: 1,
        partition: 0,
        fromOffset: 600,
        toOffset: 599,
        leader: 2,
        leaderEpoch: 1,
      }),
    ).toBe("b1 TRUNCATES partition 0 from offset 599 (LEO 600 → 599) to match b2")
    expect(
      kafkaTimelineLine({
        ...stamp,
        type: "LeaderElected",
        partition: 0,
        leader: -1,
        leaderEpoch: 1,
        isr: [1],
        unclean: false,
        previousLeader: 1,
      }),
    ).toBe("partition 0 OFFLINE: no live ISR member (ISR 1)")
    expect(kafkaTimelineLine({ ...stamp, type: "NodeCrashed", node: "b1", processesKilled: 2, messagesLost: 0 })).toBe(
      "b1 CRASHES (its log stays on disk)",
    )
    expect(kafkaTimelineLine({ ...stamp, type: "NodePaused", node: "b2", untilMs: null })).toBe(
      "b2 PAUSED (a GC or VM stall: it does not know)",
    )
    expect(
      kafkaTimelineLine({ ...stamp, type: "MessageSent", id: 1, from: "producer", to: "b1", port: "kafka" }),
    ).toBeUndefined()
  })
})

describe("kafkaTimelineLine for the broker side of consuming", () => {
  it("tells consumer fetches, coordinator loads and unloads", () => {
    const stamp = { t: 0, seq: 0 }
    const fetch = { ...stamp, type: "ConsumerFetchAnswered" as const, broker: 2, topic: "t0", partition: 1 }
    expect(
      kafkaTimelineLine({
        ...fetch,
        fetchOffset: 5,
        count: 3,
        lastOffset: 7,
        highWatermark: 9,
        error: "NONE",
        waitedMs: 0,
      }),
    ).toBe("b2 hands a consumer offsets 5-7 of t0p1 (HW 9)")
    expect(
      kafkaTimelineLine({
        ...fetch,
        fetchOffset: 9,
        count: 0,
        lastOffset: -1,
        highWatermark: 9,
        error: "NONE",
        waitedMs: 500,
      }),
    ).toBe("b2 answers a consumer fetch of t0p1 at 9 with nothing (HW 9) after 500ms parked")
    expect(
      kafkaTimelineLine({
        ...fetch,
        fetchOffset: 0,
        count: 0,
        lastOffset: -1,
        highWatermark: -1,
        error: "NOT_LEADER_OR_FOLLOWER",
        waitedMs: 0,
      }),
    ).toBe("b2 answers a consumer fetch of t0p1 at 0: NOT_LEADER_OR_FOLLOWER")
    expect(
      kafkaTimelineLine({
        ...stamp,
        type: "GroupCoordinatorLoaded",
        broker: 2,
        group: "g",
        offsetsPartition: 3,
        offsets: { "t0-0": 7 },
      }),
    ).toBe("b2 becomes coordinator of group g (offsets partition 3), loading 1 committed offset(s)")
    expect(
      kafkaTimelineLine({
        ...stamp,
        type: "GroupCoordinatorUnloaded",
        broker: 1,
        group: "g",
        reason: "crashed",
        generation: 4,
        members: ["a", "b"],
      }),
    ).toBe("b1 stops coordinating group g (crashed): generation 4 and its 2 member(s) are gone")
  })
})

describe("KafkaHistory", () => {
  it("rebuilds elections, truncations and committed offsets from the trace alone", () => {
    const sim = new Simulation({ seed: 1, trace: { hash: false } })
    const cluster = new KafkaScenario(sim, {
      broker: {
        replicaLagTimeMaxMs: 400,
        replicaFetchWaitMaxMs: 100,
        replicaFetchTimeoutMs: 300,
        brokerHeartbeatIntervalMs: 100,
        brokerSessionTimeoutMs: 600,
      },
      plan: { faults: [{ kind: "crash", node: "b1", at: 100, restartAt: 1000 }] },
      workload: { messages: 200, ratePerSecond: 1000, settleMs: 3000 },
    })
    cluster.run()

    const history = cluster.history
    expect(history.elections[0]).toMatchObject({ t: 0, partition: 0, leader: 1, previousLeader: -1 })
    expect(history.elections.slice(1).map((e) => e.leader)).toEqual([2])
    expect(history.handovers()).toBe(1)
    expect(history.wasVisible(0, 0, 0)).toBe(true)
    expect(history.wasVisible(0, 0, 10_000)).toBe(false)
  })

  it("refuses a disabled trace, which it could not read", () => {
    expect(() => new KafkaScenario(new Simulation({ seed: 1, trace: { enabled: false } }))).toThrow(
      /history is read from the trace/,
    )
  })
})
