/**
 * The messages between the playground page and its run worker (web/run-worker.ts): the page asks
 * for a run by id, the worker answers each id once. Plain data only (they cross `postMessage`).
 */
import type { JsonReport } from "../src/cli/json-report.ts"
import type { RunView } from "../src/view/run-view.ts"

/** What the page asks the worker for. */
export type RunRequest =
  /** The JSON object `npx tsx sims/<name>.ts <argv> --json` prints (`window.simsys.run`). */
  | { readonly id: number; readonly op: "json"; readonly name: string; readonly argv: readonly string[] }
  /** The text report, then a JSON run with the charts' data (the page's Run and Fork). */
  | { readonly id: number; readonly op: "page"; readonly name: string; readonly argv: readonly string[] }

/** What a run for the page gives: the text report, the JSON report and the charts. */
export interface PageRun {
  /** What the command line prints on stdout (the report), or on stderr when it printed no report. */
  readonly text: string
  /** The command line's exit code for the text run. */
  readonly code: number
  /** The JSON report, or the command line's messages when there is none. */
  readonly json: JsonReport | string
  /** The charts of the run (what `--html` draws), when it ran. */
  readonly view?: RunView
  /** The unit of every time in the charts, e.g. `"ms"`. */
  readonly timeUnit: string
  /** Digits after the decimal point when a time is shown. */
  readonly timeDecimals: number
}

/** The worker's answer to request `id`, after a `started` notice for a page run. */
export type RunResponse =
  /** The run's sim and parser are loaded and the runs start now. */
  | { readonly id: number; readonly started: true }
  | { readonly id: number; readonly ok: true; readonly value: JsonReport | PageRun }
  | { readonly id: number; readonly ok: false; readonly message: string }
