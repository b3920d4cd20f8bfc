import { describe, expect, it } from "vitest"
import { holds, runUntil } from "../../../src/check/core/index.ts"
import { Simulation } from "../../../src/kernel/index.ts"
import {
  type BaseBoundsTranslated,
  drawnProblem,
  refusalOf,
  refuse,
  runTranslations,
  translateBaseBounds,
} from "../../../src/models/memory/index.ts"

/** Base 100, bounds 10: addresses 3 and 9 translate, 10 and 12 fault. */
function outcome(output: "text" | "json") {
  const sim = new Simulation({ seed: 1 })
  const result = runTranslations<BaseBoundsTranslated>(
    sim,
    { advance: runUntil, output },
    {
      addresses: [3, 10, 9, 12],
      translate: (v) => ({ type: "BaseBoundsTranslated", ...translateBaseBounds(100, 10, v), base: 100, limit: 10 }),
      row: ({ virtual, physical }) => ({ virtual, physical }),
      faulted: (t) => !t.valid,
      registers: { base: 100, limit: 10 },
      faultCount: "violations",
      noun: "translation",
      checks: (translations) => [holds("answers", `${translations.length} answers`)],
      sections: (translations) => [{ title: "Answers", lines: translations.map((t) => `${t.virtual}→${t.physical}`) }],
    },
  )
  return { sim, result }
}

describe("runTranslations", () => {
  it("assembles the metrics, checks, timeline and sections of a text report from one run", () => {
    const { sim, result } = outcome("text")

    expect(sim.now).toBe(3)
    expect(result.metrics).toEqual({
      base: 100,
      limit: 10,
      translations: [
        { virtual: 3, physical: 103 },
        { virtual: 10, physical: null },
        { virtual: 9, physical: 109 },
        { virtual: 12, physical: null },
      ],
      violations: 2,
    })
    expect(result.checks).toEqual([{ name: "answers", held: true, detail: "4 answers" }])
    expect(result.timeline.title).toBe("Timeline (one translation per step)")
    expect(result.timeline.entries.map((entry) => entry.t)).toEqual([0, 1, 2, 3])
    expect(result.timeline.entries[1]!.text).toBe("VA 10 ≥ bounds 10: segmentation violation")
    expect(result.sections).toEqual([{ title: "Answers", lines: ["3→103", "10→null", "9→109", "12→null"] }])
  })

  it("builds no timeline lines and no sections for a JSON report, with the same metrics and checks", () => {
    const text = outcome("text").result
    const json = outcome("json").result

    expect(json.timeline.entries).toEqual([])
    expect(json.sections).toEqual([])
    expect(json.metrics).toEqual(text.metrics)
    expect(json.checks).toEqual(text.checks)
  })
})

describe("refusalOf and drawnProblem", () => {
  it("say a refusal with its seed, and hand over a drawn problem", () => {
    const refused = refuse(["base"], "--base 20000 is past the physical memory")

    expect(refusalOf(refused, 7)).toBe("--base 20000 is past the physical memory (with --seed 7)")
    expect(refusalOf({ ok: true, problem: 1 }, 7)).toBeUndefined()
    expect(drawnProblem({ ok: true, problem: "p" })).toBe("p")
    expect(() => drawnProblem(refused)).toThrow("refuse() let a refused problem through: --base 20000")
  })
})
