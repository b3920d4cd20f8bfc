/**
 * No function longer than 70 lines under `src/` and `sims/`: a function that does not fit on a
 * screen does several things, and the next model copies it. Counted from the line of its first
 * token to the line of its last, nested functions included, as the formatter lays the code out.
 * Arrow functions, methods, getters and constructors count. Exceptions are listed below with why;
 * the rule is first shown to fail on a fixture.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")
const MAX_LINES = 70

/** `file:name` → why it may be longer. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([])

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith(".ts") ? [path] : []
  })
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node }
  if (named.name !== undefined) return named.name.getText()
  if (ts.isConstructorDeclaration(node)) return "constructor"
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText()
  return "(anonymous)"
}

/** `file:line name (N lines)` for each function of `source` longer than the cap. */
export function longFunctions(
  file: string,
  source: string,
  exceptions: ReadonlyMap<string, string> = EXCEPTIONS,
): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line
      const lines = last - first + 1
      const name = functionName(node)
      if (lines > MAX_LINES && !exceptions.has(`${file}:${name}`))
        found.push(`${file}:${first + 1} ${name} (${lines} lines)`)
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

describe("function length", () => {
  it("flags a function over 70 lines on a fixture, and accepts one of 70", () => {
    const body = (n: number): string => `function f() {\n${"  x++\n".repeat(n - 2)}}\n`
    expect(longFunctions("src/fixture.ts", body(71))).toEqual(["src/fixture.ts:1 f (71 lines)"])
    expect(longFunctions("src/fixture.ts", body(70))).toEqual([])
    expect(longFunctions("src/fixture.ts", `const g = () => {\n${"  x++\n".repeat(70)}}\n`)).toEqual([
      "src/fixture.ts:1 g (72 lines)",
    ])
    expect(longFunctions("src/fixture.ts", body(71), new Map([["src/fixture.ts:f", "a listed exception"]]))).toEqual([])
  })

  it("keeps every function under src/ and sims/ within 70 lines", () => {
    const files = [...sourceFiles("src"), ...sourceFiles("sims")].map((file) => relative(ROOT, join(ROOT, file)))
    expect(files.length).toBeGreaterThan(100)
    const long = files.flatMap((file) => longFunctions(file, readFileSync(join(ROOT, file), "utf8")))
    expect(long).toEqual([])
  })

  it("lists only exceptions that still exist", () => {
    for (const key of EXCEPTIONS.keys()) {
      const [file, name] = key.split(":") as [string, string]
      const source = readFileSync(join(ROOT, file), "utf8")
      expect(
        longFunctions(file, source, new Map()).some((line) => line.includes(` ${name} (`)),
        key,
      ).toBe(true)
    }
  })
})
