/**
 * The interview's two-printer program: two goroutines take turns printing the items of an array,
 * the second goroutine first (it prints items 0, 2, 4, ...; the first prints 1, 3, ...), and `main`
 * must not return before the last item is printed. Three versions:
 *
 * - `token`: two unbuffered channels pass a token back and forth; `main` kicks the second
 *   goroutine and waits on a WaitGroup. Whoever prints the last item sends no token.
 * - `cond`: a mutex, a condition variable and a shared `turn`; each goroutine waits for its turn,
 *   prints, hands the turn over and broadcasts; `main` waits on a WaitGroup.
 * - `sleep-kick`: the popular answer. Both goroutines loop "receive the token, print, send the
 *   token to the other"; `main` kicks the second with a send and then sleeps "long enough"
 *   (`kickSleepMs`). The last printer blocks forever on its send (the other has finished), and
 *   when printing takes longer than the sleep, `main` returns before every item is out.
 *
 * Printing an item costs one of `printCostsMs`, chosen per print: at random from the stream
 * "print-cost", or by the exhaustive explorer's chooser (label "print cost"), so exploring a run
 * covers every combination of costs as well as every order of simultaneous events and every
 * `select` choice. Times in milliseconds.
 */
import {
  Channel,
  Cond,
  goRuntime,
  GoDeadlock,
  Mutex,
  type Simulation,
  type TraceOf,
  WaitGroup,
} from "../../kernel/index.ts"
import type { GoEvent } from "./go-events.ts"

/** The versions of the program. */
export const PRINTER_VERSIONS = ["token", "cond", "sleep-kick"] as const
/** One version. */
export type PrinterVersion = (typeof PRINTER_VERSIONS)[number]

/** Options of {@link runAlternatePrinters}. */
export interface PrinterOptions {
  /** Which program. */
  readonly version: PrinterVersion
  /** Items to print, >= 1. Default 5. */
  readonly items?: number
  /** The possible costs of one print, ms. Default [1, 2]. */
  readonly printCostsMs?: readonly number[]
  /** How long `main` sleeps in the sleep-kick version, ms. Default 1.5 ms per item. */
  readonly kickSleepMs?: number
}

/** One printed line: which goroutine printed which item, when. */
export interface PrintedLine {
  /** "g1" or "g2" (the second goroutine, which prints first). */
  readonly goroutine: "g1" | "g2"
  readonly item: number
  readonly atMs: number
}

/** What one run of the program did. */
export interface PrinterRun {
  readonly lines: readonly PrintedLine[]
  /** Every item printed, in order, each by the right goroutine, before `main` returned. */
  readonly inOrder: boolean
  /** The run stopped with Go's deadlock error (its message), or undefined. */
  readonly deadlock: string | undefined
  /** Goroutines blocked forever when `main` returned (by name, with Go's wait reason). */
  readonly leaked: readonly string[]
  /** When `main` returned, ms (undefined if it never did). */
  readonly mainReturnedAtMs: number | undefined
}

/** The goroutine that should print `item`: the second one prints the even positions. */
export function printerOf(item: number): "g1" | "g2" {
  return item % 2 === 0 ? "g2" : "g1"
}

/**
 * What the program's goroutines share: the simulation, the print costs, the lines printed so far.
 * Every goroutine body below is a module-level generator taking it, not a closure made per run: a
 * generator made by a function expression created per run gets a hidden class of its own, which
 * the garbage collector keeps (with the run it points to) until its next full collection; the
 * explorer runs thousands of short programs a second (see docs/kernel-performance.md).
 */
interface Program {
  readonly sim: Simulation
  readonly trace: TraceOf<GoEvent>
  readonly items: number
  readonly costs: readonly number[]
  readonly kickSleepMs: number
  readonly lines: PrintedLine[]
  mainReturnedAtMs: number | undefined
}

/** Runs one version of the program on `sim` (a fresh simulation) until `main` returns or it deadlocks. */
export function runAlternatePrinters(sim: Simulation, options: PrinterOptions): PrinterRun {
  const items = options.items ?? 5
  const program: Program = {
    sim,
    trace: sim.trace,
    items,
    costs: options.printCostsMs ?? [1, 2],
    kickSleepMs: options.kickSleepMs ?? 1.5 * items,
    lines: [],
    mainReturnedAtMs: undefined,
  }
  const go = goRuntime(sim)
  go.main(runMain(program, MAINS[options.version]))
  let deadlock: string | undefined
  try {
    sim.run()
  } catch (error) {
    if (!(error instanceof GoDeadlock)) throw error
    deadlock = error.message
    program.trace.record({ type: "ProgramDeadlocked", message: error.message })
  }
  const { lines, mainReturnedAtMs } = program
  const inOrder =
    mainReturnedAtMs !== undefined &&
    lines.length === items &&
    lines.every((line, i) => line.item === i && line.goroutine === printerOf(i))
  const parked = mainReturnedAtMs === undefined ? [] : go.parked()
  for (const g of parked) program.trace.record({ type: "GoroutineLeaked", goroutine: g.name, reason: g.reason })
  const leaked = parked.map((g) => `${g.name} [${g.reason}]`)
  return { lines, inOrder, deadlock, leaked, mainReturnedAtMs }
}

/** A version's `main`. */
type Main = (program: Program) => Generator<any, void, any>

const MAINS: Record<PrinterVersion, Main> = { token: tokenMain, cond: condMain, "sleep-kick": sleepKickMain }

/** The main goroutine: the version's `main`, then the record that it returned. */
function* runMain(program: Program, main: Main): Generator<any, void, any> {
  yield* main(program)
  program.mainReturnedAtMs = program.sim.now
  program.trace.record({ type: "MainReturned", printed: program.lines.length })
}

/** Prints `item`: waits one of the print costs (the seed's, or the explorer's choice), then the line. */
function* print(program: Program, goroutine: "g1" | "g2", item: number): Generator<any, void, any> {
  const { sim, costs } = program
  const choice = sim.hasChooser
    ? sim.choose(costs.length, "print cost")
    : sim.random("print-cost").integer(0, costs.length - 1)
  yield* sim.sleep(costs[choice]!)
  program.lines.push({ goroutine, item, atMs: sim.now })
  program.trace.record({ type: "ItemPrinted", goroutine, item })
}

/** The items goroutine `who` prints: the even positions for g2, the odd ones for g1. */
function itemsOf(who: "g1" | "g2", items: number): number[] {
  const out: number[] = []
  for (let i = who === "g2" ? 0 : 1; i < items; i += 2) out.push(i)
  return out
}

/** The other printer. */
function otherOf(who: "g1" | "g2"): "g1" | "g2" {
  return who === "g1" ? "g2" : "g1"
}

type Turns<T> = Record<"g1" | "g2", Channel<T>>

function* tokenMain(program: Program): Generator<any, void, any> {
  const go = goRuntime(program.sim)
  const turn = {
    g1: new Channel<void>(program.sim, { name: "toG1" }),
    g2: new Channel<void>(program.sim, { name: "toG2" }),
  }
  const wg = new WaitGroup(program.sim)
  for (const who of ["g1", "g2"] as const) {
    wg.add(1)
    go.go(tokenPrinter(program, who, turn, wg), who)
  }
  yield* turn.g2.send(undefined)
  yield* wg.wait()
}

function* tokenPrinter(
  program: Program,
  who: "g1" | "g2",
  turn: Turns<void>,
  wg: WaitGroup,
): Generator<any, void, any> {
  for (const item of itemsOf(who, program.items)) {
    yield* turn[who].receive()
    yield* print(program, who, item)
    if (item + 1 < program.items) yield* turn[otherOf(who)].send(undefined)
  }
  wg.done()
}

/** The shared state of the cond version. */
interface Turn {
  readonly mutex: Mutex
  readonly cond: Cond
  /** The item whose turn it is. */
  next: number
}

function* condMain(program: Program): Generator<any, void, any> {
  const go = goRuntime(program.sim)
  const mutex = new Mutex(program.sim, "mu")
  const turn: Turn = { mutex, cond: new Cond(program.sim, mutex, "turnChanged"), next: 0 }
  const wg = new WaitGroup(program.sim)
  for (const who of ["g1", "g2"] as const) {
    wg.add(1)
    go.go(condPrinter(program, who, turn, wg), who)
  }
  yield* wg.wait()
}

function* condPrinter(program: Program, who: "g1" | "g2", turn: Turn, wg: WaitGroup): Generator<any, void, any> {
  for (const item of itemsOf(who, program.items)) {
    yield* turn.mutex.lock()
    while (turn.next !== item) yield* turn.cond.wait()
    yield* print(program, who, item)
    turn.next++
    turn.cond.broadcast()
    turn.mutex.unlock()
  }
  wg.done()
}

function* sleepKickMain(program: Program): Generator<any, void, any> {
  const go = goRuntime(program.sim)
  const turn = {
    g1: new Channel<boolean>(program.sim, { name: "ch1", zero: false }),
    g2: new Channel<boolean>(program.sim, { name: "ch2", zero: false }),
  }
  for (const who of ["g1", "g2"] as const) go.go(sleepKickPrinter(program, who, turn), who)
  yield* turn.g2.send(true)
  yield* program.sim.sleep(program.kickSleepMs)
}

function* sleepKickPrinter(program: Program, who: "g1" | "g2", turn: Turns<boolean>): Generator<any, void, any> {
  for (const item of itemsOf(who, program.items)) {
    yield* turn[who].receive()
    yield* print(program, who, item)
    yield* turn[otherOf(who)].send(true)
  }
}

/** How a run ended, for counting explored schedules. */
export type PrinterVerdict = "correct" | "deadlocked" | "outOfOrder" | "leaked"

/**
 * The verdict on a run: `deadlocked` if Go's detector stopped it; else `outOfOrder` if the output
 * is not every item in order by the right goroutine before `main` returned (`main` returning
 * early included); else `leaked` if a goroutine was left blocked forever; else `correct`.
 */
export function printerVerdict(run: PrinterRun): PrinterVerdict {
  if (run.deadlock !== undefined) return "deadlocked"
  if (!run.inOrder) return "outOfOrder"
  return run.leaked.length > 0 ? "leaked" : "correct"
}
