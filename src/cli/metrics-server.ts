/**
 * `--serve-metrics PORT`: the running sim's metrics at `http://127.0.0.1:PORT/metrics`, in the
 * Prometheus text exposition format (version 0.0.4), so a real Prometheus (and Grafana behind it)
 * can scrape a lesson while it runs (docs/live-metrics.md).
 *
 * A run is synchronous: while it runs, the process's event loop does not turn, so an HTTP server on
 * the main thread could not answer. The server therefore lives in a worker thread with its own event
 * loop; the runner publishes the current exposition text to it with `postMessage` (delivered
 * whatever the main thread is doing), and every request gets the latest text published. The worker
 * is written as plain JavaScript and started with `eval`, so it loads the same way under `tsx`,
 * vitest or a bundler.
 *
 * Routes: `GET /metrics` (and `HEAD`): the text, `Content-Type: text/plain; version=0.0.4`;
 * `GET /`: a line saying where the metrics are; anything else 404, other methods 405.
 */
import { Worker } from "node:worker_threads"

/** The address the server listens on: the local machine only. */
export const METRICS_HOST = "127.0.0.1"

/** A running metrics server. */
export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number
  /** Replaces the text every following request gets. */
  publish(text: string): void
  /** Stops serving; resolves when the worker has ended. */
  close(): Promise<void>
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads")
const http = require("node:http")
let body = workerData.initial
parentPort.on("message", (text) => { body = text })
const server = http.createServer((request, response) => {
  const path = (request.url || "/").split("?")[0]
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" })
    response.end("only GET and HEAD\\n")
    return
  }
  if (path === "/metrics") {
    response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" })
    response.end(request.method === "HEAD" ? undefined : body)
    return
  }
  if (path === "/") {
    response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" })
    response.end(request.method === "HEAD" ? undefined : workerData.banner + " metrics: /metrics\\n")
    return
  }
  response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
  response.end("not found: the metrics are at /metrics\\n")
})
server.on("error", (error) => parentPort.postMessage({ error: error.code || error.message }))
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ listening: server.address().port }))
`

/** Why a port cannot be served, in words. */
function reasonOf(code: string): string {
  if (code === "EADDRINUSE") return "the port is in use (EADDRINUSE); choose another, or stop what listens on it"
  if (code === "EACCES") return "permission denied (EACCES); ports below 1024 need privileges, choose 1024 or above"
  return code
}

/**
 * Starts serving `initial` at `http://127.0.0.1:port/metrics`; resolves to the server, or to the
 * sentence that says why the port cannot be served (in use, no permission).
 * @param banner the first words of the `/` page (the sim's name)
 */
export async function startMetricsServer(
  port: number,
  initial: string,
  banner: string,
): Promise<MetricsServer | string> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port, host: METRICS_HOST, initial, banner } })
  const answer = await new Promise<{ listening?: number; error?: string }>((resolve, reject) => {
    worker.once("message", resolve)
    worker.once("error", reject)
  })
  if (answer.listening === undefined) {
    await worker.terminate()
    return `cannot serve --serve-metrics ${port}: ${reasonOf(answer.error ?? "unknown error")}`
  }
  worker.unref()
  return {
    port: answer.listening,
    publish: (text) => worker.postMessage(text),
    close: async () => {
      await worker.terminate()
    },
  }
}
