/**
 * The property harness: run a model under fast-check with scenario and fault-plan arbitraries,
 * and either require a set of checks to hold for every generated case (`expectHolds`) or require
 * fast-check to find a case that breaks one (`expectCounterexample`, for designs that are meant to
 * be broken: acks=1, read-modify-write without a lock, a lease without fencing).
 *
 * A failure is a reproduction, never a riddle. The message carries:
 * - the fast-check seed and path (pass `{ seed, path }` back to replay the exact case, or set
 *   `FC_SEED` to rerun the whole property);
 * - the verdicts that did not hold, each with the first offending records;
 * - the shrunk scenario as JSON and the shrunk fault plan, in words and as JSON;
 * - the command line `npx tsx sims/<name>.ts <flags> --faults '<json>'` that replays that case in
 *   the sim (the sim author supplies `toFlags(scenario)`).
 *
 * Seeds: `options.seed`, else `FC_SEED` from the environment (CI sets it), else a fresh seed chosen
 * by fast-check. The seed is always printed (on the `log` line) and returned.
 *
 * Invariants: `run` must be a pure function of its arguments (a fresh simulation every call):
 * fast-check calls it once per case and many times while shrinking. A `run` that throws is a
 * failure too (an engine or model crash), reported with its error rather than with verdicts.
 *
 * Left out: async models (every model runs on simulated time, synchronously) and fast-check's
 * model-based `commands` (scenarios here are data, replayable from a command line).
 */
import fc from "fast-check"
import { describeFaultPlanLines } from "../net/describe-fault-plan.ts"
import { type FaultPlan, NO_FAULTS } from "../net/fault-plan.ts"
import { type CheckResult, allHeld, describeVerdict, verdictList } from "./core/check-result.ts"
import { shellQuote } from "./shell-quote.ts"

/** How to replay a case with a sim from the command line. */
export interface SimReplay<S> {
  /** The sim's name: the replay line runs `npx tsx sims/<name>.ts`. */
  readonly name: string
  /** The flags that reproduce `scenario`, e.g. `["--seed", "3", "--acks", "1"]` (the fault plan is added as `--faults`). */
  readonly toFlags: (scenario: S) => readonly string[]
}

/** Options of {@link expectHolds} and {@link expectCounterexample}. */
export interface PropertyOptions<S, R> {
  /** Scenarios: the model's parameters, usually including its seed. Required (`fc.constant({})` for none). */
  readonly scenario: fc.Arbitrary<S>
  /** Fault plans, e.g. `faultPlanArbitrary({ nodes, horizonMs })`. Default: always {@link NO_FAULTS}, and no `--faults` flag. */
  readonly faults?: fc.Arbitrary<FaultPlan>
  /** Runs the model on one case and returns what the checks read. Must build a fresh simulation each call. Required. */
  readonly run: (scenario: S, faults: FaultPlan) => R
  /** The verdicts on a run; the property holds when every one held. Required. */
  readonly check: (result: R, scenario: S, faults: FaultPlan) => CheckResult | readonly CheckResult[]
  /** How to replay a case with a sim. Default: no command line in the message. */
  readonly sim?: SimReplay<S>
  /** Names the property in messages. Default: `sims/<name>.ts` when `sim` is given, else "the property". */
  readonly label?: string
  /** Cases to generate. Default 100. */
  readonly numRuns?: number
  /** fast-check seed. Default: `FC_SEED` from the environment, else fresh. */
  readonly seed?: number
  /** Replay one case: the `path` printed by a failure, used with its `seed`. Default: none (a full run). */
  readonly path?: string
  /** Where the one-line seed notice goes; `null` for silence. Default: standard error. */
  readonly log?: ((line: string) => void) | null
}

/** What {@link expectHolds} reports when every case held. */
export interface HoldsReport {
  /** The fast-check seed used. */
  readonly seed: number
  /** Cases that ran. */
  readonly numRuns: number
}

/** The shrunk case {@link expectCounterexample} found. */
export interface Counterexample<S, R> {
  readonly scenario: S
  readonly faults: FaultPlan
  /** What `run` returned on the shrunk case. */
  readonly result: R
  /** Every verdict on the shrunk case. */
  readonly verdicts: readonly CheckResult[]
  /** The verdicts that did not hold (at least one). */
  readonly failed: readonly CheckResult[]
  /** The fast-check seed and path that replay the shrunk case (`{ seed, path }`). */
  readonly seed: number
  readonly path: string
  /** Cases run until the first failure, and shrinks made after it. */
  readonly numRuns: number
  readonly numShrinks: number
  /** The sim command line that replays the case, when `sim` was given. */
  readonly command: string | undefined
  /** The whole report, as an `expectHolds` failure would print it. */
  readonly report: string
}

/** Thrown inside the property when a verdict did not hold; carries what the report needs. */
class ChecksFailed<R> extends Error {
  /** Fixed name: stops tsx (esbuild keepNames) from redefining it (see Timeout in src/kernel/event.ts). */
  static override get name(): string {
    return "ChecksFailed"
  }

  constructor(
    readonly verdicts: readonly CheckResult[],
    readonly result: R,
  ) {
    super(
      verdicts
        .filter((verdict) => !verdict.held)
        .map(describeVerdict)
        .join("\n"),
    )
    this.name = "ChecksFailed"
  }
}

/** `npx tsx sims/<name>.ts <flags> [--faults '<json>']`, shell-quoted. */
export function replayCommand<S>(sim: SimReplay<S>, scenario: S, faults: FaultPlan | undefined): string {
  const args = [...sim.toFlags(scenario), ...(faults === undefined ? [] : ["--faults", JSON.stringify(faults)])]
  return [`npx tsx sims/${sim.name}.ts`, ...args.map(shellQuote)].join(" ")
}

/** The seed to use: the option, else `FC_SEED`, else undefined (fast-check picks a fresh one). */
function resolveSeed(seed: number | undefined): number | undefined {
  if (seed !== undefined) return seed
  const text = process.env.FC_SEED
  if (text === undefined || text === "") return undefined
  const parsed = Number(text)
  if (!Number.isInteger(parsed)) throw new RangeError(`FC_SEED must be an integer, got "${text}"`)
  return parsed
}

function labelOf<S, R>(options: PropertyOptions<S, R>): string {
  return options.label ?? (options.sim === undefined ? "the property" : `sims/${options.sim.name}.ts`)
}

function logLine<S, R>(options: PropertyOptions<S, R>, line: string): void {
  const log = options.log === undefined ? (text: string) => void process.stderr.write(`${text}\n`) : options.log
  if (log !== null) log(line)
}

interface Outcome<S, R> {
  readonly details: fc.RunDetails<[S, FaultPlan]>
  readonly faultsGiven: boolean
  readonly options: PropertyOptions<S, R>
}

function runProperty<S, R>(options: PropertyOptions<S, R>): Outcome<S, R> {
  const property = fc.property(options.scenario, options.faults ?? fc.constant(NO_FAULTS), (scenario, faults) => {
    const result = options.run(scenario, faults)
    const verdicts = verdictList(options.check(result, scenario, faults))
    if (verdicts.length === 0)
      throw new Error("the check returned no verdict: a property that checks nothing proves nothing")
    if (!allHeld(verdicts)) throw new ChecksFailed(verdicts, result)
  })
  const seed = resolveSeed(options.seed)
  const parameters: fc.Parameters<[S, FaultPlan]> = {
    numRuns: options.numRuns ?? 100,
    ...(seed === undefined ? {} : { seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  }
  return { details: fc.check(property, parameters), faultsGiven: options.faults !== undefined, options }
}

/** The failure report: seed and path, verdicts or error, scenario, fault plan, replay command. */
function report<S, R>(outcome: Outcome<S, R>, headline: string): { text: string; command: string | undefined } {
  const { details, options } = outcome
  if (details.counterexample === null) {
    return { text: `${labelOf(options)}: ${headline}\n${fc.defaultReportMessage(details) ?? ""}`, command: undefined }
  }
  const [scenario, faults] = details.counterexample
  const error = details.errorInstance
  const lines = [
    `${labelOf(options)}: ${headline} after ${details.numRuns} case${details.numRuns === 1 ? "" : "s"} and ${details.numShrinks} shrink${details.numShrinks === 1 ? "" : "s"}`,
    `  fast-check: seed=${details.seed} path="${details.counterexamplePath}" (replay this case with { seed: ${details.seed}, path: "${details.counterexamplePath}" }; rerun the property with FC_SEED=${details.seed})`,
  ]
  if (error instanceof ChecksFailed) {
    lines.push("  verdicts:")
    for (const verdict of error.verdicts) lines.push(`    ${describeVerdict(verdict)}`)
  } else {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
    lines.push("  the run threw:")
    for (const line of text.split("\n")) lines.push(`    ${line}`)
  }
  lines.push(`  scenario: ${JSON.stringify(scenario) ?? fc.stringify(scenario)}`)
  if (outcome.faultsGiven) {
    lines.push(`  fault plan (${faults.faults.length} fault${faults.faults.length === 1 ? "" : "s"}):`)
    for (const line of describeFaultPlanLines(faults)) lines.push(`    ${line}`)
    lines.push(`  fault plan JSON: ${JSON.stringify(faults)}`)
  }
  const command =
    options.sim === undefined
      ? undefined
      : replayCommand(options.sim, scenario, outcome.faultsGiven ? faults : undefined)
  if (command !== undefined) lines.push(`  replay: ${command}`)
  return { text: lines.join("\n"), command }
}

/**
 * Requires every verdict of `check` to hold on every generated case.
 * @returns the seed and the number of cases
 * @throws Error with the reproduction (seed, path, verdicts, shrunk scenario and plan, replay line)
 */
export function expectHolds<S, R>(options: PropertyOptions<S, R>): HoldsReport {
  const outcome = runProperty(options)
  const { details } = outcome
  if (details.failed) {
    const { text } = report(outcome, "a check did not hold")
    logLine(options, `${labelOf(options)}: FAILED (seed=${details.seed} path="${details.counterexamplePath}")`)
    throw new Error(text)
  }
  if (details.interrupted) throw new Error(`${labelOf(options)}: fast-check was interrupted (seed=${details.seed})`)
  logLine(options, `${labelOf(options)}: ${details.numRuns} cases held (seed=${details.seed})`)
  return { seed: details.seed, numRuns: details.numRuns }
}

/**
 * Requires fast-check to find a case where some verdict does not hold, and returns it shrunk, so
 * the test can assert what the counterexample shows (which faults, which records).
 * @throws Error when every case held (naming the seed and case count), or when the shrunk case
 *   made `run` or `check` throw instead of reporting a verdict (with that error and the case)
 */
export function expectCounterexample<S, R>(options: PropertyOptions<S, R>): Counterexample<S, R> {
  const outcome = runProperty(options)
  const { details } = outcome
  if (!details.failed) {
    throw new Error(
      `${labelOf(options)}: expected a counterexample, but all ${details.numRuns} cases held (seed=${details.seed}); ` +
        "raise numRuns or widen the arbitraries",
    )
  }
  const error = details.errorInstance
  if (!(error instanceof ChecksFailed)) {
    throw new Error(report(outcome, "the run threw instead of reporting a verdict").text)
  }
  const { text, command } = report(outcome, "counterexample found")
  logLine(
    options,
    `${labelOf(options)}: counterexample found (seed=${details.seed} path="${details.counterexamplePath}")`,
  )
  const [scenario, faults] = details.counterexample!
  const failing = error as ChecksFailed<R>
  return {
    scenario,
    faults,
    result: failing.result,
    verdicts: failing.verdicts,
    failed: failing.verdicts.filter((verdict) => !verdict.held),
    seed: details.seed,
    path: details.counterexamplePath!,
    numRuns: details.numRuns,
    numShrinks: details.numShrinks,
    command,
    report: text,
  }
}
