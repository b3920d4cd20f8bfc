/**
 * The browser's stand-in for the Node modules the command-line side of the runner imports
 * (`node:fs`, `node:path`, `node:url`, `node:worker_threads`, `node:zlib`, and `esbuild`, which
 * `--html` uses to bundle its chart client): the playground never takes those
 * paths (no `--trace`, `--perfetto`, `--serve-metrics`, no files: a sim's own output file such as
 * goroutine-leak's gzipped `--profile` is refused before the run), but the modules that hold them
 * are shared with the CLI, so their imports must resolve. Every function here says it is not
 * available; `existsSync` answers false, so a sim that reads an input file says there is no such
 * file. The build aliases the modules to this file (scripts/build-web.ts).
 */

function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser`)
}

export const existsSync = (): boolean => false
export const readFileSync = (): never => unavailable("reading files")
export const openSync = (): never => unavailable("writing files")
export const writeSync = (): never => unavailable("writing files")
export const closeSync = (): never => unavailable("writing files")
export const rmSync = (): never => unavailable("removing files")
export const lstatSync = (): never => unavailable("reading file types")
export const realpathSync = (): never => unavailable("resolving files")
export const readdirSync = (): never => unavailable("listing folders")
export const resolve = (...parts: string[]): string => parts.join("/")
export const join = (...parts: string[]): string => parts.join("/")
export const fileURLToPath = (url: string): string => url
export const pathToFileURL = (path: string): URL => new URL(path, "file:///")
export const gzipSync = (): never => unavailable("gzip")
export const buildSync = (): never => unavailable("bundling (esbuild)")
export class Worker {
  constructor() {
    unavailable("worker threads")
  }
}
export default { existsSync, readFileSync, resolve, join }
