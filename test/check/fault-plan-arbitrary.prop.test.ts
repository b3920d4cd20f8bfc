/**
 * The fault-plan arbitrary produces only valid plans within its options, and shrinks toward
 * fewer, later, shorter, weaker faults.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type FaultKind,
  faultPlanArbitrary,
  type FaultPlanArbitraryOptions,
} from "../../src/check/fault-plan-arbitrary.ts"
import { faultPlanProblems } from "../../src/net/parse-fault-plan.ts"
import { FAULT_KINDS, type Fault, type FaultPlan, type PartitionFault } from "../../src/net/fault-plan.ts"
import { checkProperty, FC_SEED } from "../laws/index.ts"

const TEST_FILE = "test/check/fault-plan-arbitrary.prop.test.ts"
const NODES = ["a", "b", "c"]
const HORIZON_MS = 1000

/** When a fault ends, if it says so. */
function endOf(fault: Fault): number | undefined {
  switch (fault.kind) {
    case "crash":
      return fault.restartAt
    case "pause":
      return fault.at + fault.durationMs
    case "partition":
      return fault.healAt
    case "link":
      return fault.until
    case "clock":
      return undefined
  }
}

/** Options of the arbitrary, themselves arbitrary. */
const optionsArbitrary = fc
  .record({
    nodeCount: fc.integer({ min: 1, max: 4 }),
    horizonMs: fc.integer({ min: 1, max: 2000 }),
    kinds: fc.subarray([...FAULT_KINDS], { minLength: 1 }),
    minFaults: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 4 }),
    heal: fc.boolean(),
    diskLoss: fc.boolean(),
    maxCrashes: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  })
  .map(({ nodeCount, kinds, extra, maxCrashes, ...rest }) => {
    const nodes = ["n0", "n1", "n2", "n3"].slice(0, nodeCount)
    const usable = kinds.filter((kind) => nodeCount >= 2 || (kind !== "partition" && kind !== "link"))
    const options: FaultPlanArbitraryOptions = {
      ...rest,
      nodes,
      kinds: usable.length > 0 ? usable : ["crash"],
      maxFaults: rest.minFaults + extra,
      ...(maxCrashes === undefined ? {} : { maxPerKind: { crash: maxCrashes } }),
    }
    return options
  })
  .filter(
    (options) =>
      options.kinds!.some((kind) => kind !== "crash") || (options.maxPerKind?.crash ?? Infinity) >= options.minFaults!,
  )

describe(`faultPlanArbitrary produces valid plans (FC_SEED=${FC_SEED})`, () => {
  it("gives plans that validate, within the options: nodes, kinds, counts, times, ends, order, heal", () => {
    checkProperty(
      fc.property(
        optionsArbitrary.chain((options) => fc.tuple(fc.constant(options), faultPlanArbitrary(options))),
        ([options, plan]) => {
          const faults = plan.faults

          expect(faultPlanProblems(plan, { nodes: options.nodes })).toEqual([])
          expect(faults.length).toBeGreaterThanOrEqual(options.minFaults!)
          expect(faults.length).toBeLessThanOrEqual(options.maxFaults!)
          expect(faults.filter((fault) => fault.kind === "crash").length).toBeLessThanOrEqual(
            options.maxPerKind?.crash ?? Infinity,
          )
          for (const fault of faults) {
            expect(options.kinds).toContain(fault.kind)
            expect(Number.isInteger(fault.at) && fault.at >= 0 && fault.at < options.horizonMs).toBe(true)
            if (options.heal) expect(endOf(fault) ?? 0).toBeLessThanOrEqual(options.horizonMs)
            if (fault.kind === "crash" && !options.diskLoss) expect(fault.diskLoss).toBeUndefined()
          }
          expect(faults.map((fault) => fault.at)).toEqual([...faults.map((fault) => fault.at)].sort((x, y) => x - y))
          expect(plan.healAt).toBe(options.heal ? options.horizonMs : undefined)
        },
      ),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })

  it("refuses options it cannot honour", () => {
    expect(() => faultPlanArbitrary({ nodes: [], horizonMs: 10 })).toThrow(/at least one node/)
    expect(() => faultPlanArbitrary({ nodes: ["a"], horizonMs: 10, kinds: ["partition"] })).toThrow(
      /partition faults need at least two nodes/,
    )
    expect(() => faultPlanArbitrary({ nodes: ["a"], horizonMs: 0 })).toThrow(/horizonMs must be an integer >= 1, got 0/)
    expect(() => faultPlanArbitrary({ nodes: ["a", "a"], horizonMs: 10 })).toThrow(/unique/)
    expect(() =>
      faultPlanArbitrary({ nodes: ["a"], horizonMs: 10, kinds: ["crash"], minFaults: 2, maxPerKind: { crash: 1 } }),
    ).toThrow(/minFaults is 2 but kinds and maxPerKind allow at most 1 faults/)
  })
})

/** The plan fast-check shrinks to when `fails` rejects it. */
function shrunk(options: FaultPlanArbitraryOptions, fails: (plan: FaultPlan) => boolean): FaultPlan {
  const details = fc.check(
    fc.property(faultPlanArbitrary(options), (plan) => !fails(plan)),
    { seed: FC_SEED, numRuns: 1000 },
  )
  if (!details.failed) throw new Error(`no failing plan found (seed ${FC_SEED})`)
  return details.counterexample![0]
}

describe(`faultPlanArbitrary shrinks toward fewer, later, shorter, weaker faults (FC_SEED=${FC_SEED})`, () => {
  const minimal: Record<FaultKind, Fault> = {
    crash: { kind: "crash", node: "a", at: 999, restartAt: 1000 },
    pause: { kind: "pause", node: "a", at: 999, durationMs: 1 },
    partition: { kind: "partition", groups: [["a"], ["b", "c"]], at: 999, healAt: 1000 },
    clock: { kind: "clock", node: "a", at: 999, skewMs: 1 },
    link: { kind: "link", from: "a", to: "b", at: 999, until: 1000, dropProbability: 0.05 },
  }

  for (const kind of FAULT_KINDS) {
    it(`shrinks any failing plan of ${kind} faults to one ${kind}, as late, short and weak as possible`, () => {
      const plan = shrunk(
        { nodes: NODES, horizonMs: HORIZON_MS, kinds: [kind], diskLoss: true },
        (p) => p.faults.length > 0,
      )

      expect(plan).toEqual({ faults: [minimal[kind]], healAt: HORIZON_MS })
    })
  }

  it("moves a crash to the latest start that still fails (a crash before t=500 → at 499)", () => {
    const plan = shrunk({ nodes: NODES, horizonMs: HORIZON_MS, kinds: ["crash", "pause"] }, (p) =>
      p.faults.some((fault) => fault.kind === "crash" && fault.at < 500),
    )

    expect(plan.faults).toEqual([{ kind: "crash", node: "a", at: 499, restartAt: 500 }])
  })

  it("shortens a pause to the shortest that still fails (a pause of 50ms or more → exactly 50ms)", () => {
    const plan = shrunk({ nodes: NODES, horizonMs: HORIZON_MS, kinds: ["pause"] }, (p) =>
      p.faults.some((fault) => fault.kind === "pause" && fault.durationMs >= 50),
    )

    expect(plan.faults).toEqual([{ kind: "pause", node: "a", at: 950, durationMs: 50 }])
  })

  it("keeps a partition's target when it matters (b cut off from c → {b} | {a, c} or {c} | {a, b}, either way round)", () => {
    const plan = shrunk({ nodes: NODES, horizonMs: HORIZON_MS, kinds: ["partition"] }, (p) =>
      p.faults.some(
        (fault) =>
          fault.kind === "partition" && fault.groups.some((group) => group.includes("b") !== group.includes("c")),
      ),
    )

    expect(plan.faults).toHaveLength(1)
    expect(plan.faults[0]).toMatchObject({ at: 999, healAt: 1000 })
    const groups = (plan.faults[0] as PartitionFault).groups.map((group) => group.join("")).sort()
    expect([
      ["ac", "b"],
      ["ab", "c"],
    ]).toContainEqual(groups)
  })

  it("draws the same plans from the same seed", () => {
    const arbitrary = faultPlanArbitrary({ nodes: NODES, horizonMs: HORIZON_MS })

    expect(fc.sample(arbitrary, { seed: FC_SEED, numRuns: 20 })).toEqual(
      fc.sample(arbitrary, { seed: FC_SEED, numRuns: 20 }),
    )
  })
})
