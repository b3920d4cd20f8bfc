/**
 * The scraper on simulated time, exactly: each target first at its own offset, then every
 * interval; samples stamped with the scrape's start whatever the latency; `up` 0 and staleness
 * markers when a target is cut off; PromQL over the stored samples; the exposition parser against
 * the kernel's own output; alert rules' `for`.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Metrics, Simulation, type Traced } from "../../../src/kernel/index.ts"
import { type NetEvent, Network, uniformLatency } from "../../../src/net/index.ts"
import {
  AlertRule,
  extrapolatedRate,
  instantSample,
  metricsRpc,
  observabilityTimeline,
  type ObservabilityEvent,
  parseExposition,
  Scraper,
  serveMetrics,
} from "../../../src/models/observability/index.ts"
import { checkProperty } from "../../laws/index.ts"

const TEST_FILE = "test/models/observability/scraper.test.ts"

/** Two apps counting 10 requests a second each, scraped every 15 s; app2 cut off from 60 s to 100 s. */
function scrapeRun(seed = 1) {
  const sim = new Simulation({ seed, trace: { keep: Infinity } })
  const network = new Network(sim, { link: { latency: uniformLatency(1, 20) } })
  for (const name of ["prom", "app1", "app2"]) network.addNode(name)
  const rpc = metricsRpc(network)
  for (const app of ["app1", "app2"]) {
    const metrics = new Metrics(() => sim.now)
    const requests = metrics.counter("requests_total", "Requests served.", { path: "/" })
    serveMetrics(rpc, app, metrics)
    network.node(app).spawn(
      (function* () {
        for (;;) {
          yield* sim.sleep(100)
          requests.inc()
        }
      })(),
    )
  }
  network.partition([["app2"]], { at: 60_000, healAt: 100_000 })
  const scraper = new Scraper(network, rpc, {
    node: "prom",
    targets: [
      { node: "app1", job: "api" },
      { node: "app2", job: "api" },
    ],
    trace: sim.trace,
  })
  sim.run({ until: 180_000 })
  return { sim, scraper }
}

describe("Scraper", () => {
  it("scrapes each target at its offset, then every 15 s, stamping the scrape's start", () => {
    const { scraper } = scrapeRun()
    for (const instance of ["app1", "app2"]) {
      const offset = scraper.offsetMs({ node: instance, job: "api" })
      const up = scraper.store.select("up", { instance })[0]!
      expect(up.samples.map((s) => s.tMs)).toEqual(
        Array.from({ length: 12 }, (_, k) => offset + k * 15_000).filter((t) => t < 180_000),
      )
      expect(up.labels).toEqual({ __name__: "up", job: "api", instance })
    }
    expect(scraper.offsetMs({ node: "app1", job: "api" })).not.toBe(scraper.offsetMs({ node: "app2", job: "api" }))
  })

  it("stores up 0 and a staleness marker while a target is cut off, and the series again after", () => {
    const { sim, scraper } = scrapeRun()
    const offset = scraper.offsetMs({ node: "app2", job: "api" })
    const cut = (t: number): boolean => t >= 60_000 && t < 100_000
    const up = scraper.store.select("up", { instance: "app2" })[0]!
    for (const sample of up.samples) {
      // a scrape that starts before the cut but is answered after it has begun still fails (10 s timeout)
      const answered = !cut(sample.tMs) && !(sample.tMs + 20 >= 60_000 && sample.tMs < 60_000)
      expect([sample.tMs, sample.value]).toEqual([sample.tMs, answered ? 1 : 0])
    }
    const requests = scraper.store.select("requests_total", { instance: "app2" })[0]!
    const stale = requests.samples.filter((s) => s.stale === true)
    expect(stale).toHaveLength(1)
    expect(instantSample(requests.samples, stale[0]!.tMs)).toBeUndefined()
    expect(instantSample(requests.samples, stale[0]!.tMs - 1)).toBeDefined()
    const failed = sim.trace.records().filter((r) => r.type === "ScrapeFailed")
    expect(failed.length).toBeGreaterThan(1)
    const story = sim.trace
      .records()
      .map((r) => observabilityTimeline(r as Traced<ObservabilityEvent | NetEvent>))
      .filter((line) => line !== undefined)
    expect(story).toContain("scrape of app2 (job api) got no answer: up = 0, its series stale")
    expect(story.some((line) => line.includes("partition"))).toBe(true)
    expect(offset).toBeGreaterThanOrEqual(0)
  })

  it("gives rate() of the scraped counter as the true 10 per second", () => {
    const { scraper } = scrapeRun()
    const requests = scraper.store.select("requests_total", { instance: "app1" })[0]!
    const rate = extrapolatedRate("rate", requests.samples, 120_000, 60_000)!
    expect(rate).toBeGreaterThan(9.5)
    expect(rate).toBeLessThan(10.5)
  })

  it("records the same samples for the same seed", () => {
    const a = scrapeRun(3).scraper.store.all()
    const b = scrapeRun(3).scraper.store.all()
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
})

describe("parseExposition", () => {
  it("reads back the kernel's exposition: names, escaped labels, histogram buckets and +Inf", () => {
    checkProperty(
      fc.property(fc.string(), fc.integer({ min: 0, max: 1000 }), (label, increments) => {
        const metrics = new Metrics(() => 0)
        metrics.counter("hits_total", "Hits.", { who: label }).inc(increments)
        const latency = metrics.histogram("latency_seconds", "Latency.", { buckets: [0.1, 1] })
        latency.observe(0.05)
        latency.observe(5)
        const samples = parseExposition(metrics.toPrometheus())
        expect(samples).toEqual([
          { name: "hits_total", labels: { who: label }, value: increments },
          { name: "latency_seconds_bucket", labels: { le: "0.1" }, value: 1 },
          { name: "latency_seconds_bucket", labels: { le: "1" }, value: 1 },
          { name: "latency_seconds_bucket", labels: { le: "+Inf" }, value: 2 },
          { name: "latency_seconds_sum", labels: {}, value: 5.05 },
          { name: "latency_seconds_count", labels: {}, value: 2 },
        ])
      }),
      { testFile: TEST_FILE, numRuns: 200 },
    )
  })

  it("names the line it cannot read", () => {
    expect(() => parseExposition('ok 1\nbad{a="x" 1\n')).toThrow(/line 2/)
    expect(() => parseExposition("novalue\n")).toThrow(/line 1: no value/)
  })
})

describe("AlertRule", () => {
  it("goes pending, fires after `for`, resolves; a pending alert whose condition fails is dropped", () => {
    const sim = new Simulation({ trace: { keep: Infinity } })
    const rule = new AlertRule("HighErrors", 60_000, sim.trace)
    const states = [true, true, true, false, true, true, true, true, true, false].map((holds, k) =>
      rule.evaluate(k * 15_000, holds),
    )
    expect(states).toEqual([
      "pending",
      "pending",
      "pending",
      "inactive",
      "pending",
      "pending",
      "pending",
      "pending",
      "firing",
      "inactive",
    ])
    expect(rule.firstFiredAtMs).toBe(120_000)
    expect(sim.trace.records().map((e) => e.type)).toEqual([
      "AlertPending",
      "AlertResolved",
      "AlertPending",
      "AlertFired",
      "AlertResolved",
    ])
  })

  it("fires no earlier than `for` after the first evaluation that sees the condition, and within one interval more", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 1000, max: 60_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        (intervalMs, forMs, trueFromMs) => {
          const rule = new AlertRule("A", forMs, new Simulation({ trace: { enabled: false } }).trace)
          let firstSeen: number | undefined
          for (let t = 0; t <= trueFromMs + forMs + 2 * intervalMs; t += intervalMs) {
            const holds = t >= trueFromMs
            if (holds) firstSeen ??= t
            rule.evaluate(t, holds)
          }
          const fired = rule.firstFiredAtMs!
          expect(fired - firstSeen!).toBeGreaterThanOrEqual(forMs)
          expect(fired - trueFromMs).toBeLessThan(forMs + 2 * intervalMs)
        },
      ),
      { testFile: TEST_FILE, numRuns: 300 },
    )
  })
})
