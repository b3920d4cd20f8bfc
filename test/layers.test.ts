/**
 * Dependencies point down only: a module may import from its own layer and the layers below it,
 * never from a layer above. The layers, bottom first (the README's diagram):
 *
 *   kernel → net → check core → models → check → view → cli → sims
 *
 * The view (`src/view`, HTML reports and their charts) sits above the models and below the runner:
 * it reads a run's report and trace records, and no model or kernel module may import it (so no
 * browser or DOM code reaches them).
 *
 * Imports are read by TypeScript's own import scanner (`ts.preProcessFile`), so type-only imports,
 * re-exports and dynamic `import()` count too, and comments or strings never do. The rule is first shown to fail on
 * fixtures, so a broken scanner cannot pass silently.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const ROOT = join(import.meta.dirname, "..")

/** The layers, bottom first: a path prefix and the name a failure message uses. */
const LAYERS: readonly { readonly prefix: string; readonly name: string }[] = [
  { prefix: "src/kernel/", name: "kernel" },
  { prefix: "src/net/", name: "net" },
  { prefix: "src/check/core/", name: "check core" },
  { prefix: "src/models/", name: "models" },
  { prefix: "src/check/", name: "check" },
  { prefix: "src/view/", name: "view" },
  { prefix: "src/cli/", name: "cli" },
  { prefix: "sims/", name: "sims" },
]

/** The layer index of a repository-relative path, or -1 outside the layers (tests, bench, packages). */
export function layerOf(path: string): number {
  return LAYERS.findIndex((layer) => path.startsWith(layer.prefix))
}

/** The module specifiers a source file imports, re-exports or loads dynamically, with their lines. */
function importsOf(source: string): { readonly specifier: string; readonly line: number }[] {
  const info = ts.preProcessFile(source, true, true)
  const lineOf = (position: number) => source.slice(0, position).split("\n").length
  return info.importedFiles.map((file) => ({ specifier: file.fileName, line: lineOf(file.pos) }))
}

/** Every import of `file` that points up a layer, as `file:line imports target (layer → layer)`. */
export function upwardImports(file: string, source: string): string[] {
  const from = layerOf(file)
  if (from < 0) return []
  return importsOf(source).flatMap(({ specifier, line }) => {
    if (!specifier.startsWith(".")) return []
    const target = normalize(join(dirname(file), specifier))
      .split("\\")
      .join("/")
    const to = layerOf(target)
    if (to <= from) return []
    return [`${file}:${line} imports ${target} (${LAYERS[from]!.name} may not import ${LAYERS[to]!.name})`]
  })
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split("\\").join("/"))
}

describe("layers (on fixtures)", () => {
  it("places paths in their layer, the check core below models and the rest of check above", () => {
    expect(
      [
        "src/kernel/event.ts",
        "src/check/core/index.ts",
        "src/models/kafka/broker.ts",
        "src/check/explore.ts",
        "src/view/run-view.ts",
        "sims/x.ts",
        "test/x.ts",
      ].map(layerOf),
    ).toEqual([0, 2, 3, 4, 5, 7, -1])
  })

  it("flags an upward import, a type-only one, a re-export and a dynamic import, with their lines", () => {
    const source = [
      'import { checkLog } from "../../check/log-checker.ts"',
      'import type { SimOutcome } from "../../cli/define-sim.ts"',
      'export { run } from "../../../sims/mm-queue.ts"',
      'const later = () => import("../../check/explore.ts")',
      '// import { x } from "../../cli/index.ts" (a comment is not an import)',
    ].join("\n")

    expect(upwardImports("src/models/kafka/x.ts", source)).toEqual([
      "src/models/kafka/x.ts:1 imports src/check/log-checker.ts (models may not import check)",
      "src/models/kafka/x.ts:2 imports src/cli/define-sim.ts (models may not import cli)",
      "src/models/kafka/x.ts:3 imports sims/mm-queue.ts (models may not import sims)",
      "src/models/kafka/x.ts:4 imports src/check/explore.ts (models may not import check)",
    ])
  })

  it("flags a model importing the view, and accepts the runner importing it", () => {
    const source = 'import type { RunView } from "../../view/run-view.ts"'

    expect(upwardImports("src/models/kafka/x.ts", source)).toEqual([
      "src/models/kafka/x.ts:1 imports src/view/run-view.ts (models may not import view)",
    ])
    expect(upwardImports("src/cli/x/y.ts", source)).toEqual([])
  })

  it("accepts imports of the same layer, the layers below and packages", () => {
    const source = [
      'import { Simulation } from "../../kernel/index.ts"',
      'import type { CheckResult } from "../../check/core/index.ts"',
      'import { Network } from "../../net/network.ts"',
      'import { Broker } from "./broker.ts"',
      'import fc from "fast-check"',
    ].join("\n")

    expect(upwardImports("src/models/kafka/x.ts", source)).toEqual([])
  })
})

describe("layers: the repository", () => {
  const files = [...sourceFiles("src"), ...sourceFiles("sims")]

  it("scans every layer", () => {
    const seen = new Set(files.map(layerOf))

    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it("has no import that points up a layer", () => {
    const upward = files.flatMap((file) => upwardImports(file, readFileSync(join(ROOT, file), "utf8")))

    expect(upward).toEqual([])
  })
})
