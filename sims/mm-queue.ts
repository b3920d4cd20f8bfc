/**
 * M/M/c queue: how long do customers wait, and does Erlang C predict it?
 * Covers: Poisson arrivals, exponential service, utilisation, Erlang C, Little's law, instability.
 * Scenario: 10,000 customers arrive at 0.9 per second at one server that serves 1 per second
 *   (90% busy); each waits in one FIFO line. Measured waits are set against Erlang C.
 * Try: --servers 2 --arrival-rate 1.8 (same load, twice the servers: shorter waits);
 *   --arrival-rate 0.5 (half as busy: the wait drops ten-fold); --arrival-rate 1.2 (overload).
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
  sparkline,
  type TextSection,
  type TimelineEntry,
  type EstimateContext,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { type Trace, TraceSample, type Traced } from "../src/kernel/index.ts"
import { type RunView, SeriesRecorder } from "../src/view/index.ts"
import {
  checkLittlesLaw,
  checkWaitMatchesErlangC,
  describeQueueingRecord,
  isQueueingRecord,
  type MmcMeasurements,
  type MmcResult,
  MmcScenario,
  type MmcSteadyState,
  mmcSteadyState,
} from "../src/models/queueing/index.ts"

/** Queue events shown in the timeline (the first customers' arrivals, service starts, departures). */
const TIMELINE_EVENTS = 15
/** Columns of the queue-length sparkline. */
const SPARKLINE_COLUMNS = 64
/** The largest --customers. */
const CUSTOMERS_MAX = 5_000_000

const flags = {
  arrivalRate: flag.number({
    description: "mean arrival rate λ",
    unit: "customers per second",
    default: 0.9,
    greaterThan: 0,
    max: 1e6,
  }),
  serviceRate: flag.number({
    description: "mean service rate μ of one server",
    unit: "customers per second",
    default: 1,
    greaterThan: 0,
    max: 1e6,
  }),
  servers: flag.integer({ description: "number of servers c", unit: "servers", default: 1, min: 1, max: 1000 }),
  customers: flag.integer({
    description: "customers who arrive before the door closes",
    unit: "customers",
    default: 10_000,
    min: 1,
    max: CUSTOMERS_MAX,
  }),
}

type MmParams = Params<typeof flags>

function queueSparkline({ queue, measured }: MmcResult): TextSection {
  const buckets = queue.queueProfile()
  const peak = Math.max(...buckets)
  return {
    title: `Queue length while customers arrive (t=0 to the last arrival at t=${formatNumber(measured.lastArrivalTime, 1)}s)`,
    lines: [
      `${sparkline(buckets, { min: 0 })}  each column: mean over ${formatNumber(measured.lastArrivalTime / SPARKLINE_COLUMNS, 1)}s`,
      `highest column ${formatNumber(peak, 1)} waiting; most ever waiting ${formatCount(measured.maxQueueLength)}`,
    ],
  }
}

function comparisonTable(measured: MmcMeasurements, steady: MmcSteadyState, regenerationState: number): TextSection {
  const row = (what: string, value: number, predicted: number, decimals: number): string[] => {
    const difference = steady.stable ? formatPercent((value - predicted) / predicted, 1) : "—"
    return [what, formatNumber(value, decimals), formatNumber(predicted, decimals), difference]
  }
  const wait = measured.wait
  const waitCell = `${formatNumber(wait.mean, 3)} ± ${formatNumber(wait.standardError, 3)}`
  const rows = [
    [
      "mean wait in queue Wq (s)",
      waitCell,
      formatNumber(steady.meanWait, 3),
      steady.stable ? formatPercent((wait.mean - steady.meanWait) / steady.meanWait, 1) : "—",
    ],
    row("P(a customer waits)", measured.probabilityOfWaiting, steady.probabilityOfWaiting, 3),
    row("utilisation", measured.utilisation, steady.utilisation, 3),
    row("mean queue length Lq", measured.meanQueueLength, steady.meanQueueLength, 3),
    row("mean time in system W (s)", measured.meanTimeInSystem, steady.meanTimeInSystem, 3),
    row("mean number in system L", measured.meanInSystem, steady.meanInSystem, 3),
  ]
  const table = renderTable(
    [
      { header: "" },
      { header: "measured", align: "right" },
      { header: "Erlang C", align: "right" },
      { header: "difference", align: "right" },
    ],
    rows,
  )
  return {
    title: "Measured vs predicted (M/M/c steady state)",
    lines: [
      ...table,
      `± is one standard error of the mean wait, from ${formatCount(wait.cycles)} regeneration cycle${wait.cycles === 1 ? "" : "s"} (${regenerationWords(regenerationState)}).`,
    ],
  }
}

function littlesLawTable(measured: MmcMeasurements): TextSection {
  const rate = measured.throughput
  const rows = [
    ["in the system", measured.meanInSystem, measured.meanTimeInSystem],
    ["in the queue", measured.meanQueueLength, measured.wait.mean],
  ].map(([where, level, time]) => [
    String(where),
    formatNumber(Number(level), 4),
    formatNumber(rate, 4),
    formatNumber(Number(time), 4),
    formatNumber(rate * Number(time), 4),
  ])
  const table = renderTable(
    [
      { header: "" },
      { header: "L (mean number)", align: "right" },
      { header: "λ̂ (per s)", align: "right" },
      { header: "W (mean s)", align: "right" },
      { header: "λ̂·W", align: "right" },
    ],
    rows,
  )
  return {
    title: "Little's law: L = λ·W",
    lines: [
      ...table,
      `λ̂ = ${formatCount(measured.customersServed)} customers / ${formatNumber(measured.runTime, 1)}s run. The run starts and ends empty,`,
      "so the area under N(t) equals the sum of the customers' times: L = λ̂·W holds exactly, on any sample path.",
    ],
  }
}

function instabilityLesson(params: MmParams, steady: MmcSteadyState): TextSection {
  const capacity = params.servers * params.serviceRate
  return {
    title: "No steady state",
    lines: [
      `λ = ${params.arrivalRate}/s >= c·μ = ${capacity}/s (ρ = ${formatNumber(steady.trafficIntensity, 3)}): the servers cannot keep up.`,
      "The queue grows without bound while customers arrive (see the sparkline), so the mean wait",
      "depends on how long the door stays open: double --customers and it roughly doubles.",
      "Erlang C has no finite answer here; in --json the predicted* metrics are null.",
    ],
  }
}

/** What starts a regeneration cycle, in words. */
function regenerationWords(state: number): string {
  return state === 0
    ? "arrivals to an empty system"
    : `arrivals that find exactly ${state} customers, all in service; the first cycle is the warm-up from empty`
}

/** What the user can do about a run too short to judge: a larger --customers, or nothing if it is at its maximum. */
function longerRun(customers: number): string {
  const max = CUSTOMERS_MAX
  if (customers >= max)
    return `--customers is already at its maximum (${formatCount(max)}): this queue is too close to saturation for a run this long to judge it`
  return `rerun with --customers ${Math.min(max, customers * 10)} (10 times as many customers)`
}

function quiz(params: MmParams): string {
  const steady = mmcSteadyState(params)
  const setup = `${params.servers} server(s), each serving μ = ${params.serviceRate} customers/s; customers arrive at λ = ${params.arrivalRate}/s.`
  if (!steady.stable) {
    return [
      setup,
      `1. Can the servers keep up? What happens to the queue while the ${formatCount(params.customers)} customers arrive?`,
      "2. Will the mean wait settle to a number if you raise --customers? What does Erlang C say?",
    ].join("\n")
  }
  return [
    setup,
    "Predict, in the long run:",
    "1. the utilisation: the fraction of the time a server is busy;",
    "2. the probability that an arriving customer has to wait;",
    "3. the mean wait in the queue before service starts, in seconds.",
    "Hint: ρ = λ/(cμ); with one server, P(wait) = ρ and Wq = ρ/(μ − λ); with more, Erlang C.",
  ].join("\n")
}

/**
 * Events per second of an M/M/c run, measured on the largest run (--customers 5000000: 30,000,002
 * events, three trace records per customer, every one recorded), in CPU time with start-up:
 * JSON, which serialises every record for the trace hash, 39.2 s (31.8 s before the records
 * carried the wait, the time in system and the levels): 765,000/s; text, which computes no hash,
 * 13.1 s (9.2 s before; the timeline's sample is handed a stamped copy of every record): 2,300,000/s.
 */
const EVENTS_PER_SECOND = { json: 650_000, text: 1_500_000 } as const
/**
 * Bytes per customer a run keeps at its peak beyond the runtime, measured (2026-12-07, 5,000,000
 * customers, peak RSS less the ~150 MB runtime): JSON 307 MB, ~31 B (194 MB at 1,000,000
 * customers; what grows was not identified: the regeneration cycles keep ~2 B a customer); text
 * 313 MB, ~33 B, since the queue-length sparkline keeps its 60 slices instead of every change
 * point (it was 1,130 MB, ~196 B a customer).
 */
const BYTES_PER_CUSTOMER = { text: 40, json: 40 } as const
/** Kernel events per customer, measured: 30,000,002 events for 5,000,000 customers. */
const EVENTS_PER_CUSTOMER = 6

/** The run ends when the last customer leaves. */
function estimate(params: MmParams, { output }: EstimateContext): WorkEstimate {
  const simTime = params.customers / Math.min(params.arrivalRate, params.servers * params.serviceRate)
  return workEstimate({
    events: EVENTS_PER_CUSTOMER * params.customers + 2,
    eventsPerSecond: EVENTS_PER_SECOND[output],
    keptBytes: BYTES_PER_CUSTOMER[output] * params.customers,
    simTime,
    advice: Number.isFinite(simTime) ? "lower --customers" : "raise --arrival-rate and --service-rate",
  })
}

/** The `--html` report's chart: customers waiting and servers busy, read off the queue's records. */
function queueCharts(trace: Trace): () => RunView {
  const read = (field: "waiting" | "busy") => (record: Traced) => (isQueueingRecord(record) ? record[field] : undefined)
  const waiting = new SeriesRecorder(trace, "waiting", read("waiting"))
  const busy = new SeriesRecorder(trace, "servers busy", read("busy"))
  return () => ({
    series: [{ title: "Queue length and busy servers", yName: "customers", lines: [waiting.line(), busy.line()] }],
  })
}

const mmQueue = defineSim({
  name: "mm-queue",
  title: "M/M/c queue: how long do customers wait, and does Erlang C predict it?",
  header: {
    covers: "Poisson arrivals, exponential service, utilisation, Erlang C, Little's law, overload",
    scenario: "10,000 customers arrive at 0.9/s at one server that serves 1/s (90% busy), in one FIFO line",
    try: [
      "--servers 2 --arrival-rate 1.8",
      "--arrival-rate 0.5",
      "--arrival-rate 1.2",
      "--servers 2 --customers 200000 --json",
    ],
  },
  time: { unit: "s", decimals: 3 },
  metrics: {
    stable: { description: "true when λ < c·μ (a steady state exists)", unit: "true/false" },
    meanWait: { description: "mean wait in queue Wq", unit: "s" },
    predictedWait: { description: "Erlang C's Wq (null without a steady state)", unit: "s" },
    waitStandardError: {
      description: "standard error of meanWait, from regeneration cycles (null when too few cycles)",
      unit: "s",
    },
    regenerationCycles: {
      description: "busy cycles (arrivals to an empty system) used for the standard error",
      unit: "cycles",
    },
    p90Wait: { description: "90th percentile of the wait in queue", unit: "s" },
    p99Wait: { description: "99th percentile of the wait in queue", unit: "s" },
    maxWait: { description: "longest wait in queue", unit: "s" },
    probabilityOfWaiting: { description: "share of customers who waited", unit: "fraction" },
    predictedProbabilityOfWaiting: {
      description: "Erlang C's probability of waiting (1 without a steady state)",
      unit: "probability",
    },
    utilisation: { description: "mean share of servers busy", unit: "fraction" },
    predictedUtilisation: { description: "ρ = λ / (c·μ), at most 1", unit: "fraction" },
    meanQueueLength: { description: "time-weighted mean number waiting Lq", unit: "customers" },
    predictedQueueLength: { description: "Erlang C's Lq (null without a steady state)", unit: "customers" },
    maxQueueLength: { description: "most customers ever waiting", unit: "customers" },
    meanInSystem: { description: "time-weighted mean number in the system L", unit: "customers" },
    meanTimeInSystem: { description: "mean time in the system W", unit: "s" },
    predictedTimeInSystem: { description: "Erlang C's W (null without a steady state)", unit: "s" },
    throughput: { description: "customers served per second (λ̂)", unit: "customers per second" },
    littlesLawProduct: { description: "λ̂·W, which equals meanInSystem", unit: "customers" },
    lastArrivalTime: { description: "time of the last arrival", unit: "s" },
  },
  flags,
  estimate,
  quiz,
  run(params, context) {
    const sim = context.simulation()
    const profile = context.output === "text" ? { queueProfileSlices: SPARKLINE_COLUMNS } : {}
    const scenario = new MmcScenario(sim, { ...params, ...profile })
    const sample = context.output === "text" ? new TraceSample(sim.trace, isQueueingRecord, TIMELINE_EVENTS) : undefined
    const charts = context.view === true ? queueCharts(sim.trace) : undefined
    const result = scenario.run(context.advance)
    const { measured, steady } = result
    const sections: TextSection[] = []
    if (context.output === "text") {
      sections.push(queueSparkline(result))
      if (!steady.stable) sections.push(instabilityLesson(params, steady))
      sections.push(comparisonTable(measured, steady, result.queue.regenerationState), littlesLawTable(measured))
    }
    const entries: TimelineEntry[] = (sample?.records ?? []).flatMap((record) => {
      const text = describeQueueingRecord(record, params.servers)
      return text === undefined ? [] : [{ t: record.t, text }]
    })
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [checkLittlesLaw(measured), checkWaitMatchesErlangC(measured, steady, longerRun(params.customers))],
      timeline: { title: `Timeline (the first ${TIMELINE_EVENTS} queue events)`, entries },
      sections,
      ...(charts === undefined ? {} : { view: charts() }),
    }
  },
})

export default mmQueue

await runMain(mmQueue, import.meta.url)
