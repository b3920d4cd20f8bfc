/**
 * The README's Go example ("### Channels and select, as in Go"), checked as a reader uses it: saved
 * at the root of the repository under the name the README gives, type-checked with the project's
 * tsconfig.json, run with `npx tsx`, and its output compared with the block the README shows.
 */
import { execFile } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import ts from "typescript"
import { afterAll, describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..", "..", "..")
const README = readFileSync(join(ROOT, "README.md"), "utf8")
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs")
const RUN_TIMEOUT_MS = 120_000
const HEADING = "### Channels and select, as in Go"

const start = README.indexOf(`\n${HEADING}\n`)
const end = README.indexOf("\n## ", start + 1)
const text = start < 0 ? "" : README.slice(start, end < 0 ? undefined : end)
const blocks = [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!, body: m[2]! }))
const code = blocks.find((b) => b.info === "ts")?.body ?? ""
const output = blocks.find((b) => b.info === "")?.body ?? ""
const fileName = /Save this as `([\w-]+\.ts)` at the root of the repository/.exec(text)?.[1] ?? "missing.ts"
const path = join(ROOT, `.readme-example-${process.pid}-${fileName}`)
writeFileSync(path, code)
afterAll(() => rmSync(path, { force: true }))

function typeErrors(file: string): string[] {
  const configFile = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT)
  const program = ts.createProgram({ rootNames: [file], options })
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)
}

describe("the README's Go example", () => {
  it("is in the README with where to save it, how to run it, and its output", () => {
    expect([start > 0, fileName, code.length > 0, output.length > 0]).toEqual([true, "workers.ts", true, true])
    expect(text).toContain(`npx tsx ${fileName}`)
  })

  it(
    "type-checks under the project's tsconfig.json",
    () => {
      expect(typeErrors(path)).toEqual([])
    },
    RUN_TIMEOUT_MS,
  )

  it(
    "prints what the README shows",
    async () => {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [TSX_CLI, path], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: RUN_TIMEOUT_MS,
      })
      expect(stdout).toBe(output)
      expect(stderr).toBe("")
    },
    RUN_TIMEOUT_MS,
  )
})
