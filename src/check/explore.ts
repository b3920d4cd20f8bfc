/**
 * The bounded exhaustive explorer: instead of sampling one order of simultaneous events, try every
 * order, up to a bound — stateless model checking in the manner of VeriSoft, and what TLC and
 * Stateright do for their specs, here for any model built on the kernel.
 *
 * How: the model is built and run from scratch for each schedule, with a {@link Chooser} that
 * answers the kernel's questions ("which of these 3 simultaneous events next?", or a model's own
 * `sim.choose`). The first run answers 0 everywhere (the kernel's normal order) and records how many
 * options each choice point had. Then, depth-first: find the deepest choice point with an untried
 * option, replay the same answers up to it, answer the next option there, and 0 after it. When no
 * choice point has an untried option left, every schedule has been run once.
 *
 * Invariants: a schedule is the list of answers; each one is run exactly once; the model must be
 * deterministic given the answers (replaying a prefix must offer the same option counts, which is
 * checked: a mismatch throws, naming the choice point). Bounds: `maxSchedules` stops the search,
 * `maxDepth` answers 0 beyond that many choice points without branching; either cut is reported.
 *
 * Left out: partial-order reduction and state caching (each schedule reruns from scratch; the
 * kernel already skips events nobody waits for). Keep scenarios tiny: orders grow factorially.
 */
import type { Chooser } from "../kernel/simulation.ts"

/** What one run of the model reports to the explorer. */
export interface ExploredRun {
  /** A description of the broken invariant, if this schedule broke one. */
  readonly violation?: string
  /** The final state, as a string: runs with equal keys count as one distinct state. */
  readonly stateKey: string
  /** What happened, for the report of a violating schedule (e.g. the trace as lines). */
  readonly log?: readonly string[]
}

/** One answered choice point. */
export interface ChoiceStep {
  /** What was chosen: "event" for simultaneous events, or the model's `sim.choose` label. */
  readonly label: string
  /** How many options there were. */
  readonly count: number
  /** The option taken, in [0, count). */
  readonly chosen: number
}

/** A fully explored schedule. */
export interface Schedule {
  /** The answers, in order: pass them to {@link replaySchedule} to run it again. */
  readonly choices: readonly number[]
  /** Every choice point with its label and option count. */
  readonly steps: readonly ChoiceStep[]
  readonly violation: string | undefined
  readonly stateKey: string
  readonly log: readonly string[]
}

/** Options of {@link explore}. */
export interface ExploreOptions {
  /** Most schedules to run. Default 100_000. */
  readonly maxSchedules?: number
  /** Most choice points per schedule that branch; deeper ones take option 0. Default 1_000. */
  readonly maxDepth?: number
  /** Stop at the first violating schedule. Default false (count every violating schedule). */
  readonly stopAtFirstViolation?: boolean
}

/** Why a search did not cover every schedule. */
export type ExploreCut = "maxSchedules" | "maxDepth" | "stopAtFirstViolation"

/** What {@link explore} found. */
export interface ExploreReport {
  /** Schedules run. */
  readonly schedules: number
  /** Distinct final states (distinct `stateKey`s). */
  readonly distinctStates: number
  /** The distinct state keys, in the order first reached. */
  readonly states: readonly string[]
  /** Schedules that reported a violation. */
  readonly violatingSchedules: number
  /** The first violating schedule found (depth-first order), if any. */
  readonly firstViolation: Schedule | undefined
  /** The most choice points any schedule had. */
  readonly maxDepthReached: number
  /** True when every schedule within the bounds was run: no cut. */
  readonly complete: boolean
  /** Which bounds cut the search (empty when complete). */
  readonly cutBy: readonly ExploreCut[]
}

/** A chooser that replays `prefix`, then answers 0, recording every choice point. */
class ReplayChooser implements Chooser {
  readonly steps: ChoiceStep[] = []
  depthCut = false

  constructor(
    private readonly prefix: readonly number[],
    private readonly expectedCounts: readonly number[],
    private readonly maxDepth: number,
  ) {}

  choose(count: number, label: string): number {
    const index = this.steps.length
    if (index >= this.maxDepth) {
      this.depthCut = true
      return 0
    }
    const expected = this.expectedCounts[index]
    if (index < this.prefix.length && expected !== undefined && expected !== count) {
      throw new Error(
        `the model is not deterministic: choice point #${index} ("${label}") offered ${count} options on replay, ${expected} before`,
      )
    }
    const chosen = index < this.prefix.length ? this.prefix[index]! : 0
    if (chosen >= count)
      throw new Error(`replay asked for option ${chosen} of only ${count} at choice point #${index} ("${label}")`)
    this.steps.push({ label, count, chosen })
    return chosen
  }
}

function runSchedule(
  build: (chooser: Chooser) => ExploredRun,
  prefix: readonly number[],
  expectedCounts: readonly number[],
  maxDepth: number,
): { schedule: Schedule; depthCut: boolean } {
  const chooser = new ReplayChooser(prefix, expectedCounts, maxDepth)
  const run = build(chooser)
  const schedule: Schedule = {
    choices: chooser.steps.map((step) => step.chosen),
    steps: chooser.steps,
    violation: run.violation,
    stateKey: run.stateKey,
    log: run.log ?? [],
  }
  return { schedule, depthCut: chooser.depthCut }
}

/**
 * Runs `build` once per schedule, depth-first, until every schedule within the bounds has run.
 * @param build - builds a fresh model with `new Simulation({ chooser })`, runs it, and reports
 * @throws Error when replaying a prefix offers different option counts (a nondeterministic model)
 */
export function explore(build: (chooser: Chooser) => ExploredRun, options: ExploreOptions = {}): ExploreReport {
  const maxSchedules = options.maxSchedules ?? 100_000
  const maxDepth = options.maxDepth ?? 1_000
  const stopAtFirstViolation = options.stopAtFirstViolation ?? false
  const states = new Set<string>()
  const cutBy = new Set<ExploreCut>()
  let schedules = 0
  let violatingSchedules = 0
  let firstViolation: Schedule | undefined
  let maxDepthReached = 0
  let prefix: number[] = []
  let counts: number[] = []
  for (;;) {
    const { schedule, depthCut } = runSchedule(build, prefix, counts, maxDepth)
    schedules++
    states.add(schedule.stateKey)
    maxDepthReached = Math.max(maxDepthReached, schedule.steps.length)
    if (depthCut) cutBy.add("maxDepth")
    if (schedule.violation !== undefined) {
      violatingSchedules++
      firstViolation ??= schedule
    }
    // Backtrack: the deepest choice point with an untried option.
    const steps = schedule.steps
    let i = steps.length - 1
    while (i >= 0 && steps[i]!.chosen + 1 >= steps[i]!.count) i--
    if (i < 0) break
    if (schedule.violation !== undefined && stopAtFirstViolation) {
      cutBy.add("stopAtFirstViolation")
      break
    }
    if (schedules >= maxSchedules) {
      cutBy.add("maxSchedules")
      break
    }
    prefix = [...schedule.choices.slice(0, i), steps[i]!.chosen + 1]
    counts = steps.slice(0, i + 1).map((step) => step.count)
  }
  return {
    schedules,
    distinctStates: states.size,
    states: [...states],
    violatingSchedules,
    firstViolation,
    maxDepthReached,
    complete: cutBy.size === 0,
    cutBy: [...cutBy],
  }
}

/**
 * Runs one schedule again from its choices (e.g. `report.firstViolation.choices`), answering 0
 * beyond them, and returns it with its steps.
 */
export function replaySchedule(build: (chooser: Chooser) => ExploredRun, choices: readonly number[]): Schedule {
  return runSchedule(build, choices, [], Infinity).schedule
}

/** A schedule's choices as text: `event 2/3, event 1/2` (option taken / options offered, from 1). */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.steps.length === 0) return "(no choices)"
  return schedule.steps.map((step) => `${step.label} ${step.chosen + 1}/${step.count}`).join(", ")
}
