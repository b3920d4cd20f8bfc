/**
 * From `argv` to validated inputs: effect/cli parses the flags, an effect Schema validates them.
 *
 * Two stages, each with its own job:
 * 1. `effect/cli` (Command/Flag) tokenises the arguments and converts each flag to its type
 *    (integer, finite number, word from a list, switch): unknown flags (with "did you mean"
 *    suggestions), missing values, repeated flags, stray arguments and wrong types fail here.
 * 2. A `Schema.Struct` built from the sim's flag specs checks ranges, and a struct-level filter
 *    checks the sim's cross-flag constraints (contradictions).
 *
 * This module is loaded only when there is a command line to parse (see `run-sim.ts`): it is what
 * pulls in effect, the bulk of a sim's start-up time.
 *
 * effect/cli presents help and parse errors itself (help on stdout, exit 1); here its built-in
 * flags are cut down to `--help`/`-h` and its Presenter only records what happened, so the runner
 * alone decides what is printed where (bad input: stderr, exit 2, nothing on stdout).
 *
 * The environment effect/cli needs (FileSystem, Path, Terminal, Stdio, ChildProcessSpawner) is
 * provided by stubs that fail if used: parsing these flags touches none of them, and this keeps
 * `@effect/platform-node` (which wants Node 22) out of the project.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Path from "effect/Path"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Stdio from "effect/Stdio"
import * as Terminal from "effect/Terminal"
import { CliConfig, type CliError, CliOutput, Command, Flag, GlobalFlag } from "effect/cli"
import { ChildProcessSpawner } from "effect/process"
import { DEFAULT_SEED, type FlagSpecs, type Params, SEED_MAX, type SimDefinition } from "./define-sim.ts"
import { shellQuote } from "../check/shell-quote.ts"
import { type FlagSpec, flagName } from "./flag.ts"
import { isAllowedWidth, WIDTH_ALLOWED } from "./text-style.ts"
import { DEFAULT_WIDTH } from "./wrap-text.ts"

/** The output-mode flags every sim has. */
export interface CommonOptions {
  /** `--seed`: the run's seed. */
  readonly seed: number
  /** `--json`: one JSON object on stdout instead of the text report. */
  readonly json: boolean
  /** `--trace FILE`: where to write the trace as JSON lines, if anywhere. */
  readonly trace: string | undefined
  /** `--perfetto FILE`: where to write the trace as Chrome trace-event JSON, if anywhere. */
  readonly perfetto?: string | undefined
  /** `--html FILE`: where to write the run's HTML report, if anywhere. */
  readonly html?: string | undefined
  /** `--serve-metrics PORT`: serve the running sim's metrics at `http://127.0.0.1:PORT/metrics` (needs `--realtime`). */
  readonly serveMetrics?: number | undefined
  /** `--realtime FACTOR`: pace the run at FACTOR simulated seconds per real second. */
  readonly realtime?: number | undefined
  /** `--strict`: exit 3 when a check did not hold. */
  readonly strict: boolean
  /** `--quiz`: print the scenario and the question, then stop. */
  readonly quiz: boolean
  /** `--width`: the widest line of the text report, in columns (see `text-style.ts`). */
  readonly width: number
  /** `--ascii`: ASCII characters only in the text report. */
  readonly ascii: boolean
}

/** What the command line asked for. */
export type CommandLine<F extends FlagSpecs> =
  | { readonly kind: "help" }
  | { readonly kind: "run"; readonly options: CommonOptions; readonly params: Params<F> }
  | { readonly kind: "bad-input"; readonly problems: readonly string[] }

/** Captures what effect/cli wanted to present instead of printing it. */
interface Presented {
  helpRequested: boolean
}

function stubEnvironment(presented: Presented) {
  const unused = Effect.die(new Error("the sim runner's CLI environment does not provide this"))
  return Layer.mergeAll(
    FileSystem.layerNoop({}),
    Path.layer,
    Stdio.layerTest({}),
    Layer.succeed(
      Terminal.Terminal,
      Terminal.make({
        columns: Effect.succeed(100),
        rows: Effect.succeed(24),
        size: unused,
        readInput: unused,
        readLine: unused,
        display: () => unused,
      }),
    ),
    Layer.succeed(
      ChildProcessSpawner.ChildProcessSpawner,
      ChildProcessSpawner.make(() => unused),
    ),
    CliConfig.layer({ builtIns: [GlobalFlag.Help] }),
    CliOutput.layerPresenter({
      present: (event) =>
        Effect.sync(() => {
          if (event._tag === "Help" && event.reason === "Requested") presented.helpRequested = true
        }),
    }),
  )
}

function cliFlag(name: string, spec: FlagSpec<unknown>): Flag.Flag<unknown> {
  let parsed: Flag.Flag<unknown>
  switch (spec.kind) {
    case "number":
      parsed = Flag.Finite(name)
      break
    case "integer":
      parsed = Flag.Int(name)
      break
    case "boolean":
      parsed = Flag.Boolean(name)
      break
    case "choice":
      parsed = Flag.Literals(name, spec.choices ?? [])
      break
    case "string":
      parsed = Flag.String(name)
      break
  }
  return parsed.pipe(Flag.withDescription(spec.description), Flag.withDefault(spec.default))
}

/** The spec behind each flag name, for error messages. */
function specsByFlag<F extends FlagSpecs>(
  definition: SimDefinition<F>,
): Map<string, { key: string; spec: FlagSpec<unknown> }> {
  const byFlag = new Map<string, { key: string; spec: FlagSpec<unknown> }>()
  for (const [key, spec] of Object.entries(definition.flags)) byFlag.set(flagName(key, spec), { key, spec })
  return byFlag
}

const COMMON_ALLOWED: Readonly<Record<string, string>> = {
  seed: `an integer from 0 to ${SEED_MAX}`,
  trace: "a file path",
  perfetto: "a file path",
  html: "a file path",
  "serve-metrics": "a TCP port from 0 to 65535 (0: any free port)",
  realtime: "a number > 0 (simulated seconds per real second)",
  json: "a switch: give --json alone",
  strict: "a switch: give --strict alone",
  quiz: "a switch: give --quiz alone",
  width: `${WIDTH_ALLOWED} (columns)`,
  ascii: "a switch: give --ascii alone",
}

/** What is allowed for flag `name`, in words. */
function allowedFor<F extends FlagSpecs>(definition: SimDefinition<F>, name: string): string | undefined {
  const own = specsByFlag(definition).get(name)
  if (own !== undefined) return own.spec.allowed + (own.spec.unit === undefined ? "" : ` (${own.spec.unit})`)
  return COMMON_ALLOWED[name]
}

/** One sentence per effect/cli parse error, naming the flag, the value and what is allowed. */
function describeCliError<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  error: CliError.CliError,
  argv: readonly string[],
): string {
  switch (error._tag) {
    case "UnrecognizedOption": {
      const hint = error.suggestions.length > 0 ? `; did you mean ${error.suggestions.join(" or ")}?` : ""
      return `unknown flag ${error.option}${hint}`
    }
    case "InvalidValue": {
      const allowed = allowedFor(definition, error.option)
      const expected = allowed === undefined ? error.expected : `allowed: ${allowed}`
      if (error.value.endsWith(" occurrences"))
        return `--${error.option} was given more than once; give it at most once`
      if (error.value === "") return `--${error.option} needs a value; ${expected}`
      return `bad value for --${error.option}: ${JSON.stringify(error.value)}; ${expected}`
    }
    case "DuplicateOption":
      return `--${error.option} was given more than once; give it at most once`
    case "UnexpectedArgument": {
      const given = error.arguments.map((arg) => JSON.stringify(arg)).join(" ")
      const after = switchBefore(definition, argv, error.arguments[0])
      if (after !== undefined)
        return `unexpected argument ${given} after --${after}, which takes true or false (--${after} alone: true)`
      return `unexpected argument ${given}; every input is a --flag`
    }
    case "MissingOption":
      return `missing flag --${error.option}`
    default:
      return error.message
  }
}

/** The common flags that are switches (true or false). */
const COMMON_SWITCHES = new Set(["json", "strict", "quiz", "ascii"])

/**
 * The switch written just before `argument` in `argv` (`--explore maybe`: `explore`), or undefined:
 * a switch takes `true` or `false` as its value, so another word after it is read as a stray
 * argument, and the message should say which flag it was meant for.
 */
function switchBefore<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
  argument: string | undefined,
): string | undefined {
  const at = argument === undefined ? -1 : argv.indexOf(argument)
  const previous = at > 0 ? argv[at - 1]! : ""
  if (!previous.startsWith("--") || previous.includes("=")) return undefined
  const name = previous.slice(2)
  const own = specsByFlag(definition).get(name)
  return own?.spec.kind === "boolean" || COMMON_SWITCHES.has(name) ? name : undefined
}

/** The schema of one flag's value: its kind, then its bounds or choices (see `admits` in flag.ts). */
export function flagSchema(spec: FlagSpec<unknown>): Schema.Codec<unknown> {
  switch (spec.kind) {
    case "boolean":
      return Schema.Boolean
    case "string": {
      const base = spec.schema ?? Schema.String
      const check = spec.check
      if (check === undefined) return base
      return base.check(Schema.makeFilter((value: string) => check(value) ?? true)) as Schema.Codec<unknown>
    }
    case "choice":
      return Schema.Literals(spec.choices ?? []) as unknown as Schema.Codec<unknown>
    case "integer":
    case "number": {
      const checks: Array<SchemaAST.Check<number>> = []
      const { min, max, greaterThan, lessThan } = spec.bounds
      if (greaterThan !== undefined) checks.push(Schema.isGreaterThan(greaterThan))
      if (min !== undefined) checks.push(Schema.isGreaterThanOrEqualTo(min))
      if (lessThan !== undefined) checks.push(Schema.isLessThan(lessThan))
      if (max !== undefined) checks.push(Schema.isLessThanOrEqualTo(max))
      const base = spec.kind === "integer" ? Schema.Int : Schema.Finite
      const [first, ...rest] = checks
      return (first === undefined ? base : base.check(first, ...rest)) as Schema.Codec<unknown>
    }
  }
}

/** The params Schema of a sim: every flag's schema, plus the cross-flag constraints as a filter. */
export function paramsSchema<F extends FlagSpecs>(definition: SimDefinition<F>): Schema.Codec<Params<F>> {
  const fields: Record<string, Schema.Codec<unknown>> = {}
  for (const [key, spec] of Object.entries(definition.flags)) fields[key] = flagSchema(spec)
  const struct = Schema.Struct(fields) as unknown as Schema.Codec<Params<F>>
  const constraints = definition.constraints ?? []
  if (constraints.length === 0) return struct
  return struct.check(
    Schema.makeFilter((params: Params<F>) =>
      constraints
        .filter((constraint) => !constraint.holds(params))
        .map((constraint) => {
          const given = constraint.params.map(
            (key) => `--${flagName(key, definition.flags[key]!)} ${String(params[key])}`,
          )
          return `contradictory flags ${given.join(", ")}: ${constraint.message}`
        }),
    ),
  )
}

/**
 * Validates raw params (already typed by the flag parser) against the sim's schema: one sentence
 * per problem, naming the flag, the value and what is allowed; empty when the params are valid.
 */
export function validateParams<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  raw: Record<string, unknown>,
): Result.Result<Params<F>, string[]> {
  const decoded = Schema.decodeUnknownResult(paramsSchema(definition))(raw, {
    errors: "all",
    onExcessProperty: "error",
  })
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
  const problems: string[] = []
  const seen = new Set<string>()
  for (const issue of issues) {
    const key = issue.path?.[0]
    let problem: string
    if (key === undefined) {
      problem = issue.message
    } else {
      const spec = definition.flags[String(key)]
      const name = spec === undefined ? String(key) : flagName(String(key), spec)
      const value = raw[String(key)]
      const checked = spec?.kind === "string" && typeof value === "string" ? spec.check?.(value) : undefined
      if (checked !== undefined) {
        problem = `bad value for --${name} ${shellQuote(value as string)}: ${checked}`
      } else {
        const allowed =
          spec === undefined
            ? issue.message
            : `allowed: ${spec.allowed}${spec.unit === undefined ? "" : ` (${spec.unit})`}`
        problem = `bad value for --${name}: ${String(value)}; ${allowed}`
      }
    }
    if (!seen.has(problem)) problems.push(problem)
    seen.add(problem)
  }
  return Result.fail(problems)
}

/**
 * Parses and validates a sim's command line. Never prints, never throws on bad input: the result
 * says whether to show help, run, or report bad input (one sentence per problem).
 */
export function parseCommandLine<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): CommandLine<F> {
  const simFlags: Record<string, Flag.Flag<unknown>> = {}
  for (const [key, spec] of Object.entries(definition.flags)) simFlags[key] = cliFlag(flagName(key, spec), spec)
  let parsed: { common: Record<string, unknown>; sim: Record<string, unknown> } | undefined
  const command = Command.make(
    definition.name,
    {
      common: {
        seed: Flag.Int("seed").pipe(
          Flag.withDescription("seed of every random stream"),
          Flag.withDefault(DEFAULT_SEED),
        ),
        json: Flag.Boolean("json").pipe(Flag.withDescription("print one JSON object"), Flag.withDefault(false)),
        trace: Flag.String("trace").pipe(Flag.withDescription("write the trace as JSON lines"), Flag.optional),
        perfetto: Flag.String("perfetto").pipe(
          Flag.withDescription("write the trace for Perfetto UI (Chrome trace-event JSON)"),
          Flag.optional,
        ),
        html: Flag.String("html").pipe(Flag.withDescription("write the run's HTML report"), Flag.optional),
        serveMetrics: Flag.Int("serve-metrics").pipe(
          Flag.withDescription("serve the running sim's metrics at http://127.0.0.1:PORT/metrics"),
          Flag.optional,
        ),
        realtime: Flag.Finite("realtime").pipe(
          Flag.withDescription("pace the run: simulated seconds per real second"),
          Flag.optional,
        ),
        strict: Flag.Boolean("strict").pipe(
          Flag.withDescription("exit 3 when a check did not hold"),
          Flag.withDefault(false),
        ),
        quiz: Flag.Boolean("quiz").pipe(Flag.withDescription("print the question only"), Flag.withDefault(false)),
        width: Flag.Int("width").pipe(
          Flag.withDescription("widest line of the text report"),
          Flag.withDefault(DEFAULT_WIDTH),
        ),
        ascii: Flag.Boolean("ascii").pipe(Flag.withDescription("ASCII characters only"), Flag.withDefault(false)),
      },
      sim: simFlags,
    },
    (input) =>
      Effect.sync(() => {
        parsed = { common: input.common as Record<string, unknown>, sim: input.sim as Record<string, unknown> }
      }),
  )
  const presented: Presented = { helpRequested: false }
  const exit = Effect.runSyncExit(
    Command.runWith(command, { version: "0", renderErrors: false })(argv).pipe(
      Effect.provide(stubEnvironment(presented)),
    ),
  )
  if (presented.helpRequested) return { kind: "help" }
  if (Exit.isFailure(exit)) {
    const error = Cause.findErrorOption(exit.cause)
    if (Option.isNone(error)) throw Cause.squash(exit.cause)
    const failure = error.value as CliError.CliError
    const errors = failure._tag === "ShowHelp" ? failure.errors : [failure]
    return { kind: "bad-input", problems: errors.map((e) => describeCliError(definition, e, argv)) }
  }
  if (parsed === undefined) throw new Error("effect/cli finished without running the command or showing help")
  return fromParsed(definition, parsed.common, parsed.sim)
}

function fromParsed<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  common: Record<string, unknown>,
  sim: Record<string, unknown>,
): CommandLine<F> {
  const problems: string[] = []
  const seed = common.seed as number
  if (!(Number.isSafeInteger(seed) && seed >= 0))
    problems.push(`bad value for --seed: ${seed}; allowed: ${COMMON_ALLOWED.seed}`)
  const trace = Option.getOrUndefined(common.trace as Option.Option<string>)
  if (trace === "") problems.push("--trace needs a file path")
  const perfetto = Option.getOrUndefined(common.perfetto as Option.Option<string>)
  if (perfetto === "") problems.push("--perfetto needs a file path")
  const width = common.width as number
  if (!isAllowedWidth(width)) problems.push(`bad value for --width: ${width}; allowed: ${COMMON_ALLOWED.width}`)
  const json = common.json as boolean
  const quiz = common.quiz as boolean
  if (quiz && json) problems.push("contradictory flags --quiz, --json: a quiz prints a question, not a report")
  if (quiz && trace !== undefined)
    problems.push("contradictory flags --quiz, --trace: a quiz does not run, so there is no trace")
  if (quiz && perfetto !== undefined)
    problems.push("contradictory flags --quiz, --perfetto: a quiz does not run, so there is no trace")
  if (perfetto !== undefined && perfetto === trace)
    problems.push(`contradictory flags --trace, --perfetto: both name ${perfetto}; give each its own file`)
  const html = fileOptions(common, quiz, [trace, perfetto], problems)
  const { serveMetrics, realtime } = pacingOptions(common, quiz, problems)
  const params = validateParams(definition, sim)
  if (Result.isFailure(params)) problems.push(...params.failure)
  if (problems.length > 0 || Result.isFailure(params)) return { kind: "bad-input", problems }
  return {
    kind: "run",
    options: {
      seed,
      json,
      trace,
      ...(perfetto === undefined ? {} : { perfetto }),
      ...(html === undefined ? {} : { html }),
      ...(serveMetrics === undefined ? {} : { serveMetrics }),
      ...(realtime === undefined ? {} : { realtime }),
      strict: common.strict as boolean,
      quiz,
      width,
      ascii: common.ascii as boolean,
    },
    params: params.success,
  }
}

/** `--html`, checked against `--quiz` and the other files: each problem is pushed onto `problems`. */
function fileOptions(
  common: Record<string, unknown>,
  quiz: boolean,
  others: readonly (string | undefined)[],
  problems: string[],
): string | undefined {
  const html = Option.getOrUndefined(common.html as Option.Option<string>)
  if (html === undefined) return undefined
  if (html === "") problems.push("--html needs a file path")
  if (quiz) problems.push("contradictory flags --quiz, --html: a quiz does not run, so there is no report")
  const [trace, perfetto] = others
  if (html === trace) problems.push(`contradictory flags --trace, --html: both name ${html}; give each its own file`)
  if (html === perfetto)
    problems.push(`contradictory flags --perfetto, --html: both name ${html}; give each its own file`)
  return html
}

/** `--serve-metrics` and `--realtime`, checked: each problem is pushed onto `problems`. */
function pacingOptions(
  common: Record<string, unknown>,
  quiz: boolean,
  problems: string[],
): { serveMetrics: number | undefined; realtime: number | undefined } {
  const serveMetrics = Option.getOrUndefined(common.serveMetrics as Option.Option<number>)
  const realtime = Option.getOrUndefined(common.realtime as Option.Option<number>)
  if (serveMetrics !== undefined && !(serveMetrics >= 0 && serveMetrics <= 65535))
    problems.push(`bad value for --serve-metrics: ${serveMetrics}; allowed: ${COMMON_ALLOWED["serve-metrics"]}`)
  if (realtime !== undefined && !(realtime > 0))
    problems.push(`bad value for --realtime: ${realtime}; allowed: ${COMMON_ALLOWED.realtime}`)
  if (serveMetrics !== undefined && realtime === undefined)
    problems.push(
      `--serve-metrics ${serveMetrics} needs --realtime FACTOR: an unpaced run ends before anything could scrape it (try --realtime 60, a simulated minute per second)`,
    )
  if (quiz && (serveMetrics !== undefined || realtime !== undefined))
    problems.push(
      `contradictory flags --quiz, --${realtime !== undefined ? "realtime" : "serve-metrics"}: a quiz does not run`,
    )
  return { serveMetrics, realtime }
}
