/**
 * HPACK (RFC 7541): header compression for HTTP/2, the encoder and the decoder of one direction
 * of a connection, each with its own dynamic table kept in step by the header blocks.
 *
 * Wire format (section 6): a header block is a sequence of representations, each starting with a
 * pattern in its first octet and an integer with an N-bit prefix (section 5.1):
 *
 * | first bits | representation | prefix |
 * |---|---|---|
 * | `1` | indexed field (index ≥ 1) | 7 |
 * | `01` | literal with incremental indexing (the field is added to the dynamic table) | 6 |
 * | `0000` | literal without indexing | 4 |
 * | `0001` | literal never indexed (intermediaries must not index it either) | 4 |
 * | `001` | dynamic table size update (only at the start of a block) | 5 |
 *
 * A literal's name is an index (its name only) or, with index 0, a string; a string is a Huffman
 * flag, a length with a 7-bit prefix, and the octets (section 5.2).
 *
 * The encoder's choices (the RFC leaves them to the encoder): a field found with its value in
 * either table is sent indexed (the lowest index, static first); otherwise as a literal with
 * incremental indexing, naming the lowest index that has its name; a field whose entry would be
 * larger than the whole table is sent without indexing (as Go's and nghttp2's encoders do, so it
 * does not empty the table); a field whose name is in the never-index set is sent never indexed
 * and never looked up by value. With Huffman on, a string is Huffman-coded unless that is longer
 * (a tie is Huffman-coded: C.6.2 codes "307" in 3 octets either way). These choices reproduce RFC
 * 7541 Appendix C byte for byte.
 */
import { HpackError, huffmanDecode, huffmanEncode, huffmanLength } from "./hpack-huffman.ts"
import { DynamicTable, type HeaderField, octets } from "./hpack-table.ts"

export { HpackError } from "./hpack-huffman.ts"

/** The kinds of representation (RFC 7541 section 6). */
export type RepresentationKind =
  "indexed" | "literal-incremental" | "literal-without-indexing" | "literal-never-indexed" | "size-update"

/** One representation of a header block, as encoded or decoded. */
export interface Representation {
  readonly kind: RepresentationKind
  /** The index (indexed), the name's index (a literal; 0 for a new name), or the new size (size update). */
  readonly index: number
  /** The field (undefined for a size update). */
  readonly field?: HeaderField
  /** Whether the name string (literal with a new name) and the value string are Huffman-coded. */
  readonly huffmanName?: boolean
  readonly huffmanValue?: boolean
  /** This representation's octets. */
  readonly bytes: Uint8Array
}

/** An encoded or decoded header block. */
export interface HeaderBlock {
  readonly representations: readonly Representation[]
  /** The block's octets. */
  readonly bytes: Uint8Array
  /** The fields, in order. */
  readonly fields: readonly HeaderField[]
}

/** `value` as an integer with an N-bit prefix (section 5.1), `flags` in the prefix's high bits. */
export function encodeInteger(value: number, prefixBits: number, flags = 0): number[] {
  const limit = 2 ** prefixBits - 1
  if (value < limit) return [flags | value]
  const out = [flags | limit]
  let rest = value - limit
  while (rest >= 128) {
    out.push((rest % 128) + 128)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
  return out
}

/** The largest integer a decoder accepts (2^32 − 1): larger is a decoding error, as in real decoders. */
const MAX_INTEGER = 2 ** 32 - 1

/**
 * Reads an integer with an N-bit prefix at `at`.
 * @throws HpackError when the block ends inside it or it exceeds 2^32 − 1
 */
export function decodeInteger(bytes: Uint8Array, at: number, prefixBits: number): { value: number; next: number } {
  const limit = 2 ** prefixBits - 1
  let value = bytes[at]! & limit
  let next = at + 1
  if (value < limit) return { value, next }
  let scale = 1
  for (;;) {
    if (next >= bytes.length) throw new HpackError("header block ends inside an integer")
    const byte = bytes[next++]!
    value += (byte & 127) * scale
    scale *= 128
    if (value > MAX_INTEGER) throw new HpackError("integer larger than 2^32 - 1")
    if ((byte & 128) === 0) return { value, next }
  }
}

function encodeString(text: string, huffman: boolean): { bytes: number[]; huffman: boolean } {
  const raw = octets(text)
  const useHuffman = huffman && huffmanLength(raw) <= raw.length
  const body = useHuffman ? huffmanEncode(raw) : raw
  return { bytes: [...encodeInteger(body.length, 7, useHuffman ? 0x80 : 0), ...body], huffman: useHuffman }
}

function decodeString(bytes: Uint8Array, at: number): { text: string; huffman: boolean; next: number } {
  if (at >= bytes.length) throw new HpackError("header block ends before a string")
  const huffman = (bytes[at]! & 0x80) !== 0
  const { value: length, next } = decodeInteger(bytes, at, 7)
  if (next + length > bytes.length) throw new HpackError(`string of ${length} octets runs past the block's end`)
  const body = bytes.subarray(next, next + length)
  const decoded = huffman ? huffmanDecode(body) : body
  return { text: new TextDecoder("utf-8", { fatal: false }).decode(decoded), huffman, next: next + length }
}

const LITERAL_PATTERN: Readonly<Record<string, { flags: number; prefix: number }>> = {
  "literal-incremental": { flags: 0x40, prefix: 6 },
  "literal-without-indexing": { flags: 0x00, prefix: 4 },
  "literal-never-indexed": { flags: 0x10, prefix: 4 },
}

/** Options of an {@link HpackEncoder}. */
export interface HpackEncoderOptions {
  /** The dynamic table's maximum size in octets (SETTINGS_HEADER_TABLE_SIZE of the peer). Default 4096. */
  readonly tableSize?: number
  /** Huffman-code strings unless that is longer. Default true. */
  readonly huffman?: boolean
  /** Names always sent as never-indexed literals (e.g. `authorization`, `cookie`). Default none. */
  readonly neverIndex?: readonly string[]
}

/** The encoder of one direction of a connection. */
export class HpackEncoder {
  readonly table: DynamicTable
  private readonly huffman: boolean
  private readonly neverIndex: ReadonlySet<string>
  private pendingSizeUpdates: number[] = []

  constructor(options: HpackEncoderOptions = {}) {
    this.table = new DynamicTable(options.tableSize ?? 4096)
    this.huffman = options.huffman ?? true
    this.neverIndex = new Set(options.neverIndex ?? [])
  }

  /** Lowers or raises the table's size (within the peer's limit): signalled at the start of the next block. */
  resizeTable(size: number): void {
    this.pendingSizeUpdates.push(size)
  }

  /** Encodes `fields` as one header block, updating the dynamic table. */
  encode(fields: readonly HeaderField[]): HeaderBlock {
    const representations: Representation[] = []
    // Several changes between blocks: the smallest, then the final one (RFC 7541 section 4.2).
    const updates = this.pendingSizeUpdates
    this.pendingSizeUpdates = []
    const smallest = Math.min(...updates)
    const sizes =
      updates.length === 0 ? [] : smallest < updates.at(-1)! ? [smallest, updates.at(-1)!] : [updates.at(-1)!]
    for (const size of sizes) {
      this.table.resize(size)
      representations.push({ kind: "size-update", index: size, bytes: Uint8Array.from(encodeInteger(size, 5, 0x20)) })
    }
    for (const field of fields) representations.push(this.encodeField(field))
    return { representations, bytes: concat(representations.map((r) => r.bytes)), fields: [...fields] }
  }

  private encodeField(field: HeaderField): Representation {
    const sensitive = this.neverIndex.has(field.name)
    const found = this.table.find(field)
    if (found.exact && !sensitive) {
      return { kind: "indexed", index: found.index, field, bytes: Uint8Array.from(encodeInteger(found.index, 7, 0x80)) }
    }
    const kind: RepresentationKind = sensitive
      ? "literal-never-indexed"
      : octets(field.name).length + octets(field.value).length + 32 > this.table.maxSize
        ? "literal-without-indexing"
        : "literal-incremental"
    const { flags, prefix } = LITERAL_PATTERN[kind]!
    const bytes = encodeInteger(found.index, prefix, flags)
    let huffmanName: boolean | undefined
    if (found.index === 0) {
      const name = encodeString(field.name, this.huffman)
      bytes.push(...name.bytes)
      huffmanName = name.huffman
    }
    const value = encodeString(field.value, this.huffman)
    bytes.push(...value.bytes)
    if (kind === "literal-incremental") this.table.add(field)
    return {
      kind,
      index: found.index,
      field,
      ...(huffmanName === undefined ? {} : { huffmanName }),
      huffmanValue: value.huffman,
      bytes: Uint8Array.from(bytes),
    }
  }
}

/** The decoder of one direction of a connection. */
export class HpackDecoder {
  readonly table: DynamicTable

  /** @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE this side announced: no size update may exceed it. Default 4096. */
  constructor(private readonly maxTableSize = 4096) {
    this.table = new DynamicTable(maxTableSize)
  }

  /**
   * Decodes one header block, updating the dynamic table.
   * @throws HpackError on any decoding error (index 0 or out of range, a size update after a field
   *   or above the limit, a truncated block, bad Huffman): a COMPRESSION_ERROR in HTTP/2
   */
  decode(bytes: Uint8Array): HeaderBlock {
    const representations: Representation[] = []
    let at = 0
    while (at < bytes.length) {
      const start = at
      const decoded = this.decodeOne(
        bytes,
        at,
        representations.length === 0 || representations.every((r) => r.kind === "size-update"),
      )
      at = decoded.next
      representations.push({ ...decoded.representation, bytes: bytes.slice(start, at) })
    }
    const fields = representations.flatMap((r) => (r.field === undefined ? [] : [r.field]))
    return { representations, bytes: bytes.slice(), fields }
  }

  private decodeOne(
    bytes: Uint8Array,
    at: number,
    atBlockStart: boolean,
  ): { representation: Omit<Representation, "bytes">; next: number } {
    const first = bytes[at]!
    if ((first & 0x80) !== 0) {
      const { value: index, next } = decodeInteger(bytes, at, 7)
      const field = this.table.at(index)
      if (index === 0 || field === undefined) throw new HpackError(`index ${index} is not in the tables`)
      return { representation: { kind: "indexed", index, field }, next }
    }
    if ((first & 0xe0) === 0x20) {
      const { value: size, next } = decodeInteger(bytes, at, 5)
      if (!atBlockStart) throw new HpackError("a dynamic table size update after a header field")
      if (size > this.maxTableSize)
        throw new HpackError(`dynamic table size update to ${size} exceeds the limit ${this.maxTableSize}`)
      this.table.resize(size)
      return { representation: { kind: "size-update", index: size }, next }
    }
    const kind: RepresentationKind =
      (first & 0xc0) === 0x40
        ? "literal-incremental"
        : (first & 0xf0) === 0x10
          ? "literal-never-indexed"
          : "literal-without-indexing"
    return this.decodeLiteral(bytes, at, kind)
  }

  private decodeLiteral(
    bytes: Uint8Array,
    at: number,
    kind: RepresentationKind,
  ): { representation: Omit<Representation, "bytes">; next: number } {
    const { value: index, next: afterIndex } = decodeInteger(bytes, at, LITERAL_PATTERN[kind]!.prefix)
    let next = afterIndex
    let name: string
    let huffmanName: boolean | undefined
    if (index === 0) {
      const decoded = decodeString(bytes, next)
      name = decoded.text
      huffmanName = decoded.huffman
      next = decoded.next
    } else {
      const entry = this.table.at(index)
      if (entry === undefined) throw new HpackError(`name index ${index} is not in the tables`)
      name = entry.name
    }
    const value = decodeString(bytes, next)
    const field = { name, value: value.text }
    if (kind === "literal-incremental") this.table.add(field)
    const representation = {
      kind,
      index,
      field,
      ...(huffmanName === undefined ? {} : { huffmanName }),
      huffmanValue: value.huffman,
    }
    return { representation, next: value.next }
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** Octets as lowercase hex without spaces. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
}

/** Lowercase or uppercase hex, spaces allowed, as octets. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "")
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) => parseInt(clean.slice(2 * i, 2 * i + 2), 16))
}
