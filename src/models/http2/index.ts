/** HTTP/2 pieces: HPACK header compression (RFC 7541); frames and flow control (RFC 9113). */
export { EOS, huffmanCode, huffmanDecode, huffmanEncode, huffmanLength } from "./hpack-huffman.ts"
export { DynamicTable, entrySize, type HeaderField, octets, STATIC_TABLE } from "./hpack-table.ts"
export {
  decodeInteger,
  encodeInteger,
  fromHex,
  type HeaderBlock,
  HpackDecoder,
  HpackEncoder,
  type HpackEncoderOptions,
  HpackError,
  type Representation,
  type RepresentationKind,
  toHex,
} from "./hpack.ts"
export { checkHpackRoundTrip, checkTableWithinLimit } from "./http2-checks.ts"
export type {
  ConnectionBlocked,
  ConnectionUnblocked,
  DataConsumed,
  FieldEncoded,
  FlowControlEvent,
  FrameReceived,
  FrameSent,
  HeaderBlockDecoded,
  HeaderBlockEncoded,
  Http2Endpoint,
  Http2ErrorDetected,
  Http2Event,
  SendWindowChanged,
  StreamBlocked,
  StreamUnblocked,
} from "./http2-events.ts"
export { http2TimelineLine, representationWords } from "./http2-timeline.ts"
export {
  type BlockSummary,
  type EncodedBlock,
  HpackResult,
  HpackScenario,
  type HpackScenarioOptions,
} from "./hpack-scenario.ts"
export { browserRequests } from "./browser-requests.ts"
export * from "./http2-frames.ts"
export { type DueUpdate, type FlowOutcome, ReceiveWindows, SendWindows } from "./flow-windows.ts"
export { type FrameTransport, inOrderLink, type InOrderLinkOptions } from "./frame-transport.ts"
export { Http2Client, type Http2ClientOptions, uploadRequest } from "./http2-client.ts"
export { type BadUpdate, Http2Server, type Http2ServerOptions, type SettingsChange } from "./http2-server.ts"
export {
  type CreditStep,
  type FlowError,
  FlowControlResult,
  FlowControlScenario,
  type FlowControlScenarioOptions,
  type WindowPoint,
} from "./flow-control-scenario.ts"
export { checkConnectionWindowRespected, checkStreamWindowRespected } from "./flow-control-checks.ts"
export { flowControlTimelineLine } from "./flow-control-timeline.ts"
export { type PageResource, pageResources, http1HeaderBytes, pageHeaderBytes } from "./page-resources.ts"
export type {
  PageConnectionOpened,
  PageEvent,
  PageFirstByteReceived,
  PageHoleClosed,
  PageHoleOpened,
  PageRequestSent,
  PageResourceLoaded,
} from "./page-events.ts"
export { PageResult, type PageResultFields, type ResourceTiming } from "./page-result.ts"
export {
  CHROME_CONNECTION_WINDOW_BYTES,
  CHROME_STREAM_WINDOW_BYTES,
  PAGE_PROTOCOLS,
  type PageProtocol,
  PageScenario,
  type PageScenarioOptions,
} from "./page-scenario.ts"
export { StreamLayout } from "./stream-layout.ts"
export { tcpFrameTransport } from "./tcp-frame-transport.ts"
export { checkEveryResourceLoaded, checkResponsesInOrder } from "./page-checks.ts"
export { pageTimelineLine } from "./page-timeline.ts"
