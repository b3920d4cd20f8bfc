/**
 * Dining philosophers in Go on the kernel: N philosophers round a table, N forks, one between each
 * two neighbours, each fork a `sync.Mutex`. Philosopher i's left fork is fork i and its right fork
 * is fork (i + 1) mod N. Each goroutine eats `meals` times: it thinks, takes its first fork, reaches
 * for the second (`runtime.Gosched()`: a scheduling point), takes it, eats, puts the second fork
 * down, then the first. `main` starts them and waits on a WaitGroup; when every goroutine is
 * blocked, the kernel's Go runtime stops the run with `fatal error: all goroutines are asleep -
 * deadlock!`.
 *
 * Fixes (`fix`):
 * - `none`: left fork first. All N can hold their left fork and wait for their right: a deadlock.
 * - `ordering`: the lower-numbered of its two forks first (a global lock order), so philosopher
 *   N−1 takes fork 0 before fork N−1. No wait-for cycle can form.
 * - `arbiter`: a waiter (a `sync.Mutex`) lets one philosopher at a time take its forks; the
 *   philosopher gives the permission back once it holds both. Putting forks down needs no
 *   permission.
 * - `timeout`: left fork first; the right fork with a timeout (`TryLock`, then `Lock` raced
 *   against a timer with the kernel's `withDeadline`). On a timeout the philosopher puts its left
 *   fork down, backs off, and tries again.
 *
 * Costs, ms: thinking, reaching and eating each take one of `costsMs`, drawn from the seed (streams
 * "dining/think", "dining/reach", "dining/eat"). Under the exhaustive explorer's chooser they take
 * 0 ms, so that every order of the goroutines' steps is possible; thinking and eating are then no
 * wait at all, while reaching stays a wait of 0 ms (the scheduling point between the two locks).
 * A back-off takes one of `backoffsMs`: from the stream "dining/backoff", or the chooser's pick
 * (label "backoff"). What a "schedule" is, exactly: docs/go.md ("Dining philosophers").
 */
import { goRuntime, GoDeadlock, Mutex, type Simulation, type TraceOf, WaitGroup } from "../../kernel/index.ts"
import type { DiningEvent } from "./dining-events.ts"

/** The fixes. */
export const DINING_FIXES = ["none", "ordering", "arbiter", "timeout"] as const
/** One fix. */
export type DiningFix = (typeof DINING_FIXES)[number]

/** Options of {@link runDiningPhilosophers}. */
export interface DiningOptions {
  /** Philosophers (and forks), >= 2. */
  readonly philosophers: number
  /** The fix. Default "none". */
  readonly fix?: DiningFix
  /** Meals each philosopher eats, >= 1. Default 2. */
  readonly meals?: number
  /** The possible costs of thinking, reaching for the second fork and eating, ms. Default [1, 2, 3]. */
  readonly costsMs?: readonly number[]
  /** The timeout fix: how long a philosopher waits for its second fork, ms. Default 2. */
  readonly timeoutMs?: number
  /** The timeout fix: the possible back-offs after a timeout, ms. Default [1, 2, 3]. */
  readonly backoffsMs?: readonly number[]
  /** Stop the run at this time, ms (a dinner still going then is unfinished). Default: no limit. */
  readonly untilMs?: number
}

/** One link of a wait-for cycle: a philosopher holds a fork and waits for one its neighbour holds. */
export interface WaitForLink {
  readonly philosopher: number
  /** The fork it holds. */
  readonly holds: number
  /** The fork it waits for. */
  readonly waitsFor: number
  /** Who holds that fork. */
  readonly heldBy: number
}

/** What Go's runtime reported, and the wait-for cycle behind it. */
export interface DiningDeadlock {
  /** Go's message: `fatal error: all goroutines are asleep - deadlock!` and each goroutine's wait. */
  readonly message: string
  /** The cycle, starting at the lowest-numbered philosopher in it. */
  readonly cycle: readonly WaitForLink[]
}

/** What one dinner did. */
export interface DiningRun {
  readonly philosophers: number
  readonly fix: DiningFix
  /** Meals each philosopher was to eat. */
  readonly mealsPlanned: number
  /** Meals each philosopher ate. */
  readonly meals: readonly number[]
  /** Per philosopher, the time from hungry to eating, summed over its meals, ms. */
  readonly hungryMs: readonly number[]
  /** Per philosopher, the longest single wait from hungry to eating, ms. */
  readonly longestWaitMs: readonly number[]
  /** Timeouts on a second fork (the timeout fix). */
  readonly timeouts: number
  /** Per philosopher, its timeouts. */
  readonly timeoutsBy: readonly number[]
  /** Go's deadlock report, or undefined. */
  readonly deadlock: DiningDeadlock | undefined
  /** Every philosopher ate every meal. */
  readonly finished: boolean
  /** When the run ended, ms. */
  readonly endMs: number
}

/** The two forks philosopher `p` of `n` takes, in the order the fix takes them. */
export function forkOrder(p: number, n: number, fix: DiningFix): readonly [number, number] {
  const left = p
  const right = (p + 1) % n
  return fix === "ordering" ? [Math.min(left, right), Math.max(left, right)] : [left, right]
}

/** The table's shared state: forks, the model's record of who holds and waits, and the tallies. */
class Table {
  readonly forks: Mutex[]
  /** Who holds each fork (the mutex's owner: set when it is handed over, not when the taker wakes). */
  readonly holder: (number | undefined)[]
  /** Each fork's waiters, in the mutex's FIFO order. */
  readonly queue: number[][]
  /** The fork each philosopher is blocked on, if any. */
  readonly waitingFor: (number | undefined)[]
  readonly meals: number[]
  readonly hungryMs: number[]
  readonly longestWaitMs: number[]
  readonly waiter: Mutex
  readonly timeoutsBy: number[]

  constructor(
    readonly sim: Simulation,
    readonly n: number,
    readonly trace: TraceOf<DiningEvent>,
  ) {
    this.forks = Array.from({ length: n }, (_, i) => new Mutex(sim, `fork ${i}`))
    this.holder = Array<number | undefined>(n).fill(undefined)
    this.queue = Array.from({ length: n }, () => [])
    this.waitingFor = Array<number | undefined>(n).fill(undefined)
    this.meals = Array<number>(n).fill(0)
    this.hungryMs = Array<number>(n).fill(0)
    this.longestWaitMs = Array<number>(n).fill(0)
    this.waiter = new Mutex(sim, "waiter")
    this.timeoutsBy = Array<number>(n).fill(0)
  }

  /** Notes that `p` blocks on fork `f`. */
  blockOn(p: number, f: number): void {
    this.trace.record({ type: "ForkWaited", philosopher: p, fork: f, heldBy: this.holder[f]! })
    this.queue[f]!.push(p)
    this.waitingFor[p] = f
  }

  /** Takes fork `f` for `p`, blocking while another holds it. */
  *take(p: number, f: number): Generator<any, void, any> {
    const fork = this.forks[f]!
    if (fork.isLocked) this.blockOn(p, f)
    else this.holder[f] = p
    yield* fork.lock()
    this.waitingFor[p] = undefined
    this.trace.record({ type: "ForkTaken", philosopher: p, fork: f })
  }

  /** Puts fork `f` down; the mutex hands it to its first waiter, if any. */
  putDown(p: number, f: number): void {
    const fork = this.forks[f]!
    fork.unlock()
    this.trace.record({ type: "ForkPutDown", philosopher: p, fork: f })
    this.holder[f] = fork.isLocked ? this.queue[f]!.shift() : undefined
  }

  /** The wait-for cycle among blocked philosophers, from the lowest-numbered one in it. */
  cycle(): WaitForLink[] {
    for (let start = 0; start < this.n; start++) {
      const seen: number[] = []
      let p: number | undefined = start
      while (p !== undefined && !seen.includes(p) && this.waitingFor[p] !== undefined) {
        seen.push(p)
        p = this.holder[this.waitingFor[p]!]
      }
      if (p === undefined || !seen.includes(p)) continue
      const members = seen.slice(seen.indexOf(p))
      const first = members.indexOf(Math.min(...members))
      return [...members.slice(first), ...members.slice(0, first)].map((q) => {
        const waitsFor = this.waitingFor[q]!
        return { philosopher: q, holds: this.holder.indexOf(q), waitsFor, heldBy: this.holder[waitsFor]! }
      })
    }
    return []
  }
}

/** The defaults of {@link DiningOptions}, filled in. */
type Settings = Required<Omit<DiningOptions, "untilMs">> & { readonly untilMs: number | undefined }

function settingsOf(options: DiningOptions): Settings {
  if (!Number.isInteger(options.philosophers) || options.philosophers < 2)
    throw new RangeError(`philosophers must be an integer >= 2, got ${options.philosophers}`)
  return {
    philosophers: options.philosophers,
    fix: options.fix ?? "none",
    meals: options.meals ?? 2,
    costsMs: options.costsMs ?? [1, 2, 3],
    timeoutMs: options.timeoutMs ?? 2,
    backoffsMs: options.backoffsMs ?? [1, 2, 3],
    untilMs: options.untilMs,
  }
}

/**
 * `main`: starts the philosophers and waits for them on the WaitGroup "dinner". A module-level
 * generator, not a closure made per run (docs/kernel-performance.md#generator-closures).
 */
function* dinner(sim: Simulation, table: Table, settings: Settings, n: number): Generator<any, void, any> {
  const wg = new WaitGroup(sim, "dinner")
  for (let p = 0; p < n; p++) {
    wg.add(1)
    goRuntime(sim).go(philosopher(table, settings, p, wg), `P${p}`)
  }
  yield* wg.wait()
}

/**
 * One dinner on a fresh simulation: the constructor starts `main` and the philosophers (nothing
 * runs until the simulation does); {@link run} runs it until every philosopher has eaten, Go's
 * runtime finds every goroutine asleep, or `untilMs`.
 */
export class DiningScenario {
  private readonly settings: Settings
  private readonly table: Table

  constructor(
    /** The simulation it runs on. */
    readonly sim: Simulation,
    options: DiningOptions,
  ) {
    const settings = settingsOf(options)
    const n = settings.philosophers
    const table = new Table(sim, n, sim.trace)
    goRuntime(sim).main(dinner(sim, table, settings, n))
    this.settings = settings
    this.table = table
  }

  /** Runs the dinner to its end and says what happened. */
  run(): DiningRun {
    const { sim, settings, table } = this
    let deadlock: DiningDeadlock | undefined
    try {
      sim.run(settings.untilMs === undefined ? {} : { until: settings.untilMs })
    } catch (error) {
      if (!(error instanceof GoDeadlock)) throw error
      deadlock = { message: error.message, cycle: table.cycle() }
      table.trace.record({ type: "DinnerDeadlocked", cycle: deadlock.cycle.map((link) => link.philosopher) })
    }
    return {
      philosophers: settings.philosophers,
      fix: settings.fix,
      mealsPlanned: settings.meals,
      meals: table.meals,
      hungryMs: table.hungryMs,
      longestWaitMs: table.longestWaitMs,
      timeouts: table.timeoutsBy.reduce((a, b) => a + b, 0),
      timeoutsBy: table.timeoutsBy,
      deadlock,
      finished: table.meals.every((m) => m === settings.meals),
      endMs: sim.now,
    }
  }
}

/** `new DiningScenario(sim, options).run()`: one dinner on `sim` (a fresh simulation). */
export function runDiningPhilosophers(sim: Simulation, options: DiningOptions): DiningRun {
  return new DiningScenario(sim, options).run()
}

/** A cost: 0 ms under the explorer, else one of `costsMs` from the stream `dining/<kind>`. */
function cost(sim: Simulation, settings: Settings, kind: "think" | "reach" | "eat"): number {
  if (sim.hasChooser) return 0
  const costs = settings.costsMs
  return costs[sim.random(`dining/${kind}`).integer(0, costs.length - 1)]!
}

/** Philosopher `p`'s goroutine: `meals` times think, take both forks (as the fix says), eat, put them down. */
function* philosopher(table: Table, settings: Settings, p: number, wg: WaitGroup): Generator<any, void, any> {
  const { sim } = table
  const [first, second] = forkOrder(p, table.n, settings.fix)
  for (let meal = 0; meal < settings.meals; meal++) {
    const think = cost(sim, settings, "think")
    if (think > 0) yield* sim.sleep(think)
    table.trace.record({ type: "PhilosopherHungry", philosopher: p, meal })
    const hungryAt = sim.now
    while (!(yield* takeBoth(table, settings, p, first, second))) {
      // timed out and backed off: try again
    }
    const waited = sim.now - hungryAt
    table.hungryMs[p]! += waited
    table.longestWaitMs[p] = Math.max(table.longestWaitMs[p]!, waited)
    table.trace.record({ type: "MealStarted", philosopher: p, meal })
    const eat = cost(sim, settings, "eat")
    if (eat > 0) yield* sim.sleep(eat)
    table.putDown(p, second)
    table.putDown(p, first)
    table.meals[p]!++
  }
  wg.done()
}

/** Takes `first`, reaches, takes `second` (as the fix says); false if the timeout fix gave up and backed off. */
function* takeBoth(
  table: Table,
  settings: Settings,
  p: number,
  first: number,
  second: number,
): Generator<any, boolean, any> {
  const { sim, trace } = table
  const arbiter = settings.fix === "arbiter"
  if (arbiter) {
    if (table.waiter.isLocked) trace.record({ type: "WaiterWaited", philosopher: p })
    yield* table.waiter.lock()
    trace.record({ type: "WaiterGranted", philosopher: p })
  }
  yield* table.take(p, first)
  yield* sim.sleep(cost(sim, settings, "reach")) // runtime.Gosched(): always a scheduling point
  if (settings.fix !== "timeout") yield* table.take(p, second)
  else if (!(yield* takeWithTimeout(table, settings, p, second))) {
    table.putDown(p, first)
    const backoffs = settings.backoffsMs
    const pick = sim.hasChooser
      ? sim.choose(backoffs.length, "backoff")
      : sim.random("dining/backoff").integer(0, backoffs.length - 1)
    trace.record({ type: "BackedOff", philosopher: p, backoffMs: backoffs[pick]! })
    yield* sim.sleep(backoffs[pick]!)
    return false
  }
  if (arbiter) {
    table.waiter.unlock()
    trace.record({ type: "WaiterReleased", philosopher: p })
  }
  return true
}

/**
 * The timeout fix's second fork: `TryLock`; if that fails, `Lock` raced against a timer of
 * `timeoutMs`. A lock handed over at the very instant the timer won is still taken (the mutex is
 * ours: the hand-off happened), so no fork is ever lost to the race.
 */
function* takeWithTimeout(table: Table, settings: Settings, p: number, f: number): Generator<any, boolean, any> {
  const { sim, trace } = table
  const fork = table.forks[f]!
  if (fork.tryLock()) {
    table.holder[f] = p
    trace.record({ type: "ForkTaken", philosopher: p, fork: f })
    return true
  }
  table.blockOn(p, f)
  const lock = fork.lock()
  const outcome = yield* sim.withDeadline(lock, settings.timeoutMs)
  table.waitingFor[p] = undefined
  if (!outcome.timedOut || lock.triggered) {
    trace.record({ type: "ForkTaken", philosopher: p, fork: f })
    return true
  }
  const queue = table.queue[f]!
  queue.splice(queue.indexOf(p), 1)
  table.timeoutsBy[p]!++
  trace.record({ type: "ForkTimedOut", philosopher: p, fork: f })
  return false
}
