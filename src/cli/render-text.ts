/**
 * The text a learner reads: the help page, the quiz, and the report of a run.
 *
 * A report always has the same shape, for every sim: title, the resolved inputs (every param, so
 * a pasted transcript replays), the timeline, the sim's sections (tables, sparklines, lessons),
 * the check verdicts, and last the `seed=N  rerun: ...` line. Nothing here reads a clock or prints
 * an object identity, so the same run always gives the same bytes (golden files rely on it).
 *
 * Every page is drawn in a {@link TextStyle}: lines wrap to its width (see `wrap-text.ts`; the
 * rerun line wraps with shell continuations so it still pastes as one command), `--ascii` spells
 * out block and Greek characters (see `ascii-text.ts`), and verdicts are in colour on a terminal.
 * Lines are gathered with loops, never `push(...lines)`: a section may hold hundreds of thousands
 * of lines, more than a spread's arguments fit on the stack.
 */
import { asciiLine } from "./ascii-text.ts"
import {
  DEFAULT_SEED,
  type FlagSpecs,
  type Params,
  SEED_MAX,
  type SimDefinition,
  type SimOutcome,
  type TimeFormat,
} from "./define-sim.ts"
import { type FlagSpec, flagName } from "./flag.ts"
import { timeUnitOf } from "./json-report.ts"
import { paintVerdict, renderChecks } from "./render-checks.ts"
import { rerunCommand, rerunLine } from "./rerun-line.ts"
import { type TableColumn, renderTable } from "./table.ts"
import { PLAIN_STYLE, type TextStyle, WIDTH_ALLOWED } from "./text-style.ts"
import { renderTimeline } from "./timeline.ts"
import { DEFAULT_WIDTH, wrapCommand, wrapLines } from "./wrap-text.ts"

const INDENT = "  "

/** Appends `lines` to `target`, indented (empty lines stay empty); a loop, so any number of lines is fine. */
function appendIndented(target: string[], lines: readonly string[]): void {
  for (const line of lines) target.push(line === "" ? "" : INDENT + line)
}

function indent(lines: readonly string[]): string[] {
  const indented: string[] = []
  appendIndented(indented, lines)
  return indented
}

/** `text` in the style's characters (ASCII with `--ascii`). */
function chars(text: string, style: TextStyle): string {
  return style.ascii ? asciiLine(text) : text
}

/** The lines in the style's characters, wrapped to its width, as text ending in a newline. */
function finish(lines: readonly string[], style: TextStyle): string {
  const shown = style.ascii ? lines.map(asciiLine) : lines
  return `${wrapLines(shown, style.width).join("\n")}\n`
}

/** Lays out rows as columns without a header (for inputs and help), fitting `width` after the indent. */
function columns(rows: readonly (readonly string[])[], style: TextStyle): string[] {
  const spec: TableColumn[] = (rows[0] ?? []).map(() => ({ header: "" }))
  const cells = rows.map((row) => row.map((cell) => chars(cell, style)))
  return renderTable(spec, cells, { header: false, maxWidth: style.width - INDENT.length })
}

/** The first line of every output: `<name> — <title>`. */
export function titleLine<F extends FlagSpecs>(definition: SimDefinition<F>): string {
  return `${definition.name} — ${definition.title}`
}

/** ` (unit)` after a flag's description, or nothing for a unitless flag. */
function unitSuffix(spec: FlagSpec<unknown>): string {
  return spec.unit === undefined ? "" : ` (${spec.unit})`
}

/** The echoed inputs: the seed, then every sim param with its value and meaning. */
export function renderInputs<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  style: TextStyle = PLAIN_STYLE,
): string[] {
  const rows: string[][] = [["--seed", String(seed), "seed of every random stream"]]
  for (const [key, spec] of Object.entries(definition.flags)) {
    rows.push([`--${flagName(key, spec)}`, String(params[key as keyof Params<F>]), spec.description + unitSuffix(spec)])
  }
  return ["Inputs", ...indent(columns(rows, style))]
}

/** The scenario block of `--help` and `--quiz`. */
function renderHeader<F extends FlagSpecs>(definition: SimDefinition<F>, withTry: boolean, style: TextStyle): string[] {
  const rows = [
    ["Covers:", definition.header.covers],
    ["Scenario:", definition.header.scenario],
  ]
  if (withTry) {
    definition.header.try.forEach((fragment, i) =>
      rows.push([i === 0 ? "Try:" : "", `npx tsx sims/${definition.name}.ts ${fragment}`]),
    )
  }
  const spec: TableColumn[] = [{ header: "" }, { header: "" }]
  return renderTable(
    spec,
    rows.map((row) => row.map((cell) => chars(cell, style))),
    { header: false, maxWidth: style.width },
  )
}

/** The `--help` page: the story, usage, every flag with its meaning, unit, allowed values and default. */
export function renderHelp<F extends FlagSpecs>(definition: SimDefinition<F>, style: TextStyle = PLAIN_STYLE): string {
  const simRows: string[][] = []
  for (const [key, spec] of Object.entries(definition.flags)) {
    const meta =
      spec.kind === "boolean" ? "" : ` <${spec.writesFile ? "file" : spec.kind === "choice" ? "word" : spec.kind}>`
    const fallback = spec.writesFile ? "none (no file)" : String(spec.default)
    simRows.push([
      `--${flagName(key, spec)}${meta}`,
      `${spec.description}${unitSuffix(spec)}; ${spec.allowed}; default ${fallback}`,
    ])
  }
  const commonRows = [
    ["--seed <integer>", `seed of every random stream; an integer from 0 to ${SEED_MAX}; default ${DEFAULT_SEED}`],
    ["--json", "print exactly one JSON object on stdout (the report) and nothing else"],
    ["--trace <file>", "also write the trace to <file>, one JSON record per line"],
    ["--perfetto <file>", "also write the trace to <file> as Chrome trace-event JSON, for Perfetto UI"],
    ["--html <file>", "also write the report to <file> as one self-contained HTML page with charts"],
    [
      "--realtime <number>",
      `pace the run against the wall clock: ${realtimeUnit(definition.time)} per real second (60: a minute per second); same report`,
    ],
    [
      "--serve-metrics <port>",
      "while a --realtime run runs, serve its metrics at http://127.0.0.1:<port>/metrics for Prometheus",
    ],
    ["--strict", "exit with code 3 when a check did not hold"],
    ["--quiz", "print the scenario and a question to answer before running it"],
    ["--width <integer>", `widest line of the text report (columns); ${WIDTH_ALLOWED}; default ${DEFAULT_WIDTH}`],
    ["--ascii", "ASCII characters only (for terminals without block or Greek characters)"],
    ["--help, -h", "show this help"],
  ]
  const lines = [
    titleLine(definition),
    "",
    ...renderHeader(definition, true, style),
    "",
    `Usage: npx tsx sims/${definition.name}.ts [--seed N] [--json] [--trace FILE] [--perfetto FILE] [--html FILE] [--realtime X [--serve-metrics PORT]] [--strict] [--quiz] [--width N] [--ascii] [--help] [sim flags]`,
    "",
    "Sim flags:",
    ...indent(columns(simRows, style)),
    ...flagHelpLines(definition),
    "",
    "Common flags:",
    ...indent(columns(commonRows, style)),
    ...metricLines(definition, style),
    "",
    "Colour: verdicts are red (NOT HELD) and green (held) when stdout is a terminal and NO_COLOR is unset or empty.",
    "",
    "Exit codes: 0 the run completed, whatever the checks say; 1 a bug (the stack is on stderr);",
    "            2 bad input (nothing on stdout); 3 a check did not hold and --strict was given.",
  ]
  return finish(lines, style)
}

/** The extra help of flags that have one (a format reference), each after an empty line. */
function flagHelpLines<F extends FlagSpecs>(definition: SimDefinition<F>): string[] {
  const lines: string[] = []
  for (const spec of Object.values(definition.flags)) {
    if (spec.help !== undefined) lines.push("", ...spec.help)
  }
  return lines
}

/** The help's list of JSON metrics with their units, if the sim documents them. */
function metricLines<F extends FlagSpecs>(definition: SimDefinition<F>, style: TextStyle): string[] {
  const docs = Object.entries(definition.metrics ?? {})
  if (docs.length === 0) return []
  const rows = docs.map(([name, doc]) => [name, `${doc.description} (${doc.unit})`])
  return ["", `JSON metrics (--json; simTime is in ${timeUnitOf(definition)}):`, ...indent(columns(rows, style))]
}

/** The `--quiz` page: the story, the inputs, the question, and how to check the answer. */
export function renderQuiz<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  style: TextStyle = PLAIN_STYLE,
): string {
  const lines = [
    titleLine(definition),
    "",
    ...renderHeader(definition, false, style),
    "",
    ...renderInputs(definition, seed, params, style),
    "",
    "Question",
    ...indent(definition.quiz(params, seed).split("\n")),
    "",
  ]
  const shown = finish(lines, style)
  return shown + finishCommand("Predict, then check: ", rerunCommand(definition, seed, params), style)
}

/** A label and a shell command, wrapped with shell continuations to the style's width. */
function finishCommand(label: string, command: string, style: TextStyle): string {
  return `${wrapCommand(label, chars(command, style), style.width).join("\n")}\n`
}

/** The start of a text report, printed before the run: title and inputs. */
export function renderReportHead<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  style: TextStyle = PLAIN_STYLE,
): string {
  return finish([titleLine(definition), "", ...renderInputs(definition, seed, params, style)], style)
}

/** The rest of a text report, after the run: timeline, sections, checks, rerun line. */
export function renderReportBody<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  seed: number,
  params: Params<F>,
  outcome: SimOutcome,
  style: TextStyle = PLAIN_STYLE,
): string {
  const lines: string[] = []
  if (outcome.timeline !== undefined) {
    lines.push("", outcome.timeline.title)
    appendIndented(lines, renderTimeline(outcome.timeline.entries, definition.time))
  }
  for (const section of outcome.sections ?? []) {
    lines.push("", section.title)
    appendIndented(lines, section.lines)
  }
  lines.push("", "Checks")
  let checks = finish(indent(renderChecks(outcome.checks)), style)
  if (style.colour) checks = checks.split("\n").map(paintVerdict).join("\n")
  const line = rerunLine(definition, seed, params)
  const commandAt = line.indexOf("npx ")
  const rerun = finishCommand(line.slice(0, commandAt), line.slice(commandAt), style)
  return `${finish(lines, style)}${checks}\n${rerun}`
}

/** What `--realtime`'s factor counts: simulated seconds, or the sim's own unit when it is not a time. */
export function realtimeUnit(time: TimeFormat | undefined): string {
  const unit = time?.unit ?? ""
  if (unit === "s" || unit === "ms") return "simulated seconds"
  return `simulated ${time?.unitName ?? "time units"}`
}
