/**
 * A Prometheus server on simulated time: it scrapes each target's registry over the simulated
 * network every `scrapeIntervalMs`, and stores what it read. See docs/prometheus.md ("Scraping").
 *
 * - Each target is scraped first at its own offset within the interval (Prometheus spreads targets:
 *   the offset is a hash of the target; here FNV-1a of `job/instance`, without Prometheus's
 *   per-server seed), then every interval on the scraping node's clock.
 * - A scrape is a request to the target's node; the answer is the registry in the text exposition
 *   format at the moment the target answers. Samples are stored with the time the scrape started,
 *   as Prometheus does, and the labels `job` and `instance` added. `up` is 1.
 * - A scrape with no answer within `scrapeTimeoutMs` (the target is down, paused or cut off)
 *   stores `up` 0 and a staleness marker for every series the previous scrape returned; a series
 *   missing from a scrape that answered gets a marker too.
 *
 * Left out: relabelling, honor_labels, sample limits, `scrape_duration_seconds` and the other
 * synthetic series besides `up`, and skipping scrapes that overrun the interval (the timeout is at
 * most the interval).
 */
import type { Metrics, ProcessGenerator, TraceOf } from "../../kernel/index.ts"
import { type NetworkContext, Rpc } from "../../net/index.ts"
import { parseExposition } from "./exposition.ts"
import type { ObservabilityEvent } from "./observability-events.ts"
import { type Labels, SeriesStore, seriesKey } from "./series-store.ts"

/** The RPC service a target's metrics are read on. */
export const METRICS_SERVICE = "metrics"

/** One target: the node that serves its metrics, and its `job` label. */
export interface ScrapeTarget {
  readonly node: string
  readonly job: string
}

/** Options of a {@link Scraper}. */
export interface ScraperOptions {
  /** The node Prometheus runs on. Required. */
  readonly node: string
  readonly targets: readonly ScrapeTarget[]
  /** `scrape_interval`, in ms. Default 15000 (Prometheus's default is 60 s; 15 s is the usual setting). */
  readonly scrapeIntervalMs?: number
  /** `scrape_timeout`, in ms, at most the interval. Default 10000. */
  readonly scrapeTimeoutMs?: number
  /**
   * Offsets are whole multiples of this, in ms. Default 1. A lesson passes 1000 so every sample
   * lies on a whole second, which `promtool test rules` can load (its input notation has one step
   * for all series; a 1 ms step over half an hour needs gigabytes).
   */
  readonly offsetStepMs?: number
  /** Where the events go (`sim.trace`). Required. */
  readonly trace: TraceOf<ObservabilityEvent>
}

/** Serves `metrics` (a node's registry) to scrapers, on `node`, with the scrapers' {@link metricsRpc}. */
export function serveMetrics(rpc: Rpc, node: string, metrics: Metrics): void {
  rpc.serve<null, string>(node, () => metrics.toPrometheus())
}

/** The RPC helper scrapers and targets share on `network`. */
export function metricsRpc(network: NetworkContext): Rpc {
  return new Rpc(network, { service: METRICS_SERVICE })
}

/** FNV-1a, 32 bits, of `text`'s UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** Scrapes targets and keeps their samples in {@link store}. */
export class Scraper {
  /** Every sample scraped, by series. */
  readonly store = new SeriesStore()
  readonly scrapeIntervalMs: number
  readonly scrapeTimeoutMs: number

  /**
   * Starts one scrape loop per target on the scraping node.
   * @throws RangeError when the interval is not > 0 or the timeout not in (0, interval]
   */
  constructor(
    private readonly network: NetworkContext,
    private readonly rpc: Rpc,
    private readonly options: ScraperOptions,
  ) {
    this.scrapeIntervalMs = options.scrapeIntervalMs ?? 15_000
    this.scrapeTimeoutMs = options.scrapeTimeoutMs ?? 10_000
    if (!(this.scrapeIntervalMs > 0 && this.scrapeIntervalMs < Infinity))
      throw new RangeError(`scrapeIntervalMs must be > 0, got ${this.scrapeIntervalMs}`)
    if (!(this.scrapeTimeoutMs > 0 && this.scrapeTimeoutMs <= this.scrapeIntervalMs))
      throw new RangeError(`scrapeTimeoutMs must be in (0, ${this.scrapeIntervalMs}], got ${this.scrapeTimeoutMs}`)
    const node = network.node(options.node)
    for (const target of options.targets) node.spawn(this.loop(target), `scrape ${target.node}`)
  }

  /** Where target `instance` of `job` is first scraped within the interval, in ms. */
  offsetMs(target: ScrapeTarget): number {
    const step = this.options.offsetStepMs ?? 1
    return (fnv1a(`${target.job}/${target.node}`) % Math.max(1, Math.floor(this.scrapeIntervalMs / step))) * step
  }

  private *loop(target: ScrapeTarget): ProcessGenerator {
    const node = this.network.node(this.options.node)
    let previous = new Map<string, Labels>()
    let next = node.clock() + this.offsetMs(target)
    for (;;) {
      if (next > node.clock()) yield* node.sleepLocal(next - node.clock())
      const tMs = Math.round(node.clock())
      previous = yield* this.scrape(target, tMs, previous)
      next += this.scrapeIntervalMs
      while (next <= node.clock()) next += this.scrapeIntervalMs
    }
  }

  /** One scrape at `tMs`; returns the series it stored (for the next one's staleness markers). */
  private *scrape(
    target: ScrapeTarget,
    tMs: number,
    previous: Map<string, Labels>,
  ): ProcessGenerator<Map<string, Labels>> {
    const { job, node: instance } = target
    const outcome = yield* this.rpc.call<string>(this.options.node, instance, null, { timeoutMs: this.scrapeTimeoutMs })
    const up = { __name__: "up", job, instance }
    const current = new Map<string, Labels>()
    if (outcome.ok) {
      const samples = parseExposition(outcome.response)
      for (const sample of samples) {
        const labels = { ...sample.labels, __name__: sample.name, job, instance }
        current.set(seriesKey(labels), labels)
        this.store.append(labels, tMs, sample.value)
      }
      this.options.trace.record({ type: "TargetScraped", instance, job, tMs, samples: samples.length })
    } else {
      this.options.trace.record({ type: "ScrapeFailed", instance, job, tMs })
    }
    for (const [key, labels] of previous) if (!current.has(key)) this.store.append(labels, tMs, NaN, true)
    this.store.append(up, tMs, outcome.ok ? 1 : 0)
    return current
  }
}
