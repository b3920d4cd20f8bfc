/**
 * A service behind `instances` instances, scraped by a Prometheus that records the request rate and
 * error ratio and alerts on the ratio; afterwards every query of the lesson at every evaluation
 * time, next to the truth the service kept. See docs/prometheus.md ("The service", "Rules").
 *
 * The queries are real PromQL over the scraped series only (no recorded series), each yielding one
 * series, so the `samples` and `queries` of {@link PrometheusResult.summary} can be replayed in a
 * real Prometheus. Sums over two instances are exact in any order; with three or more, Prometheus
 * may add them in another order and differ in the last bits (see docs/prometheus.md).
 */
import type { Simulation } from "../../kernel/index.ts"
import { Network, uniformLatency } from "../../net/index.ts"
import { type Advance, type JsonValue, runUntil } from "../../check/core/index.ts"
import { AlertRule } from "./alert-rule.ts"
import { HttpService } from "./http-service.ts"
import { evaluateExpr, type Expr, formatDuration, formatExpr } from "./promql-expr.ts"
import { RuleGroup } from "./rule-group.ts"
import { metricsRpc, Scraper } from "./scraper.ts"

/** The node Prometheus runs on. */
export const PROMETHEUS_NODE = "prometheus"
/** The alert fires on an error ratio above this. */
export const ALERT_ERROR_RATIO = 0.05
/** The alert's name. */
export const ALERT_NAME = "HighErrorRatio"
/** The recording rules' names start with this (they are not scraped series). */
const RECORDED_PREFIX = "service:"
/** The scrape timeout, in ms (Prometheus's default, at most the interval). */
const SCRAPE_TIMEOUT_MS = 10_000

/** The name of instance `i`'s node (its `instance` label). */
export function instanceNode(i: number): string {
  return `api-${i}`
}

/** Options of a {@link PrometheusScenario}; times in ms. */
export interface PrometheusScenarioOptions {
  /** Default 2. */
  readonly instances?: number
  /** Default 15000. */
  readonly scrapeIntervalMs?: number
  /** Default 15000. */
  readonly evaluationIntervalMs?: number
  /** The window of `rate`, `irate` and the quantiles. Default 60000. */
  readonly rateWindowMs?: number
  /** Default 50. */
  readonly rps?: number
  /** Default: no spike. */
  readonly spikeAtMs?: number
  /** Default 0. */
  readonly spikeMs?: number
  /** Default 150. */
  readonly spikeRps?: number
  /** Default 0.1. */
  readonly errorRatio?: number
  /** Default: no restart. */
  readonly restartAtMs?: number
  /** Histogram bounds in seconds. Default the client libraries'. */
  readonly buckets?: readonly number[]
  /** The alert's `for`. Default 300000. */
  readonly alertForMs?: number
  /** Default 1800000. */
  readonly durationMs?: number
}

/** The lesson's queries, by role. */
export interface LessonQueries {
  readonly rate: Expr
  readonly irate: Expr
  readonly p50: Expr
  readonly p99: Expr
  readonly summaryP99Average: Expr
  readonly errorRatio: Expr
  readonly alertCondition: Expr
  readonly runP99: Expr
}

/** The lesson's queries for a rate window and a run length. */
export function lessonQueries(rateWindowMs: number, durationMs: number): LessonQueries {
  const count = "http_request_duration_seconds_count"
  const bucket = "http_request_duration_seconds_bucket"
  const rateOf = (
    name: string,
    match = {},
    fn: "rate" | "irate" | "increase" = "rate",
    rangeMs = rateWindowMs,
  ): Expr => ({
    kind: "range",
    fn,
    name,
    match,
    rangeMs,
  })
  const sum = (of: Expr, by?: readonly string[]): Expr => ({ kind: "aggregate", op: "sum", of, ...(by ? { by } : {}) })
  const quantile = (q: number, of: Expr): Expr => ({ kind: "quantile", q, of })
  const summaryP99: Expr = { kind: "selector", name: "http_request_latency_seconds", match: { quantile: "0.99" } }
  const errorRatio: Expr = {
    kind: "binary",
    op: "/",
    left: sum(rateOf("http_requests_total", { code: "500" })),
    right: sum(rateOf(count)),
  }
  return {
    rate: sum(rateOf(count)),
    irate: sum(rateOf(count, {}, "irate")),
    p50: quantile(0.5, sum(rateOf(bucket), ["le"])),
    p99: quantile(0.99, sum(rateOf(bucket), ["le"])),
    summaryP99Average: {
      kind: "binary",
      op: "/",
      left: sum(summaryP99),
      right: { kind: "aggregate", op: "count", of: summaryP99 },
    },
    errorRatio,
    alertCondition: { kind: "filter", op: ">", left: errorRatio, threshold: ALERT_ERROR_RATIO },
    runP99: quantile(0.99, sum(rateOf(bucket, {}, "increase", durationMs), ["le"])),
  }
}

/** Wires the service, the scraper and the rule group. */
export class PrometheusScenario {
  readonly options: Required<Omit<PrometheusScenarioOptions, "spikeAtMs" | "restartAtMs" | "buckets">> &
    Pick<PrometheusScenarioOptions, "spikeAtMs" | "restartAtMs" | "buckets">
  readonly service: HttpService
  readonly scraper: Scraper
  readonly rules: RuleGroup
  readonly alert: AlertRule
  readonly queries: LessonQueries

  constructor(
    readonly sim: Simulation,
    options: PrometheusScenarioOptions = {},
  ) {
    this.options = {
      instances: 2,
      scrapeIntervalMs: 15_000,
      evaluationIntervalMs: 15_000,
      rateWindowMs: 60_000,
      rps: 50,
      spikeMs: 0,
      spikeRps: 150,
      errorRatio: 0.1,
      alertForMs: 300_000,
      durationMs: 1_800_000,
      ...options,
    }
    const o = this.options
    const network = new Network(sim, { link: { latency: uniformLatency(1, 5) } })
    const instances = Array.from({ length: o.instances }, (_, i) => instanceNode(i))
    for (const name of [PROMETHEUS_NODE, ...instances]) network.addNode(name)
    const rpc = metricsRpc(network)
    this.service = new HttpService(sim, network, rpc, { ...o, instances })
    const scrapeTimeoutMs = Math.min(SCRAPE_TIMEOUT_MS, o.scrapeIntervalMs)
    this.scraper = new Scraper(network, rpc, {
      node: PROMETHEUS_NODE,
      targets: instances.map((node) => ({ node, job: "api" })),
      scrapeIntervalMs: o.scrapeIntervalMs,
      scrapeTimeoutMs,
      offsetStepMs: 1000,
      trace: sim.trace,
    })
    this.queries = lessonQueries(o.rateWindowMs, o.durationMs)
    this.alert = new AlertRule(ALERT_NAME, o.alertForMs, sim.trace)
    const w = formatDuration(o.rateWindowMs)
    const ratioName = `${RECORDED_PREFIX}http_errors:ratio_rate${w}`
    this.rules = new RuleGroup(network, this.scraper.store, {
      node: PROMETHEUS_NODE,
      name: "api",
      intervalMs: o.evaluationIntervalMs,
      settleMs: scrapeTimeoutMs + 1,
      trace: sim.trace,
      rules: [
        { record: `${RECORDED_PREFIX}http_requests:rate${w}`, expr: this.queries.rate },
        { record: ratioName, expr: this.queries.errorRatio },
        {
          alert: this.alert,
          expr: { kind: "filter", op: ">", left: { kind: "selector", name: ratioName }, threshold: ALERT_ERROR_RATIO },
        },
      ],
    })
  }

  /** Runs to the end and evaluates the lesson's queries at every evaluation time. */
  run(advance: Advance = runUntil): PrometheusResult {
    advance(this.sim, this.options.durationMs + SCRAPE_TIMEOUT_MS + 2)
    return new PrometheusResult(this)
  }
}

/** One query's value at one evaluation time: null for no result; NaN and infinities as strings. */
export interface QueryValue {
  readonly expr: string
  readonly t: number
  readonly value: number | string | null
}

/** What a run measured, with the truth. */
export class PrometheusResult {
  /** Evaluation times within the run, in ms. */
  readonly evaluationTimesMs: readonly number[]
  /** Each query's values at the evaluation times (NaN kept), by role. */
  readonly values: Readonly<Record<keyof LessonQueries, readonly (number | undefined)[]>>

  constructor(readonly scenario: PrometheusScenario) {
    const { durationMs } = scenario.options
    this.evaluationTimesMs = scenario.rules.evaluationTimesMs.filter((t) => t <= durationMs)
    const store = scenario.scraper.store
    const values: Record<string, (number | undefined)[]> = {}
    for (const [role, expr] of Object.entries(scenario.queries)) {
      values[role] = this.evaluationTimesMs.map((t) => evaluateExpr(expr, store, t)[0]?.value)
    }
    this.values = values as unknown as PrometheusResult["values"]
  }

  /** Completed requests in (t − evaluation interval, t], per second, at each evaluation time. */
  trueRates(): number[] {
    const { tMs } = this.scenario.service.completed
    const stepMs = this.scenario.options.evaluationIntervalMs
    let lo = 0
    let hi = 0
    return this.evaluationTimesMs.map((t) => {
      while (hi < tMs.length && tMs[hi]! <= t) hi++
      while (lo < hi && tMs[lo]! <= t - stepMs) lo++
      return (hi - lo) / (stepMs / 1000)
    })
  }

  /** The exact nearest-rank `q`-quantile of the latencies of requests completed in (fromMs, toMs], in s; NaN when none. */
  exactQuantile(q: number, fromMs = -Infinity, toMs = Infinity, instance?: number): number {
    const { tMs, latencyS, instance: where } = this.scenario.service.completed
    const picked: number[] = []
    for (let k = 0; k < tMs.length; k++)
      if (tMs[k]! > fromMs && tMs[k]! <= toMs && (instance === undefined || where[k] === instance))
        picked.push(latencyS[k]!)
    if (picked.length === 0) return NaN
    picked.sort((a, b) => a - b)
    const n = picked.length
    let k = Math.min(n, Math.max(1, Math.ceil(q * n)))
    while (k > 1 && (k - 1) / n >= q) k--
    while (k < n && k / n < q) k++
    return picked[k - 1]!
  }

  /** When the alert first fired, in ms, if it did within the run. */
  get alertFiredAtMs(): number | undefined {
    const fired = this.scenario.alert.firstFiredAtMs
    return fired !== undefined && fired <= this.scenario.options.durationMs ? fired : undefined
  }

  /** When the error ratio truly crossed the alert's threshold: the spike's start, if its ratio is above it. */
  get conditionTrueAtMs(): number | undefined {
    const o = this.scenario.options
    return o.spikeAtMs !== undefined && o.spikeMs > 0 && o.errorRatio > ALERT_ERROR_RATIO && o.spikeAtMs < o.durationMs
      ? o.spikeAtMs
      : undefined
  }

  /** The value of the last evaluation of `role`, if any. */
  last(role: keyof LessonQueries): number | undefined {
    const list = this.values[role]
    return list[list.length - 1]
  }

  /** The JSON metrics: samples, queries, the truth and the alert. */
  summary(): { readonly [key: string]: JsonValue } {
    const samples = this.scenario.scraper.store
      .all()
      .filter((series) => !series.labels.__name__!.startsWith(RECORDED_PREFIX))
      .map((series) => {
        const { __name__: name, ...labels } = series.labels
        return {
          name: name!,
          labels,
          values: series.samples
            .filter((sample) => sample.tMs <= this.scenario.options.durationMs)
            .map((sample) => [sample.tMs / 1000, sample.stale === true ? "stale" : promValue(sample.value)]),
        }
      })
    const queries: QueryValue[] = []
    for (const [role, expr] of Object.entries(this.scenario.queries)) {
      const text = formatExpr(expr)
      const list = this.values[role as keyof LessonQueries]
      this.evaluationTimesMs.forEach((t, k) => {
        const value = list[k]
        queries.push({ expr: text, t: t / 1000, value: value === undefined ? null : promValue(value) })
      })
    }
    const fired = this.alertFiredAtMs
    const began = this.conditionTrueAtMs
    const rates = this.trueRates()
    return {
      samples,
      queries: queries as unknown as JsonValue,
      trueRate: this.evaluationTimesMs.map((t, k) => [t / 1000, rates[k]!]),
      exactP99: jsonNumber(this.exactQuantile(0.99, -Infinity, this.scenario.options.durationMs)),
      estimatedP99: jsonNumber(this.last("runP99")),
      alertFiredAtS: fired === undefined ? null : fired / 1000,
      alertDelayS: fired === undefined || began === undefined ? null : (fired - began) / 1000,
    }
  }
}

/** A value as JSON holds it: a number, or `"NaN"`, `"+Inf"`, `"-Inf"` (as Prometheus's HTTP API writes them). */
function promValue(value: number): number | string {
  if (Number.isNaN(value)) return "NaN"
  if (value === Infinity) return "+Inf"
  if (value === -Infinity) return "-Inf"
  return value
}

function jsonNumber(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value
}
