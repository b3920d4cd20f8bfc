/** HTTP/2 pieces: HPACK header compression (RFC 7541). */
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
export type { FieldEncoded, HeaderBlockDecoded, HeaderBlockEncoded, Http2Event } from "./http2-events.ts"
export { http2TimelineLine, representationWords } from "./http2-timeline.ts"
export {
  type BlockSummary,
  type EncodedBlock,
  HpackResult,
  HpackScenario,
  type HpackScenarioOptions,
} from "./hpack-scenario.ts"
export { browserRequests } from "./browser-requests.ts"
