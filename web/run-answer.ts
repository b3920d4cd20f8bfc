/**
 * What the run worker (web/run-worker.ts) does with a request: loads the sim once and runs it with
 * the same runner as the command line (`window.simsys.run`'s JSON, or the page's text, JSON and
 * charts).
 */
import { runSimJson } from "../src/cli/run-json.ts"
import { pageRun } from "./page-run.ts"
import { definitionOf } from "./sim-definitions.ts"
import type { RunRequest, RunResponse } from "./run-protocol.ts"

/** The worker's answer to `request`: the run's result, or the message it failed with. */
export async function answer(request: RunRequest, notify: (notice: RunResponse) => void): Promise<RunResponse> {
  try {
    const definition = await definitionOf(request.name)
    const value =
      request.op === "json"
        ? await runSimJson(definition, request.argv)
        : await pageRun(definition, request.argv, () => notify({ id: request.id, started: true }))
    return { id: request.id, ok: true, value }
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
