/**
 * Trace checkers on hand-written traces and on a trace recorded by the kernel.
 */
import { describe, expect, it } from "vitest"
import { describeRecord } from "../../src/check/core/index.ts"
import { checkEveryRecord, checkNoRecord, checkRespondedWithin } from "../../src/check/core/trace-checks.ts"
import { Simulation } from "../../src/kernel/simulation.ts"
import type { TraceRecord } from "../../src/kernel/trace.ts"

const trace: TraceRecord[] = [
  { t: 0, seq: 0, type: "NodeStarted", node: "a" },
  { t: 100, seq: 1, type: "NodeCrashed", node: "a" },
  { t: 250, seq: 2, type: "NodeSuspected", node: "a", by: "b" },
  { t: 400, seq: 3, type: "NodeCrashed", node: "c" },
  { t: 900, seq: 4, type: "NodeSuspected", node: "c", by: "b" },
  { t: 950, seq: 5, type: "NodeCrashed", node: "b" },
]

const detected = {
  trigger: "NodeCrashed",
  responds: (crash: TraceRecord, record: TraceRecord) => record.type === "NodeSuspected" && record.node === crash.node,
}

describe("describeRecord", () => {
  it("shows seq, time, type and the other fields as JSON", () => {
    expect(describeRecord(trace[2]!)).toBe('#2 t=250 NodeSuspected {"node":"a","by":"b"}')
    expect(describeRecord({ t: 1, seq: 9, type: "Ticked" })).toBe("#9 t=1 Ticked")
  })
})

describe("checkRespondedWithin", () => {
  it("holds when each crash is suspected within the bound, reporting the slowest and the undecided", () => {
    const result = checkRespondedWithin("crash-detected-within-timeout", trace, { ...detected, within: 500 })

    expect(result).toEqual({
      name: "crash-detected-within-timeout",
      held: true,
      detail: "2 of 2 answered within 500 (slowest 500); 1 undecided at the end (t=950)",
    })
  })

  it("names the first crash not suspected in time", () => {
    const result = checkRespondedWithin("crash-detected-within-timeout", trace, {
      ...detected,
      within: 300,
      endTime: 2000,
    })

    expect(result).toEqual({
      name: "crash-detected-within-timeout",
      held: false,
      detail: '#3 t=400 NodeCrashed {"node":"c"} got no response by t=700 (2 of 3 unanswered within 300)',
    })
  })
})

describe("checkEveryRecord", () => {
  it("names the first offending record and the reason", () => {
    const result = checkEveryRecord(
      "suspicions-by-b",
      trace,
      "NodeSuspected",
      (record) => record.t < 500 || `${record.t - 400}ms late`,
    )

    expect(result).toEqual({
      name: "suspicions-by-b",
      held: false,
      detail: '#4 t=900 NodeSuspected {"node":"c","by":"b"}: 500ms late (1 of 2 NodeSuspected records offend)',
    })
  })

  it("says how many records it looked at when it holds", () => {
    expect(
      checkEveryRecord("n", trace, ["NodeStarted", "NodeCrashed"], (record) => typeof record.node === "string").detail,
    ).toBe("all 4 NodeStarted/NodeCrashed records satisfy it")
  })
})

describe("checkNoRecord", () => {
  it("reads a kernel trace and names the first InvariantViolated record", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    sim.timeout(3).onProcessed(() => sim.trace.record("InvariantViolated", { name: "x" }))
    sim.run()

    expect(checkNoRecord("no-violation", sim.trace.records(), "InvariantViolated")).toEqual({
      name: "no-violation",
      held: false,
      detail: '#0 t=3 InvariantViolated {"name":"x"} (1 InvariantViolated records in all)',
    })
    expect(checkNoRecord("no-loss", trace, (record) => record.type === "WriteLost").detail).toBe(
      "no selected record in 6",
    )
  })
})
