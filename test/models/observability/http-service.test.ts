/**
 * The monitored service: its registries tell the truth it keeps (counts, buckets, the summary's
 * window), its exposition parses, a restart starts its counters from 0, and errors happen only in
 * the spike.
 */
import { describe, expect, it } from "vitest"
import { Simulation } from "../../../src/kernel/index.ts"
import { Network, uniformLatency } from "../../../src/net/index.ts"
import {
  HttpService,
  type HttpServiceOptions,
  metricsRpc,
  parseExposition,
} from "../../../src/models/observability/index.ts"

function serviceRun(options: Partial<HttpServiceOptions> = {}, untilMs = 300_000, seed = 1) {
  const sim = new Simulation({ seed })
  const network = new Network(sim, { link: { latency: uniformLatency(1, 5) } })
  for (const name of ["api-0", "api-1"]) network.addNode(name)
  const service = new HttpService(sim, network, metricsRpc(network), { instances: ["api-0", "api-1"], ...options })
  sim.run({ until: untilMs })
  return { sim, service }
}

function exposed(service: HttpService, i: number, name: string, labels: Record<string, string> = {}): number {
  const found = parseExposition(service.registry(i).toPrometheus()).find(
    (sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v),
  )
  if (found === undefined) throw new Error(`no ${name}`)
  return found.value
}

describe("HttpService", () => {
  it("counts every completed request once, in the counter, the histogram and the summary", () => {
    const { service } = serviceRun()
    const { instance, latencyS } = service.completed
    for (const i of [0, 1]) {
      const mine = latencyS.filter((_, k) => instance[k] === i)
      expect(exposed(service, i, "http_requests_total", { code: "200" })).toBe(mine.length)
      expect(exposed(service, i, "http_requests_total", { code: "500" })).toBe(0)
      expect(exposed(service, i, "http_request_duration_seconds_count")).toBe(mine.length)
      expect(exposed(service, i, "http_request_latency_seconds_count")).toBe(mine.length)
      expect(exposed(service, i, "http_request_duration_seconds_bucket", { le: "0.1" })).toBe(
        mine.filter((v) => v <= 0.1).length,
      )
      const sorted = [...mine].sort((a, b) => a - b)
      expect(exposed(service, i, "http_request_latency_seconds", { quantile: "0.5" })).toBe(
        sorted[Math.ceil(0.5 * sorted.length) - 1],
      )
    }
    // 50 per second for 300 s, half each: 15,000 expected, Poisson spread about 122
    expect(latencyS.length).toBeGreaterThan(14_500)
    expect(latencyS.length).toBeLessThan(15_500)
  })

  it("takes the slow path 3% of the time on api-0 and 0.5% on api-1", () => {
    const { service } = serviceRun({}, 600_000)
    const { instance, latencyS } = service.completed
    const slowShare = (i: number): number => {
      const mine = latencyS.filter((_, k) => instance[k] === i)
      return mine.filter((v) => v > 0.35).length / mine.length
    }
    expect(slowShare(0)).toBeGreaterThan(0.025)
    expect(slowShare(0)).toBeLessThan(0.036)
    expect(slowShare(1)).toBeGreaterThan(0.003)
    expect(slowShare(1)).toBeLessThan(0.008)
  })

  it("fails requests only during the spike, at the error ratio, and raises the rate there", () => {
    const { service } = serviceRun({ spikeAtMs: 100_000, spikeMs: 100_000, spikeRps: 200, errorRatio: 0.2 })
    const { tMs, failed } = service.completed
    const inSpike = (t: number): boolean => t >= 100_000 && t < 100_000 + 100_000 + 5_000
    expect(failed.every((f, k) => !f || inSpike(tMs[k]!))).toBe(true)
    const spikeRequests = tMs.filter((t) => t >= 110_000 && t < 190_000).length
    expect(spikeRequests / 80).toBeGreaterThan(190)
    expect(spikeRequests / 80).toBeLessThan(210)
    const share = failed.filter(Boolean).length / tMs.filter((t) => t >= 100_000 && t < 200_000).length
    expect(share).toBeGreaterThan(0.18)
    expect(share).toBeLessThan(0.22)
    expect(exposed(service, 0, "http_requests_total", { code: "500" })).toBeGreaterThan(0)
  })

  it("starts api-0's counters again from 0 at its restart; api-1 keeps counting", () => {
    const { service } = serviceRun({ restartAtMs: 200_000 })
    const { tMs, instance } = service.completed
    const after = tMs.filter((t, k) => instance[k] === 0 && t >= 200_000).length
    expect(exposed(service, 0, "http_requests_total", { code: "200" })).toBe(after)
    expect(exposed(service, 1, "http_requests_total", { code: "200" })).toBe(instance.filter((i) => i === 1).length)
    expect(after).toBeLessThan(instance.filter((i) => i === 0).length / 2)
  })

  it("completes the same requests for the same seed", () => {
    expect(serviceRun({}, 60_000, 4).service.completed).toEqual(serviceRun({}, 60_000, 4).service.completed)
    expect(serviceRun({}, 60_000, 4).service.completed).not.toEqual(serviceRun({}, 60_000, 5).service.completed)
  })
})
