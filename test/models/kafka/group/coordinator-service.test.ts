import { describe, expect, it } from "vitest"
import type { ProcessGenerator } from "../../../../src/kernel/index.ts"
import { Simulation } from "../../../../src/kernel/index.ts"
import {
  type ErrorReply,
  type FindCoordinatorReply,
  type GroupRequest,
  type JoinGroupReply,
  kafkaAbs,
  type OffsetFetchReply,
  offsetsLeaderFor,
  offsetsPartitionFor,
  type SyncGroupReply,
} from "../../../../src/models/kafka/group/index.ts"
import { KafkaScenario } from "../../../../src/models/kafka/index.ts"
import type { FaultPlan } from "../../../../src/net/index.ts"

const FAST = {
  replicaLagTimeMaxMs: 400,
  replicaFetchWaitMaxMs: 100,
  replicaFetchTimeoutMs: 300,
  brokerHeartbeatIntervalMs: 100,
  brokerSessionTimeoutMs: 600,
}

/** Java's String.hashCode written out: s[0]*31^(n-1) + ... + s[n-1], wrapped to a signed 32-bit int. */
function javaHashCode(text: string): number {
  let hash = 0n
  for (const unit of text.split("").map((c) => c.charCodeAt(0))) hash = (hash * 31n + BigInt(unit)) % 2n ** 32n
  return Number(hash >= 2n ** 31n ? hash - 2n ** 32n : hash)
}

/** Kafka's partitionFor: Utils.abs(hashCode) % 50, with abs(Integer.MIN_VALUE) = 0. */
function expectedPartition(groupId: string): number {
  const hash = javaHashCode(groupId)
  return (hash === -(2 ** 31) ? 0 : Math.abs(hash)) % 50
}

function cluster(plan?: FaultPlan): { sim: Simulation; scenario: KafkaScenario } {
  const sim = new Simulation({ seed: 1, trace: { hash: false, keep: Infinity } })
  const scenario = new KafkaScenario(sim, { broker: FAST, ...(plan === undefined ? {} : { plan }) })
  scenario.network.addNode("client")
  return { sim, scenario }
}

/** Runs `script` on the client node; it calls brokers with `ask`. */
function client(
  scenario: KafkaScenario,
  script: (ask: <R>(to: string, request: GroupRequest) => ProcessGenerator<R | null>) => ProcessGenerator<void>,
): void {
  const ask = function* <R>(to: string, request: GroupRequest): ProcessGenerator<R | null> {
    const outcome = yield* scenario.groupRpc.call<R>("client", to, request, { timeoutMs: 10_000 })
    return outcome.ok ? outcome.response : null
  }
  scenario.network.node("client").spawn(script(ask))
}

const SUBSCRIPTION = { topics: ["t0"], ownedPartitions: [], generation: -1 }
const JOIN = {
  clientId: "c0",
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  protocols: [{ name: "range", subscription: SUBSCRIPTION }],
}

describe("coordinator placement", () => {
  it("hashes group ids as Kafka's partitionFor does, computed here from Java's String.hashCode formula", () => {
    const groups = ["g", "group-a", "payments", "consumer-group-1", "read-history", "polygenelubricants"]
    expect(javaHashCode("polygenelubricants")).toBe(-(2 ** 31))
    expect(kafkaAbs(-(2 ** 31))).toBe(0)
    expect(groups.map((g) => offsetsPartitionFor(g))).toEqual(groups.map(expectedPartition))
    // Fixed values (hash codes 103, 293427347, 1382682413, 147483020, 532294493, MIN_VALUE), so a change in either formula shows.
    expect(groups.map(expectedPartition)).toEqual([3, 47, 13, 20, 43, 0])
  })

  it("places offsets partition p on broker (p mod N) + 1, else the next live broker", () => {
    expect(offsetsLeaderFor(3, [1, 2, 3], [1, 2, 3])).toBe(1)
    expect(offsetsLeaderFor(4, [1, 2, 3], [1, 2, 3])).toBe(2)
    expect(offsetsLeaderFor(4, [1, 2, 3], [1, 3])).toBe(3)
    expect(offsetsLeaderFor(5, [1, 2, 3], [1, 2])).toBe(1)
    expect(offsetsLeaderFor(5, [1, 2, 3], [])).toBe(-1)
  })

  it("answers FindCoordinator from any broker with the group's coordinator, and NOT_COORDINATOR elsewhere", () => {
    const { sim, scenario } = cluster()
    const groups = ["g", "group-a", "payments", "consumer-group-1", "read-history", "polygenelubricants"]
    const found: (string | null)[] = []
    const heartbeats: string[] = []
    client(scenario, function* (ask) {
      for (const [i, groupId] of groups.entries()) {
        const reply = yield* ask<FindCoordinatorReply>(`b${(i % 3) + 1}`, { type: "find-coordinator", groupId })
        found.push(reply!.node)
      }
      // "g" is coordinated by b1 (partition 3): b2 and b3 turn its requests away.
      for (const to of ["b2", "b3"]) {
        const reply = yield* ask<ErrorReply>(to, { type: "heartbeat", groupId: "g", memberId: "m", generation: 1 })
        heartbeats.push(reply!.error)
      }
      const reply = yield* ask<ErrorReply>("b1", { type: "heartbeat", groupId: "g", memberId: "m", generation: 1 })
      heartbeats.push(reply!.error)
    })
    sim.run({ until: 1000 })
    expect(found).toEqual(groups.map((g) => `b${(expectedPartition(g) % 3) + 1}`))
    expect(found).toEqual(["b1", "b3", "b2", "b3", "b2", "b1"])
    expect(heartbeats).toEqual(["NOT_COORDINATOR", "NOT_COORDINATOR", "UNKNOWN_MEMBER_ID"])
  })
})

describe("coordinator service", () => {
  /** Joins group "g" on b1 as one member, syncs, commits t0-0 → 7; records what happened in `log`. */
  function* joinAndCommit(
    ask: <R>(to: string, request: GroupRequest) => ProcessGenerator<R | null>,
    log: { memberId?: string; joinedAtMs?: number; assignment?: unknown; commit?: string },
    sim: Simulation,
  ): ProcessGenerator<void> {
    const first = yield* ask<JoinGroupReply>("b1", {
      type: "join-group",
      groupId: "g",
      request: { ...JOIN, memberId: "" },
    })
    const memberId = (first as { memberId: string }).memberId
    log.memberId = memberId
    const joined = (yield* ask<JoinGroupReply>("b1", {
      type: "join-group",
      groupId: "g",
      request: { ...JOIN, memberId },
    })) as { error: string; generation: number }
    log.joinedAtMs = sim.now
    const tp = { topic: "t0", partition: 0 }
    const synced = (yield* ask<SyncGroupReply>("b1", {
      type: "sync-group",
      groupId: "g",
      memberId,
      generation: joined.generation,
      assignment: new Map([[memberId, [tp]]]),
    })) as { assignment: unknown }
    log.assignment = synced.assignment
    const commit = yield* ask<ErrorReply>("b1", {
      type: "offset-commit",
      groupId: "g",
      memberId,
      generation: joined.generation,
      offsets: [{ tp, offset: 7 }],
    })
    log.commit = commit!.error
  }

  it("runs the group protocol over RPC: JoinGroup waits for the join phase, SyncGroup for the leader", () => {
    const { sim, scenario } = cluster()
    const log: { memberId?: string; joinedAtMs?: number; assignment?: unknown; commit?: string } = {}
    client(scenario, (ask) => joinAndCommit(ask, log, sim))
    sim.run({ until: 10_000 })
    expect(log.memberId).toMatch(/^c0-[0-9a-f]{8}-/)
    // The first join of an empty group waits group.initial.rebalance.delay.ms (3000) on the coordinator.
    expect(log.joinedAtMs).toBeGreaterThan(3000)
    expect(log.joinedAtMs).toBeLessThan(3010)
    expect(log.assignment).toEqual([{ topic: "t0", partition: 0 }])
    expect(log.commit).toBe("NONE")
    expect(scenario.offsetStore.committed("g")).toEqual(new Map([["t0-0", 7]]))
  })

  it("keeps committed offsets across a coordinator crash; the new coordinator has no members", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "b1", at: 5000, restart: false }] }
    const { sim, scenario } = cluster(plan)
    const log: { memberId?: string; joinedAtMs?: number; assignment?: unknown; commit?: string } = {}
    const after: unknown[] = []
    client(scenario, function* (ask) {
      yield* joinAndCommit(ask, log, sim)
      yield* sim.sleep(6000 - sim.now)
      const found = yield* ask<FindCoordinatorReply>("b3", { type: "find-coordinator", groupId: "g" })
      after.push(found)
      const fetched = yield* ask<OffsetFetchReply>(found!.node!, {
        type: "offset-fetch",
        groupId: "g",
        partitions: [
          { topic: "t0", partition: 0 },
          { topic: "t0", partition: 1 },
        ],
      })
      after.push(fetched)
      const beat = yield* ask<ErrorReply>(found!.node!, {
        type: "heartbeat",
        groupId: "g",
        memberId: log.memberId!,
        generation: 1,
      })
      after.push(beat)
      const wrong = yield* ask<ErrorReply>("b3", {
        type: "heartbeat",
        groupId: "g",
        memberId: log.memberId!,
        generation: 1,
      })
      after.push(wrong)
    })
    sim.run({ until: 10_000 })
    expect(log.commit).toBe("NONE")
    expect(after).toEqual([
      { error: "NONE", node: "b2" },
      {
        error: "NONE",
        offsets: [
          { tp: { topic: "t0", partition: 0 }, offset: 7 },
          { tp: { topic: "t0", partition: 1 }, offset: -1 },
        ],
      },
      { error: "UNKNOWN_MEMBER_ID" },
      { error: "NOT_COORDINATOR" },
    ])
    const records = sim.trace.records()
    const unloaded = records.filter((r) => r.type === "GroupCoordinatorUnloaded")
    expect(unloaded).toMatchObject([
      { t: 5000, broker: 1, group: "g", reason: "crashed", generation: 1, members: [log.memberId] },
    ])
    expect(records.filter((r) => r.type === "MemberRemoved")).toMatchObject([
      { t: 5000, member: log.memberId, reason: "coordinator-unloaded" },
    ])
    const loaded = records.filter((r) => r.type === "GroupCoordinatorLoaded")
    expect(loaded).toMatchObject([
      { broker: 1, group: "g", offsetsPartition: 3, offsets: {} },
      { broker: 2, group: "g", offsetsPartition: 3, offsets: { "t0-0": 7 } },
    ])
    // b2 took over after the controller fenced b1 (600 ms of silence) and told b2 at its next heartbeat.
    expect(loaded[1]!.t).toBeGreaterThan(5600)
  })

  it("stops answering when its broker is down: a JoinGroup waiting on a crashed coordinator times out", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "b1", at: 1000, restart: false }] }
    const { sim, scenario } = cluster(plan)
    const outcomes: unknown[] = []
    client(scenario, function* () {
      const first = yield* scenario.groupRpc.call<JoinGroupReply>(
        "client",
        "b1",
        { type: "join-group", groupId: "g", request: { ...JOIN, memberId: "" } },
        { timeoutMs: 500 },
      )
      const memberId = first.ok ? (first.response as { memberId: string }).memberId : ""
      const second = yield* scenario.groupRpc.call<JoinGroupReply>(
        "client",
        "b1",
        { type: "join-group", groupId: "g", request: { ...JOIN, memberId } },
        { timeoutMs: 5000 },
      )
      outcomes.push(first.ok, second.ok, sim.now)
    })
    sim.run({ until: 10_000 })
    expect(outcomes[0]).toBe(true)
    expect(outcomes[1]).toBe(false)
  })

  it("fences a coordinator cut off from the controller once the new one takes the offsets partition over", () => {
    // b1 keeps running but its heartbeats stop reaching the controller: it is fenced, and never hears so.
    const plan: FaultPlan = {
      faults: [{ kind: "link", from: "b1", to: "controller", at: 4000, until: 20_000, dropProbability: 1 }],
    }
    const { sim, scenario } = cluster(plan)
    const log: { memberId?: string; joinedAtMs?: number; assignment?: unknown; commit?: string } = {}
    const replies: unknown[] = []
    client(scenario, function* (ask) {
      yield* joinAndCommit(ask, log, sim)
      yield* sim.sleep(6000 - sim.now)
      const beat = { type: "heartbeat" as const, groupId: "g", memberId: log.memberId!, generation: 1 }
      replies.push(yield* ask<ErrorReply>("b1", beat))
      replies.push(yield* ask<FindCoordinatorReply>("b3", { type: "find-coordinator", groupId: "g" }))
      const partitions = [{ topic: "t0", partition: 0 }]
      replies.push(yield* ask<OffsetFetchReply>("b2", { type: "offset-fetch", groupId: "g", partitions }))
      replies.push(yield* ask<ErrorReply>("b1", beat))
    })
    sim.run({ until: 8000 })
    expect(log.commit).toBe("NONE")
    expect(replies).toEqual([
      // b1 still believes it coordinates (its view is stale) and still holds the partition: the member is fine.
      { error: "NONE" },
      { error: "NONE", node: "b2" },
      { error: "NONE", offsets: [{ tp: { topic: "t0", partition: 0 }, offset: 7 }] },
      // b2 took partition 3 over with a newer view: b1's claim is gone, it unloads the group.
      { error: "NOT_COORDINATOR" },
    ])
    const unloaded = sim.trace.records().filter((r) => r.type === "GroupCoordinatorUnloaded")
    expect(unloaded).toMatchObject([{ broker: 1, reason: "moved", generation: 1, members: [log.memberId] }])
  })

  it("hands a group back when its first coordinator returns: the interim one unloads it (moved)", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "b1", at: 5000, restartAt: 7000 }] }
    const { sim, scenario } = cluster(plan)
    const log: { memberId?: string; joinedAtMs?: number; assignment?: unknown; commit?: string } = {}
    const found: (string | null)[] = []
    client(scenario, function* (ask) {
      yield* joinAndCommit(ask, log, sim)
      for (const at of [6000, 9000]) {
        yield* sim.sleep(at - sim.now)
        const reply = yield* ask<FindCoordinatorReply>("b3", { type: "find-coordinator", groupId: "g" })
        found.push(reply!.node)
        yield* ask<OffsetFetchReply>(reply!.node!, { type: "offset-fetch", groupId: "g", partitions: [] })
      }
    })
    sim.run({ until: 10_000 })
    expect(found).toEqual(["b2", "b1"])
    const unloaded = sim.trace.records().filter((r) => r.type === "GroupCoordinatorUnloaded")
    expect(unloaded).toMatchObject([
      { broker: 1, reason: "crashed" },
      { broker: 2, reason: "moved", generation: 0, members: [] },
    ])
    const loaded = sim.trace.records().filter((r) => r.type === "GroupCoordinatorLoaded")
    expect(loaded.map((r) => [r.broker, r.offsets])).toEqual([
      [1, {}],
      [2, { "t0-0": 7 }],
      [1, { "t0-0": 7 }],
    ])
  })
})
