/**
 * The list of sims: `npm run sims` (or `npx tsx sims`) prints every sim in this folder with its
 * one-line question, read from each sim's own definition (its `title`), so the list never drifts
 * from the sims themselves.
 *
 * Every `sims/<name>.ts` except this file is a sim whose default export is its definition.
 */
import { readdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { exitOnStreamError, type FlagSpecs, isMainModule, renderTable, type SimDefinition } from "../src/cli/index.ts"
import { DEFAULT_WIDTH, wrapLines } from "../src/cli/wrap-text.ts"

/** The file names of every sim in this folder, sorted. */
export function simFiles(): string[] {
  return readdirSync(import.meta.dirname)
    .filter((file) => file.endsWith(".ts") && file !== "index.ts")
    .sort()
}

/** Every sim's definition, in file-name order. */
export async function loadSims(): Promise<SimDefinition<FlagSpecs>[]> {
  const sims: SimDefinition<FlagSpecs>[] = []
  for (const file of simFiles()) sims.push((await import(pathToFileURL(join(import.meta.dirname, file)).href)).default)
  return sims
}

/** The listing: one row per sim (name and the question it answers), then how to run one. */
export function renderSimList(sims: readonly SimDefinition<FlagSpecs>[], width = DEFAULT_WIDTH): string {
  const rows = sims.map((sim) => [sim.name, sim.title])
  const table = renderTable([{ header: "sim" }, { header: "what it asks" }], rows, { maxWidth: width - 2 })
  const lines = [
    `${sims.length} sims, each a runnable lesson:`,
    "",
    ...table.map((line) => `  ${line}`),
    "",
    "Run one: npx tsx sims/<sim>.ts  (add --help for its flags and what to try, --quiz to predict first)",
  ]
  return `${wrapLines(lines, width).join("\n")}\n`
}

/** True when node was started on this file, or on this folder (`npx tsx sims` resolves it to index.ts). */
function startedHere(): boolean {
  const script = process.argv[1]
  return isMainModule(import.meta.url) || (script !== undefined && resolve(script) === import.meta.dirname)
}

if (startedHere()) {
  exitOnStreamError(process.stdout, "sims")
  process.stdout.write(renderSimList(await loadSims()))
}
