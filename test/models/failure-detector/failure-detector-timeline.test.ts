import { describe, expect, it } from "vitest"
import { Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  FailureDetectorScenario,
  failureDetectorTimeline,
  isFailureDetectorRecord,
  isTimelineRecord,
  suspicionVerdicts,
} from "../../../src/models/failure-detector/index.ts"
import type { FaultPlan } from "../../../src/net/index.ts"

const OPTIONS = { heartbeatMs: 100, timeoutMs: 300, latencyMs: 0, durationMs: 3000 }

/** The timeline of a run with `plan`, as `t text` lines, and how many records it accepted. */
function timeline(plan: FaultPlan, max = 100): { lines: string[]; total: number } {
  const sim = new Simulation({ seed: 1 })
  const sample = new TraceSample(sim.trace, isTimelineRecord, max)
  const result = new FailureDetectorScenario(sim, { ...OPTIONS, plan }).run()
  const context = { timeoutMs: OPTIONS.timeoutMs, verdictOf: suspicionVerdicts(result.suspicions) }
  return {
    lines: sample.records.map((record) => `${record.t} ${failureDetectorTimeline(record, context)}`),
    total: sample.total,
  }
}

describe("failureDetectorTimeline", () => {
  it("tells faults in the network's words and suspicions with the observer's verdict", () => {
    const { lines } = timeline({
      faults: [
        { kind: "pause", node: "n1", at: 450, durationMs: 500 },
        { kind: "crash", node: "n3", at: 1550 },
      ],
    })

    expect(lines).toEqual([
      "450 n1 PAUSED until t=950ms (a GC or VM stall: it does not know)",
      "700 monitor SUSPECTS n1 after 300ms of silence — FALSE: it is alive (paused)",
      "950 n1 resumed, carrying on as if nothing happened",
      "950 monitor hears n1 again after 550ms of silence: no longer suspected",
      "1550 n3 CRASHED",
      "1800 monitor SUSPECTS n3 after 300ms of silence — correct: it is down",
    ])
  })

  it("says when a silence ends without a suspicion, naming the timeout", () => {
    const { lines } = timeline({ faults: [{ kind: "pause", node: "n2", at: 1000, durationMs: 150 }] })

    expect(lines).toEqual([
      "1000 n2 PAUSED until t=1150ms (a GC or VM stall: it does not know)",
      "1150 n2 resumed, carrying on as if nothing happened",
      "1150 monitor hears n2 again after 250ms of silence (timeout 300ms)",
    ])
  })

  it("keeps the first N shown records and counts them all, leaving messages out", () => {
    const plan: FaultPlan = {
      faults: [1, 2, 3, 4, 5].map((i) => ({ kind: "pause" as const, node: "n1", at: i * 200, durationMs: 50 })),
    }

    const { lines, total } = timeline(plan, 3)

    expect(lines).toHaveLength(3)
    expect(total).toBe(10)
    expect(lines.every((line) => !line.includes("undefined"))).toBe(true)
  })

  it("shows no line for heartbeat messages, and says nothing about a verdict it was not given", () => {
    const sim = new Simulation({ seed: 1 })
    const all = new TraceSample(sim.trace, isFailureDetectorRecord, Infinity)
    new FailureDetectorScenario(sim, { ...OPTIONS, plan: { faults: [{ kind: "crash", node: "n3", at: 100 }] } }).run()
    const records = all.records

    const messages = records.filter((record) => record.type === "MessageSent" || record.type === "MessageDelivered")
    const suspected = records.filter((record) => record.type === "NodeSuspected")

    expect(messages.length).toBeGreaterThan(50)
    expect(
      messages
        .map((record) => failureDetectorTimeline(record, { timeoutMs: 300 }))
        .filter((line) => line !== undefined),
    ).toEqual([])
    expect(suspected.map((record) => failureDetectorTimeline(record, { timeoutMs: 300 }))).toEqual([
      "monitor SUSPECTS n3 after 300ms of silence",
    ])
  })
})
