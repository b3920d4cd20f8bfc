/**
 * The two-printer program explored: every order of simultaneous events and every print cost. The
 * token and cond versions print in order in every schedule and leave nothing behind; the popular
 * sleep-kick answer fails in every schedule, leaking the last printer (blocked on its send) or
 * returning from `main` before the last item. Ends with the law block.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { describeSchedule, explore, type ExploreReport, replaySchedule } from "../../../src/check/explore.ts"
import { type Chooser, Simulation } from "../../../src/kernel/index.ts"
import {
  type PrinterRun,
  type PrinterVersion,
  printerVerdict,
  runAlternatePrinters,
} from "../../../src/models/go/alternate-printers.ts"

function describeRun(run: PrinterRun): string[] {
  const lines = run.lines.map((line) => `${line.atMs}ms ${line.goroutine} prints ${line.item}`)
  const end = run.mainReturnedAtMs === undefined ? "main never returned" : `main returned at ${run.mainReturnedAtMs}ms`
  return [...lines, end, ...run.leaked.map((g) => `leaked: ${g}`)]
}

function exploreVersion(
  version: PrinterVersion,
  items: number,
): { report: ExploreReport; verdicts: Record<string, number> } {
  const verdicts: Record<string, number> = {}
  const report = explore((chooser: Chooser) => {
    const run = runAlternatePrinters(new Simulation({ chooser, trace: { enabled: false } }), { version, items })
    const verdict = printerVerdict(run)
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1
    return { stateKey: verdict, violation: verdict === "correct" ? undefined : verdict, log: describeRun(run) }
  })
  return { report, verdicts }
}

describe("alternate printers, searched by fast-check", () => {
  /** One schedule of `version` with `items`: the explorer's answers `choices`, 0 beyond them. */
  const schedule = (version: PrinterVersion, items: number, choices: readonly number[]) => {
    let run: PrinterRun | undefined
    replaySchedule(
      (chooser: Chooser) => {
        run = runAlternatePrinters(new Simulation({ chooser, trace: { enabled: false } }), { version, items })
        return { stateKey: printerVerdict(run) }
      },
      choices.map((choice) => choice % 2),
    )
    return run!
  }
  const cases = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.array(fc.nat({ max: 1 }), { maxLength: 12 }))

  it("sleep-kick fails; the shrunk case is one item: g2 prints it, then blocks forever sending a token nobody takes", () => {
    const details = fc.check(
      fc.property(cases, ([items, choices]) => printerVerdict(schedule("sleep-kick", items, choices)) === "correct"),
    )

    expect(details.failed).toBe(true)
    const [[items, choices]] = details.counterexample!
    expect([items, choices]).toEqual([1, []])
    const run = schedule("sleep-kick", items, choices)
    expect(run.lines.map((line) => [line.goroutine, line.item])).toEqual([["g2", 0]])
    expect(run.leaked).toEqual(["g2 [chan send]"])
    expect(printerVerdict(run)).toBe("leaked")
  })

  it("token prints every item in order whatever the schedule", () => {
    fc.assert(fc.property(cases, ([items, choices]) => printerVerdict(schedule("token", items, choices)) === "correct"))
  })
})

describe("alternate printers, every schedule", () => {
  it("token and cond print every item in order and leave no goroutine behind, in every schedule", () => {
    const results = (["token", "cond"] as const).flatMap((version) =>
      [3, 5].map((items) => {
        const { report, verdicts } = exploreVersion(version, items)
        return [version, items, report.schedules, report.complete, verdicts]
      }),
    )
    expect(results).toEqual([
      ["token", 3, 24, true, { correct: 24 }],
      ["token", 5, 96, true, { correct: 96 }],
      ["cond", 3, 16, true, { correct: 16 }],
      ["cond", 5, 64, true, { correct: 64 }],
    ])
  })

  it("sleep-kick fails in every schedule: the last printer leaks, or main returns before the last item", () => {
    const { report, verdicts } = exploreVersion("sleep-kick", 5)
    expect([report.schedules, report.complete, verdicts]).toEqual([93, true, { leaked: 48, outOfOrder: 45 }])
    const first = report.firstViolation!
    expect(describeSchedule(first)).toBe(
      "event 1/2, print cost 1/2, print cost 1/2, print cost 1/2, print cost 1/2, print cost 1/2",
    )
    expect(first.log).toEqual([
      "1ms g2 prints 0",
      "2ms g1 prints 1",
      "3ms g2 prints 2",
      "4ms g1 prints 3",
      "5ms g2 prints 4",
      "main returned at 7.5ms",
      "leaked: g2 [chan send]",
    ])
  })

  it("sleep-kick's first schedule (depth first) in which main returns early: prints of 1, 1, 2 and 2 ms leave item 4 unprinted at main's 7.5 ms", () => {
    const { report } = exploreVersion("sleep-kick", 5)
    let early: string[] | undefined
    explore((chooser) => {
      const run = runAlternatePrinters(new Simulation({ chooser, trace: { enabled: false } }), {
        version: "sleep-kick",
        items: 5,
      })
      if (early === undefined && printerVerdict(run) === "outOfOrder") early = describeRun(run)
      return { stateKey: printerVerdict(run) }
    })
    expect(report.violatingSchedules).toBe(93)
    expect(early).toEqual([
      "1ms g2 prints 0",
      "2ms g1 prints 1",
      "4ms g2 prints 2",
      "6ms g1 prints 3",
      "main returned at 7.5ms",
    ])
  })
})

describe("alternate printers, laws", () => {
  const seeded = (version: PrinterVersion, seed: number) =>
    runAlternatePrinters(new Simulation({ seed, trace: { enabled: false } }), { version, items: 5 })

  it("same seed, same run", () => {
    for (const version of ["token", "cond", "sleep-kick"] as const)
      expect(seeded(version, 9)).toEqual(seeded(version, 9))
  })

  it("time never goes backwards in the printed lines", () => {
    for (const seed of [1, 2, 3]) {
      const times = seeded("cond", seed).lines.map((line) => line.atMs)
      expect(times).toEqual([...times].sort((a, b) => a - b))
    }
  })

  it("the verdict accepts a correct run and rejects a known-bad one", () => {
    expect(printerVerdict(seeded("token", 4))).toBe("correct")
    expect(printerVerdict(seeded("sleep-kick", 4))).not.toBe("correct")
  })
})
