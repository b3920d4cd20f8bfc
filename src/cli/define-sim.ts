/**
 * What a sim declares: its name and story, its flags, its quiz question and how to run it.
 *
 * A sim file is a {@link defineSim} call and nothing else: a header that tells the story, a record
 * of flags (see `flag.ts`), a `quiz` that asks the learner to predict, and a `run` that wires a
 * model, runs it and says what to show. Everything else — parsing and validating the command line,
 * echoing inputs, the timeline and table layout, verdicts, the JSON report, the trace file, exit
 * codes, progress — is the runner's job (`run-sim.ts`), identical for every sim.
 *
 * Invariants checked by {@link defineSim}: the sim's name is kebab-case; no sim flag takes the name
 * of a common flag (`--seed`, `--json`, `--trace`, `--strict`, `--quiz`, `--help`); flag names are
 * unique and kebab-case.
 *
 * Left out on purpose: asynchronous runs (a simulation runs on virtual time, synchronously) and
 * subcommands (one sim, one lesson).
 */
import type { Advance, CheckResult } from "../check/core/index.ts"
import type { RunOptions, RunResult, Simulation, SimulationOptions, TraceOptions } from "../kernel/index.ts"
import type { RunView } from "../view/run-view.ts"
import { type FlagSpec, flagName } from "./flag.ts"

/** The default seed of every sim. */
export const DEFAULT_SEED = 1

/** The largest seed accepted: seeds are safe integers from 0. */
export const SEED_MAX = Number.MAX_SAFE_INTEGER

/** The flags every sim has, handled by the runner. */
export const COMMON_FLAGS = [
  "seed",
  "json",
  "trace",
  "perfetto",
  "html",
  "serve-metrics",
  "realtime",
  "strict",
  "quiz",
  "width",
  "ascii",
  "help",
] as const

/** The record of flags a sim declares, keyed by param name (camelCase). */
export type FlagSpecs = Readonly<Record<string, FlagSpec<any>>>

/** The params a sim's `run` receives: every flag's value, defaults resolved, validated. */
export type Params<F extends FlagSpecs> = { readonly [K in keyof F]: F[K] extends FlagSpec<infer T> ? T : never }

/** A value that `JSON.stringify` writes faithfully: no NaN, no Infinity, no undefined. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** The verdict of one invariant or checker, as in every report: `{ name, held, detail }` (from `src/check`). */
export type { CheckResult }

/** One line of the timeline: something that happened at simulated time `t`. */
export interface TimelineEntry {
  /** Simulated time, in the sim's time unit. */
  readonly t: number
  /** What happened, e.g. `"customer 3 arrived; 2 waiting"`. */
  readonly text: string
}

/** A titled block of text lines (a table, a sparkline, a lesson) shown after the timeline. */
export interface TextSection {
  /** The heading, e.g. `"Measured vs predicted"`. */
  readonly title: string
  /** The lines, already laid out (see `renderTable`, `sparkline`). */
  readonly lines: readonly string[]
}

/** What a sim's `run` returns; the runner turns it into the text or JSON report. */
export interface SimOutcome {
  /** Simulated time at the end of the run (use {@link fromSimulation}). */
  readonly simTime: number
  /** Events processed (use {@link fromSimulation}). */
  readonly events: number
  /** The trace hash that identifies the run (use {@link fromSimulation}). */
  readonly traceHash: string
  /** Named numbers for the JSON report; nested objects for per-entity rows. JSON-safe only. */
  readonly metrics: { readonly [key: string]: JsonValue }
  /** Every check's verdict, in the order the text report lists them. */
  readonly checks: readonly CheckResult[]
  /** The events that matter, in time order; shown in text mode only. */
  readonly timeline?: { readonly title: string; readonly entries: readonly TimelineEntry[] }
  /** Tables, sparklines and lessons, shown in text mode only, in this order. */
  readonly sections?: readonly TextSection[]
  /**
   * The contents of the files the run was asked to write, keyed by the param key of each
   * `flag.outputFile` flag that was given a path (`{ pcap: bytes }`). A sim fills only the
   * ones asked for (`params.pcap !== ""`); a missing one is a bug in the sim. Default: none.
   */
  readonly files?: { readonly [param: string]: Uint8Array | string }
  /**
   * The charts of the `--html` report that only the sim knows: time series (queue length, lag)
   * and Gantt charts (schedules). Build it only when {@link RunContext.view} is true. The runner
   * adds the message diagram and the fault marks itself, from the network's trace records.
   * Default: none (the report still has every table).
   */
  readonly view?: RunView
}

/** The simulated time, event count and trace hash of a finished simulation, for a {@link SimOutcome}. */
export function fromSimulation(sim: Simulation): Pick<SimOutcome, "simTime" | "events" | "traceHash"> {
  return { simTime: sim.now, events: sim.eventsProcessed, traceHash: sim.trace.hash }
}

/** What the runner hands to a sim's `run`. */
export interface RunContext {
  /** The run's seed (`--seed`). */
  readonly seed: number
  /** `"text"` or `"json"`: a sim may skip building text it will not show. */
  readonly output: "text" | "json"
  /** True when an HTML report is written (`--html`): the sim may build {@link SimOutcome.view}. Default false. */
  readonly view?: boolean
  /** Trace options that stream to `--trace FILE` when given; pass them to every Simulation. */
  readonly trace: TraceOptions
  /**
   * A new Simulation with the run's seed and trace. `keep` keeps the last N trace records in
   * memory (default 0).
   */
  simulation(options?: Omit<SimulationOptions, "seed" | "trace"> & { readonly keep?: number }): Simulation
  /**
   * Runs `sim` like `sim.run(options)`, with progress on stderr when it is a terminal (in slices of
   * events, which never changes what the simulation does).
   */
  run(sim: Simulation, options?: RunOptions): RunResult
  /** The {@link Advance} to pass to a scenario's `run`: `run(sim, { until })`, with progress. */
  readonly advance: Advance
}

/** The three lines at the top of every sim: what it covers, the scenario, what to try. */
export interface SimHeader {
  /** The concepts it covers, e.g. `"acks=0/1/all, ISR, high watermark"`. */
  readonly covers: string
  /** The default scenario in one or two sentences. */
  readonly scenario: string
  /** Flag combinations worth trying, each a command-line fragment (`"--servers 2"`). */
  readonly try: readonly string[]
}

/** Time display of a sim's timeline and progress line. */
export interface TimeFormat {
  /** The unit suffix, e.g. `"s"` or `"ms"`. Default `""`. */
  readonly unit?: string
  /** Digits after the decimal point. Default 1. */
  readonly decimals?: number
  /**
   * The unit's name where the suffix is empty or terse (`"ticks"` for times shown bare): the
   * JSON report's `timeUnit`. Default: `unit`.
   */
  readonly unitName?: string
}

/** What one metric of the JSON report means, and its unit. */
export interface MetricDoc {
  /** What the number (or object) is, e.g. `"mean wait in queue Wq"`. */
  readonly description: string
  /** Its unit: `"s"`, `"ms"`, `"records"`, `"fraction"`; for an object, `"see fields"` with the fields' units in the description. */
  readonly unit: string
}

/** A cross-flag rule: some combinations of individually valid values contradict each other. */
export interface Constraint<P> {
  /** The param keys involved, named in the error message. */
  readonly params: readonly (keyof P & string)[]
  /** True when the combination is allowed. */
  readonly holds: (params: P) => boolean
  /** Why the combination is not allowed, e.g. `"the minimum delay must not exceed the maximum"`. */
  readonly message: string
}

/**
 * What a run will cost, estimated from its params before it starts; the runner refuses a run over
 * the budget ({@link RUN_BUDGET}) with exit 2, and shows progress against `simTime`.
 */
export interface WorkEstimate {
  /**
   * Wall-clock seconds the run will take on the reference machine (2 cores, Node 20), about:
   * the work (events, slices, ticks ...) divided by the speed measured for this sim. Each sim
   * states how it measured its speed next to its estimate.
   */
  readonly seconds: number
  /** Peak memory of the process, in bytes, about (the runtime's own ~150 MB included). */
  readonly bytes: number
  /** Simulated time the run will reach, in the sim's time unit, for the progress line; 0: unknown. */
  readonly simTime: number
  /** Events the run will process, about (all its simulations together), for the message. */
  readonly events: number
  /** The flags that make the run smaller, named, e.g. `"lower --messages or raise --rate"`. */
  readonly advice: string
}

/** What a sim's `estimate` knows besides the params: the text report may keep more than the JSON one. */
export interface EstimateContext {
  /** The run's seed (`--seed`). */
  readonly seed: number
  /** `"text"` or `"json"`, as in {@link RunContext.output}. */
  readonly output: "text" | "json"
}

/** What every run must fit in: 60 s of wall-clock time and 1.5 GB of memory on the reference machine. */
export const RUN_BUDGET = { seconds: 60, bytes: 1.5e9 } as const

/**
 * Peak memory of a run that keeps next to nothing: Node, tsx, effect and the sim's modules (140-180
 * MB idle) plus the garbage a busy run leaves between collections. Measured 2026-12-07 as peak RSS
 * of runs of 2.5 s that keep little (test/sims/budget.test.ts): 263-284 MB (lost-update-explorer
 * 284 MB keeping nothing; mm-queue --json with 1,000,000 customers 194 MB).
 */
export const BASE_RUN_BYTES = 320e6

/**
 * Seconds a run spends before and after simulating: start-up, parsing, the report. Measured
 * 2026-12-07 as the CPU time (user + system) of a run that simulates nearly nothing
 * (`node --import tsx sims/mm-queue.ts --customers 1 --json`, and kafka-batching with 1 message):
 * 2.1-2.4 s alone (it was 2 here, below that), and about a fifth more inside the parallel test
 * suite, where the budget's calibration runs measured up to 0.5 s over estimates built on 2.
 * Measured again 2026-12-08 inside the test suite: tsx's start-up alone (`--help` of hot-ranking,
 * the sim that loads the most modules, 342) took 2.2-2.7 s of CPU, leaving too little of 3 s for
 * parsing and the report; 3.5.
 */
export const RUN_OVERHEAD_SECONDS = 3.5

/** What {@link workEstimate} needs: the work in events and the speed measured for the sim. */
export interface WorkInput {
  /** Events the run will process (all its simulations together), about, not fewer. */
  readonly events: number
  /** Events per second this sim's runs process on the reference machine (measured; see the sim). */
  readonly eventsPerSecond: number
  /** Bytes the run keeps at its peak beyond {@link BASE_RUN_BYTES}. Default 0. */
  readonly keptBytes?: number
  /** Simulated time the run will reach, in the sim's time unit; 0: unknown. */
  readonly simTime: number
  /** The flags that make the run smaller, e.g. `"lower --messages or raise --rate"`. */
  readonly advice: string
}

/** A {@link WorkEstimate} from a count of events and a measured speed. */
export function workEstimate(input: WorkInput): WorkEstimate {
  return {
    seconds: RUN_OVERHEAD_SECONDS + input.events / input.eventsPerSecond,
    bytes: BASE_RUN_BYTES + (input.keptBytes ?? 0),
    simTime: input.simTime,
    events: input.events,
    advice: input.advice,
  }
}

/** A sim definition; build it with {@link defineSim}. */
export interface SimDefinition<F extends FlagSpecs> {
  /** kebab-case name; the file is `sims/<name>.ts`. */
  readonly name: string
  /** One-line title: the question the sim answers. */
  readonly title: string
  /** Covers / scenario / try, shown by `--help` and `--quiz`. */
  readonly header: SimHeader
  /** How times are shown. Default: no unit, one decimal. */
  readonly time?: TimeFormat
  /** The sim's own flags. */
  readonly flags: F
  /** What each top-level metric of the JSON report means, with its unit (shown by `--help`). Default: none. */
  readonly metrics?: Readonly<Record<string, MetricDoc>>
  /** Cross-flag rules (contradictions exit 2). Default: none. */
  readonly constraints?: readonly Constraint<Params<F>>[]
  /**
   * Input problems only the drawn problem reveals, checked after the flags and before a quiz, an
   * estimate or a run: a sim that draws its problem from the seed as an OSTEP homework script does
   * can meet inputs that contradict a drawn value (a given segment base overlapping a drawn one).
   * Returns the sentence naming the flags, their values and the rule (exit 2), or undefined.
   * Default: none.
   */
  readonly refuse?: (params: Params<F>, seed: number) => string | undefined
  /**
   * The question `--quiz` asks for these params and seed (a sim that draws its problem from the
   * seed, e.g. random jobs, shows the drawn problem): predict, then rerun without `--quiz`.
   */
  readonly quiz: (params: Params<F>, seed: number) => string
  /**
   * The run's cost, from the params, seed and output mode alone, without running it (see {@link WorkEstimate});
   * must not underestimate runs near the budget: the tests run each sim at its largest accepted
   * values and check they finish within {@link RUN_BUDGET}.
   */
  readonly estimate: (params: Params<F>, run: EstimateContext) => WorkEstimate
  /** Builds the model, runs it and reports. Must be deterministic given the params and seed. */
  readonly run: (params: Params<F>, context: RunContext) => SimOutcome
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/**
 * Declares a sim. Checks the definition's own invariants (see the file header) and returns it
 * unchanged, typed, so `run` gets typed params.
 *
 * @throws Error when the name or a flag name is not kebab-case, or a flag name is taken.
 */
export function defineSim<const F extends FlagSpecs>(definition: SimDefinition<F>): SimDefinition<F> {
  if (!KEBAB.test(definition.name))
    throw new Error(`sim name must be kebab-case, got ${JSON.stringify(definition.name)}`)
  const seen = new Set<string>(COMMON_FLAGS)
  seen.add("h")
  for (const [key, spec] of Object.entries(definition.flags)) {
    const name = flagName(key, spec)
    if (!KEBAB.test(name)) throw new Error(`${definition.name}: flag --${name} (param ${key}) must be kebab-case`)
    if (seen.has(name)) throw new Error(`${definition.name}: flag --${name} (param ${key}) is already taken`)
    seen.add(name)
  }
  return definition
}
