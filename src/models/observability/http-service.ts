/**
 * A monitored HTTP service on simulated time: `instances` processes behind a load balancer, each
 * instrumented as a Prometheus client library would be. See docs/prometheus.md ("The service").
 *
 * - Requests arrive as a Poisson process at `rps` per second in total (`spikeRps` during the
 *   spike), split evenly: each instance sees an independent Poisson stream at a share of the rate.
 * - A request's latency is log-normal around 40 ms (σ 0.5) on the fast path and around 800 ms
 *   (σ 0.4) on the slow path; instance 0 runs on a noisy host and takes the slow path for 3% of its
 *   requests, every other instance for 0.5%. During the spike a share `errorRatio` of the requests
 *   fail (code 500); no request fails outside it.
 * - Each instance counts and observes a request when it completes, in its own kernel `Metrics`
 *   registry: `http_requests_total{code}` (both codes created at start, as the client libraries
 *   advise), the histogram `http_request_duration_seconds` and the summary
 *   `http_request_latency_seconds` (quantiles 0.5, 0.9, 0.99 over a 10-minute window with 5 age
 *   buckets, client_golang's defaults).
 * - A restart of instance 0 at `restartAtMs` replaces its registry with a fresh one: its counters
 *   start again from 0. The restart is instantaneous; requests in flight at that moment are lost
 *   with the old process (neither counted nor in the truth).
 *
 * The service also keeps the truth Prometheus never sees: every completed request's time,
 * instance, latency and code ({@link HttpService.completed}).
 */
import { DEFAULT_BUCKETS, type Counter, type Histogram, Metrics, type Summary } from "../../kernel/index.ts"
import type { ProcessGenerator, RandomStream, Simulation } from "../../kernel/index.ts"
import type { NetworkContext, Rpc } from "../../net/index.ts"

/** Options of an {@link HttpService}. */
export interface HttpServiceOptions {
  /** Instance node names, in order; instance 0 is the noisy one. Required (at least one). */
  readonly instances: readonly string[]
  /** Requests per second, all instances together, outside the spike. Default 50. */
  readonly rps?: number
  /** When the spike starts, in ms. Default: no spike. */
  readonly spikeAtMs?: number
  /** How long the spike lasts, in ms. Default 0. */
  readonly spikeMs?: number
  /** Requests per second, all instances together, during the spike. Default 150. */
  readonly spikeRps?: number
  /** The share of requests that fail (code 500) during the spike, in [0, 1]. Default 0.1. */
  readonly errorRatio?: number
  /** When instance 0 restarts, in ms. Default: never. */
  readonly restartAtMs?: number
  /** Histogram bucket bounds, in seconds. Default the client libraries' (0.005 … 10). */
  readonly buckets?: readonly number[]
}

/** The slow path's share of instance 0's requests (a noisy host). */
export const NOISY_SLOW_SHARE = 0.03
/** The slow path's share of every other instance's requests. */
export const SLOW_SHARE = 0.005
/** Median latency of the fast path, in seconds. */
export const FAST_MEDIAN_S = 0.04
/** Median latency of the slow path, in seconds. */
export const SLOW_MEDIAN_S = 0.8
/** The summary's window, in ms: client_golang's `DefMaxAge`, 10 minutes. */
export const SUMMARY_MAX_AGE_MS = 600_000

/** The truth about completed requests, in completion order (columns of equal length). */
export interface CompletedRequests {
  /** Completion times, in ms. */
  readonly tMs: number[]
  /** Which instance (index into the options' `instances`). */
  readonly instance: number[]
  /** Latencies, in seconds. */
  readonly latencyS: number[]
  /** True for a failed request (code 500). */
  readonly failed: boolean[]
}

/** One instance's instruments (replaced at a restart). */
interface Instruments {
  readonly metrics: Metrics
  readonly ok: Counter
  readonly errors: Counter
  readonly duration: Histogram
  readonly latency: Summary
}

/** The service: its instances' processes, registries and the truth. */
export class HttpService {
  /** Every completed request. */
  readonly completed: CompletedRequests = { tMs: [], instance: [], latencyS: [], failed: [] }
  /** Requests lost in flight at the restart. */
  lostAtRestart = 0
  private readonly instruments: Instruments[]
  private readonly incarnation: number[]
  private readonly rps: number
  private readonly spikeAtMs: number
  private readonly spikeEndMs: number
  private readonly spikeRps: number
  private readonly errorRatio: number
  private readonly buckets: readonly number[]

  /**
   * Starts one request process per instance and serves each registry to scrapers on `rpc`.
   * @throws RangeError on a rate not > 0, an error ratio outside [0, 1] or no instance
   */
  constructor(
    private readonly sim: Simulation,
    network: NetworkContext,
    rpc: Rpc,
    private readonly options: HttpServiceOptions,
  ) {
    this.rps = options.rps ?? 50
    this.spikeAtMs = options.spikeAtMs ?? Infinity
    this.spikeEndMs = this.spikeAtMs + (options.spikeMs ?? 0)
    this.spikeRps = options.spikeRps ?? 150
    this.errorRatio = options.errorRatio ?? 0.1
    this.buckets = options.buckets ?? DEFAULT_BUCKETS
    if (options.instances.length === 0) throw new RangeError("an HttpService needs at least one instance")
    if (!(this.rps > 0 && this.spikeRps > 0))
      throw new RangeError(`rates must be > 0, got ${this.rps}, ${this.spikeRps}`)
    if (!(this.errorRatio >= 0 && this.errorRatio <= 1))
      throw new RangeError(`errorRatio must be in [0, 1], got ${this.errorRatio}`)
    this.instruments = options.instances.map(() => this.freshInstruments())
    this.incarnation = options.instances.map(() => 0)
    options.instances.forEach((node, i) => {
      rpc.serve<null, string>(node, () => this.instruments[i]!.metrics.toPrometheus())
      network.node(node).spawn(this.arrivals(i), `requests ${node}`)
    })
    const restartAtMs = options.restartAtMs
    if (restartAtMs !== undefined) sim.timeout(restartAtMs).onProcessed(() => this.restart(0))
  }

  /** Instance `i`'s current registry (a fresh one after its restart). */
  registry(i: number): Metrics {
    return this.instruments[i]!.metrics
  }

  /** The offered request rate at `tMs`, all instances together, per second. */
  rpsAt(tMs: number): number {
    return tMs >= this.spikeAtMs && tMs < this.spikeEndMs ? this.spikeRps : this.rps
  }

  private freshInstruments(): Instruments {
    const metrics = new Metrics(() => this.sim.now / 1000)
    const help = "HTTP requests completed, by status code."
    return {
      metrics,
      ok: metrics.counter("http_requests_total", help, { code: "200" }),
      errors: metrics.counter("http_requests_total", help, { code: "500" }),
      duration: metrics.histogram("http_request_duration_seconds", "HTTP request latency.", { buckets: this.buckets }),
      latency: metrics.summary("http_request_latency_seconds", "HTTP request latency, client-side quantiles.", {
        maxAge: SUMMARY_MAX_AGE_MS / 1000,
      }),
    }
  }

  private restart(i: number): void {
    this.instruments[i] = this.freshInstruments()
    this.incarnation[i]!++
  }

  /** Instance `i`'s Poisson arrivals; the rate is piecewise constant, so a gap crossing a change is redrawn from it. */
  private *arrivals(i: number): ProcessGenerator {
    const share = 1 / this.options.instances.length
    const arrivals = this.sim.random(`arrivals ${i}`)
    const paths = this.sim.random(`latency ${i}`)
    const outcomes = this.sim.random(`outcome ${i}`)
    for (;;) {
      const now = this.sim.now
      const gapMs = arrivals.exponential(this.rpsAt(now) * share) * 1000
      const change = now < this.spikeAtMs ? this.spikeAtMs : now < this.spikeEndMs ? this.spikeEndMs : Infinity
      if (now + gapMs >= change) {
        yield this.sim.timeout(change - now)
        continue
      }
      yield this.sim.timeout(gapMs)
      this.request(i, paths, outcomes)
    }
  }

  /** One request arriving now at instance `i`: counted and observed when it completes. */
  private request(i: number, paths: RandomStream, outcomes: RandomStream): void {
    const slow = paths.bernoulli(i === 0 ? NOISY_SLOW_SHARE : SLOW_SHARE)
    const latencyS = slow
      ? paths.logNormal(Math.log(SLOW_MEDIAN_S), 0.4)
      : paths.logNormal(Math.log(FAST_MEDIAN_S), 0.5)
    const now = this.sim.now
    const failed = now >= this.spikeAtMs && now < this.spikeEndMs && outcomes.bernoulli(this.errorRatio)
    const incarnation = this.incarnation[i]
    this.sim.timeout(latencyS * 1000).onProcessed(() => {
      if (this.incarnation[i] !== incarnation) {
        this.lostAtRestart++
        return
      }
      const instruments = this.instruments[i]!
      ;(failed ? instruments.errors : instruments.ok).inc()
      instruments.duration.observe(latencyS)
      instruments.latency.observe(latencyS)
      this.completed.tMs.push(this.sim.now)
      this.completed.instance.push(i)
      this.completed.latencyS.push(latencyS)
      this.completed.failed.push(failed)
    })
  }
}
