/**
 * `--ascii` spells Greek letters out (`λ` → `lambda`), which widens text. In every table of every
 * sim's report the columns must still line up: the header's text stays above its column's rule
 * (issue 21: mm-queue's Little's-law header was spelled after the widths were measured, so
 * `lambda^ (per s)` ran over the next column). Tables spell their cells before measuring them.
 */
import { describe, expect, it } from "vitest"
import { asciiLine } from "../../src/cli/ascii-text.ts"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { renderTable } from "../../src/cli/table.ts"
import { runCaptured } from "../cli/run-captured.ts"
import { loadSim, SIZED } from "./sized-sims.ts"

const RULE = /^ *-+( +-+)+$/

/** Each header line above a table rule whose text stands over a gap of the rule or past its end. */
function misalignedHeaders(report: string): string[] {
  const lines = report.split("\n")
  const bad: string[] = []
  lines.forEach((rule, i) => {
    const header = lines[i - 1]
    if (!RULE.test(rule) || header === undefined) return
    const over = [...header].some((char, column) => char !== " " && rule[column] !== "-")
    if (over) bad.push(`${header}\n${rule}`)
  })
  return bad
}

/**
 * Sims whose bare report has no table with a column rule (their lists and drawings are not
 * tables): the test checks that they still have none, so one that gains a table leaves this list
 * and is checked like the others.
 */
const WITHOUT_TABLES = new Set([
  "http2-vs-http1",
  "kafka-commit",
  "malloc",
  "multilevel-paging",
  "paging-translate",
  "relocation",
  "segmentation",
])

describe("--ascii keeps every table's columns in line", () => {
  for (const { name } of SIZED) {
    it(`${name}: every header stands over its column's rule`, async () => {
      const run = await runCaptured(await loadSim(name), ["--ascii"])

      expect(run.code).toBe(EXIT_CODE.ok)
      if (WITHOUT_TABLES.has(name)) expect(run.stdout).not.toMatch(new RegExp(RULE.source, "m"))
      else expect(run.stdout).toMatch(new RegExp(RULE.source, "m"))
      expect(misalignedHeaders(run.stdout)).toEqual([])
    })
  }

  it("mm-queue: the Little's-law header, rule and rows share their column edges", async () => {
    const run = await runCaptured(await loadSim("mm-queue"), ["--ascii"])

    const lines = run.stdout.split("\n")
    const at = lines.findIndex((line) => line.includes("lambda^ (per s)"))
    const [header, rule, ...rows] = lines.slice(at, at + 4)
    const ends = (line: string): number[] => [...line.matchAll(/\S+(?= {2}|$)/g)].map((m) => m.index + m[0].length)
    expect(ends(rule!)).toEqual([15, 32, 49, 61, 72])
    for (const line of [header!, ...rows]) expect(ends(line).slice(-4)).toEqual([32, 49, 61, 72])
  })

  it("a table measures its cells after spelling them: a widened cell widens its column", () => {
    const table = renderTable(
      [{ header: "λ^ (per s)", align: "right" }, { header: "W" }],
      [
        ["9.786 ± 1.369", "x"],
        ["0.9", "y"],
      ],
      { ascii: true },
    )

    expect(table).toEqual(["lambda^ (per s)  W", "---------------  -", "9.786 +/- 1.369  x", "            0.9  y"])
    expect(table.map(asciiLine)).toEqual(table)
  })
})
