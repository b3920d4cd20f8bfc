/**
 * Fault-plan validation: every problem of a plan, each naming the fault, the field, the value and
 * what is allowed. (The first-problem messages of `parseFaultPlan` are in fault-injector.test.ts.)
 */
import { describe, expect, it } from "vitest"
import { faultPlanProblems, validateFaultPlan } from "../../src/net/parse-fault-plan.ts"
import { EVERY_KIND_NODES, EVERY_KIND_PLAN } from "./every-kind-plan.ts"

const manyProblems = {
  faults: [
    { kind: "crash", node: "z", at: 10, restartAt: 5 },
    { kind: "pause", node: "a", at: -1, durationMs: 0 },
    { kind: "partition", groups: [["a", "b"], ["b"]], at: 0 },
    { kind: "link", at: 0, dropProbability: 1.5 },
    { kind: "meteor", at: 0 },
  ],
  healAt: Number.NaN,
}

describe("faultPlanProblems", () => {
  it("finds nothing wrong with a valid plan", () => {
    expect(faultPlanProblems(EVERY_KIND_PLAN, { nodes: EVERY_KIND_NODES })).toEqual([])
  })

  it("names the fault and the field of every problem, several per fault", () => {
    const problems = faultPlanProblems(manyProblems, { nodes: EVERY_KIND_NODES })

    expect(problems).toEqual([
      "healAt is NaN; allowed: a finite number >= 0",
      'faults[0] (crash): node is "z", an unknown node; allowed: a, b, c',
      "faults[0] (crash): restartAt is 5; allowed: a time after at 10",
      "faults[1] (pause): at is -1; allowed: a finite number >= 0",
      "faults[1] (pause): durationMs is 0; allowed: a finite number > 0",
      'faults[2] (partition): groups[1][0] is "b", already in another group; allowed: disjoint groups',
      "faults[3] (link): dropProbability is 1.5; allowed: a probability in [0, 1]",
      'faults[4]: kind is "meteor"; allowed: crash, pause, partition, clock, link',
    ])
  })

  it("rejects something that is not a plan at all", () => {
    expect(faultPlanProblems([1, 2])).toEqual([
      'the fault plan is [1,2]; allowed: an object {"faults":[...],"healAt":N}',
    ])
  })

  it("refuses a fault that starts at or after the plan's healAt, and an unknown field", () => {
    const plan = { healAt: 100, faults: [{ kind: "pause", node: "a", at: 100, durationMs: 5, node2: "b" }] }

    expect(faultPlanProblems(plan)).toEqual([
      'faults[0] (pause): has an unknown field "node2"; allowed: kind, node, at, durationMs',
      "faults[0] (pause): at is 100; allowed: before the plan's healAt 100",
    ])
  })
})

describe("validateFaultPlan", () => {
  it("refuses a plan with its first problem", () => {
    const result = validateFaultPlan(manyProblems, { nodes: EVERY_KIND_NODES })

    expect(result).toEqual({ ok: false, error: "healAt is NaN; allowed: a finite number >= 0" })
  })

  it("returns a plan equal to a valid one", () => {
    const result = validateFaultPlan(EVERY_KIND_PLAN, { nodes: EVERY_KIND_NODES })

    expect(result).toEqual({ ok: true, plan: EVERY_KIND_PLAN })
  })
})
