import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { BankersScenario } from "../../../src/models/deadlock/index.ts"
import {
  type Built,
  randomSnapshotFlags,
  scanTable,
  SnapshotConstraint,
  snapshotQuiz,
  stepSample,
  stepTimeline,
} from "../../../sims/shared/snapshot-flags.ts"
import { SILBERSCHATZ_T0 } from "../../models/deadlock/silberschatz-t0.ts"

interface Params {
  readonly randomProcesses: number
  readonly rows: string
}

/** A build that refuses any rows but "ok", and counts its calls. */
function builder() {
  const calls: number[] = []
  const build = (params: Params, seed: number): Built<string> => {
    calls.push(seed)
    return params.rows === "ok" ? { ok: true, value: params.rows } : { ok: false, error: `bad rows ${params.rows}` }
  }
  return { calls, build }
}

describe("SnapshotConstraint", () => {
  it("refuses rows the build refuses, with the build's sentence, and judges drawn snapshots not at all", () => {
    const { calls, build } = builder()
    const constraint = new SnapshotConstraint<Params>(["rows"], build)

    expect(constraint.holds({ randomProcesses: 0, rows: "ok" })).toBe(true)
    expect(constraint.holds({ randomProcesses: 0, rows: "1,2" })).toBe(false)
    expect(constraint.message).toBe("bad rows 1,2")
    expect(constraint.holds({ randomProcesses: 5, rows: "1,2" })).toBe(true)
    expect(constraint.message).toBe("")
    expect(calls).toEqual([0, 0])
  })
})

describe("snapshotQuiz", () => {
  it("shows the snapshot's lines, or says a drawn snapshot needs the seed", () => {
    const lines = (params: Params, seed: number) => [`rows ${params.rows}`, `seed ${seed}`]

    expect(snapshotQuiz({ randomProcesses: 0, rows: "ok" }, undefined, lines)).toBe("rows ok\nseed 0")
    expect(snapshotQuiz({ randomProcesses: 3, rows: "ok" }, 7, lines)).toBe("rows ok\nseed 7")
    expect(snapshotQuiz({ randomProcesses: 3, rows: "ok" }, undefined, lines)).toBe(
      "The snapshot is drawn from the seed; run without --quiz to see it.",
    )
  })
})

describe("the step timeline and the scan table", () => {
  /** Silberschatz's snapshot T0 with no requests. */
  const T0 = {
    ...SILBERSCHATZ_T0,
    requests: [],
  }

  it("keeps the steps of a text run and none for JSON", () => {
    const text = new Simulation({ seed: 1 })
    const sample = stepSample(text, "text")
    new BankersScenario(text, T0).run()

    expect(stepSample(new Simulation({ seed: 1 }), "json")).toBeUndefined()
    expect(stepTimeline(undefined)).toEqual({ title: "Timeline (t = step)", entries: [] })
    const timeline = stepTimeline(sample)
    expect(timeline.title).toBe("Timeline (t = step)")
    expect(timeline.entries.length).toBe(sample!.total)
    expect(timeline.entries.length).toBeGreaterThan(0)
  })

  it("tables a scan's steps with the demand it compares against Work", () => {
    const steps = [{ process: 1, pass: 1, demand: [1, 2, 2], work: [3, 3, 2], workAfter: [5, 3, 2] }]

    expect(scanTable(steps, "Need")).toEqual([
      "step  pass  takes  Need <= Work  Work before  Work after",
      "----  ----  -----  ------------  -----------  ----------",
      "   1     1  P1          (1,2,2)      (3,3,2)     (5,3,2)",
    ])
  })

  it("declares --random-processes with the sim's own description and --random-resources alike for both", () => {
    const flags = randomSnapshotFlags("draw N processes")

    expect(flags.randomProcesses.description).toBe("draw N processes")
    expect(flags.randomProcesses.default).toBe(0)
    expect(flags.randomResources.default).toBe(3)
  })
})
