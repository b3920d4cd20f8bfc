/**
 * The run behind the playground's Run and Fork buttons: the text report as the command line
 * prints it, then one JSON run that also records the charts the `--html` report draws (the message
 * diagram from the network's trace records, the sim's own series and Gantt charts), with the same
 * runner steps as `--html` (src/cli/run-core.ts, src/cli/html-file.ts). Two runs, as on the command
 * line, where a text run computes no trace hash.
 */
import type { FlagSpecs, SimDefinition } from "../src/cli/define-sim.ts"
import { runViewOf } from "../src/cli/html-file.ts"
import { jsonReport, timeUnitOf } from "../src/cli/json-report.ts"
import { commandLineOf, makeContext, runDefinition } from "../src/cli/run-core.ts"
import { problemsOf, runSimOutput } from "../src/cli/run-json.ts"
import { MessageDiagramRecorder } from "../src/view/trace-view.ts"
import type { PageRun } from "./run-protocol.ts"

/**
 * Runs `argv` for the page: the text report, the JSON report and the charts. `onStart` is called
 * once everything the runs need is loaded (the sim, the command-line parser), right before they
 * start.
 */
export async function pageRun(
  definition: SimDefinition<FlagSpecs>,
  argv: readonly string[],
  onStart: () => void = () => {},
): Promise<PageRun> {
  const timeUnit = timeUnitOf(definition)
  const timeDecimals = definition.time?.decimals ?? 1
  const jsonArgv = argv.includes("--json") ? argv : [...argv, "--json"]
  const problems = await problemsOf(definition, jsonArgv)
  const commandLine = await commandLineOf(definition, jsonArgv)
  onStart()
  const text = await runSimOutput(definition, argv)
  const shown = text.stdout || text.stderr
  if (text.code === 2 || problems.length > 0 || commandLine.kind !== "run" || commandLine.options.quiz)
    return { text: shown, code: text.code, json: text.stderr || "no JSON report", timeUnit, timeDecimals }
  const { options, params } = commandLine
  const recorder = new MessageDiagramRecorder()
  const style = { width: options.width, ascii: options.ascii, colour: false }
  const context = makeContext(options, undefined, undefined, undefined, recorder)
  const outcome = runDefinition(definition, params, style, context)
  const json = JSON.parse(JSON.stringify(jsonReport(definition, options.seed, params, outcome))) as PageRun["json"]
  return { text: shown, code: text.code, json, view: runViewOf(outcome.view, recorder), timeUnit, timeDecimals }
}
