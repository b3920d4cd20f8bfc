import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import { checkEveryResourceLoaded, checkResponsesInOrder } from "../../../src/models/http2/page-checks.ts"
import type { PageEvent } from "../../../src/models/http2/page-events.ts"
import { PageResult } from "../../../src/models/http2/page-result.ts"
import { http1HeaderBytes, pageResources } from "../../../src/models/http2/page-resources.ts"
import { type PageProtocol, PageScenario, type PageScenarioOptions } from "../../../src/models/http2/page-scenario.ts"
import { pageTimelineLine } from "../../../src/models/http2/page-timeline.ts"
import type { TcpEvent } from "../../../src/models/tcp/tcp-events.ts"
import {
  lawCheckerAcceptsFaultFreeRuns,
  lawCheckerRejectsKnownBadRun,
  lawSameSeedSameTrace,
  lawTimeNeverGoesBackwards,
  tracedRunOf,
} from "../../laws/index.ts"

function load(options: PageScenarioOptions, seed = 1): PageResult {
  return new PageScenario(new Simulation({ seed }), options).run()
}

const pageChecks = (result: PageResult) => [checkEveryResourceLoaded(result), checkResponsesInOrder(result)]

describe("pageResources", () => {
  it("puts the HTML first, draws log-normal sizes and browser-like GET requests", () => {
    const sim = new Simulation({ seed: 1 })
    const page = pageResources(sim.random("page/sizes"), sim.random("page/headers"), 4)
    expect(page.map((r) => [r.path, r.bodyBytes])).toEqual([
      ["/", 16_975],
      ["/style.css", 1164],
      ["/app.js", 86_402],
      ["/style.css", 15_720],
    ])
    expect(page.every((r) => r.request.find((f) => f.name === ":method")!.value === "GET")).toBe(true)
  })

  it("writes HTTP/1.1 headers as text: request line, host, the other fields, a blank line", () => {
    const fields = [
      { name: ":method", value: "GET" },
      { name: ":scheme", value: "https" },
      { name: ":path", value: "/a" },
      { name: ":authority", value: "x.org" },
      { name: "accept", value: "*/*" },
    ]
    // "GET /a HTTP/1.1\r\n" 17 + "host: x.org\r\n" 13 + "accept: */*\r\n" 13 + "\r\n" 2
    expect(http1HeaderBytes(fields)).toBe(45)
    expect(http1HeaderBytes([{ name: ":status", value: "200" }])).toBe("HTTP/1.1 200 OK\r\n\r\n".length)
  })
})

describe("PageScenario", () => {
  it("h1: the HTML after the handshake and one round trip, then one connection per waiting resource", () => {
    const result = load({ protocol: "h1", resources: 4 })
    const [html, css, js, css2] = result.resources
    // SYN (40 bytes at 10 Mbit/s: 0.032 ms) and SYN-ACK take 100 ms; the request half an RTT.
    expect(html!.requestSentMs).toBeCloseTo(100.032, 9)
    expect(html!.firstByteMs).toBeCloseTo(201.232, 9)
    expect(html!.loadedMs).toBeCloseTo(405.7272, 9)
    // The first connection is free again: the next resource goes on it at once, the others wait for new handshakes.
    expect([css!.connection, css!.requestSentMs]).toEqual([0, html!.loadedMs])
    expect([js!.connection, css2!.connection]).toEqual([1, 2])
    expect(js!.requestSentMs).toBeCloseTo(html!.loadedMs + 100.032, 9)
    expect(result.pageLoadMs).toBeCloseTo(1027.7248, 9)
    expect(result.connections).toBe(3)
    expect(result.bytesOnWire).toBe(128_985)
    expect(result.headerBytes).toEqual({ hpack: 335, text: 1484 })
  })

  it("h2: one connection, every stream requested as soon as the HTML arrives, the page sooner", () => {
    const result = load({ protocol: "h2", resources: 4 })
    expect(result.connections).toBe(1)
    expect(result.resources.slice(1).map((r) => r.requestSentMs)).toEqual(
      [405.68, 405.68, 405.68].map((t) => expect.closeTo(t, 9)),
    )
    expect(result.pageLoadMs).toBeCloseTo(742.7008, 9)
    expect(result.bytesOnWire).toBe(127_640)
  })

  it("40 resources: h1 opens 6 connections, h1-pipelined 6, h2 1; HPACK shrinks the headers from 14,943 to 1,574 bytes", () => {
    const runs = (["h1", "h1-pipelined", "h2"] as const).map((protocol) => load({ protocol }))
    expect(runs.map((r) => r.connections)).toEqual([6, 6, 1])
    expect(runs.map((r) => Math.round(r.pageLoadMs))).toEqual([1656, 1283, 1332])
    expect(runs.map((r) => r.headerBytes)).toEqual(Array(3).fill({ hpack: 1574, text: 14_943 }))
    // Resources wait for a connection or behind others in h1; in h2 only for their own bytes.
    expect(runs.map((r) => Math.round(r.waitingMs))).toEqual([28_593, 20_997, 4148])
  })

  it("with 2% loss every h2 stream in flight stalls behind the lost segment (TCP head-of-line blocking)", () => {
    const result = load({ protocol: "h2", lossProbability: 0.02 })
    expect(result.retransmits).toBe(10)
    const hole = result.holes[0]![0]!
    const inFlight = result.resources.filter((r) => r.requestSentMs <= hole[0] && r.loadedMs >= hole[1])
    expect(inFlight.length).toBeGreaterThan(1)
    for (const r of inFlight) expect(r.stallMs).toBeGreaterThanOrEqual(hole[1] - hole[0])
    expect(Math.round(result.stallMs)).toBe(50_313)
  })

  it("the timeline names connections, requests, holes and lost segments", () => {
    const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
    new PageScenario(sim, { protocol: "h2", resources: 10, lossProbability: 0.05 }).run()
    const lines = (sim.trace.records() as unknown as Traced<PageEvent | TcpEvent>[])
      .map(pageTimelineLine)
      .filter((l) => l !== undefined)
    expect(lines[0]).toBe("connection 0 opens (handshake: one round trip)")
    expect(lines[1]).toBe("request #0 / on connection 0")
    expect(lines.some((l) => /lost on flow 0$/.test(l))).toBe(true)
    expect(lines.some((l) => /a segment is missing after byte/.test(l))).toBe(true)
    expect(lines.some((l) => /the retransmission fills the hole after/.test(l))).toBe(true)
  })
})

describe("PageScenario properties", () => {
  it("every protocol loads every resource; h2 uses one connection; h1-pipelined keeps request order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 10, max: 300 }),
        fc.constantFrom(0, 0.01, 0.05),
        fc.constantFrom<PageProtocol>("h1", "h1-pipelined", "h2"),
        (seed, resources, rttMs, lossProbability, protocol) => {
          const result = load({ protocol, resources, rttMs, lossProbability }, seed)
          expect(checkEveryResourceLoaded(result).held).toBe(true)
          if (protocol === "h2") expect(result.connections).toBe(1)
          else expect(checkResponsesInOrder(result).held).toBe(true)
          expect(result.connections).toBeLessThanOrEqual(6)
        },
      ),
      { numRuns: 40 },
    )
  })

  it("with loss, every h2 stream in flight across a whole hole stalls at least that long (TCP head-of-line blocking)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 5, max: 40 }), (seed, resources) => {
        const result = load({ protocol: "h2", resources, lossProbability: 0.03 }, seed)
        expect(result.connections).toBe(1)
        for (const [start, end] of result.holes[0]!) {
          for (const r of result.resources.filter((x) => x.requestSentMs <= start && x.loadedMs >= end))
            expect(r.stallMs).toBeGreaterThanOrEqual(end - start)
        }
      }),
      { numRuns: 30 },
    )
  })

  it("without loss, h2 loads a page of many small resources no later than h1", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 20, max: 80 }),
        fc.integer({ min: 20, max: 200 }),
        (seed, resources, rttMs) => {
          const h1 = load({ protocol: "h1", resources, rttMs, medianBodyBytes: 1000 }, seed)
          const h2 = load({ protocol: "h2", resources, rttMs, medianBodyBytes: 1000 }, seed)
          expect(h2.pageLoadMs).toBeLessThanOrEqual(h1.pageLoadMs)
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe("page-load laws", () => {
  const OPTIONS: PageScenarioOptions = { protocol: "h1-pipelined", resources: 12, lossProbability: 0.02 }

  it("gives the same trace for the same seed", () => {
    const report = lawSameSeedSameTrace(
      (seed) => {
        const sim = new Simulation({ seed, trace: { keep: Infinity } })
        const scenario = new PageScenario(sim, OPTIONS)
        return tracedRunOf(sim, () => void scenario.run())
      },
      3,
      { label: "http2-vs-http1", minRecords: 100 },
    )
    expect(report.records).toBeGreaterThanOrEqual(100)
  })

  it("never moves the clock backwards, step by step", () => {
    let steps = 0
    new PageScenario(new Simulation({ seed: 2 }), OPTIONS).run((sim, until) => {
      steps += lawTimeNeverGoesBackwards(sim, { until }).steps
    })
    expect(steps).toBeGreaterThan(100)
  })

  it("accepts fault-free runs", () => {
    for (const seed of [1, 2, 3]) {
      const verdicts = lawCheckerAcceptsFaultFreeRuns(
        (s) => new PageScenario(new Simulation({ seed: s }), { ...OPTIONS, lossProbability: 0 }).run(),
        pageChecks,
        seed,
      )
      expect(verdicts.map((v) => v.name)).toEqual(["every-resource-loaded", "responses-in-order"])
    }
  })

  it("rejects a run with a resource missing, and one whose responses overtook each other", () => {
    const good = load(OPTIONS)
    const missing = new PageResult({
      ...good,
      resources: good.resources.map((r, i) => (i === 3 ? { ...r, loadedMs: -1 } : r)),
    })
    expect(lawCheckerRejectsKnownBadRun(missing, pageChecks, { name: "every-resource-loaded" }).detail).toBe(
      `1 never arrived: ${good.resources[3]!.path}`,
    )
    const [a, b] = good.resources.filter((r) => r.connection === 1)
    const swapped = good.resources.map((r) =>
      r === a ? { ...r, loadedMs: b!.loadedMs } : r === b ? { ...r, loadedMs: a!.loadedMs } : r,
    )
    expect(
      lawCheckerRejectsKnownBadRun(new PageResult({ ...good, resources: swapped }), pageChecks, {
        name: "responses-in-order",
        detail: /on connection 1, .* arrived before/,
      }).held,
    ).toBe(false)
  })
})
