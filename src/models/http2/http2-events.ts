/**
 * The typed trace of the HTTP/2 models (docs/http2.md): what the HPACK scenario and the
 * flow-control scenario record.
 */
import type { RepresentationKind } from "./hpack.ts"
import type { Http2ErrorCode, Http2Frame } from "./http2-frames.ts"

/** The client's encoder wrote a header block (request `block`, from 1). */
export interface HeaderBlockEncoded {
  readonly type: "HeaderBlockEncoded"
  readonly block: number
  readonly fields: number
  /** The block's octets. */
  readonly octets: number
  /** The fields' names and values in octets, uncompressed. */
  readonly plainOctets: number
  /** The encoder's dynamic table after the block: its size in octets and its entries. */
  readonly tableOctets: number
  readonly tableEntries: number
}

/** One field of a block and how the encoder represented it. */
export interface FieldEncoded {
  readonly type: "FieldEncoded"
  readonly block: number
  readonly name: string
  readonly value: string
  readonly representation: RepresentationKind
  /** The index used (the field's, or its name's; 0 for a new name). */
  readonly index: number
  readonly octets: number
}

/** The server's decoder read the block back: whether it equals what was sent, and whether the tables agree. */
export interface HeaderBlockDecoded {
  readonly type: "HeaderBlockDecoded"
  readonly block: number
  readonly fieldsMatch: boolean
  readonly tablesMatch: boolean
  /** The decoder's error, when decoding failed. */
  readonly error?: string
}

/** The two ends of a connection: the client opens the streams and sends their DATA. */
export type Http2Endpoint = "client" | "server"

/** An endpoint handed a frame to the transport. */
export interface FrameSent {
  readonly type: "FrameSent"
  readonly by: Http2Endpoint
  readonly frame: Http2Frame
}

/** A frame reached an endpoint. */
export interface FrameReceived {
  readonly type: "FrameReceived"
  readonly by: Http2Endpoint
  readonly frame: Http2Frame
}

/** An endpoint found a stream or connection error (and answers with RST_STREAM or GOAWAY). */
export interface Http2ErrorDetected {
  readonly type: "Http2ErrorDetected"
  readonly by: Http2Endpoint
  readonly scope: "stream" | "connection"
  /** The stream reset (0 for a connection error). */
  readonly stream: number
  readonly error: Http2ErrorCode
  readonly reason: string
}

/** The client's send window of `stream` (0: the connection) changed to `window` octets. */
export interface SendWindowChanged {
  readonly type: "SendWindowChanged"
  readonly stream: number
  readonly window: number
}

/** The client has DATA for `stream` but its own window has no room. */
export interface StreamBlocked {
  readonly type: "StreamBlocked"
  readonly stream: number
}

/** `stream`'s own window has room again (`credit`), or it sends no more (`ended`: done or reset). */
export interface StreamUnblocked {
  readonly type: "StreamUnblocked"
  readonly stream: number
  readonly why: "credit" | "ended"
}

/** The connection window has no room, and `waiting` streams with data and room in their own windows wait for it. */
export interface ConnectionBlocked {
  readonly type: "ConnectionBlocked"
  readonly waiting: number
}

/** No stream waits for the connection window any more. */
export interface ConnectionUnblocked {
  readonly type: "ConnectionUnblocked"
}

/** The server's application read `octets` of `stream`'s data. */
export interface DataConsumed {
  readonly type: "DataConsumed"
  readonly stream: number
  readonly octets: number
}

/** What the flow-control scenario records. */
export type FlowControlEvent =
  | FrameSent
  | FrameReceived
  | Http2ErrorDetected
  | SendWindowChanged
  | StreamBlocked
  | StreamUnblocked
  | ConnectionBlocked
  | ConnectionUnblocked
  | DataConsumed

/** Everything the HTTP/2 models record. */
export type Http2Event = HeaderBlockEncoded | FieldEncoded | HeaderBlockDecoded | FlowControlEvent
