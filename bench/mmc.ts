/**
 * The M/M/c queue of the `mm1` and `mm2` benchmarks, built on the engine's public API.
 *
 * A source waits Exp(lambda) between arrivals (CPython-compatible stream seeded 2) and spawns one
 * customer process per arrival; after the last customer it ends. A customer requests a
 * capacity-`servers` FIFO {@link Resource}, holds it for Exp(mu) drawn when service starts (stream
 * seeded 3, so drawn in service order), then releases it. The run goes on until every customer is
 * done. `events` is 3 per customer (arrival, service start, departure). Same model as
 * `bench/simpy/_queue.py` and `bench/baseline/mmc.ts`.
 */
import { MersenneTwister, RandomStream, Resource, Simulation } from "../src/kernel/index.ts"
import { queueResult, type QueueResult, wallClockMs } from "./bench-kit.ts"

/** Parameters of an M/M/c run. */
export interface QueueModel {
  /** Workload name printed in the result, `mm1` or `mm2`. */
  readonly workload: string
  /** Number of customers. */
  readonly customers: number
  /** Number of servers (the resource's capacity). */
  readonly servers: number
  /** Arrival rate, per time unit. */
  readonly lambda: number
  /** Service rate of one server, per time unit. */
  readonly mu: number
}

/** Runs an M/M/c model on the engine. */
export function runQueue(model: QueueModel): QueueResult {
  const { customers, servers, lambda, mu } = model
  const startedMs = wallClockMs()
  const sim = new Simulation()
  const arrivals = new RandomStream(new MersenneTwister(2), "arrivals")
  const services = new RandomStream(new MersenneTwister(3), "services")
  const server = new Resource(sim, { capacity: servers })
  let totalWait = 0

  function* customer() {
    const arrivedAt = sim.now
    const request = server.request()
    yield* request
    totalWait += sim.now - arrivedAt
    yield* sim.sleep(services.exponential(mu))
    server.release(request)
  }

  function* source() {
    for (let i = 0; i < customers; i++) {
      yield* sim.sleep(arrivals.exponential(lambda))
      sim.spawn(customer())
    }
  }

  sim.spawn(source())
  sim.run()
  return queueResult({
    system: "simsys",
    workload: model.workload,
    customers,
    servers,
    lambda,
    mu,
    totalWait,
    simTime: sim.now,
    startedMs,
  })
}
