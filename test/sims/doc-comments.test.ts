/**
 * Every sim's file opens with the doc comment generated from its definition (title and header),
 * so the header is written once, in `defineSim`. `UPDATE_DOC_COMMENTS=1 npx vitest run
 * test/sims/doc-comments.test.ts` rewrites the comments after a header changed.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { simDocComment, withDocComment } from "../../src/cli/sim-doc-comment.ts"
import { loadSims, simFiles } from "../../sims/index.ts"

const SIMS = fileURLToPath(new URL("../../sims/", import.meta.url))

describe("each sim's file comment is generated from its header", async () => {
  const sims = await loadSims()
  const files = simFiles()
  it("lists one definition per file", () => {
    expect(sims.map((sim) => `${sim.name}.ts`)).toEqual(files)
  })
  for (const sim of sims) {
    it(`sims/${sim.name}.ts`, () => {
      const path = join(SIMS, `${sim.name}.ts`)
      const source = readFileSync(path, "utf8")
      const expected = withDocComment(source, simDocComment(sim))
      if (process.env["UPDATE_DOC_COMMENTS"] === "1" && source !== expected) writeFileSync(path, expected)
      else expect(source.slice(0, expected.indexOf("*/") + 2)).toBe(simDocComment(sim))
    })
  }
})

describe("simDocComment", () => {
  const sim = {
    name: "demo",
    title: "Demo: does it wrap?",
    header: { covers: "a, b", scenario: `${"word ".repeat(30)}end`, try: ["--a 1", "--b 2"] },
  }
  it("wraps at 100 columns with two-space continuations and lists the Try flags", () => {
    const lines = simDocComment(sim).split("\n")
    expect(lines[0]).toBe("/**")
    expect(lines[1]).toBe(" * Demo: does it wrap?")
    expect(lines[2]).toBe(" * Covers: a, b")
    expect(lines[3]).toBe(` * Scenario: ${"word ".repeat(16)}word`)
    expect(lines[4]).toBe(` *   ${"word ".repeat(13)}end`)
    expect(lines[5]).toBe(" * Try: --a 1; --b 2")
    expect(lines.at(-1)).toBe(" */")
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100)
  })
  it("replaces only the opening comment", () => {
    expect(withDocComment("/**\n * old\n */\nimport x\n/** keep */\n", "/** new */")).toBe(
      "/** new */\nimport x\n/** keep */\n",
    )
    expect(withDocComment("import x\n", "/** new */")).toBe("/** new */\nimport x\n")
  })
})
