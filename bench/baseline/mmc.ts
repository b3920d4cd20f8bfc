/**
 * Ceiling for `mm1` and `mm2`: the M/M/c model of `bench/mmc.ts` on the minimal loop of `loop.ts`.
 */
import { MersenneTwister } from "../../src/kernel/mt19937.ts"
import { queueResult, type QueueResult, wallClockMs } from "../bench-kit.ts"
import type { QueueModel } from "../mmc.ts"
import { BaselineResource, Loop, type Proc } from "./loop.ts"

/** CPython's `expovariate(rate)` on `random`. */
function exponential(random: MersenneTwister, rate: number): number {
  return -Math.log(1 - random.next()) / rate
}

/** Runs an M/M/c model on the baseline loop. */
export function runQueue(model: QueueModel): QueueResult {
  const { customers, servers, lambda, mu } = model
  const startedMs = wallClockMs()
  const loop = new Loop()
  const arrivals = new MersenneTwister(2)
  const services = new MersenneTwister(3)
  const server = new BaselineResource(loop, servers)
  let totalWait = 0

  function* customer(): Proc {
    const arrivedAt = loop.now
    yield server
    totalWait += loop.now - arrivedAt
    yield exponential(services, mu)
    server.release()
  }

  function* source(): Proc {
    for (let i = 0; i < customers; i++) {
      yield exponential(arrivals, lambda)
      loop.spawn(customer())
    }
  }

  loop.spawn(source())
  loop.run()
  return queueResult({
    system: "baseline",
    workload: model.workload,
    customers,
    servers,
    lambda,
    mu,
    totalWait,
    simTime: loop.now,
    startedMs,
  })
}
