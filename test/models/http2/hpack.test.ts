/**
 * HPACK against RFC 7541 Appendix C, byte for byte (the encoder's output and the decoder's fields
 * and dynamic table after every block), the decoding errors of sections 4, 5 and 6, and properties
 * over generated header lists and table-size changes.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decodeInteger,
  encodeInteger,
  entrySize,
  fromHex,
  type HeaderField,
  HpackDecoder,
  HpackEncoder,
  HpackError,
  huffmanCode,
  huffmanDecode,
  huffmanEncode,
  octets,
  toHex,
} from "../../../src/models/http2/index.ts"
import { checkProperty } from "../../laws/index.ts"

const testFile = "test/models/http2/hpack.test.ts"

const fields = (...pairs: [string, string][]): HeaderField[] => pairs.map(([name, value]) => ({ name, value }))
const REQUEST_ONE = fields([":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"])
const REQUEST_TWO = [...REQUEST_ONE, ...fields(["cache-control", "no-cache"])]
const REQUEST_THREE = fields(
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
)
const REQUEST_TABLES: [string, string, number][][] = [
  [[":authority", "www.example.com", 57]],
  [
    ["cache-control", "no-cache", 53],
    [":authority", "www.example.com", 57],
  ],
  [
    ["custom-key", "custom-value", 54],
    ["cache-control", "no-cache", 53],
    [":authority", "www.example.com", 57],
  ],
]
const DATE_1 = "Mon, 21 Oct 2013 20:13:21 GMT"
const DATE_2 = "Mon, 21 Oct 2013 20:13:22 GMT"
const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"
const RESPONSE_ONE = fields(
  [":status", "302"],
  ["cache-control", "private"],
  ["date", DATE_1],
  ["location", "https://www.example.com"],
)
const RESPONSE_TWO = [...fields([":status", "307"]), ...RESPONSE_ONE.slice(1)]
const RESPONSE_THREE = fields(
  [":status", "200"],
  ["cache-control", "private"],
  ["date", DATE_2],
  ["location", "https://www.example.com"],
  ["content-encoding", "gzip"],
  ["set-cookie", COOKIE],
)
const RESPONSE_TABLES: [string, string, number][][] = [
  [
    ["location", "https://www.example.com", 63],
    ["date", DATE_1, 65],
    ["cache-control", "private", 52],
    [":status", "302", 42],
  ],
  [
    [":status", "307", 42],
    ["location", "https://www.example.com", 63],
    ["date", DATE_1, 65],
    ["cache-control", "private", 52],
  ],
  [
    ["set-cookie", COOKIE, 98],
    ["content-encoding", "gzip", 52],
    ["date", DATE_2, 65],
  ],
]

/** RFC 7541 C.3 to C.6: table size, Huffman, the three blocks, the lists, the tables after each. */
const CHAINS: Record<string, [number, boolean, string[], HeaderField[][], [string, string, number][][]]> = {
  "C.3": [
    4096,
    false,
    [
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "8286 84be 5808 6e6f 2d63 6163 6865",
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    ],
    [REQUEST_ONE, REQUEST_TWO, REQUEST_THREE],
    REQUEST_TABLES,
  ],
  "C.4": [
    4096,
    true,
    [
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
      "8286 84be 5886 a8eb 1064 9cbf",
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ],
    [REQUEST_ONE, REQUEST_TWO, REQUEST_THREE],
    REQUEST_TABLES,
  ],
  "C.5": [
    256,
    false,
    [
      "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32" +
        "3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "4803 3330 37c1 c0bf",
      "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970" +
        "7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61" +
        "6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    ],
    [RESPONSE_ONE, RESPONSE_TWO, RESPONSE_THREE],
    RESPONSE_TABLES,
  ],
  "C.6": [
    256,
    true,
    [
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad" +
        "1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
      "4883 640e ffc1 c0bf",
      "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2" +
        "e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ],
    [RESPONSE_ONE, RESPONSE_TWO, RESPONSE_THREE],
    RESPONSE_TABLES,
  ],
}

const tableOf = (table: { fields: readonly HeaderField[] }) =>
  table.fields.map((f) => [f.name, f.value, entrySize(f)] as [string, string, number])

describe("HPACK integers (RFC 7541 C.1)", () => {
  it("encodes 10 and 1337 with a 5-bit prefix and 42 with an 8-bit prefix, and decodes them back", () => {
    expect(encodeInteger(10, 5)).toEqual([0x0a])
    expect(encodeInteger(1337, 5)).toEqual([0x1f, 0x9a, 0x0a])
    expect(encodeInteger(42, 8)).toEqual([0x2a])
    expect(decodeInteger(Uint8Array.from([0x1f, 0x9a, 0x0a]), 0, 5)).toEqual({ value: 1337, next: 3 })
  })

  it("rejects a truncated integer and one above 2^32 - 1", () => {
    expect(() => decodeInteger(Uint8Array.from([0x1f, 0x9a]), 0, 5)).toThrow(HpackError)
    expect(() => decodeInteger(Uint8Array.from([0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f]), 0, 5)).toThrow(HpackError)
  })
})

describe("HPACK Huffman code (RFC 7541 Appendix B)", () => {
  it("derives Appendix B's codes from the lengths (a sample of rows, EOS included)", () => {
    expect(huffmanCode(0)).toEqual({ code: 0x1ff8, bits: 13 })
    expect(huffmanCode(32)).toEqual({ code: 0x14, bits: 6 })
    expect(huffmanCode(48)).toEqual({ code: 0x0, bits: 5 })
    expect(huffmanCode(97)).toEqual({ code: 0x3, bits: 5 })
    expect(huffmanCode(255)).toEqual({ code: 0x3ffffee, bits: 26 })
    expect(huffmanCode(256)).toEqual({ code: 0x3fffffff, bits: 30 })
  })

  it("encodes and decodes C.4.1's authority, and rejects EOS, long padding and padding that is not ones", () => {
    expect(toHex(huffmanEncode(octets("www.example.com")))).toBe("f1e3c2e5f23a6ba0ab90f4ff")
    expect(new TextDecoder().decode(huffmanDecode(fromHex("640eff")))).toBe("307")
    for (const broken of ["00", "07ff", "ffffffff"])
      expect(() => huffmanDecode(fromHex(broken)), broken).toThrow(HpackError)
  })

  it("round-trips every octet string (property)", () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(huffmanDecode(huffmanEncode(bytes))).toEqual(bytes)
      }),
      { testFile, numRuns: 300 },
    )
  })
})

describe("HPACK single representations (RFC 7541 C.2)", () => {
  it("decodes the four representations and keeps the table as C.2 shows", () => {
    const cases: [string, HeaderField, string, [string, string, number][]][] = [
      [
        "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        { name: "custom-key", value: "custom-header" },
        "literal-incremental",
        [["custom-key", "custom-header", 55]],
      ],
      ["040c 2f73 616d 706c 652f 7061 7468", { name: ":path", value: "/sample/path" }, "literal-without-indexing", []],
      [
        "1008 7061 7373 776f 7264 0673 6563 7265 74",
        { name: "password", value: "secret" },
        "literal-never-indexed",
        [],
      ],
      ["82", { name: ":method", value: "GET" }, "indexed", []],
    ]
    for (const [hex, field, kind, table] of cases) {
      const decoder = new HpackDecoder()
      const block = decoder.decode(fromHex(hex))
      expect(block.fields).toEqual([field])
      expect(block.representations[0]!.kind).toBe(kind)
      expect(tableOf(decoder.table)).toEqual(table)
    }
  })

  it("encodes password: secret as C.2.3 when the name is never indexed (no Huffman)", () => {
    const encoder = new HpackEncoder({ huffman: false, neverIndex: ["password"] })
    expect(toHex(encoder.encode(fields(["password", "secret"])).bytes)).toBe("100870617373776f726406736563726574")
  })
})

describe("HPACK header blocks on one connection (RFC 7541 C.3 to C.6)", () => {
  for (const [label, [size, huffman, blocks, lists, tables]] of Object.entries(CHAINS)) {
    it(`${label}: the encoder writes each block byte for byte, the decoder reads it back, both tables match`, () => {
      const encoder = new HpackEncoder({ tableSize: size, huffman })
      const decoder = new HpackDecoder(size)
      blocks.forEach((hex, i) => {
        const encoded = encoder.encode(lists[i]!)
        expect(toHex(encoded.bytes)).toBe(hex.replace(/ /g, ""))
        const decoded = decoder.decode(fromHex(hex))
        expect(decoded.fields).toEqual(lists[i])
        expect(tableOf(encoder.table)).toEqual(tables[i])
        expect(tableOf(decoder.table)).toEqual(tables[i])
        expect(decoder.table.size).toBe(tables[i]!.reduce((sum, entry) => sum + entry[2], 0))
      })
    })
  }

  it("applies a table size update at the start of a block and rejects one after a field or above the limit", () => {
    const decoder = new HpackDecoder()
    decoder.decode(fromHex(CHAINS["C.3"]![2][0]!))
    const block = decoder.decode(fromHex("2082"))
    expect(block.representations.map((r) => r.kind)).toEqual(["size-update", "indexed"])
    expect(decoder.table.fields).toEqual([])
    expect(decoder.table.maxSize).toBe(0)
    expect(() => new HpackDecoder().decode(fromHex("8220"))).toThrow("a dynamic table size update after a header field")
    expect(() => new HpackDecoder().decode(fromHex("3fe21f"))).toThrow("exceeds the limit 4096")
  })

  it("rejects index 0, an index past the tables and truncated strings", () => {
    for (const hex of ["80", "be", "400a6375", "41"])
      expect(() => new HpackDecoder().decode(fromHex(hex)), hex).toThrow(HpackError)
  })

  it("sends a field larger than the whole table without indexing, leaving the table as it was", () => {
    const encoder = new HpackEncoder({ tableSize: 64, huffman: false })
    encoder.encode(fields(["a", "b"]))
    const block = encoder.encode(fields(["x-long", "v".repeat(40)]))
    expect(block.representations[0]!.kind).toBe("literal-without-indexing")
    expect(tableOf(encoder.table)).toEqual([["a", "b", 34]])
  })
})

const headerName = fc.constantFrom(":method", ":path", "cache-control", "cookie", "x-a", "x-b", "user-agent", "accept")
const headerValue = fc.oneof(fc.constantFrom("", "GET", "/", "no-cache"), fc.string({ maxLength: 40 }))
const blockArb = fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 8 })

describe("HPACK properties", () => {
  it("decode(encode(headers)) = headers, and the encoder's and decoder's tables agree after every block, under table-size changes", () => {
    checkProperty(
      fc.property(
        fc.array(fc.tuple(blockArb, fc.option(fc.integer({ min: 0, max: 4096 }))), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.subarray(["cookie", "x-a"]),
        (blocks, huffman, neverIndex) => {
          const encoder = new HpackEncoder({ huffman, neverIndex })
          const decoder = new HpackDecoder()
          for (const [headers, resize] of blocks) {
            if (resize !== null) encoder.resizeTable(resize)
            const encoded = encoder.encode(headers)
            const decoded = decoder.decode(encoded.bytes)
            expect(decoded.fields).toEqual(headers)
            expect(decoder.table.fields).toEqual(encoder.table.fields)
            expect(decoder.table.size).toBe(encoder.table.size)
            expect(encoder.table.size).toBeLessThanOrEqual(encoder.table.maxSize)
            for (const r of decoded.representations)
              if (neverIndex.includes(r.field?.name ?? "")) expect(r.kind).toBe("literal-never-indexed")
          }
        },
      ),
      { testFile, numRuns: 300 },
    )
  })
})
