/**
 * The text a learner reads: the help page, the quiz, and the report of a run.
 *
 * A report always has the same shape, for every sim: title, the resolved inputs (every param, so
 * a pasted transcript replays), the timeline, the sim's sections (tables, sparklines, lessons),
 * the check verdicts, and last the `seed=N  rerun: ...` line. Nothing here reads a clock or prints
 * an object identity, so the same run always gives the same bytes (golden files rely on it).
 */
import { DEFAULT_SEED, type FlagSpecs, type Params, SEED_MAX, type SimDefinition, type SimOutcome } from "./define-sim.ts"
import { flagName } from "./flag.ts"
import { renderChecks } from "./render-checks.ts"
import { rerunCommand, rerunLine } from "./rerun-line.ts"
import { type TableColumn, renderTable } from "./table.ts"
import { renderTimeline } from "./timeline.ts"

const INDENT = "  "

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => (line === "" ? "" : INDENT + line))
}

/** Lays out rows as columns without a header (for inputs and help). */
function columns(rows: readonly (readonly string[])[]): string[] {
  const spec: TableColumn[] = (rows[0] ?? []).map(() => ({ header: "" }))
  return renderTable(spec, rows).slice(2)
}

/** The first line of every output: `<name> — <title>`. */
export function titleLine<F extends FlagSpecs>(definition: SimDefinition<F>): string {
  return `${definition.name} — ${definition.title}`
}

/** The echoed inputs: the seed, then every sim param with its value and meaning. */
export function renderInputs<F extends FlagSpecs>(definition: SimDefinition<F>, seed: number, params: Params<F>): string[] {
  const rows: string[][] = [["--seed", String(seed), "seed of every random stream"]]
  for (const [key, spec] of Object.entries(definition.flags)) {
    const unit = spec.unit === undefined ? "" : ` (${spec.unit})`
    rows.push([`--${flagName(key, spec)}`, String(params[key as keyof Params<F>]), spec.description + unit])
  }
  return ["Inputs", ...indent(columns(rows))]
}

/** The scenario block of `--help` and `--quiz`. */
function renderHeader<F extends FlagSpecs>(definition: SimDefinition<F>, withTry: boolean): string[] {
  const rows = [
    ["Covers:", definition.header.covers],
    ["Scenario:", definition.header.scenario],
  ]
  if (withTry) {
    definition.header.try.forEach((fragment, i) => rows.push([i === 0 ? "Try:" : "", `npx tsx sims/${definition.name}.ts ${fragment}`]))
  }
  return columns(rows)
}

/** The `--help` page: the story, usage, every flag with its meaning, unit, allowed values and default. */
export function renderHelp<F extends FlagSpecs>(definition: SimDefinition<F>): string {
  const simRows: string[][] = []
  for (const [key, spec] of Object.entries(definition.flags)) {
    const meta = spec.kind === "boolean" ? "" : ` <${spec.kind === "choice" ? "word" : spec.kind}>`
    const unit = spec.unit === undefined ? "" : ` (${spec.unit})`
    simRows.push([`--${flagName(key, spec)}${meta}`, `${spec.description}${unit}; ${spec.allowed}; default ${String(spec.default)}`])
  }
  const commonRows = [
    ["--seed <integer>", `seed of every random stream; an integer from 0 to ${SEED_MAX}; default ${DEFAULT_SEED}`],
    ["--json", "print exactly one JSON object on stdout (the report) and nothing else"],
    ["--trace <file>", "also write the trace to <file>, one JSON record per line"],
    ["--strict", "exit with code 3 when a check did not hold"],
    ["--quiz", "print the scenario and a question to answer before running it"],
    ["--help, -h", "show this help"],
  ]
  const lines = [
    titleLine(definition),
    "",
    ...renderHeader(definition, true),
    "",
    `Usage: npx tsx sims/${definition.name}.ts [--seed N] [--json] [--trace FILE] [--strict] [--quiz] [--help] [sim flags]`,
    "",
    "Sim flags:",
    ...indent(columns(simRows)),
    "",
    "Common flags:",
    ...indent(columns(commonRows)),
    "",
    "Exit codes: 0 the run completed, whatever the checks say; 1 a bug (the stack is on stderr);",
    "            2 bad input (nothing on stdout); 3 a check did not hold and --strict was given.",
  ]
  return `${lines.join("\n")}\n`
}

/** The `--quiz` page: the story, the inputs, the question, and how to check the answer. */
export function renderQuiz<F extends FlagSpecs>(definition: SimDefinition<F>, seed: number, params: Params<F>): string {
  const lines = [
    titleLine(definition),
    "",
    ...renderHeader(definition, false),
    "",
    ...renderInputs(definition, seed, params),
    "",
    "Question",
    ...indent(definition.quiz(params, seed).split("\n")),
    "",
    `Predict, then check: ${rerunCommand(definition, seed, params)}`,
  ]
  return `${lines.join("\n")}\n`
}

/** The start of a text report, printed before the run: title and inputs. */
export function renderReportHead<F extends FlagSpecs>(definition: SimDefinition<F>, seed: number, params: Params<F>): string {
  return `${[titleLine(definition), "", ...renderInputs(definition, seed, params)].join("\n")}\n`
}

/** The rest of a text report, after the run: timeline, sections, checks, rerun line. */
export function renderReportBody<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  outcome: SimOutcome,
): string {
  const lines: string[] = []
  if (outcome.timeline !== undefined) {
    lines.push("", outcome.timeline.title, ...indent(renderTimeline(outcome.timeline.entries, definition.time)))
  }
  for (const section of outcome.sections ?? []) lines.push("", section.title, ...indent(section.lines))
  lines.push("", "Checks", ...indent(renderChecks(outcome.checks)), "", rerunLine(definition, seed, params))
  return `${lines.join("\n")}\n`
}
