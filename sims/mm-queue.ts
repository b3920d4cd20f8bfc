/**
 * M/M/c queue: how long do customers wait, and does Erlang C predict it?
 * Covers: Poisson arrivals, exponential service, utilisation, Erlang C, Little's law, overload
 * Scenario: 10,000 customers arrive at 0.9/s at one server that serves 1/s (90% busy), in one FIFO
 *   line
 * Try: --servers 2 --arrival-rate 1.8; --arrival-rate 0.5; --arrival-rate 1.2; --servers 2
 *   --customers 200000 --json
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
  sparkline,
  type TextSection,
  type EstimateContext,
  type WorkEstimate,
  workEstimate,
} from "../src/cli/index.ts"
import { type Trace, TraceSample, type Traced } from "../src/kernel/index.ts"
import { type RunView, SeriesRecorder } from "../src/view/index.ts"
import {
  checkLittlesLaw,
  checkWaitMatchesErlangC,
  comparisonSection,
  instabilityLesson,
  isQueueingRecord,
  littlesLawSection,
  longerRun,
  MM_QUEUE_METRICS,
  type MmcResult,
  MmcScenario,
  mmQueueQuiz,
  mmQueueTimeline,
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

/**
 * Events per second of an M/M/c run, measured on the largest run (--customers 5000000: 30,000,002
 * events, three trace records per customer, every one recorded), in CPU time with start-up:
 * JSON, which serialises every record for the trace hash, 39.2 s (31.8 s before the records
 * carried the wait, the time in system and the levels): 765,000/s; text, which computes no hash,
 * 13.1 s (9.2 s before; the timeline's sample is handed a stamped copy of every record): 2,300,000/s.
 * The text calibration of 2026-12-08 (624,999 customers, tsx's cost counted in, the other test
 * worker busy) took 4.71 s against 5.50: 1,400,000/s leaves about 15%.
 */
const EVENTS_PER_SECOND = { json: 650_000, text: 1_400_000 } as const
/**
 * Bytes per customer a run keeps at its peak beyond the runtime, measured 2026-12-07 (peak RSS,
 * load average 11-14): a run keeps the longest tenth of the waits (their exact p90 and p99, 0.8 B
 * a customer) and the regeneration cycles (~2 B); the histograms keep no observation (they kept
 * 16 B a customer, 32 while their arrays doubled: the ~31 B once unexplained). JSON peaks at 179,
 * 199 and 247 MB at 1,000,000, 2,500,000 and 5,000,000 customers (309 MB before at 5,000,000):
 * ~17 B a customer, the garbage of serialising every record for the trace hash; text at 185 MB
 * (311 MB before), ~7 B.
 */
const BYTES_PER_CUSTOMER = { text: 10, json: 20 } as const
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
  metrics: MM_QUEUE_METRICS,
  flags,
  estimate,
  quiz: mmQueueQuiz,
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
      sections.push(comparisonSection(measured, steady, result.queue.regenerationState, renderTable))
      sections.push(littlesLawSection(measured, renderTable))
    }
    const entries = mmQueueTimeline(sample?.records ?? [], params.servers)
    return {
      ...fromSimulation(sim),
      metrics: result.summary(),
      checks: [
        checkLittlesLaw(measured),
        checkWaitMatchesErlangC(measured, steady, longerRun(params.customers, CUSTOMERS_MAX)),
      ],
      timeline: { title: `Timeline (the first ${TIMELINE_EVENTS} queue events)`, entries },
      sections,
      ...(charts === undefined ? {} : { view: charts() }),
    }
  },
})

export default mmQueue

await runMain(mmQueue, import.meta.url)
