/**
 * Differential check against OSTEP's address-translation homework scripts, from recorded facts.
 *
 * `ostep-vm-fixtures.json` holds inputs and what the real `relocation.py`, `segmentation.py`,
 * `paging-linear-translate.py` and `paging-multilevel-translate.py` did with them under Python 3,
 * recorded by running those scripts (`scripts/ostep-vm/generate-fixtures.py`; no OSTEP source is kept
 * here): the registers, tables and memory they printed and their `-c` answers, or that they
 * stopped with an error, failed an assertion or ran forever. Each case runs our sim in-process
 * with the mapped flags: an answered case must report the same numbers in its JSON metrics; a
 * refused one (and each marked deviation, which OSTEP answers and ours refuses on purpose, see
 * docs/memory.md) must exit 2 with its reason on stderr and nothing on stdout.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import multilevelPaging from "../../../sims/multilevel-paging.ts"
import pagingTranslate from "../../../sims/paging-translate.ts"
import relocation from "../../../sims/relocation.ts"
import segmentation from "../../../sims/segmentation.ts"
import type { FlagSpecs, SimDefinition } from "../../../src/cli/index.ts"
import { runCaptured } from "../../cli/run-captured.ts"

/** One recorded run of an OSTEP script. */
interface OstepCase {
  /** OSTEP's command line (without -c). */
  readonly ostep: string
  /** Ours, for the sim. */
  readonly argv: readonly string[]
  /** What OSTEP printed, in the shape of our metrics (the multilevel memory may be a SHA-256). */
  readonly answer?: { readonly [field: string]: unknown }
  /** OSTEP's error line, when it stopped with one. */
  readonly error?: string
  /** OSTEP was still running after the generator's timeout. */
  readonly hang?: true
  /** Why ours refuses what OSTEP answers. */
  readonly deviation?: string
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "ostep-vm-fixtures.json"), "utf8")) as Record<
  string,
  readonly OstepCase[]
>

/** Our metrics in the fixture's shape: the memory dump replaced by its SHA-256 where the fixture has one. */
function comparable(metrics: Record<string, unknown>, answer: Record<string, unknown>): Record<string, unknown> {
  if (!("memorySha256" in answer)) return metrics
  const { memory, ...rest } = metrics
  return {
    ...rest,
    memorySha256: createHash("sha256")
      .update((memory as string[]).join("\n"))
      .digest("hex"),
  }
}

function differential<F extends FlagSpecs>(key: string, script: string, sim: SimDefinition<F>): void {
  const cases = fixtures[key]!
  describe(`${sim.name} agrees with OSTEP's ${script}`, () => {
    it(`has hundreds of recorded cases, answered and refused (${cases.length})`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(200)
      expect(cases.filter((c) => c.answer !== undefined && c.deviation === undefined).length).toBeGreaterThan(100)
      expect(cases.filter((c) => c.answer === undefined).length).toBeGreaterThan(0)
    })

    it.each(cases.filter((c) => c.answer !== undefined && c.deviation === undefined).map((c) => [c.ostep, c] as const))(
      "%s: the same problem and answers",
      async (_, c) => {
        const run = await runCaptured(sim, [...c.argv, "--json"])

        expect(run.code, run.stderr).toBe(0)
        expect(comparable(JSON.parse(run.stdout).metrics, c.answer!)).toEqual(c.answer)
      },
    )

    it.each(cases.filter((c) => c.answer === undefined || c.deviation !== undefined).map((c) => [c.ostep, c] as const))(
      "%s: refused with exit 2, as OSTEP stops (or as the deviation says)",
      async (_, c) => {
        const run = await runCaptured(sim, [...c.argv, "--json"])

        expect(run.code, `${c.error ?? c.deviation ?? "hang"}\n${run.stdout}`).toBe(2)
        expect(run.stdout).toBe("")
        expect(run.stderr).toMatch(new RegExp(`^${sim.name}: `))
      },
    )
  })
}

differential("relocation", "relocation.py", relocation)
differential("segmentation", "segmentation.py", segmentation)
differential("pagingTranslate", "paging-linear-translate.py", pagingTranslate)
differential("multilevelPaging", "paging-multilevel-translate.py", multilevelPaging)
