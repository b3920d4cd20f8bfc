/**
 * The property harness on a toy model with a planted bug that needs two faults at once.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { faultPlanArbitrary } from "../../src/check/fault-plan-arbitrary.ts"
import { expectCounterexample, expectHolds, replayCommand } from "../../src/check/property-harness.ts"
import { shellQuote } from "../../src/check/shell-quote.ts"
import type { CrashFault, FaultPlan, PartitionFault } from "../../src/net/fault-plan.ts"
import { FC_SEED } from "../laws/index.ts"
import { runToy, TOY_HORIZON_MS, TOY_NODES } from "./toy-model.ts"

const plans = faultPlanArbitrary({ nodes: TOY_NODES, horizonMs: TOY_HORIZON_MS, maxFaults: 6 })
const scenario = fc.record({ seed: fc.integer({ min: 1, max: 1000 }) })
const toySim = { name: "toy", toFlags: (s: { seed: number }) => ["--seed", String(s.seed)] }
const silent = { log: null, seed: FC_SEED }

describe(`expectCounterexample (FC_SEED=${FC_SEED})`, () => {
  it("shrinks the planted bug to exactly a crash of a and a partition between b and c, both at the last instant", () => {
    const found = expectCounterexample({
      scenario,
      faults: plans,
      run: (_scenario, faults) => runToy(faults),
      check: (run) => run.checks,
      sim: toySim,
      numRuns: 400,
      ...silent,
    })

    const crash = found.faults.faults.find((fault): fault is CrashFault => fault.kind === "crash")
    const partition = found.faults.faults.find((fault): fault is PartitionFault => fault.kind === "partition")
    expect(found.faults.faults).toHaveLength(2)
    // Fewer, later, shorter: both faults start at t=999 and last 1ms, as late and short as can still break it.
    expect(crash).toEqual({ kind: "crash", node: "a", at: 999, restartAt: 1000 })
    expect(partition).toMatchObject({ kind: "partition", at: 999, healAt: 1000 })
    expect(partition!.oneWay).toBeUndefined()
    const side = partition!.groups[0]!
    expect(side.includes("b")).not.toBe(side.includes("c"))
    expect(found.scenario).toEqual({ seed: 1 })
    expect(found.failed.map((verdict) => verdict.name)).toEqual(["no-data-loss"])
    expect(found.failed[0]!.detail).toMatch(/^first violated at t=999 .*a is down while b cannot reach c/)
    expect(found.result.events).toContain("t=999 crash a")
    expect(found.command).toBe(`npx tsx sims/toy.ts --seed 1 --faults ${shellQuote(JSON.stringify(found.faults))}`)
  })

  it("fails, naming the seed and the number of cases, when no case breaks a check", () => {
    expect(() =>
      expectCounterexample({
        scenario,
        faults: plans,
        run: (_s, faults) => runToy(faults, false),
        check: (run) => run.checks,
        numRuns: 20,
        ...silent,
      }),
    ).toThrow(new RegExp(`expected a counterexample, but all 20 cases held \\(seed=${FC_SEED}\\)`))
  })

  it("fails with the thrown error, not a verdict, when the run crashes", () => {
    expect(() =>
      expectCounterexample({
        scenario,
        faults: plans,
        run: (_s, faults) => {
          if (faults.faults.length > 0) throw new Error("engine exploded")
          return runToy(faults)
        },
        check: (run) => run.checks,
        numRuns: 50,
        ...silent,
      }),
    ).toThrow(/the run threw instead of reporting a verdict[\s\S]*the run threw:\n {4}Error: engine exploded/)
  })
})

describe(`expectHolds (FC_SEED=${FC_SEED})`, () => {
  it("holds for the model without the bug under every plan, and reports the seed and case count", () => {
    const lines: string[] = []

    const report = expectHolds({
      scenario,
      faults: plans,
      run: (_s, faults) => runToy(faults, false),
      check: (run) => run.checks,
      sim: toySim,
      numRuns: 50,
      seed: FC_SEED,
      log: (line) => lines.push(line),
    })

    expect(report).toEqual({ seed: FC_SEED, numRuns: 50 })
    expect(lines).toEqual([`sims/toy.ts: 50 cases held (seed=${FC_SEED})`])
  })

  it("throws a reproduction: seed and path, verdicts, scenario, plan in words and JSON, replay line", () => {
    let message = ""
    try {
      expectHolds({
        scenario,
        faults: plans,
        run: (_s, faults) => runToy(faults),
        check: (run) => run.checks,
        sim: toySim,
        numRuns: 400,
        ...silent,
      })
    } catch (error) {
      message = (error as Error).message
    }

    const lines = message.split("\n")
    expect(lines[0]).toMatch(/^sims\/toy\.ts: a check did not hold after \d+ cases? and \d+ shrinks?$/)
    expect(lines[1]).toMatch(
      new RegExp(
        `^  fast-check: seed=${FC_SEED} path="[\\d:]+" \\(replay this case with \\{ seed: ${FC_SEED}, path: "[\\d:]+" \\}; rerun the property with FC_SEED=${FC_SEED}\\)$`,
      ),
    )
    expect(lines[2]).toBe("  verdicts:")
    expect(lines[3]).toMatch(/^ {4}NOT HELD {2}no-data-loss {2}first violated at t=999/)
    expect(lines[4]).toBe('  scenario: {"seed":1}')
    expect(lines[5]).toBe("  fault plan (2 faults):")
    const faultLines = lines.slice(6, 8)
    expect(faultLines).toContain("    t=999ms   crash a, restart at 1000ms")
    expect(faultLines.find((line) => line.includes("partition"))).toMatch(
      /^ {4}t=999ms {3}partition \{[abc](,[abc])?\} \| \{[abc](,[abc])?\} until 1000ms$/,
    )
    expect(lines[8]).toBe(
      "    t=1000ms  heal: partitions heal, paused nodes resume, crashed nodes restart, link faults stop",
    )
    expect(lines[9]).toMatch(/^ {2}fault plan JSON: \{"faults":\[.*\],"healAt":1000\}$/)
    expect(lines[10]).toMatch(/^ {2}replay: npx tsx sims\/toy\.ts --seed 1 --faults '\{"faults":.*\}'$/)
  })

  it("replays exactly the shrunk case from its seed and path", () => {
    const found = expectCounterexample({
      scenario,
      faults: plans,
      run: (_s, f) => runToy(f),
      check: (run) => run.checks,
      numRuns: 400,
      ...silent,
    })

    const again = expectCounterexample({
      scenario,
      faults: plans,
      run: (_s, f) => runToy(f),
      check: (run) => run.checks,
      seed: found.seed,
      path: found.path,
      log: null,
    })

    expect(again.faults).toEqual(found.faults)
    expect(again.numRuns).toBe(1)
  })

  it("reads the seed from FC_SEED when no seed is given", () => {
    const saved = process.env.FC_SEED
    process.env.FC_SEED = "12345"
    try {
      const report = expectHolds({
        scenario: fc.constant({}),
        run: () => null,
        check: () => ({ name: "ok", held: true, detail: "" }),
        numRuns: 3,
        log: null,
      })

      expect(report.seed).toBe(12345)
    } finally {
      if (saved === undefined) delete process.env.FC_SEED
      else process.env.FC_SEED = saved
    }
  })

  it("rejects a check that returns no verdict, since it proves nothing", () => {
    expect(() =>
      expectHolds({ scenario: fc.constant({}), run: () => null, check: () => [], numRuns: 1, log: null }),
    ).toThrow(/the check returned no verdict/)
  })

  it("leaves --faults out of the replay line when no fault arbitrary is given", () => {
    let message = ""
    try {
      expectHolds({
        scenario: fc.record({ seed: fc.integer({ min: 1, max: 9 }) }),
        run: (s) => s.seed,
        check: (seed) => ({ name: "small-seed", held: seed < 5, detail: `seed ${seed}` }),
        sim: toySim,
        ...silent,
      })
    } catch (error) {
      message = (error as Error).message
    }

    expect(message).toContain('  scenario: {"seed":5}')
    expect(message).not.toContain("fault plan")
    expect(message).toMatch(/ {2}replay: npx tsx sims\/toy\.ts --seed 5$/)
  })
})

describe("replayCommand", () => {
  it("quotes the fault plan JSON for a POSIX shell, including quotes inside it", () => {
    const plan: FaultPlan = { faults: [{ kind: "crash", node: "it's", at: 5 }] }

    expect(replayCommand(toySim, { seed: 3 }, plan)).toBe(
      `npx tsx sims/toy.ts --seed 3 --faults '{"faults":[{"kind":"crash","node":"it'\\''s","at":5}]}'`,
    )
  })
})
