/**
 * Erlang's formulas for the M/M/c queue: the steady state that a long simulation should approach.
 *
 * Think of a call centre with `c` agents. Calls arrive at random (Poisson, rate λ per second) and
 * take a random, memoryless time to answer (exponential, rate μ per agent). The offered load
 * `a = λ/μ` is how many agents would be busy on average if there were enough of them; the traffic
 * intensity `ρ = a/c` is the fraction of the agents' time that the calls ask for. When `ρ < 1`
 * the queue settles into a steady state and Erlang C gives the probability that a call must wait,
 * from which the mean wait follows: `Wq = C(c, a) / (cμ − λ)`. When `ρ >= 1` the agents cannot keep
 * up: the queue grows without bound and there is no steady state to predict.
 *
 * Invariants: `0 < erlangB <= 1`, `erlangB <= erlangC <= 1`; for one server `erlangC(1, a) = a`.
 * Computed with the Erlang B recursion `B(k) = a·B(k−1) / (k + a·B(k−1))`, which never overflows
 * (no factorials) and is stable for thousands of servers.
 *
 * Left out on purpose: finite waiting rooms (M/M/c/K), abandonment (Erlang A) and general service
 * times (Pollaczek–Khinchine); the sim compares against the plain M/M/c only.
 */

/** The rates of an M/M/c queue. */
export interface MmcRates {
  /** Mean arrivals per unit of time, λ; finite and > 0. */
  readonly arrivalRate: number
  /** Mean service completions per unit of time of one busy server, μ; finite and > 0. */
  readonly serviceRate: number
  /** Number of servers c; an integer >= 1. */
  readonly servers: number
}

/** What the M/M/c steady state predicts (Infinity where no steady state exists). */
export interface MmcSteadyState {
  /** Offered load `a = λ/μ`: the mean number of busy servers if there were enough of them. */
  readonly offeredLoad: number
  /** Traffic intensity `ρ = λ/(cμ)`; the queue is stable only when it is below 1. */
  readonly trafficIntensity: number
  /** True when `ρ < 1`: a steady state exists and the other numbers are finite. */
  readonly stable: boolean
  /** Long-run fraction of server time that is busy: `ρ` when stable, 1 otherwise. */
  readonly utilisation: number
  /** Probability that an arrival waits (Erlang C); 1 when unstable. */
  readonly probabilityOfWaiting: number
  /** Mean time in the queue, from arrival to start of service: `C/(cμ − λ)`; Infinity when unstable. */
  readonly meanWait: number
  /** Mean number waiting: `λ·Wq`; Infinity when unstable. */
  readonly meanQueueLength: number
  /** Mean time in the system: `Wq + 1/μ`; Infinity when unstable. */
  readonly meanTimeInSystem: number
  /** Mean number in the system: `λ·W`; Infinity when unstable. */
  readonly meanInSystem: number
}

function requireServers(servers: number): void {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be an integer >= 1, got ${servers}`)
}

function requireRate(name: string, rate: number): void {
  if (!(rate > 0 && rate < Infinity)) throw new RangeError(`${name} must be a finite number > 0, got ${rate}`)
}

/**
 * Erlang B: the probability that all `servers` are busy in a loss system (no queue) with this
 * offered load.
 * @param servers number of servers c, an integer >= 1
 * @param offeredLoad a = λ/μ, finite and > 0
 */
export function erlangB(servers: number, offeredLoad: number): number {
  requireServers(servers)
  requireRate("offeredLoad", offeredLoad)
  let blocking = 1
  for (let k = 1; k <= servers; k++) blocking = (offeredLoad * blocking) / (k + offeredLoad * blocking)
  return blocking
}

/**
 * Erlang C: the probability that an arrival has to wait in an M/M/c queue, `c·B / (c − a(1 − B))`.
 * Returns 1 when `offeredLoad >= servers` (no steady state: in the long run everyone waits).
 * @param servers number of servers c, an integer >= 1
 * @param offeredLoad a = λ/μ, finite and > 0
 */
export function erlangC(servers: number, offeredLoad: number): number {
  const blocking = erlangB(servers, offeredLoad)
  if (offeredLoad >= servers) return 1
  return (servers * blocking) / (servers - offeredLoad * (1 - blocking))
}

/**
 * The M/M/c steady state for these rates: Erlang C's waiting probability and mean wait, queue
 * length, time and number in the system, and utilisation. When `λ >= cμ` the queue has no steady
 * state; `stable` is false and the means are Infinity.
 * @throws RangeError when a rate is not finite and > 0 or servers is not an integer >= 1
 */
export function mmcSteadyState(rates: MmcRates): MmcSteadyState {
  const { arrivalRate, serviceRate, servers } = rates
  requireRate("arrivalRate", arrivalRate)
  requireRate("serviceRate", serviceRate)
  requireServers(servers)
  const offeredLoad = arrivalRate / serviceRate
  const trafficIntensity = offeredLoad / servers
  const stable = trafficIntensity < 1
  if (!stable) {
    return {
      offeredLoad,
      trafficIntensity,
      stable,
      utilisation: 1,
      probabilityOfWaiting: 1,
      meanWait: Infinity,
      meanQueueLength: Infinity,
      meanTimeInSystem: Infinity,
      meanInSystem: Infinity,
    }
  }
  const probabilityOfWaiting = erlangC(servers, offeredLoad)
  const meanWait = probabilityOfWaiting / (servers * serviceRate - arrivalRate)
  const meanTimeInSystem = meanWait + 1 / serviceRate
  return {
    offeredLoad,
    trafficIntensity,
    stable,
    utilisation: trafficIntensity,
    probabilityOfWaiting,
    meanWait,
    meanQueueLength: arrivalRate * meanWait,
    meanTimeInSystem,
    meanInSystem: arrivalRate * meanTimeInSystem,
  }
}
