/**
 * The M/M/c queue on the kernel: Poisson arrivals, exponential service, `c` servers, one FIFO line.
 *
 * A bank with `c` tellers and one rope line: customers walk in at random (exponential gaps, rate
 * λ, stream "arrivals"), wait for the first free teller in order of arrival, are served for an
 * exponential time (rate μ, stream "service", drawn when service starts) and leave. The source
 * stops after `customers` arrivals and the run ends when the last customer has left, so every run
 * starts and ends with an empty bank.
 *
 * Measured on the way, through the kernel's metrics (time in seconds, or whatever unit the rates
 * use): the wait of every customer (request → grant) and time in the system (arrival → departure),
 * time-weighted queue length, busy servers and number in the system, and the regeneration cycles
 * of the waits for an honest error bar. The number in the system is a Markov chain, so an arrival
 * that finds any fixed number `k` of customers starts a new, independent cycle. `k = 0` (an empty
 * system) is the classic choice, but with many servers the system is rarely empty (c = 10 at
 * ρ = 0.9: one cycle in 10,000 customers), so the default is the most visited state an arrival can
 * find without queueing, `k = min(c − 1, ⌊λ/μ⌋)` (0 for one server). Such an arrival finds only
 * customers in service, so every earlier customer's wait is already observed: cycles split the
 * waits exactly. The first stretch, from the empty start to the first visit of `k`, counts as one
 * more cycle (with hundreds of cycles its different start is negligible).
 *
 * Invariants: never more than `c` customers in service; service starts in arrival order; because
 * the run starts and ends empty, Little's law holds exactly on the sample path (`L = λ̂·W` with
 * `λ̂ = customers / run time`), which makes it a check of the measurements themselves.
 *
 * Trace records (`queueing-events.ts`), per customer: `CustomerArrived`, `ServiceStarted` (with
 * the wait) and `CustomerDeparted` (with the time in the system), each with the number waiting and
 * the busy servers just after it. A text run serialises none of them (it shows no hash).
 *
 * Left out on purpose: balking, reneging, priorities, finite waiting rooms, non-exponential times.
 */
import type {
  Counter,
  Gauge,
  Histogram,
  ProcessGenerator,
  RandomStream,
  Simulation,
  TraceOf,
} from "../../kernel/index.ts"
import { Resource, TimeWeightedBuckets, UpperQuantiles } from "../../kernel/index.ts"
import type { QueueingEvent } from "./queueing-events.ts"
import { type RegenerativeEstimate, RegenerativeEstimator } from "./regenerative-estimator.ts"

/** Options of an {@link MmcQueue}. */
export interface MmcQueueOptions {
  /** Mean arrivals per unit of time, λ; finite and > 0. Required. */
  readonly arrivalRate: number
  /** Mean services per unit of time of one server, μ; finite and > 0. Required. */
  readonly serviceRate: number
  /** Number of servers c; an integer >= 1. Default 1. */
  readonly servers?: number
  /** Arrivals before the source stops; an integer >= 1. Required. */
  readonly customers: number
  /** Record the queue length's change points, for a sparkline (costs memory per change). Default false. */
  readonly queueSeries?: boolean
  /**
   * Profile the queue length over this many equal slices from t = 0 to the last arrival, read with
   * {@link MmcQueue.queueProfile}: the numbers `queueSeries` would give, in memory of the slices
   * only (the last arrival's time is looked ahead on a replay of the arrivals stream). Default: none.
   */
  readonly queueProfileSlices?: number
  /**
   * The regeneration state `k`: an arrival finding `k` customers in the system starts a cycle; an
   * integer from 0 to c − 1. Default `min(c − 1, ⌊λ/μ⌋)` (see the file header).
   */
  readonly regenerationState?: number
}

/** The measurements of a finished run. */
export interface MmcMeasurements {
  /** Customers who arrived and left. */
  readonly customersServed: number
  /** End of the run: when the last customer left. */
  readonly runTime: number
  /** When the last customer arrived; the queue drains after it. */
  readonly lastArrivalTime: number
  /** Mean wait in the queue with its regenerative standard error and number of cycles. */
  readonly wait: RegenerativeEstimate
  /** Longest wait. */
  readonly maxWait: number
  /** 90th percentile wait (nearest rank). */
  readonly p90Wait: number
  /** 99th percentile wait (nearest rank). */
  readonly p99Wait: number
  /** Fraction of customers who waited at all (wait > 0). */
  readonly probabilityOfWaiting: number
  /** Time-weighted mean of busy servers divided by c, over the whole run. */
  readonly utilisation: number
  /** Time-weighted mean number waiting, over the whole run (Lq). */
  readonly meanQueueLength: number
  /** Most customers waiting at once. */
  readonly maxQueueLength: number
  /** Time-weighted mean number in the system, over the whole run (L). */
  readonly meanInSystem: number
  /** Mean time from arrival to departure (W). */
  readonly meanTimeInSystem: number
  /** Customers per unit of time over the whole run, `customers / runTime` (λ̂, also the throughput). */
  readonly throughput: number
}

/** An M/M/c queue living in a simulation; the arrivals start when the simulation runs. */
export class MmcQueue {
  /** The servers: a FIFO resource with capacity c. */
  readonly servers: Resource
  /** Customers waiting (not in service), time-weighted. */
  readonly queueLength: Gauge
  /** Servers busy, time-weighted. */
  readonly busyServers: Gauge
  /** Customers in the system (waiting or in service), time-weighted. */
  readonly inSystem: Gauge
  /** The customers' waits in the queue: count, sum, min, max and buckets (not every wait). */
  readonly waits: Histogram
  /** The customers' times in the system: count, sum, min, max and buckets (not every time). */
  readonly timesInSystem: Histogram
  /** Customers that arrived. */
  readonly arrivals: Counter
  /** Customers that left. */
  readonly departures: Counter

  private readonly arrivalRate: number
  private readonly serviceRate: number
  private readonly customers: number
  private readonly trace: TraceOf<QueueingEvent>
  private readonly arrivalStream: RandomStream
  private readonly serviceStream: RandomStream
  private readonly waitEstimator = new RegenerativeEstimator()
  /** The longest tenth of the waits, for the exact p90 and p99 (the number of customers is known). */
  private readonly waitTail: UpperQuantiles
  private customersInSystem = 0
  /** The regeneration state k (see {@link MmcQueueOptions.regenerationState}). */
  readonly regenerationState: number
  private customersWhoWaited = 0
  private lastArrival = 0
  private readonly predictedLastArrival: number | undefined

  /**
   * Builds the queue in `sim` and starts the arrival source.
   * @throws RangeError on a rate that is not finite and > 0, or servers/customers not integers >= 1
   */
  constructor(
    private readonly sim: Simulation,
    options: MmcQueueOptions,
  ) {
    const { arrivalRate, serviceRate, customers } = options
    const servers = options.servers ?? 1
    if (!(arrivalRate > 0 && arrivalRate < Infinity))
      throw new RangeError(`arrivalRate must be finite and > 0, got ${arrivalRate}`)
    if (!(serviceRate > 0 && serviceRate < Infinity))
      throw new RangeError(`serviceRate must be finite and > 0, got ${serviceRate}`)
    if (!Number.isInteger(customers) || customers < 1)
      throw new RangeError(`customers must be an integer >= 1, got ${customers}`)
    this.arrivalRate = arrivalRate
    this.serviceRate = serviceRate
    this.customers = customers
    this.trace = sim.trace
    const state = options.regenerationState ?? Math.min(servers - 1, Math.floor(arrivalRate / serviceRate))
    if (!Number.isInteger(state) || state < 0 || state >= servers)
      throw new RangeError(`regenerationState must be an integer from 0 to servers - 1, got ${state}`)
    this.regenerationState = state
    this.waitEstimator.startCycle() // the run starts empty: the stretch until the first visit of k is a cycle too
    this.servers = new Resource(sim, { capacity: servers, name: "servers" })
    const metrics = sim.metrics
    this.arrivalStream = sim.random("arrivals")
    const slices = options.queueProfileSlices
    this.predictedLastArrival = slices === undefined ? undefined : this.lookAheadLastArrival(sim)
    this.queueLength = metrics.gauge("queue_length", "Customers waiting for a server.", {
      series: options.queueSeries === true,
      ...(slices === undefined ? {} : { buckets: new TimeWeightedBuckets(0, this.predictedLastArrival!, slices, 0) }),
    })
    this.busyServers = metrics.gauge("busy_servers", "Servers serving a customer.")
    this.inSystem = metrics.gauge("customers_in_system", "Customers waiting or in service.")
    // The report needs the waits' p90, p99 and max and the times' mean: neither histogram keeps its
    // observations, and the longest tenth of the waits gives p90 and p99 exactly.
    this.waits = metrics.histogram("queue_wait_seconds", "Time from arrival to start of service.", { quantiles: false })
    this.waitTail = new UpperQuantiles(customers, 0.9)
    this.timesInSystem = metrics.histogram("time_in_system_seconds", "Time from arrival to departure.", {
      quantiles: false,
    })
    this.arrivals = metrics.counter("customers_arrived_total", "Customers that arrived.")
    this.departures = metrics.counter("customers_departed_total", "Customers that left after service.")
    this.serviceStream = sim.random("service")
    sim.spawn(this.source(), "arrivals")
  }

  /**
   * Observations the queue keeps for its quantiles: the longest tenth of the waits (the p90 and
   * p99), a tenth of the customers whatever the run's length; the histograms keep none.
   */
  get observationsKept(): number {
    return this.waitTail.kept
  }

  /** The measurements; read them after the run has ended (every customer has left). */
  measurements(): MmcMeasurements {
    const runTime = this.sim.now
    const served = this.departures.value
    if (served !== this.customers || this.customersInSystem !== 0) {
      throw new Error(
        `the run has not finished: ${served} of ${this.customers} customers left, ${this.customersInSystem} still inside`,
      )
    }
    return {
      customersServed: served,
      runTime,
      lastArrivalTime: this.lastArrival,
      wait: this.waitEstimator.estimate(),
      maxWait: this.waits.max,
      p90Wait: this.waitTail.quantile(0.9),
      p99Wait: this.waitTail.quantile(0.99),
      probabilityOfWaiting: this.customersWhoWaited / served,
      utilisation: this.busyServers.mean() / this.servers.capacity,
      meanQueueLength: this.queueLength.mean(),
      maxQueueLength: this.queueLength.max,
      meanInSystem: this.inSystem.mean(),
      meanTimeInSystem: this.timesInSystem.mean,
      throughput: served / runTime,
    }
  }

  /**
   * The queue length's time-weighted mean over the slices of `queueProfileSlices`, from t = 0 to
   * the last arrival. Read it once, after the run.
   * @throws Error when the queue was built without `queueProfileSlices`, or the run's last arrival
   *   is not the one looked ahead (a bug: something else drew from the arrivals stream)
   */
  queueProfile(): number[] {
    if (this.predictedLastArrival === undefined) throw new Error("queueProfile() needs the queueProfileSlices option")
    if (this.lastArrival !== this.predictedLastArrival) {
      throw new Error(`the last arrival was at ${this.lastArrival}, looked ahead at ${this.predictedLastArrival}`)
    }
    return this.queueLength.bucketMeans()
  }

  /** The time of the last arrival, by the arithmetic of the sleeps in {@link source} on a replay of its stream. */
  private lookAheadLastArrival(sim: Simulation): number {
    const replay = sim.randomReplay("arrivals")
    let t = sim.now
    for (let customer = 1; customer <= this.customers; customer++) t = t + replay.exponential(this.arrivalRate)
    return t
  }

  private *source(): ProcessGenerator {
    for (let customer = 1; customer <= this.customers; customer++) {
      yield* this.sim.sleep(this.arrivalStream.exponential(this.arrivalRate))
      this.sim.spawn(this.customer(customer), "customer")
    }
  }

  private *customer(customer: number): ProcessGenerator {
    const sim = this.sim
    const arrivedAt = sim.now
    if (this.customersInSystem === this.regenerationState) this.waitEstimator.startCycle() // the process regenerates (an empty cycle is not counted)
    this.customersInSystem++
    this.inSystem.set(this.customersInSystem)
    this.arrivals.inc()
    this.lastArrival = arrivedAt
    const request = this.servers.request()
    this.updateLevels()
    this.trace.record({ type: "CustomerArrived", customer, ...this.levels() })

    yield* request // FIFO: granted when every earlier customer has started service and a server is free
    this.updateLevels() // a grant after a wait happens when the release is processed: levels change now
    const waitTime = sim.now - arrivedAt
    this.waits.observe(waitTime)
    this.waitTail.observe(waitTime)
    this.waitEstimator.observe(waitTime)
    if (waitTime > 0) this.customersWhoWaited++
    this.trace.record({ type: "ServiceStarted", customer, wait: waitTime, ...this.levels() })

    yield* sim.sleep(this.serviceStream.exponential(this.serviceRate))
    this.servers.release(request) // the next in line gets the server when the release is processed, at this instant
    this.updateLevels()
    this.customersInSystem--
    this.inSystem.set(this.customersInSystem)
    this.departures.inc()
    const timeInSystem = sim.now - arrivedAt
    this.timesInSystem.observe(timeInSystem)
    this.trace.record({ type: "CustomerDeparted", customer, timeInSystem, ...this.levels() })
  }

  /** Customers waiting and servers busy right now, as the trace records carry them. */
  private levels(): { readonly waiting: number; readonly busy: number } {
    return { waiting: this.servers.queueLength, busy: this.servers.count }
  }

  private updateLevels(): void {
    this.queueLength.set(this.servers.queueLength)
    this.busyServers.set(this.servers.count)
  }
}
