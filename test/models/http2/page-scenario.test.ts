import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import { checkEveryResourceLoaded, checkResponsesInOrder } from "../../../src/models/http2/page-checks.ts"
import type { PageEvent } from "../../../src/models/http2/page-events.ts"
import { PageResult } from "../../../src/models/http2/page-result.ts"
import { HpackEncoder } from "../../../src/models/http2/hpack.ts"
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
  it("puts the HTML first, draws log-normal sizes and browser-like GET requests, each path once", () => {
    const sim = new Simulation({ seed: 1 })
    const page = pageResources(sim.random("page/sizes"), sim.random("page/headers"), 4)
    expect(page.map((r) => [r.path, r.bodyBytes])).toEqual([
      ["/", 16_975],
      ["/style.css", 1164],
      ["/app.js", 86_402],
      ["/style-3.css", 15_720], // drawn as /style.css again: a browser fetches a URL once
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
    // The client's SYN and the server's SYN-ACK (40 bytes each, 0.032 ms at 10 Mbit/s) take 100.064 ms.
    expect(html!.requestSentMs).toBeCloseTo(100.064, 9)
    // The handshake's ACK (0.032 ms) and the 225-byte request (265 on the wire: 0.212 ms) go up in
    // 50 ms; the server's ACK of it (0.032 ms) and the first 1,460 bytes (1.2 ms) come down in 50.
    expect(html!.firstByteMs).toBeCloseTo(201.54, 9)
    expect(html!.loadedMs).toBeCloseTo(406.0992, 9)
    // The first connection is free again: the next resource goes on it at once, the others wait for
    // new handshakes; /style.css is back (507.45) before connection 1 is up (507.48), so /app.js
    // takes connection 0 and connection 2 is never used.
    expect([css!.connection, css!.requestSentMs]).toEqual([0, html!.loadedMs])
    expect([js!.connection, js!.requestSentMs]).toEqual([0, css!.loadedMs])
    expect(css2!.connection).toBe(1)
    expect(css2!.requestSentMs).toBeCloseTo(html!.loadedMs + 101.3856, 9)
    expect(result.pageLoadMs).toBeCloseTo(848.4216, 9)
    expect(result.connections).toBe(3)
    expect(result.bytesOnWire).toBe(129_147)
    expect(result.headerBytes).toEqual({ hpack: 346, text: 1486 })
  })

  it("puts every request and every HTTP/2 frame on the wire inside TCP, both ways", () => {
    const bytesSent = (protocol: PageProtocol) => {
      const sim = new Simulation({ seed: 1, trace: { keep: Infinity } })
      const scenario = new PageScenario(sim, { protocol, resources: 1 })
      scenario.run()
      const sent = { client: 0, server: 0 }
      for (const r of sim.trace.records() as unknown as Traced<TcpEvent>[])
        if (r.type === "TcpSegmentSent" && !r.retransmission)
          sent[r.src === "10.0.0.2" ? "client" : "server"] += r.payloadBytes
      return { sent, html: scenario.resources[0]! }
    }
    const h1 = bytesSent("h1")
    expect(h1.sent).toEqual({ client: 225, server: 164 + 16_975 })
    const h2 = bytesSent("h2")
    const hpackRequest = new HpackEncoder().encode(h2.html.request).bytes.length
    const hpackResponse = new HpackEncoder().encode(h2.html.response).bytes.length
    // client: preface 24, SETTINGS 9 + 4 × 6, WINDOW_UPDATE 13, HEADERS, then the SETTINGS ACK
    expect(h2.sent.client).toBe(24 + 33 + 13 + 9 + hpackRequest + 9)
    // server: SETTINGS 9 (empty), SETTINGS ACK 9, HEADERS, and one DATA frame (16,975 bytes > 16,384: two)
    expect(h2.sent.server).toBe(9 + 9 + 9 + hpackResponse + 2 * 9 + 16_975)
  })

  it("h2: one connection, every stream requested as soon as the HTML arrives, the page sooner", () => {
    const result = load({ protocol: "h2", resources: 4 })
    expect(result.connections).toBe(1)
    expect(result.resources.slice(1).map((r) => r.requestSentMs)).toEqual(
      [407.2992, 407.2992, 407.2992].map((t) => expect.closeTo(t, 9)),
    )
    expect(result.pageLoadMs).toBeCloseTo(744.4048, 9)
    expect(result.bytesOnWire).toBe(128_506)
    // only the WINDOW_UPDATE that opens Chrome's 15 MiB connection window: no stream used half of its 6 MiB
    expect([result.windowUpdates, result.flowBlockedMs]).toEqual([1, 0])
  })

  it("h2 flow control: with the RFC's 65,535-byte stream windows, large responses wait for WINDOW_UPDATEs", () => {
    const chrome = load({ protocol: "h2" })
    const rfc = load({ protocol: "h2", h2StreamWindowBytes: 65_535 })
    expect([Math.round(chrome.pageLoadMs), Math.round(rfc.pageLoadMs)]).toEqual([1331, 1651])
    // the client gives a stream's credit back once half its window (32,768 bytes) was read
    expect([chrome.windowUpdates, rfc.windowUpdates]).toEqual([1, 13])
    expect(Math.round(rfc.flowBlockedMs)).toBe(668)
    expect(() => load({ protocol: "h2", h2StreamWindowBytes: 0 })).toThrow(RangeError)
  })

  it("40 resources: h1 opens 6 connections, h1-pipelined 6, h2 1; HPACK shrinks the headers from 14,981 to 1,820 bytes", () => {
    const runs = (["h1", "h1-pipelined", "h2"] as const).map((protocol) => load({ protocol }))
    expect(runs.map((r) => r.connections)).toEqual([6, 6, 1])
    expect(runs.map((r) => Math.round(r.pageLoadMs))).toEqual([1628, 1311, 1331])
    expect(runs.map((r) => r.headerBytes)).toEqual(Array(3).fill({ hpack: 1820, text: 14_981 }))
    // Resources wait for a connection or behind others in h1; in h2 only for their own bytes.
    expect(runs.map((r) => Math.round(r.waitingMs))).toEqual([27_828, 22_733, 4419])
  })

  it("with 2% loss every h2 stream in flight stalls behind the lost segment (TCP head-of-line blocking)", () => {
    const result = load({ protocol: "h2", lossProbability: 0.02 })
    expect(result.retransmits).toBe(10)
    const hole = result.holes[0]![0]!
    const inFlight = result.resources.filter((r) => r.requestSentMs <= hole[0] && r.loadedMs >= hole[1])
    expect(inFlight.length).toBeGreaterThan(1)
    for (const r of inFlight) expect(r.stallMs).toBeGreaterThanOrEqual(hole[1] - hole[0])
    expect(Math.round(result.stallMs)).toBe(67_143)
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
  it("every protocol loads every resource under any h2 window; h2 uses one connection; h1 keeps request order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 10, max: 300 }),
        fc.constantFrom(0, 0.01, 0.05),
        fc.constantFrom<PageProtocol>("h1", "h1-pipelined", "h2"),
        fc.constantFrom(16_384, 65_535, 6_291_456),
        (seed, resources, rttMs, lossProbability, protocol, h2StreamWindowBytes) => {
          // the client's ReceiveWindows throw if the server ever overran a window
          const result = load({ protocol, resources, rttMs, lossProbability, h2StreamWindowBytes }, seed)
          expect(checkEveryResourceLoaded(result).held).toBe(true)
          if (protocol === "h2") expect(result.connections).toBe(1)
          else expect(checkResponsesInOrder(result).held).toBe(true)
          if (protocol !== "h2") expect([result.windowUpdates, result.flowBlockedMs]).toEqual([0, 0])
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
