/**
 * The sim runner: everything between `process.argv` and the exit code, the same for every sim.
 *
 * `runSim(definition, argv, io)` parses and validates the command line, then prints help, a quiz,
 * or runs the sim and prints its text or JSON report. Exit codes are a contract:
 *
 * | code | when |
 * |------|------|
 * | 0 | help, quiz, or the run completed — whatever the checks say (a broken invariant is often the lesson) |
 * | 1 | a bug: an exception escaped the sim or the runner; its stack is on stderr |
 * | 2 | bad input: an unknown flag, a wrong type, a value out of range, contradictory flags (also with the values drawn from the seed: the sim's `refuse`), a run over the budget, an unwritable `--trace`, `--perfetto` or `--html` file or sim output file (`flag.outputFile`), also when a write fails after the run (a full disk), or a stdout that cannot be written (`> /dev/full`, see {@link exitOnStreamError}), a run that failed on a time or rate of Infinity computed from a flag within 1e-6 of 0 (`--rps 1e-320`, see `degenerateInputLine`); one sentence per problem on stderr, nothing on stdout, no file written |
 * | 3 | `--strict` was given and a check did not hold |
 *
 * Start-up: a bare run (no arguments) needs no parsing, so the parser — and with it effect, most of
 * a sim's start-up time — is imported only when there are arguments. The defaults are checked
 * either way (`admits` and the constraints), and a default that fails is a bug (exit 1).
 *
 * Budget: before a run, the sim's `estimate` (events, seconds, memory, simulated time) is checked
 * against {@link RUN_BUDGET} (60 s, 1.5 GB); a run over it is refused with exit 2, naming the limit
 * and the flags that make the run smaller. So every accepted run ends within about a minute.
 *
 * Output discipline: stdout carries only the report (text, or exactly one JSON object); messages,
 * stacks and progress go to stderr; progress only while stderr is a terminal and never with
 * `--json`. `io` is injectable so tests run sims in-process with captured output.
 */
import { realpathSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { FlagSpecs, Params, SimDefinition, SimOutcome, WorkEstimate } from "./define-sim.ts"
import { formatNumber } from "../kernel/format.ts"
import { jsonReport } from "./json-report.ts"
import type { CommonOptions } from "./parse-command-line.ts"
import { Progress, type TextOutput } from "./progress.ts"
import {
  realtimeUnit as realtimeUnitOf,
  renderHelp,
  renderQuiz,
  renderReportBody,
  renderReportHead,
} from "./render-text.ts"
import {
  badInputLines,
  commandLineOf,
  degenerateInputLine,
  estimateWithinBudget,
  EXIT_CODE,
  makeContext,
  refusalLines,
  runDefinition,
} from "./run-core.ts"
import { colourAllowed, styleOptionsOfArgv, type TextStyle } from "./text-style.ts"
import { OutputFiles } from "./output-files.ts"
import { PerfettoFile, type PerfettoRun } from "./perfetto-file.ts"
import { LiveMetrics, liveUnit } from "./live-metrics.ts"
import { type MetricsServer, startMetricsServer } from "./metrics-server.ts"
import { type RealtimeClock, RealtimePacer, wallClock } from "./realtime.ts"
import { removeWrittenFile } from "./remove-written-file.ts"
import { TraceFile, type TraceSink } from "./trace-file.ts"

/** `html-file.ts` (and with it esbuild), loaded only by a run with `--html` (see {@link runSim}). */
let htmlModule: typeof import("./html-file.ts") | undefined

export { defaultParams, EXIT_CODE, overBudget } from "./run-core.ts"

/** Where a run's output goes, and the services it may use; tests inject doubles. */
export interface SimIo {
  /** The report. Default `process.stdout`. */
  readonly stdout: TextOutput
  /** Messages, stacks and progress. Default `process.stderr`. */
  readonly stderr: TextOutput
  /** Wall-clock milliseconds, for the progress line only. Default `performance.now`. */
  readonly wallClockMs?: () => number
  /** Opens the `--trace` file. Default: a buffered file (see `trace-file.ts`). */
  readonly openTrace?: (path: string) => TraceSink
  /** The environment (read for `NO_COLOR`). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The wall clock and the wait of a `--realtime` run. Default: the real ones (see `realtime.ts`). */
  readonly realtimeClock?: RealtimeClock
}

/** How the text report is drawn: `--width`, `--ascii`, and colour when stdout is a terminal without NO_COLOR. */
function textStyle(options: { readonly width: number; readonly ascii: boolean }, io: SimIo): TextStyle {
  return { width: options.width, ascii: options.ascii, colour: colourAllowed(io.stdout.isTTY, io.env ?? process.env) }
}

/** The real process's streams. */
export function processIo(): SimIo {
  return { stdout: process.stdout, stderr: process.stderr }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return String(error)
}

/** Opens a file the trace streams to, or returns the sentence that explains why it cannot be written. */
function openSink(flag: string, path: string, open: (path: string) => TraceSink): TraceSink | string {
  try {
    return open(path)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `cannot write --${flag} ${path}: ${reason}`
  }
}

/**
 * Opens the `--trace` and `--perfetto` files before the run: one sink writing to both, none, or
 * the sentence that says which cannot be written (then no file is left behind). The sink's
 * `failure` is the sentence naming the flag and the file a write failed on (a full disk).
 */
function openSinks<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  io: SimIo,
): TraceSink | undefined | string {
  const sinks: { flag: string; path: string; sink: TraceSink }[] = []
  const opens: [string, string | undefined, (path: string) => TraceSink][] = [
    ["trace", options.trace, io.openTrace ?? ((path) => new TraceFile(path))],
    ["perfetto", options.perfetto, (path) => new PerfettoFile(path, perfettoRun(definition))],
  ]
  for (const [flag, path, open] of opens) {
    if (path === undefined) continue
    const opened = openSink(flag, path, open)
    if (typeof opened === "string") {
      for (const { path, sink } of sinks) {
        sink.close()
        removeWrittenFile(path)
      }
      return opened
    }
    sinks.push({ flag, path, sink: opened })
  }
  if (sinks.length === 0) return undefined
  const failure = (): string | undefined => {
    for (const { flag, path, sink } of sinks) {
      const why = sink.failure?.()
      if (why !== undefined) return `cannot write --${flag} ${path}: ${why}`
    }
    return undefined
  }
  if (sinks.length === 1)
    return { write: (line) => sinks[0]!.sink.write(line), close: () => sinks[0]!.sink.close(), failure }
  return {
    write: (line) => sinks.forEach((s) => s.sink.write(line)),
    close: () => sinks.forEach((s) => s.sink.close()),
    failure,
  }
}

/** Removes the `--trace`, `--perfetto` and `--html` files of a run that failed (see `remove-written-file.ts`). */
function removeRunFiles(options: CommonOptions): void {
  for (const path of [options.trace, options.perfetto, options.html]) if (path !== undefined) removeWrittenFile(path)
}

function perfettoRun<F extends FlagSpecs>(definition: SimDefinition<F>): PerfettoRun {
  const unit = definition.time?.unit ?? ""
  return { sim: definition.name, timeUnit: definition.time?.unitName ?? unit, unitSuffix: unit }
}

function runAndReport<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  params: Params<F>,
  estimate: WorkEstimate,
  io: SimIo,
  pacer?: RealtimePacer,
): number {
  const files = OutputFiles.open(definition.flags, params)
  if (typeof files === "string") {
    io.stderr.write(`${definition.name}: ${files}
`)
    return EXIT_CODE.badInput
  }
  const html = options.html === undefined ? undefined : htmlModule!.HtmlFile.open(options.html)
  const trace = typeof html === "string" ? html : openSinks(definition, options, io)
  if (typeof trace === "string") {
    files.discard()
    if (typeof html === "object") html.discard()
    io.stderr.write(`${definition.name}: ${trace}\n`)
    return EXIT_CODE.badInput
  }
  const htmlFile = typeof html === "object" ? html : undefined
  const showProgress = !options.json && io.stderr.isTTY === true
  const progress = showProgress
    ? new Progress(io.stderr, io.wallClockMs ?? (() => performance.now()), definition.time, estimate.simTime)
    : undefined
  const style = textStyle(options, io)
  // The head (title and inputs) is written with the body, after the run: a run that fails as bad
  // input (a time overflowed by a flag near 0, a full disk) leaves stdout empty, as exit 2 promises.
  const head = options.json ? "" : renderReportHead(definition, options.seed, params, style)
  let outcome: SimOutcome
  try {
    outcome = runDefinition(definition, params, style, makeContext(options, trace, progress, pacer, htmlFile))
  } catch (error) {
    files.discard()
    htmlFile?.discard()
    throw error
  } finally {
    progress?.end()
    trace?.close()
  }
  const unwritable =
    trace?.failure?.() ?? htmlFile?.write(definition, options.seed, params, outcome) ?? files.write(outcome)
  if (unwritable !== undefined) {
    htmlFile?.discard()
    files.discard()
    removeRunFiles(options)
    io.stderr.write(`${definition.name}: ${unwritable}\n`)
    return EXIT_CODE.badInput
  }
  if (options.json) io.stdout.write(`${JSON.stringify(jsonReport(definition, options.seed, params, outcome))}\n`)
  else io.stdout.write(head + renderReportBody(definition, options.seed, params, outcome, style))
  const failed = outcome.checks.some((check) => !check.held)
  return options.strict && failed ? EXIT_CODE.checkFailed : EXIT_CODE.ok
}

/**
 * A `--realtime` run: paced against the wall clock, serving its metrics when `--serve-metrics` is
 * given (a port that cannot be served is bad input: exit 2 before the run). The report is the
 * unpaced run's, byte for byte.
 */
async function runPaced<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  params: Params<F>,
  estimate: WorkEstimate,
  io: SimIo,
): Promise<number> {
  const clock = io.realtimeClock ?? wallClock()
  const live = new LiveMetrics(definition.name, liveUnit(definition.time), clock.nowMs)
  let server: MetricsServer | undefined
  if (options.serveMetrics !== undefined) {
    const started = await startMetricsServer(options.serveMetrics, live.text(), definition.name)
    if (typeof started === "string") {
      io.stderr.write(`${definition.name}: ${started}\n`)
      return EXIT_CODE.badInput
    }
    server = started
    live.publishTo((text) => started.publish(text))
  }
  const pacer = new RealtimePacer(options.realtime!, 1 / live.unit.perSecond, clock, (sim, t) => live.update(sim, t))
  io.stderr.write(`${definition.name}: ${pacingLine(definition, options, estimate, pacer, server)}\n`)
  try {
    return runAndReport(definition, options, params, estimate, io, pacer)
  } finally {
    live.flush()
    await server?.close()
  }
}

/** The stderr line a paced run starts with: the pace, how long it will take, where the metrics are. */
function pacingLine<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  estimate: WorkEstimate,
  pacer: RealtimePacer,
  server: MetricsServer | undefined,
): string {
  const wallSeconds = pacer.wallMsFor(estimate.simTime) / 1000
  const lasting =
    Number.isFinite(wallSeconds) && wallSeconds > 0 ? `, about ${formatNumber(wallSeconds, 1)} s of wall time` : ""
  const where = server === undefined ? "" : `; metrics at http://127.0.0.1:${server.port}/metrics while it runs`
  return `paced at ${String(options.realtime)} ${realtimeUnitOf(definition.time)} per second${lasting}${where}`
}

/**
 * Runs a sim with the command-line arguments `argv` (without `node` and the script) and resolves
 * to the exit code; never rejects, never calls `process.exit`. Asynchronous only because the
 * parser is loaded on demand; the run itself is synchronous.
 */
export async function runSim<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
  io: SimIo = processIo(),
): Promise<number> {
  try {
    const commandLine = await commandLineOf(definition, argv)
    switch (commandLine.kind) {
      case "help":
        io.stdout.write(renderHelp(definition, textStyle(styleOptionsOfArgv(argv), io)))
        return EXIT_CODE.ok
      case "bad-input":
        for (const line of badInputLines(definition, commandLine.problems))
          io.stderr.write(`${definition.name}: ${line}\n`)
        return EXIT_CODE.badInput
      case "run": {
        const refused = refusalLines(definition, commandLine.options, commandLine.params)
        if (refused !== undefined) {
          for (const line of refused) io.stderr.write(`${definition.name}: ${line}\n`)
          return EXIT_CODE.badInput
        }
        if (commandLine.options.quiz) {
          io.stdout.write(
            renderQuiz(definition, commandLine.options.seed, commandLine.params, textStyle(commandLine.options, io)),
          )
          return EXIT_CODE.ok
        }
        const estimate = estimateWithinBudget(definition, commandLine.options, commandLine.params)
        if (typeof estimate === "string") {
          io.stderr.write(`${definition.name}: ${estimate}\n`)
          return EXIT_CODE.badInput
        }
        if (commandLine.options.html !== undefined) htmlModule ??= await import("./html-file.ts")
        try {
          if (commandLine.options.realtime !== undefined)
            return await runPaced(definition, commandLine.options, commandLine.params, estimate, io)
          return runAndReport(definition, commandLine.options, commandLine.params, estimate, io)
        } catch (error) {
          const degenerate = degenerateInputLine(definition, commandLine.params, error)
          if (degenerate === undefined) throw error
          io.stderr.write(`${definition.name}: ${degenerate}\n`)
          return EXIT_CODE.badInput
        }
      }
    }
  } catch (error) {
    io.stderr.write(
      `${definition.name}: internal error (a bug, please report it with the command line):\n${errorText(error)}\n`,
    )
    return EXIT_CODE.bug
  }
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  // In a browser (the playground) there is no process and no script: a sim module is never main.
  const script = typeof process === "undefined" ? undefined : process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(resolve(script))
  } catch {
    return false
  }
}

/**
 * Runs the sim when its file is the script being executed (`npx tsx sims/<name>.ts ...`), and
 * does nothing when it is imported (by a test): `await runMain(sim, import.meta.url)` at the end
 * of every sim file. Sets `process.exitCode` rather than exiting, so stdout is flushed.
 */
export async function runMain<F extends FlagSpecs>(definition: SimDefinition<F>, moduleUrl: string): Promise<void> {
  if (!isMainModule(moduleUrl)) return
  exitOnStreamError(process.stdout, definition.name)
  exitOnStreamError(process.stderr, undefined)
  process.exitCode = await runSim(definition, process.argv.slice(2))
}

/**
 * When the reader of `stream` goes away early (`sim | head -3`, `sim 2>&1 | less` then `q`), the
 * next write fails with EPIPE. Like `cat`, `seq` or `git log` that ignore SIGPIPE, the sim then
 * stops at once, silently, with the exit code the run already settled on (2 for bad input whose
 * message could not be shown, 3 for `--strict`), else {@link EXIT_CODE.ok}: the reader asked for
 * no more, so there is nothing to report, and a stack trace (or exit 1, a "bug") would be false.
 *
 * Any other write error (`> /dev/full`: ENOSPC; EIO) means the report was lost though someone
 * wanted it: as for an output file that cannot be written, the sim stops with
 * {@link EXIT_CODE.badInput} and, when the stream is stdout (`sim` is its name), says so in one
 * line on stderr.
 */
export function exitOnStreamError(stream: NodeJS.EventEmitter, sim: string | undefined): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") process.exit(process.exitCode ?? EXIT_CODE.ok)
    if (sim !== undefined) process.stderr.write(`${sim}: cannot write to stdout: ${error.message}\n`)
    process.exit(EXIT_CODE.badInput)
  })
}
