/**
 * Fork here's pure parts (web/fork.ts): the fault it adds, the `--faults` value with it, which
 * sims take a fault plan, and what changed between two runs' JSON reports.
 */
import { describe, expect, it } from "vitest"
import failureDetector from "../../sims/failure-detector.ts"
import leaseLock from "../../sims/lease-lock.ts"
import mmQueue from "../../sims/mm-queue.ts"
import multilevelPaging from "../../sims/multilevel-paging.ts"
import type { JsonReport } from "../../src/cli/index.ts"
import { forkFault, runChanges, takesFaultPlan, withFault } from "../../web/fork.ts"

describe("forkFault", () => {
  it("words each kind in the fault-plan vocabulary, times in ms", () => {
    expect(forkFault("pause", "n1", 250, 1500)).toEqual({ kind: "pause", node: "n1", at: 250, durationMs: 1500 })
    expect(forkFault("crash", "n1", 250, 100)).toEqual({ kind: "crash", node: "n1", at: 250, restartAt: 350 })
    expect(forkFault("crash", "n1", 250, 0)).toEqual({ kind: "crash", node: "n1", at: 250, restart: false })
    expect(forkFault("partition", "n1", 250, 100)).toEqual({
      kind: "partition",
      groups: [["n1"]],
      at: 250,
      healAt: 350,
    })
  })
})

describe("withFault", () => {
  const fault = { kind: "pause", node: "n1", at: 5, durationMs: 10 }

  it("makes a plan of the fault alone from none, and appends it to a plan, keeping its healAt", () => {
    expect(withFault("none", fault)).toBe('{"faults":[{"kind":"pause","node":"n1","at":5,"durationMs":10}]}')
    expect(withFault(" ", fault)).toBe('{"faults":[{"kind":"pause","node":"n1","at":5,"durationMs":10}]}')
    expect(withFault('{"faults":[{"kind":"crash","node":"n2","at":1}],"healAt":900}', fault)).toBe(
      '{"faults":[{"kind":"crash","node":"n2","at":1},{"kind":"pause","node":"n1","at":5,"durationMs":10}],"healAt":900}',
    )
  })

  it("leaves a value that is not a plan as it is", () => {
    expect(withFault("{not json", fault)).toBe("{not json")
    expect(withFault("[]", fault)).toBe("[]")
  })
})

describe("takesFaultPlan", () => {
  it("is true of the sims with a --faults fault plan, and not of the others", () => {
    expect(takesFaultPlan(leaseLock as never)).toBe(true)
    expect(takesFaultPlan(failureDetector as never)).toBe(true)
    expect(takesFaultPlan(mmQueue as never)).toBe(false)
    expect(takesFaultPlan(multilevelPaging as never)).toBe(false) // its metric counts page faults
  })
})

describe("runChanges", () => {
  const report = (held: boolean, metrics: JsonReport["metrics"]): JsonReport => ({
    sim: "demo",
    seed: 1,
    params: {},
    simTime: 10,
    timeUnit: "ms",
    events: 5,
    metrics,
    checks: [
      { name: "safety", held, detail: "" },
      { name: "liveness", held: true, detail: "" },
    ],
    traceHash: "x",
  })

  it("lists the verdicts that flipped and the metrics that changed, nested ones by path", () => {
    const before = report(true, { overlapMs: 0, nodes: { a: 1, b: 2 }, list: [1, 2], gone: 3 })
    const after = report(false, { overlapMs: 7.5, nodes: { a: 1, b: 4 }, list: [1, 2], added: null })
    expect(runChanges(before, after)).toEqual({
      checks: ["safety: held -> NOT HELD"],
      metrics: ["overlapMs: 0 -> 7.5", "nodes.b: 2 -> 4", "added: absent -> null", "gone: 3 -> absent"],
    })
    expect(runChanges(after, before).checks).toEqual(["safety: NOT HELD -> held"])
    expect(runChanges(before, before)).toEqual({ checks: [], metrics: [] })
  })
})
