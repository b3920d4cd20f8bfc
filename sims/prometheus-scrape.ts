/**
 * Prometheus scrape: what do rate(), histogram_quantile() and an alert show of a service, next to
 *   the truth?
 * Covers: scraping, counter resets, rate vs irate, histogram buckets vs summaries, recording and
 *   alerting rules, for
 * Scenario: 2 instances serve 50 requests/s; from t=600 s for 10 minutes traffic triples and 10% of
 *   requests fail; Prometheus scrapes every 15 s and alerts when more than 5% fail for 5 minutes
 * Try: --spike-s 10 --spike-rps 500; --restart-at-s 900; --rate-window 5m; --instances 1
 */
import {
  defineSim,
  flag,
  formatCount,
  formatNumber,
  fromSimulation,
  renderTable,
  runMain,
  sparkline,
} from "../src/cli/index.ts"
import type { Constraint, Params, TextSection, WorkEstimate } from "../src/cli/index.ts"
import { workEstimate } from "../src/cli/index.ts"
import { DEFAULT_BUCKETS, TraceSample, type Traced } from "../src/kernel/index.ts"
import type { NetEvent } from "../src/net/index.ts"
import {
  ALERT_ERROR_RATIO,
  ALERT_NAME,
  checkAlertFired,
  checkRateNeverNegative,
  formatDuration,
  formatExpr,
  instanceNode,
  instantSample,
  observabilityTimeline,
  type ObservabilityEvent,
  parseDuration,
  type PrometheusResult,
  PrometheusScenario,
} from "../src/models/observability/index.ts"

/** How the sim shows times (ms, as the network keeps them). */
const TIME = { unit: "ms", decimals: 0 } as const
/** Timeline lines shown at most. */
const TIMELINE_MAX = 20
/** Chart columns at most: more evaluations are drawn as the highest of each group. */
const CHART_COLUMNS = 60

function durationCheck(value: string): string | undefined {
  return parseDuration(value) === undefined
    ? "a PromQL duration > 0: a number and a unit (ms, s, m, h, d, w, y), e.g. 1m, 90s, 1m30s"
    : undefined
}

function bucketsOf(text: string): number[] | undefined {
  const bounds = text.split(",").map((part) => Number(part.trim()))
  const ok = bounds.every((b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > bounds[i - 1]!))
  return ok && text.trim() !== "" ? bounds : undefined
}

const flags = {
  scrapeIntervalS: flag.integer({
    description: "Prometheus's scrape_interval",
    unit: "s",
    default: 15,
    min: 1,
    max: 300,
  }),
  evaluationIntervalS: flag.integer({
    description: "the rule group's evaluation_interval",
    unit: "s",
    default: 15,
    min: 1,
    max: 300,
  }),
  rateWindow: flag.string({
    description: "the range of rate(), irate() and the quantiles, as PromQL writes it",
    default: "1m",
    allowed: "a PromQL duration (1m, 90s, 5m)",
    check: durationCheck,
  }),
  rps: flag.number({
    description: "requests per second, all instances together",
    unit: "per second",
    default: 50,
    greaterThan: 0,
    max: 2000,
  }),
  spikeAtS: flag.number({ description: "when the traffic spike starts", unit: "s", default: 600, min: 0, max: 86_400 }),
  spikeS: flag.number({
    description: "how long the spike lasts; 0: no spike",
    unit: "s",
    default: 600,
    min: 0,
    max: 86_400,
  }),
  spikeRps: flag.number({
    description: "requests per second during the spike",
    unit: "per second",
    default: 150,
    greaterThan: 0,
    max: 5000,
  }),
  restartAtS: flag.number({
    description: `when ${instanceNode(0)} restarts (its counters start from 0); 0: never`,
    unit: "s",
    default: 0,
    min: 0,
    max: 86_400,
  }),
  errorRatio: flag.number({
    description: "the share of requests that fail during the spike (none fail outside it)",
    unit: "fraction",
    default: 0.1,
    min: 0,
    max: 1,
  }),
  buckets: flag.string({
    description: "the histogram's bucket bounds, comma-separated (the client libraries' defaults)",
    unit: "s",
    default: DEFAULT_BUCKETS.join(","),
    allowed: "increasing numbers > 0, comma-separated",
    check: (value) => (bucketsOf(value) === undefined ? "increasing numbers > 0, comma-separated" : undefined),
  }),
  alertFor: flag.string({
    description: `how long the error ratio must stay above ${ALERT_ERROR_RATIO * 100}% before ${ALERT_NAME} fires`,
    default: "5m",
    allowed: "a PromQL duration (5m, 90s)",
    check: durationCheck,
  }),
  durationS: flag.integer({ description: "simulated time to run", unit: "s", default: 1800, min: 60, max: 86_400 }),
  instances: flag.integer({
    description: "service instances, each scraped",
    unit: "instances",
    default: 2,
    min: 1,
    max: 10,
  }),
}

type ScrapeParams = Params<typeof flags>

const windowHoldsTwoScrapes: Constraint<ScrapeParams> = {
  params: ["rateWindow", "scrapeIntervalS"],
  holds: (p) => (parseDuration(p.rateWindow) ?? 0) >= 2 * p.scrapeIntervalS * 1000,
  message:
    "rate() and irate() need two samples in their window, and with one scrape per interval a window shorter than two scrape intervals holds only one at some or all evaluations, where they return nothing: make the window at least twice the scrape interval (the usual advice is four times)",
}

const eventsInRun: Constraint<ScrapeParams> = {
  params: ["spikeAtS", "restartAtS", "durationS"],
  holds: (p) => (p.spikeS === 0 || p.spikeAtS < p.durationS) && p.restartAtS < p.durationS,
  message: "the spike and the restart must start before the run ends (--spike-s 0 for no spike)",
}

/** Each group of evaluations' highest value, so a chart fits {@link CHART_COLUMNS}. */
function columns(values: readonly (number | undefined)[]): number[] {
  const per = Math.max(1, Math.ceil(values.length / CHART_COLUMNS))
  const out: number[] = []
  for (let i = 0; i < values.length; i += per) {
    const group = values.slice(i, i + per).filter((v): v is number => v !== undefined && Number.isFinite(v))
    out.push(group.length === 0 ? NaN : Math.max(...group))
  }
  return out
}

function seconds(ms: number): string {
  return `${formatNumber(ms / 1000, 1)} s`
}

function maxOf(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((m, v) => (v !== undefined && v > m ? v : m), 0)
}

function rateChart(result: PrometheusResult, params: ScrapeParams): TextSection {
  const truth = result.trueRates()
  const { rate, irate } = result.values
  const top = Math.max(maxOf(truth), maxOf(rate), maxOf(irate))
  const per = Math.max(1, Math.ceil(truth.length / CHART_COLUMNS))
  const line = (label: string, values: readonly (number | undefined)[]): string =>
    `${label.padEnd(9)}${sparkline(columns(values), { min: 0, max: top })}  peak ${formatNumber(maxOf(values), 1)}/s`
  return {
    title: "Request rate (requests per second)",
    lines: [
      line("true", truth),
      line("rate()", rate),
      line("irate()", irate),
      `0 to ${formatNumber(top, 1)}/s, ${seconds(result.evaluationTimesMs[0] ?? 0)} to ${seconds(result.evaluationTimesMs[result.evaluationTimesMs.length - 1] ?? 0)}; one column per ${per === 1 ? "evaluation" : `${per} evaluations (their highest value)`}.`,
      `true: requests completed per second in each ${params.evaluationIntervalS} s step; rate() and irate() over [${params.rateWindow}]:`,
      `  ${formatExpr(result.scenario.queries.rate)}`,
    ],
  }
}

function latencySection(result: PrometheusResult, params: ScrapeParams): TextSection {
  const o = result.scenario.options
  const end = result.evaluationTimesMs[result.evaluationTimesMs.length - 1] ?? o.durationMs
  const ms = (s: number | undefined): string =>
    s === undefined || !Number.isFinite(s) ? "-" : `${formatNumber(s * 1000, 1)} ms`
  const summary = (i: number, quantile: string): number | undefined => {
    const match = { instance: instanceNode(i), quantile }
    const series = result.scenario.scraper.store.select("http_request_latency_seconds", match)[0]
    return series === undefined ? undefined : instantSample(series.samples, end)?.value
  }
  const exact = (fromMs: number): [string, string] => [
    ms(result.exactQuantile(0.5, fromMs, Math.min(end, o.durationMs))),
    ms(result.exactQuantile(0.99, fromMs, Math.min(end, o.durationMs))),
  ]
  const w = params.rateWindow
  const rows = [
    ["every request of the run", "exact", ...exact(-Infinity)],
    [
      "every request of the run",
      `histogram_quantile(increase[${formatDuration(o.durationMs)}])`,
      "-",
      ms(result.last("runP99")),
    ],
    [`the last ${w}`, "exact", ...exact(end - o.rateWindowMs)],
    [`the last ${w}`, `histogram_quantile(rate[${w}])`, ms(result.last("p50")), ms(result.last("p99"))],
    ["the last 10 minutes", "exact", ...exact(end - 600_000)],
    ...Array.from({ length: o.instances }, (_, i) => [
      `${instanceNode(i)}'s last 8-10 minutes`,
      "its summary",
      ms(summary(i, "0.5")),
      ms(summary(i, "0.99")),
    ]),
    ["every instance", "average of the summaries", "-", ms(result.last("summaryP99Average"))],
  ]
  const columns = [
    { header: "requests" },
    { header: "how" },
    { header: "p50", align: "right" as const },
    { header: "p99", align: "right" as const },
  ]
  return { title: `Latency at the last evaluation (t=${seconds(end)})`, lines: renderTable(columns, rows) }
}

function alertSection(result: PrometheusResult, params: ScrapeParams): TextSection {
  const transitions = result.scenario.alert.transitions.filter((t) => t.tMs <= result.scenario.options.durationMs)
  const began = result.conditionTrueAtMs
  const lines: string[] = [
    `${ALERT_NAME}: ${formatExpr(result.scenario.queries.alertCondition)}, for ${params.alertFor}.`,
  ]
  if (began !== undefined)
    lines.push(
      `t=${seconds(began)}: the spike begins; each request fails with probability ${formatNumber(params.errorRatio * 100, 1)}% (above the ${ALERT_ERROR_RATIO * 100}% threshold).`,
    )
  for (const { tMs, state } of transitions)
    lines.push(`t=${seconds(tMs)}: ${state === "inactive" ? "inactive again" : state}.`)
  if (transitions.length === 0) lines.push("The condition never held at an evaluation: the alert stayed inactive.")
  return { title: "Alert", lines }
}

/** What the run shows, from its numbers. */
function lesson(result: PrometheusResult, params: ScrapeParams): TextSection {
  const o = result.scenario.options
  const lines: string[] = []
  const truth = result.trueRates()
  const peakTrue = maxOf(truth)
  const peakRate = maxOf(result.values.rate)
  const peakIrate = maxOf(result.values.irate)
  lines.push(
    `The true rate peaked at ${formatNumber(peakTrue, 1)}/s per ${params.evaluationIntervalS} s step; rate() over ${params.rateWindow} at ${formatNumber(peakRate, 1)}/s and irate() at ${formatNumber(peakIrate, 1)}/s: rate() averages the whole window, irate() sees only the last two scrapes.`,
  )
  if (o.restartAtMs !== undefined && checkRateNeverNegative(result).held)
    lines.push(
      `${instanceNode(0)} restarted at t=${seconds(o.restartAtMs)} and its counters started again from 0, yet rate() never went below 0: a drop in a counter counts as a reset, and the value before it is added back.`,
    )
  const exact = result.exactQuantile(0.99, -Infinity, o.durationMs)
  const estimated = result.last("runP99")
  if (estimated !== undefined && Number.isFinite(estimated))
    lines.push(
      `histogram_quantile put the run's p99 at ${formatNumber(estimated * 1000, 1)} ms against an exact ${formatNumber(exact * 1000, 1)} ms: it interpolates linearly inside the bucket that holds the 99th percentile, so its answer need not be any request's latency.`,
    )
  const end = result.evaluationTimesMs[result.evaluationTimesMs.length - 1] ?? o.durationMs
  const average = result.last("summaryP99Average")
  const lastTen = result.exactQuantile(0.99, end - 600_000, end)
  if (average !== undefined && o.instances > 1)
    lines.push(
      `The average of the instances' p99s was ${formatNumber(average * 1000, 1)} ms against ${formatNumber(lastTen * 1000, 1)} ms for all their requests: a quantile of the whole is not the mean of the parts' quantiles, and a summary's quantiles cannot be added up; a histogram's buckets can.`,
    )
  lines.push(...alertLesson(result, params))
  return { title: "Lesson", lines }
}

function alertLesson(result: PrometheusResult, params: ScrapeParams): string[] {
  const fired = result.alertFiredAtMs
  const began = result.conditionTrueAtMs
  const pending = result.scenario.alert.transitions.find(
    (t) => t.state === "pending" && (began === undefined || t.tMs >= began),
  )
  if (fired === undefined || began === undefined || pending === undefined) {
    return [
      began === undefined
        ? `${ALERT_NAME} never fired: the error ratio never went above ${ALERT_ERROR_RATIO * 100}% in this run.`
        : `${ALERT_NAME} did not fire: the errors from t=${seconds(began)} did not keep the ratio over [${params.rateWindow}] above ${ALERT_ERROR_RATIO * 100}% at every evaluation for ${params.alertFor}.`,
    ]
  }
  return [
    `${ALERT_NAME} fired ${seconds(fired - began)} after the errors began: ${seconds(pending.tMs - began)} until an evaluation saw the ratio over [${params.rateWindow}] above ${ALERT_ERROR_RATIO * 100}% (the errors had to reach the scrapes and fill enough of the window; evaluations every ${params.evaluationIntervalS} s), then ${seconds(fired - pending.tMs)} pending (for ${params.alertFor}, met at an evaluation).`,
  ]
}

/** Requests per second of simulated time, at the heaviest (the spike's rate throughout). */
function requestsOf(p: ScrapeParams): number {
  return Math.max(p.rps, p.spikeS > 0 ? p.spikeRps : 0) * p.durationS
}

/**
 * Events per request: 2 (arrival, completion), plus a scrape's parse and the histogram's sort of
 * every observation at each scrape, counted as 0.02 events per kept observation and scrape. Measured
 * on the default run: 303,099 events and 3.8 s of CPU (2 of them start-up) for 150,000 requests;
 * `--rps 2000 --spike-s 0 --duration-s 300` (600,000 requests) took 5.2 s of CPU and 297 MB
 * against 16.2 s and 440 MB estimated. Memory: about 120 bytes per request (the histogram's and
 * the summary's observations, the truth's columns).
 */
const EVENTS_PER_SECOND = 100_000

function estimate(p: ScrapeParams): WorkEstimate {
  const requests = requestsOf(p)
  const scrapes = (p.durationS / p.scrapeIntervalS) * p.instances
  return workEstimate({
    events: 2 * requests + 0.02 * scrapes * (requests / p.instances / 2) + 1000,
    eventsPerSecond: EVENTS_PER_SECOND,
    keptBytes: requests * 120,
    simTime: p.durationS * 1000,
    advice: "lower --duration-s, --rps or --spike-rps",
  })
}

/** The timeline: the alert's state changes at their evaluation times. */
function timelineOf(sample: TraceSample<Traced<ObservabilityEvent | NetEvent>>) {
  const entries = sample.records.map((record) => ({
    t: record.type === "AlertPending" ? record.activeAtMs : "tMs" in record ? (record.tMs as number) : record.t,
    text: observabilityTimeline(record) ?? record.type,
  }))
  const title =
    sample.total > TIMELINE_MAX
      ? `Timeline (the first ${TIMELINE_MAX} of ${formatCount(sample.total)} events)`
      : "Timeline"
  return { title, entries }
}

const prometheusScrape = defineSim({
  name: "prometheus-scrape",
  title: "Prometheus scrape: what do rate(), histogram_quantile() and an alert show of a service, next to the truth?",
  header: {
    covers:
      "scraping, counter resets, rate vs irate, histogram buckets vs summaries, recording and alerting rules, for",
    scenario:
      "2 instances serve 50 requests/s; from t=600 s for 10 minutes traffic triples and 10% of requests fail; Prometheus scrapes every 15 s and alerts when more than 5% fail for 5 minutes",
    try: ["--spike-s 10 --spike-rps 500", "--restart-at-s 900", "--rate-window 5m", "--instances 1"],
  },
  time: TIME,
  metrics: {
    samples: {
      description: 'every scraped series: { name, labels, values: [[tSeconds, value], ...] } (NaN as "NaN")',
      unit: "see fields (s, sample values)",
    },
    queries: {
      description:
        'each query at each evaluation time: { expr (PromQL, one series), t, value (null: no result; "NaN", "+Inf" as strings) }',
      unit: "see fields (s, query values)",
    },
    trueRate: {
      description: "[tSeconds, requests completed per second in the evaluation step ending at t] per evaluation",
      unit: "see fields (s, per second)",
    },
    exactP99: { description: "exact p99 latency of every request of the run (nearest rank)", unit: "s" },
    estimatedP99: { description: "histogram_quantile(0.99) over the run's buckets at the last evaluation", unit: "s" },
    alertFiredAtS: { description: "when the alert first fired (null: never)", unit: "s" },
    alertDelayS: {
      description: "from the errors' start to the alert firing (null: it did not fire, or no errors)",
      unit: "s",
    },
  },
  flags,
  estimate,
  constraints: [windowHoldsTwoScrapes, eventsInRun],
  quiz(p) {
    return [
      `${p.instances} instance(s) serve ${p.rps} requests/s; ${p.spikeS > 0 ? `from t=${p.spikeAtS} s for ${p.spikeS} s, ${p.spikeRps} requests/s with ${p.errorRatio * 100}% failing` : "no spike"}.`,
      `Prometheus scrapes every ${p.scrapeIntervalS} s; the alert wants the error ratio over [${p.rateWindow}] above 5% for ${p.alertFor}.`,
      "1. How long after the errors begin does the alert fire?",
      "2. Is the average of the instances' p99 latencies the p99 of all requests?",
    ].join("\n")
  },
  run(p, context) {
    const sim = context.simulation()
    const sample =
      context.output === "text"
        ? new TraceSample(
            sim.trace,
            (r) => observabilityTimeline(r as Traced<ObservabilityEvent | NetEvent>) !== undefined,
            TIMELINE_MAX,
          )
        : undefined
    const scenario = new PrometheusScenario(sim, {
      instances: p.instances,
      scrapeIntervalMs: p.scrapeIntervalS * 1000,
      evaluationIntervalMs: p.evaluationIntervalS * 1000,
      rateWindowMs: parseDuration(p.rateWindow)!,
      rps: p.rps,
      ...(p.spikeS > 0 ? { spikeAtMs: p.spikeAtS * 1000, spikeMs: p.spikeS * 1000 } : {}),
      spikeRps: p.spikeRps,
      errorRatio: p.errorRatio,
      ...(p.restartAtS > 0 ? { restartAtMs: p.restartAtS * 1000 } : {}),
      buckets: bucketsOf(p.buckets)!,
      alertForMs: parseDuration(p.alertFor)!,
      durationMs: p.durationS * 1000,
    })
    const result = scenario.run(context.advance)
    const checks = [checkRateNeverNegative(result), checkAlertFired(result)]
    const text =
      sample === undefined
        ? {}
        : {
            timeline: timelineOf(sample as TraceSample<Traced<ObservabilityEvent | NetEvent>>),
            sections: [rateChart(result, p), latencySection(result, p), alertSection(result, p), lesson(result, p)],
          }
    return { ...fromSimulation(sim), metrics: result.summary(), checks, ...text }
  },
})

export default prometheusScrape

await runMain(prometheusScrape, import.meta.url)
