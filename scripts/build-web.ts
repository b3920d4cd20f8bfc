/**
 * Builds the browser playground (docs/playground.md) into a static site: `index.html` and the
 * bundled, minified JavaScript, split so the first load holds only the app and each sim is
 * fetched when it is chosen.
 *
 *   npm run build:web            (writes dist/web/)
 *   npx tsx scripts/build-web.ts --out DIR
 *
 * The sims run in the browser with the same model code as on the command line: esbuild bundles
 * `sims/<name>.ts` as they are. The few Node modules their shared runner imports are replaced by
 * browser stand-ins (`web/stubs/`): `node:crypto` by a synchronous SHA-256, so trace hashes are
 * the same as in Node, and the file, path, worker and zlib modules by stubs the playground never calls.
 * `assets/engine-math.js`, loaded before the app, gives `Math.log`, `exp`, `log10` and `pow` (and
 * `**`, which the bundle writes as `Math.pow`) Node's last bits (web/engine-math.ts).
 * The runs happen in a worker: `assets/run-worker.js`, bundled apart with the engine math, loads
 * the app bundle's runner (`run-answer`) after installing it. echarts and the chart code are a chunk
 * the app imports after the first run (web/charts.ts), so the first load does not carry them.
 * The list of sims (name and title) is read from the sims at build time, as `npm run sims` does,
 * so it cannot drift from the folder.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { gzipSync } from "node:zlib"
import { build, type Metafile, type Plugin } from "esbuild"
import { isMainModule } from "../src/cli/index.ts"
import { loadSims, simFiles } from "../sims/index.ts"

const ROOT = resolve(import.meta.dirname, "..")
const STUBS = join(ROOT, "web", "stubs")

/**
 * The site's entry points: each bundles `source` to `assets/<name>.js` (chunks shared between
 * them), and an entry with a `page` copies that HTML file to the site's root. To add a page, add an
 * entry here. `main` is the first load `measure` reports.
 */
export const WEB_ENTRIES: readonly { readonly name: string; readonly source: string; readonly page?: string }[] = [
  { name: "main", source: "web/main.ts", page: "web/index.html" },
  // The run worker's runner (web/run-worker.ts, bundled apart, imports it), fetched with the first run.
  { name: "run-answer", source: "web/run-answer.ts" },
  // The Kafka page (docs/playground.md, "The Kafka page").
  { name: "kafka", source: "web/kafka/main.ts", page: "web/kafka.html" },
]

/** Where the build goes unless told otherwise. */
export const DEFAULT_WEB_OUT = join(ROOT, "dist", "web")

/** The Node modules the bundle resolves to browser stand-ins. */
const NODE_ALIASES: Readonly<Record<string, string>> = {
  "node:crypto": join(STUBS, "node-crypto.ts"),
  "node:fs": join(STUBS, "node-builtins.ts"),
  "node:path": join(STUBS, "node-builtins.ts"),
  "node:url": join(STUBS, "node-builtins.ts"),
  "node:worker_threads": join(STUBS, "node-builtins.ts"),
  "node:zlib": join(STUBS, "node-builtins.ts"),
  // --html (refused in the page) bundles its chart client with esbuild at run time.
  esbuild: join(STUBS, "node-builtins.ts"),
}

/** What a build wrote and how much the first page load fetches. */
export interface WebBuild {
  /** The folder holding `index.html`. */
  readonly outDir: string
  /** The sims the playground lists. */
  readonly sims: readonly string[]
  /** Bytes of JavaScript the first load fetches (the engine math, the app and the chunks it imports statically). */
  readonly initialJsBytes: number
  /** The same, gzipped (each file at the default level, summed). */
  readonly initialJsGzipBytes: number
  /** Bytes of all the JavaScript written, every sim, echarts and the worker included. */
  readonly totalJsBytes: number
}

/** The module `simsys:sims`: every sim's name and title, and a loader that fetches it on demand. */
async function simListModule(): Promise<{ source: string; names: string[] }> {
  const sims = await loadSims()
  const files = simFiles()
  const entries = sims.map((sim, i) => {
    const path = JSON.stringify(join(ROOT, "sims", files[i]!))
    return `  { name: ${JSON.stringify(sim.name)}, title: ${JSON.stringify(sim.title)}, load: () => import(${path}) },`
  })
  return { source: `export const SIMS = [\n${entries.join("\n")}\n]\n`, names: sims.map((sim) => sim.name) }
}

function simListPlugin(source: string): Plugin {
  return {
    name: "simsys-sims",
    setup(builder) {
      builder.onResolve({ filter: /^simsys:sims$/ }, () => ({ path: "sims", namespace: "simsys" }))
      builder.onLoad({ filter: /.*/, namespace: "simsys" }, () => ({
        contents: source,
        loader: "js",
        resolveDir: ROOT,
      }))
    },
  }
}

/** The output files the entry loads before anything is asked for: itself and its static imports. */
function initialFiles(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path)
    }
  }
  visit(entry)
  return [...seen]
}

/** Sizes of the first load and of everything, from the build's metafile. */
function measure(metafile: Metafile, cwd: string): Omit<WebBuild, "outDir" | "sims"> {
  const main = join("web", "main.ts")
  const entry = Object.keys(metafile.outputs).find((file) => metafile.outputs[file]?.entryPoint === main)
  if (entry === undefined) throw new Error("the build wrote no entry point")
  const files = initialFiles(metafile, entry)
  const bytes = (file: string) => metafile.outputs[file]?.bytes ?? 0
  const gzip = (file: string) => gzipSync(readFileSync(join(cwd, file))).length
  const js = Object.keys(metafile.outputs).filter((file) => file.endsWith(".js"))
  return {
    initialJsBytes: files.reduce((sum, file) => sum + bytes(file), 0),
    initialJsGzipBytes: files.reduce((sum, file) => sum + gzip(file), 0),
    totalJsBytes: js.reduce((sum, file) => sum + bytes(file), 0),
  }
}

/** Options of {@link buildWeb}. */
export interface BuildWebOptions {
  /** The folder to write (emptied first). Default `dist/web/`. */
  readonly outDir?: string
  /** Minify the JavaScript. Default true. */
  readonly minify?: boolean
}

/** Builds the playground into `outDir`: `index.html`, `assets/main.js` and its chunks. */
export async function buildWeb(options: BuildWebOptions = {}): Promise<WebBuild> {
  const outDir = resolve(options.outDir ?? DEFAULT_WEB_OUT)
  const { source, names } = await simListModule()
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(WEB_ENTRIES.map((entry) => [entry.name, join(ROOT, entry.source)])),
    outdir: join(outDir, "assets"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: options.minify ?? true,
    chunkNames: "chunks/[name]-[hash]",
    alias: NODE_ALIASES,
    // `a ** b` as `Math.pow(a, b)`, which web/engine-math-install.ts replaces with Node's.
    supported: { "exponent-operator": false },
    plugins: [simListPlugin(source)],
    metafile: true,
    logLevel: "warning",
  })
  // Bundled apart, each whole: scripts that must run before any chunk of the app loads.
  const preludes = [
    { name: "engine-math", source: "web/engine-math-install.ts", format: "iife" },
    { name: "run-worker", source: "web/run-worker.ts", format: "esm" },
  ] as const
  for (const prelude of preludes) {
    await build({
      absWorkingDir: ROOT,
      entryPoints: { [prelude.name]: join(ROOT, prelude.source) },
      outdir: join(outDir, "assets"),
      bundle: true,
      format: prelude.format,
      platform: "browser",
      target: "es2022",
      minify: options.minify ?? true,
      logLevel: "warning",
    })
  }
  for (const entry of WEB_ENTRIES) {
    if (entry.page !== undefined) copyFileSync(join(ROOT, entry.page), join(outDir, basename(entry.page)))
  }
  const sizes = measure(result.metafile, ROOT)
  const math = readFileSync(join(outDir, "assets", "engine-math.js"))
  const worker = readFileSync(join(outDir, "assets", "run-worker.js"))
  return {
    outDir,
    sims: names,
    initialJsBytes: sizes.initialJsBytes + math.length,
    initialJsGzipBytes: sizes.initialJsGzipBytes + gzipSync(math).length,
    totalJsBytes: sizes.totalJsBytes + math.length + worker.length,
  }
}

/** `1,234,567 bytes (1.2 MB)`. */
function size(bytes: number): string {
  return `${bytes.toLocaleString("en-US")} bytes (${(bytes / 1e6).toFixed(2)} MB)`
}

if (isMainModule(import.meta.url)) {
  const at = process.argv.indexOf("--out")
  const built = await buildWeb(at < 0 ? {} : { outDir: process.argv[at + 1]! })
  console.log(`playground: ${built.sims.length} sims written to ${built.outDir}`)
  console.log(`first load: ${size(built.initialJsBytes)} of JavaScript, ${size(built.initialJsGzipBytes)} gzipped`)
  console.log(`all JavaScript, every sim: ${size(built.totalJsBytes)}`)
}
