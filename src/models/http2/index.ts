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
