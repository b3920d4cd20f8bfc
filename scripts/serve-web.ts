/**
 * Builds the browser playground and serves it on this machine (docs/playground.md):
 *
 *   npm run playground                 (http://127.0.0.1:8080/)
 *   npm run playground -- --port 9000
 *
 * A plain static file server (node:http) for the folder `scripts/build-web.ts` writes; every run
 * happens in the browser, the server only hands out files. `--port 0` takes any free port.
 */
import { createReadStream, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { extname, join, normalize, resolve, sep } from "node:path"
import { isMainModule } from "../src/cli/index.ts"
import { buildWeb, DEFAULT_WEB_OUT } from "./build-web.ts"

/** The port `npm run playground` serves on unless `--port` says otherwise. */
export const DEFAULT_PORT = 8080

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
}

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string
  /** Stops serving. */
  close(): Promise<void>
}

/** The file under `root` a request path names (a folder names its index.html), or undefined outside `root`. */
function fileFor(root: string, urlPath: string): string | undefined {
  const path = decodeURIComponent(urlPath.split("?")[0]!.split("#")[0]!)
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path))
  return file === root || file.startsWith(root + sep) ? file : undefined
}

function handler(root: string): Parameters<typeof createServer>[1] {
  return (request, response) => {
    const file = fileFor(root, request.url ?? "/")
    let found = false
    try {
      found = file !== undefined && statSync(file).isFile()
    } catch {
      found = false
    }
    if (!found) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n")
      return
    }
    const type = CONTENT_TYPES[extname(file!)] ?? "application/octet-stream"
    response.writeHead(200, { "content-type": type, "cache-control": "no-cache" })
    createReadStream(file!).pipe(response)
  }
}

/**
 * Serves the files under `dir` at http://127.0.0.1:`port`/ (`0`: any free port).
 * Rejects when the port cannot be listened on (in use, not allowed).
 */
export function serveStatic(dir: string, port: number): Promise<StaticServer> {
  const root = resolve(dir)
  const server: Server = createServer(handler(root))
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      const address = server.address()
      const bound = typeof address === "object" && address !== null ? address.port : port
      resolvePromise({
        url: `http://127.0.0.1:${bound}/`,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}

/** The `--port` of the command line, or the sentence that says why it is not a port. */
function portOf(argv: readonly string[]): number | string {
  const at = argv.findIndex((arg) => arg === "--port" || arg.startsWith("--port="))
  if (at < 0) return DEFAULT_PORT
  const text = argv[at]!.startsWith("--port=") ? argv[at]!.slice("--port=".length) : argv[at + 1]
  const port = Number(text)
  if (text === undefined || !/^\d+$/.test(text) || port > 65535) {
    return `bad value for --port: ${text ?? "(missing)"}; allowed: an integer from 0 to 65535`
  }
  return port
}

if (isMainModule(import.meta.url)) {
  const port = portOf(process.argv.slice(2))
  if (typeof port === "string") {
    process.stderr.write(`playground: ${port}\n`)
    process.exit(2)
  }
  const built = await buildWeb({ outDir: DEFAULT_WEB_OUT })
  try {
    const server = await serveStatic(built.outDir, port)
    console.log(`playground: ${built.sims.length} sims at ${server.url} (Ctrl-C stops it)`)
  } catch (error) {
    process.stderr.write(`playground: cannot serve on port ${port}: ${(error as Error).message}\n`)
    process.exit(2)
  }
}
