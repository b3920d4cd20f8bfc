/** The flow-control timeline: frames as h2 debugging tools print them, from the client's side. */
import { describe, expect, it } from "vitest"
import type { Traced } from "../../../src/kernel/index.ts"
import { describeFrame, type FlowControlEvent, flowControlTimelineLine } from "../../../src/models/http2/index.ts"

const at = (event: FlowControlEvent): Traced<FlowControlEvent> => ({ t: 1, seq: 0, ...event })

describe("flow-control timeline", () => {
  it("prints every frame kind with its payload length and flags", () => {
    expect([
      describeFrame({ kind: "DATA", stream: 1, length: 16_384, endStream: true }),
      describeFrame({ kind: "DATA", stream: 3, length: 100, padding: 20, endStream: false }),
      describeFrame({ kind: "HEADERS", stream: 5, blockOctets: 45, endStream: false }),
      describeFrame({ kind: "SETTINGS", ack: false, settings: { initialWindowSize: 16_384 } }),
      describeFrame({ kind: "SETTINGS", ack: true, settings: {} }),
      describeFrame({ kind: "WINDOW_UPDATE", stream: 0, increment: 32_768 }),
      describeFrame({ kind: "RST_STREAM", stream: 1, error: "PROTOCOL_ERROR" }),
      describeFrame({ kind: "GOAWAY", lastStream: 3, error: "FLOW_CONTROL_ERROR" }),
      describeFrame({ kind: "PING", ack: true }),
    ]).toEqual([
      "DATA stream=1 len=16384 [END_STREAM]",
      "DATA stream=3 len=121 padding=20 [PADDED]",
      "HEADERS stream=5 len=45 [END_HEADERS]",
      "SETTINGS stream=0 len=6 INITIAL_WINDOW_SIZE=16384",
      "SETTINGS stream=0 len=0 [ACK]",
      "WINDOW_UPDATE stream=0 len=4 increment=32768",
      "RST_STREAM stream=1 len=4 error=PROTOCOL_ERROR",
      "GOAWAY stream=0 len=8 last_stream=3 error=FLOW_CONTROL_ERROR",
      "PING stream=0 len=8 [ACK]",
    ])
  })

  it("shows the client's frames with arrows, its errors and waits; leaves out the server's copies, windows and reads", () => {
    const frame = { kind: "PING", ack: false } as const
    expect(
      [
        at({ type: "FrameSent", by: "client", frame }),
        at({ type: "FrameReceived", by: "client", frame }),
        at({ type: "FrameSent", by: "server", frame }),
        at({ type: "FrameReceived", by: "server", frame }),
        at({
          type: "Http2ErrorDetected",
          by: "client",
          scope: "stream",
          stream: 1,
          error: "PROTOCOL_ERROR",
          reason: "r",
        }),
        at({
          type: "Http2ErrorDetected",
          by: "server",
          scope: "connection",
          stream: 0,
          error: "FLOW_CONTROL_ERROR",
          reason: "q",
        }),
        at({ type: "StreamBlocked", stream: 3 }),
        at({ type: "StreamUnblocked", stream: 3, why: "credit" }),
        at({ type: "StreamUnblocked", stream: 3, why: "ended" }),
        at({ type: "ConnectionBlocked", waiting: 2 }),
        at({ type: "ConnectionUnblocked" }),
        at({ type: "SendWindowChanged", stream: 1, window: 5 }),
        at({ type: "DataConsumed", stream: 1, octets: 5 }),
      ].map(flowControlTimelineLine),
    ).toEqual([
      "→ PING stream=0 len=8",
      "← PING stream=0 len=8",
      undefined,
      undefined,
      "client: stream error on stream 1, PROTOCOL_ERROR: r",
      "server: connection error FLOW_CONTROL_ERROR: q",
      "  stream 3 blocked: its own window has no room",
      "  stream 3 may send again",
      undefined,
      "  connection window has no room: 2 stream(s) with data wait for it",
      "  connection window has room again",
      undefined,
      undefined,
    ])
  })
})
