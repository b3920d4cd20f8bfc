/**
 * The flow-control scenario end to end: a client uploads, the server's policy gives credit back; a
 * SETTINGS decrease, bad updates, refused streams and padding. The rules' exact frame sequences are
 * pinned on the in-order link (20 ms each way, 100 Mbit/s: a frame leaves as soon as the previous
 * one is serialised), where they do not depend on TCP's slow start; the last block runs the default
 * transport, a TCP connection.
 */
import { describe, expect, it } from "vitest"
import { Simulation, type Traced } from "../../../src/kernel/index.ts"
import {
  checkConnectionWindowRespected,
  checkStreamWindowRespected,
  describeFrame,
  type FlowControlEvent,
  type FlowControlResult,
  FlowControlScenario,
  type FlowControlScenarioOptions,
  flowControlTimelineLine,
  HpackEncoder,
  inOrderLink,
  MAX_WINDOW,
  uploadRequest,
} from "../../../src/models/http2/index.ts"
import type { TcpEvent } from "../../../src/models/tcp/index.ts"

/** The in-order link the rules below are pinned on. */
const LINK = (sim: Simulation) => inOrderLink(sim, { latencyMs: 20, bandwidthMbps: 100 })

function run(
  options: FlowControlScenarioOptions,
  overTcp = false,
): { result: FlowControlResult; records: Traced<FlowControlEvent>[] } {
  const sim = new Simulation({ seed: 1 })
  const records: Traced<FlowControlEvent>[] = []
  sim.trace.listen((record) => {
    if (!record.type.startsWith("Tcp")) records.push(record as Traced<FlowControlEvent>)
  })
  const result = new FlowControlScenario(sim, overTcp ? options : { transport: LINK, ...options }).run()
  return { result, records }
}

/** The frames the client sent, as the timeline prints them. */
function clientFrames(records: readonly Traced<FlowControlEvent>[]): string[] {
  return records
    .filter((r) => r.type === "FrameSent" && r.by === "client")
    .map((r) => flowControlTimelineLine(r)!.slice(2))
}

const windowsOf = (result: FlowControlResult, stream: number): number[] =>
  result.windowSeries.filter((p) => p.stream === stream).map((p) => p.window)

describe("flow-control scenario", () => {
  it("one stream of 100,000 octets: 65,535 in 3 frames of 16,384 and one of 16,383, then it waits for credit", () => {
    const { result, records } = run({ streams: 1, bytesPerStream: 100_000 })
    const frames = clientFrames(records)
    expect(frames.slice(0, 7)).toEqual([
      "SETTINGS stream=0 len=0",
      "PING stream=0 len=8",
      `HEADERS stream=1 len=${new HpackEncoder().encode(uploadRequest(1, 100_000)).bytes.length} [END_HEADERS]`,
      "DATA stream=1 len=16384",
      "DATA stream=1 len=16384",
      "DATA stream=1 len=16384",
      "DATA stream=1 len=16383",
    ])
    const firstUpdate = records.findIndex((r) => r.type === "FrameReceived" && r.frame.kind === "WINDOW_UPDATE")
    const dataBefore = records.slice(0, firstUpdate).filter((r) => r.type === "FrameSent" && r.frame.kind === "DATA")
    expect(dataBefore).toHaveLength(4)
    expect(result.bytesSent.get(1)).toBe(100_000)
    expect(result.summary().completedStreams).toEqual([1])
    expect(result.errors).toEqual([])
    expect(checkStreamWindowRespected(result).held).toBe(true)
    expect(checkConnectionWindowRespected(result).held).toBe(true)
  })

  it("each request's HEADERS carry the connection's HPACK block: 45 octets for the first POST, 14 once the table holds the rest", () => {
    const { records } = run({ streams: 3, bytesPerStream: 200_000 })
    const headers = records.flatMap((r) =>
      r.type === "FrameSent" && r.frame.kind === "HEADERS" ? [[r.by, r.frame.stream, r.frame.blockOctets]] : [],
    )
    expect(headers.filter(([by]) => by === "client")).toEqual([
      ["client", 1, 45],
      ["client", 3, 14],
      ["client", 5, 14],
    ])
    expect(headers.filter(([by]) => by === "server").map(([, , octets]) => octets)).toEqual([1, 1, 1])
  })

  it("two streams share the connection's 65,535 octets until a connection WINDOW_UPDATE", () => {
    const { result, records } = run({ streams: 2, bytesPerStream: 65_535 })
    const firstConnectionUpdate = records.findIndex(
      (r) =>
        r.type === "FrameReceived" && r.by === "client" && r.frame.kind === "WINDOW_UPDATE" && r.frame.stream === 0,
    )
    const sentBefore = records
      .slice(0, firstConnectionUpdate)
      .reduce((sum, r) => sum + (r.type === "FrameSent" && r.frame.kind === "DATA" ? r.frame.length : 0), 0)
    expect(sentBefore).toBe(65_535)
    expect(windowsOf(result, 0)).toContain(0)
    expect(result.summary().completedStreams).toEqual([1, 3])
  })

  it("a SETTINGS decrease to 16,384 mid-transfer takes the window negative by what was in flight, and no DATA leaves until it is positive", () => {
    const { result, records } = run({
      streams: 1,
      bytesPerStream: 200_000,
      settingsChanges: [{ atMs: 5, initialWindow: 16_384 }],
    })
    const settings = records.findIndex(
      (r) =>
        r.type === "FrameReceived" &&
        r.by === "client" &&
        r.frame.kind === "SETTINGS" &&
        r.frame.settings.initialWindowSize === 16_384,
    )
    const sent = records
      .slice(0, settings)
      .reduce((sum, r) => sum + (r.type === "FrameSent" && r.frame.kind === "DATA" ? r.frame.length : 0), 0)
    expect(sent).toBe(65_535)
    const after = records.slice(settings).find((r) => r.type === "SendWindowChanged" && r.stream === 1)
    expect(after).toMatchObject({ window: 16_384 - 65_535 })
    // Every DATA frame left with a positive window; the SETTINGS ACK left while it was negative.
    let window = 0
    for (const r of records) {
      if (r.type === "SendWindowChanged" && r.stream === 1) window = r.window
      if (r.type === "FrameSent" && r.by === "client" && r.frame.kind === "DATA")
        expect(window).toBeGreaterThanOrEqual(0)
    }
    expect(clientFrames(records.slice(settings)).slice(0, 1)).toEqual(["SETTINGS stream=0 len=0 [ACK]"])
    expect(Math.min(...windowsOf(result, 1))).toBe(-49_151)
    expect(result.summary().completedStreams).toEqual([1])
    expect(checkStreamWindowRespected(result).held).toBe(true)
  })

  it("increment 0 on stream 1: the client resets stream 1 with PROTOCOL_ERROR; stream 3 completes", () => {
    const { result, records } = run({ streams: 2, badUpdate: { kind: "zero", stream: 1, atMs: 30 } })
    expect(result.errors.map((e) => [e.by, e.scope, e.stream, e.error])).toEqual([
      ["client", "stream", 1, "PROTOCOL_ERROR"],
    ])
    expect(clientFrames(records)).toContain("RST_STREAM stream=1 len=4 error=PROTOCOL_ERROR")
    expect(result.summary().completedStreams).toEqual([3])
    expect(result.transferMs).toBeNull()
  })

  it("increment 0 on stream 0: the client ends the connection with GOAWAY PROTOCOL_ERROR", () => {
    const { result, records } = run({ streams: 2, badUpdate: { kind: "zero", stream: 0, atMs: 30 } })
    expect(result.errors.map((e) => [e.by, e.scope, e.error])).toEqual([["client", "connection", "PROTOCOL_ERROR"]])
    expect(clientFrames(records).at(-1)).toBe("GOAWAY stream=0 len=8 last_stream=0 error=PROTOCOL_ERROR")
    expect(result.summary().completedStreams).toEqual([])
  })

  it("an update past 2^31-1: RST_STREAM FLOW_CONTROL_ERROR on a stream, GOAWAY FLOW_CONTROL_ERROR on the connection", () => {
    const onStream = run({ streams: 2, badUpdate: { kind: "overflow", stream: 3, atMs: 30 } })
    expect(onStream.result.errors.map((e) => [e.scope, e.stream, e.error])).toEqual([
      ["stream", 3, "FLOW_CONTROL_ERROR"],
    ])
    expect(clientFrames(onStream.records)).toContain("RST_STREAM stream=3 len=4 error=FLOW_CONTROL_ERROR")
    expect(Math.max(...onStream.result.windowSeries.map((p) => p.window))).toBeLessThanOrEqual(MAX_WINDOW)
    const onConnection = run({ streams: 2, badUpdate: { kind: "overflow", stream: 0, atMs: 30 } })
    expect(onConnection.result.errors.map((e) => [e.scope, e.error])).toEqual([["connection", "FLOW_CONTROL_ERROR"]])
    expect(clientFrames(onConnection.records).at(-1)).toBe(
      "GOAWAY stream=0 len=8 last_stream=0 error=FLOW_CONTROL_ERROR",
    )
  })

  it("streams past SETTINGS_MAX_CONCURRENT_STREAMS are refused, their DATA still counts on the connection, and the retries complete", () => {
    const { result } = run({ streams: 3, bytesPerStream: 50_000, maxConcurrentStreams: 1 })
    expect(result.errors.map((e) => [e.by, e.stream, e.error])).toEqual([
      ["server", 3, "REFUSED_STREAM"],
      ["server", 5, "REFUSED_STREAM"],
    ])
    expect([...result.bytesSent]).toEqual([
      [1, 50_000],
      [3, 16_384],
      [5, 16_384],
      [7, 50_000],
      [9, 50_000],
    ])
    expect(result.summary().completedStreams).toEqual([1, 7, 9])
    expect(checkConnectionWindowRespected(result).held).toBe(true)
  })

  it("padding counts against the windows: a 20-octet pad costs 21 octets of credit per frame", () => {
    const { result, records } = run({ streams: 1, bytesPerStream: 50_000, padding: 20 })
    const data = records.filter((r) => r.type === "FrameSent" && r.frame.kind === "DATA")
    const padded = data.filter((r) => r.type === "FrameSent" && r.frame.kind === "DATA" && r.frame.padding === 20)
    expect(padded.length).toBe(data.length)
    expect(result.bytesSent.get(1)).toBe(50_000 + 21 * data.length)
    expect(clientFrames(records)[3]).toBe("DATA stream=1 len=16384 padding=20 [PADDED]")
  })

  it("frames keep to 16,384 octets until the server's larger SETTINGS_MAX_FRAME_SIZE arrives, then carry whole updates", () => {
    const { records } = run({ streams: 1, bytesPerStream: 200_000, maxFrameSize: 1_000_000 })
    const lengths = records.flatMap((r) => (r.type === "FrameSent" && r.frame.kind === "DATA" ? [r.frame.length] : []))
    expect(lengths.slice(0, 5)).toEqual([16_384, 16_384, 16_384, 16_383, 32_768])
  })
})

describe("flow-control scenario over TCP (the default transport)", () => {
  it("the client opens the connection, and the server receives every frame in the order it was sent", () => {
    const sim = new Simulation({ seed: 1 })
    const first: Traced<TcpEvent>[] = []
    sim.trace.listen((record) => {
      if (record.type === "TcpSegmentSent" && first.length < 3) first.push(record as Traced<TcpEvent>)
    })
    new FlowControlScenario(sim, { streams: 2, bytesPerStream: 50_000 }).run()
    expect(first.map((r) => r.type === "TcpSegmentSent" && [r.src, r.srcPort, r.flags, r.t])).toEqual([
      ["10.0.0.2", 50000, "S", 0],
      ["10.0.0.1", 443, "S.", 20.0032],
      ["10.0.0.2", 50000, ".", 40.0064],
    ])
    const { records } = run({ streams: 2, bytesPerStream: 50_000 }, true)
    const frames = (type: "FrameSent" | "FrameReceived", by: "client" | "server") =>
      records.flatMap((r) => (r.type === type && r.by === by ? [describeFrame(r.frame)] : []))
    expect(frames("FrameReceived", "server")).toEqual(frames("FrameSent", "client"))
  })

  it("the default SETTINGS decrease at t=150 ms drives both streams negative; both uploads complete within their windows", () => {
    const { result } = run(
      { streams: 2, bytesPerStream: 200_000, settingsChanges: [{ atMs: 150, initialWindow: 16_384 }] },
      true,
    )
    expect([Math.min(...windowsOf(result, 1)), Math.min(...windowsOf(result, 3))]).toEqual([-16_384, -16_383])
    expect(result.summary().completedStreams).toEqual([1, 3])
    expect(result.transferMs).toBeCloseTo(690.2, 1)
    expect(checkStreamWindowRespected(result).held).toBe(true)
    expect(checkConnectionWindowRespected(result).held).toBe(true)
  })
})
