/**
 * The page's side of the run worker (web/run-worker.ts): {@link RunClient.request} posts a run and
 * resolves to the worker's answer; {@link RunClient.cancel} terminates the worker, which ends every
 * run in it at once, and rejects what was pending. The next request starts a new worker.
 */
import type { JsonReport } from "../src/cli/json-report.ts"
import type { PageRun, RunRequest, RunResponse } from "./run-protocol.ts"

/** The message a cancelled run rejects with. */
export const CANCELLED = "cancelled"

type Pending = {
  resolve: (value: JsonReport | PageRun) => void
  reject: (error: Error) => void
  started?: () => void
}

/** Runs sims in a worker, one worker at a time. */
export class RunClient {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  /** The JSON report of `name` with `argv` (rejects with the command line's messages). */
  json(name: string, argv: readonly string[]): Promise<JsonReport> {
    return this.request({ id: this.nextId++, op: "json", name, argv: [...argv] }) as Promise<JsonReport>
  }

  /**
   * The text report, the JSON report and the charts of `name` with `argv`; `started` is called
   * when the sim is loaded and the runs start.
   */
  page(name: string, argv: readonly string[], started?: () => void): Promise<PageRun> {
    return this.request({ id: this.nextId++, op: "page", name, argv: [...argv] }, started) as Promise<PageRun>
  }

  /** Ends every pending run (they reject with {@link CANCELLED}). */
  cancel(): void {
    this.worker?.terminate()
    this.worker = undefined
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const run of pending) run.reject(new Error(CANCELLED))
  }

  private request(request: RunRequest, started?: () => void): Promise<JsonReport | PageRun> {
    const worker = this.start()
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, ...(started === undefined ? {} : { started }) })
      worker.postMessage(request)
    })
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker
    const worker = new Worker(new URL("./run-worker.js", import.meta.url), { type: "module" })
    worker.onmessage = (event: MessageEvent<RunResponse>) => {
      const response = event.data
      const run = this.pending.get(response.id)
      if (run === undefined) return
      if ("started" in response) return run.started?.()
      this.pending.delete(response.id)
      if (response.ok) run.resolve(response.value)
      else run.reject(new Error(response.message))
    }
    worker.onerror = (event) => {
      event.preventDefault()
      const pending = [...this.pending.values()]
      this.pending.clear()
      for (const run of pending) run.reject(new Error(`the run worker failed: ${event.message}`))
    }
    this.worker = worker
    return worker
  }
}
