/**
 * Every schedule of a dinner (docs/go.md, "Dining philosophers"): the kernel's exhaustive explorer
 * over {@link runDiningPhilosophers}, tallying deadlocks, and the smallest deadlocking schedule
 * replayed with its trace. The timeout fix's schedules never run out (philosophers can time out
 * together for ever), so it is explored up to a horizon: long enough for every philosopher to time
 * out, back off and time out once more.
 */
import { explore, replaySchedule, type Schedule } from "../../check/explore.ts"
import { type Chooser, Simulation, type Traced } from "../../kernel/index.ts"
import type { DiningEvent } from "./dining-events.ts"
import { type DiningFix, type DiningOptions, type DiningRun, runDiningPhilosophers } from "./dining-philosophers.ts"

/** The timeout fix's settings when explored (the defaults of `DiningOptions`), ms. */
export const EXPLORED_TIMEOUT_MS = 2
/** The back-offs the explorer tries after a timeout, ms. */
export const EXPLORED_BACKOFFS_MS = [1, 2, 3] as const

/** How far the timeout fix is explored, ms: a timeout, the longest back-off, and a timeout again. */
export const TIMEOUT_HORIZON_MS = 2 * EXPLORED_TIMEOUT_MS + Math.max(...EXPLORED_BACKOFFS_MS)

/** What to explore. */
export interface DinnerToExplore {
  readonly philosophers: number
  readonly meals: number
  readonly fix: DiningFix
  /** Most schedules to run. Default 100,000. */
  readonly maxSchedules?: number
}

/** The smallest deadlocking schedule, replayed with its trace. */
export interface ReplayedDeadlock {
  readonly schedule: Schedule
  readonly run: DiningRun
  /** Every record of the replay. */
  readonly records: readonly Traced<DiningEvent>[]
}

/** What every schedule came to. */
export interface DinnerExploration {
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
export function exploreDinner(dinner: DinnerToExplore): DinnerExploration {
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
