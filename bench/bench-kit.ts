/**
 * What every benchmark script shares: the workload sizes read from the environment, the shape of
 * the one JSON line a script prints, wall-clock timing, and the analytic M/M/c mean wait.
 *
 * The workloads and their exact semantics are in bench/README.md ("The workloads"): the
 * engine (`bench/*.ts`), the hand-written ceiling (`bench/baseline/*.ts`) and SimPy
 * (`bench/simpy/*.py`) run the same models on the same random variates, so their `events`,
 * `simTime` and `meanWait` agree to rounding.
 *
 * Invariant: `eventsPerSec = round(events / (wallMs / 1000))`, computed from the printed `wallMs`.
 * Wall time is read here, in bench/, never under src/.
 *
 * Left out: repetitions and statistics across runs; `run-all.ts` does those.
 */
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** Workload sizes, each from its environment variable or the contract's default. */
export interface BenchSizes {
  /** `BENCH_PROCS`: processes of the `timeouts` workload. Default 1000. */
  readonly procs: number
  /** `BENCH_EVENTS`: sleeps completed before `timeouts` stops. Default 1000000. */
  readonly events: number
  /** `BENCH_CUSTOMERS`: customers of `mm1` and `mm2`. Default 200000. */
  readonly customers: number
  /** `BENCH_ITEMS`: items of `pingpong`. Default 500000. */
  readonly items: number
}

/** The fields every result line has. */
export interface BenchResult {
  /** Which implementation ran: `"simsys"` (the engine), `"baseline"` (the ceiling), `"simpy"`, a peer. */
  readonly system: string
  /** `timeouts`, `mm1`, `mm2` or `pingpong`. */
  readonly workload: string
  /** Logical events, defined per workload by the contract. */
  readonly events: number
  /** Simulated time at the end of the run. */
  readonly simTime: number
  /** Wall time to build and run the model, in milliseconds (3 decimals). */
  readonly wallMs: number
  /** `round(events / (wallMs / 1000))`. */
  readonly eventsPerSec: number
}

/** A `timeouts` result. */
export interface TimeoutsResult extends BenchResult {
  /** Number of sleeping processes. */
  readonly procs: number
}

/** An `mm1` or `mm2` result. */
export interface QueueResult extends BenchResult {
  /** Number of customers served. */
  readonly customers: number
  /** Number of servers (the resource's capacity). */
  readonly servers: number
  /** Arrival rate, per time unit. */
  readonly lambda: number
  /** Service rate of one server, per time unit. */
  readonly mu: number
  /** Mean time between a customer's request and its grant. */
  readonly meanWait: number
  /** The queueing-theory mean wait Wq (Erlang C). */
  readonly analyticWq: number
  /** `|meanWait - analyticWq| / analyticWq`. */
  readonly relErr: number
}

/** What an M/M/c run measured, on the engine or the baseline (the model itself stays separate). */
export interface QueueRun {
  readonly system: string
  readonly workload: string
  readonly customers: number
  readonly servers: number
  readonly lambda: number
  readonly mu: number
  /** Sum over customers of the time between request and grant. */
  readonly totalWait: number
  readonly simTime: number
  /** `wallClockMs()` when building the model started. */
  readonly startedMs: number
}

/** The `mm1`/`mm2` result line of a run: 3 logical events per customer, Erlang C beside it. */
export function queueResult(run: QueueRun): QueueResult {
  const events = 3 * run.customers
  const meanWait = run.totalWait / run.customers
  const analyticWq = erlangCWait(run.servers, run.lambda, run.mu)
  return {
    system: run.system,
    workload: run.workload,
    events,
    simTime: run.simTime,
    ...timing(events, run.startedMs),
    customers: run.customers,
    servers: run.servers,
    lambda: run.lambda,
    mu: run.mu,
    meanWait,
    analyticWq,
    relErr: Math.abs(meanWait - analyticWq) / analyticWq,
  }
}

/** A `pingpong` result. */
export interface PingpongResult extends BenchResult {
  /** Number of items handed from producer to consumer. */
  readonly items: number
}

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === "") return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${JSON.stringify(text)}`)
  }
  return value
}

/** Reads `BENCH_PROCS`, `BENCH_EVENTS`, `BENCH_CUSTOMERS` and `BENCH_ITEMS`, with the contract's defaults. */
export function readSizes(): BenchSizes {
  return {
    procs: positiveInteger("BENCH_PROCS", 1000),
    events: positiveInteger("BENCH_EVENTS", 1_000_000),
    customers: positiveInteger("BENCH_CUSTOMERS", 200_000),
    items: positiveInteger("BENCH_ITEMS", 500_000),
  }
}

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1]
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl)
}

/** A wall-clock reading in milliseconds, for benchmarks only. */
export function wallClockMs(): number {
  return performance.now()
}

/** The timing fields of a result, from the wall-clock reading taken before the model was built. */
export function timing(events: number, startedMs: number): { wallMs: number; eventsPerSec: number } {
  const wallMs = Math.round((performance.now() - startedMs) * 1000) / 1000
  return { wallMs, eventsPerSec: Math.round(events / (Math.max(wallMs, 0.001) / 1000)) }
}

/**
 * The mean time in queue `Wq` of an M/M/c queue, by the Erlang C formula; computed in the same
 * order of operations as `bench/simpy/_queue.py`, so both print the same digits.
 * @param servers - c, the number of servers
 * @param lambda - arrival rate, per time unit
 * @param mu - service rate of one server, per time unit
 */
export function erlangCWait(servers: number, lambda: number, mu: number): number {
  const load = lambda / mu
  let term = 1
  let below = 0
  for (let k = 0; k < servers; k++) {
    if (k > 0) term *= load / k
    below += term
  }
  const top = ((term * load) / servers) * (servers / (servers - load))
  const waitProbability = top / (below + top)
  return waitProbability / (servers * mu - lambda)
}

/** Prints a result as the one JSON line the contract asks for. */
export function printResult(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
