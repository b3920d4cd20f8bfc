/**
 * Swarm fault plans: deterministic per seed, printable, valid, and kind by kind independent.
 */
import { describe, expect, it } from "vitest"
import { faultPlanProblems } from "../../src/net/parse-fault-plan.ts"
import { addSwarm, describeSwarm, swarm, swarmFaultPlan, swarmOptions } from "../../src/check/swarm.ts"
import { FAULT_KINDS } from "../../src/net/fault-plan.ts"

const config = { nodes: ["a", "b", "c"], horizonMs: 1000 }
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1)

describe("swarm", () => {
  it("draws the same options and plan from the same seed, and the options replay the plan from JSON", () => {
    const first = swarm(11, config)
    const second = swarm(11, config)

    expect(second).toEqual(first)
    expect(swarmFaultPlan(JSON.parse(JSON.stringify(first.options)))).toEqual(first.plan)
  })

  it("prints its options in one line (seed 1: crash, partition and clock on)", () => {
    expect(describeSwarm(swarmOptions(1, config))).toBe(
      "swarm seed=1 (3 nodes, 1000ms): crash on (~2.1 per run, ~24ms), pause off, partition on (~2.2 per run, ~33ms), " +
        "clock on (~2.9 per run, skew up to 846ms, drift up to 4%), link off",
    )
  })

  it("turns each kind on in some seeds and off in others, giving many different mixes", () => {
    const mixes = SEEDS.map((seed) => {
      const kinds = swarmOptions(seed, config).kinds
      return FAULT_KINDS.filter((kind) => kinds[kind].enabled).join("+")
    })

    for (const kind of FAULT_KINDS) {
      const on = mixes.filter((mix) => mix.split("+").includes(kind)).length
      expect(on).toBeGreaterThan(10)
      expect(on).toBeLessThan(50)
    }
    expect(new Set(mixes).size).toBeGreaterThan(15)
  })

  it("draws valid plans with faults of enabled kinds only, starting in the fault phase and healed by its end", () => {
    for (const seed of SEEDS) {
      const { options, plan } = swarm(seed, config)

      expect(faultPlanProblems(plan, { nodes: config.nodes })).toEqual([])
      expect(plan.healAt).toBe(1000)
      for (const fault of plan.faults) {
        expect(options.kinds[fault.kind].enabled).toBe(true)
        expect(fault.at).toBeGreaterThanOrEqual(0)
        expect(fault.at).toBeLessThan(1000)
        const end =
          fault.kind === "crash"
            ? fault.restartAt
            : fault.kind === "partition"
              ? fault.healAt
              : fault.kind === "link"
                ? fault.until
                : undefined
        if (end !== undefined) expect(end).toBeLessThanOrEqual(1000)
        if (fault.kind === "pause") expect(fault.at + fault.durationMs).toBeLessThanOrEqual(1000)
      }
    }
  })

  it("leaves every other kind's faults unchanged when one kind is excluded", () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const all = swarm(seed, config).plan.faults
      const withoutPauses = swarm(seed, { ...config, kinds: ["crash", "partition", "clock", "link"] }).plan.faults

      expect(withoutPauses).toEqual(all.filter((fault) => fault.kind !== "pause"))
    }
  })

  it("keeps partition and link faults off with a single node", () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const { options, plan } = swarm(seed, { nodes: ["solo"], horizonMs: 500 })

      expect(options.kinds.partition.enabled || options.kinds.link.enabled).toBe(false)
      expect(faultPlanProblems(plan, { nodes: ["solo"] })).toEqual([])
    }
  })

  it("has no healing phase when heal is false", () => {
    expect(swarm(1, { ...config, heal: false }).plan.healAt).toBeUndefined()
  })

  it("refuses an empty node set and a bad horizon", () => {
    expect(() => swarmOptions(1, { nodes: [], horizonMs: 10 })).toThrow(/at least one node/)
    expect(() => swarmOptions(1, { nodes: ["a"], horizonMs: 0.5 })).toThrow(
      /horizonMs must be an integer >= 1, got 0.5/,
    )
  })
})

describe("addSwarm", () => {
  const nodes = ["n1", "n2", "n3"]
  const own = { kind: "crash", node: "n3", at: 100 } as const
  it("keeps the plan's own faults first and heals at 2/3 of the run when the plan has no healAt", () => {
    const added = addSwarm({ faults: [own] }, 13, { nodes, untilMs: 3000 })
    const drawn = swarm(13, { nodes, horizonMs: 2000, heal: true })
    expect(added.plan).toEqual({ faults: [own, ...drawn.plan.faults], healAt: 2000 })
    expect(added.description).toBe(describeSwarm(drawn.options))
    expect(faultPlanProblems(added.plan, { nodes })).toEqual([])
  })
  it("draws until the plan's own healAt, or the given phase of the run", () => {
    expect(addSwarm({ faults: [], healAt: 500 }, 2, { nodes, untilMs: 3000 }).plan.healAt).toBe(500)
    expect(addSwarm({ faults: [] }, 2, { nodes, untilMs: 1001, phase: 0.5 }).plan.healAt).toBe(500)
    expect(addSwarm({ faults: [] }, 2, { nodes, untilMs: 1, phase: 0.5 }).plan.healAt).toBe(1)
  })
})
