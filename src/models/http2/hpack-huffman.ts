/**
 * HPACK's Huffman code (RFC 7541 section 5.2 and Appendix B): a static canonical Huffman code over
 * the 256 octet values plus EOS (symbol 256), built for HTTP header text (lower-case letters and
 * digits take 5 or 6 bits, control characters up to 30).
 *
 * The code is canonical: sorted by (length, symbol), each code is the previous one plus one,
 * shifted left by the growth in length. So the 257 code lengths of Appendix B determine every
 * code, and only the lengths are written here; a test checks codes derived this way against
 * Appendix B's for a sample of symbols and against the examples of Appendix C.4 and C.6.
 *
 * Encoding pads the last octet with the most significant bits of EOS (all ones). Decoding rejects,
 * as section 5.2 requires, a string containing EOS, padding longer than 7 bits, and padding that
 * is not all ones.
 */

/** Code length in bits of each symbol 0..256 (256 is EOS), RFC 7541 Appendix B. */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28,
  28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6,
  5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23,
  22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22,
  23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26,
  20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27,
  27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27,
  27, 27, 27, 26, 30,
]

/** The end-of-string symbol. */
export const EOS = 256

/** An HPACK decoding error (a COMPRESSION_ERROR on an HTTP/2 connection). */
export class HpackError extends Error {
  override readonly name = "HpackError"
}

/** The code of each symbol, derived from the lengths (canonical Huffman). */
const CODES: readonly number[] = canonicalCodes(CODE_LENGTHS)

function canonicalCodes(lengths: readonly number[]): number[] {
  const order = lengths.map((_, symbol) => symbol).sort((a, b) => lengths[a]! - lengths[b]! || a - b)
  const codes = new Array<number>(lengths.length).fill(0)
  let code = 0
  let previous = lengths[order[0]!]!
  order.forEach((symbol, i) => {
    const length = lengths[symbol]!
    if (i > 0) code = (code + 1) * 2 ** (length - previous)
    previous = length
    codes[symbol] = code
  })
  return codes
}

/** The code and its length of symbol `symbol` (0..256). */
export function huffmanCode(symbol: number): { readonly code: number; readonly bits: number } {
  return { code: CODES[symbol]!, bits: CODE_LENGTHS[symbol]! }
}

/** The length in octets of `bytes` Huffman-encoded (padding included). */
export function huffmanLength(bytes: Uint8Array): number {
  let bits = 0
  for (const byte of bytes) bits += CODE_LENGTHS[byte]!
  return Math.ceil(bits / 8)
}

/** `bytes` Huffman-encoded, the last octet padded with ones (EOS's leading bits). */
export function huffmanEncode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanLength(bytes))
  let accumulator = 0 // bits not yet written, at most 7 + 30
  let pending = 0
  let at = 0
  for (const byte of bytes) {
    const bits = CODE_LENGTHS[byte]!
    accumulator = accumulator * 2 ** bits + CODES[byte]!
    pending += bits
    while (pending >= 8) {
      pending -= 8
      const top = Math.floor(accumulator / 2 ** pending)
      out[at++] = top
      accumulator -= top * 2 ** pending
    }
  }
  if (pending > 0) out[at++] = accumulator * 2 ** (8 - pending) + (2 ** (8 - pending) - 1)
  return out
}

/** Per code length: the first code of that length and the symbols of that length in code order. */
const DECODE_TABLE: ReadonlyMap<number, { readonly first: number; readonly symbols: readonly number[] }> = (() => {
  const table = new Map<number, { first: number; symbols: number[] }>()
  // In (length, symbol) order the codes of one length are consecutive, from the first.
  const order = CODE_LENGTHS.map((_, symbol) => symbol).sort((a, b) => CODE_LENGTHS[a]! - CODE_LENGTHS[b]! || a - b)
  for (const symbol of order) {
    const bits = CODE_LENGTHS[symbol]!
    const entry = table.get(bits) ?? { first: CODES[symbol]!, symbols: [] }
    entry.symbols.push(symbol)
    table.set(bits, entry)
  }
  return table
})()

/**
 * Decodes a Huffman-encoded string.
 * @throws HpackError on EOS inside the string, padding over 7 bits, or padding not all ones
 */
export function huffmanDecode(encoded: Uint8Array): Uint8Array {
  const out: number[] = []
  let code = 0
  let bits = 0
  for (const byte of encoded) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1)
      bits++
      const entry = DECODE_TABLE.get(bits)
      if (entry === undefined || code < entry.first || code >= entry.first + entry.symbols.length) {
        if (bits > 30) throw new HpackError("invalid Huffman code")
        continue
      }
      const symbol = entry.symbols[code - entry.first]!
      if (symbol === EOS) throw new HpackError("Huffman-encoded string contains EOS")
      out.push(symbol)
      code = 0
      bits = 0
    }
  }
  if (bits > 7) throw new HpackError(`Huffman padding of ${bits} bits (at most 7 allowed)`)
  if (code !== 2 ** bits - 1) throw new HpackError("Huffman padding is not the most significant bits of EOS")
  return Uint8Array.from(out)
}
