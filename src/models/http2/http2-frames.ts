/**
 * HTTP/2 frames (RFC 9113 section 6) as typed values with their sizes on the wire: every frame is a
 * 9-octet header (length, type, flags, stream id) and a payload. Only what flow control and the
 * stream states need is modelled: a DATA frame's payload is its length, not its octets, and a
 * HEADERS frame carries the size of its header block (see HPACK in hpack.ts).
 *
 * See docs/http2.md for the flow-control rules these frames drive.
 */

/** Octets of every frame's header: 24-bit length, type, flags, 31-bit stream identifier. */
export const FRAME_HEADER_OCTETS = 9
/** The initial flow-control window of every stream and of the connection (RFC 9113 6.9.2). */
export const DEFAULT_INITIAL_WINDOW = 65_535
/** The largest flow-control window, and the largest WINDOW_UPDATE increment: 2^31 − 1. */
export const MAX_WINDOW = 2 ** 31 - 1
/** SETTINGS_MAX_FRAME_SIZE's initial value, also its smallest allowed value. */
export const DEFAULT_MAX_FRAME_SIZE = 16_384
/** SETTINGS_MAX_FRAME_SIZE's largest allowed value: 2^24 − 1. */
export const MAX_FRAME_SIZE_LIMIT = 16_777_215

/** The error codes this model uses (RFC 9113 section 7). */
export type Http2ErrorCode =
  "NO_ERROR" | "PROTOCOL_ERROR" | "FLOW_CONTROL_ERROR" | "STREAM_CLOSED" | "FRAME_SIZE_ERROR" | "REFUSED_STREAM"

/** A DATA frame: `length` octets of data, optionally padded; the whole payload is flow controlled. */
export interface DataFrame {
  readonly kind: "DATA"
  readonly stream: number
  /** Octets of application data. */
  readonly length: number
  /** Octets of padding (0 … 255); present means the PADDED flag and its one-octet Pad Length field. */
  readonly padding?: number
  readonly endStream: boolean
}

/** A HEADERS frame carrying a header block of `blockOctets` octets (a request's or a response's). */
export interface HeadersFrame {
  readonly kind: "HEADERS"
  readonly stream: number
  readonly blockOctets: number
  readonly endStream: boolean
}

/** The settings this model reads; an absent setting keeps its value. */
export interface Http2Settings {
  readonly initialWindowSize?: number
  readonly maxFrameSize?: number
  readonly maxConcurrentStreams?: number
}

/** A SETTINGS frame on stream 0, or its acknowledgement (empty, `ack` true). */
export interface SettingsFrame {
  readonly kind: "SETTINGS"
  readonly ack: boolean
  readonly settings: Http2Settings
}

/** A WINDOW_UPDATE: `increment` more octets of credit on `stream` (0: the connection). */
export interface WindowUpdateFrame {
  readonly kind: "WINDOW_UPDATE"
  readonly stream: number
  readonly increment: number
  /** The payload's length: 4 in a well-formed frame (a test may send another). Default 4. */
  readonly payloadOctets?: number
}

/** RST_STREAM: ends one stream with an error code. */
export interface RstStreamFrame {
  readonly kind: "RST_STREAM"
  readonly stream: number
  readonly error: Http2ErrorCode
}

/** GOAWAY: ends the connection; streams above `lastStream` were not processed. */
export interface GoawayFrame {
  readonly kind: "GOAWAY"
  readonly lastStream: number
  readonly error: Http2ErrorCode
}

/** PING (8 octets of opaque data), or its acknowledgement. */
export interface PingFrame {
  readonly kind: "PING"
  readonly ack: boolean
}

/** Every frame this model sends. */
export type Http2Frame =
  DataFrame | HeadersFrame | SettingsFrame | WindowUpdateFrame | RstStreamFrame | GoawayFrame | PingFrame

/** The frame types, as RFC 9113 names them. */
export type FrameKind = Http2Frame["kind"]

/** Octets of a setting in a SETTINGS payload: a 16-bit identifier and a 32-bit value. */
const SETTING_OCTETS = 6

/** How many settings `settings` sets. */
function settingCount(settings: Http2Settings): number {
  return [settings.initialWindowSize, settings.maxFrameSize, settings.maxConcurrentStreams].filter(
    (value) => value !== undefined,
  ).length
}

/** The payload's octets: what the frame header's length field says. */
export function payloadOctets(frame: Http2Frame): number {
  switch (frame.kind) {
    case "DATA":
      return frame.length + (frame.padding === undefined ? 0 : 1 + frame.padding)
    case "HEADERS":
      return frame.blockOctets
    case "SETTINGS":
      return frame.ack ? 0 : SETTING_OCTETS * settingCount(frame.settings)
    case "WINDOW_UPDATE":
      return frame.payloadOctets ?? 4
    case "RST_STREAM":
      return 4
    case "GOAWAY":
      return 8
    case "PING":
      return 8
  }
}

/** The frame's octets on the wire: header and payload. */
export function frameOctets(frame: Http2Frame): number {
  return FRAME_HEADER_OCTETS + payloadOctets(frame)
}

/** The octets a frame takes from the flow-control windows: a DATA frame's whole payload, else 0. */
export function flowControlledOctets(frame: Http2Frame): number {
  return frame.kind === "DATA" ? payloadOctets(frame) : 0
}

/** The stream a frame is on (0 for the connection's frames). */
export function frameStream(frame: Http2Frame): number {
  switch (frame.kind) {
    case "DATA":
    case "HEADERS":
    case "WINDOW_UPDATE":
    case "RST_STREAM":
      return frame.stream
    case "SETTINGS":
    case "GOAWAY":
    case "PING":
      return 0
  }
}

function settingsWords(settings: Http2Settings): string {
  const words = [
    settings.initialWindowSize === undefined ? undefined : `INITIAL_WINDOW_SIZE=${settings.initialWindowSize}`,
    settings.maxFrameSize === undefined ? undefined : `MAX_FRAME_SIZE=${settings.maxFrameSize}`,
    settings.maxConcurrentStreams === undefined ? undefined : `MAX_CONCURRENT_STREAMS=${settings.maxConcurrentStreams}`,
  ].filter((word) => word !== undefined)
  return words.length === 0 ? "" : ` ${words.join(" ")}`
}

/**
 * The frame as h2 debugging tools print it, e.g. `DATA stream=1 len=16384 [END_STREAM]` (len is
 * the payload's octets, padding included).
 */
export function describeFrame(frame: Http2Frame): string {
  switch (frame.kind) {
    case "DATA": {
      const padded = frame.padding === undefined ? "" : ` padding=${frame.padding}`
      const flags = [frame.padding === undefined ? "" : "PADDED", frame.endStream ? "END_STREAM" : ""].filter(Boolean)
      return `DATA stream=${frame.stream} len=${payloadOctets(frame)}${padded}${flags.length > 0 ? ` [${flags.join(" ")}]` : ""}`
    }
    case "HEADERS":
      return `HEADERS stream=${frame.stream} len=${frame.blockOctets} [END_HEADERS${frame.endStream ? " END_STREAM" : ""}]`
    case "SETTINGS":
      return frame.ack
        ? "SETTINGS stream=0 len=0 [ACK]"
        : `SETTINGS stream=0 len=${payloadOctets(frame)}${settingsWords(frame.settings)}`
    case "WINDOW_UPDATE":
      return `WINDOW_UPDATE stream=${frame.stream} len=${payloadOctets(frame)} increment=${frame.increment}`
    case "RST_STREAM":
      return `RST_STREAM stream=${frame.stream} len=4 error=${frame.error}`
    case "GOAWAY":
      return `GOAWAY stream=0 len=8 last_stream=${frame.lastStream} error=${frame.error}`
    case "PING":
      return `PING stream=0 len=8${frame.ack ? " [ACK]" : ""}`
  }
}

/** Why a SETTINGS_MAX_FRAME_SIZE value is not allowed (PROTOCOL_ERROR), or undefined when it is. */
export function maxFrameSizeProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= DEFAULT_MAX_FRAME_SIZE && value <= MAX_FRAME_SIZE_LIMIT
    ? undefined
    : `SETTINGS_MAX_FRAME_SIZE must be an integer in ${DEFAULT_MAX_FRAME_SIZE}…${MAX_FRAME_SIZE_LIMIT}, got ${value}`
}
