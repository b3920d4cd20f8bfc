import { describe, expect, it } from "vitest"
import { Histogram, Simulation, TraceSample } from "../../../src/kernel/index.ts"
import {
  describeQueueingRecord,
  isQueueingRecord,
  type MmcQueueOptions,
  MmcQueue,
  mmcSteadyState,
} from "../../../src/models/queueing/index.ts"

function runQueue(options: MmcQueueOptions, seed = 1, keep = 0) {
  const sim = new Simulation({ seed, trace: { keep } })
  const queue = new MmcQueue(sim, options)
  sim.run()
  return { sim, queue, measured: queue.measurements() }
}

describe("MmcQueue", () => {
  it("keeps the longest tenth of the waits and gives their p90 and p99 exactly, at 2,000 and 20,000 customers", () => {
    for (const customers of [2000, 20_000]) {
      const sim = new Simulation({ seed: 4 })
      const every = new Histogram()
      sim.trace.listen((record) => {
        if (isQueueingRecord(record) && record.type === "ServiceStarted") every.observe(record.wait)
      })
      const queue = new MmcQueue(sim, { arrivalRate: 0.9, serviceRate: 1, customers })
      sim.run()

      const measured = queue.measurements()

      expect(queue.observationsKept).toBe(customers / 10 + 1)
      expect(queue.waits.keepsObservations).toBe(false)
      expect(queue.timesInSystem.keepsObservations).toBe(false)
      expect([measured.p90Wait, measured.p99Wait, measured.maxWait]).toEqual([every.p90, every.p99, every.max])
    }
  })

  it("lets a lone customer start at once and leave after its service: arrived, started, departed", () => {
    const { sim, measured } = runQueue({ arrivalRate: 1, serviceRate: 1, customers: 1 }, 1, Infinity)

    const records = sim.trace.records()
    expect(records.map((record) => record.type)).toEqual(["CustomerArrived", "ServiceStarted", "CustomerDeparted"])
    const [arrived, started, departed] = records
    expect(started!.t).toBe(arrived!.t)
    expect(records.map((record) => record.customer)).toEqual([1, 1, 1])
    expect(measured.wait.mean).toBe(0)
    expect(measured.meanTimeInSystem).toBe(departed!.t - arrived!.t)
    expect(measured.customersServed).toBe(1)
    expect(measured.probabilityOfWaiting).toBe(0)
    expect(measured.utilisation).toBeCloseTo((departed!.t - arrived!.t) / departed!.t, 12)
    expect(measured.wait.cycles).toBe(1)
  })

  it("starts service in arrival order and never has more than c customers in service (c = 3)", () => {
    const { sim, queue } = runQueue({ arrivalRate: 2.7, serviceRate: 1, servers: 3, customers: 2000 }, 4, Infinity)

    const starts = sim.trace
      .records()
      .filter((record) => record.type === "ServiceStarted")
      .map((record) => record.customer as number)
    expect(starts).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
    expect(queue.busyServers.max).toBe(3)
    expect(queue.queueLength.max).toBeGreaterThan(0)
  })

  it("satisfies Little's law exactly on the sample path, for the system and for the queue", () => {
    const { measured } = runQueue({ arrivalRate: 1.9, serviceRate: 1, servers: 2, customers: 5000 }, 11)

    expect(measured.meanInSystem).toBeCloseTo(measured.throughput * measured.meanTimeInSystem, 9)
    expect(measured.meanQueueLength).toBeCloseTo(measured.throughput * measured.wait.mean, 9)
  })

  it("gives the same trace hash for the same seed and a different one for another seed", () => {
    const options = { arrivalRate: 0.9, serviceRate: 1, customers: 300 }

    const first = runQueue(options, 5).sim.trace.hash
    const again = runQueue(options, 5).sim.trace.hash
    const other = runQueue(options, 6).sim.trace.hash

    expect(again).toBe(first)
    expect(other).not.toBe(first)
  })

  it("draws arrivals and services from separate streams: more servers leave the arrival times unchanged", () => {
    const arrivalTimes = (servers: number) =>
      runQueue({ arrivalRate: 1, serviceRate: 1, servers, customers: 50 }, 2, Infinity)
        .sim.trace.records()
        .filter((record) => record.type === "CustomerArrived")
        .map((record) => record.t)

    expect(arrivalTimes(3)).toEqual(arrivalTimes(1))
  })

  it("converges to Erlang C on a long run: c = 2, λ = 1.8/s, μ = 1/s, 100,000 customers, seed 1", () => {
    const steady = mmcSteadyState({ arrivalRate: 1.8, serviceRate: 1, servers: 2 })

    const { measured } = runQueue({ arrivalRate: 1.8, serviceRate: 1, servers: 2, customers: 100_000 }, 1)

    expect(Math.abs(measured.wait.mean - steady.meanWait)).toBeLessThan(4 * measured.wait.standardError)
    expect(Math.abs(measured.wait.mean / steady.meanWait - 1)).toBeLessThan(0.1)
    expect(Math.abs(measured.utilisation - 0.9)).toBeLessThan(0.01)
    expect(Math.abs(measured.probabilityOfWaiting - steady.probabilityOfWaiting)).toBeLessThan(0.02)
    expect(measured.wait.cycles).toBeGreaterThan(3000)
  })

  it("puts Erlang C inside the 4-standard-error band in at least 36 of 40 seeds at ρ = 0.5", () => {
    const steady = mmcSteadyState({ arrivalRate: 1, serviceRate: 1, servers: 2 })
    let covered = 0

    for (let seed = 1; seed <= 40; seed++) {
      const { wait } = runQueue({ arrivalRate: 1, serviceRate: 1, servers: 2, customers: 2000 }, seed).measured
      if (Math.abs(wait.mean - steady.meanWait) <= 4 * wait.standardError) covered++
    }

    expect(covered).toBeGreaterThanOrEqual(36)
  })

  it("grows without bound when λ > cμ: four times the customers, at least twice the mean wait", () => {
    const options = { arrivalRate: 1.2, serviceRate: 1 }

    const short = runQueue({ ...options, customers: 2000 }, 3).measured
    const long = runQueue({ ...options, customers: 8000 }, 3).measured

    expect(long.wait.mean).toBeGreaterThan(2 * short.wait.mean)
    expect(long.maxQueueLength).toBeGreaterThan(2 * short.maxQueueLength)
  })

  it("rejects rates that are not finite and positive, and customer counts that are not integers >= 1", () => {
    const sim = new Simulation()

    expect(() => new MmcQueue(sim, { arrivalRate: -1, serviceRate: 1, customers: 1 })).toThrow("arrivalRate")
    expect(() => new MmcQueue(sim, { arrivalRate: 1, serviceRate: Infinity, customers: 1 })).toThrow("serviceRate")
    expect(() => new MmcQueue(sim, { arrivalRate: 1, serviceRate: 1, customers: 0 })).toThrow("customers")
  })

  it("refuses to report before every customer has left", () => {
    const sim = new Simulation()
    const queue = new MmcQueue(sim, { arrivalRate: 1, serviceRate: 1, customers: 10 })
    sim.run({ until: 1 })

    expect(() => queue.measurements()).toThrow("the run has not finished")
  })

  it("records every step with its levels, and a sample of the first 7 tells them in time order", () => {
    const sim = new Simulation({ seed: 1 })
    const sample = new TraceSample(sim.trace, isQueueingRecord, 7)
    new MmcQueue(sim, { arrivalRate: 1, serviceRate: 1, customers: 100 })
    sim.run()

    expect(sample.total).toBe(300)
    expect(sample.records).toHaveLength(7)
    expect(sample.records[0]).toMatchObject({ type: "CustomerArrived", customer: 1, waiting: 0, busy: 1 })
    expect(describeQueueingRecord(sample.records[0]!, 1)).toBe("customer 1 arrived: 0 waiting, 1/1 servers busy")
    const times = sample.records.map((record) => record.t)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it("carries each customer's wait and time in the system in its records, equal to the gaps between its records", () => {
    const { sim } = runQueue({ arrivalRate: 0.9, serviceRate: 1, customers: 200 }, 3, Infinity)

    const byCustomer = new Map<number, Record<string, number>>()
    for (const record of sim.trace.records()) {
      const seen = byCustomer.get(record.customer as number) ?? {}
      seen[record.type] = record.t
      if (record.type === "ServiceStarted") expect(record.wait).toBe(record.t - seen.CustomerArrived!)
      if (record.type === "CustomerDeparted") expect(record.timeInSystem).toBe(record.t - seen.CustomerArrived!)
      byCustomer.set(record.customer as number, seen)
    }
    expect(byCustomer.size).toBe(200)
  })
})
