/**
 * Alternate printers: two goroutines take turns printing an array. In how many schedules is each
 *   answer right?
 * Covers: Go's unbuffered channels as a hand-off, sync.Cond, WaitGroup, goroutine leaks, Go's
 *   deadlock detector, exploring every schedule
 * Scenario: the popular answer (a token over two unbuffered channels; main kicks the second
 *   goroutine, then sleeps 1.5 ms per item) prints 5 items at 1 or 2 ms each: one run with the
 *   seed's costs, then every schedule. --seed draws the print costs of the one run; the explored
 *   counts do not depend on it
 * Try: --version token; --version cond; --items 8 --seed 3; --explore false --seed 4
 */
import {
  defineSim,
  flag,
  formatCount,
  formatNumber,
  fromSimulation,
  type Params,
  renderTable,
  runMain,
  type TextSection,
  workEstimate,
} from "../src/cli/index.ts"
import { describeSchedule, explore, type ExploreReport } from "../src/check/explore.ts"
import { type Chooser, Simulation, TraceSample, type Traced } from "../src/kernel/index.ts"
import {
  type GoEvent,
  goTimelineLine,
  PRINTER_VERSIONS,
  type PrinterRun,
  type PrinterVerdict,
  printerVerdict,
  runAlternatePrinters,
  checkPrintsInOrder,
} from "../src/models/go/index.ts"

/** Most schedules an exploration runs (the explorer's own default limit). */
const MAX_SCHEDULES = 100_000

/** Schedules an exploration of `items` runs at most: two print costs per item, times the orders of ties. */
function estimatedSchedules(items: number): number {
  return 3 * 2 ** items
}

const flags = {
  version: flag.choice({
    description:
      "the program: sleep-kick (the popular answer), token (two channels), cond (mutex + condition variable)",
    choices: PRINTER_VERSIONS,
    default: "sleep-kick",
  }),
  items: flag.integer({ description: "items to print", unit: "items", default: 5, min: 1, max: 40 }),
  explore: flag.boolean({
    description: "also run every schedule (every order of simultaneous events, every print cost)",
    default: true,
  }),
}

type PrinterParams = Params<typeof flags>

/** The run's output and end, as goroutine lanes: one row per event, a column per goroutine. */
function lanes(run: PrinterRun): string[] {
  const rows = run.lines.map((line) => [
    formatNumber(line.atMs, 1),
    line.goroutine === "g2" ? `print ${line.item}` : "",
    line.goroutine === "g1" ? `print ${line.item}` : "",
    "",
  ])
  if (run.mainReturnedAtMs !== undefined) rows.push([formatNumber(run.mainReturnedAtMs, 1), "", "", "return"])
  for (const leaked of run.leaked) {
    const space = leaked.indexOf(" ")
    const [name, reason] = [leaked.slice(0, space), leaked.slice(space + 1)]
    rows.push(["end", name === "g2" ? `blocked ${reason}` : "", name === "g1" ? `blocked ${reason}` : "", ""])
  }
  if (run.deadlock !== undefined) rows.push(["end", "", "", "fatal: deadlock"])
  return renderTable(
    [{ header: "t (ms)", align: "right" }, { header: "g2 (prints first)" }, { header: "g1" }, { header: "main" }],
    rows,
  )
}

interface Explored {
  readonly report: ExploreReport
  readonly verdicts: Record<PrinterVerdict, number>
  /** The failing run that ended first (fewest milliseconds), if any. */
  readonly shortest: PrinterRun | undefined
}

function exploreAll(params: PrinterParams): Explored {
  const verdicts: Record<PrinterVerdict, number> = { correct: 0, outOfOrder: 0, deadlocked: 0, leaked: 0 }
  let shortest: PrinterRun | undefined
  const endOf = (run: PrinterRun) => run.mainReturnedAtMs ?? run.lines.at(-1)?.atMs ?? 0
  const report = explore(
    (chooser: Chooser) => {
      const sim = new Simulation({ chooser, trace: { enabled: false } })
      const run = runAlternatePrinters(sim, { version: params.version, items: params.items })
      const verdict = printerVerdict(run)
      verdicts[verdict]++
      if (verdict !== "correct" && (shortest === undefined || endOf(run) < endOf(shortest))) shortest = run
      return { stateKey: verdict, ...(verdict === "correct" ? {} : { violation: verdict, log: describeRun(run) }) }
    },
    { maxSchedules: MAX_SCHEDULES },
  )
  return { report, verdicts, shortest }
}

function verdictWords(run: PrinterRun, items: number): string {
  const verdict = printerVerdict(run)
  if (verdict === "correct") return "every item in order, by the right goroutine, and nothing left behind"
  if (verdict === "deadlocked") return "Go's runtime stopped it: all goroutines are asleep - deadlock!"
  if (verdict === "leaked")
    return `every item in order, but ${run.leaked.join(", ")} is left blocked forever (a goroutine leak)`
  if (run.mainReturnedAtMs !== undefined && run.lines.length < items)
    return `main returned at ${formatNumber(run.mainReturnedAtMs, 1)} ms after only ${run.lines.length} of ${items} items`
  return "the items came out of order"
}

function describeRun(run: PrinterRun): string[] {
  const lines = run.lines.map((line) => `${formatNumber(line.atMs, 1)} ms ${line.goroutine} prints ${line.item}`)
  const end = run.mainReturnedAtMs === undefined ? [] : [`${formatNumber(run.mainReturnedAtMs, 1)} ms main returns`]
  return [
    ...lines,
    ...end,
    ...run.leaked.map((g) => `left blocked: ${g}`),
    ...(run.deadlock === undefined ? [] : ["fatal error: all goroutines are asleep - deadlock!"]),
  ]
}

/** The JSON metrics: schedule counts by verdict (one schedule without --explore) and the first failure. */
function metricsOf(params: PrinterParams, seed: number, run: PrinterRun, explored: Explored | undefined) {
  const counts = verdictCounts(run, explored)
  const first = explored?.report.firstViolation
  const firstFailure =
    explored === undefined
      ? printerVerdict(run) === "correct"
        ? null
        : { schedule: `--seed ${seed}`, verdict: printerVerdict(run), lines: describeRun(run) }
      : first === undefined
        ? null
        : { schedule: describeSchedule(first), verdict: first.violation ?? "", lines: [...(first.log ?? [])] }
  return {
    schedules: explored?.report.schedules ?? 1,
    correct: counts.correct,
    outOfOrder: counts.outOfOrder,
    deadlocked: counts.deadlocked,
    leakedGoroutines: counts.leaked,
    firstFailure,
    complete: explored?.report.complete ?? false,
    items: params.items,
  }
}

function verdictCounts(run: PrinterRun, explored: Explored | undefined): Record<PrinterVerdict, number> {
  if (explored !== undefined) return explored.verdicts
  const single: Record<PrinterVerdict, number> = { correct: 0, outOfOrder: 0, deadlocked: 0, leaked: 0 }
  single[printerVerdict(run)] = 1
  return single
}

function firstWords(params: PrinterParams, run: PrinterRun, explored: Explored | undefined): string {
  const first = explored?.report.firstViolation
  if (explored === undefined || first === undefined) return verdictWords(run, params.items)
  return `${first.violation} (${describeSchedule(first)})`
}

function lesson(params: PrinterParams, run: PrinterRun, explored: Explored | undefined): TextSection {
  const lines = [`This run (the seed's print costs): ${verdictWords(run, params.items)}.`]
  if (explored !== undefined) {
    const { verdicts, report } = explored
    lines.push(
      `Every schedule (${formatCount(report.schedules)}): ${formatCount(verdicts.correct)} right, ${formatCount(verdicts.outOfOrder)} out of order or cut short by main, ${formatCount(verdicts.leaked)} leaving a goroutine blocked forever, ${formatCount(verdicts.deadlocked)} deadlocked.`,
    )
  }
  const failures =
    explored === undefined
      ? printerVerdict(run) === "correct"
        ? 0
        : 1
      : explored.report.schedules - explored.verdicts.correct
  if (params.version === "sleep-kick" && failures > 0)
    lines.push(
      "main's sleep is a guess at how long the printing takes. When the prints are slower, main returns first and the program ends mid-array. When they finish in time, the last printer has sent the token to a goroutine that has already finished, and stays blocked on that send forever: a goroutine leak. A longer sleep only trades the one failure for the other; waiting for the goroutines (a WaitGroup) and sending no token after the last item fixes both.",
    )
  else if (failures === 0)
    lines.push(
      params.version === "cond"
        ? "Each goroutine waits on the condition variable until it is its turn, and main waits on a WaitGroup: the order and the end do not depend on timing."
        : "The token is handed over on an unbuffered channel (a send completes only with its receive), the last printer sends nothing, and main waits on a WaitGroup: the order and the end do not depend on timing.",
    )
  return { title: "Lesson", lines }
}

const alternatePrinters = defineSim({
  name: "alternate-printers",
  title: "Alternate printers: two goroutines take turns printing an array. In how many schedules is each answer right?",
  header: {
    covers:
      "Go's unbuffered channels as a hand-off, sync.Cond, WaitGroup, goroutine leaks, Go's deadlock detector, exploring every schedule",
    scenario:
      "the popular answer (a token over two unbuffered channels; main kicks the second goroutine, then sleeps 1.5 ms per item) prints 5 items at 1 or 2 ms each: one run with the seed's costs, then every schedule. --seed draws the print costs of the one run; the explored counts do not depend on it",
    try: ["--version token", "--version cond", "--items 8 --seed 3", "--explore false --seed 4"],
  },
  time: { unit: "ms", decimals: 1 },
  metrics: {
    schedules: { description: "schedules run (1 with --explore false)", unit: "schedules" },
    correct: { description: "schedules that printed every item in order and left nothing behind", unit: "schedules" },
    outOfOrder: {
      description: "schedules with items out of order or main returning before the last",
      unit: "schedules",
    },
    deadlocked: { description: "schedules Go's deadlock detector stopped", unit: "schedules" },
    leakedGoroutines: { description: "schedules that left a goroutine blocked forever", unit: "schedules" },
    firstFailure: {
      description:
        "the first failing schedule (depth first; the seed without --explore): { schedule, verdict, lines }, or null",
      unit: "see fields",
    },
    complete: { description: "every schedule was run (false without --explore)", unit: "boolean" },
    items: { description: "items printed by a correct run", unit: "items" },
  },
  flags,
  constraints: [
    {
      params: ["explore", "items"],
      holds: (params) => !params.explore || estimatedSchedules(params.items) <= MAX_SCHEDULES,
      message: `--explore runs about 3 × 2^items schedules and at most ${formatCount(MAX_SCHEDULES)} can be enumerated (--items 15 at most: about 98,304); give --explore false for one run`,
    },
  ],
  estimate(params) {
    const schedules = params.explore ? estimatedSchedules(params.items) : 0
    return workEstimate({
      events: schedules + 1,
      eventsPerSecond: 2_000,
      simTime: 3 * params.items,
      advice: "lower --items or give --explore false",
    })
  },
  quiz(params) {
    return [
      `The ${params.version} version prints ${params.items} items; each print takes 1 or 2 ms.`,
      "1. Does it print every item in order in every schedule?",
      "2. Does any goroutine stay blocked after main returns?",
    ].join("\n")
  },
  run(params, context) {
    const sim = context.simulation()
    const shown = context.output === "text" ? new TraceSample(sim.trace, () => true, 200) : undefined
    const run = runAlternatePrinters(sim, { version: params.version, items: params.items })
    const explored = params.explore ? exploreAll(params) : undefined
    const report = {
      ...fromSimulation(sim),
      metrics: metricsOf(params, context.seed, run, explored),
      checks: [checkPrintsInOrder(verdictCounts(run, explored), firstWords(params, run, explored))],
    }
    if (shown === undefined) return report
    const entries = shown.records.map((record) => ({ t: record.t, text: goTimelineLine(record as Traced<GoEvent>) }))
    const sections: TextSection[] = [{ title: "This run as goroutine lanes", lines: lanes(run) }]
    if (explored?.shortest !== undefined)
      sections.push({ title: "The failing schedule that ends soonest, as lanes", lines: lanes(explored.shortest) })
    sections.push(lesson(params, run, explored))
    return { ...report, timeline: { title: "Timeline (this run)", entries }, sections }
  },
})

export default alternatePrinters

await runMain(alternatePrinters, import.meta.url)
