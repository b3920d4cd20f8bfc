/**
 * The runner's steps that need nothing from Node: from `argv` to a decision (help, bad input, a
 * quiz, or a run within the budget), the run context a sim's `run` receives, and the run itself.
 * `run-sim.ts` (the command line: files, pacing, the metrics server, exit codes) and `run-json.ts`
 * (the same runs in a browser, docs/playground.md) are both built on it, so both say the same
 * thing about the same input. Nothing here touches files, processes or the wall clock.
 */
import { type RunOptions, type RunResult, Simulation, type Trace } from "../kernel/index.ts"
import {
  DEFAULT_SEED,
  type FlagSpecs,
  type Params,
  RUN_BUDGET,
  type RunContext,
  type SimDefinition,
  type SimOutcome,
  type WorkEstimate,
} from "./define-sim.ts"
import { admits, flagName } from "./flag.ts"
import { formatCount, formatNumber } from "../kernel/format.ts"
import type { CommandLine, CommonOptions } from "./parse-command-line.ts"
import type { Progress } from "./progress.ts"
import type { RealtimePacer } from "./realtime.ts"
import { withTableStyle } from "./table.ts"
import type { TextStyle } from "./text-style.ts"
import type { TraceSink } from "./trace-file.ts"
import { DEFAULT_WIDTH } from "./wrap-text.ts"

/** The exit codes of every sim (see `run-sim.ts`). */
export const EXIT_CODE = { ok: 0, bug: 1, badInput: 2, checkFailed: 3 } as const

/** Events processed between two progress redraws when progress is shown. */
const PROGRESS_SLICE_EVENTS = 100_000

/** Runs `sim` in slices of events, redrawing progress between slices; same result as `sim.run`. */
function runWithProgress(sim: Simulation, options: RunOptions, progress: Progress): RunResult {
  let remaining = options.maxEvents ?? Infinity
  let events = 0
  for (;;) {
    const result = sim.run({ ...options, maxEvents: Math.min(remaining, PROGRESS_SLICE_EVENTS) })
    events += result.events
    remaining -= result.events
    progress.update(sim.now, sim.eventsProcessed)
    if (result.reason !== "maxEvents") return { ...result, events }
    if (remaining <= 0) return { ...result, events, message: `stopped after ${events} events at t=${sim.now}` }
  }
}

/** The context a sim's `run` receives: its seed, output, trace options and how to advance. */
/** What watches every simulation's trace for a report drawn after the run (`--html`'s message diagram). */
export interface TraceWatcher {
  attach(trace: Trace): void
}

export function makeContext(
  options: CommonOptions,
  trace: TraceSink | undefined,
  progress: Progress | undefined,
  pacer: RealtimePacer | undefined,
  html?: TraceWatcher,
): RunContext {
  const runOnce = (sim: Simulation, runOptions: RunOptions): RunResult =>
    progress === undefined ? sim.run(runOptions) : runWithProgress(sim, runOptions, progress)
  const run = (sim: Simulation, runOptions: RunOptions = {}): RunResult =>
    pacer === undefined ? runOnce(sim, runOptions) : pacer.run(sim, runOptions, runOnce)
  // The text report shows no trace hash, so a text run computes none (docs/kernel-performance.md, trace-hash);
  // an HTML report shows it.
  const hash = options.json || html !== undefined
  const traceOptions = trace === undefined ? { hash } : { hash, write: (line: string) => trace.write(line) }
  return {
    seed: options.seed,
    output: options.json ? "json" : "text",
    view: html !== undefined,
    trace: traceOptions,
    simulation(simulationOptions = {}) {
      const { keep, ...rest } = simulationOptions
      const sim = new Simulation({ ...rest, seed: options.seed, trace: { ...traceOptions, keep: keep ?? 0 } })
      html?.attach(sim.trace)
      return sim
    },
    run,
    advance: (sim, until) => void run(sim, { until }),
  }
}

/** Runs the sim with its tables laid out for the report's width and characters. */
export function runDefinition<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  params: Params<F>,
  style: TextStyle,
  context: RunContext,
): SimOutcome {
  const tables = { maxWidth: style.width - 2, ascii: style.ascii }
  return withTableStyle(tables, () => definition.run(params, context))
}

/**
 * The params when every flag keeps its default, checked without effect.
 * @throws Error (a bug in the sim) when a default is not allowed by its own flag or a constraint
 */
export function defaultParams<F extends FlagSpecs>(definition: SimDefinition<F>): Params<F> {
  const params: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(definition.flags)) {
    if (!admits(spec, spec.default)) {
      throw new Error(`the default of --${flagName(key, spec)} (${String(spec.default)}) is not ${spec.allowed}`)
    }
    params[key] = spec.default
  }
  const typed = params as Params<F>
  for (const constraint of definition.constraints ?? []) {
    if (!constraint.holds(typed)) throw new Error(`the defaults contradict each other: ${constraint.message}`)
  }
  return typed
}

/** What a command line without arguments asks for: a run with every default. */
function bareCommandLine<F extends FlagSpecs>(definition: SimDefinition<F>): CommandLine<F> {
  return {
    kind: "run",
    options: {
      seed: DEFAULT_SEED,
      json: false,
      trace: undefined,
      strict: false,
      quiz: false,
      width: DEFAULT_WIDTH,
      ascii: false,
    },
    params: defaultParams(definition),
  }
}

/**
 * The command line `argv` asks for. A bare run needs no parsing, so the parser (and effect with
 * it) is loaded only when there are arguments; the defaults are checked either way.
 * @throws Error (a bug in the sim) when a default is not allowed (see {@link defaultParams})
 */
export async function commandLineOf<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  argv: readonly string[],
): Promise<CommandLine<F>> {
  const bare = bareCommandLine(definition) // checks the defaults even when flags are given
  return argv.length === 0 ? bare : (await import("./parse-command-line.ts")).parseCommandLine(definition, argv)
}

/** The lines (without the sim's name) that answer bad input: the problems, then where to read the flags. */
export function badInputLines<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  problems: readonly string[],
): string[] {
  return [...problems, `run npx tsx sims/${definition.name}.ts --help to see every flag`]
}

/** The lines (without the sim's name) that refuse a run the sim itself refuses (values drawn from the seed contradict each other), else undefined. */
export function refusalLines<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  params: Params<F>,
): string[] | undefined {
  const refusal = definition.refuse?.(params, options.seed)
  return refusal === undefined ? undefined : badInputLines(definition, [refusal])
}

/** The run's estimate when it fits {@link RUN_BUDGET}, else the sentence that refuses it (see {@link overBudget}). */
export function estimateWithinBudget<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  options: CommonOptions,
  params: Params<F>,
): WorkEstimate | string {
  const estimate = definition.estimate(params, { seed: options.seed, output: options.json ? "json" : "text" })
  return overBudget(estimate) ?? estimate
}

/**
 * The sentence that refuses a run whose estimate is over {@link RUN_BUDGET}, naming the limit, the
 * estimate and the flags to change; undefined when the run fits. A run whose simulated time is not
 * a finite number (a rate of 1e-320 per second puts the first event at t = Infinity) is refused too:
 * the clock could not reach it.
 */
export function overBudget(estimate: WorkEstimate): string | undefined {
  if (!Number.isFinite(estimate.simTime)) {
    const why = "its simulated time would be beyond the largest number the clock holds"
    return `this run cannot be simulated: ${why}; ${estimate.advice}`
  }
  const overTime = !(estimate.seconds <= RUN_BUDGET.seconds)
  const overMemory = !(estimate.bytes <= RUN_BUDGET.bytes)
  if (!overTime && !overMemory) return undefined
  const limits = [
    ...(overTime
      ? [`${RUN_BUDGET.seconds} s of run time (this run: about ${formatCount(Math.ceil(estimate.seconds))} s)`]
      : []),
    ...(overMemory
      ? [`${gigabytes(RUN_BUDGET.bytes)} GB of memory (this run: about ${gigabytes(estimate.bytes)} GB)`]
      : []),
  ]
  const events = estimate.events > 0 ? `, about ${formatCount(estimate.events)} events` : ""
  return `this run is too big: it would exceed the budget of ${limits.join(" and ")}${events}; ${estimate.advice}`
}

/** Non-zero number flags closer to 0 than this are suspected when a run fails on a value that is not finite. */
const NEAR_ZERO = 1e-6

/**
 * The sentence that makes a failed run bad input rather than a bug, or undefined: when the run
 * failed on a time, rate or amount that is not a finite number (the kernel's `... got Infinity`)
 * and some number flag is within 1e-6 of 0 but not 0 (`--bandwidth-mbps 1e-320`), the input is
 * what broke: dividing by it overflowed the clock. Names those flags and their values.
 */
export function degenerateInputLine<F extends FlagSpecs>(
  definition: SimDefinition<F>,
  params: Params<F>,
  error: unknown,
): string | undefined {
  const message = error instanceof Error ? error.message : String(error)
  if (!/got -?(Infinity|NaN)\b/.test(message)) return undefined
  const tiny = Object.entries(definition.flags).flatMap(([key, spec]) => {
    const value = params[key as keyof Params<F>] as unknown
    const near = spec.kind === "number" && typeof value === "number" && value !== 0 && Math.abs(value) < NEAR_ZERO
    return near ? [`--${flagName(key, spec)} ${String(value)}`] : []
  })
  if (tiny.length === 0) return undefined
  const them = tiny.length === 1 ? "it" : "them"
  return `this run cannot be simulated: a time or rate computed from ${tiny.join(", ")} is beyond the largest number the clock holds; give ${them} a value further from 0 (at least ${NEAR_ZERO})`
}

/** Bytes in GB: one decimal below 10 GB, whole numbers with separators above. */
function gigabytes(bytes: number): string {
  const gb = bytes / 1e9
  return gb < 10 ? formatNumber(gb, 1) : formatCount(gb)
}
