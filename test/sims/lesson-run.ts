/**
 * One run of a sim, rendered both ways: the text report `npx tsx sims/<name>.ts <argv>` prints and
 * the JSON object `--json` prints, from the same simulation (the text run computes the trace hash
 * too). The lessons suite checks a lesson's sentences against the JSON of the very run it
 * describes, at half the cost of running twice; it compares this with two real runs on each bare
 * command, so a sim whose text and JSON runs differ would fail there.
 */
import type { FlagSpecs, SimDefinition } from "../../src/cli/index.ts"
import { jsonReport } from "../../src/cli/json-report.ts"
import { renderReportBody, renderReportHead } from "../../src/cli/render-text.ts"
import { commandLineOf, makeContext, runDefinition } from "../../src/cli/run-core.ts"

/** The text report and the JSON report of one run. */
export interface TextAndJson {
  readonly text: string
  readonly json: string
}

/** Runs `definition` once with `argv` (a valid run command line, without `--json`). */
export async function runTextAndJson<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<TextAndJson> {
  const commandLine = await commandLineOf(definition, argv)
  if (commandLine.kind !== "run" || commandLine.options.json) throw new Error(`not a text run: ${argv.join(" ")}`)
  const { options, params } = commandLine
  const style = { width: options.width, ascii: options.ascii, colour: false }
  const context = {
    ...makeContext({ ...options, json: true }, undefined, undefined, undefined),
    output: "text" as const,
  }
  const outcome = runDefinition(definition, params, style, context)
  const text =
    renderReportHead(definition, options.seed, params, style) +
    renderReportBody(definition, options.seed, params, outcome, style)
  return { text, json: `${JSON.stringify(jsonReport(definition, options.seed, params, outcome))}\n` }
}
