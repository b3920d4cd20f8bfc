/**
 * Every sim bundled with esbuild into plain JavaScript, once per test run, so a test that spawns a
 * sim as a child process pays about 0.2 s of CPU instead of about 1.5 s: under tsx most of a
 * spawn's cost is loading every module (effect's ~200 among them) through tsx's loader thread.
 *
 * {@link bundleSims} builds `sims/<name>.ts` (every sim, not the listing `sims/index.ts`, which
 * imports its sims by file name at run time) and `test/sims/report-usage.ts` into a folder, as ES
 * modules sharing chunks. The bundle behaves as the sim does under `npx tsx sims/<name>.ts`:
 *
 * - `import.meta.url`, `import.meta.dirname` and `import.meta.filename` in each source file are
 *   replaced by that source file's own values, so code that finds files next to itself (the HTML
 *   report's client, bundled at run time by src/view/bundle-report-client.ts) finds them;
 * - `process.argv[1]` is set to the sim's source file before the sim's own code runs, so
 *   `runMain(sim, import.meta.url)` sees the file it was started on, as under tsx (it compares the
 *   two). Imported modules are evaluated before that line, as they are before any line of the sim;
 *   none reads `process.argv` while it is loaded;
 * - `esbuild` stays a package of the repository (resolved to its absolute path): it finds its own
 *   binary next to itself.
 *
 * A build error rejects (the test run stops), never a silent fallback to tsx. The global setup
 * (bundle-setup.ts) builds into a fresh folder under the OS temp dir per run and removes it after;
 * tests spawn a sim with `simCommand` (sim-command.ts). sim-bundle.test.ts checks the bundle against
 * tsx, byte for byte.
 */
import { build, type Metafile, type Plugin } from "esbuild"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"

/** The repository's root. */
export const ROOT = join(import.meta.dirname, "..", "..")

/** The bundle's preload that prints the process's CPU and memory at exit (see report-usage.ts). */
export const REPORT_USAGE = "report-usage"

/** The name of every sim in `sims/` (its file name without `.ts`), sorted; not the listing index.ts. */
export function bundledSimNames(root = ROOT): string[] {
  return readdirSync(join(root, "sims"))
    .filter((file) => file.endsWith(".ts") && file !== "index.ts")
    .map((file) => file.slice(0, -3))
    .sort()
}

/** `import.meta.<key>` of the source file at `path`, as a JavaScript string literal. */
function importMetaOf(path: string, key: string): string {
  const value = key === "url" ? pathToFileURL(path).href : key === "dirname" ? dirname(path) : path
  return JSON.stringify(value)
}

/** The plugin that keeps each source file's `import.meta`, sets `argv[1]` in entries and keeps esbuild external. */
function asUnderTsx(entries: ReadonlySet<string>, esbuildMain: string): Plugin {
  return {
    name: "as-under-tsx",
    setup(builder) {
      builder.onResolve({ filter: /^esbuild$/ }, () => ({ path: esbuildMain, external: true }))
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes("/node_modules/")) return undefined
        const source = readFileSync(args.path, "utf8")
        const contents = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) =>
          importMetaOf(args.path, key),
        )
        // On the first line, so the sim's line numbers stay its own.
        const argv = entries.has(args.path) ? `process.argv[1] = ${JSON.stringify(args.path)}; ` : ""
        return { contents: argv + contents, loader: "ts" }
      })
    },
  }
}

/** Options of {@link bundleSims}. */
export interface BundleOptions {
  /** The folder whose `sims/` is bundled. Default: the repository's root. */
  readonly root?: string
  /** The sims to bundle, by name. Default: every sim in `<root>/sims` ({@link bundledSimNames}). */
  readonly names?: readonly string[]
}

/**
 * Bundles `<root>/sims/<name>.ts` for each of `names` (default: every sim) and
 * test/sims/report-usage.ts into `outdir` as `<name>.mjs` and `report-usage.mjs` (plus shared
 * chunks), and writes the module graph (esbuild's metafile, paths relative to `root`) as
 * `meta.json`. Rejects on any build error or warning.
 */
export async function bundleSims(outdir: string, options: BundleOptions = {}): Promise<void> {
  const root = options.root ?? ROOT
  const sims = (options.names ?? bundledSimNames(root)).map((name) => [name, join(root, "sims", `${name}.ts`)] as const)
  const entryPoints = Object.fromEntries([...sims, [REPORT_USAGE, join(import.meta.dirname, "report-usage.ts")]])
  const esbuildMain = createRequire(import.meta.url).resolve("esbuild")
  const result = await build({
    entryPoints,
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    plugins: [asUnderTsx(new Set(sims.map(([, path]) => path)), esbuildMain)],
    metafile: true,
    logLevel: "silent",
  })
  if (result.warnings.length > 0)
    throw new Error(`bundling the sims: ${result.warnings.map((warning) => warning.text).join("; ")}`)
  writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile))
}

/**
 * How many modules (source files and packages' files) `sims/<name>.ts` loads, from the bundle's
 * module graph: what tsx would load one by one, static and dynamic imports alike.
 */
export function modulesLoadedBy(name: string, dir: string): number {
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as Metafile
  const entry = `sims/${name}.ts`
  if (meta.inputs[entry] === undefined) throw new Error(`${entry} is not in the bundle ${dir}`)
  const seen = new Set<string>([entry])
  const pending = [entry]
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    for (const imported of meta.inputs[input]!.imports) {
      if (imported.external || seen.has(imported.path)) continue
      seen.add(imported.path)
      pending.push(imported.path)
    }
  }
  return seen.size
}
