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
