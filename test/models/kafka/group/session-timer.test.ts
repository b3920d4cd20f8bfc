/**
 * The member's side of a session (docs/kafka-consumer-groups.md, "Coordinator"): c1 of two
 * consumers on t0:2 is cut off from every node for 50 s (20 s to 70 s; session.timeout.ms 45 s,
 * heartbeat.interval.ms 3 s). As Kafka's heartbeat thread does, c1 marks its coordinator unknown —
 * when a heartbeat request times out (request.timeout.ms 30 s), or, with a request timeout longer
 * than the session, when its session timer runs out — and keeps believing it owns t0p1. The
 * coordinator evicts it 45 s after the last heartbeat it received and gives t0p1 to c0; c1
 * processes nothing more meanwhile (it cannot fetch either), learns it was evicted from its first
 * heartbeat after the heal (UNKNOWN_MEMBER_ID), loses t0p1 at its next poll and rejoins.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../../src/kernel/index.ts"
import { ConsumerGroupScenario, type GroupEvent } from "../../../../src/models/kafka/group/index.ts"

function isolateC1(requestTimeoutMs?: number) {
  const sim = new Simulation({ seed: 1 })
  const scenario = new ConsumerGroupScenario(sim, {
    topics: { t0: 2 },
    consumers: 2,
    joins: [],
    leaves: [],
    crashes: [],
    pauses: [],
    ratePerSecond: 20,
    durationMs: 100_000,
    plan: { faults: [{ kind: "partition", groups: [["c1"]], at: 20_000, healAt: 70_000 }] },
    ...(requestTimeoutMs === undefined ? {} : { consumer: { requestTimeoutMs } }),
  })
  const events: Traced<GroupEvent>[] = []
  sim.trace.listen((record) => {
    if (record.type === "CoordinatorMarkedUnknown") events.push(record as Traced<GroupEvent>)
  })
  const result = scenario.run()
  const all = [...result.events, ...events].sort((a, b) => a.t - b.t || a.seq - b.seq)
  const c1 = (e: Traced<GroupEvent>) =>
    ("consumer" in e && e.consumer === "c1") ||
    ("member" in e && typeof e.member === "string" && e.member.startsWith("c1"))
  const story = all
    .filter((e) => e.t >= 20_000 && c1(e) && e.type !== "ProcessingStarted" && e.type !== "ProcessingFinished")
    .map((e) => `${e.t.toFixed(1)} ${e.type}${"reason" in e ? ` ${e.reason}` : ""}`)
  const processed = all.filter((e) => e.type === "ProcessingStarted" && e.consumer === "c1" && e.t >= 20_000)
  return { result, story, processed }
}

describe("the member's session timer: c1 cut off from everything for 50 s", () => {
  it("request.timeout.ms 30 s: c1 marks the coordinator unknown at 51 s, is evicted at 63 s, loses t0p1 at 80.9 s and rejoins", () => {
    const { result, story, processed } = isolateC1()
    expect(story.slice(0, 6)).toEqual([
      "51006.9 CoordinatorMarkedUnknown request-timeout",
      "63008.0 MemberRemoved session-timeout",
      "63008.0 RebalanceStarted session-timeout",
      "72006.9 CoordinatorMarkedUnknown request-timeout",
      "80920.2 PartitionsLost",
      "80926.6 MemberJoined",
    ])
    // Nothing processed between the cut and the rejoin; afterwards c1 resumes t0p1 where c0 committed it.
    expect(processed[0]!.t).toBeGreaterThan(80_931.6)
    expect(result.checks.map((c) => [c.name, c.held])).toEqual([
      ["one-owner-per-partition", true],
      ["no-concurrent-processing", true],
    ])
  })

  it("request.timeout.ms 60 s: the session timer fires first, 45 s after the last heartbeat answered", () => {
    const { story, processed } = isolateC1(60_000)
    // The last heartbeat answered reached c1 at 18009.0 (the coordinator received it at 18008.0).
    expect(story.slice(0, 5)).toEqual([
      "63008.0 MemberRemoved session-timeout",
      "63008.0 RebalanceStarted session-timeout",
      "63009.0 CoordinatorMarkedUnknown session-timeout",
      "80420.2 PartitionsLost",
      "80424.1 MemberJoined",
    ])
    expect(processed[0]!.t).toBeGreaterThan(80_429.1)
  })
})
