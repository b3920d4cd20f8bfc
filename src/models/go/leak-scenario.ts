/**
 * The goroutine leak of a Go server (docs/go-concurrency.md#goroutine-leaks-and-the-heap): each
 * request's handler starts a worker goroutine and waits, in a `select`, for the worker's result on
 * a channel or its context's deadline. A worker computes (a cost drawn from an exponential
 * distribution, some above the deadline), then hands its result over:
 *
 * - `none`: `ch <- res` on an unbuffered channel. When the handler has timed out nobody will ever
 *   receive, so the worker blocks forever, keeping its stack, scratch buffer, result and channel.
 * - `buffered`: `make(chan result, 1)`: the send completes into the slot, the worker returns, and
 *   the channel with the result in it is garbage once the handler is gone too.
 * - `context`: `select { case ch <- res: case <-ctx.Done(): }`: after the deadline the worker sees
 *   `ctx.Done()` closed and returns, dropping its result.
 *
 * Requests arrive as a Poisson stream. Every second an observer samples the live request
 * goroutines (handlers and workers) and the heap ({@link LeakHeap}), which frees an object the
 * moment nothing reaches it. Times in ms. Left out: net/http's own goroutines and buffers, the GC's
 * pacing and pauses, and the CPU the workers share (each computes on its own).
 */
import { runUntil, type Advance, type Scenario, type ScenarioResult } from "../../check/core/index.ts"
import {
  Channel,
  context,
  goRuntime,
  recvCase,
  select,
  sendCase,
  type Simulation,
  type TraceOf,
} from "../../kernel/index.ts"
import type { LeakEvent } from "./leak-events.ts"
import { type HeapObject, LeakHeap, type SiteStats } from "./leak-heap.ts"
import {
  BUFFERED_CHANNEL_SITE,
  GOROUTINE_STACK_SITE,
  RESPONSE_SITE,
  RESULT_SITE,
  SCRATCH_SITE,
  UNBUFFERED_CHANNEL_SITE,
} from "./leak-sites.ts"

/** The versions of the hand-over. */
export const LEAK_FIXES = ["none", "buffered", "context"] as const
/** One version. */
export type LeakFix = (typeof LEAK_FIXES)[number]

/** Options of {@link LeakScenario}. */
export interface LeakOptions {
  /** How the worker hands its result over. Default "none" (the leak). */
  readonly fix?: LeakFix
  /** Mean requests per second (Poisson arrivals), > 0. Default 100. */
  readonly rps?: number
  /** The handler's context deadline, ms, > 0. Default 100. */
  readonly timeoutMs?: number
  /** How long requests arrive, s, > 0. Default 60. */
  readonly durationS?: number
  /** Mean of the workers' exponential cost, ms, > 0. Default 50. */
  readonly costMeanMs?: number
  /** Time between two samples of goroutines and heap, ms, > 0. Default 1000. */
  readonly sampleEveryMs?: number
}

/** One sample of the series. */
export interface LeakSample {
  readonly atMs: number
  /** Live request goroutines: handlers and workers. */
  readonly goroutines: number
  /** Bytes reachable. */
  readonly heapInUseBytes: number
  /** Bytes allocated since the start. */
  readonly heapAllocBytes: number
}

/** What a request's two goroutines share: the channel, and the result while it sits in the channel. */
interface Exchange {
  readonly channel: HeapObject
  /** Goroutines still holding the channel (handler, worker). */
  holders: number
  /** The result sent and not (yet) received. */
  unreceived: HeapObject | undefined
}

/** A run of the server: `new LeakScenario(sim, options).run(advance)`. */
export class LeakScenario implements Scenario<LeakResult> {
  readonly options: Required<LeakOptions>
  readonly heap = new LeakHeap()
  private readonly trace: TraceOf<LeakEvent>
  private readonly samples: LeakSample[] = []
  private goroutines = 0
  private requests = 0
  private served = 0
  private timedOut = 0

  constructor(
    readonly sim: Simulation,
    options: LeakOptions = {},
  ) {
    this.options = {
      fix: options.fix ?? "none",
      rps: options.rps ?? 100,
      timeoutMs: options.timeoutMs ?? 100,
      durationS: options.durationS ?? 60,
      costMeanMs: options.costMeanMs ?? 50,
      sampleEveryMs: options.sampleEveryMs ?? 1000,
    }
    for (const key of ["rps", "timeoutMs", "durationS", "costMeanMs", "sampleEveryMs"] as const)
      if (!(this.options[key] > 0)) throw new RangeError(`${key} must be > 0, got ${this.options[key]}`)
    this.trace = sim.trace
  }

  /** Runs requests for `durationS` and returns what was measured. */
  run(advance: Advance = runUntil): LeakResult {
    const sim = this.sim
    const endMs = this.options.durationS * 1000
    const go = goRuntime(sim)
    go.go(this.arrivals(endMs), "server")
    sim.spawn(this.observer(endMs), "observer")
    advance(sim, endMs)
    this.sample()
    const blocked = go.parked().filter((g) => g.name.startsWith("worker-")).length
    return new LeakResult(this.options, {
      samples: this.samples,
      sites: this.heap.sites(),
      requests: this.requests,
      served: this.served,
      timedOut: this.timedOut,
      goroutinesAtEnd: this.goroutines,
      blockedGoroutines: blocked,
    })
  }

  private *arrivals(endMs: number) {
    const gaps = this.sim.random("arrivals")
    const go = goRuntime(this.sim)
    for (;;) {
      yield* this.sim.sleep(gaps.exponential(this.options.rps / 1000))
      if (this.sim.now >= endMs) return
      const request = ++this.requests
      go.go(this.handler(request), `handler-${request}`)
    }
  }

  /** Samples at 0, every `sampleEveryMs` before `endMs`; `run` takes the last one at the end. */
  private *observer(endMs: number) {
    for (;;) {
      this.sample()
      if (this.sim.now + this.options.sampleEveryMs >= endMs) return
      yield* this.sim.sleep(this.options.sampleEveryMs)
    }
  }

  private sample(): void {
    this.samples.push({
      atMs: this.sim.now,
      goroutines: this.goroutines,
      heapInUseBytes: this.heap.inUseBytes,
      heapAllocBytes: this.heap.allocBytes,
    })
  }

  /** handler.go: start the worker, wait for its result or the deadline. */
  private *handler(request: number) {
    const sim = this.sim
    this.goroutines++
    const startMs = sim.now
    const [ctx, cancel] = context.withTimeout(context.background(sim), this.options.timeoutMs)
    const buffered = this.options.fix === "buffered"
    const exchange: Exchange = {
      channel: this.heap.alloc(buffered ? BUFFERED_CHANNEL_SITE : UNBUFFERED_CHANNEL_SITE),
      holders: 2,
      unreceived: undefined,
    }
    const ch = new Channel<HeapObject | undefined>(sim, { capacity: buffered ? 1 : 0, name: `ch-${request}` })
    const stack = this.heap.alloc(GOROUTINE_STACK_SITE)
    this.goroutines++
    goRuntime(sim).go(this.worker(request, ctx, ch, exchange, stack), `worker-${request}`)
    const chosen = yield* select(sim, [recvCase(ch), recvCase(ctx.done())])
    if (chosen.index === 0) {
      const result = chosen.value as HeapObject
      exchange.unreceived = undefined
      this.heap.free(this.heap.alloc(RESPONSE_SITE)) // written to the connection, then garbage
      this.heap.free(result)
      this.served++
      this.trace.record({ type: "RequestServed", request, waitedMs: sim.now - startMs })
    } else {
      this.timedOut++
      this.trace.record({ type: "RequestTimedOut", request, timeoutMs: this.options.timeoutMs })
    }
    cancel()
    this.release(exchange)
    this.goroutines--
  }

  /** worker.go: compute in a scratch buffer, then hand the result over as the fix says. */
  private *worker(
    request: number,
    ctx: context.Context,
    ch: Channel<HeapObject | undefined>,
    exchange: Exchange,
    stack: HeapObject,
  ) {
    const sim = this.sim
    const scratch = this.heap.alloc(SCRATCH_SITE)
    const costMs = sim.random("worker-cost").exponential(1 / this.options.costMeanMs)
    yield* sim.sleep(costMs)
    const result = this.heap.alloc(RESULT_SITE)
    this.trace.record({ type: "WorkerComputed", request, costMs })
    let outcome: "taken" | "buffered" | "dropped" = "taken"
    if (this.options.fix === "context") {
      const chosen = yield* select(sim, [sendCase(ch, result), recvCase(ctx.done())])
      if (chosen.index === 1) {
        this.heap.free(result)
        outcome = "dropped"
      }
    } else {
      yield* ch.send(result) // fix none, handler gone: blocks here forever
      if (ch.length > 0) {
        exchange.unreceived = result
        outcome = "buffered"
      }
    }
    this.heap.free(scratch)
    this.heap.free(stack)
    this.goroutines--
    this.trace.record({ type: "WorkerExited", request, result: outcome })
    this.release(exchange)
  }

  /** One goroutine let go of the channel; the last one leaves it (and a result in it) unreachable. */
  private release(exchange: Exchange): void {
    if (--exchange.holders > 0) return
    this.heap.free(exchange.channel)
    if (exchange.unreceived !== undefined) this.heap.free(exchange.unreceived)
  }
}

/** What a {@link LeakResult} is built from. */
interface LeakMeasures {
  readonly samples: readonly LeakSample[]
  readonly sites: readonly SiteStats[]
  readonly requests: number
  readonly served: number
  readonly timedOut: number
  readonly goroutinesAtEnd: number
  /** Workers parked at the end: each waits on a handler that has returned. */
  readonly blockedGoroutines: number
}

/** What a run measured; `summary()` is the sim's JSON metrics. */
export class LeakResult implements ScenarioResult {
  readonly samples: readonly LeakSample[]
  /** Per-site heap counts at the end (the profile's samples). */
  readonly sites: readonly SiteStats[]
  readonly requests: number
  readonly served: number
  readonly timedOut: number
  readonly goroutinesAtEnd: number
  readonly blockedGoroutines: number

  constructor(
    readonly options: Required<LeakOptions>,
    measures: LeakMeasures,
  ) {
    this.samples = measures.samples
    this.sites = measures.sites
    this.requests = measures.requests
    this.served = measures.served
    this.timedOut = measures.timedOut
    this.goroutinesAtEnd = measures.goroutinesAtEnd
    this.blockedGoroutines = measures.blockedGoroutines
  }

  /** Bytes reachable at the end. */
  get heapInUseBytes(): number {
    return this.samples.at(-1)?.heapInUseBytes ?? 0
  }

  /** Bytes allocated over the run. */
  get heapAllocBytes(): number {
    return this.samples.at(-1)?.heapAllocBytes ?? 0
  }

  /** Most live request goroutines in a sample. */
  get peakGoroutines(): number {
    return this.samples.reduce((most, s) => Math.max(most, s.goroutines), 0)
  }

  /** The least-squares slope of the sampled live goroutines over time, per second. */
  get leakRatePerSec(): number {
    return slopePerSec(this.samples.map((s) => [s.atMs, s.goroutines]))
  }

  /** What theory predicts without a fix: rps × P(cost > timeout) = rps × e^(−timeout/mean). */
  get predictedLeakRatePerSec(): number {
    const { rps, timeoutMs, costMeanMs } = this.options
    return rps * Math.exp(-timeoutMs / costMeanMs)
  }

  /** Mean bytes allocated per second. */
  get allocBytesPerSec(): number {
    return this.heapAllocBytes / this.options.durationS
  }

  summary() {
    return {
      goroutinesAtEnd: this.goroutinesAtEnd,
      heapInUseBytes: this.heapInUseBytes,
      heapAllocBytes: this.heapAllocBytes,
      leakRatePerSec: round(this.leakRatePerSec, 3),
      predictedLeakRatePerSec: round(this.options.fix === "none" ? this.predictedLeakRatePerSec : 0, 3),
      blockedGoroutines: this.blockedGoroutines,
      peakGoroutines: this.peakGoroutines,
      allocBytesPerSec: Math.round(this.allocBytesPerSec),
      requests: this.requests,
      served: this.served,
      timedOut: this.timedOut,
    }
  }
}

/** The least-squares slope of `points` ([ms, value]), per second; 0 with fewer than two points. */
export function slopePerSec(points: readonly (readonly [number, number])[]): number {
  const n = points.length
  if (n < 2) return 0
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n
  let num = 0
  let den = 0
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY)
    den += (x - meanX) ** 2
  }
  return den === 0 ? 0 : (num / den) * 1000
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}
