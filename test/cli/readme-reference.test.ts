import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EXIT_CODE } from "../../src/cli/index.ts"
import { FAULT_KINDS } from "../../src/net/index.ts"
import dummySim from "./dummy-sim.ts"
import { runCaptured } from "./run-captured.ts"

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8")

function section(title: string): string {
  const start = readme.indexOf(`### ${title}`)
  expect(start, `README has a "### ${title}" section`).toBeGreaterThanOrEqual(0)
  const end = readme.indexOf("\n### ", start + 4)
  return readme.slice(start, end < 0 ? undefined : end)
}

describe("the README's reference of reports, traces, exit codes and fault plans", () => {
  it("documents every top-level field of the JSON report, in the report's order", async () => {
    const run = await runCaptured(dummySim, ["--json"])
    const keys = Object.keys(JSON.parse(run.stdout))
    const text = section("The JSON report (`--json`)")

    const documented = [...text.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1])

    expect(documented).toEqual(keys)
  })

  it("documents every exit code", () => {
    const text = section("Exit codes")

    for (const code of Object.values(EXIT_CODE)) expect(text).toMatch(new RegExp(`^\\| ${code} \\| \\S`, "m"))
  })

  it("documents the trace's common fields", () => {
    const text = section("The trace (`--trace FILE`)")

    for (const field of ["t", "seq", "type"]) expect(text).toContain(`| \`${field}\` |`)
  })

  it("documents every fault kind and every field of each", () => {
    const text = section("Fault plans (`--faults`)")
    const fields: Record<(typeof FAULT_KINDS)[number], string[]> = {
      crash: ["node", "at", "restartAt", "restart", "diskLoss"],
      pause: ["node", "at", "durationMs"],
      partition: ["groups", "at", "healAt", "oneWay"],
      clock: ["node", "at", "skewMs", "driftRate"],
      link: ["from", "to", "at", "until", "dropProbability", "duplicateProbability", "extraDelayMs"],
    }

    expect(text).toContain("`healAt`")
    for (const kind of FAULT_KINDS) {
      const row = text.split("\n").find((line) => line.startsWith(`| \`${kind}\` |`))
      expect(row, `a row for ${kind}`).toBeDefined()
      for (const field of fields[kind]) expect(row).toContain(`\`${field}\``)
    }
  })
})
