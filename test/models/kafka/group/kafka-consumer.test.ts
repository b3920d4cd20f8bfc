/**
 * The consumer and its membership client against a one-broker stand-in (fake-cluster.ts) that
 * wraps the real GroupCoordinator: joining, the leader's assignment, consuming everything,
 * commits, eager and cooperative rebalances, a crash, a pause past the session timeout.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../../src/kernel/index.ts"
import {
  checkNoConcurrentProcessing,
  checkOneOwnerPerPartition,
  formatPartition,
  type GroupEvent,
  KafkaConsumer,
  type KafkaConsumerOptions,
} from "../../../../src/models/kafka/group/index.ts"
import { KafkaMqConsumer, type MqConsumer, type MqReceived } from "../../../../src/models/kafka/index.ts"
import { FakeCluster } from "./fake-cluster.ts"

const TOPICS = { t0: 6 }

function setup(names: readonly string[], options: Partial<KafkaConsumerOptions> = {}, topics = TOPICS) {
  const sim = new Simulation({ seed: 3, trace: { keep: Infinity } })
  const cluster = new FakeCluster(sim, topics)
  const consumers = names.map((name) => {
    const node = cluster.network.addNode(name)
    const consumer = new KafkaConsumer({
      node,
      network: cluster.network,
      brokers: ["b1"],
      groupId: "g",
      partitionsPerTopic: topics,
      autoOffsetReset: "earliest",
      processingMs: 1,
      sessionTimeoutMs: 10_000,
      ...options,
    })
    consumer.subscribe(Object.keys(topics))
    return consumer
  })
  const events = () => sim.trace.records() as unknown as readonly Traced<GroupEvent>[]
  const owned = (c: KafkaConsumer) => c.assignment.map(formatPartition)
  return { sim, cluster, consumers, events, owned }
}

function processedIds(consumers: readonly KafkaConsumer[]): number[] {
  return [...new Set(consumers.flatMap((c) => c.processed.map((r) => r.id)))].sort((a, b) => a - b)
}

describe("KafkaConsumer", () => {
  it("three consumers share six partitions with range and process every record once", () => {
    const { sim, cluster, consumers, events, owned } = setup(["c0", "c1", "c2"])
    for (const c of consumers) c.start()
    sim.spawn(cluster.produce(600, 10))
    sim.run({ until: 20_000 })
    expect(consumers.map(owned)).toEqual([
      ["t0p0", "t0p1"],
      ["t0p2", "t0p3"],
      ["t0p4", "t0p5"],
    ])
    expect(processedIds(consumers)).toEqual(Array.from({ length: 600 }, (_, i) => i))
    expect(consumers.reduce((n, c) => n + c.processed.length, 0)).toBe(600)
    const coordinator = cluster.coordinator("g")
    expect(coordinator.generation).toBe(1)
    // Auto-commit every 5 s: by 20 s everything produced by 15 s is committed.
    for (let p = 0; p < 6; p++) expect(coordinator.committedOffset({ topic: "t0", partition: p })).toBe(100)
    expect(checkOneOwnerPerPartition(events(), "g").held).toBe(true)
    expect(checkNoConcurrentProcessing(events(), "g").held).toBe(true)
  })

  it("a member joining later triggers an eager rebalance: revoke all, then the new split", () => {
    const { sim, cluster, consumers, events, owned } = setup(["c0", "c1", "c2"])
    consumers[0]!.start()
    consumers[1]!.start()
    sim.timeout(8000).onProcessed(() => consumers[2]!.start())
    sim.spawn(cluster.produce(1500, 10))
    sim.run({ until: 20_000 })
    expect(consumers.map(owned)).toEqual([
      ["t0p0", "t0p1"],
      ["t0p2", "t0p3"],
      ["t0p4", "t0p5"],
    ])
    const revoked = events().filter((e) => e.type === "PartitionsRevoked")
    // Each notices the rebalance at its next heartbeat, revokes all three, then rejoins.
    expect(revoked.map((e) => e.type === "PartitionsRevoked" && [e.consumer, e.partitions.length])).toEqual([
      ["c1", 3],
      ["c0", 3],
    ])
    expect(cluster.coordinator("g").generation).toBe(2)
    expect(checkOneOwnerPerPartition(events(), "g").held).toBe(true)
    expect(checkNoConcurrentProcessing(events(), "g").held).toBe(true)
    expect(processedIds(consumers).length).toBe(1500)
  })

  it("cooperative: a join moves partitions in two rebalances and nobody revokes what it keeps", () => {
    const { sim, cluster, consumers, events, owned } = setup(["c0", "c1", "c2"], {
      assignor: "cooperative-sticky",
      protocol: "cooperative",
    })
    consumers[0]!.start()
    consumers[1]!.start()
    sim.timeout(8000).onProcessed(() => consumers[2]!.start())
    sim.spawn(cluster.produce(1500, 10))
    sim.run({ until: 20_000 })
    expect(consumers.map((c) => owned(c).length)).toEqual([2, 2, 2])
    const revoked = events().flatMap((e) => (e.type === "PartitionsRevoked" ? [[e.consumer, e.partitions.length]] : []))
    expect(revoked).toEqual([
      ["c0", 1],
      ["c1", 1],
    ])
    expect(cluster.coordinator("g").generation).toBe(3)
    expect(checkOneOwnerPerPartition(events(), "g").held).toBe(true)
    expect(processedIds(consumers).length).toBe(1500)
  })

  it("a crashed member's partitions move after the session timeout", () => {
    const { sim, cluster, consumers, events, owned } = setup(["c0", "c1", "c2"])
    for (const c of consumers) c.start()
    sim.timeout(6000).onProcessed(() => cluster.network.node("c1").crash())
    sim.spawn(cluster.produce(2000, 10))
    sim.run({ until: 30_000 })
    expect(owned(consumers[0]!)).toEqual(["t0p0", "t0p1", "t0p2"])
    expect(owned(consumers[2]!)).toEqual(["t0p3", "t0p4", "t0p5"])
    const removed = events().find((e) => e.type === "MemberRemoved")
    expect(removed?.type === "MemberRemoved" && [removed.reason, removed.t]).toEqual([
      "session-timeout",
      expect.any(Number),
    ])
    // Last heard at its last heartbeat or commit before 6 s, removed 10 s later.
    expect(removed!.t).toBeGreaterThan(13_000)
    expect(removed!.t).toBeLessThanOrEqual(16_100)
    expect(checkOneOwnerPerPartition(events(), "g").held).toBe(true)
    expect(checkNoConcurrentProcessing(events(), "g").held).toBe(true)
    // At-least-once: nothing is missing, what c1 processed after its last commit comes twice.
    expect(processedIds(consumers).length).toBe(2000)
  })

  it("a member paused past the session timeout wakes up processing: concurrent processing, its commit refused", () => {
    const { sim, cluster, consumers, events } = setup(["c0", "c1"], { processingMs: 5, commit: "sync" })
    for (const c of consumers) c.start()
    sim.timeout(7000).onProcessed(() => cluster.network.node("c1").pause(15_000))
    sim.spawn(cluster.produce(3000, 5))
    sim.run({ until: 30_000 })
    expect(checkOneOwnerPerPartition(events(), "g").held).toBe(true)
    expect(checkNoConcurrentProcessing(events(), "g").held).toBe(false)
    const rejected = events().filter((e) => e.type === "OffsetCommitRejected")
    expect(rejected.length).toBeGreaterThan(0)
    expect(events().some((e) => e.type === "PartitionsLost" && e.consumer === "c1")).toBe(true)
  })

  it("stop() commits, sends LeaveGroup, and the others take over at once", () => {
    const { sim, cluster, consumers, events, owned } = setup(["c0", "c1"])
    for (const c of consumers) c.start()
    sim.timeout(6000).onProcessed(() => consumers[1]!.stop())
    sim.spawn(cluster.produce(1000, 10))
    sim.run({ until: 15_000 })
    expect(consumers[1]!.isRunning).toBe(false)
    expect(owned(consumers[0]!)).toEqual(["t0p0", "t0p1", "t0p2", "t0p3", "t0p4", "t0p5"])
    const removed = events().find((e) => e.type === "MemberRemoved")
    expect(removed?.type === "MemberRemoved" && removed.reason).toBe("left")
    // It finishes the poll under way (fetch wait 500 ms, 1 ms per record), then leaves.
    expect(removed!.t).toBeLessThan(7000)
    expect(processedIds(consumers).length).toBe(1000)
    expect(consumers.reduce((n, c) => n + c.processed.length, 0)).toBe(1000)
  })
})

describe("KafkaConsumer: positions, poll timeout, worker pool, the MQ interface", () => {
  it("auto.offset.reset latest skips what was there before; earliest reads it; none fails the poll", () => {
    const read = (reset: "earliest" | "latest" | "none") => {
      const { sim, cluster, consumers } = setup(["c0"], { autoOffsetReset: reset }, { t0: 1 })
      for (let i = 0; i < 10; i++) cluster.append({ topic: "t0", partition: 0 })
      consumers[0]!.start()
      sim.timeout(8000).onProcessed(() => cluster.append({ topic: "t0", partition: 0 }))
      sim.run({ until: 10_000 })
      return { offsets: consumers[0]!.processed.map((r) => r.offset), failure: consumers[0]!.failure }
    }
    expect(read("earliest").offsets).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(read("latest").offsets).toEqual([10])
    expect(read("none")).toEqual({ offsets: [], failure: "no committed offset for t0-0 and auto.offset.reset is none" })
  })

  it("a poll loop slower than max.poll.interval.ms leaves the group, then loses its partitions and rejoins", () => {
    const { sim, cluster, consumers, events } = setup(["c0"], {
      processingMs: 30,
      maxPollRecords: 50,
      maxPollIntervalMs: 1000,
      commit: "none",
    })
    consumers[0]!.start()
    sim.spawn(cluster.produce(600, 1))
    sim.run({ until: 10_000 })
    const types = events()
      .filter((e) => ["MemberRemoved", "PartitionsLost"].includes(e.type))
      .map((e) => (e.type === "MemberRemoved" ? `${e.type}:${e.reason}` : e.type))
    expect(types.slice(0, 2)).toEqual(["MemberRemoved:left", "PartitionsLost"])
  })

  it("a pool of 4 workers processes every record and commits the lowest unfinished offset (contiguous)", () => {
    const { sim, cluster, consumers } = setup(["c0"], { workers: 4, processingMs: 4, commit: "sync" }, { t0: 2 })
    consumers[0]!.start()
    sim.spawn(cluster.produce(400, 5))
    sim.run({ until: 10_000 })
    expect(processedIds(consumers)).toEqual(Array.from({ length: 400 }, (_, i) => i))
    expect(cluster.coordinator("g").committedOffset({ topic: "t0", partition: 0 })).toBe(200)
    expect(cluster.coordinator("g").committedOffset({ topic: "t0", partition: 1 })).toBe(200)
  })

  it("seek moves the position: the next poll reads from there", () => {
    const { sim, cluster, consumers } = setup(["c0"], { commit: "none" }, { t0: 1 })
    for (let i = 0; i < 20; i++) cluster.append({ topic: "t0", partition: 0 })
    const consumer = consumers[0]!
    const offsets: number[][] = []
    sim.spawn(
      (function* () {
        while (consumer.assignment.length === 0 || consumer.position({ topic: "t0", partition: 0 }) === undefined)
          offsets.push((yield* consumer.poll(5)).map((r) => r.offset))
        consumer.seek({ topic: "t0", partition: 0 }, 15)
        offsets.push((yield* consumer.poll(5)).map((r) => r.offset))
      })(),
    )
    sim.run({ until: 10_000 })
    expect(offsets[offsets.length - 1]).toEqual([15, 16, 17, 18, 19])
  })

  it("KafkaMqConsumer: subscribe, poll and commit through the MQ interface", () => {
    const { sim, cluster, consumers } = setup(["c0"], { commit: "none" }, { t0: 2 })
    for (let i = 0; i < 6; i++) cluster.append({ topic: "t0", partition: i % 2 })
    const mq: MqConsumer = new KafkaMqConsumer(consumers[0]!)
    const received: MqReceived[] = []
    let committed = false
    sim.spawn(
      (function* () {
        mq.subscribe(["t0"])
        while (received.length < 6) received.push(...(yield* mq.poll(10)))
        committed = yield* mq.commit()
      })(),
    )
    sim.run({ until: 10_000 })
    expect(received.map((m) => `${m.topic}p${m.partition}@${m.offset}=${m.value}`)).toEqual([
      "t0p0@0=0",
      "t0p0@1=2",
      "t0p0@2=4",
      "t0p1@0=1",
      "t0p1@1=3",
      "t0p1@2=5",
    ])
    expect(committed).toBe(true)
    expect(cluster.coordinator("g").committedOffset({ topic: "t0", partition: 1 })).toBe(3)
  })
})

describe("KafkaConsumer: batches", () => {
  it("gathers up to batch-size records, pays one per-batch cost and commits once per batch", () => {
    const { sim, cluster, consumers, events } = setup(
      ["c0"],
      { batchSize: 100, batchTimeoutMs: 1000, batchCostMs: 20, processingMs: 1, commit: "sync" },
      { t0: 1 },
    )
    for (let i = 0; i < 300; i++) cluster.append({ topic: "t0", partition: 0 })
    consumers[0]!.start()
    sim.run({ until: 8000 })
    const commits = events().flatMap((e) => (e.type === "OffsetsCommitted" ? [e.offsets["t0-0"]] : []))
    expect(commits).toEqual([100, 200, 300])
    const started = events().filter((e) => e.type === "ProcessingStarted")
    const finished = events().filter((e) => e.type === "ProcessingFinished")
    expect(started.map((e) => e.type === "ProcessingStarted" && [e.fromOffset, e.toOffset])).toEqual([
      [0, 99],
      [100, 199],
      [200, 299],
    ])
    // One batch: 20 ms for the batch plus 1 ms per record.
    expect(finished[0]!.t - started[0]!.t).toBeCloseTo(120, 6)
  })
})
