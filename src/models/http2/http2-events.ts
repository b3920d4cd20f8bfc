/**
 * The typed trace of the HTTP/2 models (docs/http2.md): what the HPACK scenario records.
 */
import type { RepresentationKind } from "./hpack.ts"

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

/** Everything the HTTP/2 models record. */
export type Http2Event = HeaderBlockEncoded | FieldEncoded | HeaderBlockDecoded
