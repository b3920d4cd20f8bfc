/**
 * The classic group coordinator on simulated time: the first join phase and its initial delay,
 * generations and the leader's assignment, session timeouts, leaving, stale commits, static
 * membership. Members here are scripted by the test (join, sync, heartbeat at chosen instants).
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../../src/kernel/index.ts"
import {
  assign,
  GroupCoordinator,
  type GroupError,
  type GroupEvent,
  type JoinGroupResult,
  type SyncGroupResult,
  type TopicPartition,
} from "../../../../src/models/kafka/group/index.ts"

const SESSION_MS = 10_000
const REBALANCE_MS = 30_000
const TOPICS = { t0: 6 }

interface Client {
  name: string
  memberId: string
  generation: number
  assignment: string[]
  joins: JoinGroupResult[]
  syncs: SyncGroupResult[]
  groupInstanceId?: string
}

function setup() {
  const sim = new Simulation({ seed: 7, trace: { keep: Infinity } })
  const coordinator = new GroupCoordinator(sim, { groupId: "g" })
  const at = (t: number, fn: () => void): void => void sim.timeout(t - sim.now).onProcessed(fn)
  const protocols = [{ name: "range", subscription: { topics: ["t0"] } }]
  /** Joins (handling MEMBER_ID_REQUIRED), then syncs; the leader assigns with range. */
  const join = (client: Client): void => {
    coordinator.joinGroup(
      {
        memberId: client.memberId,
        clientId: client.name,
        sessionTimeoutMs: SESSION_MS,
        rebalanceTimeoutMs: REBALANCE_MS,
        protocols,
        ...(client.groupInstanceId === undefined ? {} : { groupInstanceId: client.groupInstanceId }),
      },
      (result) => {
        client.joins.push(result)
        if (result.error === "MEMBER_ID_REQUIRED") {
          client.memberId = result.memberId
          return join(client)
        }
        if (result.error !== "NONE") return
        client.memberId = result.memberId
        client.generation = result.generation
        const assignment = result.leader === client.memberId ? assign("range", TOPICS, result.members) : undefined
        coordinator.syncGroup(
          {
            memberId: client.memberId,
            generation: client.generation,
            ...(assignment === undefined ? {} : { assignment }),
            ...(client.groupInstanceId === undefined ? {} : { groupInstanceId: client.groupInstanceId }),
          },
          (sync) => {
            client.syncs.push(sync)
            if (sync.error === "NONE")
              client.assignment = sync.assignment.map((tp: TopicPartition) => `${tp.topic}p${tp.partition}`)
          },
        )
      },
    )
  }
  const client = (name: string, groupInstanceId?: string): Client => ({
    name,
    memberId: "",
    generation: -1,
    assignment: [],
    joins: [],
    syncs: [],
    ...(groupInstanceId === undefined ? {} : { groupInstanceId }),
  })
  const heartbeat = (c: Client): GroupError =>
    coordinator.heartbeat({
      memberId: c.memberId,
      generation: c.generation,
      ...(c.groupInstanceId === undefined ? {} : { groupInstanceId: c.groupInstanceId }),
    })
  /** Heartbeats every 3 s from `from` until `until`; on REBALANCE_IN_PROGRESS it rejoins. */
  const beat = (c: Client, from: number, until: number): void => {
    for (let t = from; t < until; t += 3000) {
      at(t, () => {
        if (heartbeat(c) === "REBALANCE_IN_PROGRESS") join(c)
      })
    }
  }
  const events = (): Traced<GroupEvent>[] =>
    sim.trace.records().filter((r) => r.type !== "Timeout") as unknown as Traced<GroupEvent>[]
  return { sim, coordinator, at, join, client, heartbeat, beat, events }
}

describe("GroupCoordinator", () => {
  it("first join: waits group.initial.rebalance.delay.ms (3 s), then generation 1 with the first joiner as leader", () => {
    const { sim, coordinator, at, join, client } = setup()
    const [a, b, c] = [client("a"), client("b"), client("c")]
    at(0, () => join(a))
    at(1000, () => join(b))
    at(2500, () => join(c))
    sim.run({ until: 2999 })
    expect(coordinator.state).toBe("PreparingRebalance")
    expect(a.joins.map((r) => r.error)).toEqual(["MEMBER_ID_REQUIRED"])
    // b joined during the delay, so the delay restarts once: min(3000, 30000 - 3000) more.
    sim.run({ until: 5999 })
    expect(coordinator.state).toBe("PreparingRebalance")
    sim.run({ until: 6001 })
    expect(coordinator.state).toBe("Stable")
    expect(coordinator.generation).toBe(1)
    expect(coordinator.leader).toBe(a.memberId)
    expect([a, b, c].map((m) => m.assignment)).toEqual([
      ["t0p0", "t0p1"],
      ["t0p2", "t0p3"],
      ["t0p4", "t0p5"],
    ])
    expect(a.memberId).toMatch(/^a-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it("a member silent for session.timeout.ms is removed; the others learn it from their heartbeats and rejoin", () => {
    const { sim, coordinator, at, join, client, beat, events } = setup()
    const [a, b, c] = [client("a"), client("b"), client("c")]
    for (const m of [a, b, c]) at(0, () => join(m))
    beat(a, 7000, 60_000)
    beat(b, 7000, 60_000)
    beat(c, 7000, 14_000) // c's last heartbeat at t=13000; then silence
    sim.run({ until: 60_000 })
    const removed = events().filter((e) => e.type === "MemberRemoved")
    expect(removed.map((e) => [e.t, e.type === "MemberRemoved" ? e.reason : ""])).toEqual([[23_000, "session-timeout"]])
    expect(coordinator.generation).toBe(2)
    expect(coordinator.state).toBe("Stable")
    expect([a.assignment, b.assignment]).toEqual([
      ["t0p0", "t0p1", "t0p2"],
      ["t0p3", "t0p4", "t0p5"],
    ])
    // The rebalance finished when both survivors had rejoined, at their next heartbeat after t=23000.
    const generation2 = events().find((e) => e.type === "GenerationStarted" && e.generation === 2)!
    expect(generation2.t).toBe(25_000)
  })

  it("commits: the current generation is accepted, also while a rebalance is being prepared; a stale or evicted member is refused", () => {
    const { sim, coordinator, at, join, client, beat, events } = setup()
    const [a, b] = [client("a"), client("b")]
    for (const m of [a, b]) at(0, () => join(m)) // generation 1 at t=6000 (the initial delay, extended once)
    beat(a, 7000, 40_000)
    beat(b, 7000, 8000) // b's last heartbeat: t=7000
    const results: [number, string, string][] = []
    const commit = (m: Client, generation: number): void =>
      void results.push([
        sim.now,
        m.name,
        coordinator.commitOffsets({ memberId: m.memberId, generation }, new Map([["t0-0", sim.now]])),
      ])
    at(7500, () => commit(a, 1))
    const z = client("z")
    at(8000, () => join(z)) // a third member: PreparingRebalance, generation still 1
    beat(z, 20_000, 40_000)
    at(9500, () => commit(b, 1)) // b has not rejoined, but is still a member of generation 1 (and a commit counts as a heartbeat)
    at(20_000, () => commit(b, 1)) // b was evicted at t=19500 (session timeout from its commit): refused
    at(20_000, () => commit(a, 1)) // a is in generation 2 since t=19500: generation 1 is stale
    sim.run({ until: 40_000 })
    expect(results).toEqual([
      [7500, "a", "NONE"],
      [9500, "b", "NONE"],
      [20_000, "b", "UNKNOWN_MEMBER_ID"],
      [20_000, "a", "ILLEGAL_GENERATION"],
    ])
    expect(
      events()
        .filter((e) => e.type === "MemberRemoved")
        .map((e) => [e.t, e.type === "MemberRemoved" && e.reason]),
    ).toEqual([[19_500, "session-timeout"]])
    expect(coordinator.committedOffset({ topic: "t0", partition: 0 })).toBe(9500)
  })

  it("a static member back within the session timeout keeps its partitions, with no rebalance; its old id is fenced", () => {
    const { sim, coordinator, at, join, client, heartbeat, events } = setup()
    const a = client("a", "host-a")
    const b = client("b", "host-b")
    for (const m of [a, b]) at(0, () => join(m))
    sim.run({ until: 7000 })
    const before = { generation: coordinator.generation, assignment: [...a.assignment], memberId: a.memberId }
    const restarted = client("a", "host-a")
    at(10_000, () => join(restarted))
    sim.run({ until: 11_000 })
    expect(coordinator.generation).toBe(before.generation)
    expect(events().filter((e) => e.type === "RebalanceStarted")).toHaveLength(1)
    expect(restarted.memberId).not.toBe(before.memberId)
    expect(restarted.assignment).toEqual(before.assignment)
    const stale = { ...a, memberId: before.memberId }
    expect(heartbeat(stale)).toBe("FENCED_INSTANCE_ID")
    expect(heartbeat(restarted)).toBe("NONE")
  })

  it("the last member leaving empties the group and ends its generation", () => {
    const { sim, coordinator, at, join, client } = setup()
    const a = client("a")
    at(0, () => join(a))
    at(5000, () => void coordinator.leaveGroup({ memberId: a.memberId }))
    sim.run({ until: 6000 })
    expect([coordinator.state, coordinator.generation, coordinator.leader]).toEqual(["Empty", 2, null])
  })
})
