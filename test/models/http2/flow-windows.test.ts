/**
 * HTTP/2 flow control, rule by rule: the numeric acceptance tests of docs/http2.md ("Flow control"),
 * which reproduce RFC 9113's rules and its example of a SETTINGS decrease, exactly.
 */
import { describe, expect, it } from "vitest"
import {
  DEFAULT_INITIAL_WINDOW,
  frameOctets,
  flowControlledOctets,
  maxFrameSizeProblem,
  MAX_WINDOW,
  payloadOctets,
  ReceiveWindows,
  SendWindows,
} from "../../../src/models/http2/index.ts"

/** Sends DATA on `stream` in frames of at most `maxFrame` while credit lasts; returns the frames' lengths. */
function sendAll(windows: SendWindows, stream: number, want: number, maxFrame = 16_384): number[] {
  const frames: number[] = []
  let left = want
  while (left > 0 && windows.available(stream) > 0) {
    const length = Math.min(left, windows.available(stream), maxFrame)
    windows.consume(stream, length)
    frames.push(length)
    left -= length
  }
  return frames
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

describe("frames", () => {
  it("every frame has a 9-octet header; WINDOW_UPDATE's payload is 4 octets, RST_STREAM's 4, GOAWAY's and PING's 8", () => {
    expect(frameOctets({ kind: "WINDOW_UPDATE", stream: 1, increment: 5 })).toBe(13)
    expect(frameOctets({ kind: "RST_STREAM", stream: 1, error: "NO_ERROR" })).toBe(13)
    expect(frameOctets({ kind: "GOAWAY", lastStream: 1, error: "NO_ERROR" })).toBe(17)
    expect(frameOctets({ kind: "PING", ack: false })).toBe(17)
    expect(frameOctets({ kind: "SETTINGS", ack: true, settings: {} })).toBe(9)
    expect(
      frameOctets({ kind: "SETTINGS", ack: false, settings: { initialWindowSize: 1, maxFrameSize: 16_384 } }),
    ).toBe(21)
    expect(frameOctets({ kind: "HEADERS", stream: 1, blockOctets: 17, endStream: false })).toBe(26)
  })

  it("a padded DATA frame's whole payload counts against the windows: data, the Pad Length octet and the padding", () => {
    const padded = { kind: "DATA", stream: 1, length: 100, padding: 20, endStream: false } as const
    expect(payloadOctets(padded)).toBe(121)
    expect(flowControlledOctets(padded)).toBe(121)
    expect(flowControlledOctets({ kind: "DATA", stream: 1, length: 100, endStream: true })).toBe(100)
    expect(flowControlledOctets({ kind: "HEADERS", stream: 1, blockOctets: 100, endStream: false })).toBe(0)
    expect(flowControlledOctets({ kind: "WINDOW_UPDATE", stream: 0, increment: 100 })).toBe(0)
  })

  it("SETTINGS_MAX_FRAME_SIZE must be within 16,384 … 16,777,215", () => {
    expect(maxFrameSizeProblem(16_384)).toBeUndefined()
    expect(maxFrameSizeProblem(16_777_215)).toBeUndefined()
    expect(maxFrameSizeProblem(16_383)).toContain("16384…16777215, got 16383")
    expect(maxFrameSizeProblem(16_777_216)).toContain("got 16777216")
  })
})

describe("flow control: the numeric acceptance tests", () => {
  it("one stream, defaults, wants 100,000 octets: sends 65,535, then blocks until a WINDOW_UPDATE", () => {
    const windows = new SendWindows()
    windows.open(1)
    const frames = sendAll(windows, 1, 100_000)
    expect(sum(frames)).toBe(65_535)
    expect(windows.available(1)).toBe(0)
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 34_465 })).toEqual({ kind: "ok" })
    expect(windows.available(1)).toBe(0) // the connection window is spent too
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: 34_465 })
    expect(sum(sendAll(windows, 1, 100_000 - 65_535))).toBe(34_465)
  })

  it("max frame 16,384 and a window of 65,535: 3 frames of 16,384 and 1 of 16,383", () => {
    const windows = new SendWindows()
    windows.open(1)
    expect(sendAll(windows, 1, 100_000)).toEqual([16_384, 16_384, 16_384, 16_383])
  })

  it("two streams, defaults, each wants 65,535: only 65,535 octets in all before a connection WINDOW_UPDATE", () => {
    const windows = new SendWindows()
    windows.open(1)
    windows.open(3)
    const first = sendAll(windows, 1, 40_000)
    const second = sendAll(windows, 3, 65_535)
    expect(sum(first) + sum(second)).toBe(65_535)
    expect([windows.window(1), windows.window(3), windows.connection]).toEqual([25_535, 40_000, 0])
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: 25_535 })
    expect(sum(sendAll(windows, 1, 25_535))).toBe(25_535)
  })

  it("SETTINGS_INITIAL_WINDOW_SIZE 65,535 → 16,384 after 61,440 sent: window −45,056, no DATA until updates exceed 45,056", () => {
    const windows = new SendWindows()
    windows.open(1)
    expect(sum(sendAll(windows, 1, 61_440))).toBe(61_440)
    expect(windows.applyInitialWindowSize(16_384)).toEqual({ kind: "ok" })
    expect(windows.window(1)).toBe(-45_056)
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: 1_000_000 })
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 45_056 })
    expect(windows.window(1)).toBe(0)
    expect(windows.available(1)).toBe(0)
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 1 })
    expect(windows.available(1)).toBe(1)
    // The connection window does not follow SETTINGS; a stream opened now starts at 16,384.
    windows.open(3)
    expect(windows.window(3)).toBe(16_384)
  })

  it("WINDOW_UPDATE increment 0: on stream 3 a stream error PROTOCOL_ERROR, on stream 0 a connection error PROTOCOL_ERROR", () => {
    const windows = new SendWindows()
    windows.open(1)
    windows.open(3)
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 3, increment: 0 })).toMatchObject({
      kind: "stream-error",
      stream: 3,
      error: "PROTOCOL_ERROR",
    })
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: 0 })).toMatchObject({
      kind: "connection-error",
      error: "PROTOCOL_ERROR",
    })
  })

  it("stream window 2^31−1−10 and a WINDOW_UPDATE of 11: stream error FLOW_CONTROL_ERROR (RST_STREAM)", () => {
    const windows = new SendWindows()
    windows.open(1)
    const increment = MAX_WINDOW - 10 - DEFAULT_INITIAL_WINDOW
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment })).toEqual({ kind: "ok" })
    expect(windows.window(1)).toBe(2 ** 31 - 1 - 10)
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 10 })).toEqual({ kind: "ok" })
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 1 })).toMatchObject({
      kind: "stream-error",
      stream: 1,
      error: "FLOW_CONTROL_ERROR",
    })
    expect(windows.window(1)).toBe(MAX_WINDOW)

    const again = new SendWindows()
    again.open(1)
    again.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment })
    expect(again.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 11 })).toMatchObject({
      kind: "stream-error",
      error: "FLOW_CONTROL_ERROR",
    })
    expect(again.window(1)).toBe(MAX_WINDOW - 10)
  })
})

describe("flow control: the other rules", () => {
  it("an overflowing update on stream 0 is a connection error FLOW_CONTROL_ERROR (GOAWAY)", () => {
    const windows = new SendWindows()
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 0, increment: MAX_WINDOW })).toMatchObject({
      kind: "connection-error",
      error: "FLOW_CONTROL_ERROR",
    })
    expect(windows.connection).toBe(DEFAULT_INITIAL_WINDOW)
  })

  it("SETTINGS_INITIAL_WINDOW_SIZE above 2^31−1, or one taking a window past it, is a connection error FLOW_CONTROL_ERROR", () => {
    const windows = new SendWindows()
    windows.open(1)
    expect(windows.applyInitialWindowSize(2 ** 31)).toMatchObject({
      kind: "connection-error",
      error: "FLOW_CONTROL_ERROR",
    })
    windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 1_000_000 })
    expect(windows.applyInitialWindowSize(MAX_WINDOW)).toMatchObject({
      kind: "connection-error",
      error: "FLOW_CONTROL_ERROR",
    })
    expect(windows.window(1)).toBe(1_065_535)
    expect(windows.applyInitialWindowSize(MAX_WINDOW - 1_000_000)).toEqual({ kind: "ok" })
    expect(windows.window(1)).toBe(MAX_WINDOW)
  })

  it("a WINDOW_UPDATE whose payload is not 4 octets is a connection error FRAME_SIZE_ERROR", () => {
    const windows = new SendWindows()
    windows.open(1)
    expect(
      windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 5, payloadOctets: 5 }),
    ).toMatchObject({
      kind: "connection-error",
      error: "FRAME_SIZE_ERROR",
    })
  })

  it("a WINDOW_UPDATE on a stream that sends no more (ended or reset) is not an error; on an idle stream it is", () => {
    const windows = new SendWindows()
    windows.open(1)
    windows.close(1)
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 1, increment: 5 })).toMatchObject({
      kind: "ignored",
    })
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 5, increment: 5 })).toMatchObject({
      kind: "connection-error",
      error: "PROTOCOL_ERROR",
    })
    // Even with increment 0: any frame but HEADERS on an idle stream is a connection error.
    expect(windows.applyWindowUpdate({ kind: "WINDOW_UPDATE", stream: 7, increment: 0 })).toMatchObject({
      kind: "connection-error",
      error: "PROTOCOL_ERROR",
      reason: "WINDOW_UPDATE on idle stream 7",
    })
  })

  it("the delta rule moves only the streams that can still send", () => {
    const windows = new SendWindows()
    windows.open(1)
    windows.open(3)
    windows.consume(1, 1000)
    windows.close(3)
    windows.applyInitialWindowSize(70_000)
    expect(windows.window(1)).toBe(65_535 - 1000 + 70_000 - 65_535)
    expect(windows.window(3)).toBeUndefined()
  })

  it("the receiver counts DATA on a closed stream against the connection window, and gives it back", () => {
    const windows = new ReceiveWindows()
    windows.open(1)
    expect(windows.receiveData(1, 1000)).toEqual({ kind: "ok" })
    windows.close(1)
    expect(windows.receiveData(1, 500)).toMatchObject({ kind: "stream-error", error: "STREAM_CLOSED" })
    expect(windows.connection).toBe(65_535 - 1500)
    windows.consumed(1, 1000)
    expect(windows.takeDueUpdates(0.01)).toEqual([{ stream: 0, increment: 1500 }])
    expect(windows.connection).toBe(65_535)
  })

  it("the receiver detects DATA beyond a window: FLOW_CONTROL_ERROR on the stream, or on the connection", () => {
    const windows = new ReceiveWindows()
    windows.open(1)
    windows.applyInitialWindowSize(100)
    expect(windows.receiveData(1, 101)).toMatchObject({ kind: "stream-error", stream: 1, error: "FLOW_CONTROL_ERROR" })
    const other = new ReceiveWindows()
    other.open(1)
    other.open(3)
    other.receiveData(1, 60_000)
    expect(other.receiveData(3, 6_000)).toMatchObject({ kind: "connection-error", error: "FLOW_CONTROL_ERROR" })
  })

  it("the receiver's policy: an update once consumed credit reaches the threshold of the window, for all of it", () => {
    const windows = new ReceiveWindows()
    windows.open(1)
    windows.receiveData(1, 30_000)
    windows.consumed(1, 30_000)
    expect(windows.takeDueUpdates(0.5)).toEqual([])
    windows.receiveData(1, 3_000)
    windows.consumed(1, 3_000)
    expect(windows.takeDueUpdates(0.5)).toEqual([
      { stream: 0, increment: 33_000 },
      { stream: 1, increment: 33_000 },
    ])
    expect([windows.connection, windows.window(1)]).toEqual([65_535, 65_535])
  })
})
