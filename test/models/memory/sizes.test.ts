import { describe, expect, it } from "vitest"
import { addressOutside, parseAddresses, parseSize, parseSizeOrRandom } from "../../../src/models/memory/index.ts"

describe("sizes and address lists, as OSTEP's scripts read them", () => {
  it("reads digits with an optional k, m or g of either case as powers of 1024", () => {
    expect(["3000", "16k", "16K", "1m", "1M", "1g", "0"].map((text) => parseSize(text))).toEqual(
      [3000, 16384, 16384, 1048576, 1048576, 1073741824, 0].map((value) => ({ ok: true, value })),
    )
  })

  it("refuses kb, fractions, signs, spaces and sizes over 2^50, saying what a size is", () => {
    for (const text of ["1kb", "1.5k", "-1", "+4", " 4", "", "k", "1048577g"])
      expect(parseSize(text), text).toMatchObject({ ok: false })
    expect(parseSize("1kb")).toEqual({ ok: false, error: "a size: digits with an optional k, m or g (16k, 1m, 3000)" })
  })

  it("reads random as a register to draw", () => {
    expect(parseSizeOrRandom("random")).toEqual({ ok: true, value: undefined })
    expect(parseSizeOrRandom("2k")).toEqual({ ok: true, value: 2048 })
  })

  it("reads decimal address lists, and 0x hex only where asked", () => {
    expect(parseAddresses("0,17,1023")).toEqual({ ok: true, value: [0, 17, 1023] })
    expect(parseAddresses("0x611c")).toMatchObject({ ok: false })
    expect(parseAddresses("0x611c,24860", { hex: true })).toEqual({ ok: true, value: [0x611c, 24860] })
    expect(addressOutside([3, 1024, 2000], 1024)).toBe(1024)
    expect(addressOutside([3, 1023], 1024)).toBeUndefined()
  })
})
