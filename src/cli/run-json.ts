/**
 * The runner without Node: a sim's run from its `argv` to the text or the JSON object the command
 * line prints, for the browser playground (docs/playground.md) and for anything else that cannot
 * use files or processes. Same parser, same validation, same messages and the same model code as
 * `run-sim.ts` (both are built on `run-core.ts`); what needs Node — `--trace`, `--perfetto` and `--html`
 * files, `--realtime` pacing, `--serve-metrics` — is refused as bad input.
 */
import type { FlagSpecs, Params, SimDefinition, SimOutcome } from "./define-sim.ts"
import { flagName } from "./flag.ts"
import { type JsonReport, jsonReport } from "./json-report.ts"
import type { CommandLine, CommonOptions } from "./parse-command-line.ts"
import { renderHelp, renderQuiz, renderReportBody, renderReportHead } from "./render-text.ts"
import {
  badInputLines,
  degenerateInputLine,
  commandLineOf,
  estimateWithinBudget,
  EXIT_CODE,
  makeContext,
  refusalLines,
  runDefinition,
} from "./run-core.ts"
import { styleOptionsOfArgv, type TextStyle } from "./text-style.ts"

/** What a run printed, as the command line would: its exit code, stdout and stderr. */
export interface SimOutput {
  /** The exit code `npx tsx sims/<name>.ts <argv>` ends with (see `EXIT_CODE`). */
  readonly code: number
  /** The report (text, or one JSON object and a newline), help or quiz. */
  readonly stdout: string
  /** The messages: one line per problem, each starting with the sim's name. */
  readonly stderr: string
}

/** A run that did not produce a report: bad input (exit 2) or a bug (exit 1), with the command line's messages. */
export class SimRunError extends Error {
  constructor(
    /** The exit code the command line ends with. */
    readonly code: number,
    /** What the command line prints on stderr. */
    readonly stderr: string,
  ) {
    super(stderr.trimEnd())
    this.name = "SimRunError"
  }
}

/** The common flags that need Node, with what they would have done. */
const NODE_ONLY: readonly (readonly [keyof CommonOptions, string])[] = [
  ["trace", "--trace writes a file"],
  ["perfetto", "--perfetto writes a file"],
  ["html", "--html writes a file"],
  ["realtime", "--realtime paces the run against the wall clock"],
  ["serveMetrics", "--serve-metrics serves HTTP"],
]

/**
 * The problems of a run that asks for something only the command line can do: a common flag of
 * {@link NODE_ONLY}, or a sim's own output file (`flag.outputFile`, e.g. `--pcap`) given a path.
 */
function nodeOnlyProblems<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  params: Params<F>,
): string[] {
  const files = Object.entries(definition.flags)
    .filter(([key, spec]) => spec.writesFile && (params as Record<string, unknown>)[key] !== "")
    .map(([key, spec]) => `--${flagName(key, spec)} writes a file`)
  const common = NODE_ONLY.filter(([key]) => options[key] !== undefined).map(([, what]) => what)
  return [...common, ...files].map(
    (what) => `${what}, which the browser cannot do; run npx tsx sims/${definition.name}.ts with it instead`,
  )
}

/** Lines prefixed with the sim's name, as the command line prints them on stderr. */
function messages<F extends FlagSpecs>(definition: SimDefinition<F>, lines: readonly string[]): string {
  return lines.map((line) => `${definition.name}: ${line}\n`).join("")
}

/**
 * The lines (without the sim's name) that the command line would answer `argv` with on stderr
 * before running — bad input, the sim's refusal, the budget — or none when it would run.
 * @throws Error (a bug in the sim) when a default is not allowed by its own flag
 */
export async function problemsOf<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<string[]> {
  const commandLine = await commandLineOf(definition, argv)
  return problemsOfCommandLine(definition, commandLine) ?? []
}

function problemsOfCommandLine<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  commandLine: CommandLine<F>,
): string[] | undefined {
  if (commandLine.kind === "help") return undefined
  if (commandLine.kind === "bad-input") return badInputLines(definition, commandLine.problems)
  const { options, params } = commandLine
  const nodeOnly = nodeOnlyProblems(definition, options, params)
  if (nodeOnly.length > 0) return badInputLines(definition, nodeOnly)
  const refused = refusalLines(definition, options, params)
  if (refused !== undefined) return refused
  if (options.quiz) return undefined
  const estimate = estimateWithinBudget(definition, options, params)
  return typeof estimate === "string" ? [estimate] : undefined
}

/**
 * Runs `definition` with `argv` as `npx tsx sims/<name>.ts <argv>` would, without colour, and
 * resolves to what it prints and its exit code; never rejects.
 */
export async function runSimOutput<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<SimOutput> {
  try {
    const commandLine = await commandLineOf(definition, argv)
    const problems = problemsOfCommandLine(definition, commandLine)
    if (problems !== undefined) return { code: EXIT_CODE.badInput, stdout: "", stderr: messages(definition, problems) }
    if (commandLine.kind === "help") {
      const stdout = renderHelp(definition, { ...styleOptionsOfArgv(argv), colour: false })
      return { code: EXIT_CODE.ok, stdout, stderr: "" }
    }
    if (commandLine.kind !== "run") throw new Error("a bad command line has problems")
    const { options, params } = commandLine
    const style: TextStyle = { width: options.width, ascii: options.ascii, colour: false }
    if (options.quiz)
      return { code: EXIT_CODE.ok, stdout: renderQuiz(definition, options.seed, params, style), stderr: "" }
    let outcome: SimOutcome
    try {
      outcome = runDefinition(definition, params, style, makeContext(options, undefined, undefined, undefined))
    } catch (error) {
      // As on the command line: a flag so close to 0 that a time overflowed is bad input.
      const degenerate = degenerateInputLine(definition, params, error)
      if (degenerate === undefined) throw error
      return { code: EXIT_CODE.badInput, stdout: "", stderr: messages(definition, [degenerate]) }
    }
    const stdout = options.json
      ? `${JSON.stringify(jsonReport(definition, options.seed, params, outcome))}\n`
      : renderReportHead(definition, options.seed, params, style) +
        renderReportBody(definition, options.seed, params, outcome, style)
    const failed = options.strict && outcome.checks.some((check) => !check.held)
    return { code: failed ? EXIT_CODE.checkFailed : EXIT_CODE.ok, stdout, stderr: "" }
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
    const stderr = `${definition.name}: internal error (a bug, please report it with the command line):\n${text}\n`
    return { code: EXIT_CODE.bug, stdout: "", stderr }
  }
}

/**
 * The JSON object `npx tsx sims/<name>.ts <argv> --json` prints (`--json` is added when `argv`
 * lacks it). Rejects with a {@link SimRunError} holding the command line's messages when it would
 * print none (bad input, a refused run, `--help`, `--quiz`, a bug).
 */
export async function runSimJson<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<JsonReport> {
  const output = await runSimOutput(definition, argv.includes("--json") ? argv : [...argv, "--json"])
  if (output.code === EXIT_CODE.badInput || output.code === EXIT_CODE.bug || !output.stdout.startsWith("{")) {
    throw new SimRunError(output.code, output.stderr || `${definition.name}: ${argv.join(" ")} prints no JSON report\n`)
  }
  return JSON.parse(output.stdout) as JsonReport
}
