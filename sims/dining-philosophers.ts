/**
 * Dining philosophers: N forks as Go mutexes. Which schedules deadlock, and what does each fix
 *   break?
 * Covers: deadlock, Go's runtime deadlock detector, wait-for cycles, Coffman's four conditions,
 *   lock ordering, an arbiter, try-lock with a timeout and back-off (and its livelock), exploring
 *   every schedule
 * Scenario: 5 philosophers eat 2 meals each, taking the left fork, then the right; thinking,
 *   reaching for the second fork and eating each take 1, 2 or 3 ms drawn from the seed. --explore
 *   also runs every schedule at 0 ms per step
 * Try: --fix ordering; --fix timeout; --philosophers 3 --explore; --philosophers 3 --explore --fix
 *   ordering; --philosophers 3 --explore --fix arbiter; --philosophers 2 --explore --fix timeout
 */
import {
  defineSim,
  flag,
  formatCount,
  formatNumber,
  formatPercent,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  workEstimate,
} from "../src/cli/index.ts"
import type { Constraint } from "../src/cli/define-sim.ts"
import { describeSchedule, explore, replaySchedule, type Schedule } from "../src/check/explore.ts"
import { type Chooser, Simulation, TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  checkNoDeadlock,
  countDiningSchedules,
  DINING_FIXES,
  type DiningEvent,
  type DiningFix,
  type DiningOptions,
  type DiningRun,
  DiningScenario,
  diningTimelineLine,
  runDiningPhilosophers,
  type WaitForLink,
} from "../src/models/go/index.ts"

// --- every schedule: the kernel's explorer over the model (docs/go.md, "What a schedule is") ---

/** The timeout fix's settings when explored (the defaults of `DiningOptions`), ms. */
const EXPLORED_TIMEOUT_MS = 2
/** The back-offs the explorer tries after a timeout, ms. */
const EXPLORED_BACKOFFS_MS = [1, 2, 3] as const

/** How far the timeout fix is explored, ms: a timeout, the longest back-off, and a timeout again. */
const TIMEOUT_HORIZON_MS = 2 * EXPLORED_TIMEOUT_MS + Math.max(...EXPLORED_BACKOFFS_MS)

/** What to explore. */
interface DinnerToExplore {
  readonly philosophers: number
  readonly meals: number
  readonly fix: DiningFix
  /** Most schedules to run. Default 100,000. */
  readonly maxSchedules?: number
}

/** The smallest deadlocking schedule, replayed with its trace. */
interface ReplayedDeadlock {
  readonly schedule: Schedule
  readonly run: DiningRun
  /** Every record of the replay. */
  readonly records: readonly Traced<DiningEvent>[]
}

/** What every schedule came to. */
interface DinnerExploration {
  readonly schedules: number
  readonly deadlocks: number
  /** Schedules that had neither deadlocked nor fed everyone by the horizon (timeout fix only). */
  readonly unfinished: number
  /** Of those, the ones in which no one had eaten and every philosopher had timed out at least twice. */
  readonly livelocked: number
  /** Every schedule within the bounds was run. */
  readonly complete: boolean
  /** The horizon, ms, for the timeout fix; undefined for the others (run to the end). */
  readonly horizonMs: number | undefined
  /** The deadlocking schedule with the fewest choice points (the first found among equals). */
  readonly smallestDeadlock: ReplayedDeadlock | undefined
}

/** Runs every schedule of `dinner` (see the module comment). */
function exploreDinner(dinner: DinnerToExplore): DinnerExploration {
  const horizonMs = dinner.fix === "timeout" ? TIMEOUT_HORIZON_MS : undefined
  const options = {
    philosophers: dinner.philosophers,
    meals: dinner.meals,
    fix: dinner.fix,
    timeoutMs: EXPLORED_TIMEOUT_MS,
    backoffsMs: EXPLORED_BACKOFFS_MS,
    ...(horizonMs === undefined ? {} : { untilMs: horizonMs }),
  }
  const tally = { deadlocks: 0, unfinished: 0, livelocked: 0 }
  let smallest: readonly number[] | undefined
  const report = explore(
    (chooser) => {
      const answers: number[] = []
      const recording: Chooser = {
        choose(count, label) {
          const answer = chooser.choose(count, label)
          answers.push(answer)
          return answer
        },
      }
      const run = runDiningPhilosophers(new Simulation({ chooser: recording, trace: { enabled: false } }), options)
      if (run.deadlock !== undefined) {
        tally.deadlocks++
        if (smallest === undefined || answers.length < smallest.length) smallest = answers
      } else if (!run.finished) {
        tally.unfinished++
        if (run.meals.every((m) => m === 0) && run.timeoutsBy.every((t) => t >= 2)) tally.livelocked++
      }
      return run.deadlock === undefined ? { stateKey: "fed" } : { stateKey: "deadlock", violation: "deadlock" }
    },
    { maxSchedules: dinner.maxSchedules ?? 100_000 },
  )
  return {
    schedules: report.schedules,
    ...tally,
    complete: report.complete,
    horizonMs,
    smallestDeadlock: smallest === undefined ? undefined : replayDeadlock(options, smallest),
  }
}

/** Runs the schedule `choices` again with every record kept. */
function replayDeadlock(options: DiningOptions, choices: readonly number[]): ReplayedDeadlock {
  let run: DiningRun | undefined
  let sim: Simulation | undefined
  const schedule = replaySchedule((chooser) => {
    sim = new Simulation({ chooser, trace: { keep: Infinity } })
    run = runDiningPhilosophers(sim, options)
    return { stateKey: "deadlock" }
  }, choices)
  const records = sim!.trace.records() as unknown as readonly Traced<DiningEvent>[]
  return { schedule, run: run!, records }
}

/** Most schedules an exploration runs. */
const MAX_SCHEDULES = 100_000
/** Most philosophers explored (6 already need more than 100,000 schedules with every fix). */
const MAX_EXPLORED_PHILOSOPHERS = 5
/** The timeout fix's schedule counts up to its horizon, 2 philosophers, by meals (measured, tested). */
const TIMEOUT_SCHEDULES: Readonly<Record<number, number>> = { 1: 7_730, 2: 28_738 }
/** Most philosophers shown as lanes (a column each). */
const MAX_LANES = 8

const flags = {
  philosophers: flag.integer({
    description: "philosophers round the table, and forks (one between each two neighbours)",
    unit: "philosophers",
    default: 5,
    min: 2,
    max: 50,
  }),
  fix: flag.choice({
    description:
      "none (left fork, then right), ordering (lower-numbered fork first), arbiter (a waiter mutex: one philosopher at a time takes forks), timeout (the second fork with a 2 ms timeout; on a timeout put the first down and back off 1-3 ms)",
    choices: DINING_FIXES,
    default: "none",
  }),
  meals: flag.integer({ description: "meals each philosopher eats", unit: "meals", default: 2, min: 1, max: 20 }),
  explore: flag.boolean({
    description: `also run every schedule: every cost is 0 ms, so only the order of the goroutines' steps varies; a schedule is the sequence of the explorer's answers to "which pending step runs next" (a goroutine's start, the end of its 0 ms reach between its two locks, its wake-up with a mutex handed to it; the timeout fix adds its timers, back-offs of 1, 2 or 3 ms, and stops at ${TIMEOUT_HORIZON_MS} ms; exactly: docs/go.md, "What a schedule is"). At most ${formatCount(MAX_SCHEDULES)} schedules`,
    default: false,
  }),
}

type DiningParams = Params<typeof flags>

/** The exact number of schedules `params` explores, or why it cannot be explored. */
function explorable(params: DiningParams): { schedules: number } | { refusal: string } {
  const { philosophers, meals, fix } = params
  if (fix === "timeout") {
    const count = philosophers === 2 ? TIMEOUT_SCHEDULES[meals] : undefined
    if (count !== undefined) return { schedules: count }
    return {
      refusal: `the timeout fix is explored with 2 philosophers eating 1 or 2 meals (7,730 and 28,738 schedules up to ${TIMEOUT_HORIZON_MS} ms); 3 philosophers need more than ${formatCount(MAX_SCHEDULES)} schedules, the most that can be enumerated`,
    }
  }
  if (philosophers > MAX_EXPLORED_PHILOSOPHERS)
    return {
      refusal: `at most ${MAX_EXPLORED_PHILOSOPHERS} philosophers can be explored (6 eating one meal need ${formatCount(countDiningSchedules(6, 1, fix).schedules)} schedules with --fix ${fix}; the limit is ${formatCount(MAX_SCHEDULES)})`,
    }
  // More meals never mean fewer schedules: count meal by meal and stop at the first over the limit.
  for (let m = 1; m <= meals; m++) {
    const { schedules } = countDiningSchedules(philosophers, m, fix)
    if (schedules > MAX_SCHEDULES)
      return {
        refusal: `${philosophers} philosophers eating ${m} meal(s) with --fix ${fix} already run ${formatCount(schedules)} schedules; at most ${formatCount(MAX_SCHEDULES)} can be enumerated: lower --philosophers or --meals`,
      }
    if (m === meals) return { schedules }
  }
  return { schedules: 0 }
}

/** The constraint on --explore; its message is the refusal of the params it last saw. */
function exploreConstraint(): Constraint<DiningParams> {
  let refusal = ""
  return {
    params: ["explore", "philosophers", "meals", "fix"],
    holds(params) {
      if (!params.explore) return true
      const verdict = explorable(params)
      refusal = "refusal" in verdict ? verdict.refusal : ""
      return !("refusal" in verdict)
    },
    get message() {
      return refusal
    },
  }
}

/** A record in a philosopher's lane, in a few words. */
function laneText(record: Traced<DiningEvent>): string {
  switch (record.type) {
    case "PhilosopherHungry":
      return "hungry"
    case "ForkWaited":
      return `waits fork ${record.fork} (P${record.heldBy})`
    case "ForkTaken":
      return `takes fork ${record.fork}`
    case "ForkPutDown":
      return `puts down ${record.fork}`
    case "MealStarted":
      return "eats"
    case "WaiterWaited":
      return "waits waiter"
    case "WaiterGranted":
      return "waiter says go"
    case "WaiterReleased":
      return "waiter released"
    case "ForkTimedOut":
      return `gives up fork ${record.fork}`
    case "BackedOff":
      return `backs off ${record.backoffMs} ms`
    case "DinnerDeadlocked":
      return "asleep"
    default: {
      const unknown: never = record
      return unknown
    }
  }
}

/** The records as goroutine lanes: a row per record, a column per philosopher. */
function lanes(records: readonly Traced<DiningEvent>[], n: number, clock: "t (ms)" | "step"): string[] {
  const rows = records.map((record, i) => {
    const first = clock === "step" ? String(i + 1) : formatNumber(record.t, 1)
    if (record.type === "DinnerDeadlocked") return [first, ...Array<string>(n).fill(laneText(record))]
    const cells = Array<string>(n).fill("")
    cells[record.philosopher] = laneText(record)
    return [first, ...cells]
  })
  const columns = [
    { header: clock, align: "right" as const },
    ...Array.from({ length: n }, (_, p) => ({ header: `P${p}` })),
  ]
  return renderTable(columns, rows)
}

/** The wait-for cycle in words: "P0 holds fork 0 and waits for fork 1, held by P1". */
function cycleLines(cycle: readonly WaitForLink[]): string[] {
  return cycle.map(
    (link) =>
      `P${link.philosopher} holds fork ${link.holds} and waits for fork ${link.waitsFor}, held by P${link.heldBy}`,
  )
}

/** Go's report and the cycle behind it. */
function deadlockLines(run: DiningRun): string[] {
  const deadlock = run.deadlock!
  const cycle = deadlock.cycle.map((link) => `P${link.philosopher}`)
  return [
    ...deadlock.message.split("\n"),
    "",
    `The wait-for cycle (${[...cycle, cycle[0]].join(" → ")}):`,
    ...cycleLines(deadlock.cycle).map((line) => `  ${line}`),
  ]
}

/** Every philosopher holds its own left fork and waits for its right one. */
function everyoneHoldsLeft(run: DiningRun): boolean {
  const cycle = run.deadlock?.cycle ?? []
  return (
    cycle.length === run.philosophers &&
    cycle.every(
      (link) => link.holds === link.philosopher && link.waitsFor === (link.philosopher + 1) % run.philosophers,
    )
  )
}

function runWords(run: DiningRun, n: number): string {
  const eaten = run.meals.reduce((a, b) => a + b, 0)
  if (run.deadlock !== undefined) {
    const how = everyoneHoldsLeft(run)
      ? `all ${n} philosophers held their left fork and waited for their right one, held by their neighbour`
      : `the philosophers in the cycle ${run.deadlock.cycle.map((l) => `P${l.philosopher}`).join(", ")} each held a fork another of them waited for`
    return `This run (the seed's costs): at ${formatNumber(run.endMs, 1)} ms ${how}. Go's runtime found every goroutine asleep and stopped the program after ${eaten} of ${n * run.mealsPlanned} meals.`
  }
  const longest = Math.max(...run.longestWaitMs)
  const who = run.longestWaitMs.indexOf(longest)
  const timeouts =
    run.fix === "timeout"
      ? ` A philosopher gave up waiting for its second fork and backed off ${run.timeouts} time(s).`
      : ""
  return `This run (the seed's costs): every philosopher ate its ${run.mealsPlanned} meal(s) by ${formatNumber(run.endMs, 1)} ms; the longest wait from hungry to eating was ${formatNumber(longest, 1)} ms (P${who}).${timeouts}`
}

function exploredWords(params: DiningParams, explored: DinnerExploration): string[] {
  const { schedules, deadlocks } = explored
  const n = params.philosophers
  if (params.fix === "timeout" && deadlocks === 0) {
    const fed = schedules - explored.unfinished
    const lines = [
      `Every schedule up to ${explored.horizonMs} ms (${formatCount(schedules)}): none deadlocked; ${formatCount(fed)} had fed everyone and ${formatCount(explored.unfinished)} were still going.`,
    ]
    if (explored.livelocked > 0)
      lines.push(
        `In ${formatCount(explored.livelocked)} of them no one had eaten and every philosopher had timed out at least twice: they time out together, back off by the same amount and collide again. That is a livelock; only back-offs that differ end it, and nothing bounds how long it can last.`,
      )
    return lines
  }
  const lines = [
    `Every schedule (${formatCount(schedules)}): ${formatCount(deadlocks)} deadlocked (${formatPercent(deadlocks / schedules)}).`,
  ]
  const smallest = explored.smallestDeadlock
  if (smallest !== undefined && everyoneHoldsLeft(smallest.run) && smallest.run.meals.every((m) => m === 0))
    lines.push(
      `The smallest (${smallest.schedule.steps.length} choice points): every philosopher took its left fork, then each waited for its right one; no one ate.`,
    )
  if (deadlocks > 0) return lines
  if (params.fix === "ordering")
    lines.push(
      `Taking the lower-numbered fork first, P${n - 1} reaches for fork 0 before fork ${n - 1}, so the last link of the cycle can never form: circular wait is broken.`,
    )
  if (params.fix === "arbiter")
    lines.push(
      "With the waiter letting one philosopher at a time take forks, at most one holds a fork and waits for another, and the neighbour it waits for is eating: circular wait is broken (hold and wait still happens).",
    )
  return lines
}

const BROKEN_BY: Record<DiningParams["fix"], string> = {
  none: "breaks none of them",
  ordering: "breaks circular wait",
  arbiter: "breaks circular wait (the philosopher with the waiter's permission still holds and waits)",
  timeout: "breaks no preemption (a philosopher gives its fork up itself after 2 ms) and so bounds hold and wait",
}

function coffman(params: DiningParams): TextSection {
  const n = params.philosophers
  const rows = [
    ["mutual exclusion", "a fork is a mutex: one holder at a time", "no fix (a fork cannot be shared)"],
    [
      "hold and wait",
      "a philosopher holds its first fork while it waits for its second",
      "no fix removes it; timeout bounds it to 2 ms",
    ],
    [
      "no preemption",
      "nobody takes a fork from its holder",
      "timeout: the holder puts its first fork down when the second does not come within 2 ms",
    ],
    [
      "circular wait",
      `P0 waits for P1, ..., P${n - 1} for P0`,
      `ordering (P${n - 1} takes fork 0 first); arbiter (one philosopher at a time between its two locks)`,
    ],
  ]
  const table = renderTable([{ header: "condition" }, { header: "here" }, { header: "broken by" }], rows)
  return {
    title: "Coffman's four conditions (a deadlock needs all four)",
    lines: [...table, "", `--fix ${params.fix} ${BROKEN_BY[params.fix]}.`],
  }
}

function perPhilosopher(run: DiningRun): TextSection {
  const timeouts = run.fix === "timeout"
  const rows = run.meals.map((meals, p) => [
    `P${p}`,
    String(meals),
    formatNumber(run.hungryMs[p]!, 1),
    formatNumber(run.longestWaitMs[p]!, 1),
    ...(timeouts ? [String(run.timeoutsBy[p])] : []),
  ])
  const columns = [
    { header: "philosopher" },
    { header: "meals", align: "right" as const },
    { header: "waited to eat (ms)", align: "right" as const },
    { header: "longest (ms)", align: "right" as const },
    ...(timeouts ? [{ header: "timeouts", align: "right" as const }] : []),
  ]
  return { title: "Each philosopher (this run)", lines: renderTable(columns, rows) }
}

/** The JSON metrics: schedule and deadlock counts, the first (smallest) deadlock, and the run's meals. */
function metricsOf(params: DiningParams, seed: number, run: DiningRun, explored: DinnerExploration | undefined) {
  const smallest = explored?.smallestDeadlock
  const firstDeadlock =
    explored === undefined
      ? run.deadlock === undefined
        ? null
        : { schedule: `--seed ${seed}`, cycle: cycleLines(run.deadlock.cycle), goroutines: run.deadlock.message }
      : smallest === undefined
        ? null
        : {
            schedule: describeSchedule(smallest.schedule),
            cycle: cycleLines(smallest.run.deadlock!.cycle),
            goroutines: smallest.run.deadlock!.message,
          }
  return {
    schedules: explored?.schedules ?? 1,
    deadlocks: explored?.deadlocks ?? (run.deadlock === undefined ? 0 : 1),
    firstDeadlock,
    meals: [...run.meals],
    hungryMs: [...run.hungryMs],
    longestWaitMs: [...run.longestWaitMs],
    timeouts: run.timeouts,
    unfinished: explored?.unfinished ?? 0,
    livelocked: explored?.livelocked ?? 0,
    complete: explored?.complete ?? false,
    horizonMs: explored?.horizonMs ?? null,
    philosophers: params.philosophers,
  }
}

function sectionsOf(
  params: DiningParams,
  run: DiningRun,
  explored: DinnerExploration | undefined,
  records: readonly Traced<DiningEvent>[],
): TextSection[] {
  const n = params.philosophers
  const sections: TextSection[] = [perPhilosopher(run)]
  if (n <= MAX_LANES) sections.push({ title: "This run as goroutine lanes", lines: lanes(records, n, "t (ms)") })
  if (run.deadlock !== undefined) sections.push({ title: "Go's runtime (this run)", lines: deadlockLines(run) })
  const smallest = explored?.smallestDeadlock
  if (smallest !== undefined) {
    sections.push({
      title: `The smallest deadlocking schedule (${describeSchedule(smallest.schedule)}) as goroutine lanes, every step at 0 ms`,
      lines: lanes(smallest.records, n, "step"),
    })
    sections.push({ title: "Go's runtime (the smallest deadlocking schedule)", lines: deadlockLines(smallest.run) })
  }
  sections.push(coffman(params))
  const lesson = [runWords(run, n), ...(explored === undefined ? [] : exploredWords(params, explored))]
  sections.push({ title: "Lesson", lines: lesson })
  return sections
}

const diningPhilosophers = defineSim({
  name: "dining-philosophers",
  title: "Dining philosophers: N forks as Go mutexes. Which schedules deadlock, and what does each fix break?",
  header: {
    covers:
      "deadlock, Go's runtime deadlock detector, wait-for cycles, Coffman's four conditions, lock ordering, an arbiter, try-lock with a timeout and back-off (and its livelock), exploring every schedule",
    scenario:
      "5 philosophers eat 2 meals each, taking the left fork, then the right; thinking, reaching for the second fork and eating each take 1, 2 or 3 ms drawn from the seed. --explore also runs every schedule at 0 ms per step",
    try: [
      "--fix ordering",
      "--fix timeout",
      "--philosophers 3 --explore",
      "--philosophers 3 --explore --fix ordering",
      "--philosophers 3 --explore --fix arbiter",
      "--philosophers 2 --explore --fix timeout",
    ],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    schedules: { description: "schedules run (1 without --explore)", unit: "schedules" },
    deadlocks: { description: "schedules that Go's deadlock detector stopped", unit: "schedules" },
    firstDeadlock: {
      description:
        "the deadlock shown: the smallest explored (fewest choice points), or the seed's run without --explore: { schedule, cycle (one line per philosopher), goroutines (Go's report) }, or null",
      unit: "see fields",
    },
    meals: { description: "meals each philosopher ate in the seed's run", unit: "meals" },
    hungryMs: {
      description: "per philosopher, time from hungry to eating, summed over its meals (seed's run)",
      unit: "ms",
    },
    longestWaitMs: { description: "per philosopher, its longest wait from hungry to eating (seed's run)", unit: "ms" },
    timeouts: { description: "timeouts on a second fork in the seed's run (timeout fix)", unit: "timeouts" },
    unfinished: {
      description: "explored schedules (timeout fix) neither deadlocked nor done at the horizon",
      unit: "schedules",
    },
    livelocked: {
      description: "of those, the ones in which no one had eaten and everyone had timed out at least twice",
      unit: "schedules",
    },
    complete: { description: "every schedule was run (false without --explore)", unit: "boolean" },
    horizonMs: { description: "where the timeout fix's exploration stops, or null", unit: "ms" },
    philosophers: { description: "philosophers (and forks)", unit: "philosophers" },
  },
  flags,
  constraints: [exploreConstraint()],
  estimate(params) {
    const verdict = params.explore ? explorable(params) : { schedules: 0 }
    const schedules = "schedules" in verdict ? verdict.schedules : 0
    const eventsPerSchedule = 6 * params.philosophers * params.meals
    return workEstimate({
      events: (schedules + 1) * eventsPerSchedule,
      eventsPerSecond: 100_000,
      simTime: 10 * params.meals,
      advice: "lower --philosophers or --meals, or drop --explore",
    })
  },
  quiz(params) {
    return [
      `${params.philosophers} philosophers eat ${params.meals} meal(s) each with --fix ${params.fix}.`,
      "1. Can the dinner deadlock? In how many schedules?",
      "2. Which of Coffman's four conditions does the fix break?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const shown = context.output === "text" ? new TraceSample(sim.trace, () => true, 400) : undefined
    const options = { philosophers: params.philosophers, meals: params.meals, fix: params.fix }
    const run = new DiningScenario(sim, options).run()
    const explored = params.explore ? exploreDinner(options) : undefined
    const metrics = metricsOf(params, context.seed, run, explored)
    const first = metrics.firstDeadlock === null ? undefined : metrics.firstDeadlock.cycle.join("; ")
    const report = {
      ...fromSimulation(sim),
      metrics,
      checks: [checkNoDeadlock({ schedules: metrics.schedules, deadlocks: metrics.deadlocks, first })],
    }
    if (shown === undefined) return report
    const records = shown.records as unknown as readonly Traced<DiningEvent>[]
    const entries = records.map((record) => ({ t: record.t, text: diningTimelineLine(record) }))
    const title =
      shown.total > records.length
        ? `Timeline (the first ${records.length} of ${shown.total} events)`
        : "Timeline (this run)"
    return { ...report, timeline: { title, entries }, sections: sectionsOf(params, run, explored, records) }
  },
})

export default diningPhilosophers

await runMain(diningPhilosophers, import.meta.url)
